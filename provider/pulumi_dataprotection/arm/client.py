"""`ArmClient`: authenticated, retried ARM requests that wait for long-running operations; `get_client` caches one.

One requests.Session per client per process (created lazily, rebuilt after fork, never pickled). Every call
carries a fresh `x-ms-client-request-id`; retries follow `RetryPolicy`; a 401 triggers one token refresh;
backup-instance writes hold the vault's lock for the whole request + wait. A call with a timeout has one deadline,
started before the lock wait, that bounds the lock wait, every retry wait and the polling; the error says which of
those phases ran out (`DeadlineExceededError.stage`).
"""

from __future__ import annotations

import json
import logging
import os
import platform
import random
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import requests
from requests.adapters import HTTPAdapter

from pulumi_dataprotection import __version__
from pulumi_dataprotection.arm.auth import (
    CredentialTokenSource,
    StaticTokenSource,
    TokenSource,
    claims_challenge,
    client_secret_credential,
    default_credential,
)
from pulumi_dataprotection.arm.clouds import is_loopback_host
from pulumi_dataprotection.arm.deadline import Deadline, ambient
from pulumi_dataprotection.arm.errors import (
    AmbiguousActionError,
    ArmError,
    CloudError,
    DeadlineExceededError,
    EndpointUnreachableError,
    InvalidNameError,
    JsonObject,
    NotFoundError,
    RetriesExhaustedError,
    UnsafeRequestError,
    VaultBusyError,
    display_url,
    is_gone_code,
    parse_cloud_error,
)
from pulumi_dataprotection.arm.locks import PROCESS_VAULT_LOCKS, LockTimeout, VaultLocks
from pulumi_dataprotection.arm.lro import Fetch, FinalStateVia, OperationResult, OperationWaiter
from pulumi_dataprotection.arm.paths import instance_write_vault, is_idempotent, resource_of, vault_of
from pulumi_dataprotection.arm.response import ArmResponse
from pulumi_dataprotection.arm.retry import (
    RETRYABLE_STATUSES,
    Outcome,
    RetryBudget,
    RetryDecision,
    classify_exception,
    classify_status,
    connect_failure,
    describe_exception,
    retry_after_seconds,
    tls_problem,
)
from pulumi_dataprotection.arm.settings import ArmSettings, CredentialMode

if TYPE_CHECKING:
    from azure.core.credentials import TokenCredential

log = logging.getLogger(__name__)
_QUERY = re.compile(r"\?[^\s\"']*")


def redact_queries(text: str) -> str:
    """`text` with every URL query string cut down to its api-version (operation-status URLs carry signatures)."""

    def keep(match: re.Match[str]) -> str:
        kept = [(k, v) for k, v in parse_qsl(match.group(0)[1:], keep_blank_values=True) if k.lower() == "api-version"]
        return "?" + urlencode(kept) if kept else ""

    return _QUERY.sub(keep, text)


class _RedactSignedUrls(logging.Filter):
    """Removes query strings (but api-version) from urllib3's request log lines, which print the request target."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact_queries(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact_queries(record.msg)
        return True


logging.getLogger("urllib3.connectionpool").addFilter(_RedactSignedUrls())

USER_AGENT = f"pulumi-dataprotection/{__version__} python/{platform.python_version()} requests/{requests.__version__}"
_MAX_PAGES = 1000
_LAST_LOOK = 1.0
"""The shortest socket timeout of a request made when the call's deadline has (almost) passed."""


@dataclass(frozen=True)
class _Call:
    """One logical HTTP call (retried as a unit)."""

    method: str
    url: str
    body: bytes | None
    operation: str | None
    resource: str | None
    phase: str
    idempotent: bool
    write: bool
    accept_404: bool
    deadline: float | None = None
    timeout: float | None = None
    auxiliary: bool = False
    headers: tuple[tuple[str, str], ...] = ()


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"https": 443, "http": 80}.get(parts.scheme)
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def build_token_source(settings: ArmSettings) -> TokenSource:
    """The token source the settings ask for (azure-identity is imported only when needed). The credential factory
    lets a refresh forced by a 401 start from an empty token cache."""
    cloud = settings.resolved_cloud
    if settings.credential is CredentialMode.STATIC:
        assert settings.static_token is not None
        return StaticTokenSource(settings.static_token)
    if settings.credential is CredentialMode.CLIENT_SECRET:
        tenant, client, secret = settings.tenant_id, settings.client_id, settings.client_secret
        assert tenant and client and secret

        def service_principal() -> TokenCredential:
            return client_secret_credential(cloud.authority_host, tenant, client, secret)

        return CredentialTokenSource(service_principal(), cloud.token_scope, factory=service_principal)

    def default() -> TokenCredential:
        return default_credential(cloud.authority_host, tenant_id=settings.tenant_id, client_id=settings.client_id)

    return CredentialTokenSource(default(), cloud.token_scope, tenant_id=settings.tenant_id, factory=default)


def build_auxiliary_token_sources(settings: ArmSettings) -> list[TokenSource]:
    """Token sources for ``x-ms-authorization-auxiliary``: the fixed tokens, then one per auxiliary tenant from the
    same kind of credential as the main one (a static credential has no tenant tokens to get)."""
    cloud = settings.resolved_cloud
    sources: list[TokenSource] = [StaticTokenSource(t) for t in settings.auxiliary_tokens]
    for tenant in settings.auxiliary_tenant_ids:
        if settings.credential is CredentialMode.STATIC:
            break
        if settings.credential is CredentialMode.CLIENT_SECRET:
            assert settings.client_id and settings.client_secret
            credential = client_secret_credential(
                cloud.authority_host, tenant, settings.client_id, settings.client_secret
            )
        else:
            credential = default_credential(cloud.authority_host, tenant_id=tenant, client_id=settings.client_id)
        sources.append(CredentialTokenSource(credential, cloud.token_scope, tenant_id=tenant))
    return sources


class ArmClient:
    """Talks to ARM for one `ArmSettings`. Thread-safe; share it between worker threads via `get_client`."""

    def __init__(
        self,
        settings: ArmSettings,
        *,
        token_source: TokenSource | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        rng: Callable[[], float] = random.random,
        locks: VaultLocks | None = None,
    ) -> None:
        self.settings = settings
        self.endpoint = settings.resolved_cloud.arm_endpoint
        self._origin = _origin(self.endpoint)
        self._token_source = token_source
        self._auxiliary: tuple[TokenSource, ...] | None = None
        self._sleep = sleep
        self._clock = clock
        self._wall = wall_clock
        self._rng = rng
        self._locks = locks if locks is not None else PROCESS_VAULT_LOCKS
        self._state_lock = threading.Lock()
        self._session: requests.Session | None = None
        self._session_pid: int | None = None
        suffix = f" {settings.user_agent_suffix}" if settings.user_agent_suffix else ""
        self.user_agent = USER_AGENT + suffix

    def __repr__(self) -> str:
        return f"ArmClient(endpoint={self.endpoint!r}, credential={self.settings.credential.value!r})"

    def __reduce__(self) -> NoReturn:
        raise TypeError(
            "ArmClient holds a live HTTP session and credentials and is never pickled; "
            "call pulumi_dataprotection.arm.get_client(settings) inside the provider method instead"
        )

    # Public API -------------------------------------------------------------------------------------------------

    def execute(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        operation: str,
        resource: str | None = None,
        api_version: str | None = None,
        timeout: float | Deadline | None = None,
        final_state_via: FinalStateVia = "location",
        idempotent: bool | None = None,
        query: Mapping[str, str] | None = None,
        auxiliary: bool = False,
        headers: Mapping[str, str] | None = None,
    ) -> OperationResult:
        """Send a write (PUT/PATCH/DELETE/POST) and, if Azure runs it asynchronously, wait until it ends.

        `path` is an escaped ARM path (see `ResourceId`) or an absolute URL on the endpoint; api-version is added
        from `api_version` or the settings. `operation` is a human name ("create backup instance") and `resource`
        the ARM id, both used in errors. A DELETE answered 204/404 returns `already_gone=True`. Writes on backup
        instances hold the vault's lock. `auxiliary` adds the ``x-ms-authorization-auxiliary`` header (tokens of
        the configured auxiliary tenants, e.g. a resource guard's) when any are configured; `headers` are sent with
        the request as they are (e.g. ``x-ms-deleted-vault-id`` of a vault undelete). Raises ArmError
        subclasses (OperationFailedError, OperationTimeoutError, RetriesExhaustedError, VaultBusyError,
        NotFoundError, ...).
        """
        method = method.upper()
        url = self._url(path, api_version, query)
        resource = resource or resource_of(url)
        deadline, limit = self._deadline(
            timeout if timeout is not None else ambient() or self.settings.operation_timeout
        )
        assert deadline is not None and limit is not None
        call = _Call(
            method=method,
            url=url,
            body=json.dumps(body).encode("utf-8") if body is not None else None,
            operation=operation,
            resource=resource,
            phase="request",
            idempotent=is_idempotent(method, url) if idempotent is None else idempotent,
            write=method not in ("GET", "HEAD"),
            accept_404=method == "DELETE",
            deadline=deadline,
            timeout=limit,
            auxiliary=auxiliary,
            headers=tuple((headers or {}).items()),
        )
        with ExitStack() as held:
            held.enter_context(self._timed_lock(instance_write_vault(method, url), deadline, limit, call))
            initial = self._send(call)
            if initial.status == 404:
                return OperationResult(404, None, dict(initial.headers), None, None, True, 0, initial.client_request_id)
            waiter = OperationWaiter(
                fetch=self._fetcher(operation, resource, deadline, limit),
                policy=self.settings.poll,
                sleep=self._sleep,
                clock=self._clock,
                wall_clock=self._wall,
                deadline=deadline,
                timeout=limit,
                method=method,
                url=url,
                operation=operation,
                resource=resource,
            )
            return waiter.wait(initial, final_state_via)

    def get(
        self,
        path: str,
        *,
        operation: str | None = None,
        resource: str | None = None,
        api_version: str | None = None,
        query: Mapping[str, str] | None = None,
        timeout: float | Deadline | None = None,
    ) -> JsonObject | None:
        """GET one resource; None when it does not exist (404). `timeout` bounds the call, retries included."""
        url = self._url(path, api_version, query)
        response = self._send(
            _Call(
                "GET",
                url,
                None,
                operation or "read",
                resource or resource_of(url),
                "request",
                True,
                False,
                True,
                *self._deadline(timeout),
            )
        )
        if response.status == 404:
            return None
        return self._object(response, operation or "read")

    def list(
        self,
        path: str,
        *,
        operation: str | None = None,
        resource: str | None = None,
        api_version: str | None = None,
        query: Mapping[str, str] | None = None,
        timeout: float | Deadline | None = None,
    ) -> list[JsonObject]:
        """GET a collection (optionally with query parameters such as `$filter`) and follow `nextLink` pages;
        `timeout` bounds all pages together."""
        url: str | None = self._url(path, api_version, query)
        limits = self._deadline(timeout)
        name = operation or "list"
        items: list[JsonObject] = []
        seen: set[str] = set()
        while url:
            if url in seen or len(seen) >= _MAX_PAGES:
                raise ArmError(
                    f"paging did not end (nextLink repeated or more than {_MAX_PAGES} pages)",
                    code="InvalidNextLink",
                    method="GET",
                    url=url,
                    operation=name,
                    resource=resource,
                )
            seen.add(url)
            response = self._send(_Call("GET", url, None, name, resource, "request", True, False, False, *limits))
            page = self._object(response, name)
            value = page.get("value")
            if isinstance(value, list):
                items.extend(v for v in value if isinstance(v, dict))
            next_link = page.get("nextLink")
            url = next_link if isinstance(next_link, str) and next_link else None
        return items

    @contextmanager
    def vault_lock(
        self,
        vault: str,
        *,
        timeout: float | Deadline | None = None,
        operation: str | None = None,
        resource: str | None = None,
    ) -> Iterator[None]:
        """Hold a vault's write lock across several calls (re-entrant; `vault` is its id or any path under it);
        with `timeout`, wait for it at most that long (DeadlineExceededError, stage "lock wait", naming
        `operation` on `resource`)."""
        deadline, limit = self._deadline(timeout)
        call = _Call("LOCK", vault, None, operation, resource or vault, "request", True, True, False, deadline, limit)
        with self._timed_lock(vault_of(vault) or vault, deadline, limit, call):
            yield

    def vault_is_strict(self, vault: str) -> bool:
        """Whether the vault refused an instance write (406/409 busy) while this process held its lock: then it
        also refuses writes while an instance is configuring protection, or another client writes to it."""
        return self._locks.is_strict(vault_of(vault) or vault)

    def close(self) -> None:
        """Close the HTTP session (a new one is created on the next call)."""
        with self._state_lock:
            if self._session is not None:
                self._session.close()
            self._session = None

    # Internals --------------------------------------------------------------------------------------------------

    def _deadline(self, timeout: float | Deadline | None) -> tuple[float | None, float | None]:
        """(deadline, limit) of a call given `timeout` seconds or a shared Deadline (None: the thread's ambient
        deadline, see `deadline.bounded`, else only the retry budgets bound it)."""
        if timeout is None:
            timeout = ambient()
        if timeout is None:
            return None, None
        if isinstance(timeout, Deadline):
            return timeout.at, timeout.limit
        return self._clock() + timeout, timeout

    @contextmanager
    def _timed_lock(
        self, vault: str | None, deadline: float | None, limit: float | None, call: _Call
    ) -> Iterator[None]:
        """Hold `vault`'s lock (None: no lock), waiting at most until `deadline`."""
        try:
            held = self._locks.hold(vault, deadline=deadline, clock=self._clock)
            held.__enter__()
        except LockTimeout as exc:
            raise DeadlineExceededError(
                f"the vault's lock stayed busy for {exc.waited:.3g}s",
                timeout=limit or 0.0,
                stage="lock wait",
                vault=exc.vault_id,
                operation=call.operation,
                resource=call.resource,
            ) from None
        try:
            yield
        finally:
            held.__exit__(None, None, None)

    def _fetcher(self, operation: str, resource: str | None, deadline: float, limit: float) -> Fetch:
        def fetch(url: str, accept_404: bool, phase: str) -> ArmResponse:
            return self._send(
                _Call("GET", url, None, operation, resource, phase, True, False, accept_404, deadline, limit)
            )

        return fetch

    def _url(self, path: str, api_version: str | None, query: Mapping[str, str] | None = None) -> str:
        """The request URL: endpoint + checked path (or a same-origin absolute URL) + query + api-version."""
        if path.lower().startswith(("https://", "http://")):
            url = path
        else:
            problems = []
            if not path.startswith("/"):
                problems.append("does not start with '/'")
            if "?" in path or "#" in path:
                problems.append("carries a query or fragment (pass `query=` instead)")
            if any(unquote(s) in (".", "..") for s in path.split("/")):
                problems.append("contains '.' or '..' segments")
            if problems:
                raise InvalidNameError(f"request path {path!r} " + " and ".join(problems), resource=path)
            url = self.endpoint + path
        params = dict(query or {})
        present = [k for k, _ in parse_qsl(urlsplit(url).query, keep_blank_values=True)] + list(params)
        if "api-version" not in (k.lower() for k in present):
            params["api-version"] = api_version or self.settings.api_version_for(url)
        if not params:
            return url
        return url + ("&" if urlsplit(url).query else "?") + urlencode(params, quote_via=quote)

    def _tokens(self) -> TokenSource:
        with self._state_lock:
            if self._token_source is None:
                self._token_source = build_token_source(self.settings)
            return self._token_source

    def _auxiliary_tokens(self) -> tuple[TokenSource, ...]:
        with self._state_lock:
            if self._auxiliary is None:
                self._auxiliary = tuple(build_auxiliary_token_sources(self.settings))
            return self._auxiliary

    def _http(self) -> requests.Session:
        pid = os.getpid()
        with self._state_lock:
            if self._session is None or self._session_pid != pid:
                session = requests.Session()
                adapter = HTTPAdapter(pool_connections=4, pool_maxsize=16, max_retries=0)
                session.mount("https://", adapter)
                session.mount("http://", adapter)
                # Plain http is only used for loopback: never route it (and its token) through a proxy.
                session.trust_env = self._origin[0] == "https"
                self._session, self._session_pid = session, pid
            return self._session

    def _check_target(self, call: _Call) -> None:
        origin = _origin(call.url)
        scheme, host, _ = origin
        if origin != self._origin:
            raise UnsafeRequestError(
                f"{display_url(call.url)} is not on the configured ARM endpoint {self.endpoint}; "
                "the access token is only sent there",
                method=call.method,
                url=call.url,
                operation=call.operation,
                resource=call.resource,
            )
        if scheme != "https" and not is_loopback_host(host):
            raise UnsafeRequestError(
                f"plain http to non-loopback host {host} would expose the access token",
                method=call.method,
                url=call.url,
                operation=call.operation,
                resource=call.resource,
            )

    def _attempt(self, call: _Call, request_id: str, token: str, force_refresh: bool) -> ArmResponse:
        self._check_target(call)
        headers = {
            "Authorization": f"Bearer {token}",
            "x-ms-client-request-id": request_id,
            "x-ms-return-client-request-id": "true",
            "User-Agent": self.user_agent,
            "Accept": "application/json",
            "Accept-Language": "en-US",
        }
        if call.body is not None:
            headers["Content-Type"] = "application/json; charset=utf-8"
        headers.update(call.headers)
        if call.auxiliary:
            tokens = [t.token(force_refresh=force_refresh) for t in self._auxiliary_tokens()]
            if tokens:
                headers["x-ms-authorization-auxiliary"] = ", ".join(f"Bearer {t}" for t in tokens)
        settings = self.settings
        started = self._clock()
        raw = self._http().request(
            call.method,
            call.url,
            data=call.body,
            headers=headers,
            timeout=self._socket_timeouts(call),
            verify=settings.ca_bundle or settings.verify_tls,
            allow_redirects=False,
        )
        text = raw.content.decode("utf-8", errors="replace")
        try:
            body = json.loads(text) if text.strip() else None
        except ValueError:
            body = None
        log.debug(
            "%s %s -> %s in %.0f ms (x-ms-client-request-id=%s)",
            call.method,
            display_url(call.url),
            raw.status_code,
            (self._clock() - started) * 1000,
            request_id,
        )
        return ArmResponse(
            method=call.method,
            url=call.url,
            status=raw.status_code,
            headers={k.lower(): v for k, v in raw.headers.items()},
            body=body,
            text=text,
            client_request_id=request_id,
        )

    def _socket_timeouts(self, call: _Call) -> tuple[float, float]:
        """(connect, read) socket timeouts: the settings', cut to the time left before the call's deadline (at least
        `_LAST_LOOK`, for the status check made when the time is up), so one slow answer cannot carry a call past
        its deadline."""
        connect, read = self.settings.connect_timeout, self.settings.read_timeout
        if call.deadline is None:
            return connect, read
        left = max(_LAST_LOOK, call.deadline - self._clock())
        return min(connect, left), min(read, left)

    def _send(self, call: _Call) -> ArmResponse:
        """One logical call: attempts, 401 refresh, transient retries and busy retries per the RetryPolicy."""
        budget = RetryBudget(self.settings.retry, self._clock, self._rng, call.deadline)
        request_id = str(uuid.uuid4())
        sent_at = self._wall()
        refreshed = False
        retoken: tuple[str | None, str] | None = None  # after a 401: (claims challenge, refused token)
        attempts = 0
        while True:
            attempts += 1
            claims, rejected = retoken or (None, None)
            token = self._tokens().token(force_refresh=retoken is not None, claims=claims, rejected=rejected)
            try:
                response = self._attempt(call, request_id, token, retoken is not None)
            except requests.RequestException as exc:
                self._sleep(self._after_exception(call, exc, budget, attempts, request_id, sent_at))
                continue
            retoken = None
            status = response.status
            if status == 401 and not refreshed:
                refreshed = True
                retoken = (claims_challenge(response.header("www-authenticate")), token)
                log.info(
                    "%s: HTTP 401%s, getting a new access token and retrying once",
                    call.operation,
                    " with a claims challenge" if retoken[0] else "",
                )
                continue
            if 200 <= status < 300 or (status == 404 and call.accept_404 and self._gone(response)):
                if 200 <= status < 300 and response.body is None and response.text.strip() and call.phase != "polling":
                    raise self._error(
                        ArmError,
                        call,
                        response,
                        parse_cloud_error(None, f"the response is not JSON: {response.text}"),
                        code="InvalidResponse",
                    )
                return response
            error = parse_cloud_error(response.body, response.text)
            outcome = classify_status(status, response.headers, error, idempotent=call.idempotent, write=call.write)
            retry_after = retry_after_seconds(response.headers, self._wall())
            if outcome is Outcome.TRANSIENT:
                decision = budget.next_transient_wait(retry_after)
                if decision.give_up is not None:
                    self._give_up(decision, call, response, error, attempts, budget, RetriesExhaustedError)
                wait, reason = decision.wait, f"HTTP {status}"
            elif outcome is Outcome.BUSY:
                held = instance_write_vault(call.method, call.url)
                if held is not None:
                    self._locks.note_refusal(held)
                decision = budget.next_busy_wait(retry_after)
                if decision.give_up is not None:
                    self._give_up(decision, call, response, error, attempts, budget, VaultBusyError)
                wait, reason = decision.wait, f"HTTP {status} (vault busy)"
            else:
                if not call.idempotent and status in RETRYABLE_STATUSES:
                    raise self._error(AmbiguousActionError, call, response, error, sent_at=sent_at)
                raise self._error(NotFoundError if status == 404 else ArmError, call, response, error)
            if decision.last:
                reason += f"; {decision.last}, so this is the last retry"
            log.info(
                "%s: %s, retrying in %.3gs (attempt %d, x-ms-client-request-id=%s)",
                call.operation,
                reason,
                wait,
                attempts + 1,
                request_id,
            )
            self._sleep(wait)

    def _give_up(
        self,
        decision: RetryDecision,
        call: _Call,
        response: ArmResponse,
        error: CloudError,
        attempts: int,
        budget: RetryBudget,
        cls: type[RetriesExhaustedError] | type[VaultBusyError],
    ) -> NoReturn:
        """Wait out what is left of the deadline or budget (`decision.wait`), then raise with Azure's answer."""
        if decision.wait > 0:
            log.info("%s: %s; waiting %.3gs before giving up", call.operation, decision.give_up, decision.wait)
            self._sleep(decision.wait)
        if decision.deadline:
            raise self._error(
                DeadlineExceededError, call, response, error, timeout=call.timeout or 0.0, stage="retries"
            )
        if cls is VaultBusyError:
            raise self._error(
                VaultBusyError,
                call,
                response,
                error,
                vault=vault_of(call.url),
                attempts=attempts,
                elapsed=budget.elapsed,
            )
        raise self._error(
            RetriesExhaustedError,
            call,
            response,
            error,
            attempts=attempts,
            elapsed=budget.elapsed,
            reason=decision.give_up,
        )

    def _after_exception(
        self,
        call: _Call,
        exc: requests.RequestException,
        budget: RetryBudget,
        attempts: int,
        request_id: str,
        sent_at: float,
    ) -> float:
        """The wait before retrying a transport error, or raise when it must not (or can no longer) be retried."""
        what = describe_exception(exc)
        common: dict[str, Any] = {
            "method": call.method,
            "url": call.url,
            "operation": call.operation,
            "resource": call.resource,
            "request_id": request_id,
            "phase": call.phase,
        }
        problem = tls_problem(exc) or (str(exc)[:200] if isinstance(exc, requests.exceptions.SSLError) else None)
        if problem is not None:
            host = urlsplit(call.url).hostname
            raise ArmError(
                f"TLS verification of {host} failed: {problem}; not retried, since retrying cannot fix a certificate",
                code="TlsVerificationFailed",
                hint=(
                    f"{host} presented a certificate this machine does not trust (or one for another name). For a "
                    "private CA or the local emulator's --tls, point dataprotection:caBundle "
                    "(DATAPROTECTION_CA_BUNDLE) at its CA certificate (PEM); TLS verification is never turned off. "
                    "Behind a TLS-inspecting proxy, add the proxy's CA to that bundle."
                ),
                **common,
            ) from None
        if classify_exception(exc, idempotent=call.idempotent) is Outcome.FATAL:
            if classify_exception(exc, idempotent=True) is Outcome.TRANSIENT:
                raise AmbiguousActionError(
                    f"the connection failed after the request was sent ({what})",
                    code="ConnectionError",
                    sent_at=sent_at,
                    **common,
                ) from None
            raise ArmError(f"the request failed ({what})", code="ConnectionError", **common) from None
        if isinstance(exc, requests.Timeout) and call.deadline is not None and self._clock() >= call.deadline:
            raise DeadlineExceededError(
                f"Azure did not answer in the time left ({what})",
                code="Timeout",
                timeout=call.timeout or 0.0,
                stage="request",
                **common,
            ) from None
        failure = connect_failure(exc)
        budget.unreached += failure is not None
        unreached = failure is not None and budget.unreached == attempts
        loopback = is_loopback_host(urlsplit(call.url).hostname)
        give_up_at = self.settings.retry.loopback_refused_attempts
        if unreached and failure is not None and failure.refused and loopback and attempts >= give_up_at:
            decision = RetryDecision(0.0, f"a loopback endpoint that refuses connections is tried {give_up_at} times")
        else:
            decision = budget.next_transient_wait(None)
        if decision.give_up is not None:
            if decision.wait > 0:
                self._sleep(decision.wait)
            if unreached and failure is not None and not decision.deadline:
                raise EndpointUnreachableError(
                    f"the connection could not be opened ({what})",
                    code="ConnectionError",
                    attempts=attempts,
                    elapsed=budget.elapsed,
                    reason=decision.give_up,
                    endpoint=self.endpoint,
                    loopback=loopback,
                    cause=failure.reason,
                    **common,
                ) from None
            if decision.deadline:
                raise DeadlineExceededError(
                    f"the connection kept failing ({what})",
                    code="ConnectionError",
                    timeout=call.timeout or 0.0,
                    stage="retries",
                    **common,
                ) from None
            raise RetriesExhaustedError(
                f"the connection kept failing ({what})",
                code="ConnectionError",
                attempts=attempts,
                elapsed=budget.elapsed,
                reason=decision.give_up,
                **common,
            ) from None
        last = f"; {decision.last}, so this is the last retry" if decision.last else ""
        log.info("%s: %s%s, retrying in %.3gs (attempt %d)", call.operation, what, last, decision.wait, attempts + 1)
        return decision.wait

    def _error(
        self, cls: type[ArmError], call: _Call, response: ArmResponse, error: CloudError, **extra: Any
    ) -> ArmError:
        code = extra.pop("code", None) or error.code or response.header("x-ms-error-code")
        return cls(
            error.message,
            status=response.status,
            code=code,
            target=error.target,
            details=error.details,
            recommended_action=error.recommended_action,
            request_id=response.client_request_id,
            service_request_id=response.service_request_id,
            method=call.method,
            url=call.url,
            operation=call.operation,
            resource=call.resource,
            failure_cause=response.header("x-ms-failure-cause"),
            phase=call.phase,
            **extra,
        )

    @staticmethod
    def _gone(response: ArmResponse) -> bool:
        """Whether a 404 says the resource itself does not exist (any other 404 is an error, see NotFoundError)."""
        code = parse_cloud_error(response.body, response.text).code or response.header("x-ms-error-code")
        return is_gone_code(code)

    def _object(self, response: ArmResponse, operation: str) -> JsonObject:
        if isinstance(response.body, dict):
            return response.body
        raise ArmError(
            f"expected a JSON object, got {response.text[:200]!r}",
            code="InvalidResponse",
            status=response.status,
            method=response.method,
            url=response.url,
            operation=operation,
            request_id=response.client_request_id,
            service_request_id=response.service_request_id,
        )


_CLIENTS: dict[ArmSettings, ArmClient] = {}
_CLIENTS_LOCK = threading.Lock()


def get_client(settings: ArmSettings) -> ArmClient:
    """The process-wide client for these settings (created once; safe to call from any thread)."""
    with _CLIENTS_LOCK:
        client = _CLIENTS.get(settings)
        if client is None:
            client = _CLIENTS[settings] = ArmClient(settings)
        return client
