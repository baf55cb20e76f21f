"""Typed inputs and outputs of ResourceGuard, generated from its schema by tools/gen_api.py (do not edit:
run ``python tools/gen_api.py --write``)."""

from __future__ import annotations

from typing import Literal, TypeAlias

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
