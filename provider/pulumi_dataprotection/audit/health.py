"""Backup health findings: what Azure says now (``--live``: recovery point freshness against the policy's schedule,
instances in protection error, failed jobs) and what restore drills proved (``--evidence``: the last successful
restore per instance, failed drills). Both are evaluated as of ``now`` so a report can be reproduced."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pulumi_dataprotection.arm import ResourceId
from pulumi_dataprotection.audit.findings import finding
from pulumi_dataprotection.audit.model import Finding, InstanceRow
from pulumi_dataprotection.instance import states as protection_states
from pulumi_dataprotection.restore.client import RestoreApi, newest, parse_time
from pulumi_dataprotection.restore.drill import backup_datastores

_PERIOD = re.compile(r"^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$")
_FAILED_JOBS = ("failed", "cancelled", "canceled")
CONTINUOUS_GRACE = timedelta(hours=24)
"""How far behind now a continuous backup's restorable time range may end before it counts as stale."""


def _finding(code: str, row: InstanceRow, message: str) -> Finding:
    return finding(code, "instance", row.name, row.id, message)


def schedule_period(policy: Mapping[str, Any] | None) -> timedelta | None:
    """The shortest period of the policy's backup rules (None for continuous-only policies)."""
    periods = []
    for rule in ((policy or {}).get("properties") or {}).get("policyRules") or []:
        if rule.get("objectType") != "AzureBackupRule":
            continue
        for interval in ((rule.get("trigger") or {}).get("schedule") or {}).get("repeatingTimeIntervals") or []:
            m = _PERIOD.match(str(interval).rsplit("/", 1)[-1])
            if m and any(m.groups()):
                weeks, days, hours, minutes = (int(g) if g else 0 for g in m.groups())
                periods.append(timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes))
    return min(periods, default=None)


def _human(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours / 24:.1f} days" if hours >= 48 else f"{hours:.1f} hours"


@dataclass(frozen=True)
class LiveState:
    """What Azure reports about one instance."""

    row: InstanceRow
    protection_state: str | None
    protection_error: Mapping[str, Any] | None
    newest_point: datetime | None
    period: timedelta | None
    failed_jobs: tuple[Mapping[str, Any], ...]
    continuous: bool = False
    """Continuous operational backup: ``newest_point`` is the end of the newest restorable time range."""


def read_live(api: RestoreApi, rows: Sequence[InstanceRow], *, since: datetime) -> list[LiveState]:
    """Read each instance, its newest recovery point, its policy's schedule and its vault's failed jobs."""
    jobs: dict[str, list[dict[str, Any]]] = {}
    states = []
    for row in rows:
        if not row.id:
            continue
        instance = ResourceId.parse(row.id)
        body = api.instance(instance)
        if body is None:
            states.append(LiveState(row, "NotFound", None, None, None, ()))
            continue
        props = body.get("properties") or {}
        policy_id = (props.get("policyInfo") or {}).get("policyId")
        policy = api.policy(policy_id) if policy_id else None
        period = schedule_period(policy)
        point = newest(api.recovery_points(instance))
        newest_time = point.time if point else None
        continuous = period is None and backup_datastores(policy)[1]
        if continuous:
            ranges = api.restorable_ranges(instance, "OperationalStore")
            newest_time, period = max((end for _, end in ranges), default=None), CONTINUOUS_GRACE / 2
        vault = str(instance.vault).lower()
        if vault not in jobs:
            jobs[vault] = api.jobs(instance.vault)
        failed = tuple(
            j
            for j in jobs[vault]
            if str((j.get("properties") or {}).get("backupInstanceId") or "").lower() == row.id.lower()
            and str((j.get("properties") or {}).get("status") or "").lower() in _FAILED_JOBS
            and _after((j.get("properties") or {}).get("startTime"), since)
        )
        states.append(
            LiveState(
                row,
                props.get("currentProtectionState"),
                props.get("protectionErrorDetails"),
                newest_time,
                period,
                failed,
                continuous,
            )
        )
    return states


def _after(value: Any, since: datetime) -> bool:
    try:
        return isinstance(value, str) and parse_time(value) >= since
    except ValueError:
        return False


def _newest(s: LiveState, now: datetime) -> str:
    """The newest recovery point and its age against the schedule, for a finding's message."""
    if s.newest_point is None:
        return "no recovery point"
    age = f"newest recovery point {s.newest_point:%Y-%m-%dT%H:%M:%SZ} ({_human(now - s.newest_point)} old"
    return f"{age}; the schedule runs every {_human(s.period)})" if s.period and not s.continuous else f"{age})"


def live_findings(states: Iterable[LiveState], now: datetime) -> Iterable[Finding]:
    """Findings from the live state of each instance."""
    for s in states:
        row = s.row
        meaning = protection_states.meaning(s.protection_state)
        if meaning == "failed":
            error = s.protection_error or {}
            yield _finding(
                "instance-protection-error-live",
                row,
                f"{s.protection_state}: {error.get('code', 'no code')}: {error.get('message', '')}".rstrip(": "),
            )
        if meaning in ("suspended", "stopped"):
            yield _finding(f"protection-{meaning}-live", row, f"{s.protection_state}; {_newest(s, now)}")
        not_running = "" if meaning == "configured" else f" (protection {s.protection_state})"
        if meaning in ("configured", "suspended", "stopped") and s.continuous:
            if s.newest_point is None or now - s.newest_point > CONTINUOUS_GRACE:
                end = f"ends {s.newest_point:%Y-%m-%dT%H:%M:%SZ}" if s.newest_point else "does not exist"
                yield _finding(
                    "backup-stale",
                    row,
                    f"the continuous backup's restorable time range {end}, more than {_human(CONTINUOUS_GRACE)} "
                    f"ago{not_running}",
                )
        elif meaning in ("configured", "suspended", "stopped") and s.period is not None:
            if s.newest_point is None:
                if meaning == "configured":
                    yield _finding(
                        "backup-no-recovery-point", row, f"no recovery point (schedule: every {_human(s.period)})"
                    )
            elif now - s.newest_point > 2 * s.period:
                yield _finding(
                    "backup-stale",
                    row,
                    f"newest recovery point {s.newest_point:%Y-%m-%dT%H:%M:%SZ} is {_human(now - s.newest_point)} "
                    f"old; the schedule runs every {_human(s.period)}{not_running}",
                )
        for job in s.failed_jobs:
            props = job.get("properties") or {}
            errors = props.get("errorDetails") or [{}]
            code = (errors[0] if isinstance(errors, list) and errors else {}).get("code") or "no code"
            yield _finding(
                "backup-job-failed",
                row,
                f"{props.get('operation', 'job')} job {job.get('name')} {props.get('status')} at "
                f"{props.get('startTime')}: {code}",
            )


def evidence_findings(
    rows: Iterable[InstanceRow], documents: Sequence[Mapping[str, Any]], now: datetime, max_age: timedelta
) -> Iterable[Finding]:
    """Findings from restore-drill evidence documents (``restore-test --evidence``)."""
    drills: dict[str, list[Mapping[str, Any]]] = {}
    for document in documents:
        for drill in document.get("drills") or []:
            drills.setdefault(str(drill.get("instance", "")).lower(), []).append(drill)
    for row in rows:
        if not row.id:
            continue
        mine = sorted(drills.get(row.id.lower(), []), key=lambda d: str(d.get("finishedAt", "")))
        if mine and mine[-1].get("result") == "failed":
            error = mine[-1].get("error") or {}
            yield _finding(
                "restore-drill-failed",
                row,
                f"drill of {mine[-1].get('finishedAt')} failed: {error.get('code')}: {error.get('message')}",
            )
        good = [d for d in mine if d.get("result") == "succeeded" and isinstance(d.get("finishedAt"), str)]
        last = good[-1] if good else None
        if last is None or now - parse_time(last["finishedAt"]) > max_age:
            when = f"last at {last['finishedAt']}" if last else "never"
            yield _finding("restore-untested", row, f"no successful restore drill within {_human(max_age)} ({when})")
        if last is not None:
            age = timedelta(seconds=float(last.get("recoveryPointAgeSeconds") or 0))
            yield _finding(
                "restore-tested",
                row,
                f"restored at {last['finishedAt']} from a point {_human(age)} old in "
                f"{float(last.get('restoreSeconds') or 0):.0f} s to {(last.get('target') or {}).get('destination')}",
            )
