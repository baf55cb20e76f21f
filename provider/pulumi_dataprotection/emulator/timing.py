"""How long the emulator's long-running operations and protection setup take: ``lro_seconds`` (the default, fast for
tests), or Azure's durations as the recordings show them (``--lro-profile azure``).

The ``azure`` figures are, for each kind of work, the duration that best separates the recorded "still running" from
"done" answers over all the recordings in ``../shared/reference/recordings`` (the fidelity suite's corpus; e.g.
validateForBackup: 136 of 140 recorded polls answer ``Inprogress`` before 35 s and ``Succeeded`` after).
"""

from __future__ import annotations

from pulumi_dataprotection.emulator.config import EmulatorConfig

PROFILES = ("fixed", "azure")

# Seconds until the operation status says Succeeded, by the emulator's operation action.
_AZURE_OPERATIONS = {
    "vault-create": 1.0,  # 54/73 recorded polls (Azure answers anywhere from 0 to 32 s)
    "vault-update": 1.0,
    "vault-delete": 1.0,  # 6/6
    "instance-create": 2.0,  # 38/50
    # 7/10: the recorded policy changes (azure-cli-extensions/test_dataprotection_backup_instance_update_policy.yaml
    # #5 done at 63 s, #18 at 182 s)
    "instance-update": 62.0,
    "instance-delete": 90.0,  # 17/20
    "instance-stop": 35.0,  # 24/24
    "instance-suspend": 35.0,  # 27/27
    "instance-resume": 35.0,  # 57/60
    "instance-backup": 1.0,  # 34/37
    "validate": 35.0,  # 136/140
    "validate-restore": 34.0,  # 57/66
    "restore": 2.0,  # 52/55
}
# Validations of blobs, ADLS and PostgreSQL single-server databases finish sooner: each recorded poll of them says
# Succeeded at 30 s (13 of 13 polls between 30 and 32 s) where a disk's, a cluster's or a flexible server's still
# says Inprogress at 34 s (e.g. Microsoft.Storage/storageAccounts/blobServices validateRestore,
# corpus/azure-cli-extensions-head/test_dataprotection_backup_instance_restore_blob.yaml #5 at 30 s).
_QUICK_VALIDATIONS = ("validate", "validate-restore")
_QUICK_KINDS = frozenset(
    {
        "microsoft.storage/storageaccounts/blobservices",
        "microsoft.storage/storageaccounts/adlsblobservices",
        "microsoft.dbforpostgresql/servers/databases",
    }
)
_QUICK_SECONDS = 15.0
# A vault with user-assigned identities is still being written 1-2 s after its PUT (5 of 6 recorded polls then, e.g.
# corpus/azure-cli-extensions-head/test_dataprotection_backup_vault_create_with_uami_update_and_delete.yaml), where
# most others are done at 1 s.
_USER_IDENTITY_VAULT_SECONDS = 3.0
# ConfiguringProtection -> ProtectionConfigured 50 s after a create (94/95 recorded reads): 48 s after its operation.
_AZURE_PROTECTION = 48.0


def operation_seconds(config: EmulatorConfig, action: str, kind: str | None = None) -> float:
    """Duration of an ARM long-running operation; ``kind`` is the datasource type of an instance's operation, the
    identity type of a vault's, where that is known."""
    if config.lro_profile == "azure":
        if action in _QUICK_VALIDATIONS and (kind or "").lower() in _QUICK_KINDS:
            return _QUICK_SECONDS
        if action in ("vault-create", "vault-update") and "userassigned" in (kind or "").lower():
            return _USER_IDENTITY_VAULT_SECONDS
        return _AZURE_OPERATIONS.get(action, config.lro_seconds)
    return config.lro_seconds


def protection_seconds(config: EmulatorConfig, action: str) -> float:
    """How long protection stays ``ConfiguringProtection`` after the operation that started it ends (a resume is
    configured when its operation ends: recorded, corpus/azure-cli-extensions-head/
    test_dataprotection_backup_instance_update_protection.yaml #12)."""
    if config.lro_profile != "azure":
        return config.lro_seconds
    return 0.0 if action == "instance-resume" else _AZURE_PROTECTION
