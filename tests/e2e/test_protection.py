"""End to end, protection as state under the real engine, in one stack: the ``protection`` input suspends and
resumes, a suspend made in Azure is drift after a refresh (the preview says what `up` does about it), and an instance
adopted while its protection is stopped stays stopped, through the PUT of a policy change too."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.instance.schema import INSTANCE
from tests.e2e.conftest import new_stack
from tests.e2e.helpers import get_json, short
from tests.e2e.pulumi_stack import Stack
from tests.support.emulator import ArmClient
from tests.support.engine import write_project

pytestmark = pytest.mark.engine

SUBSCRIPTION = "44444444-4444-4444-4444-444444444444"
VAULT = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-prot/providers/Microsoft.DataProtection/backupVaults/bv-prot"
CLUSTERS = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters"
SNAPSHOTS = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-snapshots"
PROGRAM = f"""
import pulumi

from pulumi_dataprotection import BackupInstance, BackupPolicy, BackupVault
from pulumi_dataprotection.policy.builders import Retention, Schedule, aks_policy

config = pulumi.Config()
vault = BackupVault(
    "vault",
    name="bv-prot",
    resource_group_name="rg-prot",
    location="westeurope",
    redundancy="LocallyRedundant",
    identity_type="SystemAssigned",
    soft_delete_state="AlwaysOn",
    soft_delete_retention_days=14,
)
policy = BackupPolicy(
    "aks", vault_id=vault.arm_id, **aks_policy(Schedule.hourly(4), Retention(config.get("retention") or "P7D"))
)
common = dict(
    vault_id=vault.arm_id,
    policy_id=policy.arm_id,
    datasource_kind="aks",
    datasource_location="westeurope",
    snapshot_resource_group_id="{SNAPSHOTS}",
)
shop = BackupInstance("shop", datasource_id="{CLUSTERS}/aks-shop", protection=config.get("protection"), **common)
pulumi.export("shop", shop.current_protection_state)
if config.get_bool("adopt"):
    legacy = BackupInstance(
        "legacy", datasource_id="{CLUSTERS}/aks-legacy", adopt_existing=True, on_delete="Retain", **common
    )
    pulumi.export("legacy", legacy.current_protection_state)
"""


def instance(name: str) -> str:
    return f"{VAULT}/backupInstances/{name}"


def state(arm: ArmClient, name: str) -> str:
    body = get_json(arm, instance(name))
    assert body is not None
    return str(body["properties"]["currentProtectionState"])


def act(arm: ArmClient, name: str, action: str) -> None:
    """An instance action sent outside the stack (the portal, the CLI)."""
    reply = arm.post(f"{instance(name)}/{action}")
    assert reply.status_code == 202, reply.text
    assert arm.wait(reply)["status"] == "Succeeded"


def protect_out_of_band(arm: ArmClient, name: str, policy_id: str) -> None:
    """An instance made outside the stack, with protection configured."""
    inputs: dict[str, Any] = {
        "name": name,
        "vault_id": VAULT,
        "policy_id": policy_id,
        "datasource_kind": "aks",
        "datasource_id": f"{CLUSTERS}/aks-{name}",
        "datasource_location": "westeurope",
        "snapshot_resource_group_id": SNAPSHOTS,
    }
    created = arm.put(instance(name), INSTANCE.to_rest(inputs))
    assert created.status_code in (201, 202), created.text
    assert arm.wait(created)["status"] == "Succeeded"
    deadline = time.monotonic() + 10
    while state(arm, name) != "ProtectionConfigured":
        assert time.monotonic() < deadline, state(arm, name)
        time.sleep(0.1)


def actions(dp: EmulatorHandle, since: int) -> list[str]:
    """The instance writes after ``since``: method, instance name and action."""
    return [
        f"{e['method']} {e['path'].split('/backupInstances/')[1]}"
        for e in dp.writes(since)
        if "/backupInstances/" in e["path"]
    ]


def seq(dp: EmulatorHandle) -> int:
    log = dp.request_log()
    return int(log[-1]["seq"]) if log else 0


@pytest.fixture
def stack(dp: EmulatorHandle, tmp_path: Path, engine_bin: Path) -> Stack:
    project = write_project(tmp_path / "project", PROGRAM, name="e2e-protection")
    config = {"dataprotection:subscriptionId": SUBSCRIPTION, "e2e-protection:protection": "suspended"}
    return new_stack(project, tmp_path / "pulumi-state", engine_bin, "protection", config, dp)


def test_suspend_resume_drift_and_a_stopped_instance_adopted_through_a_policy_change(
    stack: Stack, dp: EmulatorHandle, arm: ArmClient
) -> None:
    since = seq(dp)
    stack.up()
    assert actions(dp, since) == ["PUT shop", "POST shop/suspendBackups"], short(dp.writes(since))
    assert stack.outputs()["shop"] == "BackupsSuspended"

    stack.set_config("e2e-protection:protection", "configured")
    since = seq(dp)
    resumed = stack.up()
    assert resumed.changes() == {"update": 1} and resumed.step("BackupInstance", "shop").changed == ("protection",)
    assert actions(dp, since) == ["POST shop/resumeBackups"], short(dp.writes(since))
    assert state(arm, "shop") == "ProtectionConfigured"

    # Outside the stack: the shop's backups are suspended; another instance is made and its protection stopped.
    act(arm, "shop", "suspendBackups")
    policy_id = _policy_id(stack)
    protect_out_of_band(arm, "legacy", policy_id)
    act(arm, "legacy", "stopProtection")
    refreshed = stack.refresh()
    assert refreshed.changes() == {"update": 1}, refreshed

    stack.set_config("e2e-protection:adopt", True)
    stack.set_config("e2e-protection:retention", "P14D")  # a new policy version: every instance moves to it
    preview = stack.preview()
    assert "protection" in preview.step("BackupInstance", "shop", op="update").changed, preview
    assert (
        "protection is suspended (BackupsSuspended when last read from Azure) and configured in the program: `up` "
        "resumes its backups (resumeBackups)" in preview.output
    ), preview.output
    assert "its protection is ProtectionStopped in Azure: `up` keeps it stopped" in preview.output, preview.output

    since = seq(dp)
    stack.up()
    done = actions(dp, since)
    assert done.index("POST shop/resumeBackups") < done.index("PUT shop"), done
    assert done[done.index("PUT legacy") + 1] == "POST legacy/stopProtection", done
    assert "POST legacy/resumeProtection" not in done and "POST legacy/resumeBackups" not in done, done
    assert (state(arm, "shop"), state(arm, "legacy")) == ("ProtectionConfigured", "ProtectionStopped")
    assert stack.outputs()["legacy"] == "ProtectionStopped"
    assert stack.preview("--expect-no-changes").changes() == {}


def _policy_id(stack: Stack) -> str:
    for resource in stack.resources():
        if resource["type"].endswith(":BackupPolicy"):
            return str(resource["outputs"]["arm_id"])
    raise AssertionError("no policy in the stack")
