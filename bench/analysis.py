"""What the emulator saw during a run: request counts, HTTP polls per long-running operation, and how long after an
operation (or a protection configuration) completed the client noticed it.

Operation start/end times and each instance's ``ProtectionConfigured`` time come from the emulator's SQLite file
(read-only); request times from its request log (arrival time of each request).
"""

from __future__ import annotations

import itertools
import json
import math
import sqlite3
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

Entry = dict[str, Any]

_NON_WRITING_POSTS = ("/validateforbackup", "/validateformodifybackup", "/checknameavailability")


def epoch(stamp: str) -> float:
    """Seconds since the epoch of an emulator timestamp such as ``2025-11-04T08:52:23.5463740Z``."""
    text = stamp.rstrip("Z")
    if "." in text:
        whole, frac = text.split(".", 1)
        text = f"{whole}.{frac[:6]}"
    return datetime.fromisoformat(text + "+00:00").timestamp()


def is_write(entry: Entry) -> bool:
    """Whether a logged request can change state (the rule of ``EmulatorHandle.writes``)."""
    method, path = entry["method"], entry["path"].lower()
    return method in ("PUT", "PATCH", "DELETE") or (method == "POST" and not path.endswith(_NON_WRITING_POSTS))


@dataclass(frozen=True)
class RequestCounts:
    """How many ARM requests a phase sent, by method, and how many of them were writes."""

    total: int
    writes: int
    by_method: dict[str, int]

    @classmethod
    def of(cls, entries: Sequence[Entry]) -> RequestCounts:
        """Count ``entries`` of the request log."""
        return cls(
            total=len(entries),
            writes=sum(1 for e in entries if is_write(e)),
            by_method=dict(sorted(Counter(e["method"] for e in entries).items())),
        )

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)


@dataclass(frozen=True)
class Operation:
    """One long-running operation the emulator ran: its id, action (``instance-create``, ...), start and end."""

    id: str
    action: str
    start: float
    end: float | None


def _connect(db_path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)


def _docs(db_path: Path, kind: str) -> list[dict[str, Any]]:
    with _connect(db_path) as conn:
        rows = conn.execute("SELECT data FROM docs WHERE kind = ? ORDER BY rowid", (kind,)).fetchall()
    return [json.loads(row[0]) for row in rows]


def operations(db_path: Path) -> list[Operation]:
    """Every operation recorded in the emulator database."""
    return [Operation(d["id"], d["action"], float(d["start"]), d["end"]) for d in _docs(db_path, "operation")]


def protection_ready(db_path: Path) -> dict[str, float]:
    """Lower-cased backup instance path -> the time its protection became configured (instances still present)."""
    out: dict[str, float] = {}
    for doc in _docs(db_path, "instance"):
        ready = (doc.get("protection") or {}).get("ready_at")
        if ready is not None:
            out[doc["id"].lower()] = float(ready)
    return out


@dataclass(frozen=True)
class Spread:
    """Count, mean, median and max of a series (None when empty)."""

    n: int
    mean: float | None
    median: float | None
    max: float | None

    @classmethod
    def of(cls, values: Iterable[float]) -> Spread:
        """Summarize ``values``."""
        items = list(values)
        if not items:
            return cls(0, None, None, None)
        return cls(len(items), statistics.fmean(items), statistics.median(items), max(items))

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (rounded to milliseconds)."""
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in asdict(self).items()}


@dataclass(frozen=True)
class LroStats:
    """Per action: how many operations, GETs per operation (status + result URLs) and noticing delays."""

    action: str
    operations: int
    polls: Spread
    status_polls: Spread
    result_reads: Spread
    notice_delay: Spread

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "action": self.action,
            "operations": self.operations,
            "polls": self.polls.to_json(),
            "status_polls": self.status_polls.to_json(),
            "result_reads": self.result_reads.to_json(),
            "notice_delay_s": self.notice_delay.to_json(),
        }


def lro_stats(log: Sequence[Entry], ops: Sequence[Operation]) -> list[LroStats]:
    """Polls and noticing delay of every finished operation that was polled in ``log``, grouped by action.

    A poll is a GET of a URL that names the operation (``operationStatus/{id}`` or ``operationResults/{id}``); the
    noticing delay is the time from the operation's end to the first such GET at or after it.
    """
    gets = [(e, epoch(e["time"])) for e in log if e["method"] == "GET"]
    grouped: dict[str, list[tuple[int, int, float]]] = {}
    for op in ops:
        if op.end is None:
            continue
        polls = [(e, t) for e, t in gets if op.id in e["path"]]
        if not polls:
            continue
        status = sum(1 for e, _ in polls if "/operationstatus/" in e["path"].lower())
        after = [t for _, t in polls if t >= op.end]
        delay = min(after) - op.end if after else math.nan
        grouped.setdefault(op.action, []).append((status, len(polls) - status, delay))
    out = []
    for action, rows in sorted(grouped.items()):
        out.append(
            LroStats(
                action=action,
                operations=len(rows),
                polls=Spread.of(s + r for s, r, _ in rows),
                status_polls=Spread.of(s for s, _, _ in rows),
                result_reads=Spread.of(r for _, r, _ in rows),
                notice_delay=Spread.of(d for _, _, d in rows if not math.isnan(d)),
            )
        )
    return out


def protection_notice(log: Sequence[Entry], ready: dict[str, float]) -> Spread:
    """Time from each instance's ``ProtectionConfigured`` to the first GET of the instance at or after it."""
    delays = []
    for path, at in ready.items():
        seen = [epoch(e["time"]) for e in log if e["method"] == "GET" and e["path"].lower() == path]
        after = [t for t in seen if t >= at]
        if after:
            delays.append(min(after) - at)
    return Spread.of(delays)


@dataclass(frozen=True)
class InstanceTimelines:
    """How the instance creates of one ``pulumi up`` used the engine's slots and the vault locks.

    ``call``: first request of an instance create (the look-up of existing protections) to the last read of the
    instance; ``lock_wait``: from the moment its validation was seen done (last GET of the validation operation)
    to its PUT, i.e. time spent waiting for the vault; ``in_flight``: the sum of the calls divided by the span
    from the first call's start to the last call's end (the mean number of creates running at once);
    ``vaults_in_flight``: the time-weighted mean number of distinct vaults among the running creates (when it is
    near 1, the running creates queue on one vault's lock while other vaults idle).
    """

    call: Spread
    lock_wait: Spread
    in_flight: float | None
    vaults_in_flight: float | None

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "call_s": self.call.to_json(),
            "lock_wait_s": self.lock_wait.to_json(),
            "in_flight_mean": None if self.in_flight is None else round(self.in_flight, 2),
            "vaults_in_flight_mean": None if self.vaults_in_flight is None else round(self.vaults_in_flight, 2),
        }


def instance_timelines(log: Sequence[Entry], ops: Sequence[Operation]) -> InstanceTimelines:
    """Per-instance create timelines of ``log`` (see ``InstanceTimelines``)."""
    timed = [(e, epoch(e["time"])) for e in log]
    validations = [op for op in ops if op.action == "validate"]
    calls: list[tuple[float, float, str]] = []
    waits: list[float] = []
    for put, put_at in timed:
        path = put["path"].lower()
        if put["method"] != "PUT" or "/backupinstances/" not in path or put["status"] >= 300:
            continue
        source = str(put["body"]["properties"]["dataSourceInfo"]["resourceID"]).lower()
        starts = [
            t
            for e, t in timed
            if e["method"] == "GET"
            and e["path"].lower() == f"{source}/providers/microsoft.dataprotection/backupinstances"
            and t <= put_at
        ]
        reads = [t for e, t in timed if e["method"] == "GET" and e["path"].lower() == path and t >= put_at]
        posts = [
            t
            for e, t in timed
            if e["method"] == "POST"
            and e["path"].lower().endswith("/validateforbackup")
            and str(e["body"]["backupInstance"]["dataSourceInfo"]["resourceID"]).lower() == source
            and t <= put_at
        ]
        if not (starts and reads and posts):
            continue
        calls.append((max(starts), max(reads), path.split("/backupinstances/")[0]))
        posted = max(posts)
        op = min(validations, key=lambda o: abs(o.start - posted), default=None)
        seen = [t for e, t in timed if op is not None and e["method"] == "GET" and op.id in e["path"] and t <= put_at]
        if seen:
            waits.append(put_at - max(seen))
    if not calls:
        return InstanceTimelines(Spread.of([]), Spread.of([]), None, None)
    span = max(end for _, end, _ in calls) - min(start for start, _, _ in calls)
    busy = sum(end - start for start, end, _ in calls)
    return InstanceTimelines(
        Spread.of(end - start for start, end, _ in calls),
        Spread.of(waits),
        busy / span if span > 0 else None,
        _vaults_in_flight(calls),
    )


def _vaults_in_flight(calls: Sequence[tuple[float, float, str]]) -> float | None:
    """Time-weighted mean number of distinct vaults among the calls running at each moment (idle time excluded)."""
    edges = sorted({t for start, end, _ in calls for t in (start, end)})
    weighted = covered = 0.0
    for low, high in itertools.pairwise(edges):
        middle = (low + high) / 2
        vaults = {vault for start, end, vault in calls if start <= middle < end}
        if vaults:
            weighted += len(vaults) * (high - low)
            covered += high - low
    return weighted / covered if covered else None
