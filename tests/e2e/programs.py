"""The small Pulumi program of the end-to-end tests: one vault, one AKS policy and N AKS backup instances.

Config (namespace ``e2e-small``): ``instances`` (how many, default 1), ``retention`` (of the policy, default P7D),
``onDelete`` (a list: the ``on_delete`` of instance i, missing entries use the default), ``retainVault`` (keep
the vault and the policy in Azure on destroy, via Pulumi's ``retain_on_delete``), ``adoptInstances``
(``adopt_existing`` of every instance), ``timeouts`` (of every resource) and ``undeleteFrom`` (the vault's
``undelete_from``).
"""

from __future__ import annotations

from string import Template

SUBSCRIPTION = "22222222-2222-2222-2222-222222222222"
RESOURCE_GROUP = "rg-e2e"
VAULT_NAME = "bv-e2e"
LOCATION = "westeurope"


def cluster_id(index: int) -> str:
    """The ARM id of the AKS cluster protected by instance ``index``."""
    return (
        f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/"
        f"managedClusters/aks-{index}"
    )


def vault_path() -> str:
    """The ARM id of the program's vault."""
    return (
        f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{RESOURCE_GROUP}/providers/Microsoft.DataProtection/"
        f"backupVaults/{VAULT_NAME}"
    )


SMALL_PROGRAM = Template("""
\"\"\"One vault, one AKS policy and N AKS backup instances (see tests/e2e/programs.py).\"\"\"
import pulumi

from pulumi_dataprotection import BackupInstance, BackupPolicy, BackupVault
from pulumi_dataprotection.policy.builders import Retention, Schedule, aks_policy

SUBSCRIPTION = "$subscription"
LOCATION = "$location"

config = pulumi.Config()
count = config.get_int("instances")
count = 1 if count is None else count
on_delete = config.get_object("onDelete") or []
timeouts = config.get_object("timeouts")
retain = pulumi.ResourceOptions(retain_on_delete=bool(config.get_bool("retainVault")))

vault = BackupVault(
    "vault",
    name="$vault",
    resource_group_name="$group",
    location=LOCATION,
    redundancy="LocallyRedundant",
    identity_type="SystemAssigned",
    soft_delete_state="AlwaysOn",
    soft_delete_retention_days=14,
    timeouts=timeouts,
    undelete_from=config.get("undeleteFrom"),
    opts=retain,
)
policy = BackupPolicy(
    "aks",
    vault_id=vault.arm_id,
    timeouts=timeouts,
    opts=retain,
    **aks_policy(Schedule.hourly(4), Retention(config.get("retention") or "P7D")),
)
instances = {
    f"aks-{index}": BackupInstance(
        f"aks-{index}",
        vault_id=vault.arm_id,
        policy_id=policy.arm_id,
        datasource_kind="aks",
        datasource_id=f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-aks/providers/"
        f"Microsoft.ContainerService/managedClusters/aks-{index}",
        datasource_location=LOCATION,
        snapshot_resource_group_id=f"/subscriptions/{SUBSCRIPTION}/resourceGroups/"
        + (config.get("snapshotResourceGroup") or "rg-aks-snapshots"),
        on_delete=on_delete[index] if index < len(on_delete) else None,
        allow_replace_with_data=config.get_bool("allowReplace"),
        adopt_existing=config.get_bool("adoptInstances"),
        timeouts=timeouts,
    )
    for index in range(count)
}
pulumi.export("vault_id", vault.arm_id)
pulumi.export("policy", policy.name)
pulumi.export("instances", {name: i.protection_state for name, i in instances.items()})
""").substitute(subscription=SUBSCRIPTION, location=LOCATION, vault=VAULT_NAME, group=RESOURCE_GROUP)
