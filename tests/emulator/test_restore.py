"""validateRestore, restore, cross region restore and restore jobs in the emulator: accepted requests start a Restore
job that follows the clock, bad points and bad targets get the service's error and start nothing. Every response is
checked against the official spec by the ``api`` client; the official restore examples are accepted as they are."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.emulator import schema as emulator_schema
from pulumi_dataprotection.emulator.restore import CROSS_REGION, REQUEST, VALIDATE
from pulumi_dataprotection.policy.builders import ArchiveTier, Retention, Schedule, postgresql_policy
from tests.emulator.conftest import CheckedArm
from tests.support.protected import DATA, LOCATION, protect
from tests.support.spec import Spec

DAY = 86400.0
CLUSTER = f"{DATA}/Microsoft.ContainerService/managedClusters/aks-shop"


def _latest(api: CheckedArm, instance: str, store: str) -> dict[str, Any]:
    points = [p["properties"] for p in api.get(f"{instance}/recoveryPoints").json()["value"]]
    return next(p for p in points if any(d["type"] == store for d in p["recoveryPointDataStoresDetails"]))


def _datasource(rid: str, dtype: str, rtype: str) -> dict[str, Any]:
    return {
        "objectType": "Datasource",
        "resourceID": rid,
        "resourceName": rid.rsplit("/", 1)[1],
        "resourceType": rtype,
        "resourceUri": rid,
        "resourceLocation": LOCATION,
        "datasourceType": dtype,
    }


def aks_request(point: str, mappings: dict[str, str], *, store: str = "OperationalStore") -> dict[str, Any]:
    """An AKS restore into the source cluster with namespaces mapped to scratch names."""
    source = _datasource(
        CLUSTER, "Microsoft.ContainerService/managedClusters", "Microsoft.ContainerService/managedclusters"
    )
    criteria: dict[str, Any] = {
        "objectType": "KubernetesClusterRestoreCriteria",
        "includeClusterScopeResources": False,
        "includedNamespaces": list(mappings),
        "namespaceMappings": mappings,
        "persistentVolumeRestoreMode": "RestoreWithVolumeData",
        "conflictPolicy": "Skip",
    }
    return {
        "objectType": "AzureBackupRecoveryPointBasedRestoreRequest",
        "recoveryPointId": point,
        "sourceDataStoreType": store,
        "restoreTargetInfo": {
            "objectType": "ItemLevelRestoreTargetInfo",
            "recoveryOption": "FailIfExists",
            "restoreLocation": LOCATION,
            "datasourceInfo": source,
            "datasourceSetInfo": {**source, "objectType": "DatasourceSet"},
            "restoreCriteria": [criteria],
        },
    }


def pg_request(point: str, database: str) -> dict[str, Any]:
    """A PostgreSQL single-server database restore to a new database on the same server."""
    server = f"{DATA}/Microsoft.DBforPostgreSQL/servers/pg-legacy"
    target = _datasource(
        f"{server}/databases/{database}",
        "Microsoft.DBforPostgreSQL/servers/databases",
        "Microsoft.DBforPostgreSQL/servers/databases",
    )
    return {
        "objectType": "AzureBackupRecoveryPointBasedRestoreRequest",
        "recoveryPointId": point,
        "sourceDataStoreType": "VaultStore",
        "restoreTargetInfo": {
            "objectType": "RestoreTargetInfo",
            "recoveryOption": "FailIfExists",
            "restoreLocation": LOCATION,
            "datasourceInfo": target,
            "datasourceAuthCredentials": {
                "objectType": "SecretStoreBasedAuthCredentials",
                "secretStoreResource": {
                    "secretStoreType": "AzureKeyVault",
                    "uri": "https://kv-db.vault.azure.net/secrets/pg-orders",
                },
            },
        },
    }


def _code(response: Any) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


@pytest.mark.parametrize("mappings", [{"Shop_NS": "shop-drill"}, {"shop": "Shop_Drill"}])
def test_an_aks_restore_into_a_namespace_kubernetes_cannot_hold_is_invalid_input(
    api: CheckedArm, emulator: EmulatorHandle, mappings: dict[str, str]
) -> None:
    instance = protect(emulator, ("aks",)).instances["aks"]
    emulator.advance_clock(DAY)
    point = _latest(api, instance, "OperationalStore")
    refused = api.post(f"{instance}/restore", aks_request(point["recoveryPointId"], mappings))
    assert _code(refused) == (400, "BMSUserErrorInvalidInput")
    assert "is not a Kubernetes namespace name" in refused.json()["error"]["message"]
    assert emulator.restored() == []


def test_aks_restore_runs_a_job_and_a_second_restore_onto_its_namespace_fails(
    api: CheckedArm, emulator: EmulatorHandle
) -> None:
    instance = protect(emulator, ("aks",)).instances["aks"]
    emulator.advance_clock(DAY)
    point = _latest(api, instance, "OperationalStore")
    request = aks_request(point["recoveryPointId"], {"shop": "shop-drill"})
    validated = api.post(f"{instance}/validateRestore", {"restoreRequestObject": request})
    assert validated.status_code == 202 and api.wait(validated)["status"] == "Succeeded"
    started = api.post(f"{instance}/restore", request)
    assert started.status_code == 202, started.text
    assert "/locations/westeurope/operationResults/" in started.headers["Location"]
    job_id = api.wait(started)["properties"]["jobId"]
    job = api.get(job_id).json()["properties"]
    assert (job["operationCategory"], job["operation"], job["status"]) == ("Restore", "Restore", "InProgress")
    assert job["extendedInfo"]["sourceRecoverPoint"]["recoveryPointID"] == point["recoveryPointId"]
    assert job["extendedInfo"]["recoveryDestination"] == CLUSTER and job["restoreType"] is None  # Azure: null 284/284
    assert job["extendedInfo"]["subTasks"][0]["taskName"] == "Trigger Restore"
    emulator.advance_clock(5)
    done = api.get(job_id).json()["properties"]
    assert done["status"] == "Completed" and done["extendedInfo"]["subTasks"][0]["taskStatus"] == "Completed"
    assert [r["id"] for r in emulator.restored()] == [f"{CLUSTER}/namespaces/shop-drill"]
    again = api.post(f"{instance}/restore", request)
    assert _code(again) == (400, "UserErrorRestoreTargetAlreadyExists")
    restores = [j for j in api.get(instance.split("/backupInstances/")[0] + "/backupJobs").json()["value"]]
    assert [j["properties"]["operation"] for j in restores] == ["Restore"]


def test_bad_points_and_targets_fail_with_the_service_error_and_create_nothing(
    api: CheckedArm, emulator: EmulatorHandle
) -> None:
    done = protect(emulator, ("postgresql", "aks"))
    pg, aks = done.instances["postgresql"], done.instances["aks"]
    emulator.advance_clock(8 * DAY)
    point = _latest(api, pg, "VaultStore")["recoveryPointId"]
    cases = [
        (pg, pg_request("0" * 32, "orders-drill"), "UserErrorRecoveryPointNotFound"),
        (pg, pg_request(point, "orders"), "UserErrorRestoreTargetAlreadyExists"),  # the protected database itself
        (
            aks,
            aks_request(_latest(api, aks, "VaultStore")["recoveryPointId"], {"a": "b"}, store="VaultStore"),
            "BMSUserErrorInvalidInput",
        ),
    ]
    wrong_region = pg_request(point, "orders-drill")
    wrong_region["restoreTargetInfo"]["restoreLocation"] = "eastus"
    cases.append((pg, wrong_region, "UserErrorInvalidRestoreLocation"))
    as_files = pg_request(point, "x")
    as_files["restoreTargetInfo"] = {
        "objectType": "RestoreFilesTargetInfo",
        "recoveryOption": "FailIfExists",
        "targetDetails": {"filePrefix": "drill", "restoreTargetLocationType": "AzureBlobs", "url": "https://x/c"},
    }
    cases.append(
        (
            aks,
            {
                **as_files,
                "recoveryPointId": _latest(api, aks, "OperationalStore")["recoveryPointId"],
                "sourceDataStoreType": "OperationalStore",
            },
            "UserErrorRestoreTypeNotSupported",
        )
    )
    for instance, request, expected in cases:
        response = api.post(f"{instance}/restore", request)
        assert _code(response) == (400, expected), request
        validated = api.post(f"{instance}/validateRestore", {"restoreRequestObject": request})
        assert validated.status_code == 202
        status = api.wait(validated)
        assert status["status"] == "Failed" and status["error"]["code"] == expected
    assert emulator.restored() == []
    assert api.get(pg.split("/backupInstances/")[0] + "/backupJobs").json()["value"] == []


def test_point_in_time_restore_must_fall_in_a_restorable_range(api: CheckedArm, emulator: EmulatorHandle) -> None:
    instance = protect(emulator, ("blob",)).instances["blob"]
    emulator.advance_clock(2 * DAY)
    window = api.post(f"{instance}/findRestorableTimeRanges", {"sourceDataStoreType": "OperationalStore"})
    (span,) = window.json()["properties"]["restorableTimeRanges"]
    account = f"{DATA}/Microsoft.Storage/storageAccounts/stblob"
    request = {
        "objectType": "AzureBackupRecoveryTimeBasedRestoreRequest",
        "recoveryPointTime": span["endTime"],
        "sourceDataStoreType": "OperationalStore",
        "restoreTargetInfo": {
            "objectType": "ItemLevelRestoreTargetInfo",
            "recoveryOption": "FailIfExists",
            "restoreLocation": LOCATION,
            "datasourceInfo": _datasource(
                account, "Microsoft.Storage/storageAccounts/blobServices", "Microsoft.Storage/storageAccounts"
            ),
            "restoreCriteria": [
                {
                    "objectType": "RangeBasedItemLevelRestoreCriteria",
                    "minMatchingValue": "invoices/2024",
                    "maxMatchingValue": "invoices/2025",
                }
            ],
        },
    }
    ok = api.post(f"{instance}/restore", request)
    assert ok.status_code == 202, ok.text
    before = copy.deepcopy(request)
    before["recoveryPointTime"] = "2020-01-01T00:00:00Z"
    assert _code(api.post(f"{instance}/restore", before)) == (400, "UserErrorInvalidRestorableTimeRange")


def test_vaulted_blob_restore_to_the_protected_container_fails_and_to_a_renamed_one_works(
    api: CheckedArm, emulator: EmulatorHandle
) -> None:
    instance = protect(emulator, ("blob",)).instances["blob"]
    emulator.advance_clock(2 * DAY)
    point = _latest(api, instance, "VaultStore")["recoveryPointId"]
    account = f"{DATA}/Microsoft.Storage/storageAccounts/stblob"

    def request(rename: str | None) -> dict[str, Any]:
        criteria: dict[str, Any] = {
            "objectType": "ItemPathBasedRestoreCriteria",
            "itemPath": "invoices",
            "isPathRelativeToBackupItem": True,
        }
        if rename:
            criteria["renameTo"] = rename
        return {
            "objectType": "AzureBackupRecoveryPointBasedRestoreRequest",
            "recoveryPointId": point,
            "sourceDataStoreType": "VaultStore",
            "restoreTargetInfo": {
                "objectType": "ItemLevelRestoreTargetInfo",
                "recoveryOption": "FailIfExists",
                "restoreLocation": LOCATION,
                "datasourceInfo": _datasource(
                    account, "Microsoft.Storage/storageAccounts/blobServices", "Microsoft.Storage/storageAccounts"
                ),
                "restoreCriteria": [criteria],
            },
        }

    assert _code(api.post(f"{instance}/restore", request(None))) == (400, "UserErrorRestoreTargetAlreadyExists")
    assert api.post(f"{instance}/restore", request("invoices-drill")).status_code == 202
    assert [r["id"] for r in emulator.restored()] == [f"{account}/blobServices/default/containers/invoices-drill"]


def test_strict_datasources_refuse_a_missing_target_cluster(api: CheckedArm, emulator: EmulatorHandle) -> None:
    instance = protect(emulator, ("aks",)).instances["aks"]
    emulator.add_datasource(f"{DATA}/Microsoft.Compute/disks/unrelated")
    emulator.advance_clock(DAY)
    request = aks_request(_latest(api, instance, "OperationalStore")["recoveryPointId"], {"shop": "shop-drill"})
    other = f"{DATA}/Microsoft.ContainerService/managedClusters/aks-scratch"
    for key in ("datasourceInfo", "datasourceSetInfo"):
        request["restoreTargetInfo"][key].update(resourceID=other, resourceUri=other, resourceName="aks-scratch")
    assert _code(api.post(f"{instance}/restore", request)) == (400, "UserErrorGenericResourceNotFound")
    emulator.add_datasource(other)
    assert api.post(f"{instance}/restore", request).status_code == 202


def test_cross_region_restore_from_the_paired_region(api: CheckedArm, emulator: EmulatorHandle) -> None:
    instance = protect(emulator, ("postgresql",), geo=True).instances["postgresql"]
    emulator.advance_clock(8 * DAY)
    vault = instance.split("/backupInstances/")[0]
    rg = vault.split("/providers/")[0]
    paired = f"{rg}/providers/Microsoft.DataProtection/locations/northeurope"
    secondary = api.post(
        f"{paired}/fetchSecondaryRecoveryPoints", {"sourceRegion": LOCATION, "sourceBackupInstanceId": instance}
    )
    assert secondary.status_code == 200, secondary.text
    point = secondary.json()["value"][0]["name"]
    request = pg_request(point, "orders-crr")
    request["restoreTargetInfo"]["restoreLocation"] = "northeurope"
    body = {
        "restoreRequestObject": request,
        "crossRegionRestoreDetails": {"sourceRegion": LOCATION, "sourceBackupInstanceId": instance},
    }
    validated = api.post(f"{paired}/validateCrossRegionRestore", body)
    assert validated.status_code == 202 and api.wait(validated)["status"] == "Succeeded"
    started = api.post(f"{paired}/crossRegionRestore", body)
    assert started.status_code == 202, started.text
    job_id = api.wait(started)["properties"]["jobId"]
    job = api.post(
        f"{paired}/fetchCrossRegionRestoreJob",
        {"sourceRegion": LOCATION, "sourceBackupVaultId": vault, "jobId": job_id},
    )
    assert job.status_code == 200 and job.json()["properties"]["operation"] == "Restore"
    jobs = api.post(f"{paired}/fetchCrossRegionRestoreJobs", {"sourceRegion": LOCATION, "sourceBackupVaultId": vault})
    assert [j["id"] for j in jobs.json()["value"]] == [job_id]
    home = f"{rg}/providers/Microsoft.DataProtection/locations/{LOCATION}"
    assert _code(api.post(f"{home}/crossRegionRestore", body)) == (400, "UserErrorInvalidRestoreLocation")


def test_cross_region_restore_needs_the_vault_setting(api: CheckedArm, emulator: EmulatorHandle) -> None:
    instance = protect(emulator, ("postgresql",)).instances["postgresql"]
    rg = instance.split("/providers/")[0]
    body = {
        "restoreRequestObject": pg_request("0" * 32, "orders-crr"),
        "crossRegionRestoreDetails": {"sourceRegion": LOCATION, "sourceBackupInstanceId": instance},
    }
    response = api.post(f"{rg}/providers/Microsoft.DataProtection/locations/northeurope/crossRegionRestore", body)
    assert _code(response) == (400, "UserErrorCrossRegionRestoreNotEnabled")


@pytest.mark.parametrize(
    "operation_id",
    [
        "BackupInstances_TriggerRestore",
        "BackupInstances_ValidateForRestore",
        "BackupInstances_TriggerCrossRegionRestore",
        "BackupInstances_ValidateCrossRegionRestore",
    ],
)
def test_the_official_examples_are_accepted_as_they_are(spec_2025: Spec, operation_id: str) -> None:
    model = {
        "BackupInstances_TriggerRestore": REQUEST,
        "BackupInstances_ValidateForRestore": VALIDATE,
        "BackupInstances_TriggerCrossRegionRestore": CROSS_REGION,
        "BackupInstances_ValidateCrossRegionRestore": CROSS_REGION,
    }[operation_id]
    examples = [e for e in spec_2025.examples() if e.operation_id == operation_id]
    assert examples
    for example in examples:
        problems: list[str] = []
        model.check(example.request_body, "body", problems)
        assert problems == [], example.path.name
        emulator_schema.parse(model, example.request_body)


def test_a_restore_may_run_in_the_targets_region(api: CheckedArm, emulator: EmulatorHandle) -> None:
    """Issue 23: Azure restored an ADLS backup of a centraluseuap vault into an eastus account with restoreLocation
    eastus, the target's region (corpus/azure-cli-extensions-head/
    test_dataprotection_backup_instance_restore_adls_recovery_point.yaml #2 validateRestore, #6 restore: 202 and
    Succeeded); the emulator refused every restoreLocation but the vault's."""
    pg = protect(emulator, ("postgresql",)).instances["postgresql"]
    emulator.advance_clock(8 * DAY)
    request = pg_request(_latest(api, pg, "VaultStore")["recoveryPointId"], "orders-east")
    request["restoreTargetInfo"]["datasourceInfo"]["resourceLocation"] = "eastus"
    request["restoreTargetInfo"]["restoreLocation"] = "eastus"
    validated = api.post(f"{pg}/validateRestore", {"restoreRequestObject": request})
    assert validated.status_code == 202 and api.wait(validated)["status"] == "Succeeded"
    request["restoreTargetInfo"]["restoreLocation"] = "northeurope"  # neither the vault's nor the target's region
    assert _code(api.post(f"{pg}/restore", request)) == (400, "UserErrorInvalidRestoreLocation")


ARCHIVING = postgresql_policy(Schedule.weekly(["Sunday"], "02:00"), Retention("P7D", archive=ArchiveTier("P6M")))
"""Weekly PostgreSQL backups kept a week in the vault tier, then six months in the ArchiveStore."""


def _rehydrating(request: dict[str, Any], priority: str, duration: str) -> dict[str, Any]:
    return {
        **request,
        "objectType": "AzureBackupRestoreWithRehydrationRequest",
        "sourceDataStoreType": "ArchiveStore",
        "rehydrationPriority": priority,
        "rehydrationRetentionDuration": duration,
    }


def _stores(api: CheckedArm, instance: str, point: str) -> list[tuple[str, str | None]]:
    details = api.get(f"{instance}/recoveryPoints/{point}").json()["properties"]["recoveryPointDataStoresDetails"]
    return sorted((d["type"], d.get("rehydrationStatus")) for d in details)


def test_an_archived_point_is_restored_with_rehydration_and_keeps_a_vault_copy_for_the_duration(
    api: CheckedArm, emulator: EmulatorHandle
) -> None:
    instance = protect(emulator, ("postgresql",), policies={"postgresql": ARCHIVING}).instances["postgresql"]
    emulator.advance_clock(16 * DAY)
    point = _latest(api, instance, "ArchiveStore")["recoveryPointId"]
    assert _stores(api, instance, point) == [("ArchiveStore", None)]
    plain = {**pg_request(point, "orders_drill"), "sourceDataStoreType": "ArchiveStore"}
    assert _code(api.post(f"{instance}/restore", plain)) == (400, "UserErrorRecoveryPointNotRehydrated")
    request = _rehydrating(pg_request(point, "orders_drill"), "High", "P10D")
    validated = api.post(f"{instance}/validateRestore", {"restoreRequestObject": request})
    assert api.wait(validated)["status"] == "Succeeded"
    job_id = api.wait(api.post(f"{instance}/restore", request))["properties"]["jobId"]
    job = api.get(job_id).json()["properties"]
    assert (job["status"], job["rehydrationPriority"], job["sourceDataStoreType"]) == (
        "InProgress",
        "High",
        "ArchiveStore",
    )
    assert _stores(api, instance, point) == [("ArchiveStore", None), ("VaultStore", "CREATE_IN_PROGRESS")]
    emulator.advance_clock(1800)
    assert api.get(job_id).json()["properties"]["status"] == "InProgress", "High priority takes an hour"
    emulator.advance_clock(1800 + 5)
    done = api.get(job_id).json()["properties"]
    assert done["status"] == "Completed"
    assert _stores(api, instance, point) == [("ArchiveStore", None), ("VaultStore", "COMPLETED")]
    details = api.get(f"{instance}/recoveryPoints/{point}").json()["properties"]["recoveryPointDataStoresDetails"]
    vault_copy = next(d for d in details if d["type"] == "VaultStore")
    assert vault_copy["rehydrationExpiryTime"] == vault_copy["expiryTime"]
    again = api.post(f"{instance}/restore", pg_request(point, "orders_drill2"))  # now readable in the vault tier
    assert again.status_code == 202, again.text
    emulator.advance_clock(10 * DAY)
    assert _stores(api, instance, point) == [("ArchiveStore", None)], "the rehydrated copy lasts the duration"


def test_rehydrate_takes_the_priority_s_time_and_checks_its_inputs(api: CheckedArm, emulator: EmulatorHandle) -> None:
    instance = protect(emulator, ("postgresql",), policies={"postgresql": ARCHIVING}).instances["postgresql"]
    emulator.advance_clock(16 * DAY)
    point = _latest(api, instance, "ArchiveStore")["recoveryPointId"]
    bad = {"recoveryPointId": point, "rehydrationPriority": "Invalid", "rehydrationRetentionDuration": "P10D"}
    assert _code(api.post(f"{instance}/rehydrate", bad)) == (400, "BMSUserErrorInvalidInput")
    short = {"recoveryPointId": point, "rehydrationRetentionDuration": "PT1H"}
    assert _code(api.post(f"{instance}/rehydrate", short)) == (400, "BMSUserErrorInvalidInput")
    started = api.post(f"{instance}/rehydrate", {"recoveryPointId": point, "rehydrationRetentionDuration": "7D"})
    assert started.status_code == 202 and api.wait(started)["status"] == "Succeeded"
    emulator.advance_clock(14 * 3600)
    assert _stores(api, instance, point) == [("ArchiveStore", None), ("VaultStore", "CREATE_IN_PROGRESS")]
    emulator.advance_clock(3600)
    assert _stores(api, instance, point) == [("ArchiveStore", None), ("VaultStore", "COMPLETED")]


def test_cosmos_db_restores_into_a_new_account_only(api: CheckedArm, emulator: EmulatorHandle) -> None:
    """Cosmos DB backups restore into an empty account, never over the source or an account holding restored data
    (Azure Backup's Cosmos DB support matrix; alternate-location only in the Az.DataProtection manifest)."""
    instance = protect(emulator, ("cosmos_db",)).instances["cosmos_db"]
    emulator.advance_clock(8 * DAY)
    point = _latest(api, instance, "VaultStore")["recoveryPointId"]
    source = f"{DATA}/Microsoft.DocumentDB/databaseAccounts/cosmos-orders"

    def request(account: str) -> dict[str, Any]:
        return {
            "objectType": "AzureBackupRecoveryPointBasedRestoreRequest",
            "recoveryPointId": point,
            "sourceDataStoreType": "VaultStore",
            "restoreTargetInfo": {
                "objectType": "RestoreTargetInfo",
                "recoveryOption": "FailIfExists",
                "restoreLocation": LOCATION,
                "datasourceInfo": _datasource(
                    account, "Microsoft.DocumentDB/databaseAccounts", "Microsoft.DocumentDB/databaseAccounts"
                ),
            },
        }

    assert _code(api.post(f"{instance}/restore", request(source))) == (400, "UserErrorRestoreTypeNotSupported")
    target = f"{source}-restored"
    assert api.post(f"{instance}/validateRestore", {"restoreRequestObject": request(target)}).status_code == 202
    assert api.post(f"{instance}/restore", request(target)).status_code == 202
    assert [r["id"] for r in emulator.restored()] == [target]
    assert _code(api.post(f"{instance}/restore", request(target))) == (400, "UserErrorRestoreTargetAlreadyExists")
