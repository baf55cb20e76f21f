"""The ARM calls of restores and backup health: recovery points, restorable time ranges, validateRestore, restore,
cross region restore and backup jobs, on any client with ``get``/``list``/``execute`` (:class:`ArmClient`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from pulumi_dataprotection.arm.lro import OperationResult
from pulumi_dataprotection.arm.paths import ResourceId
from pulumi_dataprotection.restore.requests import cross_region_body, validate_body

JSON = dict[str, Any]


class Arm(Protocol):
    """The client calls used here (provided by :class:`pulumi_dataprotection.arm.ArmClient`)."""

    def get(
        self, path: str, *, operation: str | None = ..., resource: str | None = ..., api_version: str | None = ...
    ) -> JSON | None:
        """GET one resource; None on 404."""

    def list(
        self,
        path: str,
        *,
        operation: str | None = ...,
        resource: str | None = ...,
        query: Mapping[str, str] | None = ...,
    ) -> list[JSON]:
        """GET a collection, following nextLink."""

    def execute(
        self,
        method: str,
        path: str,
        body: Any = ...,
        *,
        operation: str,
        resource: str | None = ...,
        api_version: str | None = ...,
        timeout: float | None = ...,
    ) -> OperationResult:
        """Send a write and wait for its long-running operation."""


def parse_time(text: str) -> datetime:
    """A UTC datetime from Azure's ISO-8601 strings (seven fractional digits and ``Z`` included)."""
    value = text.strip().replace("Z", "+00:00")
    if "." in value:
        head, _, rest = value.partition(".")
        digits = "".join(c for c in rest if c.isdigit())
        value = f"{head}.{digits[:6]}{rest[len(digits) :]}"
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@dataclass(frozen=True)
class RecoveryPoint:
    """A recovery point as a drill needs it: id, time, the datastores it can be restored from, its tag and expiry,
    and until when a rehydrated (from the ArchiveStore) copy is kept, if it has one."""

    id: str
    time: datetime
    datastores: tuple[str, ...]
    tag: str | None
    expiry: datetime | None
    rehydrated_until: datetime | None = None

    @classmethod
    def from_rest(cls, body: Mapping[str, Any]) -> RecoveryPoint:
        """From an AzureBackupRecoveryPointResource."""
        props = body.get("properties") or {}
        details = [d for d in props.get("recoveryPointDataStoresDetails") or [] if isinstance(d, Mapping)]
        # a copy still being rehydrated cannot be restored from yet
        readable = [d for d in details if d.get("rehydrationStatus") in (None, "COMPLETED")]
        rehydrated = [
            str(d["rehydrationExpiryTime"])
            for d in readable
            if d.get("rehydrationStatus") == "COMPLETED" and d.get("rehydrationExpiryTime")
        ]
        expiry = props.get("expiryTime")
        return cls(
            id=str(props.get("recoveryPointId") or body.get("name")),
            time=parse_time(str(props["recoveryPointTime"])),
            datastores=tuple(str(d.get("type")) for d in readable),
            tag=props.get("retentionTagName"),
            expiry=parse_time(expiry) if isinstance(expiry, str) else None,
            rehydrated_until=max((parse_time(t) for t in rehydrated), default=None),
        )


def vault_of(instance: ResourceId) -> ResourceId:
    """The vault of a backup instance id."""
    return ResourceId(instance.subscription_id, instance.resource_group, instance.namespace, instance.segments[:1])


def job_path(vault: ResourceId, job_id: str) -> str:
    """The path of a backup job given its id or name."""
    return ResourceId.parse(job_id).path if job_id.startswith("/") else vault.child("backupJobs", job_id).path


class RestoreApi:
    """Recovery points, restores and jobs of backup instances."""

    def __init__(self, client: Arm) -> None:
        self.client = client

    def recovery_points(self, instance: ResourceId, *, since: datetime | None = None) -> list[RecoveryPoint]:
        """The instance's recovery points, newest first (``since`` filters on the service side)."""
        query = {"$filter": f"startDate eq '{since.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}'"} if since else None
        items = self.client.list(
            instance.collection("recoveryPoints"), operation="list recovery points", resource=str(instance), query=query
        )
        points = [RecoveryPoint.from_rest(i) for i in items if (i.get("properties") or {}).get("recoveryPointTime")]
        return sorted(points, key=lambda p: p.time, reverse=True)

    def restorable_ranges(self, instance: ResourceId, datastore: str) -> list[tuple[datetime, datetime]]:
        """findRestorableTimeRanges for a datastore."""
        result = self.client.execute(
            "POST",
            instance.action("findRestorableTimeRanges"),
            {"sourceDataStoreType": datastore},
            operation="find restorable time ranges",
            resource=str(instance),
        )
        ranges = ((result.body or {}).get("properties") or {}).get("restorableTimeRanges") or []
        return [(parse_time(r["startTime"]), parse_time(r["endTime"])) for r in ranges]

    def validate(self, instance: ResourceId, request: JSON, *, timeout: float | None = None) -> OperationResult:
        """validateRestore; raises OperationFailedError with Azure's code when the service refuses the request."""
        return self.client.execute(
            "POST",
            instance.action("validateRestore"),
            validate_body(request),
            operation="validate restore",
            resource=str(instance),
            timeout=timeout,
        )

    def trigger(self, instance: ResourceId, request: JSON, *, timeout: float | None = None) -> str | None:
        """restore; the id of the Restore job it started."""
        result = self.client.execute(
            "POST",
            instance.action("restore"),
            request,
            operation="trigger restore",
            resource=str(instance),
            timeout=timeout,
        )
        return result.job_id

    @staticmethod
    def _regional(instance: ResourceId, region: str, action: str) -> str:
        return (
            f"/subscriptions/{instance.subscription_id}/resourceGroups/{instance.resource_group}/providers/"
            f"Microsoft.DataProtection/locations/{region}/{action}"
        )

    def secondary_points(self, instance: ResourceId, *, source_region: str, target_region: str) -> list[RecoveryPoint]:
        """The instance's recovery points in the paired region (fetchSecondaryRecoveryPoints), newest first."""
        result = self.client.execute(
            "POST",
            self._regional(instance, target_region, "fetchSecondaryRecoveryPoints"),
            {"sourceRegion": source_region, "sourceBackupInstanceId": str(instance)},
            operation="fetch secondary recovery points",
            resource=str(instance),
        )
        items = (result.body or {}).get("value") or []
        points = [RecoveryPoint.from_rest(i) for i in items if (i.get("properties") or {}).get("recoveryPointTime")]
        return sorted(points, key=lambda p: p.time, reverse=True)

    def validate_cross_region(
        self,
        instance: ResourceId,
        request: JSON,
        *,
        source_region: str,
        target_region: str,
        timeout: float | None = None,
    ) -> OperationResult:
        """validateCrossRegionRestore in ``target_region``."""
        return self.client.execute(
            "POST",
            self._regional(instance, target_region, "validateCrossRegionRestore"),
            cross_region_body(request, source_region=source_region, source_instance_id=str(instance)),
            operation="validate cross region restore",
            resource=str(instance),
            timeout=timeout,
        )

    def trigger_cross_region(
        self,
        instance: ResourceId,
        request: JSON,
        *,
        source_region: str,
        target_region: str,
        timeout: float | None = None,
    ) -> str | None:
        """crossRegionRestore in ``target_region`` (the vault's paired region); the id of the job it started."""
        result = self.client.execute(
            "POST",
            self._regional(instance, target_region, "crossRegionRestore"),
            cross_region_body(request, source_region=source_region, source_instance_id=str(instance)),
            operation="trigger cross region restore",
            resource=str(instance),
            timeout=timeout,
        )
        return result.job_id

    def cross_region_job(self, instance: ResourceId, job_id: str, *, source_region: str, target_region: str) -> JSON:
        """A cross region restore job (fetchCrossRegionRestoreJob in ``target_region``)."""
        result = self.client.execute(
            "POST",
            self._regional(instance, target_region, "fetchCrossRegionRestoreJob"),
            {"sourceRegion": source_region, "sourceBackupVaultId": str(vault_of(instance)), "jobId": job_id},
            operation="read cross region restore job",
            resource=job_id,
        )
        return result.body or {}

    def vault(self, vault: ResourceId) -> JSON | None:
        """A backup vault (None when it does not exist)."""
        return self.client.get(vault.path, operation="read backup vault", resource=str(vault))

    def job(self, vault: ResourceId, job_id: str) -> JSON | None:
        """A backup job (None when Azure does not show it yet)."""
        return self.client.get(job_path(vault, job_id), operation="read backup job", resource=job_id)

    def jobs(self, vault: ResourceId) -> list[JSON]:
        """Every backup job of a vault."""
        return self.client.list(vault.collection("backupJobs"), operation="list backup jobs", resource=str(vault))

    def instance(self, instance: ResourceId) -> JSON | None:
        """A backup instance (None when it does not exist)."""
        return self.client.get(instance.path, operation="read backup instance", resource=str(instance))

    def instances(self, vault: ResourceId) -> list[JSON]:
        """The backup instances of a vault."""
        return self.client.list(
            vault.collection("backupInstances"), operation="list backup instances", resource=str(vault)
        )

    def exists(self, resource_id: str, api_version: str | None) -> bool:
        """Whether a resource of another provider (a drill's scratch target) exists: GET with its api-version."""
        body = self.client.get(
            ResourceId.parse(resource_id).path,
            operation="check the scratch target is absent",
            resource=resource_id,
            api_version=api_version,
        )
        return body is not None

    def policy(self, policy_id: str) -> JSON | None:
        """A backup policy by id."""
        return self.client.get(ResourceId.parse(policy_id).path, operation="read backup policy", resource=policy_id)


def newest(points: Sequence[RecoveryPoint], datastore: str | None = None) -> RecoveryPoint | None:
    """The newest point (holding a copy in ``datastore`` when given)."""
    found = [p for p in points if datastore is None or datastore in p.datastores]
    return max(found, key=lambda p: p.time, default=None)
