"""Find the backup job an on-demand backup request started when Azure's answer was lost or ambiguous (a 5xx, or
the connection broke after the request was sent): the request is never resent, so its job is looked up instead."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Literal

from pulumi_dataprotection.arm import Deadline, ResourceId
from pulumi_dataprotection.arm.paths import BACKUP_JOBS
from pulumi_dataprotection.arm.protocol import ArmApi

CLOCK_SKEW = 120.0
"""Seconds a job's startTime may precede our own clock's send time (clocks differ between us and Azure)."""
LOOK_FOR = 60.0
"""How long to keep looking for the job (it may take a moment to be listed), within the caller's deadline."""


_COMPLETED = frozenset({"completed", "completedwithwarnings"})
_FAILED = frozenset({"failed", "cancelled", "canceled"})


def job_outcome(status: object) -> Literal["completed", "failed", "running"]:
    """What a backup job's ``properties.status`` says, case-insensitively (Azure records ``InProgress``,
    ``Completed`` and ``Failed``; any other value, or none yet, means still running)."""
    lowered = str(status or "").lower()
    return "completed" if lowered in _COMPLETED else "failed" if lowered in _FAILED else "running"


def _started(props: Mapping[str, Any]) -> float | None:
    text = props.get("startTime")
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def matching_job(jobs: list[dict[str, Any]], instance: ResourceId, sent_at: float) -> str | None:
    """The id of the newest user-triggered backup job of `instance` started since `sent_at` (minus clock skew)."""
    found: list[tuple[float, str]] = []
    for job in jobs:
        props = job.get("properties")
        if not isinstance(props, Mapping) or not isinstance(job.get("id"), str):
            continue
        if str(props.get("backupInstanceId") or "").lower() != str(instance).lower():
            continue
        if str(props.get("operationCategory") or props.get("operation") or "").lower() != "backup":
            continue
        if props.get("isUserTriggered") is False:
            continue
        started = _started(props)
        if started is not None and started >= sent_at - CLOCK_SKEW:
            found.append((started, str(job["id"])))
    return max(found)[1] if found else None


def find_started_job(
    client: ArmApi,
    instance: ResourceId,
    sent_at: float,
    deadline: Deadline,
    *,
    sleep: Callable[[float], None] = time.sleep,
) -> str | None:
    """Look (for up to LOOK_FOR seconds, within `deadline`) for the job a backup request sent at `sent_at` started."""
    vault = ResourceId(instance.subscription_id, instance.resource_group, instance.namespace, instance.segments[:1])
    until = min(deadline.at, time.monotonic() + LOOK_FOR)
    attempt = 0
    while True:
        jobs = client.list(vault.collection(BACKUP_JOBS), operation="list backup jobs", resource=str(vault))
        job = matching_job(jobs, instance, sent_at)
        if job is not None or time.monotonic() >= until:
            return job
        sleep(max(0.0, min(2.0**attempt, 10.0, until - time.monotonic())))
        attempt += 1
