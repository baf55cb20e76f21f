"""The managed disk kind: its catalog entry, recommended policy, roles and restore drill target."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pulumi_dataprotection.datasources.kind import EXAMPLE_GROUPS, HOURS, DatasourceKind, DrillContext, RoleRow

if TYPE_CHECKING:
    from pulumi_dataprotection.policy.builders import PolicyInputs
    from pulumi_dataprotection.restore.drill import DrillTarget, Source


def default_policy() -> PolicyInputs:
    """Recommended managed-disk backup policy: an incremental snapshot every 4 hours kept 7 days, the first of each day
    kept 30 days and the first of each week kept 12 weeks (disks have an operational tier only).
    """
    from pulumi_dataprotection.policy.builders import Retention, Schedule, TaggedRetention, disk_policy, first_of

    return disk_policy(
        Schedule.hourly(4),
        Retention("P7D"),
        tagged=[
            TaggedRetention("Daily", "P30D", first_of("day")),
            TaggedRetention("Weekly", "P12W", first_of("week")),
        ],
    )


def _drill(source: Source, ctx: DrillContext) -> DrillTarget:
    """A new disk ``<disk>-<suffix>`` beside the source disk."""
    from pulumi_dataprotection.restore.drill import (
        CLEANUP_API_VERSIONS,
        NAME_LIMITS,
        Cleanup,
        DrillTarget,
        refuse_protected,
        scratch_name,
    )
    from pulumi_dataprotection.restore.requests import disk_target

    parent, _, disk = source.datasource_id.rstrip("/").rpartition("/")
    disk_id = f"{parent}/{scratch_name(disk, ctx.options.suffix, limit=NAME_LIMITS['disks'])}"
    refuse_protected("disk", [disk_id], [source.datasource_id])
    target = disk_target(disk_id, source.location, restore_location=ctx.options.restore_region)
    return DrillTarget("OperationalStore", target, disk_id, (Cleanup(disk_id, CLEANUP_API_VERSIONS["disks"]),))


KIND = DatasourceKind(
    key="disk",
    title="managed disk",
    datasource_type="Microsoft.Compute/disks",
    resource_type="Microsoft.Compute/disks",
    id_type="Microsoft.Compute/disks",
    backup_datastores=("OperationalStore",),
    retention_datastores=("OperationalStore",),
    backup_types=("Incremental",),
    periods=(*HOURS, "P1D"),
    needs_snapshot_resource_group=True,
    order=2,
    default_policy=default_policy,
    roles=(
        RoleRow(
            identity="vault",
            role="Disk Backup Reader",
            scope="datasource",
            purpose="backup",
            reason="read the disk to take incremental snapshots",
        ),
        RoleRow(
            identity="vault",
            role="Disk Snapshot Contributor",
            scope="snapshot_resource_group",
            purpose="backup",
            reason="create and delete the snapshots",
        ),
        # Azure: restore managed disks (learn.microsoft.com/azure/backup/restore-managed-disks).
        RoleRow(
            identity="vault",
            role="Disk Restore Operator",
            scope="restore_resource_group",
            purpose="restore",
            reason="create the restored disk",
        ),
    ),
    restore_target=_drill,
    example={
        "datasource_id": f"{EXAMPLE_GROUPS}/rg-data/providers/Microsoft.Compute/disks/data-1",
        "snapshot_resource_group_id": f"{EXAMPLE_GROUPS}/rg-snapshots",
    },
)
