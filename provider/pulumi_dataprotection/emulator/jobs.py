"""Backup job bodies (``AzureBackupJobResource``) as Azure writes them, from a stored job document and the time.

Evidence: the 527 recorded ``GET .../backupJobs/{id}`` answers in ``../shared/reference/recordings`` (backup jobs of
disks, AKS, MySQL/PostgreSQL flexible and PostgreSQL databases; restore jobs of those and of blobs and ADLS), e.g.
``azure-cli-extensions@8e1899ee/test_dataprotection_backup_and_restore_aks.yaml`` #23 (backup running), #39 (backup
completed), #50 (restore running), #68 (restore completed) and
``azure-cli-extensions/test_dataprotection_backup_and_restore_pgflex.yaml`` #30 (backup failed). What they show:

* every property is sent, unset ones as JSON null: ``restoreType`` (null in all 284 restore jobs), ``taskProgress``
  (null in all 527), ``sourceDataStoreName``, ``rehydrationPriority``, ``progressUrl``, ``isCrossRegionRestore``,
  ``endTime`` and ``errorDetails`` while running, and in ``extendedInfo`` ``backupInstanceState``,
  ``dataTransferredInBytes``, ``warningDetails``;
* ``sourceDataStoreType`` is the restore request's datastore on restore jobs (284/284) and null on backup jobs;
* ``destinationDataStoreName`` is null until a backup completes, then ``OperationalTierStore`` for disks (11/11) and
  ``VaultStore`` for flexible servers (6/6); null for AKS, PostgreSQL databases and every restore job;
* ``dataSourceSetName`` is the instance's datasource set (AKS cluster, storage account of ADLS, server of a
  PostgreSQL database) or null; ``progressEnabled`` is true for databases only; ``supportedActions`` ``[""]``;
* a completed backup's ``targetRecoverPoint.recoveryPointTime`` is ``0001-01-01T00:00:00Z`` (19/19);
* the sub-task's ``additionalDetails`` are null while running and name the task, the datasource type and its size
  (backup) or the bytes transferred (restore) once done; the job's ``additionalDetails`` carry ``RetentionTag``
  (backup) or ``Restore File Prefix`` (restore as files), else null;
* the etag's time has its colons percent-encoded.

No recording lists jobs: a list item carries ``extendedInfo`` null, as the spec's ``JobCRUD/ListJobs.json`` and
``CrossRegionRestore/FetchCrossRegionRestoreJobs.json`` examples omit it (a documented guess). No recording shows a
cross-region restore job: ``isCrossRegionRestore`` is true on those (the spec's meaning of the field), else null.
"""

from __future__ import annotations

from typing import Any

from pulumi_dataprotection.emulator import ids
from pulumi_dataprotection.emulator.timeutil import duration, iso

JSON = dict[str, Any]

ZERO_TIME = "0001-01-01T00:00:00Z"
_DATABASES = (
    "Microsoft.DBforPostgreSQL/flexibleServers",
    "Microsoft.DBforMySQL/flexibleServers",
    "Microsoft.DBforPostgreSQL/servers/databases",
)
_BACKUP_DESTINATION = {
    "Microsoft.Compute/disks": "OperationalTierStore",
    "Microsoft.DBforPostgreSQL/flexibleServers": "VaultStore",
    "Microsoft.DBforMySQL/flexibleServers": "VaultStore",
}
"""The ``destinationDataStoreName`` of a completed backup job, per datasource type (else null)."""


AZURE_SECONDS: dict[tuple[str, str], float] = {
    ("Microsoft.Compute/disks", "Backup"): 186.0,
    ("Microsoft.Compute/disks", "Restore"): 214.0,
    ("Microsoft.ContainerService/managedClusters", "Backup"): 216.0,
    ("Microsoft.ContainerService/managedClusters", "Restore"): 214.0,
    ("Microsoft.DBforPostgreSQL/flexibleServers", "Backup"): 125.0,
    ("Microsoft.DBforPostgreSQL/flexibleServers", "Restore"): 95.0,
    ("Microsoft.DBforMySQL/flexibleServers", "Backup"): 125.0,
    ("Microsoft.DBforMySQL/flexibleServers", "Restore"): 95.0,
    ("Microsoft.DBforPostgreSQL/servers/databases", "Backup"): 96.0,
    ("Microsoft.DBforPostgreSQL/servers/databases", "Restore"): 104.0,
    ("Microsoft.Storage/storageAccounts/adlsBlobServices", "Restore"): 383.0,
}
"""How long Azure's jobs ran (the median ``duration`` of the recorded finished jobs per datasource type and
operation), for ``azure_job_durations``; a kind without a recorded job takes the longest."""


def seconds(datasource_type: str, operation: str, *, azure: bool, lro_seconds: float) -> float:
    """How long a job runs: Azure's recorded duration with ``azure``, else two long-running-operation periods."""
    if not azure:
        return 2 * lro_seconds
    return AZURE_SECONDS.get((datasource_type, operation), max(AZURE_SECONDS.values()))


def status(doc: JSON, now: float) -> str:
    """``InProgress`` until the job's end time, then ``Completed`` or ``Failed``."""
    if now < doc["end"]:
        return "InProgress"
    return "Failed" if doc.get("error") else "Completed"


def _etag(at: float) -> str:
    return "W/\"datetime'" + iso(at).replace(":", "%3A") + "'\""


WARNINGS_SINCE = "2023-11-01"
"""The first api-version whose jobs carry ``extendedInfo.warningDetails`` (recorded: absent in all 100 job answers
at 2023-01-01 and 2023-05-01, present in all 427 from 2023-11-01 on)."""


def _extended(doc: JSON, state: str, done: bool, version: str) -> JSON:
    backup = doc["operation"] == "Backup"
    task_details: JSON | None = None
    if done:
        size_key = "OriginalDatasourceSizeInBytes" if backup else "DataTransferredInBytes"
        task_details = {size_key: "0", "TaskId": doc["activity"], "DatasourceType": doc["datasource_type"]}
    target = None
    if backup and done and not doc.get("error") and doc.get("recovery_point"):
        target = {"recoveryPointID": doc["recovery_point"], "recoveryPointTime": ZERO_TIME}
    source = None
    if doc.get("source_point"):
        source = {
            "recoveryPointID": doc["source_point"].get("id"),
            "recoveryPointTime": iso(doc["source_point"]["time"]),
        }
    details: JSON | None = None
    if backup and "retention_tag" in doc:
        details = {"RetentionTag": doc["retention_tag"]}
    elif doc.get("file_prefix"):
        details = {"Restore File Prefix": doc["file_prefix"]}
    extended: JSON = {
        "backupInstanceState": None,
        # A number once a database backup completed (6/6, the datasource's size; the emulator's have none), else null.
        "dataTransferredInBytes": 0.0 if backup and done and doc["datasource_type"] in _DATABASES else None,
        "targetRecoverPoint": target,
        "sourceRecoverPoint": source,
        "recoveryDestination": doc.get("destination"),
        "subTasks": [
            {
                "taskId": 1,
                "taskName": doc.get("task", "Trigger Backup"),
                "taskStatus": state,
                "taskProgress": None,
                "additionalDetails": task_details,
            }
        ],
        "additionalDetails": details,
    }
    if version >= WARNINGS_SINCE:
        extended["warningDetails"] = None
    return extended


def render(doc: JSON, now: float, *, listed: bool = False, version: str = WARNINGS_SINCE) -> JSON:
    """An AzureBackupJobResource at api-version ``version``; ``listed``: as an item of a job list (``extendedInfo``
    null)."""
    state = status(doc, now)
    done = state != "InProgress"
    backup = doc["operation"] == "Backup"
    destination = _BACKUP_DESTINATION.get(doc["datasource_type"]) if backup and done else None
    props: JSON = {
        "activityID": doc["activity"],
        "subscriptionId": doc["sub"],
        "backupInstanceId": doc["instance_id"],
        "policyId": doc["policy_id"],
        "dataSourceId": doc["datasource_id"],
        "vaultName": doc["vault_name"],
        "backupInstanceFriendlyName": doc["friendly_name"],
        "policyName": doc["policy_name"],
        "sourceResourceGroup": doc["source_rg"],
        "dataSourceSetName": doc.get("datasource_set"),
        "dataSourceName": doc["datasource_name"],
        "sourceDataStoreName": None,
        "sourceDataStoreType": None if backup else doc.get("source_datastore"),
        "destinationDataStoreName": destination,
        "progressEnabled": doc["datasource_type"] in _DATABASES,
        "etag": _etag(doc["end"] if done else doc["start"]),
        "sourceSubscriptionID": doc["source_sub"],
        "dataSourceLocation": doc["datasource_location"],
        "startTime": iso(doc["start"]),
        "endTime": iso(doc["end"]) if done else None,
        "dataSourceType": doc["datasource_type"],
        "operationCategory": doc.get("category", "Backup"),
        "operation": doc["operation"],
        "status": state,
        "restoreType": None,
        "isUserTriggered": True,
        "rehydrationPriority": doc.get("rehydration_priority"),
        "supportedActions": [""],
        "duration": duration(doc["end"] - doc["start"]) if done else "PT0S",
        "progressUrl": None,
        "isCrossRegionRestore": True if doc.get("cross_region") else None,
        "errorDetails": [doc["error"]] if done and doc.get("error") else None,
        "extendedInfo": None if listed else _extended(doc, state, done, version),
    }
    return {"properties": props, "id": doc["id"], "name": doc["name"], "type": ids.JOB_TYPE}
