"""Vaulted backup of Data Lake Storage containers: a backup vault, an ADLS policy and a backup instance."""

from typing import cast

import pulumi

from pulumi_dataprotection import BackupInstance, BackupPolicy, BackupVault
from pulumi_dataprotection.policy.builders import Retention, Schedule, TaggedRetention, adls_policy, first_of
from pulumi_dataprotection.policy.schema import summarize
from pulumi_dataprotection.vault.api import RedundancyInput

config = pulumi.Config()
location = config.require("location")
account_id = config.require("adlsStorageAccountId")

vault = BackupVault(
    "vault",
    name=config.require("vaultName"),
    resource_group_name=config.require("resourceGroupName"),
    location=location,
    # Config values are plain strings: cast to the spellings the type allows (preview checks the value itself).
    redundancy=cast(RedundancyInput, config.get("redundancy") or "LocallyRedundant"),
    identity_type="SystemAssigned",  # its principal gets the role listed in README.md
    soft_delete_state="AlwaysOn",
    soft_delete_retention_days=14,
    tags={"managed-by": "pulumi", "example": "adls"},
)

# A daily copy to the vault at 02:00 UTC kept 30 days; the first of each week kept 12 weeks.
policy_inputs = adls_policy(
    Schedule.daily("02:00"),
    Retention(config.get("adlsRetention") or "P30D"),
    tagged=[TaggedRetention("Weekly", "P12W", first_of("week"))],
)
policy = BackupPolicy("adls", vault_id=vault.arm_id, **policy_inputs)

instance = BackupInstance(
    "adls",
    name=account_id.rsplit("/", 1)[-1],
    vault_id=vault.arm_id,
    policy_id=policy.arm_id,
    datasource_kind="adls",
    datasource_id=account_id,
    datasource_location=location,
    containers=config.require_object("adlsContainers"),  # changing the list updates the instance in place
)

pulumi.export("vault_id", vault.arm_id)
pulumi.export("vault_principal_id", vault.principal_id)
pulumi.export("policy", {"name": policy.name, "summary": summarize(policy_inputs)})
pulumi.export("instance", {"id": instance.arm_id, "protection_state": instance.protection_state})
