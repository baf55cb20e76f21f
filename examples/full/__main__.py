"""One backup vault with a policy per datasource kind, protecting an AKS cluster, a Data Lake Storage account, a
PostgreSQL single-server database (credentials in Key Vault) and a PostgreSQL flexible server."""

from typing import cast

import pulumi

from pulumi_dataprotection import BackupInstance, BackupPolicy, BackupVault
from pulumi_dataprotection.policy.builders import (
    ArchiveTier,
    Retention,
    Schedule,
    TaggedRetention,
    adls_policy,
    aks_policy,
    first_of,
    postgresql_flexible_policy,
    postgresql_policy,
)
from pulumi_dataprotection.policy.schema import summarize
from pulumi_dataprotection.vault.api import RedundancyInput

config = pulumi.Config()
location = config.require("location")
cluster_id = config.require("aksClusterId")
account_id = config.require("adlsStorageAccountId")
server_id = config.require("postgresServerId")
database = config.require("postgresDatabaseName")
flexible_id = config.require("postgresFlexibleServerId")


def resource_name(arm_id: str) -> str:
    """The last segment of an ARM id (the name of the resource)."""
    return arm_id.rstrip("/").rsplit("/", 1)[-1]


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
    cost_management_granularity="ProtectedItemLevel",  # costs per backup instance (api-version 2026-06-01)
    tags={"managed-by": "pulumi", "example": "full"},
)

# Policies are named <resource name>-<hash of their content>: a changed schedule or retention creates a new policy
# version, the instances using it are updated in place to point at it, and the old version is deleted last.
policy_inputs = {
    # Snapshots every 4 hours kept 7 days; the first of each day is also copied to the vault and kept 30 days.
    "aks": aks_policy(
        Schedule.hourly(4),
        Retention(config.get("aksSnapshotRetention") or "P7D"),
        tagged=[TaggedRetention("Daily", "P7D", first_of("day"), vault_copy_keep_for="P30D")],
    ),
    # A daily copy to the vault at 02:00 UTC kept 30 days; the first of each week kept 12 weeks.
    "adls": adls_policy(
        Schedule.daily("02:00"),
        Retention(config.get("adlsRetention") or "P30D"),
        tagged=[TaggedRetention("Weekly", "P12W", first_of("week"))],
    ),
    # Weekly full backups kept 3 months; the first of each month kept 1 year, then 5 years in the archive tier.
    "postgresql": postgresql_policy(
        Schedule.weekly(["Sunday"], "01:00"),
        Retention(config.get("databaseRetention") or "P3M"),
        tagged=[TaggedRetention("Monthly", "P1Y", first_of("month"), archive=ArchiveTier("P5Y"))],
    ),
    "postgresql_flexible": postgresql_flexible_policy(
        Schedule.weekly(["Sunday"], "03:00"), Retention(config.get("databaseRetention") or "P3M")
    ),
}
policies = {
    key: BackupPolicy(key.replace("_", "-"), vault_id=vault.arm_id, **inputs) for key, inputs in policy_inputs.items()
}

instances = {
    "aks": BackupInstance(
        "aks",
        name=resource_name(cluster_id),
        vault_id=vault.arm_id,
        policy_id=policies["aks"].arm_id,
        datasource_kind="aks",
        datasource_id=cluster_id,
        datasource_location=location,
        snapshot_resource_group_id=config.require("aksSnapshotResourceGroupId"),
        included_namespaces=config.get_object("aksIncludedNamespaces"),  # None: every namespace
    ),
    "adls": BackupInstance(
        "adls",
        name=resource_name(account_id),
        vault_id=vault.arm_id,
        policy_id=policies["adls"].arm_id,
        datasource_kind="adls",
        datasource_id=account_id,
        datasource_location=location,
        containers=config.require_object("adlsContainers"),
    ),
    "postgresql": BackupInstance(
        "postgresql",
        name=f"{resource_name(server_id)}-{database}",
        vault_id=vault.arm_id,
        policy_id=policies["postgresql"].arm_id,
        datasource_kind="postgresql",
        datasource_id=server_id,
        database_name=database,
        datasource_location=location,
        secret_store_uri=config.require("postgresSecretUri"),
    ),
    "postgresql_flexible": BackupInstance(
        "postgresql-flexible",
        name=resource_name(flexible_id),
        vault_id=vault.arm_id,
        policy_id=policies["postgresql_flexible"].arm_id,
        datasource_kind="postgresql_flexible",
        datasource_id=flexible_id,
        datasource_location=location,
    ),
}

pulumi.export(
    "vault",
    {
        "name": vault.name,
        "id": vault.arm_id,
        "location": vault.location,
        "redundancy": vault.redundancy,
        "soft_delete_state": vault.soft_delete_state,
        "soft_delete_retention_days": vault.soft_delete_retention_days,
        "principal_id": vault.principal_id,
    },
)
# The summaries come from the policy inputs, so they are known at preview time: a pull request's preview shows a
# policy change in words (the policies' own `summary` outputs are known only after the update).
pulumi.export(
    "policies",
    {key: {"name": p.name, "summary": summarize(policy_inputs[key])} for key, p in policies.items()},
)
pulumi.export(
    "instances",
    {
        key: {"name": i.name, "policy": policies[key].name, "protection_state": i.protection_state}
        for key, i in instances.items()
    },
)
