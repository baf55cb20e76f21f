"""Every state value Azure was recorded sending is understood by the provider: protection states of backup
instances, operation statuses and provisioning states of long-running operations, and backup job statuses. The
values are read from ``../shared`` (never copied), so a new recording with a new value fails here until the
provider knows what it means."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from pulumi_dataprotection.adhoc.jobs import job_outcome
from pulumi_dataprotection.arm.lro import outcome
from pulumi_dataprotection.instance import states
from tests.support.recordings import Exchange, answers, exchanges


def _values(pairs: Iterable[tuple[Exchange, str | None]]) -> dict[str, str]:
    """Each value seen, with the first exchange that shows it (the evidence)."""
    seen: dict[str, str] = {}
    for exchange, value in pairs:
        if isinstance(value, str):
            seen.setdefault(value, exchange.where)
    return seen


def _protection_states() -> dict[str, str]:
    pairs = []
    for kind in ("backupInstances", "deletedBackupInstances"):
        for x, item in answers(kind):
            props = item.get("properties") or {}
            pairs.append((x, props.get("currentProtectionState")))
            pairs.append((x, (props.get("protectionStatus") or {}).get("status")))
    return _values(pairs)


def _operation_statuses() -> dict[str, str]:
    return _values(
        (x, x.body.get("status"))
        for x in exchanges()
        if x.method == "GET" and "/operationStatus/" in x.path and isinstance(x.body, dict)
    )


def _provisioning_states() -> dict[str, str]:
    return _values(
        (x, (item.get("properties") or {}).get("provisioningState"))
        for x in exchanges()
        if isinstance(x.body, dict)
        for item in (x.body.get("value") if isinstance(x.body.get("value"), list) else [x.body])
        if isinstance(item, dict) and isinstance(item.get("properties"), dict)
    )


def _job_statuses() -> dict[str, str]:
    return _values((x, (item.get("properties") or {}).get("status")) for x, item in answers("backupJobs"))


def test_the_recordings_hold_the_states_this_file_checks() -> None:
    """The extraction is not vacuous: the recorded suspend, the running and the finished values are all found."""
    assert {"BackupsSuspended", "ProtectionConfigured", "ConfiguringProtection"} <= set(_protection_states())
    assert {"Inprogress", "Succeeded", "Failed"} <= set(_operation_statuses())
    assert {"Provisioning", "Updating", "Succeeded"} <= set(_provisioning_states())
    assert {"InProgress", "Completed"} <= set(_job_statuses())


@pytest.mark.parametrize(("state", "where"), sorted(_protection_states().items()))
def test_every_recorded_protection_state_is_understood(state: str, where: str) -> None:
    assert states.meaning(state) != "unknown", f"{state} ({where}) means nothing to the provider"
    assert states.meaning(state.upper()) == states.meaning(state), "compared case-insensitively"


@pytest.mark.parametrize(
    ("state", "meaning"),
    [
        ("BackupsSuspended", "suspended"),  # Azure's value
        ("BackupSchedulesSuspended", "suspended"),  # the spec's
        ("ProtectionStopped", "stopped"),
        ("ConfiguringProtection", "busy"),
        ("UpdatingProtection", "busy"),
        ("ProtectionConfigured", "configured"),
        ("ProtectionError", "failed"),
        ("SoftDeleted", "soft-deleted"),
        ("SomethingNew", "unknown"),
        ("", "unknown"),
    ],
)
def test_protection_state_meanings(state: str, meaning: str) -> None:
    assert states.meaning(state) == meaning


@pytest.mark.parametrize(("status", "where"), sorted({**_operation_statuses(), **_provisioning_states()}.items()))
def test_every_recorded_operation_status_is_terminal_or_running(status: str, where: str) -> None:
    expected = {"succeeded": "succeeded", "failed": "failed"}.get(status.lower(), "running")
    assert outcome(status) == expected, f"{status} ({where})"


@pytest.mark.parametrize(("status", "where"), sorted(_job_statuses().items()))
def test_every_recorded_job_status_is_understood(status: str, where: str) -> None:
    expected = {"completed": "completed", "failed": "failed"}.get(status.lower(), "running")
    assert job_outcome(status) == expected, f"{status} ({where})"
    assert job_outcome(status.lower()) == expected, "compared case-insensitively"
