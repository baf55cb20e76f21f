"""Protect an AKS cluster: a backup vault, an AKS backup policy and a backup instance of the cluster."""

from typing import cast

import pulumi

from pulumi_dataprotection import BackupInstance, BackupPermissions, BackupPolicy, BackupVault
from pulumi_dataprotection.permissions.component import Datasource
from pulumi_dataprotection.policy.builders import Retention, Schedule, TaggedRetention, aks_policy, first_of
from pulumi_dataprotection.policy.schema import summarize
from pulumi_dataprotection.vault.api import RedundancyInput

config = pulumi.Config()
location = config.require("location")
cluster_id = config.require("aksClusterId")

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
    tags={"managed-by": "pulumi", "example": "aks"},
)

# Snapshots every 4 hours kept 7 days (OperationalStore); the first of each day is also copied to the vault.
policy_inputs = aks_policy(
    Schedule.hourly(4),
    Retention(config.get("aksSnapshotRetention") or "P7D"),
    tagged=[TaggedRetention("Daily", "P7D", first_of("day"), vault_copy_keep_for="P30D")],
)
policy = BackupPolicy("aks", vault_id=vault.arm_id, **policy_inputs)

# Every role the backup needs (README.md), assigned in the same `pulumi up` when the identities are configured; the
# instance waits for them to propagate. Without them, grant the roles yourself (`pulumi-dataprotection permissions`).
cluster_principal = config.get("aksClusterPrincipalId")
extension_principal = config.get("aksExtensionPrincipalId")
extension_storage = config.get("aksExtensionStorageAccountId")
roles = []
if cluster_principal and extension_principal and extension_storage:
    roles.append(
        BackupPermissions(
            "roles",
            vault_principal_id=vault.principal_id,
            vault_id=vault.arm_id,
            cluster_principal_id=cluster_principal,
            extension_principal_id=extension_principal,
            datasources=[
                Datasource(
                    "aks",
                    "aks",
                    cluster_id,
                    snapshot_resource_group_id=config.require("aksSnapshotResourceGroupId"),
                    extension_storage_account_id=extension_storage,
                )
            ],
        )
    )

instance = BackupInstance(
    "aks",
    name=cluster_id.rsplit("/", 1)[-1],
    vault_id=vault.arm_id,
    policy_id=policy.arm_id,
    datasource_kind="aks",
    datasource_id=cluster_id,
    datasource_location=location,
    snapshot_resource_group_id=config.require("aksSnapshotResourceGroupId"),
    included_namespaces=config.get_object("aksIncludedNamespaces"),  # None: every namespace
    snapshot_volumes=True,
    include_cluster_scope_resources=True,
    opts=pulumi.ResourceOptions(depends_on=roles),
)

pulumi.export("vault_id", vault.arm_id)
pulumi.export("vault_principal_id", vault.principal_id)
pulumi.export("policy", {"name": policy.name, "summary": summarize(policy_inputs)})
pulumi.export("instance", {"id": instance.arm_id, "protection_state": instance.protection_state})
