"""The Data Lake Storage account kind: its catalog entry, recommended policy, roles and restore drill target."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pulumi_dataprotection.datasources.kind import EXAMPLE_GROUPS, DatasourceKind, DrillContext, RoleRow

if TYPE_CHECKING:
    from pulumi_dataprotection.policy.builders import PolicyInputs
    from pulumi_dataprotection.restore.drill import DrillTarget, Source


def default_policy() -> PolicyInputs:
    """Recommended Data Lake Storage backup policy: a daily vaulted backup kept 30 days and the first of each week kept
    12 weeks.

    Instances using it must list their containers.
    """
    from pulumi_dataprotection.policy.builders import Retention, Schedule, TaggedRetention, adls_policy, first_of

    return adls_policy(
        Schedule.daily("02:00"),
        Retention("P30D"),
        tagged=[TaggedRetention("Weekly", "P12W", first_of("week"))],
    )


def _drill(source: Source, ctx: DrillContext) -> DrillTarget:
    """Every protected container as ``<container>-<suffix>`` (vaulted), or a validate-only point-in-time restore."""
    from pulumi_dataprotection.restore.drill import blobs

    return blobs(source, ctx)


KIND = DatasourceKind(
    key="adls",
    title="Data Lake Storage account",
    datasource_type="Microsoft.Storage/storageAccounts/adlsBlobServices",
    resource_type="Microsoft.Storage/storageAccounts",
    id_type="Microsoft.Storage/storageAccounts",
    set_info="self",
    backup_datastores=("VaultStore",),
    retention_datastores=("VaultStore",),
    backup_types=("Discrete",),
    periods=("P1D", "P1W"),
    container_parameters="AdlsBlobBackupDatasourceParameters",
    needs_containers=True,
    order=4,
    default_policy=default_policy,
    roles=(
        RoleRow(
            identity="vault",
            role="Storage Account Backup Contributor",
            scope="datasource",
            purpose="backup",
            reason="copy the containers to the vault",
        ),
    ),
    restore_target=_drill,
    example={
        "datasource_id": f"{EXAMPLE_GROUPS}/rg-data/providers/Microsoft.Storage/storageAccounts/stlake",
        "containers": ["raw", "curated"],
    },
)
