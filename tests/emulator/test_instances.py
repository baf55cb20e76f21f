"""Backup instances on the emulator: LRO shapes per datasource, protection states, soft delete and the rules."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from pulumi_dataprotection.emulator import EmulatorHandle, start_emulator
from tests.emulator import helpers
from tests.emulator.conftest import CheckedArm
from tests.support.spec import Spec


def eventually(check: Callable[[], Any], timeout: float = 5.0) -> Any:
    """Retry ``check`` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s (last: {value!r})")
        time.sleep(0.05)


def state(api: CheckedArm, path: str) -> tuple[str, str, str]:
    """(provisioningState, protectionStatus.status, currentProtectionState) of an instance."""
    props = api.get(path).json()["properties"]
    return props["provisioningState"], props["protectionStatus"]["status"], props["currentProtectionState"]


def configured(api: CheckedArm, path: str) -> None:
    eventually(lambda: state(api, path)[2] == "ProtectionConfigured")


def create_disk_instance(api: CheckedArm, policy: str, name: str = "bi1", vault: str = "vault1") -> str:
    path = helpers.instance_path(name, vault)
    response = api.put(path, {"properties": helpers.disk_instance(policy)})
    assert response.status_code == 201, response.text
    assert api.wait(response)["status"] == "Succeeded"
    return path


SLOW_LRO = 60.0
"""Operations of ``slow_api``'s emulator: far longer than any test takes, so only the emulator clock ends them."""


def code(response: requests.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


def test_disk_instance_put_is_201_then_configuring_then_configured(api: CheckedArm, disk_policy: str) -> None:
    path = helpers.instance_path()
    created = api.put(path, {"properties": helpers.disk_instance(disk_policy), "tags": {"owner": "tests"}})
    assert created.status_code == 201
    assert "Location" not in created.headers
    props = created.json()["properties"]
    assert props["provisioningState"] == "Provisioning"
    assert props["protectionStatus"] == {"status": "ConfiguringProtection"}
    assert api.wait(created)["status"] == "Succeeded"
    assert state(api, path) == ("Succeeded", "ConfiguringProtection", "ConfiguringProtection")
    configured(api, path)
    body = api.get(path).json()
    assert body["tags"] == {"owner": "tests"}
    assert body["type"] == "Microsoft.DataProtection/backupVaults/backupInstances"
    assert [i["name"] for i in api.get(f"{helpers.vault_path()}/backupInstances").json()["value"]] == ["bi1"]


def test_blob_instance_put_is_202_with_location_202_then_200(api: CheckedArm, blob_policy: str) -> None:
    path = helpers.instance_path("blob1")
    created = api.put(path, {"properties": helpers.blob_instance(blob_policy)})
    assert created.status_code == 202 and not created.content
    location = created.headers["Location"]
    assert f"{path}/operationResults/" in location
    assert api.get(location).status_code == 202
    api.wait(created)
    final = api.get(location)
    assert final.status_code == 200
    assert final.json()["properties"]["provisioningState"] == "Succeeded"


def test_unknown_datasource_region_is_invalid_input(api: CheckedArm, disk_policy: str) -> None:
    body = helpers.disk_instance(disk_policy)
    body["dataSourceInfo"]["resourceLocation"] = "mars-north"
    refused = api.put(helpers.instance_path(), {"properties": body})
    assert code(refused) == (400, "BMSUserErrorInvalidInput")
    (detail,) = refused.json()["error"]["details"]
    assert detail["target"] == "properties.dataSourceInfo.resourceLocation"
    assert "'mars-north' is not an Azure region" in detail["message"]
    assert api.get(helpers.instance_path()).status_code == 404


def test_update_reports_updating_protection(api: CheckedArm, blob_policy: str) -> None:
    path = helpers.instance_path("blob1")
    api.wait(api.put(path, {"properties": helpers.blob_instance(blob_policy)}))
    configured(api, path)
    updated = api.put(path, {"properties": helpers.blob_instance(blob_policy, containers=["container1", "container2"])})
    assert updated.status_code == 202
    api.wait(updated)
    assert state(api, path) == ("Succeeded", "UpdatingProtection", "UpdatingProtection")
    configured(api, path)


def test_delete_soft_deletes_and_undelete_restores_stopped(api: CheckedArm, disk_policy: str) -> None:
    path = create_disk_instance(api, disk_policy)
    configured(api, path)
    deleted = api.delete(path)
    assert deleted.status_code == 202
    assert "/providers/Microsoft.DataProtection/locations/westus/operationResults/" in deleted.headers["Location"]
    assert api.wait(deleted)["status"] == "Succeeded"
    assert api.get(deleted.headers["Location"]).json() == {"objectType": "OperationJobExtendedInfo"}
    assert api.get(path).status_code == 404
    assert api.delete(path).status_code == 204
    listed = api.get(f"{helpers.vault_path()}/deletedBackupInstances").json()["value"]
    assert [d["name"] for d in listed] == ["bi1"]
    deleted_path = f"{helpers.vault_path()}/deletedBackupInstances/bi1"
    soft = api.get(deleted_path).json()["properties"]
    assert soft["currentProtectionState"] == "SoftDeleted" and soft["objectType"] == "DeletedBackupInstance"
    assert "scheduledPurgeTime" in soft["deletionInfo"]
    undeleted = api.post(f"{deleted_path}/undelete")
    assert undeleted.status_code == 200 and not undeleted.content
    assert state(api, path)[1:] == ("ProtectionStopped", "ProtectionStopped")
    again = api.post(f"{deleted_path}/undelete")
    assert code(again) == (404, "UserErrorGenericResourceNotFound")
    resumed = api.post(f"{path}/resumeProtection")
    assert resumed.status_code == 202
    api.wait(resumed)
    configured(api, path)
    assert api.post(f"{path}/resumeProtection").status_code == 200


def test_soft_deleted_instances_are_purged_after_retention(
    api: CheckedArm, emulator: EmulatorHandle, disk_policy: str
) -> None:
    path = create_disk_instance(api, disk_policy)
    configured(api, path)
    api.wait(api.delete(path))
    emulator.advance_clock(15 * 86400)
    assert api.get(f"{helpers.vault_path()}/deletedBackupInstances").json()["value"] == []


def test_datasource_protected_once_and_resume_conflict_as_recorded(api: CheckedArm, disk_policy: str) -> None:
    first = create_disk_instance(api, disk_policy)
    other_vault = helpers.vault_path("vault2")
    api.wait(api.put(other_vault, helpers.vault_body()))
    other_policy = helpers.policy_path("diskpolicy", vault="vault2")
    api.put(other_policy, helpers.disk_policy())
    duplicate = api.put(helpers.instance_path("bi2", "vault2"), {"properties": helpers.disk_instance(other_policy)})
    assert code(duplicate) == (400, "UserErrorDppDatasourceAlreadyHasBackupInstance")
    assert "Datasource is already associated with the backup instance disk1" in duplicate.json()["error"]["message"]
    configured(api, first)
    api.wait(api.delete(first))
    second = create_disk_instance(api, other_policy, name="bi2", vault="vault2")
    api.post(f"{helpers.vault_path()}/deletedBackupInstances/bi1/undelete")
    resumed = api.post(f"{first}/resumeProtection")
    assert code(resumed) == (400, "UserErrorDppDatasourceAlreadyHasBackupInstance")
    assert state(api, second)[0] == "Succeeded"


def test_policy_must_fit_the_datasource(api: CheckedArm, blob_policy: str) -> None:
    response = api.put(helpers.instance_path(), {"properties": helpers.disk_instance(blob_policy)})
    assert code(response) == (400, "UserErrorPolicyDatasourceTypeMismatch")
    missing = api.put(helpers.instance_path(), {"properties": helpers.disk_instance(helpers.policy_path("nope"))})
    assert code(missing) == (400, "UserErrorDppPolicyNotFound")
    no_containers = helpers.blob_instance(blob_policy)
    no_containers["policyInfo"]["policyParameters"]["backupDatasourceParametersList"][0]["containersList"] = []
    response = api.put(helpers.instance_path("blob1"), {"properties": no_containers})
    assert code(response) == (400, "UserErrorNoContainersSelectedForOperation")


def test_concurrent_instance_writes_in_a_vault_conflict(api: CheckedArm, disk_policy: str, blob_policy: str) -> None:
    first = api.put(helpers.instance_path(), {"properties": helpers.disk_instance(disk_policy)})
    assert first.status_code == 201
    second = api.put(helpers.instance_path("blob1"), {"properties": helpers.blob_instance(blob_policy)})
    assert code(second) == (409, "UserErrorAnotherOperationInProgress")
    assert second.json()["error"]["additionalInfo"][0]["info"]["isRetryable"] is True
    quirk = api.put(
        helpers.instance_path("blob1"),
        {"properties": helpers.blob_instance(blob_policy)},
        headers={"Accept": "application/json; charset=utf-8; IEEE754Compatible=false"},
    )
    assert quirk.status_code == 406 and not quirk.content
    api.wait(first)
    busy = api.put(helpers.instance_path(), {"properties": helpers.disk_instance(disk_policy)})
    assert code(busy) == (409, "UserErrorAnotherOperationInProgress")
    assert "ConfiguringProtection" in busy.json()["error"]["message"]
    ok = api.put(helpers.instance_path("blob1"), {"properties": helpers.blob_instance(blob_policy)})
    assert ok.status_code == 202


@pytest.fixture
def slow_api(spec: Spec) -> Iterator[CheckedArm]:
    """A spec-checking client of an emulator whose operations take ``SLOW_LRO`` seconds of emulator time: a test
    ends them by moving the emulator clock, so what it sees does not depend on how busy the machine is."""
    with start_emulator(in_process=True, lro_seconds=SLOW_LRO, retry_after=0) as handle:
        yield CheckedArm(handle, spec)


def test_adhoc_backup_job_goes_in_progress_then_completed(slow_api: CheckedArm) -> None:
    api, elapse = slow_api, lambda: slow_api.handle.advance_clock(SLOW_LRO)
    vault = api.put(helpers.vault_path(), helpers.vault_body())
    elapse()
    assert api.wait(vault)["status"] == "Succeeded"
    policy = helpers.policy_path("diskpolicy")
    assert api.put(policy, helpers.disk_policy()).status_code == 200
    path = helpers.instance_path()
    created = api.put(path, {"properties": helpers.disk_instance(policy)})
    elapse()
    assert api.wait(created)["status"] == "Succeeded"
    trigger = {"backupRuleOptions": {"ruleName": "BackupHourly", "triggerOption": {}}}
    too_early = api.post(f"{path}/backup", trigger)
    assert code(too_early) == (400, "UserErrorBackupInstanceNotProtected")
    elapse()
    assert state(api, path)[2] == "ProtectionConfigured"
    wrong_rule = api.post(f"{path}/backup", {"backupRuleOptions": {"ruleName": "Nope", "triggerOption": {}}})
    assert code(wrong_rule) == (400, "UserErrorInvalidBackupRuleName")
    started = api.post(f"{path}/backup", trigger)
    assert started.status_code == 202
    assert api.get(started.headers["Azure-AsyncOperation"]).json()["status"] not in ("Succeeded", "Failed")
    elapse()
    done = api.wait(started)
    job_id = done["properties"]["jobId"]
    assert done["properties"]["objectType"] == "OperationJobExtendedInfo"
    assert api.get(started.headers["Location"]).json() == {"jobId": job_id, "objectType": "OperationJobExtendedInfo"}
    job = api.get(job_id).json()["properties"]
    assert job["status"] == "InProgress" and job["operation"] == "Backup" and job["endTime"] is None  # as recorded
    elapse()
    final = api.get(job_id).json()["properties"]
    assert final["status"] == "Completed" and "endTime" in final
    assert final["extendedInfo"]["targetRecoverPoint"]["recoveryPointID"]
    assert [j["id"] for j in api.get(f"{helpers.vault_path()}/backupJobs").json()["value"]] == [job_id]


def test_validate_for_backup_succeeds_and_reports_problems_through_the_operation(
    api: CheckedArm, disk_policy: str, blob_policy: str
) -> None:
    url = f"{helpers.vault_path()}/validateForBackup"
    ok = api.post(url, {"backupInstance": helpers.disk_instance(disk_policy)})
    assert ok.status_code == 202 and "Location" in ok.headers
    assert api.wait(ok)["status"] == "Succeeded"
    assert api.get(ok.headers["Location"]).json() == {"objectType": "OperationJobExtendedInfo"}
    mismatch = api.post(url, {"backupInstance": helpers.disk_instance(blob_policy)})
    failed = api.wait(mismatch)
    assert failed["status"] == "Failed"
    assert failed["error"]["code"] == "UserErrorPolicyDatasourceTypeMismatch"
    assert failed["error"]["additionalInfo"][0]["type"] == "UserFacingError"
    result = api.get(mismatch.headers["Location"])
    assert code(result) == (400, "UserErrorPolicyDatasourceTypeMismatch")
    invalid = api.post(url, {"backupInstance": {"objectType": "BackupInstance"}})
    assert code(invalid) == (400, "BMSUserErrorInvalidInput")


def test_validate_for_modify_backup(api: CheckedArm, disk_policy: str) -> None:
    path = create_disk_instance(api, disk_policy)
    response = api.post(f"{path}/validateForModifyBackup", {"backupInstance": helpers.disk_instance(disk_policy)})
    assert response.status_code == 202
    assert api.wait(response)["status"] == "Succeeded"


def test_stop_suspend_and_resume(api: CheckedArm, disk_policy: str) -> None:
    path = create_disk_instance(api, disk_policy)
    configured(api, path)
    api.wait(api.post(f"{path}/suspendBackups", {}))
    # Azure: corpus/azure-cli-extensions-head/test_dataprotection_backup_instance_update_protection.yaml #18
    assert state(api, path)[1:] == ("BackupsSuspended", "BackupsSuspended")
    api.wait(api.post(f"{path}/resumeBackups"))
    configured(api, path)
    api.wait(api.post(f"{path}/stopProtection"))
    assert state(api, path)[1:] == ("ProtectionStopped", "ProtectionStopped")
    assert api.post(f"{path}/stopProtection").status_code == 200


def test_extension_routing_lists_instances_of_a_datasource(api: CheckedArm, disk_policy: str) -> None:
    create_disk_instance(api, disk_policy)
    found = api.get(f"{helpers.disk_id()}/providers/Microsoft.DataProtection/backupInstances").json()["value"]
    assert [i["name"] for i in found] == ["bi1"]
    assert found[0]["id"] == f"{helpers.disk_id()}/providers/Microsoft.DataProtection/backupInstances/bi1"
    nothing = api.get(f"{helpers.disk_id('other')}/providers/Microsoft.DataProtection/backupInstances").json()
    assert nothing == {"value": []}


def test_vault_with_instances_cannot_be_deleted_until_soft_deleted_ones_are_purged(
    api: CheckedArm, emulator: EmulatorHandle, vault: str, disk_policy: str
) -> None:
    """Azure refuses to delete a vault holding backup data, soft-deleted instances included, until their retention
    ends (learn.microsoft.com/azure/backup/backup-vault-overview; terraform-provider-azurerm#25142, #33289)."""
    path = create_disk_instance(api, disk_policy)
    refused = api.delete(vault)
    assert code(refused) == (400, "UserErrorBackupVaultHasBackupInstances")
    configured(api, path)
    api.wait(api.delete(path))
    still = api.delete(vault)
    assert code(still) == (400, "UserErrorBackupVaultHasBackupInstances")
    advice = still.json()["error"]["additionalInfo"][0]["info"]["recommendedAction"][0]
    assert "soft-deleted backup instances (bi1)" in advice
    emulator.advance_clock(14 * 86400 + 60)
    deleted = api.delete(vault)
    assert deleted.status_code == 202
    api.wait(deleted)
    assert api.get(vault).status_code == 404


def test_container_names_azure_storage_cannot_hold_are_refused(api: CheckedArm, blob_policy: str) -> None:
    """Azure Storage's container rule (3-63 lower-case letters, digits and single hyphens): ``c1`` cannot exist, so it
    cannot be protected; the recorded names (container1, testcontainer) are accepted."""
    for bad in ("c1", "Container1", "a--b", "-ab", "x" * 64):
        refused = api.put(
            helpers.instance_path("blob-bi"), {"properties": helpers.blob_instance(blob_policy, containers=[bad])}
        )
        assert code(refused) == (400, "BMSUserErrorInvalidInput"), bad
        assert "containersList[0]" in refused.json()["error"]["details"][0]["message"]
    accepted = api.put(
        helpers.instance_path("blob-bi"),
        {"properties": helpers.blob_instance(blob_policy, containers=["container1", "testcontainer"])},
    )
    assert accepted.status_code in (200, 201, 202), accepted.text


def test_blob_auto_protection_is_echoed_and_stands_for_the_containers(api: CheckedArm, blob_policy: str) -> None:
    """2026-06-01 auto-protection parameters (the spec example's rules) are kept and echoed; enabled, they stand for
    the container list a vaulted blob backup needs; the ADLS type on a blob datasource is invalid input."""
    rules = [
        {"objectType": "BlobBackupAutoProtectionRule", "mode": "Exclude", "type": "Prefix", "pattern": p}
        for p in ("temp-", "test-")
    ]
    auto = {
        "objectType": "BlobBackupDatasourceParametersForAutoProtection",
        "autoProtectionSettings": {
            "objectType": "BlobBackupRuleBasedAutoProtectionSettings",
            "enabled": True,
            "rules": rules,
        },
    }
    body = helpers.blob_instance(blob_policy)
    body["policyInfo"]["policyParameters"]["backupDatasourceParametersList"] = [auto]
    path = helpers.instance_path("blob1")
    api.wait(api.put(path, {"properties": body}))
    configured(api, path)
    echoed = api.get(path).json()["properties"]["policyInfo"]["policyParameters"]["backupDatasourceParametersList"]
    assert echoed == [auto]
    adls = {**auto, "objectType": "AdlsBlobBackupDatasourceParametersForAutoProtection"}
    body["policyInfo"]["policyParameters"]["backupDatasourceParametersList"] = [adls]
    refused = api.put(helpers.instance_path("blob2"), {"properties": body})
    assert code(refused) == (400, "BMSUserErrorInvalidInput")
    assert "is for Microsoft.Storage/storageAccounts/adlsBlobServices datasources" in refused.text
