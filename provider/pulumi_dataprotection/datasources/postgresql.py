"""The PostgreSQL single-server database kind: its catalog entry, recommended policy, roles and restore drill target."""

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
    """Recommended PostgreSQL single-server database backup policy: a full backup every Sunday at 02:00 UTC kept 3
    months in the vault, and the first backup of each month kept 1 year.

    Instances also need the Key Vault secret with the connection string (``secret_store_uri``).
    """
    from pulumi_dataprotection.policy.builders import Retention, Schedule, TaggedRetention, first_of, postgresql_policy

    return postgresql_policy(
        Schedule.weekly(["Sunday"], "02:00"),
        Retention("P3M"),
        tagged=[TaggedRetention("Monthly", "P1Y", first_of("month"))],
    )


def _drill(source: Source, ctx: DrillContext) -> DrillTarget:
    """The database as ``<database>_<suffix>`` on the source server (or ``target_server``)."""
    from pulumi_dataprotection.restore.drill import (
        CLEANUP_API_VERSIONS,
        NAME_LIMITS,
        Cleanup,
        DrillError,
        DrillTarget,
        refuse_protected,
        scratch_name,
    )
    from pulumi_dataprotection.restore.requests import database_target

    options = ctx.options
    server = options.target_server or source.datasource_id
    database = options.target_database or scratch_name(
        source.database or "db", options.suffix.replace("-", "_"), limit=NAME_LIMITS["databases"], sep="_"
    )
    if server.lower() == source.datasource_id.lower():
        refuse_protected("database", [database], [source.database or ""])
    if not source.secret_store_uri:
        raise DrillError("the instance has no Key Vault secret (datasourceAuthCredentials) to restore with")
    target = database_target(
        server,
        database,
        source.location,
        secret_store_uri=source.secret_store_uri,
        restore_location=options.restore_region,
    )
    db_id = f"{server}/databases/{database}"
    return DrillTarget("VaultStore", target, db_id, (Cleanup(db_id, CLEANUP_API_VERSIONS["databases"]),))


KIND = DatasourceKind(
    key="postgresql",
    title="PostgreSQL single-server database",
    datasource_type="Microsoft.DBforPostgreSQL/servers/databases",
    resource_type="Microsoft.DBforPostgreSQL/servers/databases",
    id_type="Microsoft.DBforPostgreSQL/servers",
    aliases=("OssDB",),
    set_info="parent",
    set_resource_type="Microsoft.DBforPostgreSQL/servers",
    send_resource_uri=False,
    **WEEKLY_DATABASE_RULES,
    needs_secret_store=True,
    needs_database=True,
    order=5,
    default_policy=default_policy,
    roles=(
        RoleRow(
            identity="vault",
            role="Reader",
            scope="datasource",
            purpose="backup",
            reason="read the server",
        ),
        RoleRow(
            identity="vault",
            role="Key Vault Secrets User",
            scope="key_vault",
            purpose="backup",
            reason="read the connection secret (or grant Get and List on secrets in an access-policy Key Vault)",
        ),
        # Azure: restore PostgreSQL as files (learn.microsoft.com/azure/backup/restore-azure-database-postgresql).
        RoleRow(
            identity="vault",
            role="Storage Blob Data Contributor",
            scope="restore_storage_account",
            purpose="restore",
            reason="write the restored files (restore as files)",
        ),
    ),
    restore_target=_drill,
    example={
        "datasource_id": f"{EXAMPLE_GROUPS}/rg-data/providers/Microsoft.DBforPostgreSQL/servers/pg-legacy",
        "database_name": "orders",
        "secret_store_uri": "https://kv-db.vault.azure.net/secrets/pg-orders",
    },
)
