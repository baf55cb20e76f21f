"""The typed API of BackupVault: its resource class with every input and output, and the enumerations and nested types
of its inputs; generated from its schema by tools/gen_api.py (do not edit: run ``python tools/gen_api.py --write``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypeAlias

import pulumi

from pulumi_dataprotection.dynamic.resource import MODULE, ArmResource, resource_options, resource_props

DatastoreType = Literal["VaultStore", "OperationalStore", "ArchiveStore"]
"""Datastore the storage setting applies to."""


Redundancy = Literal["LocallyRedundant", "ZoneRedundant", "GeoRedundant"]
"""Storage redundancy; Azure allows no change once items are protected, so a change replaces the vault."""


IdentityType = Literal["None", "SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned"]
"""Managed identity of the vault (its principal id is needed for role assignments)."""


SoftDeleteState = Literal["Off", "On", "AlwaysOn"]
"""Soft delete: Off, On or AlwaysOn (AlwaysOn is irreversible)."""


ImmutabilityState = Literal["Disabled", "Unlocked", "Locked"]
"""Immutability: Disabled, Unlocked or Locked (Locked is irreversible)."""


CrossRegionRestoreState = Literal["Disabled", "Enabled"]
"""Cross-region restore (needs GeoRedundant storage; cannot be disabled once enabled)."""


CrossSubscriptionRestoreState = Literal["Disabled", "PermanentlyDisabled", "Enabled"]
"""Cross-subscription restore (PermanentlyDisabled is irreversible)."""


AlertsForAllJobFailures = Literal["Enabled", "Disabled"]
"""Azure Monitor alerts for every failed job."""


CostManagementGranularity = Literal["VaultLevel", "ProtectedItemLevel", "ProtectedItemWithParentTag"]
"""Granularity of the vault's costs in Cost Management: VaultLevel, ProtectedItemLevel or ProtectedItemWithParentTag
(api-version 2026-06-01 and later).
"""


EncryptionState = Literal["Enabled", "Disabled"]
"""Customer-managed-key encryption (Enabled when a key is given; cannot be disabled once enabled)."""


EncryptionIdentityType = Literal["SystemAssigned", "UserAssigned"]
"""Identity the vault uses to reach the key."""


InfrastructureEncryption = Literal["Enabled", "Disabled"]
"""Double encryption; only settable when the vault is created."""


OnDelete = Literal["Delete", "Retain"]
"""What destroying the resource does: Delete (delete the vault in Azure) or Retain (leave it untouched and only forget
it).
"""


RedundancyInput: TypeAlias = Redundancy | Literal["LRS", "ZRS", "GRS"]
"""Redundancy or another spelling Azure accepts."""


IdentityTypeInput: TypeAlias = IdentityType | Literal["SystemAssigned, UserAssigned"]
"""IdentityType or another spelling Azure accepts."""


SoftDeleteStateInput: TypeAlias = SoftDeleteState | Literal["Enabled", "Disabled"] | bool
"""SoftDeleteState or another spelling Azure accepts."""


CrossRegionRestoreStateInput: TypeAlias = CrossRegionRestoreState | bool
"""CrossRegionRestoreState or another spelling Azure accepts."""


CrossSubscriptionRestoreStateInput: TypeAlias = CrossSubscriptionRestoreState | bool
"""CrossSubscriptionRestoreState or another spelling Azure accepts."""


AlertsForAllJobFailuresInput: TypeAlias = AlertsForAllJobFailures | bool
"""AlertsForAllJobFailures or another spelling Azure accepts."""


EncryptionStateInput: TypeAlias = EncryptionState | bool
"""EncryptionState or another spelling Azure accepts."""


InfrastructureEncryptionInput: TypeAlias = InfrastructureEncryption | bool
"""InfrastructureEncryption or another spelling Azure accepts."""


class BackupVault(ArmResource, module=MODULE, name="BackupVault"):
    """An Azure Data Protection backup vault (``Microsoft.DataProtection/backupVaults``).

    Common outputs: ``arm_id``, ``api_version``, ``provisioning_state``.
    """

    name: pulumi.Output[str]
    """Vault name (part of the URL)."""

    resource_group_name: pulumi.Output[str]
    """Resource group of the vault (part of the URL)."""

    location: pulumi.Output[str]
    """Azure region."""

    tags: pulumi.Output[dict[str, str] | None]
    """Resource tags."""

    datastore_type: pulumi.Output[DatastoreType]
    """Datastore the storage setting applies to."""

    redundancy: pulumi.Output[Redundancy]
    """Storage redundancy; Azure allows no change once items are protected, so a change replaces the vault."""

    identity_type: pulumi.Output[IdentityType | None]
    """Managed identity of the vault (its principal id is needed for role assignments)."""

    user_assigned_identity_ids: pulumi.Output[list[str] | None]
    """User-assigned identities attached to the vault."""

    soft_delete_state: pulumi.Output[SoftDeleteState | None]
    """Soft delete: Off, On or AlwaysOn (AlwaysOn is irreversible)."""

    soft_delete_retention_days: pulumi.Output[int | None]
    """Days soft-deleted backups are kept (14-180)."""

    immutability_state: pulumi.Output[ImmutabilityState | None]
    """Immutability: Disabled, Unlocked or Locked (Locked is irreversible)."""

    cross_region_restore_state: pulumi.Output[CrossRegionRestoreState | None]
    """Cross-region restore (needs GeoRedundant storage; cannot be disabled once enabled)."""

    cross_subscription_restore_state: pulumi.Output[CrossSubscriptionRestoreState | None]
    """Cross-subscription restore (PermanentlyDisabled is irreversible)."""

    alerts_for_all_job_failures: pulumi.Output[AlertsForAllJobFailures | None]
    """Azure Monitor alerts for every failed job."""

    cost_management_granularity: pulumi.Output[CostManagementGranularity | None]
    """Granularity of the vault's costs in Cost Management: VaultLevel, ProtectedItemLevel or ProtectedItemWithParentTag
    (api-version 2026-06-01 and later).
    """

    encryption_state: pulumi.Output[EncryptionState | None]
    """Customer-managed-key encryption (Enabled when a key is given; cannot be disabled once enabled)."""

    encryption_key_uri: pulumi.Output[str | None]
    """Key Vault key used for customer-managed-key encryption."""

    encryption_identity_type: pulumi.Output[EncryptionIdentityType | None]
    """Identity the vault uses to reach the key."""

    encryption_identity_id: pulumi.Output[str | None]
    """User-assigned identity used to reach the key."""

    infrastructure_encryption: pulumi.Output[InfrastructureEncryption | None]
    """Double encryption; only settable when the vault is created."""

    replicated_regions: pulumi.Output[list[str] | None]
    """Regions the vault is replicated to."""

    resource_guard_operation_requests: pulumi.Output[list[str] | None]
    """Resource guard operation requests authorizing a protected change (sent with the request only)."""

    subscription_id: pulumi.Output[str | None]
    """Subscription of the vault (default: dataprotection:subscriptionId, azure-native:subscriptionId,
    AZURE_SUBSCRIPTION_ID or ARM_SUBSCRIPTION_ID).
    """

    adopt_existing: pulumi.Output[bool]
    """Take over the existing resource of this name (created outside this stack) instead of refusing to: the first `up`
    writes nothing when it matches the inputs, else only the differences, which the preview lists field by field (in
    the `adoption` output). Needs an explicit `on_delete`.
    """

    on_delete: pulumi.Output[OnDelete]
    """What destroying the resource does: Delete (delete the vault in Azure) or Retain (leave it untouched and only
    forget it).
    """

    allow_replace_with_data: pulumi.Output[bool]
    """Allow a planned replacement (or a one-way change that needs one) even when the vault holds backup instances: the
    replacement deletes every backup in it.
    """

    undelete_from: pulumi.Output[str | None]
    """ARM id of a soft-deleted vault of this name to restore on create, with its settings and backups (the
    `x-ms-deleted-vault-id` undelete; `pulumi-dataprotection deleted-vaults list` or `get_deleted_backup_vaults` give
    it). Without it, a create over a soft-deleted name makes a new, empty vault and the preview warns. Read only on
    create.
    """

    timeouts: pulumi.Output[dict[str, str] | None]
    """Time limits per operation, e.g. {"create": "60m", "delete": "30m"} (Pulumi customTimeouts do not reach dynamic
    providers); defaults come from dataprotection:timeouts.
    """

    resource_type: pulumi.Output[str | None]
    """ARM resource type. Set by Azure."""

    etag: pulumi.Output[str | None]
    """Entity tag. Set by Azure."""

    system_data: pulumi.Output[Any]
    """Creation and modification metadata. Set by Azure."""

    principal_id: pulumi.Output[str | None]
    """Principal id of the system-assigned identity. Set by Azure."""

    tenant_id: pulumi.Output[str | None]
    """Tenant of the system-assigned identity. Set by Azure."""

    user_assigned_identities: pulumi.Output[Any]
    """User-assigned identities with their principal and client ids. Set by Azure."""

    resource_move_state: pulumi.Output[str | None]
    """Resource move state. Set by Azure."""

    resource_move_details: pulumi.Output[Any]
    """Last resource move. Set by Azure."""

    is_vault_protected_by_resource_guard: pulumi.Output[bool | None]
    """Whether a resource guard protects the vault. Set by Azure."""

    secure_score: pulumi.Output[str | None]
    """Secure score (None/Minimum/Adequate/Maximum). Set by Azure."""

    bcdr_security_level: pulumi.Output[str | None]
    """BCDR security level. Set by Azure."""

    adoption: pulumi.Output[str | None]
    """What the create did with a resource that already existed (adopted it, with the differences it wrote, or resumed
    this stack's interrupted create); null for a resource this stack created. Computed by the provider.
    """

    def __init__(
        self,
        resource_name: str,
        *,
        resource_group_name: pulumi.Input[str],
        location: pulumi.Input[str],
        redundancy: pulumi.Input[RedundancyInput],
        name: pulumi.Input[str] | None = None,
        tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        datastore_type: pulumi.Input[DatastoreType] | None = None,
        identity_type: pulumi.Input[IdentityTypeInput] | None = None,
        user_assigned_identity_ids: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        soft_delete_state: pulumi.Input[SoftDeleteStateInput] | None = None,
        soft_delete_retention_days: pulumi.Input[int] | None = None,
        immutability_state: pulumi.Input[ImmutabilityState] | None = None,
        cross_region_restore_state: pulumi.Input[CrossRegionRestoreStateInput] | None = None,
        cross_subscription_restore_state: pulumi.Input[CrossSubscriptionRestoreStateInput] | None = None,
        alerts_for_all_job_failures: pulumi.Input[AlertsForAllJobFailuresInput] | None = None,
        cost_management_granularity: pulumi.Input[CostManagementGranularity] | None = None,
        encryption_state: pulumi.Input[EncryptionStateInput] | None = None,
        encryption_key_uri: pulumi.Input[str] | None = None,
        encryption_identity_type: pulumi.Input[EncryptionIdentityType] | None = None,
        encryption_identity_id: pulumi.Input[str] | None = None,
        infrastructure_encryption: pulumi.Input[InfrastructureEncryptionInput] | None = None,
        replicated_regions: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        resource_guard_operation_requests: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        subscription_id: pulumi.Input[str] | None = None,
        adopt_existing: pulumi.Input[bool] | None = None,
        on_delete: pulumi.Input[OnDelete] | None = None,
        allow_replace_with_data: pulumi.Input[bool] | None = None,
        undelete_from: pulumi.Input[str] | None = None,
        timeouts: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Declare a BackupVault.

        :param resource_name: The Pulumi resource name.
        :param resource_group_name: Resource group of the vault (part of the URL). Required. Changing it replaces the
            resource.
        :param location: Azure region. Required. Changing it replaces the resource.
        :param redundancy: Storage redundancy; Azure allows no change once items are protected, so a change replaces
            the vault. Required. Changing it replaces the resource.
        :param name: Vault name (part of the URL). Changing it replaces the resource. Default: the resource name.
        :param tags: Resource tags.
        :param datastore_type: Datastore the storage setting applies to. Changing it replaces the resource. Default:
            "VaultStore".
        :param identity_type: Managed identity of the vault (its principal id is needed for role assignments). When
            not set, Azure's value is kept.
        :param user_assigned_identity_ids: User-assigned identities attached to the vault. When not set, Azure's
            value is kept.
        :param soft_delete_state: Soft delete: Off, On or AlwaysOn (AlwaysOn is irreversible). One-way: once
            AlwaysOn, it can never change (Azure never turns soft delete back from AlwaysOn). When not set, Azure's
            value is kept.
        :param soft_delete_retention_days: Days soft-deleted backups are kept (14-180). When not set, Azure's value
            is kept.
        :param immutability_state: Immutability: Disabled, Unlocked or Locked (Locked is irreversible). One-way: once
            Locked, it can never change (a Locked immutable vault can never be unlocked). When not set, Azure's value
            is kept.
        :param cross_region_restore_state: Cross-region restore (needs GeoRedundant storage; cannot be disabled once
            enabled). One-way: once Enabled, it can never change (Azure cannot disable cross-region restore once it
            is enabled). When not set, Azure's value is kept.
        :param cross_subscription_restore_state: Cross-subscription restore (PermanentlyDisabled is irreversible).
            One-way: once PermanentlyDisabled, it can never change (PermanentlyDisabled cannot be re-enabled). When
            not set, Azure's value is kept.
        :param alerts_for_all_job_failures: Azure Monitor alerts for every failed job. When not set, Azure's value is
            kept.
        :param cost_management_granularity: Granularity of the vault's costs in Cost Management: VaultLevel,
            ProtectedItemLevel or ProtectedItemWithParentTag (api-version 2026-06-01 and later). When not set,
            Azure's value is kept.
        :param encryption_state: Customer-managed-key encryption (Enabled when a key is given; cannot be disabled
            once enabled). One-way: once Enabled, it can never change (customer-managed-key encryption cannot be
            disabled once enabled). When not set, derived from the other inputs.
        :param encryption_key_uri: Key Vault key used for customer-managed-key encryption. When not set, Azure's
            value is kept.
        :param encryption_identity_type: Identity the vault uses to reach the key. When not set, derived from the
            other inputs.
        :param encryption_identity_id: User-assigned identity used to reach the key. When not set, Azure's value is
            kept.
        :param infrastructure_encryption: Double encryption; only settable when the vault is created. Changing it
            replaces the resource. When not set, Azure's value is kept.
        :param replicated_regions: Regions the vault is replicated to. When not set, Azure's value is kept.
        :param resource_guard_operation_requests: Resource guard operation requests authorizing a protected change
            (sent with the request only). When not set, Azure's value is kept. A change of it alone is no change of
            the resource.
        :param subscription_id: Subscription of the vault (default: dataprotection:subscriptionId,
            azure-native:subscriptionId, AZURE_SUBSCRIPTION_ID or ARM_SUBSCRIPTION_ID). Changing it replaces the
            resource. When not set, Azure's value is kept.
        :param adopt_existing: Take over the existing resource of this name (created outside this stack) instead of
            refusing to: the first `up` writes nothing when it matches the inputs, else only the differences, which
            the preview lists field by field (in the `adoption` output). Needs an explicit `on_delete`. Default:
            false. A change of it alone is no change of the resource.
        :param on_delete: What destroying the resource does: Delete (delete the vault in Azure) or Retain (leave it
            untouched and only forget it). Default: "Delete".
        :param allow_replace_with_data: Allow a planned replacement (or a one-way change that needs one) even when
            the vault holds backup instances: the replacement deletes every backup in it. Default: false. A change of
            it alone is no change of the resource.
        :param undelete_from: ARM id of a soft-deleted vault of this name to restore on create, with its settings and
            backups (the `x-ms-deleted-vault-id` undelete; `pulumi-dataprotection deleted-vaults list` or
            `get_deleted_backup_vaults` give it). Without it, a create over a soft-deleted name makes a new, empty
            vault and the preview warns. Read only on create. A change of it alone is no change of the resource.
        :param timeouts: Time limits per operation, e.g. {"create": "60m", "delete": "30m"} (Pulumi customTimeouts do
            not reach dynamic providers); defaults come from dataprotection:timeouts. A change of it alone is no
            change of the resource.
        :param opts: Options of the resource.
        """
        inputs = {
            "resource_group_name": resource_group_name,
            "location": location,
            "redundancy": redundancy,
            "name": name,
            "tags": tags,
            "datastore_type": datastore_type,
            "identity_type": identity_type,
            "user_assigned_identity_ids": user_assigned_identity_ids,
            "soft_delete_state": soft_delete_state,
            "soft_delete_retention_days": soft_delete_retention_days,
            "immutability_state": immutability_state,
            "cross_region_restore_state": cross_region_restore_state,
            "cross_subscription_restore_state": cross_subscription_restore_state,
            "alerts_for_all_job_failures": alerts_for_all_job_failures,
            "cost_management_granularity": cost_management_granularity,
            "encryption_state": encryption_state,
            "encryption_key_uri": encryption_key_uri,
            "encryption_identity_type": encryption_identity_type,
            "encryption_identity_id": encryption_identity_id,
            "infrastructure_encryption": infrastructure_encryption,
            "replicated_regions": replicated_regions,
            "resource_guard_operation_requests": resource_guard_operation_requests,
            "subscription_id": subscription_id,
            "adopt_existing": adopt_existing,
            "on_delete": on_delete,
            "allow_replace_with_data": allow_replace_with_data,
            "undelete_from": undelete_from,
            "timeouts": timeouts,
        }
        from pulumi_dataprotection.vault.resource import VaultProvider

        super().__init__(
            VaultProvider(),
            resource_name,
            resource_props(VaultProvider, resource_name, inputs),
            resource_options(VaultProvider, opts),
        )
