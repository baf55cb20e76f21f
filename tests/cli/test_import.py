"""`import` against the emulator: every vault of a resource group, names kept apart, the chosen on_delete, and an
existing program is not overwritten without --force; resource guards and guard links are adopted and retained; a
vault carrying another stack's ownership tag is flagged loudly."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_dataprotection import config as config_module
from pulumi_dataprotection.cli.import_estate import VaultEstate, render_program, report_of
from pulumi_dataprotection.dynamic.adoption import OWNER_TAG
from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.guard.resource import ResourceGuardProvider
from pulumi_dataprotection.guardlink.resource import GuardLinkProvider
from pulumi_dataprotection.lookups import InstanceInfo, PolicyInfo, VaultInfo
from pulumi_dataprotection.policy.builders import aks_policy
from pulumi_dataprotection.policy.resource import PolicyProvider
from pulumi_dataprotection.vault.resource import VaultProvider
from tests.support.emulator import ArmClient

SUB = "44444444-4444-4444-4444-444444444444"
pulumi_sdk = metadata.version("pulumi")


def make(provider: Any, inputs: dict[str, Any]) -> str:
    """Create a resource through its provider (as another tool would)."""
    result = provider.check({}, {**inputs, "__provider": "x"})
    assert result.failures == [], [f.reason for f in result.failures]
    return str(provider.create(result.inputs).id)


@pytest.fixture
def two_vaults(emulator: EmulatorHandle) -> Iterator[EmulatorHandle]:
    """Two vaults in rg-scan (one with a policy) and one elsewhere, made by another tool."""
    config_module.set_stack_config(
        {
            "dataprotection:endpoint": emulator.url,
            "dataprotection:token": emulator.token,
            "dataprotection:subscriptionId": SUB,
        }
    )

    common = {"location": "westeurope", "redundancy": "LocallyRedundant", "soft_delete_state": "AlwaysOn"}
    first = make(VaultProvider(), {"name": "bv-one", "resource_group_name": "rg-scan", **common})
    make(VaultProvider(), {"name": "bv-two", "resource_group_name": "rg-scan", **common})
    make(VaultProvider(), {"name": "bv-other", "resource_group_name": "rg-elsewhere", **common})
    make(PolicyProvider(), {"vault_id": first, "name": "shared", **aks_policy()})
    yield emulator
    config_module.set_stack_config({})  # the command keeps its settings for this process


def test_import_scans_a_resource_group_and_refuses_to_overwrite_a_program(
    run_cli: Any, two_vaults: EmulatorHandle, tmp_path: Path
) -> None:
    args = ["import", "--resource-group", "rg-scan", "--subscription", SUB, "--out", str(tmp_path)]
    args += ["--endpoint", two_vaults.url, "--token", two_vaults.token, "--on-delete", "Delete", "--stack", "prod"]
    done = run_cli(*args)

    assert done.code == 0, done.err
    assert "vault bv-one" in done.out and "vault bv-two" in done.out and "bv-other" not in done.out
    assert "policies no instance uses:\n  - bv-one/shared" in done.out
    program = (tmp_path / "__main__.py").read_text()
    compile(program, "__main__.py", "exec")
    assert "BackupVault(\n    'bv-one'," in program and "BackupVault(\n    'bv-two'," in program
    assert "BackupPolicy(\n    'bv-one-shared',\n    name='shared',\n    vault_id=vault_bv_one.arm_id," in program
    assert "**build_policy('aks', " in program
    assert program.count("    on_delete='Delete',\n") == 3 and program.count("    adopt_existing=True,\n") == 3
    assert "pulumi.export('bv-one_id', vault_bv_one.arm_id)" in program
    assert (tmp_path / "Pulumi.prod.yaml").read_text().count(two_vaults.url) == 1
    assert two_vaults.token not in (tmp_path / "Pulumi.prod.yaml").read_text()
    project = yaml.safe_load((tmp_path / "Pulumi.yaml").read_text())
    assert project["runtime"] == {"name": "python", "options": {"virtualenv": "venv"}}
    requirements = (tmp_path / "requirements.txt").read_text().splitlines()
    pins = [line for line in requirements if line and not line.startswith("#")]
    assert pins == [f"pulumi-dataprotection=={metadata.version('pulumi-dataprotection')}", f"pulumi=={pulumi_sdk}"]
    assert "pulumi install" in done.out

    again = run_cli(*args)
    assert again.code == 2 and "exists" in again.err and "--force" in again.err


def test_import_adopts_guards_and_links_and_flags_a_vault_another_stack_owns(
    run_cli: Any, two_vaults: EmulatorHandle, tmp_path: Path
) -> None:
    guard = make(
        ResourceGuardProvider(), {"name": "guard-1", "resource_group_name": "rg-sec", "location": "westeurope"}
    )
    vault = f"/subscriptions/{SUB}/resourceGroups/rg-scan/providers/Microsoft.DataProtection/backupVaults/bv-one"
    make(GuardLinkProvider(), {"vault_id": vault, "resource_guard_id": guard})
    tagged = ArmClient(two_vaults).patch(vault, {"tags": {OWNER_TAG: "0123456789abcdef01234567"}})
    assert tagged.status_code in (200, 202), tagged.text
    two_vaults.advance_clock(5)
    args = ["import", "--vault-id", vault, "--out", str(tmp_path), "--endpoint", two_vaults.url]
    done = run_cli(*args, "--token", two_vaults.token)

    assert done.code == 0, done.err
    assert f"warning: vault bv-one ({vault}) carries the {OWNER_TAG} tag of another Pulumi stack" in done.err
    program = (tmp_path / "__main__.py").read_text()
    assert f"# WARNING: vault bv-one carries another Pulumi stack's {OWNER_TAG} tag" in program
    assert "managed by another Pulumi stack" in program.split("import pulumi")[0]  # in the docstring
    assert "guard_guard_1 = ResourceGuard(\n    'guard-1',\n    name='guard-1',\n" in program
    assert "    vault_id=vault_bv_one.arm_id,\n    resource_guard_id=guard_guard_1.arm_id,\n" in program
    retain = ("    on_delete='Retain',\n", "    opts=pulumi.ResourceOptions(retain_on_delete=True),\n")
    for cls in ("ResourceGuard", "VaultGuardLink"):
        statement = program.split(f" = {cls}(")[1].split("\n)\n")[0]
        assert "    adopt_existing=True,\n" in statement + "\n" and any(r in statement + "\n" for r in retain)
    compile(program, "__main__.py", "exec")


def test_a_value_the_checks_refuse_is_written_commented_out_so_the_program_previews() -> None:
    """A container name our checks refuse (``c1``: Azure Storage cannot hold it) must not make the written program
    fail its own preview: that instance is written commented out with the reasons and reported."""
    vault_id = f"/subscriptions/{SUB}/resourceGroups/rg-scan/providers/Microsoft.DataProtection/backupVaults/bv-one"
    vault = VaultInfo(
        vault_id,
        "bv-one",
        {
            "name": "bv-one",
            "resource_group_name": "rg-scan",
            "location": "westeurope",
            "redundancy": "LocallyRedundant",
        },
        {},
    )
    account = f"/subscriptions/{SUB}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/st1"
    common = {"vault_id": vault_id, "policy_id": f"{vault_id}/backupPolicies/p1", "datasource_kind": "blob"}
    good = {"name": "st1", "datasource_id": account, "datasource_location": "westeurope", **common}
    instances = [
        InstanceInfo(
            f"{vault_id}/backupInstances/{n}", n, {**good, "name": n, "containers": [c]}, {}, vault_id=vault_id
        )
        for n, c in (("ok", "container1"), ("bad", "c1"))
    ]
    estate = VaultEstate(vault, [], instances, [])
    report = report_of([estate])
    program = render_program([estate], "Retain", report)

    compile(program, "__main__.py", "exec")
    assert "\ninstance_ok = BackupInstance(" in program
    assert "# instance_bad = BackupInstance(" in program and "#   containers[0]: " in program
    assert [line.split(":")[0] for line in report.refused] == ["bv-one/bad"]
    assert "'bad': instance_bad" not in program


def test_a_refused_policy_says_how_to_replace_it_and_its_instances_keep_it_by_id() -> None:
    """A policy whose values the checks refuse cannot be fixed in place (its rules cannot change under its name):
    the program says to declare a new one, move the instances and delete the old one, so none is left behind."""
    vault_id = f"/subscriptions/{SUB}/resourceGroups/rg-scan/providers/Microsoft.DataProtection/backupVaults/bv-one"
    inputs = {"name": "bv-one", "resource_group_name": "rg-scan", "location": "westeurope"}
    vault = VaultInfo(vault_id, "bv-one", {**inputs, "redundancy": "LocallyRedundant"}, {})
    policy_id = f"{vault_id}/backupPolicies/odd"
    bad_rules = {**aks_policy(), "policy_rules": []}
    policy = PolicyInfo(policy_id, "odd", {"name": "odd", "vault_id": vault_id, **bad_rules}, {}, vault_id=vault_id)
    account = f"/subscriptions/{SUB}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/st1"
    instance = {
        "name": "st1",
        "vault_id": vault_id,
        "policy_id": policy_id,
        "datasource_kind": "blob",
        "datasource_id": account,
        "datasource_location": "westeurope",
    }
    estate = VaultEstate(
        vault,
        [policy],
        [InstanceInfo(f"{vault_id}/backupInstances/st1", "st1", instance, {}, vault_id=vault_id, policy_id=policy_id)],
        [],
    )
    report = report_of([estate])
    program = render_program([estate], "Retain", report)

    compile(program, "__main__.py", "exec")
    assert [line.split(":")[0] for line in report.refused] == ["bv-one/odd"]
    assert "# policy_odd = BackupPolicy(" in program
    assert "declare a new BackupPolicy" in program and "backup-policy delete --ids" in program
    statement = program.split("instance_st1 = BackupInstance(")[1].split("\n)\n")[0]
    assert f"policy_id={policy_id!r}" in statement
    assert "# uses a policy this program does not manage" in program.split("instance_st1 = ")[0]
