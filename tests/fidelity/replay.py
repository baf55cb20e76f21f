"""Replay: each recording's Microsoft.DataProtection requests, in order, against a fresh in-process emulator.

Per recording: an emulator on an in-memory store whose clock is frozen at the recording's start (it moves only
through ``POST /_emulator/clock``, by the time between two recorded answers, or 10 s before each request of the SDK
recordings, which kept no dates: their Retry-After); the seeder's resources created first; then every request
sent with generated ids translated (`IdMap`), at its recorded api-version when the emulator serves it (else at the
newest one it serves), and its answer classified (`compare.classify`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from pulumi_dataprotection.emulator.app import EmulatorApp
from pulumi_dataprotection.emulator.config import EmulatorConfig
from pulumi_dataprotection.emulator.store import Store
from tests.fidelity import seed
from tests.fidelity.asgi import AsgiClient
from tests.fidelity.compare import Verdict, classify
from tests.fidelity.idmap import IdMap
from tests.fidelity.recordings import Exchange, Recording
from tests.support.spec import Spec

UNDATED_STEP = 10.0
SEED_WINDOW = 2 * 86400.0  # seeded instances take their scheduled backups (recovery points) before the replay
_DEFAULT_START = 1_700_000_000.0
_TOKEN = "fidelity"
_HEADERS = {"Authorization": f"Bearer {_TOKEN}"}


class FrozenStore(Store):
    """A store whose time stands still but for the offset the admin clock endpoint adds."""

    def __init__(self, start: float) -> None:
        super().__init__(":memory:")
        self.start = start

    def now(self) -> float:
        return self.start + float(self.setting("clock_offset", "0"))


@dataclass(frozen=True)
class Outcome:
    """One replayed exchange: where it was recorded, its operation and the verdict."""

    source: str
    file: str
    index: int
    operation: str
    verdict: Verdict


@cache
def _templates() -> list[tuple[str, re.Pattern[str], str]]:
    out = []
    for op_id, op in Spec().operations().items():
        if "{resourceId}" in op.path:
            continue
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(op.path))
        out.append((op.method, re.compile(f"^{pattern}$", re.I), op_id))
    return out


def operation_name(method: str, path: str) -> str:
    """The spec's operationId of a request, else the method and the path's resource types."""
    for m, pattern, op_id in _templates():
        if m == method and pattern.match(path):
            return op_id
    parts = path.split("/")
    tail = parts[parts.index("Microsoft.DataProtection") + 1 :] if "Microsoft.DataProtection" in parts else parts
    scope = "RG" if "resourceGroups" in parts else "SUB"
    return f"{method} {scope}/" + "/".join(p if i % 2 == 0 else "{}" for i, p in enumerate(tail))


class Emulator:
    """A fresh emulator for one recording, driven through its ASGI application."""

    def __init__(self, start: float, versions: set[str]) -> None:
        config = EmulatorConfig(token=_TOKEN, accept_any_token=True, lro_profile="azure", azure_job_durations=True)
        self.app = EmulatorApp(config, FrozenStore(start))
        self.client = AsgiClient(self.app.app)
        self.seed_errors: list[str] = []
        health = json.loads(self.client.request("GET", "/_emulator/health", {}, headers=_HEADERS)[2])
        self.versions: list[str] = sorted(health.get("apiVersions") or [health["apiVersion"]])
        if not versions <= set(self.versions):
            # Requests of versions the emulator does not serve go at its newest one, whose soft-delete rule
            # (AlwaysOn required) those versions did not have: the emulator's switch for that rule is turned off.
            self.close()
            config.allow_reversible_soft_delete = True
            self.app = EmulatorApp(config, FrozenStore(start))
            self.client = AsgiClient(self.app.app)

    def close(self) -> None:
        self.client.close()
        self.app.store.close()

    def advance(self, seconds: float) -> None:
        if seconds > 0:
            self.client.request("POST", "/_emulator/clock", {}, {"advanceSeconds": seconds}, _HEADERS)

    def version(self, recorded: str) -> str:
        return recorded if recorded in self.versions else self.versions[-1]

    def send(self, method: str, path: str, query: dict[str, str], body: Any) -> tuple[int, dict[str, str], Any]:
        status, headers, raw = self.client.request(method, path, query, body, _HEADERS)
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = raw.decode("utf-8", "replace")
        return status, headers, data


def _seed(emulator: Emulator, recording: Recording, version: str) -> None:
    for sub, rg, location in seed.groups(recording):
        payload = {"subscriptionId": sub, "name": rg, "location": location}
        emulator.client.request("POST", "/_emulator/resource-groups", {}, payload, _HEADERS)
    for kind, rid, body in seed.needed(recording):
        if body is None and kind != "vault":
            continue
        data = seed.put_body(kind, body) if body else {**_DEFAULT_VAULT, "location": seed.location_of(recording)}
        status, _, answer = emulator.send("PUT", rid, {"api-version": version}, data)
        if status >= 400:
            emulator.seed_errors.append(f"seeding {kind} {rid.rsplit('/', 1)[1]}: {status} {_error_text(answer)}")
        if kind in ("vault", "instance"):
            emulator.advance(600)
        action = _STATE_ACTIONS.get(seed.protection_state(body)) if kind == "instance" else None
        if action:  # the recording found it stopped or suspended
            emulator.send("POST", f"{rid}/{action}", {"api-version": version}, {})
            emulator.advance(600)


_STATE_ACTIONS = {"ProtectionStopped": "stopProtection", "BackupsSuspended": "suspendBackups"}


def _error_text(body: Any) -> str:
    error = body.get("error") if isinstance(body, dict) else None
    return f"{error.get('code')}: {error.get('message')}" if isinstance(error, dict) else str(body)[:200]


_DEFAULT_VAULT = {
    "location": "eastus",
    "identity": {"type": "SystemAssigned"},
    "properties": {"storageSettings": [{"datastoreType": "VaultStore", "type": "LocallyRedundant"}]},
}


def replay(recording: Recording, seed_errors: list[str] | None = None) -> list[Outcome]:
    """Replay one recording against a fresh emulator and classify every Microsoft.DataProtection exchange; the
    seeds the emulator refused are added to ``seed_errors``."""
    exchanges = recording.dataprotection
    if not exchanges:
        return []
    start = next((e.time for e in exchanges if e.time is not None), _DEFAULT_START)
    earliest = seed.history(recording)
    window = SEED_WINDOW if earliest is None else max(SEED_WINDOW, start - earliest + 3600.0)
    emulator = Emulator(start - window, {e.api_version for e in exchanges})
    try:
        _seed(emulator, recording, emulator.version(exchanges[0].api_version))
        if seed_errors is not None:
            seed_errors += [f"{recording.source}/{recording.name}: {text}" for text in emulator.seed_errors]
        clock = emulator.app.store.now()
        emulator.advance(start - clock)
        ids = IdMap()
        previous = start
        out = []
        for e in exchanges:
            if e.time is None:
                emulator.advance(UNDATED_STEP)
            elif e.time > previous:
                emulator.advance(e.time - previous)
                previous = e.time
            out.append(_exchange(emulator, ids, recording, e))
        return out
    finally:
        emulator.close()


def _exchange(emulator: Emulator, ids: IdMap, recording: Recording, e: Exchange) -> Outcome:
    polling = ids.polling(e.path)
    if polling is not None:
        path, query = polling
    else:
        path = ids.text(e.path)
        query = {k: ids.text(v) for k, v in e.query.items()}
        query["api-version"] = emulator.version(e.api_version)
    for recorded, op_path, op_query in ids.unresolved(e.path):
        ids.learn_job(recorded, emulator.send("GET", op_path, op_query, None)[2])
    status, headers, body = emulator.send(e.method, ids.text(path), query, ids.body(e.request_body))
    ids.learn(e.headers, e.body, headers, body, (path, query))
    verdict = classify(e.status, e.headers, e.body, status, headers, body)
    if verdict.kind == "differs" and ids.orphan(e.path):
        verdict = Verdict("differs", "polls an operation the emulator did not start (an earlier answer differed)")
    return Outcome(recording.source, recording.name, e.index, operation_name(e.method, e.path), verdict)
