"""The declarative schema of a Backup Instance (``backupVaults/backupInstances``, api-versions 2025-09-01 and
2026-06-01): typed datasource inputs per kind, the derived ``dataSourceInfo`` / ``dataSourceSetInfo`` /
``datasourceType`` strings with Azure's casing, and the check that an instance and its policy protect the same kind
of datasource."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_dataprotection.arm.paths import vault_of
from pulumi_dataprotection.datasources import KINDS, datasource_blocks, kind_of_type
from pulumi_dataprotection.instance import states
from pulumi_dataprotection.policy.schema import policy_kind
from pulumi_dataprotection.schema import (
    CREATE_ONLY,
    AnyJson,
    ArmIdType,
    BoolType,
    Boxed,
    Constant,
    Ctx,
    Derivation,
    EnumType,
    Field,
    IdPart,
    InputProblem,
    ListType,
    LocationType,
    ObjectType,
    ResourceSchema,
    Rule,
    StringType,
    When,
    default_is_unknown,
    names,
    output_field,
)
from pulumi_dataprotection.schema.kubernetes import NAMESPACE, LabelSelectorType
from pulumi_dataprotection.schema.regions import region_name
from pulumi_dataprotection.schema.types import name_type, resource_type_of
from pulumi_dataprotection.schema.unknown import UnknownPredicate
from pulumi_dataprotection.vault.schema import TAGS, vault_reference

_PARAMS = "properties.policyInfo.policyParameters"
_AKS = When.of("datasource_kind", "aks")
_NAMES = ListType(StringType(min_length=1), ordered=False, unique=True)
# At most 800 namespaces per backup instance: the AKS backup support matrix's limits table.
_NAMESPACES = ListType(NAMESPACE, max_items=800, ordered=False, unique=True)


def _datasource_render(values: Mapping[str, Any]) -> dict[str, Any]:
    kind = KINDS.get(str(values.get("datasource_kind")))
    arm_id = values.get("datasource_id")
    if kind is None or not isinstance(arm_id, str):
        return {}
    location = values.get("datasource_location") or ""
    database = str(values.get("database_name") or "") if kind.needs_database else None
    info, set_info = datasource_blocks(kind, arm_id, location, database)
    out: dict[str, Any] = {"properties.dataSourceInfo": info}
    if set_info is not None:
        out["properties.dataSourceSetInfo"] = set_info
    return out


def _datasource_parse(body: Mapping[str, Any]) -> dict[str, Any]:
    props = body.get("properties")
    info = props.get("dataSourceInfo") if isinstance(props, Mapping) else None
    if not isinstance(info, Mapping):
        return {}
    kind = kind_of_type(str(info.get("datasourceType") or "")) or kind_of_type(str(info.get("resourceType") or ""))
    resource_id = info.get("resourceID")
    out: dict[str, Any] = {
        "datasource_kind": kind.key if kind else None,
        "datasource_id": resource_id,
        "datasource_location": info.get("resourceLocation") or None,
    }
    if kind is not None and kind.needs_database and isinstance(resource_id, str):
        server, _, database = resource_id.rstrip("/").rpartition("/databases/")
        set_info = props.get("dataSourceSetInfo") if isinstance(props, Mapping) else None
        set_id = set_info.get("resourceID") if isinstance(set_info, Mapping) else None
        out["datasource_id"] = set_id or server
        out["database_name"] = database or None
    return out


PROTECTION = ("configured", "suspended", "stopped")
"""What the program wants Azure to do with the datasource (the ``protection`` input)."""


def protection_of(state: object) -> str | None:
    """The ``protection`` value a ``currentProtectionState`` stands for: configured while Azure configures, updates
    or protects it (also in ProtectionError: it is still meant to be protected), suspended, stopped; None otherwise
    (soft-deleted or a value the provider does not know)."""
    meaning = states.meaning(state)
    if meaning in ("configured", "busy", "failed"):
        return "configured"
    return meaning if meaning in ("suspended", "stopped") else None


def _protection_parse(body: Mapping[str, Any]) -> dict[str, Any]:
    props = body.get("properties")
    if not isinstance(props, Mapping):
        return {}
    status = props.get("protectionStatus")
    state = props.get("currentProtectionState") or (status.get("status") if isinstance(status, Mapping) else None)
    return {"protection": protection_of(state)}


def _default_protection(values: Mapping[str, Any]) -> str | None:
    """configured for an instance the stack creates; an adopted one keeps what Azure has (no default)."""
    return None if values.get("adopt_existing") else "configured"


def _default_friendly_name(values: Mapping[str, Any]) -> str | None:
    arm_id = values.get("datasource_id")
    if not isinstance(arm_id, str) or not arm_id:
        return None
    name = arm_id.rstrip("/").rsplit("/", 1)[-1]
    database = values.get("database_name")
    kind = KINDS.get(str(values.get("datasource_kind")))
    return f"{name}/{database}" if kind is not None and kind.needs_database and database else name


def _check_instance(values: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    kind = KINDS.get(str(values.get("datasource_kind")))
    arm_id = values.get("datasource_id")
    if kind is not None and isinstance(arm_id, str) and resource_type_of(arm_id).lower() != kind.id_type.lower():
        yield (
            "datasource_id",
            f"datasource_id must be a {kind.id_type} id for {_a(kind.title)} (datasource_kind {kind.key}); "
            f"got a {resource_type_of(arm_id) or 'malformed'} id",
        )
    if kind is not None and kind.needs_snapshot_resource_group and not values.get("snapshot_resource_group_id"):
        yield (
            "snapshot_resource_group_id",
            f"snapshot_resource_group_id is required for {_a(kind.title)}: the resource group where Azure keeps its "
            "snapshots (/subscriptions/<id>/resourceGroups/<name>)",
        )
    auto = values.get("auto_protection")
    if kind is not None and kind.needs_containers and not values.get("containers") and auto is not True:
        yield (
            "containers",
            f"containers must list at least one container to back up for {_a(kind.title)} (or set auto_protection)",
        )
    yield from _check_auto_protection(values)
    vault, policy = values.get("vault_id"), values.get("policy_id")
    if isinstance(vault, str) and isinstance(policy, str):
        policy_vault = vault_of(policy)
        if policy_vault is not None and policy_vault.lower() != vault.rstrip("/").lower():
            yield (
                "policy_id",
                f"policy_id must be a policy of the instance's vault {vault}; it belongs to {policy_vault}",
            )


def _check_auto_protection(values: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    """Auto-protection replaces the container list (one datasource parameters item carries either), and excluded
    prefixes need it on."""
    auto, prefixes = values.get("auto_protection"), values.get("auto_protection_excluded_prefixes")
    if auto is not None and values.get("containers"):
        yield (
            "auto_protection",
            "auto_protection and containers exclude each other: auto-protection backs up every container (leave out "
            "the containers), a container list backs up the listed ones (leave out auto_protection)",
        )
    if prefixes and auto is not True:
        yield "auto_protection_excluded_prefixes", "auto_protection_excluded_prefixes needs auto_protection=True"


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1].upper() in "AEIOU" else f"a {noun}"


def _container_parameters(values: Mapping[str, Any]) -> str:
    kind = KINDS.get(str(values.get("datasource_kind")))
    return kind.container_parameters if kind else ""


_AKS_PARAMETERS = ObjectType(
    [
        Field(
            name="snapshot_volumes",
            type=BoolType(),
            path="snapshotVolumes",
            doc="Snapshot persistent volumes.",
            default=True,
        ),
        Field(
            name="include_cluster_scope_resources",
            type=BoolType(),
            path="includeClusterScopeResources",
            doc="Back up cluster-scoped resources.",
            default=True,
        ),
        Field(
            name="included_namespaces",
            type=_NAMESPACES,
            path="includedNamespaces",
            doc="Namespaces to back up (all when empty).",
        ),
        Field(name="excluded_namespaces", type=_NAMESPACES, path="excludedNamespaces", doc="Namespaces to skip."),
        Field(
            name="included_resource_types", type=_NAMES, path="includedResourceTypes", doc="Resource types to back up."
        ),
        Field(name="excluded_resource_types", type=_NAMES, path="excludedResourceTypes", doc="Resource types to skip."),
        Field(
            name="label_selectors",
            type=ListType(LabelSelectorType(), ordered=False, unique=True),
            path="labelSelectors",
            doc="Kubernetes label selectors (app=web, tier!=db, env in (prod,qa), ...).",
        ),
        Field(
            name="included_volume_types",
            type=ListType(EnumType(["AzureDisk", "AzureFileShareSMB"]), ordered=False, unique=True),
            path="includedVolumeTypes",
            doc="Volume types to snapshot.",
        ),
        Field(
            name="backup_hook_references",
            type=ListType(
                ObjectType(
                    [
                        Field(
                            name="name",
                            type=StringType(min_length=1),
                            path="name",
                            doc="Backup hook name.",
                            required=True,
                        ),
                        Field(name="namespace", type=NAMESPACE, path="namespace", doc="Its namespace.", required=True),
                    ],
                    description="a backup hook reference",
                ),
                ordered=False,
            ),
            path="backupHookReferences",
            doc="Backup hooks (custom resources) to run around the backup.",
        ),
    ],
    constants=[Constant("objectType", "KubernetesClusterBackupDatasourceParameters")],
    description="AKS backup parameters",
)

_SNAPSHOT_GROUP = ObjectType(
    [
        Field(
            name="snapshot_resource_group_id",
            type=ArmIdType(resource_group=True),
            path="resourceGroupId",
            doc="Resource group holding the operational-tier snapshots (AKS, disks).",
            mutability=CREATE_ONLY,
        )
    ],
    constants=[
        Constant("dataStoreType", "OperationalStore"),
        Constant("objectType", "AzureOperationalStoreParameters"),
    ],
    description="operational store parameters",
)

# Azure Storage's container rule (learn.microsoft.com/rest/api/storageservices/naming-and-referencing-containers--
# blobs--and-metadata): a container with another name cannot exist; the emulator refuses it too.
_CONTAINER = StringType(
    min_length=3,
    max_length=63,
    pattern=r"^[a-z0-9](?!.*--)[-a-z0-9]*[a-z0-9]$",
    pattern_hint="a container name (3-63 lower-case letters, digits and single hyphens)",
)

_CONTAINER_GROUP = ObjectType(
    [
        Field(
            name="containers",
            type=ListType(_CONTAINER, min_items=1, ordered=False, unique=True),
            path="containersList",
            doc="Containers to back up (vaulted blob and ADLS backups).",
        )
    ],
    constants=[Constant("objectType", _container_parameters)],
    description="container parameters",
)

AUTO_PROTECTION_PARAMETERS = {
    "blob": "BlobBackupDatasourceParametersForAutoProtection",
    "adls": "AdlsBlobBackupDatasourceParametersForAutoProtection",
}
"""``objectType`` of the auto-protection datasource parameters per kind (api-version 2026-06-01 spec and its examples
``PutBackupInstance_BlobBackupAutoProtection`` and ``PutBackupInstance_ADLSBlobBackupAutoProtection``)."""

AUTO_PROTECTION_SINCE = "2026-06-01"
"""The first api-version the provider speaks whose spec has auto-protection (2026-03-01 added it)."""


def _auto_protection_parameters(values: Mapping[str, Any]) -> str:
    return AUTO_PROTECTION_PARAMETERS.get(str(values.get("datasource_kind")), "")


# The spec's only rule kind: exclude containers whose name starts with a literal prefix (BlobBackupRuleMode and
# BlobBackupPatternType have one value each); Terraform azurerm exposes the same as a list of excluded prefixes.
_EXCLUDED_PREFIX = Boxed(
    StringType(min_length=1, max_length=63),
    "pattern",
    {"objectType": "BlobBackupAutoProtectionRule", "mode": "Exclude", "type": "Prefix"},
)

_AUTO_PROTECTION_GROUP = ObjectType(
    [
        Field(
            name="auto_protection",
            type=BoolType(),
            path="autoProtectionSettings.enabled",
            doc=(
                "Protect every container of the storage account, present and future, instead of listing containers "
                "(blob and ADLS auto-protection, api-version 2026-06-01)."
            ),
        ),
        Field(
            name="auto_protection_excluded_prefixes",
            type=ListType(_EXCLUDED_PREFIX, unique=True),
            path="autoProtectionSettings.rules",
            doc="Containers whose names start with one of these prefixes are left out of auto-protection.",
        ),
    ],
    constants=[
        Constant("objectType", _auto_protection_parameters),
        Constant("autoProtectionSettings.objectType", "BlobBackupRuleBasedAutoProtectionSettings"),
    ],
    description="auto-protection parameters",
)

_CREDENTIALS_GROUP = ObjectType(
    [
        Field(
            name="secret_store_uri",
            type=name_type(names.SECRET_URI),
            path="secretStoreResource.uri",
            doc="Key Vault secret holding the database connection credentials.",
            required=True,
        )
    ],
    constants=[
        Constant("objectType", "SecretStoreBasedAuthCredentials"),
        Constant("secretStoreResource.secretStoreType", "AzureKeyVault"),
    ],
    description="datasource credentials",
)

_IDENTITY_GROUP = ObjectType(
    [
        Field(
            name="use_system_assigned_identity",
            type=BoolType(),
            path="useSystemAssignedIdentity",
            doc="Use the vault's system-assigned identity (false when a user-assigned one is given).",
            default=lambda v: False if v.get("user_assigned_identity_id") else None,
            computed=True,
        ),
        Field(
            name="user_assigned_identity_id",
            type=ArmIdType("Microsoft.ManagedIdentity/userAssignedIdentities"),
            path="userAssignedIdentityArmUrl",
            doc="User-assigned identity of the vault to use for this instance.",
            computed=True,
        ),
    ],
    description="identity details",
)


INSTANCE = ResourceSchema(
    "BackupInstance",
    ObjectType(
        [
            Field(
                name="name",
                type=name_type(names.INSTANCE),
                doc="Backup instance name (part of the URL).",
                mutability=CREATE_ONLY,
                required=True,
                id_part=IdPart("last"),
                read_path="name",
            ),
            vault_reference("Id of the backup vault."),
            Field(
                name="datasource_kind",
                type=EnumType(list(KINDS)),
                doc="What is protected: " + ", ".join(f"{k.key} ({k.title})" for k in KINDS.values()) + ".",
                mutability=CREATE_ONLY,
                required=True,
            ),
            Field(
                name="datasource_id",
                type=ArmIdType(),
                doc="Id of the protected resource (for a PostgreSQL single-server database: the server).",
                mutability=CREATE_ONLY,
                required=True,
            ),
            Field(
                name="database_name",
                type=StringType(min_length=1, max_length=63),
                doc="The database of a PostgreSQL single server.",
                mutability=CREATE_ONLY,
                required=True,
                when=When.of("datasource_kind", "postgresql"),
            ),
            Field(
                name="datasource_location",
                type=LocationType(),
                doc="Region of the protected resource.",
                mutability=CREATE_ONLY,
                computed=True,
            ),
            Field(
                name="friendly_name",
                type=StringType(min_length=1),
                path="properties.friendlyName",
                doc="Display name (default: the resource name, server/database for PostgreSQL).",
                mutability=CREATE_ONLY,
                default=_default_friendly_name,
                computed=True,
            ),
            Field(
                name="policy_id",
                type=ArmIdType("Microsoft.DataProtection/backupVaults/backupPolicies"),
                path="properties.policyInfo.policyId",
                doc="Id of the backup policy (a policy of the same vault, for the same kind of datasource).",
                required=True,
            ),
            Field(
                name="protection",
                type=EnumType(list(PROTECTION)),
                doc="What Azure does with the datasource: configured (backups run on the policy's schedule), suspended "
                "(suspendBackups: no new backups, recovery points kept as the policy says, the newest for ever) or "
                "stopped (stopProtection: no new backups, every recovery point kept for ever). A change sends that "
                "action (back to configured: resumeBackups or resumeProtection); a change made in Azure shows as "
                "drift after `pulumi refresh`. Default: configured, but an instance adopted with adopt_existing keeps "
                "Azure's state.",
                default=_default_protection,
                computed=True,
            ),
            Field(
                name="snapshot_group", type=_SNAPSHOT_GROUP, path=f"{_PARAMS}.dataStoreParametersList[0]", flatten=True
            ),
            Field(
                name="aks_parameters",
                type=_AKS_PARAMETERS,
                path=f"{_PARAMS}.backupDatasourceParametersList[0]",
                flatten=True,
                when=_AKS,
            ),
            Field(
                name="container_group",
                type=_CONTAINER_GROUP,
                path=f"{_PARAMS}.backupDatasourceParametersList[0]",
                flatten=True,
                when=When.of("datasource_kind", "blob", "adls"),
            ),
            Field(
                name="auto_protection_group",
                type=_AUTO_PROTECTION_GROUP,
                path=f"{_PARAMS}.backupDatasourceParametersList[0]",
                flatten=True,
                when=When.of("datasource_kind", *AUTO_PROTECTION_PARAMETERS),
            ),
            *(
                Field(
                    name=f"{kind.key}_parameters",
                    type=kind.instance_parameters,
                    path=f"{_PARAMS}.backupDatasourceParametersList[0]",
                    flatten=True,
                    when=When.of("datasource_kind", kind.key),
                )
                for kind in KINDS.values()
                if kind.instance_parameters is not None
            ),
            Field(
                name="credentials",
                type=_CREDENTIALS_GROUP,
                path="properties.datasourceAuthCredentials",
                flatten=True,
                when=When.of("datasource_kind", "postgresql"),
            ),
            Field(name="identity", type=_IDENTITY_GROUP, path="properties.identityDetails", flatten=True),
            Field(
                name="validation_type",
                type=EnumType(["ShallowValidation", "DeepValidation"]),
                path="properties.validationType",
                doc="How deeply Azure validates the request (not stored by Azure).",
                diff=False,
            ),
            Field(
                name="resource_guard_operation_requests",
                type=ListType(StringType(min_length=1)),
                path="properties.resourceGuardOperationRequests",
                doc="Resource guard operation requests authorizing the change (sent with the request only).",
                diff=False,
            ),
            Field(name="tags", type=TAGS, path="tags", doc="Resource tags."),
            output_field("id", "id", "ARM id of the backup instance."),
            output_field("resource_type", "type", "ARM resource type."),
            output_field("system_data", "systemData", "Creation and modification metadata.", AnyJson()),
            output_field("provisioning_state", "properties.provisioningState", "Provisioning state."),
            output_field("current_protection_state", "properties.currentProtectionState", "Protection state."),
            output_field("protection_status", "properties.protectionStatus", "Status and error details.", AnyJson()),
            output_field(
                "protection_error_details", "properties.protectionErrorDetails", "Protection error.", AnyJson()
            ),
            output_field("policy_version", "properties.policyInfo.policyVersion", "Version of the policy in use."),
            output_field(
                "datasource_info",
                "properties.dataSourceInfo",
                "Datasource as Azure reports it when that differs from the inputs (e.g. OssDB), {} when not reported.",
                AnyJson(),
                as_derived=True,
            ),
            output_field(
                "datasource_set_info",
                "properties.dataSourceSetInfo",
                "Datasource set as Azure reports it when that differs from the inputs, {} when not reported.",
                AnyJson(),
                as_derived=True,
            ),
        ],
        constants=[Constant("properties.objectType", "BackupInstance")],
        rules=[
            Rule(
                (
                    "datasource_kind",
                    "datasource_id",
                    "snapshot_resource_group_id",
                    "containers",
                    "auto_protection",
                    "auto_protection_excluded_prefixes",
                    "vault_id",
                    "policy_id",
                ),
                _check_instance,
            )
        ],
        derivations=[
            Derivation(
                ("datasource_kind", "datasource_id", "database_name", "datasource_location"),
                _datasource_render,
                _datasource_parse,
                paths=("properties.dataSourceInfo", "properties.dataSourceSetInfo"),
            ),
            # Not part of the body: read back from currentProtectionState; the provider sends the actions.
            Derivation(
                ("protection",), lambda _values: {}, _protection_parse, paths=("properties.currentProtectionState",)
            ),
        ],
        description="a backup instance",
    ),
)


def check_policy_match(
    instance_inputs: Mapping[str, Any],
    policy_values: Mapping[str, Any],
    *,
    is_unknown: UnknownPredicate = default_is_unknown,
) -> list[InputProblem]:
    """Failures when an instance cannot use a policy (call it when both are known, e.g. with the policy's outputs):
    the policy must protect the instance's kind of datasource, and vaulted blob policies need containers."""
    ctx = Ctx(is_unknown)
    kind_key = instance_inputs.get("datasource_kind")
    if ctx.has_unknown(kind_key) or ctx.has_unknown(policy_values.get("datasource_types")):
        return []
    kind = KINDS.get(str(kind_key))
    policy = policy_kind(policy_values)
    types = policy_values.get("datasource_types") or []
    if kind is None or not types:
        return []
    if policy is None or policy.key != kind.key:
        return [
            InputProblem(
                "policy_id",
                f"policy_id points to a policy for {', '.join(map(str, types))}, but this instance protects "
                f"{_a(kind.title)} ({kind.datasource_type}); use a policy built for {kind.key}",
            )
        ]
    failures = []
    rules = policy_values.get("policy_rules") or []
    vaulted = any(
        isinstance(r, Mapping) and r.get("object_type") == "AzureBackupRule" and r.get("data_store") == "VaultStore"
        for r in rules
    )
    containers = instance_inputs.get("containers")
    auto = instance_inputs.get("auto_protection") is True
    vaulted_only = bool(kind.container_parameters) and not kind.needs_containers  # blobs: operational needs none
    if vaulted_only and vaulted and not ctx.has_unknown(containers) and not containers and not auto:
        reason = "containers must list the containers to back up: the policy has a vaulted (VaultStore) backup rule"
        failures.append(InputProblem("containers", reason))
    return failures


def check_vault_match(
    instance_inputs: Mapping[str, Any],
    vault_values: Mapping[str, Any],
    *,
    is_unknown: UnknownPredicate = default_is_unknown,
) -> list[InputProblem]:
    """Failures when an instance cannot be protected by its vault (call it with what the program says of the vault,
    known values only): the datasource must be in the vault's region (Azure Backup's support matrices: "Backup Vault
    and the AKS cluster should be located in the same region"), and the vault needs the managed identity the
    instance uses, since Azure reads the datasource with it (a vault without one fails protection with
    VaultMSIUnauthorized: microsoft/mcp#2470)."""
    ctx = Ctx(is_unknown)
    failures = []
    where, there = instance_inputs.get("datasource_location"), vault_values.get("location")
    if isinstance(where, str) and isinstance(there, str) and not ctx.has_unknown([where, there]):
        same = (region_name(where) or where).lower() == (region_name(there) or there).lower()
    else:
        same = True
    if not same:
        failures.append(
            InputProblem(
                "datasource_location",
                f"datasource_location is {where} but the vault is in {there}: Azure Backup protects a datasource "
                f"only from a backup vault in its own region; use a vault in {where} (or check datasource_location)",
            )
        )
    kind = vault_values.get("identity_type")
    if not isinstance(kind, str) or ctx.has_unknown(instance_inputs.get("user_assigned_identity_id")):
        return failures
    chosen = instance_inputs.get("user_assigned_identity_id")
    attached = {str(i).lower() for i in vault_values.get("user_assigned_identity_ids") or []}
    if isinstance(chosen, str) and chosen:
        if "UserAssigned" not in kind or chosen.lower() not in attached:
            failures.append(
                InputProblem(
                    "user_assigned_identity_id",
                    f"user_assigned_identity_id {chosen} is not an identity of the vault (identity_type {kind}): "
                    "add it to the vault's user_assigned_identity_ids",
                )
            )
    elif "SystemAssigned" not in kind and instance_inputs.get("use_system_assigned_identity") is not False:
        what = "no managed identity" if kind == "None" else "no system-assigned identity"
        failures.append(
            InputProblem(
                "vault_id",
                f"the vault has {what} (identity_type {kind}), and Azure Backup reads the datasource with the vault's "
                "managed identity (protection fails with VaultMSIUnauthorized): set identity_type='SystemAssigned' "
                "on the vault (and grant its principal_id the datasource's roles), or give this instance "
                "user_assigned_identity_id, one of the vault's user-assigned identities",
            )
        )
    return failures
