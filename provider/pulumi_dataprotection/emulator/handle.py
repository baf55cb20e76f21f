"""Start an emulator from Python (a subprocess or a thread of this process) and drive its admin API."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import queue
import secrets
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import requests

from pulumi_dataprotection.emulator.config import EmulatorConfig
from pulumi_dataprotection.emulator.server import EmulatorServer

_NON_WRITING_POSTS = ("/validateforbackup", "/validateformodifybackup", "/checknameavailability")


class EmulatorHandle:
    """A running emulator: its ``url``, bearer ``token``, ``ca_cert`` (HTTPS only), ``db_path`` and admin helpers."""

    def __init__(self, url: str, config: EmulatorConfig, ca_cert: Path | None, stop: Callable[[], None]) -> None:
        self.url = url
        self.config = config
        self.token = config.token
        self.ca_cert = ca_cert
        self.db_path = config.db_path
        self._stop = stop
        self._session = requests.Session()
        self._session.headers["Authorization"] = f"Bearer {config.token}"
        # Passed per request: requests lets $REQUESTS_CA_BUNDLE override a session-level ``verify``.
        self._verify: str | bool = str(ca_cert) if ca_cert else True

    # -- admin API ---------------------------------------------------------------------------------------------

    def _admin(self, method: str, path: str, payload: Any = None) -> Any:
        if method == "POST" and payload is None:
            payload = {}
        response = self._session.request(
            method, f"{self.url}/_emulator/{path}", json=payload, timeout=30, verify=self._verify
        )
        if response.status_code >= 400:
            raise RuntimeError(
                f"emulator admin {method} /_emulator/{path} failed: {response.status_code} {response.text}"
            )
        return response.json() if response.content else None

    def health(self) -> dict[str, Any]:
        """The emulator's settings (``GET /_emulator/health``)."""
        result: dict[str, Any] = self._admin("GET", "health")
        return result

    def request_log(self, since: int = 0) -> list[dict[str, Any]]:
        """ARM requests received so far (after sequence number ``since``), oldest first.

        Each entry: ``seq``, ``time``, ``method``, ``path``, ``query``, ``status``, ``clientRequestId``, ``body``
        (parsed JSON when it was JSON) and ``faults`` (kinds injected into it, when any).
        """
        result: list[dict[str, Any]] = self._admin("GET", f"requests?since={since}")["value"]
        return result

    def writes(self, since: int = 0) -> list[dict[str, Any]]:
        """The logged requests that can change state (PUT, PATCH, DELETE, and POST actions other than validations)."""
        return [
            e
            for e in self.request_log(since)
            if e["method"] in ("PUT", "PATCH", "DELETE")
            or (e["method"] == "POST" and not e["path"].lower().endswith(_NON_WRITING_POSTS))
        ]

    def clear_request_log(self) -> None:
        """Forget the logged requests."""
        self._admin("DELETE", "requests")

    def inject_fault(
        self, kind: str, *, method: str = "*", path: str = "", count: int | None = None, skip: int = 0, **params: Any
    ) -> int:
        """Add a fault rule (see ``pulumi_dataprotection.emulator.faults``) and return its id.

        ``params``: ``seconds`` (latency), ``retry_after`` (throttle), ``status`` (error), ``code``/``message``.
        """
        rule = {"kind": kind, "method": method, "path": path, "count": count, "skip": skip, **params}
        result: dict[str, Any] = self._admin("POST", "faults", rule)
        return int(result["id"])

    def faults(self) -> list[dict[str, Any]]:
        """The active fault rules with their hit counts."""
        result: list[dict[str, Any]] = self._admin("GET", "faults")["value"]
        return result

    def remove_fault(self, fault_id: int) -> None:
        """Drop one fault rule."""
        self._admin("DELETE", f"faults/{fault_id}")

    def clear_faults(self) -> None:
        """Drop every fault rule."""
        self._admin("DELETE", "faults")

    def reset(self) -> None:
        """Forget all resources, operations, jobs, the request log and the faults."""
        self._admin("POST", "reset")

    def snapshot(self) -> dict[str, Any]:
        """All state (resources, operations, jobs, clock) as JSON, for ``restore`` (``GET /_emulator/snapshot``)."""
        state: dict[str, Any] = self._admin("GET", "snapshot")
        return state

    def restore(self, snapshot: dict[str, Any]) -> None:
        """Return to the state of a ``snapshot`` (the request log, faults and registered datasources stay)."""
        self._admin("POST", "snapshot", snapshot)

    def clock(self) -> dict[str, Any]:
        """Emulator time: ``{"now": ISO-8601, "offsetSeconds": N}``."""
        body: dict[str, Any] = self._admin("GET", "clock")
        return body

    def advance_clock(self, seconds: float) -> None:
        """Move emulator time forward (operations, protection, jobs and soft-delete purges follow it)."""
        self._admin("POST", "clock", {"advanceSeconds": seconds})

    def add_datasource(self, resource_id: str, location: str = "") -> None:
        """Register an existing datasource (turns on the strict datasource registry)."""
        self._admin("POST", "datasources", {"id": resource_id, "location": location})

    def add_resource_group(self, subscription_id: str, name: str, location: str = "eastus") -> None:
        """Register an existing resource group (then requests under unregistered groups get 404
        ResourceGroupNotFound)."""
        payload = {"subscriptionId": subscription_id, "name": name, "location": location}
        self._admin("POST", "resource-groups", payload)

    def restored(self) -> list[dict[str, Any]]:
        """The resources restores created (``{"id", "job", "created"}`` each)."""
        body = self._admin("GET", "restored")
        return list(body["value"])

    def grant_guard_access(self, resource_guard_id: str, seconds: float = 3600) -> None:
        """Let callers pass ARM's access check on a resource guard for ``seconds`` (an approved PIM request)."""
        self._admin("POST", "guard-access", {"resourceGuardId": resource_guard_id, "seconds": seconds})

    def revoke_guard_access(self) -> None:
        """Withdraw every access granted on resource guards."""
        self._admin("DELETE", "guard-access")

    def add_tenant(self, subscription_id: str, tenant_id: str, token: str) -> None:
        """Place a subscription in another tenant: its resource guards then need an
        ``x-ms-authorization-auxiliary: Bearer <token>`` header."""
        self._admin("POST", "tenants", {"subscriptionId": subscription_id, "tenantId": tenant_id, "token": token})

    # -- lifecycle -----------------------------------------------------------------------------------------------

    def stop(self) -> None:
        """Stop the emulator (its database file stays)."""
        self._session.close()
        self._stop()

    def __enter__(self) -> EmulatorHandle:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def start_emulator(
    config: EmulatorConfig | None = None, *, in_process: bool = False, startup_timeout: float = 30.0, **settings: Any
) -> EmulatorHandle:
    """Start an emulator and return once it accepts requests.

    ``settings`` override fields of ``EmulatorConfig`` (``port``, ``db_path``, ``lro_seconds``, ``retry_after``,
    ``tls``, ``cert_dir``, ``datasources_file``, ``token``, ``accept_any_token``, ``allow_reversible_soft_delete``,
    ``strict_vault_writes``, ``azure_job_durations``, ``strict_permissions``, ``role_propagation_seconds``,
    ``resource_groups``, ``faults``).
    A fresh temporary database is used unless ``db_path`` is given (pass the
    same path to a new emulator to continue from its state). ``in_process=True`` runs it on a thread of this process
    (faster to start); otherwise it is ``python -m pulumi_dataprotection.emulator`` in a subprocess, which gets
    the token in its environment, never on its command line. Without a ``config`` or ``token``, each run accepts a
    new random token (``handle.token``), not the published default.
    """
    cfg = dataclasses.replace(config or EmulatorConfig(token=secrets.token_hex(32)), **settings)
    if cfg.db_path is None:
        cfg.db_path = Path(tempfile.mkdtemp(prefix="dp-emulator-")) / "state.db"
    cfg.db_path.parent.mkdir(parents=True, exist_ok=True)
    if cfg.tls and cfg.cert_dir is None:
        cfg.cert_dir = cfg.db_path.parent / "tls"
    ca_cert = cfg.cert_dir / "cert.pem" if cfg.tls and cfg.cert_dir else None
    if in_process:
        return _start_thread(cfg, ca_cert, startup_timeout)
    return _start_subprocess(cfg, ca_cert, startup_timeout)


def _start_thread(cfg: EmulatorConfig, ca_cert: Path | None, timeout: float) -> EmulatorHandle:
    server = EmulatorServer(cfg)
    urls: queue.Queue[str | BaseException] = queue.Queue()

    def run() -> None:
        try:
            asyncio.run(server.serve(urls.put))
        except BaseException as exc:  # reported to the starting thread
            urls.put(exc)

    thread = threading.Thread(target=run, name=f"dp-emulator-{cfg.db_path}", daemon=True)
    thread.start()
    first = urls.get(timeout=timeout)
    if isinstance(first, BaseException):
        raise RuntimeError(f"the emulator did not start: {first}") from first

    def stop() -> None:
        server.stop()
        thread.join(timeout=15)

    return EmulatorHandle(first, cfg, ca_cert, stop)


def _start_subprocess(cfg: EmulatorConfig, ca_cert: Path | None, timeout: float) -> EmulatorHandle:
    assert cfg.db_path is not None
    log_path = cfg.db_path.parent / "emulator.log"
    log = log_path.open("ab")
    proc = subprocess.Popen(
        [sys.executable, "-m", "pulumi_dataprotection.emulator", *cfg.to_args()],
        stdout=subprocess.PIPE,
        stderr=log,
        env={**os.environ, **cfg.to_env(), "PYTHONUNBUFFERED": "1"},
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stdout is not None
    out = proc.stdout
    threading.Thread(target=lambda: lines.put(out.readline()), daemon=True).start()
    try:
        url = lines.get(timeout=timeout).strip()
    except queue.Empty:
        url = ""
    if not url:
        proc.kill()
        proc.wait()
        log.close()
        tail = log_path.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"the emulator did not start; see {log_path}:\n{tail}")

    def stop() -> None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        out.close()
        log.close()

    return EmulatorHandle(url, cfg, ca_cert, stop)
