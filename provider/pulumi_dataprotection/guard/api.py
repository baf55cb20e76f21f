"""The typed API of ResourceGuard: its resource class with every input and output, and the enumerations and nested types
of its inputs; generated from its schema by tools/gen_api.py (do not edit: run ``python tools/gen_api.py --write``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypeAlias

import pulumi

from pulumi_dataprotection.dynamic.resource import MODULE, ArmResource, resource_options, resource_props

ExcludedOperation = Literal[
    "Microsoft.DataProtection/backupVaults/backupInstances/delete",
    "Microsoft.DataProtection/backupVaults/write#reduceImmutabilityState",
    "Microsoft.DataProtection/backupVaults/write#modifyEncryptionSettings",
    "Microsoft.DataProtection/backupVaults/backupInstances/stopProtection/action",
    "Microsoft.DataProtection/backupVaults/backupInstances/suspendBackups/action",
    "Microsoft.DataProtection/backupVaults/backupInstances/write",
    "Microsoft.DataProtection/backupVaults/backupInstances/restore/action",
    "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/delete",
    "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/write",
    "Microsoft.RecoveryServices/vaults/backupPolicies/write",
    "Microsoft.RecoveryServices/vaults/backupSecurityPIN/action",
    "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/write#stopProtectionWithRetainData",
    "Microsoft.RecoveryServices/vaults/write#reduceImmutabilityState",
    "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems/recoveryPoints/restore/action",
    "Microsoft.RecoveryServices/vaults/registeredIdentities/delete",
]
"""Critical operations this guard does not protect, by action or short name (delete_backup_instance,
reduce_immutability, modify_encryption, stop_protection, suspend_backups, modify_protection, trigger_restore,
rs_delete_protected_item, rs_update_protected_item, rs_update_policy, rs_security_pin,
rs_stop_protection_retain_data, rs_reduce_immutability, rs_restore, rs_delete_mab_identity); disabling soft delete
and removing a vault's guard link are always protected.
"""


OnDelete = Literal["Delete", "Retain"]
"""What destroying the resource does: Delete (delete it in Azure) or Retain (leave it untouched and only forget it).
Default: Retain when adopt_existing is set (it was made outside this stack), else Delete.
"""


ExcludedOperationInput: TypeAlias = (
    ExcludedOperation
    | Literal[
        "delete_backup_instance",
        "reduce_immutability",
        "modify_encryption",
        "stop_protection",
        "suspend_backups",
        "modify_protection",
        "trigger_restore",
        "rs_delete_protected_item",
        "rs_update_protected_item",
        "rs_update_policy",
        "rs_security_pin",
        "rs_stop_protection_retain_data",
        "rs_reduce_immutability",
        "rs_restore",
        "rs_delete_mab_identity",
    ]
)
"""ExcludedOperation or another spelling Azure accepts."""


class ResourceGuard(ArmResource, module=MODULE, name="ResourceGuard"):
    """A resource guard (``Microsoft.DataProtection/resourceGuards``): multi-user authorization for the critical
    operations of the backup vaults linked to it.

    Common outputs: ``arm_id``, ``api_version``, ``provisioning_state``.
    """

    name: pulumi.Output[str]
    """Resource guard name (part of the URL)."""

    resource_group_name: pulumi.Output[str]
    """Resource group of the guard (part of the URL); keep it apart from the vaults' (the security admin owns it)."""

    location: pulumi.Output[str]
    """Azure region (the vaults it guards must be in the same region)."""

    tags: pulumi.Output[dict[str, str] | None]
    """Resource tags."""

    excluded_operations: pulumi.Output[list[ExcludedOperation] | None]
    """Critical operations this guard does not protect, by action or short name (delete_backup_instance,
    reduce_immutability, modify_encryption, stop_protection, suspend_backups, modify_protection, trigger_restore,
    rs_delete_protected_item, rs_update_protected_item, rs_update_policy, rs_security_pin,
    rs_stop_protection_retain_data, rs_reduce_immutability, rs_restore, rs_delete_mab_identity); disabling soft
    delete and removing a vault's guard link are always protected.
    """

    subscription_id: pulumi.Output[str | None]
    """Subscription of the guard (default: the provider's subscription); often the security team's."""

    adopt_existing: pulumi.Output[bool]
    """Manage an existing resource of this name instead of failing (its settings are set to the inputs)."""

    on_delete: pulumi.Output[OnDelete | None]
    """What destroying the resource does: Delete (delete it in Azure) or Retain (leave it untouched and only forget it).
    Default: Retain when adopt_existing is set (it was made outside this stack), else Delete.
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

    allow_auto_approvals: pulumi.Output[bool | None]
    """Whether requests are approved automatically. Set by Azure."""

    resource_guard_operations: pulumi.Output[Any]
    """Every critical operation the guard knows, with its request type. Set by Azure."""

    description: pulumi.Output[str | None]
    """What to do before a critical operation. Set by Azure."""

    def __init__(
        self,
        resource_name: str,
        *,
        resource_group_name: pulumi.Input[str],
        location: pulumi.Input[str],
        name: pulumi.Input[str] | None = None,
        tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        excluded_operations: pulumi.Input[Sequence[pulumi.Input[ExcludedOperationInput]]] | None = None,
        subscription_id: pulumi.Input[str] | None = None,
        adopt_existing: pulumi.Input[bool] | None = None,
        on_delete: pulumi.Input[OnDelete] | None = None,
        timeouts: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Declare a ResourceGuard.

        :param resource_name: The Pulumi resource name.
        :param resource_group_name: Resource group of the guard (part of the URL); keep it apart from the vaults'
            (the security admin owns it). Required. Changing it replaces the resource.
        :param location: Azure region (the vaults it guards must be in the same region). Required. Changing it
            replaces the resource.
        :param name: Resource guard name (part of the URL). Changing it replaces the resource. Default: the resource
            name.
        :param tags: Resource tags.
        :param excluded_operations: Critical operations this guard does not protect, by action or short name
            (delete_backup_instance, reduce_immutability, modify_encryption, stop_protection, suspend_backups,
            modify_protection, trigger_restore, rs_delete_protected_item, rs_update_protected_item, rs_update_policy,
            rs_security_pin, rs_stop_protection_retain_data, rs_reduce_immutability, rs_restore,
            rs_delete_mab_identity); disabling soft delete and removing a vault's guard link are always protected.
            When not set, Azure's value is kept.
        :param subscription_id: Subscription of the guard (default: the provider's subscription); often the security
            team's. Changing it replaces the resource. When not set, Azure's value is kept.
        :param adopt_existing: Manage an existing resource of this name instead of failing (its settings are set to
            the inputs). Default: false. A change of it alone is no change of the resource.
        :param on_delete: What destroying the resource does: Delete (delete it in Azure) or Retain (leave it
            untouched and only forget it). Default: Retain when adopt_existing is set (it was made outside this
            stack), else Delete. When not set, derived from the other inputs.
        :param timeouts: Time limits per operation, e.g. {"create": "60m", "delete": "30m"} (Pulumi customTimeouts do
            not reach dynamic providers); defaults come from dataprotection:timeouts. A change of it alone is no
            change of the resource.
        :param opts: Options of the resource.
        """
        inputs = {
            "resource_group_name": resource_group_name,
            "location": location,
            "name": name,
            "tags": tags,
            "excluded_operations": excluded_operations,
            "subscription_id": subscription_id,
            "adopt_existing": adopt_existing,
            "on_delete": on_delete,
            "timeouts": timeouts,
        }
        from pulumi_dataprotection.guard.resource import ResourceGuardProvider

        super().__init__(
            ResourceGuardProvider(),
            resource_name,
            resource_props(ResourceGuardProvider, resource_name, inputs),
            resource_options(ResourceGuardProvider, opts),
        )
