"""The declarative schema of a Backup Vault (``Microsoft.DataProtection/backupVaults``, api-version 2026-06-01; the
inputs older versions lack are in ``INPUTS_SINCE``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_dataprotection.schema import (
    CREATE_ONLY,
    AnyJson,
    ArmIdType,
    BoolType,
    EnumType,
    Field,
    IdPart,
    IdSetAsMap,
    IntType,
    ListType,
    LocationType,
    MapType,
    ObjectType,
    ResourceSchema,
    Rule,
    StringType,
    names,
    one_way,
    output_field,
)
from pulumi_dataprotection.schema.types import name_type

_ON_OFF = {True: "Enabled", False: "Disabled"}
_SECURITY = "properties.securitySettings"
_ENCRYPTION = f"{_SECURITY}.encryptionSettings"
_USER_IDENTITY = ArmIdType("Microsoft.ManagedIdentity/userAssignedIdentities")

TAGS = MapType(StringType(max_length=256), max_items=50, max_key_length=512, description="tags")


def vault_reference(doc: str) -> Field:
    """The ``vault_id`` field of a resource that lives in a backup vault (part of its URL, so create-only)."""
    return Field(
        name="vault_id",
        type=ArmIdType("Microsoft.DataProtection/backupVaults"),
        doc=doc,
        mutability=CREATE_ONLY,
        required=True,
        id_part=IdPart("through", "backupVaults"),
    )


def _soft_delete_rules(values: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    days = values.get("soft_delete_retention_days")
    state = values.get("soft_delete_state")
    if days is not None and state != "Off" and not 14 <= days <= 180:
        yield (
            "soft_delete_retention_days",
            f"soft_delete_retention_days must be from 14 to 180 days while soft delete is {state or 'On'}; got {days}",
        )


def _identity_rules(values: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    kind = values.get("identity_type") or ""
    ids = values.get("user_assigned_identity_ids")
    if "UserAssigned" in kind and not ids:
        yield (
            "user_assigned_identity_ids",
            f"user_assigned_identity_ids must list at least one identity id when identity_type is {kind}",
        )
    if ids and "UserAssigned" not in kind:
        yield (
            "user_assigned_identity_ids",
            "user_assigned_identity_ids applies only when identity_type is UserAssigned or "
            f"SystemAssigned,UserAssigned (it is {kind or 'not set'})",
        )


def _encryption_rules(values: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    identity_type = values.get("encryption_identity_type")
    identity_id = values.get("encryption_identity_id")
    if values.get("encryption_state") == "Enabled" and not values.get("encryption_key_uri"):
        yield ("encryption_key_uri", "encryption_key_uri is required when encryption_state is Enabled")
    if identity_type == "UserAssigned" and not identity_id:
        yield (
            "encryption_identity_id",
            "encryption_identity_id is required when encryption_identity_type is UserAssigned",
        )
    if identity_id and identity_type != "UserAssigned":
        yield (
            "encryption_identity_id",
            "encryption_identity_id applies only when encryption_identity_type is UserAssigned "
            f"(it is {identity_type})",
        )


def _default_encryption_state(values: Mapping[str, Any]) -> str | None:
    return "Enabled" if values.get("encryption_key_uri") else None


def _default_encryption_identity(values: Mapping[str, Any]) -> str | None:
    if not values.get("encryption_key_uri"):
        return None
    return "UserAssigned" if values.get("encryption_identity_id") else "SystemAssigned"


VAULT = ResourceSchema(
    "BackupVault",
    ObjectType(
        [
            Field(
                name="name",
                type=name_type(names.VAULT),
                doc="Vault name (part of the URL).",
                mutability=CREATE_ONLY,
                required=True,
                id_part=IdPart("last"),
                read_path="name",
            ),
            Field(
                name="resource_group_name",
                type=name_type(names.RESOURCE_GROUP),
                doc="Resource group of the vault (part of the URL).",
                mutability=CREATE_ONLY,
                required=True,
                id_part=IdPart("after", "resourceGroups"),
            ),
            Field(
                name="location",
                type=LocationType(),
                path="location",
                doc="Azure region.",
                mutability=CREATE_ONLY,
                required=True,
            ),
            Field(name="tags", type=TAGS, path="tags", doc="Resource tags."),
            Field(
                name="datastore_type",
                type=EnumType(["VaultStore", "OperationalStore", "ArchiveStore"]),
                path="properties.storageSettings[0].datastoreType",
                doc="Datastore the storage setting applies to.",
                mutability=CREATE_ONLY,
                default="VaultStore",
            ),
            Field(
                name="redundancy",
                type=EnumType(
                    ["LocallyRedundant", "ZoneRedundant", "GeoRedundant"],
                    aliases={"LRS": "LocallyRedundant", "ZRS": "ZoneRedundant", "GRS": "GeoRedundant"},
                ),
                path="properties.storageSettings[0].type",
                doc="Storage redundancy; Azure allows no change once items are protected, so a change replaces the "
                "vault.",
                mutability=CREATE_ONLY,
                required=True,
            ),
            Field(
                name="identity_type",
                type=EnumType(
                    ["None", "SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned"],
                    aliases={"SystemAssigned, UserAssigned": "SystemAssigned,UserAssigned"},
                ),
                path="identity.type",
                doc="Managed identity of the vault (its principal id is needed for role assignments).",
                computed=True,
            ),
            Field(
                name="user_assigned_identity_ids",
                type=IdSetAsMap(_USER_IDENTITY),
                path="identity.userAssignedIdentities",
                doc="User-assigned identities attached to the vault.",
                computed=True,
            ),
            Field(
                name="soft_delete_state",
                type=EnumType(
                    ["Off", "On", "AlwaysOn"], aliases={"Enabled": "On", "Disabled": "Off", True: "On", False: "Off"}
                ),
                path=f"{_SECURITY}.softDeleteSettings.state",
                doc="Soft delete: Off, On or AlwaysOn (AlwaysOn is irreversible).",
                mutability=one_way("AlwaysOn", reason="Azure never turns soft delete back from AlwaysOn"),
                computed=True,
            ),
            Field(
                name="soft_delete_retention_days",
                type=IntType(minimum=0, maximum=180),
                path=f"{_SECURITY}.softDeleteSettings.retentionDurationInDays",
                doc="Days soft-deleted backups are kept (14-180).",
                computed=True,
            ),
            Field(
                name="immutability_state",
                type=EnumType(["Disabled", "Unlocked", "Locked"]),
                path=f"{_SECURITY}.immutabilitySettings.state",
                doc="Immutability: Disabled, Unlocked or Locked (Locked is irreversible).",
                mutability=one_way("Locked", reason="a Locked immutable vault can never be unlocked"),
                computed=True,
            ),
            Field(
                name="cross_region_restore_state",
                type=EnumType(["Disabled", "Enabled"], aliases=_ON_OFF),
                path="properties.featureSettings.crossRegionRestoreSettings.state",
                doc="Cross-region restore (needs GeoRedundant storage; cannot be disabled once enabled).",
                mutability=one_way("Enabled", reason="Azure cannot disable cross-region restore once it is enabled"),
                computed=True,
            ),
            Field(
                name="cross_subscription_restore_state",
                type=EnumType(["Disabled", "PermanentlyDisabled", "Enabled"], aliases=_ON_OFF),
                path="properties.featureSettings.crossSubscriptionRestoreSettings.state",
                doc="Cross-subscription restore (PermanentlyDisabled is irreversible).",
                mutability=one_way("PermanentlyDisabled", reason="PermanentlyDisabled cannot be re-enabled"),
                computed=True,
            ),
            Field(
                name="alerts_for_all_job_failures",
                type=EnumType(["Enabled", "Disabled"], aliases=_ON_OFF),
                path="properties.monitoringSettings.azureMonitorAlertSettings.alertsForAllJobFailures",
                doc="Azure Monitor alerts for every failed job.",
                computed=True,
            ),
            Field(
                name="cost_management_granularity",
                type=EnumType(["VaultLevel", "ProtectedItemLevel", "ProtectedItemWithParentTag"]),
                path="properties.costManagementSettings.granularityLevel",
                doc="Granularity of the vault's costs in Cost Management: VaultLevel, ProtectedItemLevel or "
                "ProtectedItemWithParentTag (api-version 2026-06-01 and later).",
                computed=True,
            ),
            Field(
                name="encryption_state",
                type=EnumType(["Enabled", "Disabled"], aliases=_ON_OFF),
                path=f"{_ENCRYPTION}.state",
                doc="Customer-managed-key encryption (Enabled when a key is given; cannot be disabled once enabled).",
                mutability=one_way("Enabled", reason="customer-managed-key encryption cannot be disabled once enabled"),
                default=_default_encryption_state,
                computed=True,
            ),
            Field(
                name="encryption_key_uri",
                type=name_type(names.KEY_URI),
                path=f"{_ENCRYPTION}.keyVaultProperties.keyUri",
                doc="Key Vault key used for customer-managed-key encryption.",
                computed=True,
            ),
            Field(
                name="encryption_identity_type",
                type=EnumType(["SystemAssigned", "UserAssigned"]),
                path=f"{_ENCRYPTION}.kekIdentity.identityType",
                doc="Identity the vault uses to reach the key.",
                default=_default_encryption_identity,
                computed=True,
            ),
            Field(
                name="encryption_identity_id",
                type=_USER_IDENTITY,
                path=f"{_ENCRYPTION}.kekIdentity.identityId",
                doc="User-assigned identity used to reach the key.",
                computed=True,
            ),
            Field(
                name="infrastructure_encryption",
                type=EnumType(["Enabled", "Disabled"], aliases=_ON_OFF),
                path=f"{_ENCRYPTION}.infrastructureEncryption",
                doc="Double encryption; only settable when the vault is created.",
                mutability=CREATE_ONLY,
                computed=True,
            ),
            Field(
                name="replicated_regions",
                type=ListType(LocationType(), ordered=False, unique=True),
                path="properties.replicatedRegions",
                doc="Regions the vault is replicated to.",
                computed=True,
            ),
            Field(
                name="resource_guard_operation_requests",
                type=ListType(StringType(min_length=1)),
                path="properties.resourceGuardOperationRequests",
                doc="Resource guard operation requests authorizing a protected change (sent with the request only).",
                computed=True,
                diff=False,
            ),
            output_field("id", "id", "ARM id of the vault."),
            output_field("resource_type", "type", "ARM resource type."),
            output_field("etag", "eTag", "Entity tag."),
            output_field("system_data", "systemData", "Creation and modification metadata.", AnyJson()),
            output_field("principal_id", "identity.principalId", "Principal id of the system-assigned identity."),
            output_field("tenant_id", "identity.tenantId", "Tenant of the system-assigned identity."),
            output_field(
                "user_assigned_identities",
                "identity.userAssignedIdentities",
                "User-assigned identities with their principal and client ids.",
                AnyJson(),
            ),
            output_field("provisioning_state", "properties.provisioningState", "Provisioning state."),
            output_field("resource_move_state", "properties.resourceMoveState", "Resource move state."),
            output_field("resource_move_details", "properties.resourceMoveDetails", "Last resource move.", AnyJson()),
            output_field(
                "is_vault_protected_by_resource_guard",
                "properties.isVaultProtectedByResourceGuard",
                "Whether a resource guard protects the vault.",
                BoolType(),
            ),
            output_field("secure_score", "properties.secureScore", "Secure score (None/Minimum/Adequate/Maximum)."),
            output_field("bcdr_security_level", "properties.bcdrSecurityLevel", "BCDR security level."),
        ],
        rules=[
            Rule(("soft_delete_state", "soft_delete_retention_days"), _soft_delete_rules),
            Rule(("identity_type", "user_assigned_identity_ids"), _identity_rules),
            Rule(
                ("encryption_state", "encryption_key_uri", "encryption_identity_type", "encryption_identity_id"),
                _encryption_rules,
            ),
        ],
        description="a backup vault",
    ),
)

PATCHABLE_INPUTS: tuple[str, ...] = tuple(
    f.name
    for f in VAULT.fields
    if not f.is_output
    and f.path is not None
    and f.path.startswith(
        (
            "tags",
            "identity.",
            "properties.monitoringSettings.",
            "properties.securitySettings.",
            "properties.featureSettings.",
            "properties.costManagementSettings.",
            "properties.resourceGuardOperationRequests",
        )
    )
)
"""Inputs a PATCH (``PatchResourceRequestInput``) can carry: ``VAULT.to_rest(inputs, only=PATCHABLE_INPUTS)``."""

INPUTS_SINCE: dict[str, str] = {"cost_management_granularity": "2026-06-01"}
"""Inputs and the first api-version whose vault model has them (an older version ignores them)."""


def values_for_instances(olds: Mapping[str, Any], inputs: Mapping[str, Any]) -> dict[str, Any]:
    """What an instance's check compares with its vault (known values only): ``location`` and ``identity_type``
    with ``user_assigned_identity_ids``, and ``immutability_state`` and ``redundancy`` (from the inputs, else the
    state). A new vault whose program leaves the identity out is created without one (``identity_type`` None); an
    existing or adopted vault whose program leaves it to Azure has an unknown one."""
    out: dict[str, Any] = {}
    for name in ("immutability_state", "redundancy"):
        value = inputs.get(name) or olds.get(name)
        if isinstance(value, str):
            out[name] = value
    if isinstance(inputs.get("location"), str):
        out["location"] = inputs["location"]
    kind = inputs.get("identity_type")
    if isinstance(kind, str):
        out["identity_type"] = kind
        ids = inputs.get("user_assigned_identity_ids")
        out["user_assigned_identity_ids"] = [str(i) for i in ids] if isinstance(ids, list | dict) else []
    elif kind is None and olds.get("name") is None and not inputs.get("adopt_existing"):
        out["identity_type"] = "None"
        out["user_assigned_identity_ids"] = []
    return out
