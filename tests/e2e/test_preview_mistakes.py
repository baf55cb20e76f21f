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

SNAPSHOTS = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-aks-snapshots"

PROGRAM = f'''
import pulumi

from pulumi_dataprotection import BackupInstance, BackupPolicy, BackupVault
from pulumi_dataprotection.policy.builders import (
    Retention,
    Schedule,
    TaggedRetention,
    adls_policy,
    aks_policy,
    blob_vaulted_policy,
    first_of,
)

mistake = pulumi.Config().require("mistake")
vault = BackupVault(
    "vault",
    resource_group_name="rg-mistakes",
    location="westeurope",
    redundancy="LocallyRedundant",
    identity_type="SystemAssigned",
    soft_delete_state="Off" if mistake == "soft-delete-off" else "AlwaysOn",
)
aks = BackupPolicy("aks", vault_id=vault.arm_id, **aks_policy(Schedule.hourly(4), Retention("P7D")))
blob = BackupPolicy("blob", vault_id=vault.arm_id, **blob_vaulted_policy(Schedule.daily("01:00"), Retention("P30D")))
adls = BackupPolicy("adls", vault_id=vault.arm_id, **adls_policy(Schedule.daily("02:00"), Retention("P30D")))


def aks_instance(name, policy, cluster="{cluster_id(0)}", owner=vault, **extra):
    args = dict(datasource_location="westeurope", snapshot_resource_group_id="{SNAPSHOTS}") | extra
    return BackupInstance(
        name, vault_id=owner.arm_id, policy_id=policy.arm_id, datasource_kind="aks", datasource_id=cluster, **args
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
# Mistakes a resource's one check reports together (the engine stops at the first resource whose check fails): a
# cluster in another region protected by a vault without identity; AKS parameters Kubernetes cannot read; a policy
# keeping backups shorter than its schedule, past AKS's 360-day operational maximum, with a short vault copy.
if mistake == "vault-mismatch":
    bare = BackupVault(
        "bare",
        resource_group_name="rg-mistakes",
        location="westeurope",
        redundancy="LocallyRedundant",
        identity_type="None",
        soft_delete_state="AlwaysOn",
    )
    bare_aks = BackupPolicy("bare-aks", vault_id=bare.arm_id, **aks_policy(Schedule.hourly(4), Retention("P7D")))
    aks_instance("aks-away", bare_aks, "{cluster_id(1)}", owner=bare, datasource_location="eastus")
if mistake == "aks-parameters":
    aks_instance("aks-params", aks, "{cluster_id(2)}", included_namespaces=["Shop_NS"], label_selectors=["app in (a,b"])
if mistake == "retention":
    daily = TaggedRetention("Daily", "P2Y", first_of("day"), vault_copy_keep_for="P7D")
    short = aks_policy(Schedule.weekly(["Sunday"]), Retention("P1D"), tagged=[daily])
    BackupPolicy("retention", vault_id=vault.arm_id, **short)
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


PROTECTION_MISTAKES = {
    "vault-mismatch": [
        ("BackupInstance resource 'aks-away'", "property vault_id ", "VaultMSIUnauthorized"),
        ("BackupInstance resource 'aks-away'", "property datasource_location ", "the vault is in westeurope"),
    ],
    "aks-parameters": [
        ("BackupInstance resource 'aks-params'", "included_namespaces[0]", "Kubernetes namespace name"),
        ("BackupInstance resource 'aks-params'", "label_selectors[0]", "'(' that is not closed"),
    ],
    "retention": [
        ("BackupPolicy resource 'retention'", "policy_rules[1].lifecycles[0].delete_after", "every 1 week"),
        ("BackupPolicy resource 'retention'", "policy_rules[2].lifecycles[0].delete_after", "at most 360 days"),
        ("BackupPolicy resource 'retention'", "policy_rules[2].lifecycles[1].delete_after", "VaultStore copy 7 days"),
    ],
}
"""Per stack, the mistakes one resource's check reports together: (resource, property, what the message says)."""


@pytest.mark.parametrize("mistake", list(PROTECTION_MISTAKES))
def test_protection_mistakes_fail_preview_naming_each_property_and_send_nothing(
    dp: EmulatorHandle, tmp_path: Path, engine_bin: Path, mistake: str
) -> None:
    project = write_project(tmp_path / "project", PROGRAM, name="e2e-mistakes")
    config = {"dataprotection:subscriptionId": SUBSCRIPTION, "e2e-mistakes:mistake": mistake}
    stack = new_stack(project, tmp_path / "pulumi-state", engine_bin, mistake, config, dp)

    preview = stack.preview(check=False)

    assert not preview.ok, preview
    missing = [
        (resource, named)
        for resource, named, says in PROTECTION_MISTAKES[mistake]
        if not any(resource in e and named in e and says in e for e in preview.errors)
    ]
    assert not missing, f"not reported: {missing}; errors: {preview.errors}"
    assert dp.writes() == [], short(dp.writes())
