"""Backup vaults on the emulator: the LRO shapes Azure shows, lists, name checks and the one-way settings."""

from __future__ import annotations

import time

import pytest
import requests

from pulumi_dataprotection.emulator import API_VERSION, vaults
from pulumi_dataprotection.emulator.config import EmulatorConfig
from pulumi_dataprotection.emulator.datasources import Registry
from pulumi_dataprotection.emulator.errors import ServiceError
from pulumi_dataprotection.emulator.faults import Faults
from pulumi_dataprotection.emulator.service import Call, Reply, Service
from pulumi_dataprotection.emulator.store import Store
from tests.emulator import helpers
from tests.emulator.conftest import CheckedArm
from tests.support.emulator import SUBSCRIPTION


def test_put_is_201_with_async_operation_then_provisioned(api: CheckedArm) -> None:
    path = helpers.vault_path()
    created = api.put(path, helpers.vault_body())
    assert created.status_code == 201
    assert "Location" not in created.headers
    assert created.headers["Retry-After"] == "0"
    assert created.json()["properties"]["provisioningState"] == "Provisioning"
    status_url = created.headers["Azure-AsyncOperation"]
    assert f"{path}/operationStatus/" in status_url and f"api-version={API_VERSION}" in status_url

    running = api.get(status_url).json()
    assert running["status"] == "Inprogress"
    assert running["endTime"] == "0001-01-01T00:00:00Z"
    assert running["id"] == status_url.split("?")[0].replace(api.handle.url, "")

    assert api.wait(created)["status"] == "Succeeded"
    vault = api.get(path).json()
    assert vault["properties"]["provisioningState"] == "Succeeded"
    assert vault["identity"]["type"] == "SystemAssigned" and vault["identity"]["principalId"]
    assert vault["properties"]["secureScore"] == "Adequate"


def test_operation_status_is_readable_at_every_scope_of_its_subscription(api: CheckedArm) -> None:
    created = api.put(helpers.vault_path(), helpers.vault_body())
    op = created.headers["Azure-AsyncOperation"].split("?")[0].rsplit("/", 1)[1]
    scopes = [
        f"{helpers.vault_path()}/operationStatus/{op}",
        f"{helpers.rg_path()}/{helpers.DP}/operationStatus/{op}",
        f"{helpers.rg_path()}/{helpers.DP}/locations/westus/operationStatus/{op}",
        f"/subscriptions/{SUBSCRIPTION}/{helpers.DP}/locations/westus/operationStatus/{op}",
    ]
    for path in scopes:
        body = api.get(path).json()
        assert body["id"] == path and body["name"] == op
    other = "00000000-0000-0000-0000-0000000000bb"
    other_sub = f"/subscriptions/{other}/{helpers.DP}/locations/westus/operationStatus/{op}"
    assert api.get(other_sub).status_code == 404


def test_put_without_changes_is_synchronous_200(api: CheckedArm, vault: str) -> None:
    again = api.put(vault, helpers.vault_body())
    assert again.status_code == 200
    assert "Azure-AsyncOperation" not in again.headers
    assert again.json()["properties"]["provisioningState"] == "Succeeded"


def test_update_is_201_updating(api: CheckedArm, vault: str) -> None:
    body = helpers.vault_body(featureSettings={"crossRegionRestoreSettings": {"state": "Enabled"}})
    updated = api.put(vault, body)
    assert updated.status_code == 201
    assert updated.json()["properties"]["provisioningState"] == "Updating"
    api.wait(updated)
    assert api.get(vault).json()["properties"]["featureSettings"]["crossRegionRestoreSettings"]["state"] == "Enabled"


def test_patch_is_202_with_location_202_then_200(api: CheckedArm, vault: str) -> None:
    patched = api.patch(vault, {"tags": {"env": "test"}})
    assert patched.status_code == 202 and not patched.content
    location = patched.headers["Location"]
    assert f"{vault}/operationResults/" in location
    first = api.get(location)
    assert first.status_code == 202 and first.headers["Retry-After"] == "0"
    time.sleep(0.3)
    done = api.get(location)
    assert done.status_code == 200
    assert done.json()["tags"] == {"env": "test"}


def test_delete_is_202_with_resource_group_scoped_status_then_gone(api: CheckedArm, vault: str) -> None:
    deleted = api.delete(vault)
    assert deleted.status_code == 202 and not deleted.content
    assert (
        "/resourceGroups/rg-emulator/providers/Microsoft.DataProtection/locations/westus/operationStatus/"
        in (deleted.headers["Azure-AsyncOperation"])
    )
    assert "/providers/Microsoft.DataProtection/locations/westus/operationResults/" in deleted.headers["Location"]
    assert api.wait(deleted)["status"] == "Succeeded"
    result = api.get(deleted.headers["Location"])
    assert result.status_code == 200 and result.json() == {"objectType": "OperationJobExtendedInfo"}
    gone = api.get(vault)
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "ResourceNotFound"
    assert api.delete(vault).status_code == 204


def test_lists_by_resource_group_and_subscription(api: CheckedArm, vault: str) -> None:
    other = helpers.vault_path("vault2", rg="rg-other")
    api.wait(api.put(other, helpers.vault_body()))
    in_group = api.get(f"{helpers.rg_path()}/{helpers.DP}/backupVaults").json()["value"]
    assert [v["name"] for v in in_group] == ["vault1"]
    in_sub = api.get(f"/subscriptions/{SUBSCRIPTION}/{helpers.DP}/backupVaults").json()["value"]
    assert sorted(v["name"] for v in in_sub) == ["vault1", "vault2"]


def test_check_name_availability(api: CheckedArm, vault: str) -> None:
    url = f"{helpers.rg_path()}/{helpers.DP}/locations/westus/checkNameAvailability"
    taken = api.post(url, {"name": "vault1", "type": "Microsoft.DataProtection/BackupVaults"}).json()
    assert taken["nameAvailable"] is False and taken["reason"] == "AlreadyExists"
    free = api.post(url, {"name": "vault9", "type": "Microsoft.DataProtection/BackupVaults"}).json()
    assert free == {"nameAvailable": True}
    invalid = api.post(url, {"name": "9bad", "type": "Microsoft.DataProtection/BackupVaults"}).json()
    assert invalid["reason"] == "Invalid"


def _error(response: requests.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


def test_always_on_soft_delete_cannot_be_turned_off(api: CheckedArm, vault: str) -> None:
    response = api.put(vault, helpers.vault_body(soft_delete="On"))
    assert _error(response) == (400, "UserErrorDisableSoftDeleteNotAllowed")
    error = response.json()["error"]
    assert error["message"] == "Cannot disable soft delete once set to AlwaysOn"
    info = error["additionalInfo"][0]
    assert info["type"] == "UserFacingError" and info["info"]["code"] == "UserErrorDisableSoftDeleteNotAllowed"


def test_api_version_requires_always_on_soft_delete(api: CheckedArm) -> None:
    response = api.put(helpers.vault_path(), helpers.vault_body(soft_delete="On"))
    assert response.status_code == 400
    assert "requires backup vaults to have the soft delete setting configured" in response.json()["error"]["message"]


def test_locked_immutability_and_cross_region_restore_are_one_way(api: CheckedArm, vault: str) -> None:
    locked = helpers.vault_body(
        securitySettings={
            "softDeleteSettings": {"state": "AlwaysOn", "retentionDurationInDays": 14.0},
            "immutabilitySettings": {"state": "Locked"},
        },
        featureSettings={"crossRegionRestoreSettings": {"state": "Enabled"}},
    )
    api.wait(api.put(vault, locked))
    unlock = helpers.vault_body(
        securitySettings={
            "softDeleteSettings": {"state": "AlwaysOn", "retentionDurationInDays": 14.0},
            "immutabilitySettings": {"state": "Unlocked"},
        }
    )
    assert _error(api.put(vault, unlock)) == (400, "UserErrorUnsupportedVaultImmutabilityStateChange")
    no_crr = helpers.vault_body(featureSettings={"crossRegionRestoreSettings": {"state": "Disabled"}})
    assert _error(api.put(vault, no_crr)) == (400, "UserErrorCrossRegionRestoreStateChangeNotAllowed")
    patch = {"properties": {"featureSettings": {"crossRegionRestoreSettings": {"state": "Disabled"}}}}
    assert _error(api.patch(vault, patch)) == (400, "UserErrorCrossRegionRestoreStateChangeNotAllowed")


def test_vault_name_location_and_body_rules(api: CheckedArm) -> None:
    assert _error(api.put(helpers.vault_path("1-bad"), helpers.vault_body())) == (400, "InvalidResourceName")
    no_location = helpers.vault_body()
    del no_location["location"]
    assert _error(api.put(helpers.vault_path(), no_location)) == (400, "LocationRequired")
    bad = helpers.vault_body()
    bad["properties"]["storageSettings"] = [{"datastoreType": "VaultStore", "type": "Redundant"}]
    bad["properties"]["securitySettings"]["softDeleteSettings"]["retentionDurationInDays"] = "14"
    response = api.put(helpers.vault_path(), bad)
    assert _error(response) == (400, "BMSUserErrorInvalidInput")
    targets = sorted(d["target"] for d in response.json()["error"]["details"])
    assert targets == [
        "body.properties.securitySettings.softDeleteSettings.retentionDurationInDays",
        "body.properties.storageSettings[0].type",
    ]
    short = helpers.vault_body()
    short["properties"]["securitySettings"]["softDeleteSettings"]["retentionDurationInDays"] = 7
    assert _error(api.put(helpers.vault_path(), short)) == (400, "BMSUserErrorInvalidInput")


def test_unknown_region_is_refused_and_display_names_are_stored_as_the_region_name(api: CheckedArm) -> None:
    refused = api.put(helpers.vault_path(), helpers.vault_body(location="mars-north"))
    assert _error(refused) == (400, "LocationNotAvailableForResourceType")
    message = refused.json()["error"]["message"]
    assert message.startswith(
        "The provided location 'mars-north' is not available for resource type 'Microsoft.DataProtection/backupVaults'"
        ". List of available regions for the resource type is '"
    )
    assert ",westeurope," in message
    assert refused.headers["x-ms-failure-cause"] == "gateway"
    assert api.get(helpers.vault_path()).status_code == 404
    created = api.put(helpers.vault_path(), helpers.vault_body(location="West Europe"))
    assert created.json()["location"] == "westeurope"
    api.wait(created)
    assert api.get(helpers.vault_path()).json()["location"] == "westeurope"
    assert api.put(helpers.vault_path(), helpers.vault_body(location="WestEurope")).status_code == 200


def test_json_property_names_are_case_insensitive_and_unknown_ones_ignored(api: CheckedArm) -> None:
    body = {
        "Location": "westus",
        "properties": {
            "StorageSettings": [{"DatastoreType": "vaultstore", "type": "locallyredundant"}],
            "notAProperty": 1,
        },
    }
    response = api.put(helpers.vault_path(), body)
    assert response.status_code == 201, response.text
    assert response.json()["properties"]["storageSettings"] == [
        {"datastoreType": "VaultStore", "type": "LocallyRedundant"}
    ]


def _service() -> Service:
    return Service(Store(":memory:"), EmulatorConfig(), Faults(), Registry())


def _put_vault(svc: Service, version: str, soft_delete: str | None, name: str = "v1") -> Reply:
    body = helpers.vault_body()
    if soft_delete is None:
        del body["properties"]["securitySettings"]
    else:
        body["properties"]["securitySettings"]["softDeleteSettings"]["state"] = soft_delete
    sub, rg = SUBSCRIPTION, helpers.RG
    call = Call(
        "PUT",
        f"/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.DataProtection/backupVaults/{name}",
        "http://emulator",
        {"sub": sub, "rg": rg, "vault": name},
        body,
        {"api-version": version},
    )
    return vaults.put(svc, call)


@pytest.mark.parametrize("version", ["2023-01-01", "2024-04-01", "2025-01-01", "2025-07-01"])
@pytest.mark.parametrize("state", ["Off", "On"])
def test_reversible_soft_delete_is_accepted_before_2025_09_01(version: str, state: str) -> None:
    """The recordings create vaults with soft delete Off or On at 2023-01-01 to 2025-07-01 (201 Created)."""
    svc = _service()
    reply = _put_vault(svc, version, state)
    assert reply.status == 201
    assert reply.body["properties"]["securitySettings"]["softDeleteSettings"]["state"] == state


@pytest.mark.parametrize("version", ["2025-09-01", "2026-06-01"])
def test_soft_delete_off_is_refused_from_2025_09_01(version: str) -> None:
    with pytest.raises(ServiceError) as refused:
        _put_vault(_service(), version, "Off")
    assert refused.value.code == "UserErrorSoftDeleteAlwaysOnRequired"


def test_soft_delete_state_is_kept_as_the_client_spelled_it() -> None:
    """Azure answers long-lived CLI vaults' soft delete as "OFF" (corpus/azure-cli-extensions-head/
    test_dataprotection_backup_and_restore_mysql.yaml #0): the state is kept as sent, not in the enum's spelling."""
    reply = _put_vault(_service(), "2025-07-01", "OFF")
    assert reply.status == 201
    assert reply.body["properties"]["securitySettings"]["softDeleteSettings"]["state"] == "OFF"


def test_soft_delete_rules_compare_the_state_case_insensitively() -> None:
    svc = _service()
    assert _put_vault(svc, "2025-09-01", "alwayson").status == 201
    with pytest.raises(ServiceError) as refused:
        _put_vault(svc, "2025-07-01", "ON")
    assert refused.value.code == "UserErrorDisableSoftDeleteNotAllowed"


@pytest.mark.parametrize(("version", "state"), [("2025-07-01", "On"), ("2025-09-01", "AlwaysOn")])
def test_soft_delete_left_out_follows_the_version(version: str, state: str) -> None:
    reply = _put_vault(_service(), version, None)
    assert reply.body["properties"]["securitySettings"]["softDeleteSettings"]["state"] == state


def _at(api: CheckedArm, path: str, version: str) -> str:
    return f"{api.handle.url}{path}?api-version={version}"


def test_2026_06_01_creates_a_vault_without_storage_settings_and_2025_09_01_refuses_it(api: CheckedArm) -> None:
    """The 2026-06-01 spec no longer requires storageSettings (the default it gets is a documented guess)."""
    body = helpers.vault_body()
    del body["properties"]["storageSettings"]
    refused = api.put(_at(api, helpers.vault_path(), "2025-09-01"), body)
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "BMSUserErrorInvalidInput"
    assert "properties.storageSettings: required property is missing" in refused.text
    created = api.put(_at(api, helpers.vault_path(), "2026-06-01"), body)
    assert created.status_code == 201
    assert created.json()["properties"]["storageSettings"] == vaults.DEFAULT_STORAGE


def test_cost_management_settings_are_a_2026_06_01_setting(api: CheckedArm) -> None:
    """Kept and answered from 2026-06-01 (PUT and PATCH); an older version's model ignores them and never shows them."""
    path = helpers.vault_path()
    body = helpers.vault_body()
    body["properties"]["costManagementSettings"] = {"granularityLevel": "protecteditemlevel"}
    api.wait(api.put(_at(api, path, "2025-09-01"), body))
    assert "costManagementSettings" not in api.get(_at(api, path, "2026-06-01")).json()["properties"]
    api.wait(api.put(_at(api, path, "2026-06-01"), body))
    answered = api.get(_at(api, path, "2026-06-01")).json()["properties"]
    assert answered["costManagementSettings"] == {"granularityLevel": "ProtectedItemLevel"}
    assert "costManagementSettings" not in api.get(_at(api, path, "2025-09-01")).json()["properties"]
    patch = {"properties": {"costManagementSettings": {"granularityLevel": "VaultLevel"}}}
    assert api.patch(_at(api, path, "2025-09-01"), patch).status_code == 200  # ignored: nothing changes
    updating = api.patch(_at(api, path, "2026-06-01"), patch)
    assert updating.status_code == 202
    api.wait(updating)
    settings = api.get(_at(api, path, "2026-06-01")).json()["properties"]["costManagementSettings"]
    assert settings == {"granularityLevel": "VaultLevel"}
    wrong = {"properties": {"costManagementSettings": {"granularityLevel": "Daily"}}}
    assert api.patch(_at(api, path, "2026-06-01"), wrong).status_code == 400
