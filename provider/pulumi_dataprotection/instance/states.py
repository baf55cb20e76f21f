"""What a backup instance's ``currentProtectionState`` (or ``protectionStatus.status``) means to the provider.

Azure's values, not only the spec's enum: a suspended instance reads ``BackupsSuspended`` (9 of 9 recorded suspend
flows, e.g. ``corpus/azure-cli-extensions-head/test_dataprotection_backup_instance_update_protection.yaml`` #18),
while the spec lists ``BackupSchedulesSuspended``; both are understood. Values compare case-insensitively (the
enum is ``modelAsString``), and a value not listed here is ``unknown``, never taken for success.
"""

from __future__ import annotations

from typing import Literal

Meaning = Literal["configured", "busy", "failed", "stopped", "suspended", "soft-deleted", "unknown"]

CONFIGURED = "ProtectionConfigured"
FAILED = "ProtectionError"
BUSY = ("ConfiguringProtection", "UpdatingProtection")
STOPPED = "ProtectionStopped"
SUSPENDED = ("BackupsSuspended", "BackupSchedulesSuspended", "RetentionSchedulesSuspended")

_MEANINGS: dict[str, Meaning] = {
    CONFIGURED.lower(): "configured",
    **{s.lower(): "busy" for s in BUSY},
    FAILED.lower(): "failed",
    "configuringprotectionfailed": "failed",
    STOPPED.lower(): "stopped",
    **{s.lower(): "suspended" for s in SUSPENDED},
    "softdeleting": "soft-deleted",
    "softdeleted": "soft-deleted",
}


def meaning(state: object) -> Meaning:
    """The meaning of a protection state value (``unknown`` for anything else, including None)."""
    return _MEANINGS.get(str(state or "").lower(), "unknown")


def is_busy(state: object) -> bool:
    """Whether Azure is still configuring or updating the protection."""
    return meaning(state) == "busy"


EFFECTS = {
    ("configured", "suspended"): "suspends its backups (suspendBackups): no new recovery points; the existing ones "
    "are kept as the policy says, the newest for ever",
    ("configured", "stopped"): "stops its protection (stopProtection): no new recovery points; every existing one is "
    "kept for ever",
    ("suspended", "stopped"): "stops its protection (stopProtection): every recovery point is then kept for ever",
    ("stopped", "suspended"): "suspends its backups (suspendBackups): its recovery points, kept for ever while "
    "protection is stopped, are kept only as the policy says again (the newest for ever)",
    ("suspended", "configured"): "resumes its backups (resumeBackups): backups run on the policy's schedule again",
    ("stopped", "configured"): "resumes its protection (resumeProtection): backups run on the policy's schedule again",
}
"""What ``up`` does for each change of ``protection`` (Azure's state -> the program's), for the preview's
warnings, the adoption note and ``review``."""

ACTIONS = {"suspended": "suspendBackups", "stopped": "stopProtection"}
"""The instance action that takes an instance to a ``protection`` value other than configured."""
RESUMES = {"suspended": "resumeBackups", "stopped": "resumeProtection"}
"""The action that takes a suspended or stopped instance back to configured (the spec pairs resumeBackups with
suspendBackups and resumeProtection with stopProtection)."""
