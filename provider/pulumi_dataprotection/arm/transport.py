"""The transport under `ArmClient`: one HTTP session, authenticated sends, and one logical call retried as a unit.

One requests.Session per client per process (created lazily, rebuilt after fork, never pickled). Every call
carries a fresh `x-ms-client-request-id`; retries follow `RetryPolicy`; a 401 triggers one token refresh; a request
is only ever sent to the configured endpoint's origin (the token goes nowhere else). A vault's busy refusal is told
to the vault write gate (`gate.VaultGate`), which then serializes that vault strictly.
"""

from __future__ import annotations

import json
import logging
import os
import platform
import re
import threading
import uuid
from collections.abc import Callable, Mapping
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
from pulumi_dataprotection.arm.gate import VaultGate
from pulumi_dataprotection.arm.lro import Fetch
from pulumi_dataprotection.arm.paths import vault_of
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
_LAST_LOOK = 1.0
"""The shortest socket timeout of a request made when the call's deadline has (almost) passed."""


@dataclass(frozen=True)
class ArmCall:
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


class Transport:
    """Sends one logical ARM call (attempts, token refresh, retries) for one `ArmSettings`; thread-safe."""

    def __init__(
        self,
        settings: ArmSettings,
        *,
        token_source: TokenSource | None,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
        wall_clock: Callable[[], float],
        rng: Callable[[], float],
        gate: VaultGate,
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
        self._gate = gate
        self._state_lock = threading.Lock()
        self._session: requests.Session | None = None
        self._session_pid: int | None = None
        suffix = f" {settings.user_agent_suffix}" if settings.user_agent_suffix else ""
        self.user_agent = USER_AGENT + suffix

    def close(self) -> None:
        """Close the HTTP session (a new one is created on the next call)."""
        with self._state_lock:
            if self._session is not None:
                self._session.close()
            self._session = None

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

    def _check_target(self, call: ArmCall) -> None:
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

    def _attempt(self, call: ArmCall, request_id: str, token: str, force_refresh: bool) -> ArmResponse:
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

    def _socket_timeouts(self, call: ArmCall) -> tuple[float, float]:
        """(connect, read) socket timeouts: the settings', cut to the time left before the call's deadline (at least
        `_LAST_LOOK`, for the status check made when the time is up), so one slow answer cannot carry a call past
        its deadline."""
        connect, read = self.settings.connect_timeout, self.settings.read_timeout
        if call.deadline is None:
            return connect, read
        left = max(_LAST_LOOK, call.deadline - self._clock())
        return min(connect, left), min(read, left)

    def _send(self, call: ArmCall) -> ArmResponse:
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
                self._gate.note_busy(call.method, call.url)
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
        call: ArmCall,
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
        call: ArmCall,
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
        self, cls: type[ArmError], call: ArmCall, response: ArmResponse, error: CloudError, **extra: Any
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

    def fetcher(self, operation: str, resource: str | None, deadline: float, limit: float) -> Fetch:
        """How the operation waiter reads status and result URLs: GETs under the call's deadline."""

        def fetch(url: str, accept_404: bool, phase: str) -> ArmResponse:
            return self._send(
                ArmCall("GET", url, None, operation, resource, phase, True, False, accept_404, deadline, limit)
            )

        return fetch
