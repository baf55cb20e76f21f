"""The critical operations a resource guard protects, as Azure names them, with the request each one needs.

Sources: the official 2025-09-01 spec examples (request types ``deleteBackupInstanceRequests``,
``deleteResourceGuardProxyRequests``, ``dppModifyPolicy``, ``dppDisableStopProtectionRequests``,
``dppDisableSuspendBackupsRequests``, the Recovery Services request types of the ResourceGuards paths) and Azure's
MUA documentation (which operations are mandatory, i.e. cannot be excluded).
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


DISABLE_SECURITY = CriticalOperation(
    "disable_soft_delete",
    f"{_DP_VAULT}/write",
    "disableSoftDeleteRequests",
    True,
    "disable soft delete or reduce the vault's security settings",
)
REMOVE_GUARD = CriticalOperation(
    "remove_guard",
    f"{_DP_VAULT}/backupResourceGuardProxies/delete",
    "deleteResourceGuardProxyRequests",
    True,
    "remove the vault's resource guard link (disable MUA)",
)
DELETE_INSTANCE = CriticalOperation(
    "delete_backup_instance",
    f"{_DP_VAULT}/backupInstances/delete",
    "deleteBackupInstanceRequests",
    False,
    "delete a backup instance and its backups",
)
MODIFY_PROTECTION = CriticalOperation(
    "modify_protection",
    f"{_DP_VAULT}/backupInstances/write",
    "dppModifyPolicy",
    False,
    "move a backup instance to a policy with shorter retention",
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
BACKUP_VAULT = (DISABLE_SECURITY, REMOVE_GUARD, DELETE_INSTANCE, MODIFY_PROTECTION, STOP_PROTECTION, SUSPEND_BACKUPS)
"""Backup vault operations."""

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
