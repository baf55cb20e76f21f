"""Request bodies and paths for the emulator tests, modelled on the recorded Azure CLI exchanges."""

from __future__ import annotations

import copy
from typing import Any

from tests.support.emulator import SUBSCRIPTION

RG = "rg-emulator"
LOCATION = "westus"
DP = "providers/Microsoft.DataProtection"


def rg_path(rg: str = RG, sub: str = SUBSCRIPTION) -> str:
    """``/subscriptions/{sub}/resourceGroups/{rg}``."""
    return f"/subscriptions/{sub}/resourceGroups/{rg}"


def vault_path(name: str = "vault1", rg: str = RG, sub: str = SUBSCRIPTION) -> str:
    """The id of a backup vault."""
    return f"{rg_path(rg, sub)}/{DP}/backupVaults/{name}"


def policy_path(name: str = "diskpolicy", vault: str = "vault1") -> str:
    """The id of a backup policy."""
    return f"{vault_path(vault)}/backupPolicies/{name}"


def instance_path(name: str = "bi1", vault: str = "vault1") -> str:
    """The id of a backup instance."""
    return f"{vault_path(vault)}/backupInstances/{name}"


def disk_id(name: str = "disk1") -> str:
    """A managed disk id."""
    return f"{rg_path('rg-data')}/providers/Microsoft.Compute/disks/{name}"


def storage_id(name: str = "sa1") -> str:
    """A storage account id."""
    return f"{rg_path('rg-data')}/providers/Microsoft.Storage/storageAccounts/{name}"


def vault_body(location: str = LOCATION, soft_delete: str = "AlwaysOn", **extra: Any) -> dict[str, Any]:
    """A vault PUT body like ``az dataprotection backup-vault create`` sends."""
    props: dict[str, Any] = {
        "storageSettings": [{"datastoreType": "VaultStore", "type": "LocallyRedundant"}],
        "securitySettings": {"softDeleteSettings": {"state": soft_delete, "retentionDurationInDays": 14.0}},
    }
    props.update(extra)
    return {"location": location, "identity": {"type": "SystemAssigned"}, "properties": props}


DISK_POLICY: dict[str, Any] = {
    "properties": {
        "datasourceTypes": ["Microsoft.Compute/disks"],
        "objectType": "BackupPolicy",
        "policyRules": [
            {
                "backupParameters": {"backupType": "Incremental", "objectType": "AzureBackupParams"},
                "dataStore": {"dataStoreType": "OperationalStore", "objectType": "DataStoreInfoBase"},
                "name": "BackupHourly",
                "objectType": "AzureBackupRule",
                "trigger": {
                    "objectType": "ScheduleBasedTriggerContext",
                    "schedule": {"repeatingTimeIntervals": ["R/2020-04-05T13:00:00+00:00/PT4H"]},
                    "taggingCriteria": [{"isDefault": True, "tagInfo": {"tagName": "Default"}, "taggingPriority": 99}],
                },
            },
            {
                "isDefault": True,
                "lifecycles": [
                    {
                        "deleteAfter": {"duration": "P7D", "objectType": "AbsoluteDeleteOption"},
                        "sourceDataStore": {"dataStoreType": "OperationalStore", "objectType": "DataStoreInfoBase"},
                    }
                ],
                "name": "Default",
                "objectType": "AzureRetentionRule",
            },
        ],
    }
}

BLOB_POLICY: dict[str, Any] = {
    "properties": {
        "datasourceTypes": ["Microsoft.Storage/storageAccounts/blobServices"],
        "objectType": "BackupPolicy",
        "policyRules": [
            {
                "isDefault": True,
                "lifecycles": [
                    {
                        "deleteAfter": {"duration": "P7D", "objectType": "AbsoluteDeleteOption"},
                        "sourceDataStore": {"dataStoreType": "VaultStore", "objectType": "DataStoreInfoBase"},
                        "targetDataStoreCopySettings": [],
                    }
                ],
                "name": "Default",
                "objectType": "AzureRetentionRule",
            },
            {
                "backupParameters": {"backupType": "Discrete", "objectType": "AzureBackupParams"},
                "dataStore": {"dataStoreType": "VaultStore", "objectType": "DataStoreInfoBase"},
                "name": "BackupDaily",
                "objectType": "AzureBackupRule",
                "trigger": {
                    "objectType": "ScheduleBasedTriggerContext",
                    "schedule": {"repeatingTimeIntervals": ["R/2023-06-28T07:30:00+00:00/P1D"], "timeZone": "UTC"},
                    "taggingCriteria": [{"isDefault": True, "tagInfo": {"tagName": "Default"}, "taggingPriority": 99}],
                },
            },
        ],
    }
}


def disk_policy() -> dict[str, Any]:
    """A disk policy body (the CLI's default disk policy)."""
    return copy.deepcopy(DISK_POLICY)


def blob_policy() -> dict[str, Any]:
    """A vaulted blob policy body."""
    return copy.deepcopy(BLOB_POLICY)


def disk_instance(policy: str, disk: str | None = None, friendly: str = "disk1") -> dict[str, Any]:
    """A disk backup instance body (``properties`` only, as used by PUT and validateForBackup)."""
    disk = disk or disk_id()
    return {
        "dataSourceInfo": {
            "datasourceType": "Microsoft.Compute/disks",
            "objectType": "Datasource",
            "resourceID": disk,
            "resourceLocation": LOCATION,
            "resourceName": disk.rsplit("/", 1)[1],
            "resourceType": "Microsoft.Compute/disks",
            "resourceUri": disk,
        },
        "friendlyName": friendly,
        "objectType": "BackupInstance",
        "policyInfo": {
            "policyId": policy,
            "policyParameters": {
                "dataStoreParametersList": [
                    {
                        "dataStoreType": "OperationalStore",
                        "objectType": "AzureOperationalStoreParameters",
                        "resourceGroupId": rg_path("rg-snapshots"),
                    }
                ]
            },
        },
    }


def blob_instance(policy: str, account: str | None = None, containers: list[str] | None = None) -> dict[str, Any]:
    """A vaulted blob backup instance body (``properties`` only)."""
    account = account or storage_id()
    return {
        "dataSourceInfo": {
            "datasourceType": "Microsoft.Storage/storageAccounts/blobServices",
            "objectType": "Datasource",
            "resourceID": account,
            "resourceLocation": LOCATION,
            "resourceName": account.rsplit("/", 1)[1],
            "resourceType": "Microsoft.Storage/storageAccounts",
            "resourceUri": account,
        },
        "friendlyName": account.rsplit("/", 1)[1],
        "objectType": "BackupInstance",
        "policyInfo": {
            "policyId": policy,
            "policyParameters": {
                "backupDatasourceParametersList": [
                    {"objectType": "BlobBackupDatasourceParameters", "containersList": containers or ["container1"]}
                ]
            },
        },
    }
