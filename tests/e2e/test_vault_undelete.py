"""End to end, a vault name that was soft-deleted: the preview of the re-create warns that it makes a new, empty
vault and names the ``undelete_from`` that restores the deleted one; with it, ``up`` undeletes the vault."""

from __future__ import annotations

import pytest

from pulumi_dataprotection.emulator import EmulatorHandle
from tests.e2e.conftest import StackFactory
from tests.e2e.programs import LOCATION, SUBSCRIPTION, VAULT_NAME, vault_path
from tests.support.emulator import ArmClient

pytestmark = pytest.mark.engine

DELETED = (
    f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.DataProtection/locations/{LOCATION}/deletedVaults/{VAULT_NAME}"
)


def test_recreating_a_soft_deleted_vault_warns_then_undeletes_on_request(
    small_stack: StackFactory, dp: EmulatorHandle, arm: ArmClient
) -> None:
    stack = small_stack("undelete", instances=0)
    stack.up()
    created = arm.get(vault_path()).json()["properties"]["securitySettings"]
    stack.destroy()
    assert [d["id"] for d in arm.get(DELETED.rsplit("/", 1)[0]).json()["value"]] == [DELETED]

    preview = stack.pulumi("preview", "--color=never")
    text = " ".join(preview.stdout.split())
    assert "Diagnostics:" in preview.stdout
    assert f"warning: BackupVault '{VAULT_NAME}': a soft-deleted vault of this name exists in {LOCATION}" in text
    assert f"set undelete_from='{DELETED}'" in text

    stack.set_config("e2e-small:undeleteFrom", DELETED)
    restored = stack.up()
    assert restored.ok
    assert arm.get(vault_path()).json()["properties"]["securitySettings"] == created
    assert arm.get(DELETED.rsplit("/", 1)[0]).json()["value"] == []
