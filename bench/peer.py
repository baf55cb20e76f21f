"""The peer: the same creates and deletes done by a sequential script with the official azure-mgmt-dataprotection
SDK and its own pollers, against an emulator over TLS.

The request bodies are the ones our provider sent (taken from the emulator's request log of our run), so both
sides create exactly the same vaults, policies and instances. Per instance the script does what the
BackupInstance resource does: ``validateForBackup``, the PUT, then it reads the instance until its protection is
configured (the SDK has no poller for that; it reads every ``protection_poll`` seconds). Deletes go instances,
then policies, then vaults, like ``pulumi destroy``.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from azure.mgmt.dataprotection import DataProtectionMgmtClient
from azure.mgmt.dataprotection import models as m

from bench.programs import SUBSCRIPTION
from pulumi_dataprotection.emulator import API_VERSION, EmulatorCredential, EmulatorHandle

Entry = dict[str, Any]
SDK_DEFAULT_POLLING_INTERVAL = 30.0
"""``polling_interval`` of DataProtectionMgmtClient when none is given (azure-core sleeps this long between status
checks whose response carries no Retry-After)."""


@dataclass(frozen=True)
class Target:
    """Where a recorded request went: resource group, vault and (for children) the child's name."""

    group: str
    vault: str
    child: str | None = None

    @classmethod
    def parse(cls, path: str) -> Target:
        """From ``/subscriptions/s/resourceGroups/g/providers/Microsoft.DataProtection/backupVaults/v[/kind/name]``."""
        parts = path.strip("/").split("/")
        lowered = [p.lower() for p in parts]
        group = parts[lowered.index("resourcegroups") + 1]
        vault = parts[lowered.index("backupvaults") + 1]
        tail = parts[lowered.index("backupvaults") + 2 :]
        return cls(group, vault, tail[1] if len(tail) >= 2 else None)


@dataclass
class Plan:
    """The creates to replay, in the order our run sent them."""

    vaults: list[tuple[Target, Entry]] = field(default_factory=list)
    policies: list[tuple[Target, Entry]] = field(default_factory=list)
    validations: dict[str, Entry] = field(default_factory=dict)
    instances: list[tuple[Target, Entry]] = field(default_factory=list)

    @classmethod
    def from_log(cls, log: Sequence[Entry]) -> Plan:
        """The successful PUTs (and each instance's validateForBackup body) of a request log."""
        plan = cls()
        for entry in log:
            path, method, ok = entry["path"], entry["method"], entry["status"] < 300
            lowered = path.lower()
            if not ok or method not in ("PUT", "POST"):
                continue
            if method == "POST" and lowered.endswith("/validateforbackup"):
                body = entry["body"]
                source = body["backupInstance"]["dataSourceInfo"]["resourceID"].lower()
                plan.validations[source] = body
            elif method == "PUT" and "/backuppolicies/" in lowered:
                plan.policies.append((Target.parse(path), entry["body"]))
            elif method == "PUT" and "/backupinstances/" in lowered:
                plan.instances.append((Target.parse(path), entry["body"]))
            elif method == "PUT" and lowered.rstrip("/").rsplit("/", 2)[-2] == "backupvaults":
                plan.vaults.append((Target.parse(path), entry["body"]))
        return plan


@dataclass
class PeerRun:
    """Wall time of the creates and of the deletes, and the seconds of every step by kind."""

    polling_interval: float | None
    create_seconds: float = 0.0
    delete_seconds: float = 0.0
    steps: dict[str, list[float]] = field(default_factory=dict)

    @contextmanager
    def step(self, kind: str) -> Iterator[None]:
        """Record the duration of the block under ``kind``."""
        started = time.monotonic()
        yield
        self.steps.setdefault(kind, []).append(time.monotonic() - started)

    def mean_step(self, kind: str) -> float:
        """Mean seconds of one ``kind`` step (0 when none ran)."""
        values = self.steps.get(kind) or []
        return statistics.fmean(values) if values else 0.0

    def extrapolate(self, vaults: int, policies: int, instances: int) -> float:
        """Seconds the same sequential script would take for another stack size (steps are additive)."""
        per_vault = self.mean_step("vault create") + self.mean_step("vault delete")
        per_policy = self.mean_step("policy create") + self.mean_step("policy delete")
        per_instance = sum(
            self.mean_step(k) for k in ("validate", "instance create", "protection wait", "instance delete")
        )
        return vaults * per_vault + policies * per_policy + instances * per_instance


PURGE_SECONDS = 15 * 86400
"""A vault holds its soft-deleted instances for its soft delete retention (14 days by default) and cannot be deleted
before they are purged, on Azure as on the emulator: the emulator's clock moves past it before the vaults go (the
move itself takes no time), as ``pulumi destroy``'s second run does in ``bench/run.py``."""


def client_for(handle: EmulatorHandle, polling_interval: float | None) -> DataProtectionMgmtClient:
    """An SDK client of ``handle`` (TLS, its CA certificate, its token); ``None`` keeps the SDK's polling default."""
    if handle.ca_cert is None:
        raise ValueError("the peer needs an emulator started with tls=True")
    extra: dict[str, Any] = {} if polling_interval is None else {"polling_interval": polling_interval}
    return DataProtectionMgmtClient(
        EmulatorCredential(handle.token),
        SUBSCRIPTION,
        base_url=handle.url,
        api_version=API_VERSION,
        connection_verify=str(handle.ca_cert),
        **extra,
    )


def run_peer(handle: EmulatorHandle, plan: Plan, *, polling_interval: float | None, protection_poll: float) -> PeerRun:
    """Replay ``plan`` sequentially with the SDK, then delete everything; return the timings."""
    client = client_for(handle, polling_interval)
    run = PeerRun(polling_interval)
    started = time.monotonic()
    for target, body in plan.vaults:
        with run.step("vault create"):
            vault = m.BackupVaultResource(body)
            client.backup_vaults.begin_create_or_update(target.group, target.vault, vault).result()
    for target, body in plan.policies:
        with run.step("policy create"):
            client.backup_policies.create_or_update(
                target.group, target.vault, str(target.child), m.BaseBackupPolicyResource(body)
            )
    for target, body in plan.instances:
        request = plan.validations[body["properties"]["dataSourceInfo"]["resourceID"].lower()]
        with run.step("validate"):
            client.backup_instances.begin_validate_for_backup(
                target.group, target.vault, m.ValidateForBackupRequest(request)
            ).result()
        with run.step("instance create"):
            client.backup_instances.begin_create_or_update(
                target.group, target.vault, str(target.child), m.BackupInstanceResource(body)
            ).result()
        with run.step("protection wait"):
            _wait_protected(client, target, protection_poll)
    run.create_seconds = time.monotonic() - started
    started = time.monotonic()
    for target, _ in plan.instances:
        with run.step("instance delete"):
            client.backup_instances.begin_delete(target.group, target.vault, str(target.child)).result()
    for target, _ in plan.policies:
        with run.step("policy delete"):
            client.backup_policies.delete(target.group, target.vault, str(target.child))
    handle.advance_clock(PURGE_SECONDS)
    for target, _ in plan.vaults:
        with run.step("vault delete"):
            client.backup_vaults.begin_delete(target.group, target.vault).result()
    run.delete_seconds = time.monotonic() - started
    client.close()
    return run


def _wait_protected(client: DataProtectionMgmtClient, target: Target, every: float, limit: float = 600.0) -> None:
    deadline = time.monotonic() + limit
    while True:
        found = client.backup_instances.get(target.group, target.vault, str(target.child))
        state = found.properties.current_protection_state if found.properties is not None else None
        if state == "ProtectionConfigured":
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"backup instance {target.child} is still {state} after {limit:.0f}s")
        time.sleep(every)
