"""A backup vault and one backup policy per datasource kind, built with the datasource-aware policy builders."""

from typing import cast

import pulumi

from pulumi_dataprotection import BackupPolicy, BackupVault
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

vault = BackupVault(
    "vault",
    name=config.require("vaultName"),
    resource_group_name=config.require("resourceGroupName"),
    location=config.require("location"),
    # Config values are plain strings: cast to the spellings the type allows (preview checks the value itself).
    redundancy=cast(RedundancyInput, config.get("redundancy") or "LocallyRedundant"),
    identity_type="SystemAssigned",
    soft_delete_state="AlwaysOn",
    soft_delete_retention_days=14,
    tags={"managed-by": "pulumi", "example": "vault-and-policies"},
)

# Each policy is named <resource name>-<hash of its content>: changing a schedule or a retention creates a new
# policy version, moves the backup instances that use it, then deletes the old version (Azure cannot update a policy).
policy_inputs = {
    # AKS: snapshots every 4 hours kept 7 days in the cluster's snapshot resource group (OperationalStore); the
    # first snapshot of each day is also copied to the vault and kept there 30 days.
    "aks": aks_policy(
        Schedule.hourly(4),
        Retention("P7D"),
        tagged=[TaggedRetention("Daily", "P7D", first_of("day"), vault_copy_keep_for="P30D")],
    ),
    # Data Lake Storage: a daily vaulted backup at 02:00 UTC kept 30 days, the first of each week kept 12 weeks.
    "adls": adls_policy(
        Schedule.daily("02:00"),
        Retention("P30D"),
        tagged=[TaggedRetention("Weekly", "P12W", first_of("week"))],
    ),
    # PostgreSQL single-server databases: weekly full backups kept 3 months, monthly ones 1 year, then archived.
    "postgresql": postgresql_policy(
        Schedule.weekly(["Sunday"], "01:00"),
        Retention("P3M"),
        tagged=[TaggedRetention("Monthly", "P1Y", first_of("month"), archive=ArchiveTier("P5Y"))],
    ),
    # PostgreSQL flexible servers: weekly full backups kept 3 months.
    "postgresql_flexible": postgresql_flexible_policy(Schedule.weekly(["Sunday"], "03:00"), Retention("P3M")),
}
policies = {
    key: BackupPolicy(key.replace("_", "-"), vault_id=vault.arm_id, **inputs) for key, inputs in policy_inputs.items()
}

pulumi.export("vault_id", vault.arm_id)
pulumi.export("vault_principal_id", vault.principal_id)
# Summaries from the inputs are known at preview time, so a preview shows a policy change in words.
pulumi.export(
    "policies",
    {key: {"name": p.name, "id": p.arm_id, "summary": summarize(policy_inputs[key])} for key, p in policies.items()},
)
