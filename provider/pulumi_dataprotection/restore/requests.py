"""Typed builders of restore request bodies (api-versions 2025-09-01 and 2026-06-01), one per kind of restore target,
so nobody writes ``restoreTargetInfo`` by hand: AKS into a cluster with namespace mappings, blob/ADLS containers (item
level, renamed) or a point-in-time range, a PostgreSQL database, restore as files, a managed disk.

``restore_request`` wraps a target into an ``AzureBackupRestoreRequest`` for a recovery point or a point in time
(from the ArchiveStore: with a ``Rehydration``, an ``AzureBackupRestoreWithRehydrationRequest``);
``validate_body`` and ``cross_region_body`` wrap a request for validateRestore and (validate)crossRegionRestore.
Datasource blocks come from the datasource catalog, spelt exactly as backup instances spell them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pulumi_dataprotection.datasources import KINDS, DatasourceKind, datasource_blocks

JSON = dict[str, Any]
Datastore = Literal["OperationalStore", "VaultStore", "ArchiveStore"]


@dataclass(frozen=True)
class Identity:
    """``identityDetails``: the vault's system identity (default) or a user-assigned identity's id."""

    user_assigned_identity_id: str | None = None

    def to_rest(self) -> JSON:
        """The IdentityDetails body."""
        if self.user_assigned_identity_id is None:
            return {"useSystemAssignedIdentity": True}
        return {"useSystemAssignedIdentity": False, "userAssignedIdentityArmUrl": self.user_assigned_identity_id}


RehydrationPriority = Literal["Standard", "High"]


@dataclass(frozen=True)
class Rehydration:
    """How an archived recovery point is brought back to the vault tier before a restore: Azure's priority
    (``Standard`` or the faster, dearer ``High``) and how long the rehydrated copy is kept (ISO-8601, e.g. P10D)."""

    priority: RehydrationPriority = "Standard"
    retention: str = "P10D"

    def to_rest(self) -> JSON:
        """The rehydration properties of a restore (or rehydrate) request."""
        return {"rehydrationPriority": self.priority, "rehydrationRetentionDuration": self.retention}


def _kind(key: str) -> DatasourceKind:
    if key not in KINDS:
        raise ValueError(f"unknown datasource kind {key!r} (known: {', '.join(KINDS)})")
    return KINDS[key]


def _secret(uri: str) -> JSON:
    return {
        "objectType": "SecretStoreBasedAuthCredentials",
        "secretStoreResource": {"secretStoreType": "AzureKeyVault", "uri": uri},
    }


def _datasource_target(
    kind: str,
    arm_id: str,
    location: str,
    *,
    object_type: str,
    restore_location: str | None,
    database: str | None = None,
    secret_store_uri: str | None = None,
    criteria: Sequence[JSON] | None = None,
) -> JSON:
    info, set_info = datasource_blocks(_kind(kind), arm_id, location, database)
    target: JSON = {"objectType": object_type, "recoveryOption": "FailIfExists", "datasourceInfo": info}
    if set_info is not None:
        target["datasourceSetInfo"] = set_info
    if secret_store_uri is not None:
        target["datasourceAuthCredentials"] = _secret(secret_store_uri)
    if criteria is not None:
        target["restoreCriteria"] = list(criteria)
    target["restoreLocation"] = restore_location if restore_location is not None else location
    return target


def aks_target(
    cluster_id: str,
    location: str,
    *,
    namespace_mappings: Mapping[str, str],
    include_cluster_scope_resources: bool = False,
    persistent_volume_restore_mode: Literal[
        "RestoreWithVolumeData", "RestoreWithoutVolumeData"
    ] = "RestoreWithVolumeData",
    conflict_policy: Literal["Skip", "Patch"] = "Skip",
    vault_tier: bool = False,
    staging_resource_group_id: str | None = None,
    staging_storage_account_id: str | None = None,
    restore_location: str | None = None,
) -> JSON:
    """Restore the mapped namespaces of an AKS backup into ``cluster_id`` under new names (source -> scratch name).

    ``vault_tier`` restores from the vault tier (``KubernetesClusterVaultTierRestoreCriteria``), which needs the
    staging resource group and storage account.
    """
    if not namespace_mappings:
        raise ValueError("namespace_mappings must map at least one backed-up namespace to a scratch namespace")
    criteria: JSON = {
        "objectType": "KubernetesClusterVaultTierRestoreCriteria" if vault_tier else "KubernetesClusterRestoreCriteria",
        "includeClusterScopeResources": include_cluster_scope_resources,
        "includedNamespaces": list(namespace_mappings),
        "namespaceMappings": dict(namespace_mappings),
        "persistentVolumeRestoreMode": persistent_volume_restore_mode,
        "conflictPolicy": conflict_policy,
    }
    if vault_tier:
        if not (staging_resource_group_id and staging_storage_account_id):
            raise ValueError("a vault tier AKS restore needs staging_resource_group_id and staging_storage_account_id")
        criteria["stagingResourceGroupId"] = staging_resource_group_id
        criteria["stagingStorageAccountId"] = staging_storage_account_id
    return _datasource_target(
        "aks",
        cluster_id,
        location,
        object_type="ItemLevelRestoreTargetInfo",
        restore_location=restore_location,
        criteria=[criteria],
    )


@dataclass(frozen=True)
class ContainerRestore:
    """One container (or a path inside it) to restore, optionally under a new name and limited to prefixes."""

    item_path: str
    rename_to: str | None = None
    prefixes: Sequence[str] = ()

    def to_rest(self) -> JSON:
        """The ItemPathBasedRestoreCriteria body."""
        body: JSON = {
            "objectType": "ItemPathBasedRestoreCriteria",
            "itemPath": self.item_path,
            "isPathRelativeToBackupItem": True,
        }
        if self.prefixes:
            body["subItemPathPrefix"] = list(self.prefixes)
        if self.rename_to:
            body["renameTo"] = self.rename_to
        return body


def blob_items_target(
    account_id: str,
    location: str,
    containers: Sequence[ContainerRestore],
    *,
    kind: Literal["blob", "adls"] = "blob",
    secret_store_uri: str | None = None,
    restore_location: str | None = None,
) -> JSON:
    """Item-level restore of vaulted blob/ADLS backups into ``account_id`` (a scratch account, or the source
    account with every container renamed)."""
    if not containers:
        raise ValueError("containers must name at least one container to restore")
    return _datasource_target(
        kind,
        account_id,
        location,
        object_type="ItemLevelRestoreTargetInfo",
        restore_location=restore_location,
        secret_store_uri=secret_store_uri,
        criteria=[c.to_rest() for c in containers],
    )


def blob_range_target(
    account_id: str,
    location: str,
    ranges: Sequence[tuple[str, str]],
    *,
    kind: Literal["blob", "adls"] = "blob",
    restore_location: str | None = None,
) -> JSON:
    """Point-in-time restore of operational blob backups: the blobs between each ``(min, max)`` prefix pair
    (``container/prefix``), into the source account."""
    if not ranges:
        raise ValueError("ranges must hold at least one (min, max) prefix pair")
    criteria = [
        {"objectType": "RangeBasedItemLevelRestoreCriteria", "minMatchingValue": low, "maxMatchingValue": high}
        for low, high in ranges
    ]
    return _datasource_target(
        kind,
        account_id,
        location,
        object_type="ItemLevelRestoreTargetInfo",
        restore_location=restore_location,
        criteria=criteria,
    )


def blob_account_target(
    account_id: str, location: str, *, kind: Literal["blob", "adls"] = "blob", restore_location: str | None = None
) -> JSON:
    """Point-in-time restore of a whole account from operational blob backups (in place: the source account)."""
    return _datasource_target(
        kind,
        account_id,
        location,
        object_type="RestoreTargetInfo",
        restore_location=restore_location,
    )


def database_target(
    server_id: str,
    database: str,
    location: str,
    *,
    secret_store_uri: str,
    restore_location: str | None = None,
) -> JSON:
    """Restore a PostgreSQL single-server database as a new database ``database`` on ``server_id``."""
    return _datasource_target(
        "postgresql",
        server_id,
        location,
        object_type="RestoreTargetInfo",
        restore_location=restore_location,
        database=database,
        secret_store_uri=secret_store_uri,
    )


def disk_target(disk_id: str, location: str, *, restore_location: str | None = None) -> JSON:
    """Restore a managed disk snapshot as the new disk ``disk_id``."""
    return _datasource_target(
        "disk",
        disk_id,
        location,
        object_type="RestoreTargetInfo",
        restore_location=restore_location,
    )


def files_target(
    container_url: str,
    file_prefix: str,
    *,
    restore_location: str,
    location_type: Literal["AzureBlobs", "AzureFiles"] = "AzureBlobs",
    target_resource_id: str | None = None,
) -> JSON:
    """Restore a database backup as files (database kinds) into a blob container or file share URL."""
    details: JSON = {"filePrefix": file_prefix, "restoreTargetLocationType": location_type, "url": container_url}
    if target_resource_id is not None:
        details["targetResourceArmId"] = target_resource_id
    return {
        "objectType": "RestoreFilesTargetInfo",
        "recoveryOption": "FailIfExists",
        "restoreLocation": restore_location,
        "targetDetails": details,
    }


def restore_request(
    target: JSON,
    *,
    source_datastore: Datastore,
    recovery_point_id: str | None = None,
    point_in_time: str | None = None,
    source_resource_id: str | None = None,
    identity: Identity | None = None,
    resource_guard_operation_requests: Sequence[str] = (),
    rehydration: Rehydration | None = None,
) -> JSON:
    """An AzureBackupRestoreRequest from a recovery point (``recovery_point_id``) or a point in time (ISO-8601); a
    restore from the ArchiveStore needs ``rehydration`` (and a recovery point), and only it takes one."""
    if (recovery_point_id is None) == (point_in_time is None):
        raise ValueError("pass exactly one of recovery_point_id and point_in_time")
    if (source_datastore == "ArchiveStore") != (rehydration is not None) or (rehydration and point_in_time):
        raise ValueError("a restore from the ArchiveStore (and only one) rehydrates a recovery point: pass rehydration")
    body: JSON
    if rehydration is not None:
        body = {"objectType": "AzureBackupRestoreWithRehydrationRequest", "recoveryPointId": recovery_point_id}
        body.update(rehydration.to_rest())
    elif recovery_point_id is not None:
        body = {"objectType": "AzureBackupRecoveryPointBasedRestoreRequest", "recoveryPointId": recovery_point_id}
    else:
        body = {"objectType": "AzureBackupRecoveryTimeBasedRestoreRequest", "recoveryPointTime": point_in_time}
    body["restoreTargetInfo"] = target
    body["sourceDataStoreType"] = source_datastore
    if source_resource_id is not None:
        body["sourceResourceId"] = source_resource_id
    if identity is not None:
        body["identityDetails"] = identity.to_rest()
    if resource_guard_operation_requests:
        body["resourceGuardOperationRequests"] = list(resource_guard_operation_requests)
    return body


def validate_body(request: JSON) -> JSON:
    """The ValidateRestoreRequestObject of a restore request."""
    return {"restoreRequestObject": request}


def cross_region_body(request: JSON, *, source_region: str, source_instance_id: str) -> JSON:
    """The CrossRegionRestoreRequestObject (also the validateCrossRegionRestore body) of a restore request."""
    return {
        "restoreRequestObject": request,
        "crossRegionRestoreDetails": {"sourceRegion": source_region, "sourceBackupInstanceId": source_instance_id},
    }
