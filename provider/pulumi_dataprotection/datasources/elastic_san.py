"""The Elastic SAN volume group kind (api-version 2026-06-01): its catalog entry, instance inputs, recommended policy,
roles and restore drill target.

Evidence: the 2026-06-01 spec (``GenericBackupDatasourceParameters``, ``GenericRestoreDatasourceCriteria``) and its
examples ``PutBackupInstanceWithGenericParameters`` and ``TriggerRestoreWithGenericParameters`` (the volume group as
datasource, its Elastic SAN as datasource set, the volumes as resource selectors); the az and Az.DataProtection
``AzureElasticSAN`` manifests (OperationalStore only, incremental, daily or weekly, tags Daily and Weekly, the roles);
Azure Backup's Elastic SAN support matrix (the roles, alternate-location restores only, no hourly backups) and
Terraform azurerm's ``data_protection_backup_instance_elastic_san_volume_group`` (which grants the snapshot exporter
role on the Elastic SAN).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pulumi_dataprotection.datasources.kind import EXAMPLE_GROUPS, DatasourceKind, DrillContext, RoleRow
from pulumi_dataprotection.schema import Constant, Field, ListType, ObjectType, StringType

if TYPE_CHECKING:
    from pulumi_dataprotection.policy.builders import PolicyInputs
    from pulumi_dataprotection.restore.drill import DrillTarget, Source

VOLUME_CLEANUP_API_VERSION = "2023-01-01"
"""The Microsoft.ElasticSan api-version drills delete their scratch volumes with."""

# Azure's Elastic SAN volume name rule: 3-63 lower-case letters, digits, hyphens and underscores, starting and ending
# with a letter or digit, no two hyphens or underscores in a row.
_VOLUME = StringType(
    min_length=3,
    max_length=63,
    pattern=r"^[a-z0-9](?!.*[-_]{2})[-_a-z0-9]*[a-z0-9]$",
    pattern_hint="an Elastic SAN volume name (3-63 lower-case letters, digits, hyphens and underscores)",
)

PARAMETERS = ObjectType(
    [
        Field(
            name="volumes",
            type=ListType(_VOLUME, min_items=1, ordered=False, unique=True),
            path="resourceSelectors",
            doc="Volumes of the volume group to back up (Elastic SAN volume groups).",
            required=True,
        )
    ],
    constants=[Constant("objectType", "GenericBackupDatasourceParameters")],
    description="Elastic SAN volume group parameters",
)


def default_policy() -> PolicyInputs:
    """Recommended Elastic SAN volume group backup policy: a daily incremental snapshot kept 7 days, and the first of
    each week kept 12 weeks (Elastic SAN has an operational tier only).
    """
    from pulumi_dataprotection.policy.builders import Retention, Schedule, TaggedRetention, build_policy, first_of

    return build_policy(
        "elastic_san",
        schedule=Schedule.daily("02:00"),
        retention=Retention("P7D"),
        tagged=[TaggedRetention("Weekly", "P12W", first_of("week"))],
    )


def _drill(source: Source, ctx: DrillContext) -> DrillTarget:
    """Every protected volume as a new volume ``<volume>-<suffix>`` in the source volume group (Azure restores Elastic
    SAN volumes to new volumes only)."""
    from pulumi_dataprotection.datasources.kind import datasource_blocks
    from pulumi_dataprotection.restore.drill import (
        Cleanup,
        DrillError,
        DrillTarget,
        refuse_protected,
        scratch_name,
    )

    if not source.selectors:
        raise DrillError("the instance names no volumes to restore")
    renames = {v: scratch_name(v, ctx.options.suffix, limit=63) for v in source.selectors}
    refuse_protected("volume", renames.values(), source.selectors)
    info, set_info = datasource_blocks(KIND, source.datasource_id, source.location)
    selectors = {
        "objectType": "resourceListSelectionCriteria",
        "resourceIdentifiers": list(renames),
        "resourceNameOverrides": renames,
    }
    target = {
        "objectType": "ItemLevelRestoreTargetInfo",
        "recoveryOption": "FailIfExists",
        "datasourceInfo": info,
        "datasourceSetInfo": set_info,
        "restoreCriteria": [{"objectType": "GenericRestoreDatasourceCriteria", "resourceSelectors": selectors}],
        "restoreLocation": ctx.options.restore_region or source.location,
    }
    volumes = [f"{source.datasource_id}/volumes/{name}" for name in renames.values()]
    cleanup = tuple(Cleanup(v, VOLUME_CLEANUP_API_VERSION) for v in volumes)
    return DrillTarget("OperationalStore", target, source.datasource_id, cleanup)


KIND = DatasourceKind(
    key="elastic_san",
    title="Elastic SAN volume group",
    datasource_type="Microsoft.ElasticSan/elasticSans/volumeGroups",
    resource_type="Microsoft.ElasticSan/elasticSans/volumeGroups",
    id_type="Microsoft.ElasticSan/elasticSans/volumeGroups",
    set_info="container",
    set_resource_type="Microsoft.ElasticSan/elasticSans",
    backup_datastores=("OperationalStore",),
    retention_datastores=("OperationalStore",),
    backup_types=("Incremental",),
    periods=("P1D", "P1W"),
    needs_snapshot_resource_group=True,
    instance_parameters=PARAMETERS,
    since="2026-06-01",
    order=8,
    default_policy=default_policy,
    roles=(
        RoleRow(
            identity="vault",
            role="Elastic SAN Snapshot Exporter",
            scope="datasource_container",
            purpose="backup",
            reason="snapshot the volumes and export the snapshots",
        ),
        RoleRow(
            identity="vault",
            role="Disk Snapshot Contributor",
            scope="snapshot_resource_group",
            purpose="backup",
            reason="keep the exported snapshots",
        ),
        RoleRow(
            identity="vault",
            role="Elastic SAN Volume Importer",
            scope="datasource_container",
            purpose="restore",
            reason="create the restored volumes",
        ),
        RoleRow(
            identity="vault",
            role="Reader",
            scope="snapshot_resource_group",
            purpose="restore",
            reason="read the snapshots to restore",
        ),
    ),
    restore_target=_drill,
    example={
        "datasource_id": f"{EXAMPLE_GROUPS}/rg-data/providers/Microsoft.ElasticSan/elasticSans/esan/volumeGroups/vg",
        "snapshot_resource_group_id": f"{EXAMPLE_GROUPS}/rg-snapshots",
        "volumes": ["data-1", "logs-1"],
    },
)
