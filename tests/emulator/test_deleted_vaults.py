"""Soft-deleted vaults: a deleted vault with soft delete On/AlwaysOn is kept (list, GET) for its retention, and a
vault PUT with ``x-ms-deleted-vault-id`` undeletes it (its settings back, the deleted vault gone)."""

from __future__ import annotations

from pulumi_dataprotection.emulator import EmulatorHandle
from tests.emulator import helpers
from tests.emulator.conftest import CheckedArm

DELETED = f"/subscriptions/{helpers.SUBSCRIPTION}/providers/Microsoft.DataProtection/locations/westus/deletedVaults"


def _delete(api: CheckedArm, vault: str) -> None:
    assert api.wait(api.delete(vault))["status"] == "Succeeded"


def test_deleted_vault_is_listed_until_its_retention_ends(
    api: CheckedArm, emulator: EmulatorHandle, vault: str
) -> None:
    assert api.get(DELETED).json() == {"value": []}
    _delete(api, vault)
    listed = api.get(DELETED).json()["value"]
    assert [d["name"] for d in listed] == ["vault1"]
    one = api.get(f"{DELETED}/vault1").json()
    assert one == listed[0] and one["id"] == f"{DELETED}/vault1"
    props = one["properties"]
    assert props["originalBackupVaultId"] == vault and props["originalBackupVaultName"] == "vault1"
    assert props["securitySettings"]["softDeleteSettings"] == {"state": "AlwaysOn", "retentionDurationInDays": 14.0}
    info = props["resourceDeletionInfo"]
    assert info["deletionTime"] < info["scheduledPurgeTime"]
    assert api.get(DELETED.replace("westus", "westeurope")).json() == {"value": []}
    missing = api.get(f"{DELETED}/vault9")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "UserErrorGenericResourceNotFound"
    emulator.advance_clock(14 * 86400 + 1)
    assert api.get(DELETED).json() == {"value": []}


def test_put_with_deleted_vault_id_undeletes(api: CheckedArm, vault: str) -> None:
    api.wait(api.put(vault, helpers.vault_body(featureSettings={"crossRegionRestoreSettings": {"state": "Enabled"}})))
    principal = api.get(vault).json()["identity"]["principalId"]
    _delete(api, vault)
    header = {"x-ms-deleted-vault-id": f"{DELETED}/vault1"}
    wrong = api.put(helpers.vault_path("vault2"), helpers.vault_body(), headers=header)
    assert wrong.status_code == 400 and "is the deleted vault" in wrong.text
    unknown = api.put(vault, helpers.vault_body(), headers={"x-ms-deleted-vault-id": f"{DELETED}/nope"})
    assert unknown.status_code == 404
    restored = api.put(vault, helpers.vault_body(), headers=header)
    assert restored.status_code == 201, restored.text
    assert api.wait(restored)["status"] == "Succeeded"
    body = api.get(vault).json()
    assert body["properties"]["featureSettings"]["crossRegionRestoreSettings"] == {"state": "Enabled"}
    assert body["identity"]["principalId"] == principal
    assert api.get(DELETED).json() == {"value": []}
    again = api.put(vault, helpers.vault_body(), headers=header)
    assert again.status_code == 404
