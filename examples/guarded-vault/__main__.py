"""A backup vault under multi-user authorization: a resource guard in the security team's own resource group (and,
optionally, subscription), the vault's link to it, and an AKS cluster protected in the vault."""

import pulumi

from pulumi_dataprotection import BackupInstance, BackupPolicy, BackupVault, ResourceGuard, VaultGuardLink
from pulumi_dataprotection.policy.builders import Retention, Schedule, aks_policy

config = pulumi.Config()
location = config.require("location")
cluster_id = config.require("aksClusterId")

# Owned by the security team: the backup admins running this stack get no role on its resource group.
guard = ResourceGuard(
    "guard",
    name=config.require("guardName"),
    resource_group_name=config.require("guardResourceGroupName"),
    subscription_id=config.get("guardSubscriptionId"),  # None: the provider's subscription
    location=location,  # a guard protects vaults of its own region
    excluded_operations=config.get_object("guardExcludedOperations"),  # None: protect every critical operation
    tags={"owner": "security"},
)

vault = BackupVault(
    "vault",
    name=config.require("vaultName"),
    resource_group_name=config.require("resourceGroupName"),
    location=location,
    redundancy="LocallyRedundant",
    identity_type="SystemAssigned",
    soft_delete_state="AlwaysOn",
    soft_delete_retention_days=14,
    tags={"managed-by": "pulumi", "example": "guarded-vault"},
)

# From here on, deleting backups, shortening retention or removing this link needs the guard's approval.
link = VaultGuardLink("guard-link", vault_id=vault.arm_id, resource_guard_id=guard.arm_id)

policy = BackupPolicy("aks", vault_id=vault.arm_id, **aks_policy(Schedule.hourly(4), Retention("P7D")))
instance = BackupInstance(
    "aks",
    name=cluster_id.rsplit("/", 1)[-1],
    vault_id=vault.arm_id,
    policy_id=policy.arm_id,
    datasource_kind="aks",
    datasource_id=cluster_id,
    datasource_location=location,
    snapshot_resource_group_id=config.require("aksSnapshotResourceGroupId"),
    snapshot_volumes=True,
    include_cluster_scope_resources=True,
    opts=pulumi.ResourceOptions(depends_on=[link]),  # protected from its first day
)

pulumi.export("guard_id", guard.arm_id)
pulumi.export("vault_id", vault.arm_id)
pulumi.export("protected_operations", link.resource_guard_operation_details)
pulumi.export("instance", {"id": instance.arm_id, "protection_state": instance.protection_state})
