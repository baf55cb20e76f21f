"""End to end, Terraform's data-source pattern: a lookup of a resource the same program creates is unknown in the
preview of a new stack (resolved by ``up``), never a ResourceNotFoundError that fails the preview."""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_dataprotection.emulator import EmulatorHandle
from tests.e2e.conftest import new_stack
from tests.e2e.programs import SUBSCRIPTION
from tests.support.engine import write_project

pytestmark = pytest.mark.engine

PROGRAM = """
import pulumi

from pulumi_dataprotection import BackupPolicy, BackupVault
from pulumi_dataprotection.lookups import get_backup_policy_output, get_backup_vault_output
from pulumi_dataprotection.policy.builders import Retention, Schedule, aks_policy

vault = BackupVault(
    "vault",
    name="bv-own",
    resource_group_name="rg-own",
    location="westeurope",
    redundancy="LocallyRedundant",
    soft_delete_state="AlwaysOn",
    soft_delete_retention_days=14,
)
policy = BackupPolicy("aks", vault_id=vault.arm_id, **aks_policy(Schedule.hourly(4), Retention("P7D")))
found = get_backup_vault_output(vault.arm_id)
found_policy = get_backup_policy_output(policy.arm_id)
pulumi.export("found_location", found.location)
pulumi.export("found_policy", found_policy.name)
"""


def test_a_lookup_of_a_resource_the_program_creates_is_unknown_in_the_preview(
    dp: EmulatorHandle, tmp_path: Path, engine_bin: Path
) -> None:
    project = write_project(tmp_path / "own" / "project", PROGRAM, name="e2e-own")
    config = {"dataprotection:subscriptionId": SUBSCRIPTION}
    stack = new_stack(project, tmp_path / "own" / "pulumi-state", engine_bin, "own", config, dp)

    preview = stack.preview(check=False)

    assert preview.ok and not preview.errors, preview
    assert "ResourceNotFoundError" not in preview.output

    stack.up()
    outputs = stack.outputs()
    assert outputs["found_location"] == "westeurope" and outputs["found_policy"].startswith("aks-"), outputs
