"""Response bodies of the emulator's resources, computed from stored documents and the current time.

Time-driven states (protection being configured, jobs running, operations in progress) are derived here from the
timestamps stored with each document, so no background work is needed and a restart continues where it stopped.
"""

from __future__ import annotations

import copy
from typing import Any

from pulumi_dataprotection.emulator import ids
from pulumi_dataprotection.emulator.regions import lookup_key, region_name
from pulumi_dataprotection.emulator.schema import SOFT_DELETE_STATE
from pulumi_dataprotection.emulator.timeutil import NOT_ENDED, iso, iso_seconds

JSON = dict[str, Any]

# Azure region pairs used for the ``replicatedRegions`` of geo-redundant vaults.
_PAIRED_REGIONS = {
    "eastus": "westus",
    "westus": "eastus",
    "eastus2": "centralus",
    "centralus": "eastus2",
    "westus2": "westcentralus",
    "westcentralus": "westus2",
    "westus3": "eastus",
    "northcentralus": "southcentralus",
    "southcentralus": "northcentralus",
    "northeurope": "westeurope",
    "westeurope": "northeurope",
    "uksouth": "ukwest",
    "ukwest": "uksouth",
    "francecentral": "francesouth",
    "germanywestcentral": "germanynorth",
    "swedencentral": "swedensouth",
    "japaneast": "japanwest",
    "japanwest": "japaneast",
    "australiaeast": "australiasoutheast",
    "australiasoutheast": "australiaeast",
    "southeastasia": "eastasia",
    "eastasia": "southeastasia",
    "centralindia": "southindia",
    "canadacentral": "canadaeast",
    "brazilsouth": "southcentralus",
    "centraluseuap": "eastus2euap",
    "eastus2euap": "centraluseuap",
}


def region(location: str) -> str:
    """The region name ARM returns and uses in URLs (``West Europe`` -> ``westeurope``)."""
    return region_name(location) or lookup_key(location)


def strip_none(value: Any) -> Any:
    """A copy without null members (the spec declares no nullable property)."""
    if isinstance(value, dict):
        return {k: strip_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [strip_none(v) for v in value]
    return value


def secure_score(properties: JSON, guarded: bool = False) -> tuple[str, str]:
    """``(secureScore, bcdrSecurityLevel)`` of a vault (``guarded``: linked to a resource guard).

    As the recorded vault bodies grade them (every soft delete / immutability pair they show): an irreversible
    protection (soft delete AlwaysOn, or immutability Locked) is Adequate/Good; soft delete On with immutability
    Unlocked is Minimum/Fair; anything less is None/Poor. Maximum/Excellent (AlwaysOn, Locked, and a customer-managed
    key or a resource guard) follows Azure's documentation of the levels; no recording shows it.
    """
    security = properties.get("securitySettings", {})
    soft = SOFT_DELETE_STATE.canonical(security.get("softDeleteSettings", {}).get("state", "Off"))
    immutability = security.get("immutabilitySettings", {}).get("state", "Disabled")
    cmk = security.get("encryptionSettings", {}).get("state") == "Enabled"
    if soft == "AlwaysOn" and immutability == "Locked" and (cmk or guarded):
        return "Maximum", "Excellent"
    if soft == "AlwaysOn" or immutability == "Locked":
        return "Adequate", "Good"
    if soft == "On" and immutability == "Unlocked":
        return "Minimum", "Fair"
    return "None", "Poor"


# Read-only vault properties and the first api-version whose answers carry them (recorded vault bodies: none of
# the 27 at 2022-11-01-preview/2023-01-01 has secureScore, the 12 at 2023-05-01 have it but not replicatedRegions,
# the 12 at 2023-11-01 have both, bcdrSecurityLevel appears at 2024-04-01 in all 60); the costManagementSettings a
# vault was given, from 2026-06-01 (its spec; older versions' models do not know it).
_VAULT_FIELDS_SINCE = {
    "secureScore": "2023-05-01",
    "replicatedRegions": "2023-11-01",
    "bcdrSecurityLevel": "2024-04-01",
    "costManagementSettings": "2026-06-01",
}


def replicated_regions(props: JSON, location: str) -> list[str]:
    """The regions a vault's backups are replicated to: its paired region when geo-redundant."""
    if props.get("replicatedRegions") is not None:
        return list(props["replicatedRegions"])
    geo = any(s.get("type") == "GeoRedundant" for s in props.get("storageSettings", []))
    pair = _PAIRED_REGIONS.get(region(location))
    return [pair] if geo and pair else []


def vault(doc: JSON, version: str = "") -> JSON:
    """A BackupVaultResource as answered at api-version ``version`` (the newest when empty)."""
    props = copy.deepcopy(doc["properties"])
    guarded = bool(doc.get("resource_guard"))
    score, bcdr = secure_score(props, guarded)
    replicated = replicated_regions(props, doc["location"])
    props.pop("replicatedRegions", None)
    rendered: JSON = {"provisioningState": doc["provisioningState"], "storageSettings": props.pop("storageSettings")}
    rendered["isVaultProtectedByResourceGuard"] = guarded
    for key in ("monitoringSettings", "securitySettings", "featureSettings"):
        if key in props:
            rendered[key] = props.pop(key)
    by_version = {"secureScore": score, "bcdrSecurityLevel": bcdr, "replicatedRegions": replicated}
    if "costManagementSettings" in props:
        by_version["costManagementSettings"] = props.pop("costManagementSettings")
    rendered.update({k: v for k, v in by_version.items() if not version or version >= _VAULT_FIELDS_SINCE[k]})
    rendered.update(props)
    body: JSON = {"location": doc["location"]}
    if doc.get("tags") is not None:
        body["tags"] = doc["tags"]
    if doc.get("identity") is not None:
        body["identity"] = doc["identity"]
    body.update({"properties": rendered, "id": doc["id"], "name": doc["name"], "type": ids.VAULT_TYPE})
    return body


def policy(doc: JSON) -> JSON:
    """A BaseBackupPolicyResource."""
    return {"properties": doc["properties"], "id": doc["id"], "name": doc["name"], "type": ids.POLICY_TYPE}


def protection(doc: JSON, now: float) -> tuple[str, str, JSON | None]:
    """``(protectionStatus.status, currentProtectionState, error)`` of a backup instance at time ``now``."""
    state = doc["protection"]
    mode = state["mode"]
    if mode == "stopped":
        return "ProtectionStopped", "ProtectionStopped", None
    if mode == "suspended":
        # Azure says BackupsSuspended in both (not the spec's BackupSchedulesSuspended): 9 of 9 recorded suspends,
        # e.g. corpus/azure-cli-extensions-head/test_dataprotection_backup_instance_update_protection.yaml #18.
        return "BackupsSuspended", "BackupsSuspended", None
    if mode == "softdeleting":
        return "SoftDeleting", "SoftDeleting", None
    ready_at = state.get("ready_at")
    if ready_at is None or now < ready_at:
        # Azure reports "UpdatingProtection" in protectionStatus.status too (an extensible enum; recorded).
        busy = "UpdatingProtection" if mode == "update" else "ConfiguringProtection"
        return busy, busy, None
    if state.get("error"):
        return "ConfiguringProtectionFailed", "ProtectionError", state["error"]
    return "ProtectionConfigured", "ProtectionConfigured", None


def protection_busy(doc: JSON, now: float) -> bool:
    """Whether the service is still configuring or updating the protection of an instance."""
    return protection(doc, now)[1] in ("ConfiguringProtection", "UpdatingProtection")


_AKS_PARAMETERS = (
    "includedNamespaces",
    "excludedNamespaces",
    "includedResourceTypes",
    "excludedResourceTypes",
    "labelSelectors",
    "includedVolumeTypes",
    "backupHookReferences",
)


def with_azures_nulls(props: JSON) -> None:
    """Azure writes the unset properties of an instance's AKS parameters and key vault secret as null: 7 of 7
    recorded AKS answers list all of them (e.g. azure-cli-extensions@8e1899ee/
    test_dataprotection_backup_and_restore_aks.yaml #11, sent with two), 8 of 8 secret store answers
    ``secretStoreResource.value`` (e.g.
    azure-cli-extensions@d195c728/test_dataprotection_backup_and_restore_oss.yaml #9, sent without)."""
    params = (props.get("policyInfo") or {}).get("policyParameters") or {}
    for item in params.get("backupDatasourceParametersList") or []:
        if item.get("objectType") == "KubernetesClusterBackupDatasourceParameters":
            for key in _AKS_PARAMETERS:
                item.setdefault(key, None)
    secret = (props.get("datasourceAuthCredentials") or {}).get("secretStoreResource")
    if isinstance(secret, dict):
        secret.setdefault("value", None)


def _instance_properties(doc: JSON, now: float) -> JSON:
    stored = copy.deepcopy(doc["properties"])
    with_azures_nulls(stored)
    status, current, error = protection(doc, now)
    out: JSON = {}
    for key in ("friendlyName", "dataSourceInfo", "dataSourceSetInfo", "policyInfo"):
        if key in stored:
            out[key] = stored.pop(key)
    object_type = stored.pop("objectType", "BackupInstance")
    out.update(stored)
    out["protectionStatus"] = {"status": status}
    if error is not None:
        out["protectionStatus"]["errorDetails"] = error
        out["protectionErrorDetails"] = error
    out["currentProtectionState"] = current
    out["provisioningState"] = doc["provisioningState"]
    out["objectType"] = object_type
    return out


def instance(doc: JSON, now: float, resource_id: str | None = None) -> JSON:
    """A BackupInstanceResource (``resource_id`` overrides the id, as extension routing does)."""
    body: JSON = {}
    if doc.get("tags") is not None:
        body["tags"] = doc["tags"]
    body["properties"] = _instance_properties(doc, now)
    body.update({"id": resource_id or doc["id"], "name": doc["name"], "type": ids.INSTANCE_TYPE})
    return body


_DELETED_VAULT_PROPERTIES = (
    "monitoringSettings",
    "securitySettings",
    "storageSettings",
    "featureSettings",
    "secureScore",
    "bcdrSecurityLevel",
    "isVaultProtectedByResourceGuard",
    "replicatedRegions",
    "costManagementSettings",
)


def deleted_vault(doc: JSON, version: str = "") -> JSON:
    """A DeletedBackupVaultResource (a soft-deleted vault: its settings and when it is purged) at ``version``."""
    kept = vault(doc["vault"], version)
    props: JSON = {k: kept["properties"][k] for k in _DELETED_VAULT_PROPERTIES if k in kept["properties"]}
    props["provisioningState"] = "Succeeded"
    props.update(
        {
            "originalBackupVaultId": kept["id"],
            "originalBackupVaultName": kept["name"],
            "originalBackupVaultResourcePath": kept["id"],
            "resourceDeletionInfo": {
                "deletionTime": iso(doc["deleted_at"]),
                "scheduledPurgeTime": iso(doc["purge_at"]),
                "deleteActivityId": doc["activity"],
            },
        }
    )
    name = doc["key"].rsplit("/", 1)[-1]
    return {"properties": props, "id": doc["key"], "name": name, "type": ids.DELETED_VAULT_TYPE}


def deleted_instance(doc: JSON) -> JSON:
    """A DeletedBackupInstanceResource (a soft-deleted backup instance)."""
    inst = doc["instance"]
    props: JSON = {
        "deletionInfo": {
            "deletionTime": iso(doc["deleted_at"]),
            "billingEndDate": iso(doc["deleted_at"]),
            "scheduledPurgeTime": iso(doc["purge_at"]),
            "deleteActivityID": doc["activity"],
        }
    }
    props.update(_instance_properties(inst, doc["deleted_at"]))
    props["protectionStatus"] = {"status": "SoftDeleted"}
    props["currentProtectionState"] = "SoftDeleted"
    props.pop("protectionErrorDetails", None)
    props["provisioningState"] = "Succeeded"
    props["objectType"] = "DeletedBackupInstance"
    vault_id = inst["id"].rsplit("/backupInstances/", 1)[0]
    return {
        "properties": props,
        "id": ids.child_id(vault_id, "deletedBackupInstances", inst["name"]),
        "name": inst["name"],
        "type": ids.DELETED_INSTANCE_TYPE,
    }


def operation(doc: JSON, now: float, status_path: str) -> JSON:
    """An OperationResource as read at ``status_path`` (the id equals the URL it was read from)."""
    body: JSON = {"id": status_path, "name": doc["id"], "status": operation_status(doc, now)}
    if body["status"] == "Failed":
        body["error"] = doc["error"]["body"]
    body["startTime"] = iso(doc["start"])
    body["endTime"] = iso_seconds(doc["end"]) if body["status"] != "Inprogress" else NOT_ENDED
    if body["status"] == "Succeeded" and doc.get("job_id"):
        body["properties"] = {"jobId": doc["job_id"], "objectType": "OperationJobExtendedInfo"}
    return body


def operation_status(doc: JSON, now: float) -> str:
    """``Inprogress`` until the operation's end time, then ``Succeeded`` or ``Failed``."""
    if doc["end"] is None or now < doc["end"]:
        return "Inprogress"
    return "Failed" if doc.get("error") else "Succeeded"


def operation_result(doc: JSON) -> JSON:
    """The OperationJobExtendedInfo an ``operationResults`` URL returns once the operation succeeded."""
    out: JSON = {}
    if doc.get("job_id"):
        out["jobId"] = doc["job_id"]
    out["objectType"] = "OperationJobExtendedInfo"
    return out
