"""End to end, mistakes that only a look across the resources of one program (or at the API version) can find fail
at preview: the error names the resource and the property, and nothing is written to Azure."""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_dataprotection.emulator import EmulatorHandle
from tests.e2e.conftest import new_stack
from tests.e2e.helpers import short
from tests.e2e.preview_program import STORAGE_ACCOUNT
from tests.e2e.programs import SUBSCRIPTION, cluster_id
from tests.support.engine import write_project

pytestmark = pytest.mark.engine

PROGRAM = f'''
import pulumi

from pulumi_dataprotection import BackupInstance, BackupPolicy, BackupVault
from pulumi_dataprotection.policy.builders import Retention, Schedule, adls_policy, aks_policy, blob_vaulted_policy

mistake = pulumi.Config().require("mistake")
vault = BackupVault(
    "vault",
    resource_group_name="rg-mistakes",
    location="westeurope",
    redundancy="LocallyRedundant",
    soft_delete_state="Off" if mistake == "soft-delete-off" else "AlwaysOn",
)
aks = BackupPolicy("aks", vault_id=vault.arm_id, **aks_policy(Schedule.hourly(4), Retention("P7D")))
blob = BackupPolicy("blob", vault_id=vault.arm_id, **blob_vaulted_policy(Schedule.daily("01:00"), Retention("P30D")))
adls = BackupPolicy("adls", vault_id=vault.arm_id, **adls_policy(Schedule.daily("02:00"), Retention("P30D")))


def aks_instance(name, policy):
    return BackupInstance(
        name,
        vault_id=vault.arm_id,
        policy_id=policy.arm_id,
        datasource_kind="aks",
        datasource_id="{cluster_id(0)}",
        datasource_location="westeurope",
        snapshot_resource_group_id="/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-aks-snapshots",
    )


if mistake == "aks-on-blob-policy":
    aks_instance("aks-a", blob)
if mistake == "protected-twice":
    aks_instance("aks-a", aks)
    aks_instance("aks-b", aks)
if mistake in ("blob-without-containers", "adls-without-containers"):
    kind = mistake.split("-")[0]
    BackupInstance(
        "lake",
        vault_id=vault.arm_id,
        policy_id=(blob if kind == "blob" else adls).arm_id,
        datasource_kind=kind,
        datasource_id="{STORAGE_ACCOUNT}",
        datasource_location="westeurope",
    )
'''

CASES = [
    ("aks-on-blob-policy", "BackupInstance resource 'aks-a'", "property policy_id "),
    # Whichever of the two instances is checked second fails (the engine checks them concurrently).
    ("protected-twice", "BackupInstance resource 'aks-", "property datasource_id "),
    ("blob-without-containers", "BackupInstance resource 'lake'", "property containers "),
    ("adls-without-containers", "BackupInstance resource 'lake'", "property containers "),
    ("soft-delete-off", "BackupVault resource 'vault'", "property soft_delete_state "),
]


@pytest.mark.parametrize(("mistake", "resource", "named"), CASES, ids=[c[0] for c in CASES])
def test_a_mistake_across_resources_fails_preview_naming_the_property_and_sends_nothing(
    dp: EmulatorHandle, tmp_path: Path, engine_bin: Path, mistake: str, resource: str, named: str
) -> None:
    project = write_project(tmp_path / "project", PROGRAM, name="e2e-mistakes")
    config = {"dataprotection:subscriptionId": SUBSCRIPTION, "e2e-mistakes:mistake": mistake}
    stack = new_stack(project, tmp_path / "pulumi-state", engine_bin, mistake, config, dp)

    preview = stack.preview(check=False)

    assert not preview.ok, preview
    matching = [e for e in preview.errors if resource in e and named in e]
    assert matching, f"no error names {resource} and {named!r}: {preview.errors}"
    assert dp.writes() == [], short(dp.writes())
