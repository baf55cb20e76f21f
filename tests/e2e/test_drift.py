"""End to end, changes made outside Pulumi: ``refresh`` shows them and the next ``up`` puts the program's
settings back (a vault setting changed in Azure, a backup instance deleted in Azure)."""

from __future__ import annotations

import pytest

from pulumi_dataprotection.emulator import EmulatorHandle
from tests.e2e.conftest import StackFactory
from tests.e2e.helpers import get_json, inventory, resource_type, short
from tests.e2e.programs import SUBSCRIPTION, vault_path
from tests.e2e.pulumi_stack import Stack
from tests.support.emulator import ArmClient

pytestmark = pytest.mark.engine

INSTANCE = f"{vault_path()}/backupInstances/aks-0"


def retention_days(arm: ArmClient) -> int:
    """The vault's soft-delete retention as Azure holds it."""
    body = get_json(arm, vault_path())
    assert body is not None
    return int(body["properties"]["securitySettings"]["softDeleteSettings"]["retentionDurationInDays"])


def drifted_vault(deployed_small_stack: StackFactory, dp: EmulatorHandle, arm: ArmClient, name: str) -> Stack:
    """A deployed small stack whose vault's soft-delete retention was then set to 30 days in Azure directly."""
    stack = deployed_small_stack(name)
    if not stack.resources():  # a plain ``small_stack`` factory: deploy here
        stack.up()
    patch = arm.patch(
        vault_path(), {"properties": {"securitySettings": {"softDeleteSettings": {"retentionDurationInDays": 30}}}}
    )
    assert patch.status_code in (200, 202), patch.text
    if patch.status_code == 202:
        assert arm.wait(patch)["status"] == "Succeeded"
    assert retention_days(arm) == 30
    dp.clear_request_log()
    return stack


def test_refresh_shows_a_vault_changed_out_of_band_and_preview_plans_only_its_update(
    deployed_small_stack: StackFactory, dp: EmulatorHandle, arm: ArmClient
) -> None:
    stack = drifted_vault(deployed_small_stack, dp, arm, "vault-drift-preview")

    refresh = stack.refresh()

    assert refresh.changes() == {"update": 1}, refresh
    assert refresh.step("BackupVault", "vault").op == "update", refresh
    assert dp.writes() == [], short(dp.writes())
    vault = next(r for r in stack.resources() if r["type"].endswith(":BackupVault"))
    assert vault["outputs"]["soft_delete_retention_days"] == 30

    preview = stack.preview()
    # The vault's ARM id cannot change in an update, so nothing that refers to it is replaced.
    assert preview.changes() == {"update": 1}, preview
    assert "soft_delete_retention_days" in preview.step("BackupVault", "vault", op="update").changed, preview


def test_up_after_refresh_restores_a_vault_changed_out_of_band(
    deployed_small_stack: StackFactory, dp: EmulatorHandle, arm: ArmClient
) -> None:
    stack = drifted_vault(deployed_small_stack, dp, arm, "vault-drift-up")
    stack.refresh()

    up = stack.up()

    assert up.changes() == {"update": 1}, up
    writes = dp.writes()
    assert [(e["method"], resource_type(e["path"])) for e in writes] == [("PATCH", "backupVaults")], short(writes)
    assert retention_days(arm) == 14
    assert stack.preview("--expect-no-changes").summary == {"same": 4}


def deleted_instance(
    deployed_small_stack: StackFactory, dp: EmulatorHandle, arm: ArmClient, name: str, **config: object
) -> Stack:
    """A deployed small stack whose instance was then deleted in Azure directly (it is soft-deleted) and refreshed."""
    stack = deployed_small_stack(name, **config)
    if not stack.resources():  # a plain ``small_stack`` factory: deploy here
        stack.up()
    deleted = arm.delete(INSTANCE)
    assert deleted.status_code == 202, deleted.text
    assert arm.wait(deleted)["status"] == "Succeeded"
    assert inventory(arm, SUBSCRIPTION)[vault_path()]["deletedBackupInstances"] == ["aks-0"]
    dp.clear_request_log()

    refresh = stack.refresh()

    assert refresh.changes() == {"delete": 1}, refresh
    assert refresh.step("BackupInstance", "aks-0").op == "delete", refresh
    assert dp.writes() == [], short(dp.writes())
    assert not [r for r in stack.resources() if r["type"].endswith(":BackupInstance")]
    # the soft-deleted instance carries no ownership mark: recreating it would undelete it, so the preview refuses
    refused = stack.preview(check=False)
    assert not refused.ok and "adopt_existing" in refused.output and "would undelete it" in refused.output, refused
    stack.set_config("e2e-small:adoptInstances", True)
    stack.set_config("e2e-small:onDelete", ["Delete"])
    return stack


def test_refresh_drops_an_instance_deleted_out_of_band_and_up_recreates_it(
    deployed_small_stack: StackFactory, dp: EmulatorHandle, arm: ArmClient
) -> None:
    stack = deleted_instance(deployed_small_stack, dp, arm, "instance-drift")

    up = stack.up(check=False)

    assert up.ok and up.changes() == {"create": 1}, up
    # adopted: the soft-deleted instance is undeleted (its recovery points kept), not duplicated
    writes = [(e["method"], resource_type(e["path"])) for e in dp.writes()]
    assert ("POST", "undelete") in writes and ("POST", "resumeProtection") in writes, short(dp.writes())
    held = inventory(arm, SUBSCRIPTION)[vault_path()]
    assert (held["backupInstances"], held["deletedBackupInstances"]) == (["aks-0"], []), held
    body = get_json(arm, INSTANCE)
    assert body is not None and body["properties"]["currentProtectionState"] == "ProtectionConfigured", body
    assert stack.preview("--expect-no-changes").summary == {"same": 4}
