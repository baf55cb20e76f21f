"""Long-term backup of PostgreSQL: a single-server database whose credentials are in Key Vault, and a flexible
server, in one backup vault with one policy each."""

from typing import cast

import pulumi

from pulumi_dataprotection import BackupInstance, BackupPolicy, BackupVault
from pulumi_dataprotection.policy.builders import (
    ArchiveTier,
    Retention,
    Schedule,
    TaggedRetention,
    first_of,
    postgresql_flexible_policy,
    postgresql_policy,
)
from pulumi_dataprotection.policy.schema import summarize
from pulumi_dataprotection.vault.api import RedundancyInput

config = pulumi.Config()
location = config.require("location")
server_id = config.require("postgresServerId")
database = config.require("postgresDatabaseName")
flexible_id = config.require("postgresFlexibleServerId")
retention = Retention(config.get("databaseRetention") or "P3M")

vault = BackupVault(
    "vault",
    name=config.require("vaultName"),
    resource_group_name=config.require("resourceGroupName"),
    location=location,
    # Config values are plain strings: cast to the spellings the type allows (preview checks the value itself).
    redundancy=cast(RedundancyInput, config.get("redundancy") or "LocallyRedundant"),
    identity_type="SystemAssigned",  # its principal gets the roles listed in README.md
    soft_delete_state="AlwaysOn",
    soft_delete_retention_days=14,
    tags={"managed-by": "pulumi", "example": "postgresql"},
)

# Weekly full backups on Sunday at 01:00 UTC kept 3 months; the first of each month kept 1 year, then archived.
single_inputs = postgresql_policy(
    Schedule.weekly(["Sunday"], "01:00"),
    retention,
    tagged=[TaggedRetention("Monthly", "P1Y", first_of("month"), archive=ArchiveTier("P5Y"))],
)
flexible_inputs = postgresql_flexible_policy(Schedule.weekly(["Sunday"], "03:00"), retention)
single_policy = BackupPolicy("postgresql", vault_id=vault.arm_id, **single_inputs)
flexible_policy = BackupPolicy("postgresql-flexible", vault_id=vault.arm_id, **flexible_inputs)

# A single-server instance protects one database; the vault reads its connection string from Key Vault.
database_instance = BackupInstance(
    "postgresql",
    name=f"{server_id.rsplit('/', 1)[-1]}-{database}",
    vault_id=vault.arm_id,
    policy_id=single_policy.arm_id,
    datasource_kind="postgresql",
    datasource_id=server_id,
    database_name=database,
    datasource_location=location,
    secret_store_uri=config.require("postgresSecretUri"),
)

# A flexible-server instance protects the whole server with the vault's identity; no credentials needed.
flexible_instance = BackupInstance(
    "postgresql-flexible",
    name=flexible_id.rsplit("/", 1)[-1],
    vault_id=vault.arm_id,
    policy_id=flexible_policy.arm_id,
    datasource_kind="postgresql_flexible",
    datasource_id=flexible_id,
    datasource_location=location,
)

pulumi.export("vault_id", vault.arm_id)
pulumi.export("vault_principal_id", vault.principal_id)
pulumi.export(
    "policies",
    {
        "postgresql": {"name": single_policy.name, "summary": summarize(single_inputs)},
        "postgresql_flexible": {"name": flexible_policy.name, "summary": summarize(flexible_inputs)},
    },
)
pulumi.export(
    "instances",
    {
        "postgresql": {"id": database_instance.arm_id, "protection_state": database_instance.protection_state},
        "postgresql_flexible": {"id": flexible_instance.arm_id, "protection_state": flexible_instance.protection_state},
    },
)
