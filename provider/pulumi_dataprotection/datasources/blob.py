"""The blob storage account kind: its catalog entry, recommended policy, roles and restore drill target."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pulumi_dataprotection.datasources.kind import EXAMPLE_GROUPS, DatasourceKind, DrillContext, RoleRow

if TYPE_CHECKING:
    from pulumi_dataprotection.policy.builders import PolicyInputs
    from pulumi_dataprotection.restore.drill import DrillTarget, Source


def default_policy() -> PolicyInputs:
    """Recommended blob backup policy: continuous operational backup (point-in-time restore) kept 30 days in the
    storage account, plus a daily vaulted copy kept 30 days and the first of each week kept 12 weeks in the vault.

    Instances using it must list their containers (vaulted backup copies named containers).
    """
    from pulumi_dataprotection.policy.builders import (
        Retention,
        Schedule,
        TaggedRetention,
        blob_vaulted_policy,
        first_of,
    )

    return blob_vaulted_policy(
        Schedule.daily("02:00"),
        Retention("P30D"),
        tagged=[TaggedRetention("Weekly", "P12W", first_of("week"))],
        operational_keep_for="P30D",
    )


def _drill(source: Source, ctx: DrillContext) -> DrillTarget:
    """Every protected container as ``<container>-<suffix>`` (vaulted), or a validate-only point-in-time restore."""
    from pulumi_dataprotection.restore.drill import blobs

    return blobs(source, ctx)


KIND = DatasourceKind(
    key="blob",
    title="blob storage account",
    datasource_type="Microsoft.Storage/storageAccounts/blobServices",
    resource_type="Microsoft.Storage/storageAccounts",
    id_type="Microsoft.Storage/storageAccounts",
    set_info="self",
    backup_datastores=("VaultStore",),
    retention_datastores=("OperationalStore", "VaultStore"),
    backup_types=("Discrete",),
    periods=("P1D", "P1W"),
    backup_rule_optional=True,
    container_parameters="BlobBackupDatasourceParameters",
    order=3,
    default_policy=default_policy,
    roles=(
        RoleRow(
            identity="vault",
            role="Storage Account Backup Contributor",
            scope="datasource",
            purpose="backup",
            reason=(
                "configure operational backup (versioning, change feed, point-in-time restore) and copy vaulted backups"
            ),
        ),
    ),
    restore_target=_drill,
    example={
        "datasource_id": f"{EXAMPLE_GROUPS}/rg-data/providers/Microsoft.Storage/storageAccounts/stblob",
        "containers": ["invoices"],
    },
    # "The backup policy can have a maximum retention of 360 days" (Azure: operational backup for blobs).
    operational_max_days=360,
)
