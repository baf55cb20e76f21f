"""Typed inputs for every resource, builder and datasource kind, shared by the schema tests, plus a simulation of
how Azure echoes a request body back (what real responses in ../shared/reference/recordings look like)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from pulumi_dataprotection.policy.builders import (
    ArchiveTier,
    Criteria,
    Retention,
    Schedule,
    TaggedRetention,
    adls_policy,
    aks_policy,
    blob_operational_policy,
    blob_vaulted_policy,
    build_policy,
    cosmos_db_policy,
    disk_policy,
    first_of,
    mysql_flexible_policy,
    postgresql_flexible_policy,
    postgresql_policy,
)

SUB = "6f3c1a52-0d2e-4c0b-9a7e-4d1b2c3d4e5f"
RG = f"/subscriptions/{SUB}/resourceGroups/rg-backup"
VAULT_ID = f"{RG}/providers/Microsoft.DataProtection/backupVaults/vault-1"
UAMI = f"{RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/backup-msi"
GUARD = f"/subscriptions/{SUB}/resourceGroups/rg-security/providers/Microsoft.DataProtection/resourceGuards/guard-1"


def policy_id(name: str) -> str:
    """A policy id in the sample vault."""
    return f"{VAULT_ID}/backupPolicies/{name}"


VAULTS: dict[str, dict[str, Any]] = {
    "minimal": {"name": "vault-1", "resource_group_name": "rg-backup", "location": "westeurope", "redundancy": "LRS"},
    "secure": {
        "name": "vault-secure",
        "resource_group_name": "rg-backup",
        "location": "West Europe",
        "redundancy": "GeoRedundant",
        "identity_type": "SystemAssigned",
        "soft_delete_state": "AlwaysOn",
        "soft_delete_retention_days": 30,
        "immutability_state": "Locked",
        "cross_region_restore_state": True,
        "cross_subscription_restore_state": "Disabled",
        "alerts_for_all_job_failures": "Enabled",
        "datastore_type": "VaultStore",
        "resource_guard_operation_requests": [f"{GUARD}/dppReduceSoftDeleteSecurityRequests/default"],
        "tags": {"env": "prod", "owner": "platform"},
    },
    "cmk": {
        "name": "vault-cmk",
        "resource_group_name": "rg-backup",
        "location": "eastus2",
        "redundancy": "ZRS",
        "identity_type": "UserAssigned",
        "user_assigned_identity_ids": [UAMI],
        "encryption_key_uri": "https://kv-backup.vault.azure.net/keys/backup-key",
        "encryption_identity_id": UAMI,
        "encryption_identity_type": "UserAssigned",
        "encryption_state": "Enabled",
        "infrastructure_encryption": "Enabled",
        "soft_delete_state": "On",
        "soft_delete_retention_days": 14,
        "replicated_regions": ["westus2"],
    },
    "costed": {
        "name": "vault-costed",
        "resource_group_name": "rg-backup",
        "location": "westeurope",
        "redundancy": "LocallyRedundant",
        "cost_management_granularity": "ProtectedItemWithParentTag",
    },
}

_DAILY_COPY = TaggedRetention("Daily", "P7D", first_of("day"), vault_copy_keep_for="P84D")
_MONTHLY = TaggedRetention(
    "Monthly", "P12M", Criteria(days_of_week=("Sunday",), weeks_of_month=("First",)), archive=ArchiveTier("P3Y")
)
_YEARLY = TaggedRetention("Yearly", "P5Y", Criteria(days_of_month=(1, "Last"), months_of_year=("January",)))

POLICIES: dict[str, dict[str, Any]] = {
    "aks_hourly": aks_policy(tagged=[_DAILY_COPY]),
    "aks_daily": aks_policy(Schedule.daily("03:30", time_zone="UTC"), Retention("P14D")),
    "disk_hourly": disk_policy(Schedule.hourly(2), tagged=[TaggedRetention("Weekly", "P4W", first_of("week"))]),
    "disk_daily": disk_policy(Schedule.daily(), Retention("P30D")),
    "blob_operational": blob_operational_policy("P30D"),
    "blob_vaulted": blob_vaulted_policy(Schedule.weekly(["Saturday"]), Retention("P8W"), tagged=[_YEARLY]),
    "blob_hybrid": blob_vaulted_policy(operational_keep_for="P14D"),
    "adls": adls_policy(tagged=[TaggedRetention("Weekly", "P12W", first_of("week"))]),
    "postgresql": postgresql_policy(
        Schedule.weekly(["Sunday", "Wednesday"], "06:30", time_zone="W. Europe Standard Time"),
        Retention("P3M", archive=ArchiveTier("P1Y", after="P30D")),
        tagged=[_MONTHLY],
    ),
    "postgresql_ossdb": postgresql_policy(datasource_type="OssDB"),
    "postgresql_flexible": postgresql_flexible_policy(
        tagged=[TaggedRetention("Weekly", "P6M", Criteria(days_of_week=("Sunday",)))]
    ),
    "mysql_flexible": mysql_flexible_policy(retention=Retention("P6M", archive=ArchiveTier("P2Y"))),
    "cosmos_db": cosmos_db_policy(
        "Saturday",
        "23:00",
        Retention("P6M"),
        tagged=[TaggedRetention("Yearly", "P5Y", first_of("year"))],
        time_zone="W. Europe Standard Time",
    ),
    "elastic_san": build_policy(
        "elastic_san",
        schedule=Schedule.weekly(["Saturday"], "01:00"),
        retention=Retention("P8W"),
        tagged=[TaggedRetention("Weekly", "P26W", first_of("week"))],
    ),
}
"""Builder output per sample; :func:`policy_inputs` adds the name and vault."""


def policy_inputs(key: str) -> dict[str, Any]:
    """Complete BackupPolicy inputs for a sample."""
    return {"name": f"pol-{key.replace('_', '-')}", "vault_id": VAULT_ID, **copy.deepcopy(POLICIES[key])}


_AKS_ID = f"{RG}/providers/Microsoft.ContainerService/managedClusters/aks-prod"
_STORAGE_ID = f"{RG}/providers/Microsoft.Storage/storageAccounts/stprod01"

INSTANCES: dict[str, dict[str, Any]] = {
    "aks": {
        "datasource_kind": "aks",
        "datasource_id": _AKS_ID,
        "datasource_location": "westeurope",
        "policy_id": policy_id("pol-aks-hourly"),
        "snapshot_resource_group_id": f"/subscriptions/{SUB}/resourceGroups/rg-snapshots",
        "included_namespaces": ["payments", "orders"],
        "excluded_resource_types": ["v1/Secret"],
        "label_selectors": ["backup=true"],
        "included_volume_types": ["AzureDisk"],
        "backup_hook_references": [{"name": "freeze-db", "namespace": "orders"}],
        "tags": {"env": "prod"},
    },
    "aks_defaults": {
        "datasource_kind": "aks",
        "datasource_id": _AKS_ID,
        "policy_id": policy_id("pol-aks-daily"),
        "snapshot_resource_group_id": f"/subscriptions/{SUB}/resourceGroups/rg-snapshots",
        "friendly_name": "aks-prod/backup",
        "excluded_namespaces": ["kube-system"],
        "included_resource_types": ["v1/ConfigMap", "apps/v1/Deployment"],
        "snapshot_volumes": False,
        "include_cluster_scope_resources": False,
        "validation_type": "DeepValidation",
        "resource_guard_operation_requests": [f"{GUARD}/dppModifyPolicy/default"],
        "protection": "configured",
    },
    "blob_operational": {
        "datasource_kind": "blob",
        "datasource_id": _STORAGE_ID,
        "datasource_location": "westeurope",
        "policy_id": policy_id("pol-blob-operational"),
    },
    "blob_vaulted": {
        "datasource_kind": "blob",
        "datasource_id": _STORAGE_ID,
        "datasource_location": "westeurope",
        "policy_id": policy_id("pol-blob-vaulted"),
        "containers": ["invoices", "images"],
    },
    "adls": {
        "datasource_kind": "adls",
        "datasource_id": f"{RG}/providers/Microsoft.Storage/storageAccounts/dlprod01",
        "datasource_location": "westeurope",
        "policy_id": policy_id("pol-adls"),
        "containers": ["raw"],
    },
    "postgresql": {
        "datasource_kind": "postgresql",
        "datasource_id": f"{RG}/providers/Microsoft.DBforPostgreSQL/servers/pg-single",
        "database_name": "appdb",
        "datasource_location": "westeurope",
        "policy_id": policy_id("pol-postgresql"),
        "secret_store_uri": "https://kv-backup.vault.azure.net/secrets/pg-conn",
    },
    "postgresql_flexible": {
        "datasource_kind": "postgresql_flexible",
        "datasource_id": f"{RG}/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg-flex",
        "datasource_location": "westeurope",
        "policy_id": policy_id("pol-postgresql-flexible"),
        "user_assigned_identity_id": UAMI,
    },
    "mysql_flexible": {
        "datasource_kind": "mysql_flexible",
        "datasource_id": f"{RG}/providers/Microsoft.DBforMySQL/flexibleServers/mysql-flex",
        "datasource_location": "westeurope",
        "policy_id": policy_id("pol-mysql-flexible"),
    },
    "disk": {
        "datasource_kind": "disk",
        "datasource_id": f"{RG}/providers/Microsoft.Compute/disks/data-disk-1",
        "datasource_location": "westeurope",
        "policy_id": policy_id("pol-disk-hourly"),
        "snapshot_resource_group_id": f"/subscriptions/{SUB}/resourceGroups/rg-snapshots",
        "use_system_assigned_identity": True,
    },
    "blob_auto": {
        "datasource_kind": "blob",
        "datasource_id": _STORAGE_ID,
        "datasource_location": "westeurope",
        "policy_id": policy_id("pol-blob-vaulted"),
        "auto_protection": True,
        "auto_protection_excluded_prefixes": ["temp-", "test-"],
    },
    "adls_auto": {
        "datasource_kind": "adls",
        "datasource_id": f"{RG}/providers/Microsoft.Storage/storageAccounts/dlprod01",
        "datasource_location": "westeurope",
        "policy_id": policy_id("pol-adls"),
        "auto_protection": True,
    },
    "cosmos_db": {
        "datasource_kind": "cosmos_db",
        "datasource_id": f"{RG}/providers/Microsoft.DocumentDB/databaseAccounts/cosmos-prod",
        "datasource_location": "westeurope",
        "policy_id": policy_id("pol-cosmos-db"),
    },
    "elastic_san": {
        "datasource_kind": "elastic_san",
        "datasource_id": f"{RG}/providers/Microsoft.ElasticSan/elasticSans/esan-1/volumeGroups/vg-db",
        "datasource_location": "westeurope",
        "policy_id": policy_id("pol-elastic-san"),
        "snapshot_resource_group_id": f"/subscriptions/{SUB}/resourceGroups/rg-snapshots",
        "volumes": ["data-1", "logs-1"],
    },
}

INSTANCE_POLICY = {
    "aks": "aks_hourly",
    "aks_defaults": "aks_daily",
    "blob_operational": "blob_operational",
    "blob_vaulted": "blob_vaulted",
    "adls": "adls",
    "postgresql": "postgresql",
    "postgresql_flexible": "postgresql_flexible",
    "mysql_flexible": "mysql_flexible",
    "disk": "disk_hourly",
    "blob_auto": "blob_vaulted",
    "adls_auto": "adls",
    "cosmos_db": "cosmos_db",
    "elastic_san": "elastic_san",
}
"""The sample policy each sample instance uses."""


def instance_inputs(key: str) -> dict[str, Any]:
    """Complete BackupInstance inputs for a sample."""
    return {"name": f"bi-{key.replace('_', '-')}", "vault_id": VAULT_ID, **copy.deepcopy(INSTANCES[key])}


def vault_inputs(key: str) -> dict[str, Any]:
    """Complete BackupVault inputs for a sample."""
    return copy.deepcopy(VAULTS[key])


# -- how Azure echoes what it was sent ----------------------------------------------------------------------------


def _shout_ids(value: Any) -> Any:
    """Azure returns ids with other casing than it was sent (``resourcegroups``, ``Backupvaults``)."""
    if isinstance(value, str) and value.startswith("/subscriptions/"):
        return value.replace("resourceGroups", "resourcegroups").replace("backupVaults", "BackupVaults")
    if isinstance(value, dict):
        return {k: _shout_ids(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_shout_ids(v) for v in value]
    return value


def _reverse_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _reverse_keys(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [_reverse_keys(v) for v in value]
    return value


def echo_vault(body: Mapping[str, Any], name: str, resource_group: str) -> dict[str, Any]:
    """A vault GET after a PUT of ``body``: outputs added, numbers as doubles, defaults filled in."""
    out = copy.deepcopy(dict(body))
    out["id"] = (
        f"/subscriptions/{SUB}/resourceGroups/{resource_group}/providers/Microsoft.DataProtection/backupVaults/{name}"
    )
    out["name"] = name
    out["type"] = "Microsoft.DataProtection/backupVaults"
    props = out.setdefault("properties", {})
    props.update(
        provisioningState="Succeeded",
        isVaultProtectedByResourceGuard=False,
        secureScore="Adequate",
        bcdrSecurityLevel="Good",
        replicatedRegions=props.get("replicatedRegions", []),
        resourceGuardOperationRequests=[],
    )
    soft = props.setdefault("securitySettings", {}).setdefault("softDeleteSettings", {})
    soft.setdefault("state", "On")
    soft["retentionDurationInDays"] = float(soft.get("retentionDurationInDays", 14))
    identity = out.setdefault("identity", {"type": "None"})
    if "SystemAssigned" in identity.get("type", ""):
        identity.update(
            principalId="838ffe5b-9004-4c46-b32c-58953b1ba43e", tenantId="72f988bf-86f1-41af-91ab-2d7cd011db47"
        )
    for key in identity.get("userAssignedIdentities", {}):
        identity["userAssignedIdentities"][key] = {
            "principalId": "0b2c8e55-5d4e-4b8f-9f6a-1c2d3e4f5a6b",
            "clientId": "7c8d9e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f",
        }
    return _reverse_keys(out)


def echo_policy(body: Mapping[str, Any], vault_id: str, name: str) -> dict[str, Any]:
    """A policy GET after a PUT of ``body``: tag ids added, ids and key order changed."""
    out = copy.deepcopy(dict(body))
    out.update(
        id=f"{vault_id}/backupPolicies/{name}", name=name, type="Microsoft.DataProtection/backupVaults/backupPolicies"
    )
    for rule in out["properties"]["policyRules"]:
        for tag in rule.get("trigger", {}).get("taggingCriteria", []):
            tag["tagInfo"]["id"] = f"{tag['tagInfo']['tagName']}_"
        for life in rule.get("lifecycles", []):
            life.setdefault("targetDataStoreCopySettings", [])
    return _reverse_keys(_shout_ids(out))


def echo_instance(body: Mapping[str, Any], vault_id: str, name: str) -> dict[str, Any]:
    """A backup instance GET after a PUT of ``body`` (as in the recordings: nulls for absent AKS lists, ``value:
    null`` in credentials, ``OssDB`` for PostgreSQL, other id casing, protection state outputs)."""
    out = copy.deepcopy(dict(body))
    out.update(
        id=f"{vault_id}/backupInstances/{name}", name=name, type="Microsoft.DataProtection/backupVaults/backupInstances"
    )
    props = out["properties"]
    props.pop("validationType", None)
    props.pop("resourceGuardOperationRequests", None)
    props.update(
        provisioningState="Succeeded",
        currentProtectionState="ProtectionConfigured",
        protectionStatus={"status": "ProtectionConfigured"},
    )
    props["policyInfo"]["policyVersion"] = "1.0"
    for info in (props.get("dataSourceInfo"), props.get("dataSourceSetInfo")):
        if info and info.get("datasourceType") == "Microsoft.DBforPostgreSQL/servers/databases":
            info["datasourceType"] = info["resourceType"] = "OssDB"
    for params in props["policyInfo"].get("policyParameters", {}).get("backupDatasourceParametersList", []):
        if params["objectType"] == "KubernetesClusterBackupDatasourceParameters":
            for key in (
                "includedNamespaces",
                "excludedNamespaces",
                "includedResourceTypes",
                "excludedResourceTypes",
                "labelSelectors",
                "includedVolumeTypes",
                "backupHookReferences",
            ):
                params.setdefault(key, None)
        if "containersList" in params:
            params["containersList"] = list(reversed(params["containersList"]))
    creds = props.get("datasourceAuthCredentials")
    if creds:
        creds["secretStoreResource"]["value"] = None
    return _reverse_keys(_shout_ids(out))


# -- resource guards and vault guard links ------------------------------------------------------------------------

GUARDS: dict[str, dict[str, Any]] = {
    "minimal": {"name": "guard-1", "resource_group_name": "rg-security", "location": "westeurope"},
    "excluding": {
        "name": "guard-2",
        "resource_group_name": "rg-security",
        "location": "westeurope",
        "tags": {"owner": "security"},
        "excluded_operations": ["suspend_backups", "Microsoft.DataProtection/backupVaults/backupInstances/delete"],
    },
}

GUARD_LINKS: dict[str, dict[str, Any]] = {
    "default": {"vault_id": VAULT_ID, "resource_guard_id": GUARD},
    "named": {"name": "DppResourceGuardProxy", "vault_id": VAULT_ID, "resource_guard_id": GUARD},
}


def guard_inputs(key: str) -> dict[str, Any]:
    """Complete ResourceGuard inputs for a sample."""
    return copy.deepcopy(GUARDS[key])


def guard_link_inputs(key: str) -> dict[str, Any]:
    """Complete VaultGuardLink inputs for a sample."""
    return copy.deepcopy(GUARD_LINKS[key])


def echo_guard(body: Mapping[str, Any], name: str, resource_group: str) -> dict[str, Any]:
    """A resource guard GET after a PUT of ``body`` (as in the recordings: the operations it knows, an empty
    exclusion list when none was sent, auto approvals)."""
    out = copy.deepcopy(dict(body))
    out.update(
        id=f"/subscriptions/{SUB}/resourceGroups/{resource_group}/providers/Microsoft.DataProtection/resourceGuards/"
        + name,
        name=name,
        type="Microsoft.DataProtection/resourceGuards",
    )
    props = out.setdefault("properties", {})
    props.setdefault("vaultCriticalOperationExclusionList", [])
    props.update(
        provisioningState="Succeeded",
        allowAutoApprovals=True,
        resourceGuardOperations=[
            {
                "vaultCriticalOperation": "Microsoft.DataProtection/backupVaults/backupInstances/delete",
                "requestResourceType": "Microsoft.DataProtection/backupVaults/backupInstances/delete",
            }
        ],
    )
    return _reverse_keys(out)


def echo_guard_link(body: Mapping[str, Any], vault_id: str, name: str) -> dict[str, Any]:
    """A guard link GET after a PUT of ``body`` (as in the recordings: the vault's protected operations with their
    default requests, the time of the link, the resource type Azure spells ``vaults/backupResourceGuardProxies``)."""
    out = copy.deepcopy(dict(body))
    out.update(
        id=f"{vault_id}/backupResourceGuardProxies/{name}",
        name=name,
        type="Microsoft.DataProtection/vaults/backupResourceGuardProxies",
    )
    guard = out["properties"]["resourceGuardResourceId"]
    out["properties"].update(
        resourceGuardOperationDetails=[
            {
                "vaultCriticalOperation": "Microsoft.DataProtection/backupVaults/backupInstances/delete",
                "defaultResourceRequest": f"{guard}/deleteBackupInstanceRequests/default",
            }
        ],
        lastUpdatedTime="2025-11-04T08:56:29.4822626Z",
    )
    return _reverse_keys(_shout_ids(out))


# -- ad-hoc backups ------------------------------------------------------------------------------------------------

ADHOC_BACKUPS: dict[str, dict[str, Any]] = {
    "rule_only": {"backup_instance_id": f"{VAULT_ID}/backupInstances/bi-aks", "rule_name": "BackupHourly"},
    "tagged": {
        "backup_instance_id": f"{VAULT_ID}/backupInstances/bi-disk",
        "rule_name": "BackupDaily",
        "retention_tag_override": "Weekly",
        "triggers": {"release": "2026.12"},
        "wait_for_completion": False,
        "timeouts": {"create": "45m"},
    },
}


def adhoc_inputs(key: str) -> dict[str, Any]:
    """Complete AdhocBackup inputs for a sample."""
    return copy.deepcopy(ADHOC_BACKUPS[key])
