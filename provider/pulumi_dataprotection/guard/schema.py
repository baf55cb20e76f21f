"""The declarative schemas of a resource guard (``Microsoft.DataProtection/resourceGuards``) and of a vault's guard
link (``backupVaults/{vault}/backupResourceGuardProxies/{name}``), api-versions 2025-09-01 and 2026-06-01 (alike)."""

from __future__ import annotations

from pulumi_dataprotection.guard import operations
from pulumi_dataprotection.schema import (
    CREATE_ONLY,
    AnyJson,
    ArmIdType,
    BoolType,
    EnumType,
    Field,
    IdPart,
    ListType,
    LocationType,
    ObjectType,
    ResourceSchema,
    names,
    output_field,
)
from pulumi_dataprotection.schema.types import name_type
from pulumi_dataprotection.vault.schema import TAGS, vault_reference

DEFAULT_LINK_NAME = "DppResourceGuardProxy"
"""The name Azure's tools (portal, CLI, PowerShell) give a vault's guard link."""


EXCLUDABLE_OPERATION = EnumType(
    [op.action for op in operations.EXCLUDABLE],
    aliases={op.short: op.action for op in operations.EXCLUDABLE},
)
"""An operation a guard may leave unprotected (the full action, or its short name such as delete_backup_instance)."""

RESOURCE_GUARD = ResourceSchema(
    "ResourceGuard",
    ObjectType(
        [
            Field(
                name="name",
                type=name_type(names.ARM_NAME),
                doc="Resource guard name (part of the URL).",
                mutability=CREATE_ONLY,
                required=True,
                id_part=IdPart("last"),
                read_path="name",
            ),
            Field(
                name="resource_group_name",
                type=name_type(names.RESOURCE_GROUP),
                doc="Resource group of the guard (part of the URL); keep it apart from the vaults' (the security "
                "admin owns it).",
                mutability=CREATE_ONLY,
                required=True,
                id_part=IdPart("after", "resourceGroups"),
            ),
            Field(
                name="location",
                type=LocationType(),
                path="location",
                doc="Azure region (the vaults it guards must be in the same region).",
                mutability=CREATE_ONLY,
                required=True,
            ),
            Field(name="tags", type=TAGS, path="tags", doc="Resource tags."),
            Field(
                name="excluded_operations",
                type=ListType(EXCLUDABLE_OPERATION, ordered=False, unique=True),
                path="properties.vaultCriticalOperationExclusionList",
                doc="Critical operations this guard does not protect, by action or short name ("
                + ", ".join(op.short for op in operations.EXCLUDABLE)
                + "); disabling soft delete and removing a vault's guard link are always protected.",
                computed=True,
            ),
            output_field("id", "id", "ARM id of the resource guard."),
            output_field("resource_type", "type", "ARM resource type."),
            output_field("etag", "eTag", "Entity tag."),
            output_field("system_data", "systemData", "Creation and modification metadata.", AnyJson()),
            output_field("provisioning_state", "properties.provisioningState", "Provisioning state."),
            output_field(
                "allow_auto_approvals",
                "properties.allowAutoApprovals",
                "Whether requests are approved automatically.",
                BoolType(),
            ),
            output_field(
                "resource_guard_operations",
                "properties.resourceGuardOperations",
                "Every critical operation the guard knows, with its request type.",
                AnyJson(),
            ),
            output_field("description", "properties.description", "What to do before a critical operation."),
        ],
        description="a resource guard",
    ),
)

GUARD_LINK = ResourceSchema(
    "VaultGuardLink",
    ObjectType(
        [
            Field(
                name="name",
                type=name_type(names.ARM_NAME),
                doc=f"Name of the link (part of the URL; Azure's tools use {DEFAULT_LINK_NAME}).",
                mutability=CREATE_ONLY,
                default=DEFAULT_LINK_NAME,
                id_part=IdPart("last"),
                read_path="name",
            ),
            vault_reference("Id of the backup vault the guard protects."),
            Field(
                name="resource_guard_id",
                type=ArmIdType(operations.GUARD_TYPE),
                path="properties.resourceGuardResourceId",
                doc="Id of the resource guard (same region as the vault; may be in another resource group, "
                "subscription or tenant). Azure cannot move a link to another guard: a change replaces it, which "
                "removes MUA first (a protected operation).",
                mutability=CREATE_ONLY,
                required=True,
            ),
            output_field("id", "id", "ARM id of the link."),
            output_field("resource_type", "type", "ARM resource type."),
            output_field("system_data", "systemData", "Creation and modification metadata.", AnyJson()),
            output_field(
                "resource_guard_operation_details",
                "properties.resourceGuardOperationDetails",
                "The vault's protected operations, each with the request that authorizes it.",
                AnyJson(),
            ),
            output_field("last_updated_time", "properties.lastUpdatedTime", "When the link last changed."),
            output_field("description", "properties.description", "What to do before a critical operation."),
        ],
        description="a vault's resource guard link",
    ),
)
