"""Multi-user authorization on the emulator: resource guards, the vault's guard link, unlockDelete and the critical
operations refused without the guard's authorization (every response checked against the official spec)."""

from __future__ import annotations

import pytest
import requests

from pulumi_dataprotection.emulator import EmulatorHandle
from tests.emulator import helpers
from tests.emulator.conftest import CheckedArm
from tests.emulator.test_instances import code, configured, create_disk_instance
from tests.support.spec import Spec

SECURITY_SUB = "00000000-0000-0000-0000-0000000000cc"
GUARD = (
    f"/subscriptions/{SECURITY_SUB}/resourceGroups/rg-security/providers/Microsoft.DataProtection/resourceGuards/guard1"
)
PROXY = f"{helpers.vault_path()}/backupResourceGuardProxies/DppResourceGuardProxy"


def request_id(request_type: str, guard: str = GUARD) -> str:
    return f"{guard}/{request_type}/default"


@pytest.fixture
def guard(api: CheckedArm) -> str:
    created = api.put(GUARD, {"location": helpers.LOCATION, "tags": {"owner": "security"}})
    assert created.status_code == 200, created.text  # Azure creates a guard with 200 (recorded)
    return GUARD


@pytest.fixture
def linked(api: CheckedArm, vault: str, guard: str) -> str:
    response = api.put(PROXY, {"properties": {"resourceGuardResourceId": guard}})
    assert response.status_code == 200, response.text
    return PROXY


def unlock(api: CheckedArm, request_type: str, target: str, **kw: object) -> requests.Response:
    body = {"resourceGuardOperationRequests": [request_id(request_type)], "resourceToBeDeleted": target}
    return api.post(f"{PROXY}/unlockDelete", body, **kw)


def create_blob_instance(api: CheckedArm, policy: str) -> str:
    """A configured blob backup instance ``blob1`` of ``policy``."""
    blob = helpers.instance_path("blob1")
    api.wait(api.put(blob, {"properties": helpers.blob_instance(policy)}))
    configured(api, blob)
    return blob


def test_guard_lifecycle_lists_and_request_objects(api: CheckedArm, guard: str) -> None:
    body = api.get(guard).json()
    assert body["type"] == "Microsoft.DataProtection/resourceGuards" and body["tags"] == {"owner": "security"}
    operations = {
        o["vaultCriticalOperation"]: o["requestResourceType"] for o in body["properties"]["resourceGuardOperations"]
    }
    # Azure lists a Backup vault operation as its own request resource type (recorded, see test_guard_bodies)
    assert operations["Microsoft.DataProtection/backupVaults/backupInstances/delete"] == (
        "Microsoft.DataProtection/backupVaults/backupInstances/delete"
    )
    assert body["properties"]["vaultCriticalOperationExclusionList"] == []
    assert api.put(guard, {"location": helpers.LOCATION}).status_code == 200
    assert [
        g["id"]
        for g in api.get(f"/subscriptions/{SECURITY_SUB}/providers/Microsoft.DataProtection/resourceGuards").json()[
            "value"
        ]
    ] == [guard]
    group = guard.rsplit("/providers/", 1)[0]
    assert len(api.get(f"{group}/providers/Microsoft.DataProtection/resourceGuards").json()["value"]) == 1
    assert api.patch(guard, {"tags": {"k": "v"}}).json()["tags"] == {"k": "v"}
    listed = api.get(f"{guard}/deleteResourceGuardProxyRequests").json()["value"]
    assert [r["id"] for r in listed] == [request_id("deleteResourceGuardProxyRequests")]
    assert api.get(request_id("disableSoftDeleteRequests")).json()["name"] == "default"
    assert api.delete(guard).status_code == 200
    assert api.delete(guard).status_code == 204
    assert code(api.get(guard)) == (404, "ResourceNotFound")


def test_official_example_requests_are_accepted(api: CheckedArm, spec_2025: Spec, vault: str) -> None:
    examples = {e.operation_id: e for e in spec_2025.examples()}
    put_guard = examples["ResourceGuards_Put"].request_body
    assert api.put(GUARD, put_guard).status_code == 200
    assert api.get(GUARD).json()["location"] == put_guard["location"]
    put_proxy = examples["DppResourceGuardProxy_CreateOrUpdate"].request_body
    put_proxy["properties"]["resourceGuardResourceId"] = GUARD
    linked = api.put(PROXY, put_proxy)
    assert linked.status_code == 200, linked.text


def test_exclusions_reject_mandatory_and_unknown_operations(api: CheckedArm) -> None:
    mandatory = "Microsoft.DataProtection/backupVaults/backupResourceGuardProxies/delete"
    refused = api.put(
        GUARD, {"location": helpers.LOCATION, "properties": {"vaultCriticalOperationExclusionList": [mandatory]}}
    )
    assert code(refused) == (400, "BMSUserErrorInvalidInput") and "mandatory" in refused.text
    unknown = api.put(
        GUARD, {"location": helpers.LOCATION, "properties": {"vaultCriticalOperationExclusionList": ["x/y"]}}
    )
    assert code(unknown) == (400, "BMSUserErrorInvalidInput")


def test_link_rules_and_vault_reports_the_guard(api: CheckedArm, vault: str, guard: str, linked: str) -> None:
    props = api.get(vault).json()["properties"]
    assert props["isVaultProtectedByResourceGuard"] is True
    proxy = api.get(linked).json()
    assert proxy["properties"]["resourceGuardResourceId"] == guard
    requests_ = {
        d["vaultCriticalOperation"]: d["defaultResourceRequest"]
        for d in proxy["properties"]["resourceGuardOperationDetails"]
    }
    assert requests_["Microsoft.DataProtection/backupVaults/backupInstances/delete"] == request_id(
        "deleteBackupInstanceRequests"
    )
    assert [p["id"] for p in api.get(f"{vault}/backupResourceGuardProxies").json()["value"]] == [linked]
    other = api.put(f"{vault}/backupResourceGuardProxies/other", {"properties": {"resourceGuardResourceId": guard}})
    assert code(other) == (409, "UserErrorResourceGuardProxyAlreadyExists")
    assert code(api.delete(guard)) == (409, "UserErrorResourceGuardInUse")
    far = GUARD.replace("guard1", "far")
    assert api.put(far, {"location": "eastus"}).status_code == 200
    near = GUARD.replace("guard1", "near")
    assert api.put(near, {"location": helpers.LOCATION}).status_code == 200
    moved = api.put(linked, {"properties": {"resourceGuardResourceId": near}})
    assert code(moved) == (400, "UserErrorResourceGuardProxyUpdateNotAllowed")
    vault2 = helpers.vault_path("vault2")
    api.wait(api.put(vault2, helpers.vault_body()))
    mismatch = api.put(f"{vault2}/backupResourceGuardProxies/p", {"properties": {"resourceGuardResourceId": far}})
    assert code(mismatch) == (400, "UserErrorResourceGuardLocationMismatch")
    missing = api.put(f"{vault2}/backupResourceGuardProxies/p", {"properties": {"resourceGuardResourceId": far + "x"}})
    assert code(missing) == (400, "UserErrorResourceGuardNotFound")


def test_instance_delete_needs_unlock_with_access_on_the_guard(
    api: CheckedArm, emulator: EmulatorHandle, disk_policy: str, linked: str
) -> None:
    instance = create_disk_instance(api, disk_policy)
    configured(api, instance)
    refused = api.delete(instance)
    assert code(refused) == (400, "UserErrorCriticalOperationUnauthorized")
    assert "unlockDelete" in refused.json()["error"]["message"] and GUARD in refused.json()["error"]["message"]
    assert code(unlock(api, "deleteBackupInstanceRequests", instance)) == (403, "LinkedAuthorizationFailed")
    emulator.grant_guard_access(GUARD)
    wrong = unlock(api, "deleteResourceGuardProxyRequests", instance)
    assert code(wrong) == (400, "UserErrorCriticalOperationUnauthorized")
    unlocked = unlock(api, "deleteBackupInstanceRequests", instance)
    assert unlocked.status_code == 200 and unlocked.json()["unlockDeleteExpiryTime"]
    deleted = api.delete(instance)
    assert deleted.status_code == 202, deleted.text


def test_unlock_expires(api: CheckedArm, emulator: EmulatorHandle, disk_policy: str, linked: str) -> None:
    instance = create_disk_instance(api, disk_policy)
    configured(api, instance)
    emulator.grant_guard_access(GUARD)
    assert unlock(api, "deleteBackupInstanceRequests", instance).status_code == 200
    emulator.advance_clock(3600)
    expired = api.delete(instance)
    assert code(expired) == (400, "UserErrorCriticalOperationUnauthorized") and "expired" in expired.text


def test_guard_link_removal_flow(
    api: CheckedArm, emulator: EmulatorHandle, vault: str, guard: str, linked: str
) -> None:
    assert code(api.delete(linked)) == (400, "UserErrorCriticalOperationUnauthorized")
    emulator.grant_guard_access(guard)
    assert unlock(api, "deleteResourceGuardProxyRequests", linked).status_code == 200
    assert api.delete(linked).status_code == 200
    assert api.get(vault).json()["properties"]["isVaultProtectedByResourceGuard"] is False
    assert api.delete(linked).status_code == 204
    assert api.delete(guard).status_code == 200


def test_a_guard_in_the_vaults_resource_group_is_passed_by_the_vaults_owner(api: CheckedArm, vault: str) -> None:
    """Role assignments on a group are inherited by its guard: Azure answered unlockDelete and the link removal 200
    with no grant, guard and vault in one group (corpus/azure-cli-extensions-head/
    test_dataprotection_resource_guard_mapping.yaml #7, #8)."""
    guard = f"{helpers.rg_path()}/providers/Microsoft.DataProtection/resourceGuards/guard-beside"
    assert api.put(guard, {"location": helpers.LOCATION}).status_code == 200
    assert api.put(PROXY, {"properties": {"resourceGuardResourceId": guard}}).status_code == 200
    assert code(api.delete(PROXY)) == (400, "UserErrorCriticalOperationUnauthorized")  # still needs its unlock
    body = {"resourceGuardOperationRequests": [request_id("deleteResourceGuardProxyRequests", guard)]}
    assert api.post(f"{PROXY}/unlockDelete", body).status_code == 200
    removed = api.delete(PROXY)
    assert removed.status_code == 200 and removed.json() == {}


def test_excluded_operation_is_not_guarded(api: CheckedArm, disk_policy: str, vault: str) -> None:
    excluded = "Microsoft.DataProtection/backupVaults/backupInstances/delete"
    api.put(GUARD, {"location": helpers.LOCATION, "properties": {"vaultCriticalOperationExclusionList": [excluded]}})
    proxy = api.put(PROXY, {"properties": {"resourceGuardResourceId": GUARD}}).json()
    assert excluded not in [d["vaultCriticalOperation"] for d in proxy["properties"]["resourceGuardOperationDetails"]]
    instance = create_disk_instance(api, disk_policy)
    configured(api, instance)
    assert api.delete(instance).status_code == 202


def test_reducing_soft_delete_retention_needs_the_guard(
    api: CheckedArm, emulator: EmulatorHandle, vault: str, linked: str
) -> None:
    shorter = {
        "properties": {
            "securitySettings": {"softDeleteSettings": {"state": "AlwaysOn", "retentionDurationInDays": 14.0}}
        }
    }
    longer = {
        "properties": {
            "securitySettings": {"softDeleteSettings": {"state": "AlwaysOn", "retentionDurationInDays": 30.0}}
        }
    }
    assert api.patch(vault, longer).status_code == 202  # increasing security is not critical
    api.wait(api.patch(vault, {"tags": {"a": "b"}}))
    assert code(api.patch(vault, shorter)) == (400, "UserErrorCriticalOperationUnauthorized")
    with_request = {
        "properties": {
            **shorter["properties"],
            "resourceGuardOperationRequests": [request_id("dppReduceSoftDeleteSecurityRequests")],
        }
    }
    assert code(api.patch(vault, with_request)) == (403, "LinkedAuthorizationFailed")
    emulator.grant_guard_access(GUARD)
    assert api.patch(vault, with_request).status_code == 202
    assert "resourceGuardOperationRequests" not in api.get(vault).json()["properties"]


def test_stop_protection_with_mua(api: CheckedArm, emulator: EmulatorHandle, disk_policy: str, linked: str) -> None:
    instance = create_disk_instance(api, disk_policy)
    configured(api, instance)
    assert code(api.post(f"{instance}/stopProtection", {})) == (400, "UserErrorCriticalOperationUnauthorized")
    assert code(api.post(f"{instance}/suspendBackups", {})) == (400, "UserErrorCriticalOperationUnauthorized")
    emulator.grant_guard_access(GUARD)
    body = {"resourceGuardOperationRequests": [request_id("dppDisableStopProtectionRequests")]}
    assert api.post(f"{instance}/stopProtection", body).status_code == 202


def test_guard_in_another_tenant_needs_the_auxiliary_token(
    api: CheckedArm, emulator: EmulatorHandle, disk_policy: str, linked: str
) -> None:
    emulator.add_tenant(SECURITY_SUB, "11111111-2222-3333-4444-555555555555", "security-tenant-token")
    emulator.grant_guard_access(GUARD)
    instance = create_disk_instance(api, disk_policy)
    refused = unlock(api, "deleteBackupInstanceRequests", instance)
    assert code(refused) == (403, "LinkedAuthorizationFailed") and "x-ms-authorization-auxiliary" in refused.text
    wrong = unlock(
        api, "deleteBackupInstanceRequests", instance, headers={"x-ms-authorization-auxiliary": "Bearer nope"}
    )
    assert code(wrong) == (403, "LinkedAuthorizationFailed")
    aux = {"x-ms-authorization-auxiliary": "Bearer security-tenant-token"}
    assert unlock(api, "deleteBackupInstanceRequests", instance, headers=aux).status_code == 200


def test_immutable_vault_refuses_deleting_vaulted_data(
    api: CheckedArm, vault: str, blob_policy: str, disk_policy: str
) -> None:
    api.wait(api.patch(vault, {"properties": {"securitySettings": {"immutabilitySettings": {"state": "Locked"}}}}))
    blob = create_blob_instance(api, blob_policy)
    refused = api.delete(blob)
    assert code(refused) == (400, "UserErrorOperationNotAllowedOnImmutableVault")
    disk = create_disk_instance(api, disk_policy)  # operational backups are not immutable
    configured(api, disk)
    assert api.delete(disk).status_code == 202


def create_shorter_blob_policy(api: CheckedArm) -> str:
    """A blob policy ``short`` whose vaulted retention (3 days) is shorter than ``blob_policy``'s."""
    body = helpers.blob_policy()
    body["properties"]["policyRules"][0]["lifecycles"][0]["deleteAfter"]["duration"] = "P3D"
    path = helpers.policy_path("short")
    assert api.put(path, body).status_code == 200
    return path


def test_moving_to_a_shorter_retention_needs_the_guard(
    api: CheckedArm, emulator: EmulatorHandle, blob_policy: str, linked: str
) -> None:
    blob = create_blob_instance(api, blob_policy)
    shorter = create_shorter_blob_policy(api)
    moved = {"properties": helpers.blob_instance(shorter)}
    assert code(api.put(blob, moved)) == (400, "UserErrorCriticalOperationUnauthorized")
    emulator.grant_guard_access(GUARD)
    moved["properties"]["resourceGuardOperationRequests"] = [request_id("dppModifyPolicy")]
    assert api.put(blob, moved).status_code == 202


def test_immutable_vault_refuses_moving_to_a_shorter_vaulted_retention(
    api: CheckedArm, vault: str, blob_policy: str
) -> None:
    api.wait(api.patch(vault, {"properties": {"securitySettings": {"immutabilitySettings": {"state": "Unlocked"}}}}))
    blob = create_blob_instance(api, blob_policy)
    shorter = create_shorter_blob_policy(api)
    refused = api.put(blob, {"properties": helpers.blob_instance(shorter)})
    assert code(refused) == (400, "UserErrorOperationNotAllowedOnImmutableVault")
