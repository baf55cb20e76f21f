"""The Pulumi program of the preview tests: one vault, an AKS and an ADLS policy, an AKS and an ADLS instance.

Config (namespace ``e2e-preview``): ``tags`` (of the vault), ``redundancy`` (of the vault), ``allowReplace``
(``allow_replace_with_data`` of the vault and the instances), ``retention`` (of the AKS policy), ``namespaces`` (of
the AKS instance), ``containers``, ``lakeLocation`` (of the ADLS instance), ``softDelete`` and ``vaultOnDelete``
(of the vault).
"""

from __future__ import annotations

from string import Template

from tests.e2e.programs import LOCATION, RESOURCE_GROUP, SUBSCRIPTION, VAULT_NAME, cluster_id

STORAGE_ACCOUNT = (
    f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/lake1"
)
CLUSTER = cluster_id(0)

PREVIEW_PROGRAM = Template("""
\"\"\"A vault, AKS and ADLS policies and instances (see tests/e2e/preview_program.py).\"\"\"
import pulumi

from pulumi_dataprotection import BackupInstance, BackupPolicy, BackupVault
from pulumi_dataprotection.policy.builders import Retention, Schedule, adls_policy, aks_policy

config = pulumi.Config()
vault = BackupVault(
    "vault",
    name="$vault",
    resource_group_name="$group",
    location="$location",
    redundancy=config.get("redundancy") or "LocallyRedundant",
    soft_delete_state=config.get("softDelete") or "AlwaysOn",
    soft_delete_retention_days=14,
    identity_type="SystemAssigned",
    tags=config.get_object("tags") or {"team": "platform"},
    allow_replace_with_data=config.get_bool("allowReplace"),
    on_delete=config.get("vaultOnDelete"),
)
aks = BackupPolicy(
    "aks", vault_id=vault.arm_id, **aks_policy(Schedule.hourly(4), Retention(config.get("retention") or "P7D"))
)
adls = BackupPolicy("adls", vault_id=vault.arm_id, **adls_policy(Schedule.daily("02:00"), Retention("P30D")))
cluster = BackupInstance(
    "aks-0",
    vault_id=vault.arm_id,
    policy_id=aks.arm_id,
    datasource_kind="aks",
    datasource_id="$cluster",
    datasource_location="$location",
    snapshot_resource_group_id="/subscriptions/$subscription/resourceGroups/rg-aks-snapshots",
    included_namespaces=config.get_object("namespaces") or ["default"],
    allow_replace_with_data=config.get_bool("allowReplace"),
)
lake = BackupInstance(
    "lake1",
    vault_id=vault.arm_id,
    policy_id=adls.arm_id,
    datasource_kind="adls",
    datasource_id="$account",
    datasource_location=config.get("lakeLocation") or "$location",
    containers=config.get_object("containers") or ["raw"],
    allow_replace_with_data=config.get_bool("allowReplace"),
)
pulumi.export("vault_id", vault.arm_id)
pulumi.export("protection", {"aks-0": cluster.protection_state, "lake1": lake.protection_state})
""").substitute(
    subscription=SUBSCRIPTION,
    location=LOCATION,
    vault=VAULT_NAME,
    group=RESOURCE_GROUP,
    cluster=CLUSTER,
    account=STORAGE_ACCOUNT,
)
