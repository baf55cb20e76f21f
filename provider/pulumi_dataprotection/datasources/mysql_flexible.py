"""The MySQL flexible server kind: its catalog entry, recommended policy, roles and restore drill target."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pulumi_dataprotection.datasources.kind import (
    EXAMPLE_GROUPS,
    WEEKLY_DATABASE_RULES,
    DatasourceKind,
    DrillContext,
    RoleRow,
)

if TYPE_CHECKING:
    from pulumi_dataprotection.policy.builders import PolicyInputs
    from pulumi_dataprotection.restore.drill import DrillTarget, Source


def default_policy() -> PolicyInputs:
    """Recommended MySQL flexible server backup policy: a full backup every Sunday at 02:00 UTC kept 3 months in the
    vault, and the first backup of each month kept 1 year.
    """
    from pulumi_dataprotection.policy.builders import (
        Retention,
        Schedule,
        TaggedRetention,
        first_of,
        mysql_flexible_policy,
    )

    return mysql_flexible_policy(
        Schedule.weekly(["Sunday"], "02:00"),
        Retention("P3M"),
        tagged=[TaggedRetention("Monthly", "P1Y", first_of("month"))],
    )


def _drill(source: Source, ctx: DrillContext) -> DrillTarget:
    """Restore as files under ``files_url`` with the prefix ``<server>-<suffix>``."""
    from pulumi_dataprotection.restore.drill import as_files

    return as_files(source, ctx)


KIND = DatasourceKind(
    key="mysql_flexible",
    title="MySQL flexible server",
    datasource_type="Microsoft.DBforMySQL/flexibleServers",
    resource_type="Microsoft.DBforMySQL/flexibleServers",
    id_type="Microsoft.DBforMySQL/flexibleServers",
    **WEEKLY_DATABASE_RULES,
    order=7,
    default_policy=default_policy,
    roles=(
        RoleRow(
            identity="vault",
            role="Reader",
            scope="datasource_resource_group",
            purpose="backup",
            reason="discover the server",
        ),
        RoleRow(
            identity="vault",
            role="MySQL Backup And Export Operator",
            scope="datasource",
            purpose="backup",
            reason="export the backups",
        ),
        RoleRow(
            identity="vault",
            role="Storage Blob Data Contributor",
            scope="restore_storage_account",
            purpose="restore",
            reason="write the restored files",
        ),
    ),
    restore_target=_drill,
    example={"datasource_id": f"{EXAMPLE_GROUPS}/rg-data/providers/Microsoft.DBforMySQL/flexibleServers/mysql-orders"},
)
