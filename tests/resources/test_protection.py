"""Protection as state: the ``protection`` input (configured, suspended, stopped) and its actions, drift of a change
made in Azure after a refresh, adoption of a stopped instance that is never resumed unasked (not even by the PUT of
an unrelated change), this stack's suspended instance taken back with resumeBackups, and the newest recovery point
as outputs that a refresh updates."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pulumi
import pytest

from pulumi_dataprotection import lookups
from pulumi_dataprotection.cli.import_estate import VaultEstate, render_program, report_of
from pulumi_dataprotection.dynamic import engine, program
from pulumi_dataprotection.dynamic.adoption import ADOPTION, OWNER_KEY
from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.instance import protection as instance_protection
from pulumi_dataprotection.instance import resource as instance_resource
from pulumi_dataprotection.instance.resource import InstanceProvider
from pulumi_dataprotection.instance.schema import INSTANCE, protection_of
from pulumi_dataprotection.policy.resource import PolicyProvider
from pulumi_dataprotection.vault.resource import VaultProvider
from tests.resources.conftest import stack_config
from tests.resources.helpers import checked, instance_inputs, policy_inputs, up, update, vault_inputs
from tests.support.emulator import ArmClient


class Env:
    """A vault with two AKS policies, the instance provider and what it logged."""

    def __init__(self, handle: EmulatorHandle, warnings: list[str]) -> None:
        self.handle = handle
        self.warnings = warnings
        self.vault_id, _ = up(VaultProvider(), vault_inputs())
        self.policy_id, _ = up(PolicyProvider(), policy_inputs(self.vault_id))
        self.other_policy_id, _ = up(PolicyProvider(), policy_inputs(self.vault_id, prefix="aks-other"))
        self.provider = InstanceProvider()

    def inputs(self, **extra: Any) -> dict[str, Any]:
        return instance_inputs(self.vault_id, self.policy_id, **extra)

    def since(self) -> int:
        return int(self.handle.request_log()[-1]["seq"])

    def actions(self, since: int) -> list[str]:
        """The writes after ``since``: method and last path segment."""
        return [f"{w['method']} {w['path'].rsplit('/', 1)[-1]}" for w in self.handle.writes(since)]

    def out_of_band(self, action: str, name: str = "bi-1") -> None:
        """POST an instance action the way another tool would (outside the stack)."""
        client = ArmClient(self.handle)
        reply = client.post(f"{self.vault_id}/backupInstances/{name}/{action}")
        assert reply.status_code == 202, reply.text
        assert client.wait(reply)["status"] == "Succeeded"

    def refresh(self, id_: str, outs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        """``pulumi refresh``: (outputs, inputs) as read from Azure."""
        read = self.provider.read(id_, outs)
        assert read.outs is not None and read.inputs is not None
        return read.outs, read.inputs


@pytest.fixture
def env(configured: EmulatorHandle, monkeypatch: pytest.MonkeyPatch) -> Iterator[Env]:
    seen: list[str] = []
    monkeypatch.setattr(engine, "preview_warning", seen.append)
    monkeypatch.setattr(instance_resource, "preview_warning", seen.append)
    monkeypatch.setattr(instance_protection, "preview_warning", seen.append)
    yield Env(configured, seen)


def test_protection_of_each_azure_state() -> None:
    assert [protection_of(s) for s in ("ProtectionConfigured", "ConfiguringProtection", "ProtectionError")] == [
        "configured"
    ] * 3
    assert protection_of("BackupsSuspended") == protection_of("BackupSchedulesSuspended") == "suspended"
    assert protection_of("protectionstopped") == "stopped"
    assert protection_of("SoftDeleted") is None is protection_of(None)
    (failure,) = [f for f in INSTANCE.check({"protection": "paused"}).failures if f.property == "protection"]
    assert failure.reason.startswith("protection must be one of configured, suspended, stopped")


def test_the_input_suspends_resumes_and_stops_with_a_warning_per_change(env: Env) -> None:
    since = env.since()
    id_, outs = up(env.provider, env.inputs(protection="suspended"))
    assert env.actions(since) == ["PUT bi-1", "POST suspendBackups"]
    assert outs["protection"] == "suspended" and outs["current_protection_state"] == "BackupsSuspended"

    since = env.since()
    outs = update(env.provider, id_, outs, env.inputs(protection="configured"))
    assert env.actions(since) == ["POST resumeBackups"], "no PUT: nothing else changed"
    assert outs["current_protection_state"] == "ProtectionConfigured"
    assert (
        "protection is suspended (BackupsSuspended when last read from Azure) and configured in the program"
        in (env.warnings[-1])
    )
    assert "`up` resumes its backups (resumeBackups)" in env.warnings[-1]

    outs = update(env.provider, id_, outs, env.inputs(protection="stopped"))
    assert outs["current_protection_state"] == "ProtectionStopped"
    assert "every existing one is kept for ever" in env.warnings[-1]
    since = env.since()
    outs = update(env.provider, id_, outs, env.inputs())  # protection unset: an instance this stack created
    assert env.actions(since) == ["POST resumeProtection"]
    assert outs["protection"] == "configured" and "set protection='stopped' to keep it stopped" in env.warnings[-1]


def test_a_suspend_made_in_azure_is_drift_after_a_refresh(env: Env) -> None:
    id_, outs = up(env.provider, env.inputs())
    env.out_of_band("suspendBackups")
    news = checked(env.provider, env.inputs(), outs)
    assert env.provider.diff(id_, outs, news).changes is False, "the state has not seen it yet"

    outs, olds = env.refresh(id_, outs)
    assert outs["protection"] == "suspended" and outs["current_protection_state"] == "BackupsSuspended"
    news = checked(env.provider, env.inputs(), olds)
    assert env.provider.diff(id_, outs, news).changes is True
    assert "`up` resumes its backups (resumeBackups)" in env.warnings[-1]

    kept = checked(env.provider, env.inputs(protection="suspended"), olds)
    assert env.provider.diff(id_, outs, kept).changes is False, "the program may accept Azure's state"


def test_a_stopped_instance_adopted_without_the_input_stays_stopped_through_a_policy_change(env: Env) -> None:
    up(env.provider, env.inputs(on_delete="Retain"))
    env.out_of_band("stopProtection")
    adopt = {"adopt_existing": True, "on_delete": "Retain"}

    program.forget()
    planned = env.provider.check({}, {**env.inputs(**adopt), OWNER_KEY: "another-stack"})
    assert planned.failures == []
    assert "its protection is ProtectionStopped in Azure: `up` keeps it stopped" in planned.inputs[ADOPTION]
    assert "ProtectionStopped" in env.warnings[-1]
    since = env.since()
    result = env.provider.create(planned.inputs)
    assert env.handle.writes(since) == [], "adopted as it is: nothing written"
    outs = dict(result.outs or {})
    assert outs["protection"] == "stopped"

    since = env.since()
    moved = instance_inputs(env.vault_id, env.other_policy_id, **adopt)
    outs = update(env.provider, result.id, outs, moved)
    assert env.actions(since) == ["PUT bi-1", "POST stopProtection"]
    assert outs["current_protection_state"] == "ProtectionStopped" and outs["policy_id"] == env.other_policy_id
    assert "so `up` sends stopProtection right after it to keep the instance stopped" in env.warnings[-1]


def test_this_stacks_suspended_instance_is_taken_back_with_resume_backups(env: Env) -> None:
    id_, outs = up(env.provider, env.inputs(on_delete="Suspend"))
    env.provider.delete(id_, outs)  # removed from the program: its backups are suspended, it stays in Azure

    program.forget()
    planned = env.provider.check({}, {**env.inputs(on_delete="Suspend"), OWNER_KEY: "test-owner"})
    assert planned.failures == []
    summary = planned.inputs[ADOPTION]
    assert summary.startswith("takes back this stack's instance, left BackupsSuspended by an earlier destroy")
    assert "`up` resumes its backups (resumeBackups)" in summary and "interrupted create" not in summary
    since = env.since()
    outs = dict(env.provider.create(planned.inputs).outs or {})
    actions = env.actions(since)
    assert actions.index("POST resumeBackups") < actions.index("PUT bi-1")
    assert outs["current_protection_state"] == "ProtectionConfigured"


def test_a_state_written_before_the_input_shows_no_change(env: Env) -> None:
    id_, outs = up(env.provider, env.inputs())
    legacy = {k: v for k, v in outs.items() if k != "protection"}
    news = checked(env.provider, env.inputs(), legacy)
    assert env.provider.diff(id_, legacy, news).changes is False


def test_the_newest_recovery_point_is_an_output_a_refresh_updates(env: Env) -> None:
    id_, outs = up(env.provider, env.inputs())
    assert outs["newest_recovery_point_time"] is None is outs["newest_recovery_point_id"]
    env.handle.advance_clock(9 * 3600)  # the policy backs up every 4 hours
    outs, _ = env.refresh(id_, outs)
    points = ArmClient(env.handle).get(f"{id_}/recoveryPoints").json()["value"]
    newest = max(points, key=lambda p: p["properties"]["recoveryPointTime"])
    assert outs["newest_recovery_point_id"] == newest["properties"]["recoveryPointId"]
    assert outs["newest_recovery_point_time"] == newest["properties"]["recoveryPointTime"][:19] + "Z"


def test_import_writes_the_protection_azure_has(env: Env) -> None:
    """The program `import` writes says protection='stopped' for a stopped instance, so adopting it never resumes
    it, and a later resume outside the stack is drift."""
    up(env.provider, env.inputs(on_delete="Retain"))
    env.out_of_band("stopProtection")
    pulumi.runtime.set_all_config({k: str(v) for k, v in stack_config(env.handle).items()})
    try:
        vault, instances = lookups.get_backup_vault(env.vault_id), lookups.get_backup_instances(env.vault_id)
    finally:
        pulumi.runtime.set_all_config({})
    estate = VaultEstate(vault, [], instances, [])
    assert estate.instances[0].inputs["protection"] == "stopped"
    program = render_program([estate], "Retain", report_of([estate]))
    assert "    protection='stopped',\n" in program
