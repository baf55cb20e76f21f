"""End to end, explicit adoption under the real engine: a matching empty vault made outside the stack is refused at
preview (the error names the input), adopted without a write once the program says so, and left in Azure by
destroy when ``on_delete`` says Retain."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_dataprotection.emulator import EmulatorHandle
from tests.e2e.conftest import StackFactory, new_stack
from tests.e2e.helpers import get_json, inventory, resource_type, short
from tests.e2e.programs import SUBSCRIPTION as SMALL_SUBSCRIPTION
from tests.e2e.pulumi_stack import Outcome, Stack
from tests.support.emulator import ArmClient
from tests.support.engine import write_project

pytestmark = pytest.mark.engine

SUBSCRIPTION = "33333333-3333-3333-3333-333333333333"
VAULT = (
    f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-adopt/providers/Microsoft.DataProtection/backupVaults/bv-adopt"
)
VAULT_PROGRAM = """
import pulumi

from pulumi_dataprotection import BackupVault

config = pulumi.Config()
vault = BackupVault(
    "vault",
    name="bv-adopt",
    resource_group_name="rg-adopt",
    location="westeurope",
    redundancy="LocallyRedundant",
    soft_delete_state="AlwaysOn",
    soft_delete_retention_days=config.get_int("retentionDays") or 14,
    adopt_existing=config.get_bool("adopt"),
    on_delete=config.get("onDelete"),
)
pulumi.export("adoption", vault.adoption)
"""


def make_vault_out_of_band(arm: ArmClient) -> None:
    """The vault as the portal would create it: the program's settings, no tags."""
    body = {
        "location": "westeurope",
        "identity": {"type": "None"},
        "properties": {
            "storageSettings": [{"datastoreType": "VaultStore", "type": "LocallyRedundant"}],
            "securitySettings": {"softDeleteSettings": {"state": "AlwaysOn", "retentionDurationInDays": 14}},
        },
    }
    created = arm.put(VAULT, body)
    assert created.status_code in (200, 201), created.text
    if "Azure-AsyncOperation" in created.headers:
        assert arm.wait(created)["status"] == "Succeeded"


def planned_adoption(preview: Outcome, name: str = "vault") -> str:
    """The ``adoption`` value a preview shows for the create of resource ``name``."""
    for step in json.loads(preview.stdout)["steps"]:
        if step["urn"].endswith(f"::{name}"):
            return str(step["newState"]["inputs"].get("adoption"))
    raise AssertionError(f"no step for {name}")


def vault_stack(tmp_path: Path, engine_bin: Path, dp: EmulatorHandle, name: str) -> Stack:
    project = write_project(tmp_path / name / "project", VAULT_PROGRAM, name="e2e-adopt")
    config = {"dataprotection:subscriptionId": SUBSCRIPTION}
    return new_stack(project, tmp_path / name / "pulumi-state", engine_bin, name, config, dp)


def test_a_matching_empty_vault_is_refused_at_preview_then_adopted_without_a_write_and_retained(
    dp: EmulatorHandle, arm: ArmClient, tmp_path: Path, engine_bin: Path
) -> None:
    make_vault_out_of_band(arm)
    stack = vault_stack(tmp_path, engine_bin, dp, "adopt-vault")
    dp.clear_request_log()

    refused = stack.preview(check=False)
    assert not refused.ok, refused
    error = "\n".join(refused.errors) or refused.output
    assert "adopt_existing" in error and "was not created by this stack" in error, refused
    refused_up = stack.up(check=False)
    assert not refused_up.ok and "adopt_existing" in refused_up.output, refused_up
    assert dp.writes() == [], short(dp.writes())

    stack.set_config("e2e-adopt:adopt", True)
    missing = stack.preview(check=False)
    assert not missing.ok and "needs an explicit on_delete" in missing.output, missing

    stack.set_config("e2e-adopt:onDelete", "Retain")
    stack.set_config("e2e-adopt:retentionDays", 30)
    planned = stack.preview()
    assert planned.step("BackupVault", "vault").op == "create", planned
    assert "soft_delete_retention_days: 14 in Azure -> 30 in the program" in planned_adoption(planned), planned
    stack.set_config("e2e-adopt:retentionDays", 14)

    adopted = stack.up()
    assert adopted.step("BackupVault", "vault").op == "create", adopted
    assert dp.writes() == [], short(dp.writes())
    assert "nothing is written" in stack.outputs()["adoption"]
    resource = next(r for r in stack.resources() if r["type"].endswith("BackupVault"))
    assert resource["outputs"]["on_delete"] == "Retain" and resource["outputs"]["adopt_existing"] is True

    again = stack.preview("--expect-no-changes")
    assert again.changes() == {}, again

    stack.destroy()
    assert dp.writes() == [], short(dp.writes())
    assert get_json(arm, VAULT) is not None, "on_delete=Retain left the adopted vault in Azure"


ESTATE_GROUP = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-legacy"
ESTATE_VAULT = f"{ESTATE_GROUP}/providers/Microsoft.DataProtection/backupVaults/bv-legacy"


def make_estate_out_of_band(dp: EmulatorHandle) -> None:
    """A vault, 3 policies of different datasources and 4 instances made by another tool (no owner marker): aks-ok,
    aks-broken (in ProtectionError), disk-ok, and adls-gone (soft-deleted, so its policy is unused)."""
    from pulumi_dataprotection import config as config_module
    from pulumi_dataprotection.instance.resource import InstanceProvider
    from pulumi_dataprotection.policy.builders import Retention, Schedule, adls_policy, aks_policy, disk_policy
    from pulumi_dataprotection.policy.resource import PolicyProvider
    from pulumi_dataprotection.vault.resource import VaultProvider

    config_module.set_stack_config(
        {
            "dataprotection:endpoint": dp.url,
            "dataprotection:token": dp.token,
            "dataprotection:subscriptionId": SUBSCRIPTION,
            "dataprotection:pollMinInterval": "0.1",
            "dataprotection:pollMaxInterval": "0.3",
        }
    )

    def make(provider: Any, inputs: dict[str, Any]) -> str:
        result = provider.check({}, {**inputs, "__provider": "another-tool"})
        assert result.failures == [], [f.reason for f in result.failures]
        return str(provider.create(result.inputs).id)

    try:
        vault = make(
            VaultProvider(),
            {
                "name": "bv-legacy",
                "resource_group_name": "rg-legacy",
                "location": "westeurope",
                "redundancy": "LocallyRedundant",
                "soft_delete_state": "AlwaysOn",
                "soft_delete_retention_days": 14,
                "identity_type": "SystemAssigned",
                "tags": {"owner": "platform"},
            },
        )
        policies = {
            "aks": make(PolicyProvider(), {"vault_id": vault, "name": "aks-4h", **aks_policy(Schedule.hourly(4))}),
            "disk": make(PolicyProvider(), {"vault_id": vault, "name": "disk-daily", **disk_policy(Schedule.daily())}),
            "adls": make(
                PolicyProvider(), {"vault_id": vault, "name": "adls-30d", **adls_policy(retention=Retention("P30D"))}
            ),
        }
        instance = InstanceProvider()

        def protect(name: str, kind: str, datasource: str, **extra: Any) -> str:
            inputs = {
                "name": name,
                "vault_id": vault,
                "policy_id": policies[kind],
                "datasource_kind": kind,
                "datasource_id": f"{ESTATE_GROUP}/providers/{datasource}",
                "datasource_location": "westeurope",
                **extra,
            }
            return make(instance, inputs)

        snapshots = {"snapshot_resource_group_id": f"{ESTATE_GROUP}-snapshots"}
        protect("aks-ok", "aks", "Microsoft.ContainerService/managedClusters/aks-ok", **snapshots)
        protect("disk-ok", "disk", "Microsoft.Compute/disks/disk-ok", **snapshots)
        gone = protect("adls-gone", "adls", "Microsoft.Storage/storageAccounts/adlsgone", containers=["raw"])
        instance.delete(gone, {"on_delete": "Delete", "vault_id": vault})
        dp.inject_fault("protection_error", method="PUT", path="backupInstances/aks-broken", count=1, code="UserErrorX")
        with pytest.raises(Exception, match="ProtectionError"):
            protect("aks-broken", "aks", "Microsoft.ContainerService/managedClusters/aks-broken", **snapshots)
    finally:
        config_module.set_stack_config({})


def test_import_writes_a_program_whose_first_up_writes_nothing_then_changes_update_in_place_and_destroy_retains(
    dp: EmulatorHandle, arm: ArmClient, tmp_path: Path, engine_bin: Path
) -> None:
    from pulumi_dataprotection import config as config_module
    from pulumi_dataprotection.cli import main

    make_estate_out_of_band(dp)
    before = inventory(arm, SUBSCRIPTION)
    assert before[ESTATE_VAULT]["deletedBackupInstances"] == ["adls-gone"], before

    project = tmp_path / "imported" / "project"
    args = ["import", "--vault-id", ESTATE_VAULT, "--out", str(project), "--stack", "imported"]
    code = main([*args, "--endpoint", dp.url, "--token", dp.token])
    config_module.set_stack_config({})  # the command keeps its settings for this process
    assert code == 0
    program = (project / "__main__.py").read_text()
    compile(program, "__main__.py", "exec")
    for name in ("aks-ok", "aks-broken", "disk-ok", "aks-4h", "disk-daily", "adls-30d"):
        assert repr(name) in program, name
    for kind in ("aks", "disk", "adls"):
        assert f"**build_policy({kind!r}, schedule=Schedule.custom(" in program, "policies as builder calls"
    assert "'adls-gone'" not in program.split('"""', 2)[2], "a soft-deleted instance is reported, not adopted"
    assert "soft-deleted instances" in program and "bv-legacy/adls-gone" in program
    assert "instances in protection error" in program and "bv-legacy/aks-broken: UserErrorX" in program
    assert "policies no instance uses" in program and "bv-legacy/adls-30d" in program
    config = yaml.safe_load((project / "Pulumi.imported.yaml").read_text())["config"]
    assert config == {"dataprotection:subscriptionId": SUBSCRIPTION, "dataprotection:endpoint": dp.url}

    write_project(project, program, name="e2e-imported")
    stack = new_stack(project, tmp_path / "imported" / "pulumi-state", engine_bin, "imported", config, dp)
    dp.clear_request_log()

    adopted = stack.up()
    assert adopted.summary == {"create": 8}, adopted
    assert dp.writes() == [], short(dp.writes())
    kinds = Counter(r["type"].rsplit(":", 1)[-1] for r in stack.resources() if "dataprotection" in r["type"])
    assert kinds == {"BackupVault": 1, "BackupPolicy": 3, "BackupInstance": 3}, kinds
    assert stack.outputs()["instances"]["aks-broken"] == "ProtectionError"

    again = stack.preview("--expect-no-changes")
    assert again.changes() == {}, again
    assert dp.writes() == [], short(dp.writes())

    changed = program.replace("'owner': 'platform'", "'owner': 'platform', 'cost-center': '42'")
    assert changed != program
    (project / "__main__.py").write_text(changed)
    update = stack.up()
    assert update.changes() == {"update": 1} and update.step("BackupVault", "bv-legacy").op == "update", update
    assert [(w["method"], resource_type(w["path"])) for w in dp.writes()] == [("PATCH", "backupVaults")]
    assert get_json(arm, ESTATE_VAULT)["tags"] == {"owner": "platform", "cost-center": "42"}

    dp.clear_request_log()
    stack.destroy()
    assert dp.writes() == [], short(dp.writes())
    assert inventory(arm, SUBSCRIPTION) == before, "on_delete=Retain: destroy left the whole estate in Azure"


LOOKUP_PROGRAM = """
import pulumi

from pulumi_dataprotection import BackupInstance
from pulumi_dataprotection.lookups import get_backup_instances_output, get_backup_policy_output, get_backup_vault

SUBSCRIPTION = "$subscription"
owner = pulumi.StackReference("organization/e2e-small/lookup-owner")
vault = get_backup_vault(name="bv-e2e", resource_group_name="rg-e2e")
policy = get_backup_policy_output(vault_id=vault.arm_id, name=owner.get_output("policy"))
team = BackupInstance(
    "team-cluster",
    vault_id=vault.arm_id,
    policy_id=policy.arm_id,
    datasource_kind="aks",
    datasource_id=f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-aks/providers/"
    "Microsoft.ContainerService/managedClusters/aks-team",
    datasource_location=vault.location,
    snapshot_resource_group_id=f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-aks-snapshots",
)
pulumi.export("vault_location", vault.location)
pulumi.export("policy_summary", policy.summary)
pulumi.export("seen_instances", get_backup_instances_output(vault.arm_id).apply(lambda found: [i.name for i in found]))
pulumi.export("team_state", team.protection_state)
"""


def test_lookups_let_a_second_stack_use_the_vault_and_policy_of_the_first(
    small_stack: StackFactory, dp: EmulatorHandle, tmp_path: Path, engine_bin: Path
) -> None:
    owner = small_stack("lookup-owner")
    owner.up()
    owned = owner.outputs()

    program = LOOKUP_PROGRAM.replace("$subscription", SMALL_SUBSCRIPTION)
    project = write_project(tmp_path / "lookup-user" / "project", program, name="e2e-lookup")
    config = {"dataprotection:subscriptionId": SMALL_SUBSCRIPTION}
    user = new_stack(project, tmp_path / "lookup-owner" / "pulumi-state", engine_bin, "lookup-user", config, dp)
    dp.clear_request_log()

    preview = user.preview()
    assert preview.ops() == Counter({("BackupInstance", "create"): 1, ("pulumi:pulumi:Stack", "create"): 1}), preview
    assert dp.writes() == [], "the lookups run in the preview and only read"
    assert any(e["method"] == "GET" and e["path"].endswith("/backupVaults/bv-e2e") for e in dp.request_log())

    user.up()
    outputs = user.outputs()
    assert outputs["team_state"] == "ProtectionConfigured"
    assert outputs["seen_instances"] == ["aks-0"] and outputs["vault_location"] == "westeurope"
    assert outputs["policy_summary"] == "every 4 h to OperationalStore, kept 7 days"
    team = next(r for r in user.resources() if r["type"].endswith("BackupInstance"))
    assert team["outputs"]["vault_id"] == owned["vault_id"] and team["outputs"]["policy_id"].endswith(owned["policy"])
    assert user.preview("--expect-no-changes").changes() == {}
