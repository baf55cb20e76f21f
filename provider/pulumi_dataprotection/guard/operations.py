"""The critical operations a resource guard protects, as Azure names them, with the request each one needs.

Sources: Azure's answers, not the spec examples. The 19 operations a guard lists are those of the newest recorded
guard (``corpus/azure-cli-extensions-head/test_dataprotection_resource_guard_create_and_delete.yaml`` #1, api-version
2025-07-01); the request type of each Backup vault operation is the one its guard link names as the default request
(``test_dataprotection_resource_guard_mapping.yaml`` #4); the Recovery Services request types are the guard's
``requestResourceType``. Which operations are mandatory (cannot be excluded) comes from Azure's MUA documentation.
"""

from __future__ import annotations

from dataclasses import dataclass

GUARD_TYPE = "Microsoft.DataProtection/resourceGuards"
_DP_VAULT = "Microsoft.DataProtection/backupVaults"
_RS_VAULT = "Microsoft.RecoveryServices/vaults"
_RS_ITEMS = f"{_RS_VAULT}/backupFabrics/protectionContainers/protectedItems"


@dataclass(frozen=True)
class CriticalOperation:
    """A vault operation a guard can protect: its short name (an input alias), the vault action Azure names, the
    guard request type that authorizes it, and whether it can be excluded."""

    short: str
    action: str
    request_type: str
    mandatory: bool
    title: str

    def request_id(self, guard_id: str) -> str:
        """The resource guard operation request that authorizes this operation on ``guard_id``."""
        return f"{guard_id}/{self.request_type}/default"


DELETE_INSTANCE = CriticalOperation(
    "delete_backup_instance",
    f"{_DP_VAULT}/backupInstances/delete",
    "deleteBackupInstanceRequests",
    False,
    "delete a backup instance and its backups",
)
REMOVE_GUARD = CriticalOperation(
    "remove_guard",
    f"{_DP_VAULT}/backupResourceGuardProxies/delete",
    "deleteResourceGuardProxyRequests",
    True,
    "remove the vault's resource guard link (disable MUA)",
)
REDUCE_IMMUTABILITY = CriticalOperation(
    "reduce_immutability",
    f"{_DP_VAULT}/write#reduceImmutabilityState",
    "dppReduceImmutabilityStateRequests",
    False,
    "reduce the vault's immutability",
)
DISABLE_SECURITY = CriticalOperation(
    "disable_soft_delete",
    f"{_DP_VAULT}/write#reduceSoftDeleteSecurity",
    "dppReduceSoftDeleteSecurityRequests",
    True,
    "disable soft delete or shorten its retention",
)
MODIFY_ENCRYPTION = CriticalOperation(
    "modify_encryption",
    f"{_DP_VAULT}/write#modifyEncryptionSettings",
    "dppModifyEncryptionSettingsRequests",
    False,
    "modify the vault's encryption settings",
)
STOP_PROTECTION = CriticalOperation(
    "stop_protection",
    f"{_DP_VAULT}/backupInstances/stopProtection/action",
    "dppDisableStopProtectionRequests",
    False,
    "stop protection of a backup instance",
)
SUSPEND_BACKUPS = CriticalOperation(
    "suspend_backups",
    f"{_DP_VAULT}/backupInstances/suspendBackups/action",
    "dppDisableSuspendBackupsRequests",
    False,
    "suspend the backups of a backup instance",
)
MODIFY_PROTECTION = CriticalOperation(
    "modify_protection",
    f"{_DP_VAULT}/backupInstances/write",
    "dppModifyPolicy",
    False,
    "move a backup instance to a policy with shorter retention",
)
TRIGGER_RESTORE = CriticalOperation(
    "trigger_restore",
    f"{_DP_VAULT}/backupInstances/restore/action",
    "dppTriggerRestoreRequests",
    False,
    "restore a backup instance",
)
BACKUP_VAULT = (
    DELETE_INSTANCE,
    REMOVE_GUARD,
    REDUCE_IMMUTABILITY,
    DISABLE_SECURITY,
    MODIFY_ENCRYPTION,
    STOP_PROTECTION,
    SUSPEND_BACKUPS,
    MODIFY_PROTECTION,
    TRIGGER_RESTORE,
)
"""Backup vault operations, in the order Azure lists them in a guard link."""
VAULT_SECURITY = (DISABLE_SECURITY, REDUCE_IMMUTABILITY)
"""The critical operations a vault update may be (lowering soft delete or immutability)."""

RECOVERY_SERVICES = (
    CriticalOperation("rs_delete_protected_item", f"{_RS_ITEMS}/delete",
                      "deleteProtectedItemRequests", False, "delete a protected item"),
    CriticalOperation("rs_update_protected_item", f"{_RS_ITEMS}/write",
                      "updateProtectedItemRequests", False, "modify protection"),
    CriticalOperation("rs_update_policy", f"{_RS_VAULT}/backupPolicies/write", "updateProtectionPolicyRequests", False,
                      "modify a backup policy"),
    CriticalOperation("rs_remove_guard", f"{_RS_VAULT}/backupResourceGuardProxies/delete",
                      "deleteResourceGuardProxyRequests", True, "disable MUA"),
    CriticalOperation("rs_security_pin", f"{_RS_VAULT}/backupSecurityPIN/action", "getBackupSecurityPINRequests", False,
                      "get the security PIN"),
    CriticalOperation("rs_disable_soft_delete", f"{_RS_VAULT}/backupconfig/write", "disableSoftDeleteRequests", True,
                      "disable soft delete"),
    CriticalOperation("rs_stop_protection_retain_data", f"{_RS_ITEMS}/write#stopProtectionWithRetainData",
                      "stopProtectionWithRetainDataRequests", False, "stop protection and retain data"),
    CriticalOperation("rs_reduce_immutability", f"{_RS_VAULT}/write#reduceImmutabilityState",
                      "reduceImmutabilityStateRequests", False, "reduce immutability"),
    CriticalOperation("rs_restore", f"{_RS_ITEMS}/recoveryPoints/restore/action", "triggerRestoreRequests", False,
                      "restore"),
    CriticalOperation("rs_delete_mab_identity", f"{_RS_VAULT}/registeredIdentities/delete",
                      "deleteMABIdentityRequests", False, "unregister a MARS/MABS server"),
)  # fmt: skip
"""Recovery Services vault operations (a guard protects both kinds of vault)."""

ALL = BACKUP_VAULT + RECOVERY_SERVICES
EXCLUDABLE = tuple(op for op in ALL if not op.mandatory)


def by_action(action: str) -> CriticalOperation | None:
    """The operation of a vault action (case-insensitive)."""
    return next((op for op in ALL if op.action.lower() == action.lower()), None)


def by_request_type(request_type: str) -> CriticalOperation | None:
    """The Backup vault operation a request type authorizes."""
    return next((op for op in BACKUP_VAULT if op.request_type.lower() == request_type.lower()), None)
