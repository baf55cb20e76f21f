"""`ArmClient`: authenticated, retried ARM requests that wait for long-running operations; `get_client` caches one.

The client composes three parts, each in a module of its own: the transport (`transport.Transport`: HTTP session,
tokens, retries), the vault write gate (`gate.VaultGate`: backup-instance writes hold the vault's lock for the whole
request + wait) and the long-running-operation engine (`lro.OperationWaiter`). A call with a timeout has one
deadline, started before the lock wait, that bounds the lock wait, every retry wait and the polling; the error says
which of those phases ran out (`DeadlineExceededError.stage`).
"""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, NoReturn

from pulumi_dataprotection.arm.auth import TokenSource
from pulumi_dataprotection.arm.deadline import Deadline, ambient
from pulumi_dataprotection.arm.errors import ArmError, JsonObject
from pulumi_dataprotection.arm.gate import VaultGate
from pulumi_dataprotection.arm.locks import PROCESS_VAULT_LOCKS, VaultLocks
from pulumi_dataprotection.arm.lro import FinalStateVia, OperationResult, OperationWaiter
from pulumi_dataprotection.arm.paths import is_idempotent, resource_of
from pulumi_dataprotection.arm.settings import ArmSettings
from pulumi_dataprotection.arm.transport import (
    USER_AGENT,
    ArmCall,
    Transport,
    build_auxiliary_token_sources,
    build_token_source,
    redact_queries,
)

__all__ = [
    "USER_AGENT",
    "ArmClient",
    "build_auxiliary_token_sources",
    "build_token_source",
    "get_client",
    "redact_queries",
]

_MAX_PAGES = 1000


class ArmClient(Transport):
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
        super().__init__(
            settings,
            token_source=token_source,
            sleep=sleep,
            clock=clock,
            wall_clock=wall_clock,
            rng=rng,
            gate=VaultGate(locks if locks is not None else PROCESS_VAULT_LOCKS, clock),
        )

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
        call = ArmCall(
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
        with self._gate.hold(self._gate.write_vault(method, url), deadline, limit, operation, resource):
            initial = self._send(call)
            if initial.status == 404:
                return OperationResult(404, None, dict(initial.headers), None, None, True, 0, initial.client_request_id)
            waiter = OperationWaiter(
                fetch=self.fetcher(operation, resource, deadline, limit),
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
            ArmCall(
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
            response = self._send(ArmCall("GET", url, None, name, resource, "request", True, False, False, *limits))
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
        with self._gate.hold(vault, deadline, limit, operation, resource or vault):
            yield

    def vault_is_strict(self, vault: str) -> bool:
        """Whether the vault refused an instance write (406/409 busy) while this process held its lock: then it
        also refuses writes while an instance is configuring protection, or another client writes to it."""
        return self._gate.is_strict(vault)

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


_CLIENTS: dict[ArmSettings, ArmClient] = {}
_CLIENTS_LOCK = threading.Lock()


def get_client(settings: ArmSettings) -> ArmClient:
    """The process-wide client for these settings (created once; safe to call from any thread)."""
    with _CLIENTS_LOCK:
        client = _CLIENTS.get(settings)
        if client is None:
            client = _CLIENTS[settings] = ArmClient(settings)
        return client
