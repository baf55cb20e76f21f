"""Backup jobs, recovery points and soft-deleted vaults as Azure reports them: typed summaries holding only the fields
a body carries (an absent field stays None, nothing is derived or defaulted), with the body itself for evidence."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str | None:
    return str(value) if value is not None and value != "" else None


def _error_codes(errors: Any) -> tuple[str, ...]:
    codes: list[str] = []
    for error in errors if isinstance(errors, list) else [errors]:
        if isinstance(error, Mapping) and error.get("code"):
            codes.append(str(error["code"]))
    return tuple(codes)


@dataclass(frozen=True)
class JobInfo:
    """A backup job (AzureBackupJobResource)."""

    arm_id: str
    name: str
    operation: str | None
    operation_category: str | None
    status: str | None
    start_time: str | None
    end_time: str | None
    duration: str | None
    backup_instance_id: str | None
    backup_instance_name: str | None
    datasource_type: str | None
    datasource_name: str | None
    policy_name: str | None
    vault_name: str | None
    error_codes: tuple[str, ...]
    recovery_point_id: str | None
    """The recovery point a backup job made (``extendedInfo.targetRecoverPoint``), when Azure names it."""
    body: Mapping[str, Any] = field(repr=False)


def job_info(body: Mapping[str, Any]) -> JobInfo:
    """A JobInfo from a job's body."""
    props = _map(body.get("properties"))
    extended = _map(props.get("extendedInfo"))
    return JobInfo(
        arm_id=str(body.get("id") or ""),
        name=str(body.get("name") or ""),
        operation=_text(props.get("operation")),
        operation_category=_text(props.get("operationCategory")),
        status=_text(props.get("status")),
        start_time=_text(props.get("startTime")),
        end_time=_text(props.get("endTime")),
        duration=_text(props.get("duration")),
        backup_instance_id=_text(props.get("backupInstanceId")),
        backup_instance_name=_text(props.get("backupInstanceFriendlyName")),
        datasource_type=_text(props.get("dataSourceType")),
        datasource_name=_text(props.get("dataSourceName")),
        policy_name=_text(props.get("policyName")),
        vault_name=_text(props.get("vaultName")),
        error_codes=_error_codes(props.get("errorDetails")),
        recovery_point_id=_text(_map(extended.get("targetRecoverPoint")).get("recoveryPointID")),
        body=body,
    )


@dataclass(frozen=True)
class RecoveryPointInfo:
    """A recovery point of a backup instance (AzureBackupRecoveryPointResource)."""

    arm_id: str
    name: str
    time: str | None
    recovery_point_type: str | None
    policy_name: str | None
    retention_tag: str | None
    datastores: tuple[str, ...]
    """The data stores holding a copy (``OperationalStore``, ``VaultStore``, ``ArchiveStore``)."""
    expiry_time: str | None
    """The earliest expiry among the copies, when Azure gives one."""
    body: Mapping[str, Any] = field(repr=False)


def recovery_point_info(body: Mapping[str, Any]) -> RecoveryPointInfo:
    """A RecoveryPointInfo from a recovery point's body."""
    props = _map(body.get("properties"))
    details = [_map(d) for d in props.get("recoveryPointDataStoresDetails") or []]
    expiries = sorted(str(d["expiryTime"]) for d in details if d.get("expiryTime"))
    return RecoveryPointInfo(
        arm_id=str(body.get("id") or ""),
        name=str(body.get("name") or ""),
        time=_text(props.get("recoveryPointTime")),
        recovery_point_type=_text(props.get("recoveryPointType")),
        policy_name=_text(props.get("policyName")),
        retention_tag=_text(props.get("retentionTagName")),
        datastores=tuple(str(d["type"]) for d in details if d.get("type")),
        expiry_time=expiries[0] if expiries else None,
        body=body,
    )


def point_filter(start: str | None, end: str | None) -> dict[str, str] | None:
    """The ``$filter`` of RecoveryPoints_List for a time window (Azure's syntax, as the recorded az calls send it)."""
    terms = [f"{key} eq '{value}'" for key, value in (("startDate", start), ("endDate", end)) if value]
    return {"$filter": " and ".join(terms)} if terms else None


@dataclass(frozen=True)
class DeletedVaultInfo:
    """A soft-deleted backup vault (DeletedBackupVaultResource): what the undelete flow restores."""

    arm_id: str
    """The deleted vault's id (``/subscriptions/<s>/providers/Microsoft.DataProtection/locations/<region>/
    deletedVaults/<name>``): the ``x-ms-deleted-vault-id`` of an undelete."""
    name: str
    original_vault_id: str | None
    original_vault_name: str | None
    location: str | None
    """The region (the resource carries none: it is the ``locations`` segment of its id)."""
    deletion_time: str | None
    purge_time: str | None
    body: Mapping[str, Any] = field(repr=False)


def _location_in(arm_id: str) -> str | None:
    parts = arm_id.split("/")
    lowered = [p.lower() for p in parts]
    return parts[lowered.index("locations") + 1] if "locations" in lowered[:-1] else None


def deleted_vault_info(body: Mapping[str, Any]) -> DeletedVaultInfo:
    """A DeletedVaultInfo from a deleted vault's body."""
    props = _map(body.get("properties"))
    deletion = _map(props.get("resourceDeletionInfo"))
    return DeletedVaultInfo(
        arm_id=str(body.get("id") or ""),
        name=str(body.get("name") or ""),
        original_vault_id=_text(props.get("originalBackupVaultId")),
        original_vault_name=_text(props.get("originalBackupVaultName")),
        location=_text(body.get("location")) or _location_in(str(body.get("id") or "")),
        deletion_time=_text(deletion.get("deletionTime")),
        purge_time=_text(deletion.get("scheduledPurgeTime")),
        body=body,
    )
