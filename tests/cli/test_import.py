"""`import` against the emulator: every vault of a resource group, names kept apart, the chosen on_delete, and an
existing program is not overwritten without --force."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pulumi_dataprotection import config as config_module
from pulumi_dataprotection.cli.import_estate import Report, VaultEstate, render_program
from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.lookups import InstanceInfo, VaultInfo
from pulumi_dataprotection.policy.builders import aks_policy
from pulumi_dataprotection.policy.resource import PolicyProvider
from pulumi_dataprotection.vault.resource import VaultProvider

SUB = "44444444-4444-4444-4444-444444444444"


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

    def make(provider: Any, inputs: dict[str, Any]) -> str:
        result = provider.check({}, {**inputs, "__provider": "x"})
        assert result.failures == [], [f.reason for f in result.failures]
        return str(provider.create(result.inputs).id)

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

    again = run_cli(*args)
    assert again.code == 2 and "exists" in again.err and "--force" in again.err


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
    report = Report()
    program = render_program([VaultEstate(vault, [], instances, [])], "Retain", report)

    compile(program, "__main__.py", "exec")
    assert "\ninstance_ok = BackupInstance(" in program
    assert "# instance_bad = BackupInstance(" in program and "#   containers[0]: " in program
    assert [line.split(":")[0] for line in report.refused] == ["bv-one/bad"]
    assert "'bad': instance_bad" not in program
