"""Rehydration of archived recovery points: an ``ArchiveStore`` copy is read only after it is copied back to the
``VaultStore`` for a retention duration, by a restore with ``AzureBackupRestoreWithRehydrationRequest`` or by
``POST .../rehydrate`` (``AzureBackupRehydrationRequest``).

No recording shows a rehydration; the rules are the spec's and documented guesses (docs/emulator.md, "Archive and
rehydration"): the copy takes ``SECONDS[priority]`` of emulator time (Azure Storage's documented bounds for an
archived blob under 10 GB: Standard up to 15 hours, High under one hour), then the point holds a ``VaultStore``
copy until the retention duration has passed (``rehydrationStatus`` ``CREATE_IN_PROGRESS``, then ``COMPLETED`` with
its ``rehydrationExpiryTime``), then only its ``ArchiveStore`` copy again.
"""

from __future__ import annotations

import uuid
from typing import Any

from pulumi_dataprotection.emulator import recovery
from pulumi_dataprotection.emulator.errors import ArmError, invalid_input
from pulumi_dataprotection.emulator.service import Service
from pulumi_dataprotection.emulator.timeutil import duration_seconds

JSON = dict[str, Any]

ARCHIVE = "ArchiveStore"
WITH_REHYDRATION = "AzureBackupRestoreWithRehydrationRequest"
SECONDS = {"Standard": 15 * 3600.0, "High": 3600.0}
"""Emulator seconds a rehydration takes per priority."""


def retention_seconds(text: str, where: str) -> float:
    """The retention of a rehydrated copy: an ISO-8601 duration (``P10D``; the official example's ``7D`` reads as
    ``P7D``), at least one day, else 400 ``BMSUserErrorInvalidInput``."""
    value = text.strip().upper()
    seconds = duration_seconds(value if value.startswith("P") else f"P{value}")
    if seconds < 86400:
        raise invalid_input([f"{where}: {text!r} is not a duration of at least one day such as P10D"])
    return seconds


def priority(value: str | None, where: str) -> str:
    """``Standard`` (the default when the rehydrate request leaves it out) or ``High``; ``Invalid`` is refused."""
    chosen = value or "Standard"
    if chosen not in SECONDS:
        raise invalid_input([f"{where}: {chosen!r} is not a rehydration priority (Standard or High)"])
    return chosen


def check_restore(request: JSON) -> None:
    """A restore from the ``ArchiveStore`` must rehydrate, and only a restore from it may (guessed error codes)."""
    archived = request["sourceDataStoreType"] == ARCHIVE
    rehydrating = request["objectType"] == WITH_REHYDRATION
    if archived and not rehydrating:
        raise ArmError(
            400,
            "UserErrorRecoveryPointNotRehydrated",
            "A recovery point in the ArchiveStore must be rehydrated before it is restored.",
            recommended=[
                f"Restore with {WITH_REHYDRATION} (rehydrationPriority and rehydrationRetentionDuration), or "
                "rehydrate the recovery point first and restore it from the VaultStore."
            ],
        )
    if rehydrating and not archived:
        raise invalid_input(["sourceDataStoreType: a restore with rehydration restores from the ArchiveStore"])


def start(svc: Service, point: JSON, chosen: str, retention: float, now: float) -> float:
    """Begin rehydrating ``point`` (a stored recovery point with an ``ArchiveStore`` copy): its ``VaultStore`` copy
    appears after the priority's time and lasts ``retention`` seconds. Returns when it is readable. A point already
    rehydrated (or rehydrating) keeps its copy and the later of the two expiries."""
    if not any(c["type"] == ARCHIVE for c in recovery.visible_copies(point, now)):
        raise ArmError(
            400,
            "UserErrorRecoveryPointNotInArchive",
            f"The recovery point {point['name']} has no copy in the ArchiveStore to rehydrate.",
            recommended=["Rehydrate a recovery point whose copy was moved to the ArchiveStore."],
        )
    current = next((c for c in point["copies"] if c.get("rehydration") and (c["expiry"] or 0) > now), None)
    ready = now + SECONDS[chosen]
    if current is not None:
        current["expiry"] = max(current["expiry"], max(current["created"], now) + retention)
        ready = min(max(current["created"], now), ready)
    else:
        rehydration = {"start": now, "priority": chosen}
        point["copies"].append(
            {
                "type": recovery.VAULT_STORE,
                "created": ready,
                "expiry": ready + retention,
                "id": str(uuid.uuid4()),
                "rehydration": rehydration,
            }
        )
    svc.store.put(recovery.POINT, point["id"], point)
    recovery.note_expiry(svc, min(c["expiry"] for c in point["copies"] if c["expiry"] is not None))
    return ready
