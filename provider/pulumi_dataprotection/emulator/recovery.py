"""Recovery points: made on the policy's schedule on the emulator's clock and by ad-hoc backups, kept per datastore
as the policy's retention rules say, expired when every copy's retention ends; list/get and restorable time ranges.

Scheduled points are made by ``settle`` (run before every request): for each instance whose protection is
configured, every tick of each backup rule's ``repeatingTimeIntervals`` between the last tick made and now (never
further back than the longest retention) becomes a point tagged by the rule's tagging criteria (``FirstOfDay``,
``FirstOfWeek``, ``FirstOfMonth``, ``FirstOfYear``, ``daysOfTheWeek``; else the default tag). The retention rule of
the tag gives each datastore copy (``targetDataStoreCopySettings``: immediate, custom delay or on expiry) its
creation and expiry time. Continuous operational backups (an OperationalStore retention rule without a backup rule
on that store, e.g. blob operational backup) make no points: they give a restorable time range instead.
"""

from __future__ import annotations

import hashlib
import math
import re
import uuid
from datetime import UTC, datetime
from typing import Any

from pulumi_dataprotection.emulator import ids, render, schema
from pulumi_dataprotection.emulator.errors import ArmError, generic_not_found
from pulumi_dataprotection.emulator.service import DELETED, INSTANCE, POLICY, Call, Reply, Service
from pulumi_dataprotection.emulator.timeutil import duration_seconds, iso, ticks

JSON = dict[str, Any]

POINT = "recovery-point"
SCHEDULE = "recovery-schedule"
POINT_TYPE = f"{ids.INSTANCE_TYPE}/recoveryPoints"
RANGES_TYPE = f"{ids.INSTANCE_TYPE}/findRestorableTimeRanges"
OPERATIONAL, VAULT_STORE = "OperationalStore", "VaultStore"
_GC_AT = "recovery_gc_at"  # emulator time of the next copy expiry
_LIVE = "recovery_live_instances"  # fingerprint of the instance ids points were last checked against

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_RUNNING_MODES = ("configure", "update")

FIND_RANGES = schema.Obj(
    "AzureBackupFindRestorableTimeRangesRequest",
    {
        "sourceDataStoreType": schema.req(schema.Str((OPERATIONAL, VAULT_STORE, "ArchiveStore"))),
        "startTime": schema.opt(schema.S),
        "endTime": schema.opt(schema.S),
    },
)


def parse_time(text: str) -> float | None:
    """Seconds since the epoch of an ISO-8601 date-time (UTC when no offset is given), or None."""
    value = text.strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    frac = re.match(r"^(.*T\d\d:\d\d:\d\d)\.(\d+)(.*)$", value)
    if frac:
        value = f"{frac.group(1)}.{frac.group(2)[:6]}{frac.group(3)}"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


# -- the policy's view ------------------------------------------------------------------------------------------


def _rules(policy: JSON | None, object_type: str) -> list[JSON]:
    rules = (policy or {}).get("properties", {}).get("policyRules", [])
    return [r for r in rules if r.get("objectType") == object_type]


def _lifecycle(policy: JSON, tag: str, store: str) -> JSON | None:
    """The lifecycle of ``store`` in the retention rule of ``tag`` (the default rule when no rule has that name)."""
    rules = _rules(policy, "AzureRetentionRule")
    named = [r for r in rules if r["name"].lower() == tag.lower()]
    for rule in named + [r for r in rules if r.get("isDefault")]:
        for lifecycle in rule.get("lifecycles", []):
            if lifecycle["sourceDataStore"]["dataStoreType"] == store:
                return {"rule": rule, **lifecycle}
    return None


def copies(policy: JSON, tag: str, store: str, at: float) -> list[JSON]:
    """The datastore copies of a point taken at ``at`` into ``store``: ``{type, created, expiry}`` each."""
    first = _lifecycle(policy, tag, store)
    if first is None:
        return [{"type": store, "created": at, "expiry": None}]
    keep = duration_seconds(first["deleteAfter"]["duration"])
    out = [{"type": store, "created": at, "expiry": at + keep}]
    for setting in first.get("targetDataStoreCopySettings", []):
        target = setting["dataStore"]["dataStoreType"]
        option = setting.get("copyAfter", {})
        kind = option.get("objectType", "ImmediateCopyOption")
        delay = (
            keep
            if kind == "CopyOnExpiryOption"
            else duration_seconds(option.get("duration", ""))
            if kind == "CustomCopyOption"
            else 0.0
        )
        then = _same_rule_lifecycle(first["rule"], target)
        created = at + delay
        out.append({"type": target, "created": created, "expiry": created + then if then is not None else None})
    return out


def _same_rule_lifecycle(rule: JSON, store: str) -> float | None:
    for lifecycle in rule.get("lifecycles", []):
        if lifecycle["sourceDataStore"]["dataStoreType"] == store:
            return duration_seconds(lifecycle["deleteAfter"]["duration"])
    return None


def continuous_retention(policy: JSON | None) -> float | None:
    """Seconds of continuous operational backup the policy keeps (None when its operational backups are discrete)."""
    scheduled = {r["dataStore"]["dataStoreType"] for r in _rules(policy, "AzureBackupRule")}
    if OPERATIONAL in scheduled:
        return None
    for rule in _rules(policy, "AzureRetentionRule"):
        for lifecycle in rule.get("lifecycles", []):
            if lifecycle["sourceDataStore"]["dataStoreType"] == OPERATIONAL:
                return duration_seconds(lifecycle["deleteAfter"]["duration"])
    return None


def _schedule(rule: JSON) -> tuple[float, float] | None:
    intervals = rule.get("trigger", {}).get("schedule", {}).get("repeatingTimeIntervals", [])
    if not intervals:
        return None
    parts = intervals[0].split("/")
    start = parse_time(parts[1]) if len(parts) == 3 else None
    step = duration_seconds(parts[2]) if len(parts) == 3 else 0.0
    return (start, step) if start is not None and step > 0 else None


def _max_keep(policy: JSON) -> float:
    keeps = [
        duration_seconds(lc["deleteAfter"]["duration"])
        for r in _rules(policy, "AzureRetentionRule")
        for lc in r.get("lifecycles", [])
    ]
    return max(keeps, default=0.0) * 2


def _tag(rule: JSON, at: float, step: float) -> str:
    """The retention tag the rule's tagging criteria give a scheduled point at ``at`` (``step`` = schedule period)."""
    criteria = rule.get("trigger", {}).get("taggingCriteria", [])
    default = "Default"
    for tagging in sorted(criteria if isinstance(criteria, list) else [], key=lambda c: c.get("taggingPriority", 99)):
        if tagging.get("isDefault"):
            default = tagging["tagInfo"]["tagName"]
            continue
        if any(_matches(c, at, step) for c in tagging.get("criteria", [])):
            return str(tagging["tagInfo"]["tagName"])
    return default


def _matches(criterion: JSON, at: float, step: float) -> bool:
    now, before = datetime.fromtimestamp(at, UTC), datetime.fromtimestamp(at - step, UTC)
    firsts = {
        "FirstOfDay": now.date() != before.date(),
        "FirstOfWeek": now.isocalendar()[:2] != before.isocalendar()[:2],
        "FirstOfMonth": (now.year, now.month) != (before.year, before.month),
        "FirstOfYear": now.year != before.year,
    }
    absolute = criterion.get("absoluteCriteria") or []
    if absolute and not all(firsts.get(a, False) for a in absolute):
        return False
    days = criterion.get("daysOfTheWeek") or []
    if days and _WEEKDAYS[now.weekday()] not in days:
        return False
    return bool(absolute or days)


# -- making and expiring points ----------------------------------------------------------------------------------


def _point_id(instance_id: str, seed: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{instance_id.lower()}|{seed}").hex


def add_point(
    svc: Service,
    instance: JSON,
    policy: JSON,
    rule: JSON,
    tag: str,
    at: float,
    *,
    point_id: str | None = None,
    expires: bool = True,
) -> JSON:
    """Store a recovery point of ``instance`` taken at ``at`` by backup rule ``rule`` under retention tag ``tag``
    (kept by the tag's retention rule, or for ever when not ``expires``)."""
    store = rule["dataStore"]["dataStoreType"]
    backup_type = rule.get("backupParameters", {}).get("backupType", "Full")
    pid = point_id or _point_id(instance["id"], f"{rule['name']}|{at}")
    doc = {
        "id": ids.child_id(instance["id"], "recoveryPoints", pid),
        "name": pid,
        "time": at,
        "tag": tag,
        "policy_name": policy["name"],
        "tag_version": policy.get("tag_version") or str(ticks(at)),
        "kind": "Incremental" if backup_type.lower() == "incremental" else "Full",
        "copies": [
            {**c, "id": str(uuid.uuid4())}
            for c in (copies(policy, tag, store, at) if expires else [{"type": store, "created": at, "expiry": None}])
        ],
    }
    svc.store.put(POINT, doc["id"], doc, parent=instance["id"])
    expiries = [c["expiry"] for c in doc["copies"] if c["expiry"] is not None]
    if expiries:
        note_expiry(svc, min(expiries))
    return doc


def note_expiry(svc: Service, at: float) -> None:
    """Make ``settle`` forget expired copies at ``at`` (a copy's expiry added after the point was made)."""
    if at < float(svc.store.setting(_GC_AT, "0")):
        svc.store.set_setting(_GC_AT, repr(at))


def settle(svc: Service) -> None:
    """Make the scheduled points that are due; forget expired copies and the points of purged instances (only when
    a copy's expiry has come or the set of instances changed, so a quiet request stays cheap)."""
    now = svc.now()
    instances = svc.store.select(INSTANCE)
    for instance in instances:
        _make_due(svc, instance, now)
    live = {d["id"].lower() for d in instances} | {d["instance"]["id"].lower() for d in svc.store.select(DELETED)}
    fingerprint = hashlib.sha256("|".join(sorted(live)).encode()).hexdigest()
    if now < float(svc.store.setting(_GC_AT, "0")) and svc.store.setting(_LIVE, "") == fingerprint:
        return
    next_expiry = math.inf
    for point in svc.store.select(POINT):
        instance_id = point["id"].rsplit("/recoveryPoints/", 1)[0]
        kept = [c for c in point["copies"] if c["expiry"] is None or c["expiry"] > now]
        if instance_id.lower() not in live or not kept:
            svc.store.delete(POINT, point["id"])
            continue
        if len(kept) != len(point["copies"]):
            point["copies"] = kept
            svc.store.put(POINT, point["id"], point)
        next_expiry = min([next_expiry, *(c["expiry"] for c in kept if c["expiry"] is not None)])
    for state in svc.store.select(SCHEDULE):
        if state["id"].lower() not in live:
            svc.store.delete(SCHEDULE, state["id"])
    svc.store.set_setting(_GC_AT, repr(next_expiry))
    svc.store.set_setting(_LIVE, fingerprint)


def protected_since(svc: Service, instance: JSON, now: float) -> float | None:
    """When the instance's protection became configured (None while it is not running backups)."""
    mode = instance["protection"]["mode"]
    state = svc.store.get(SCHEDULE, instance["id"])
    if mode not in _RUNNING_MODES or instance["protection"].get("error"):
        return None
    ready = instance["protection"].get("ready_at")
    if state is not None and state.get("since") is not None:
        return float(state["since"])
    if ready is None or now < ready:
        return None
    return float(ready)


def _make_due(svc: Service, instance: JSON, now: float) -> None:
    since = protected_since(svc, instance, now)
    state = svc.store.get(SCHEDULE, instance["id"])
    if since is None:
        if state is not None and state.get("since") is not None:
            state["since"] = None
            svc.store.put(SCHEDULE, instance["id"], state)
        return
    changed = state is None or state.get("since") is None
    if state is None or state.get("since") is None:
        state = {"id": instance["id"], "since": since, "last": since}
    policy = svc.store.get(POLICY, instance["properties"]["policyInfo"]["policyId"])
    if policy is not None:
        floor = max(float(state["last"]), now - _max_keep(policy))
        for rule in _rules(policy, "AzureBackupRule"):
            schedule = _schedule(rule)
            if schedule is None:
                continue
            start, step = schedule
            k = max(0, math.floor((floor - start) / step) + 1)
            while start + k * step <= now:
                at = start + k * step
                if at > floor:
                    add_point(svc, instance, policy, rule, _tag(rule, at, step), at)
                    state["last"] = max(float(state["last"]), at)
                    changed = True
                k += 1
    if changed:  # "last" is the newest tick made: every tick up to the previous settle has been made
        svc.store.put(SCHEDULE, instance["id"], state, parent=instance["id"])


# -- reading points ----------------------------------------------------------------------------------------------


def visible_copies(point: JSON, now: float) -> list[JSON]:
    """The datastore copies of a point that exist at ``now``."""
    return [c for c in point["copies"] if c["created"] <= now and (c["expiry"] is None or c["expiry"] > now)]


def points(svc: Service, instance: JSON, now: float) -> list[JSON]:
    """The instance's recovery points that exist at ``now``, newest first."""
    found = [p for p in svc.store.select(POINT, parent=instance["id"]) if visible_copies(p, now)]
    return sorted(found, key=lambda p: p["time"], reverse=True)


STATE_SINCE = "2023-11-01"
"""The first api-version whose recovery points carry ``recoveryPointState`` (recorded: absent in all 57 answers at
2023-01-01 and 2023-05-01, present from 2023-11-01 on)."""


OPERATIONAL_STATE_SINCE = datetime(2024, 6, 20, tzinfo=UTC).timestamp()
"""Operational-store points taken before this day carry ``recoveryPointState`` null, later ones ``Completed`` (a
service change: 163 of the 164 recorded operational-store points before it are null, all 104 from it on
Completed; e.g. corpus/azure-cli-extensions-history/test_dataprotection_backup_instance_restore_disk@692bee5e5.yaml
#0 lists points of 2024-06-19, null, and 2024-06-20 to 24, Completed). Vault-store points are always Completed."""


def _state(point: JSON) -> str | None:
    operational_only = {c["type"] for c in point["copies"]} == {OPERATIONAL}
    return None if operational_only and point["time"] < OPERATIONAL_STATE_SINCE else "Completed"


def archival(copies: list[JSON]) -> list[JSON]:
    """The copies the policy made (without rehydrated ones)."""
    return [c for c in copies if not c.get("rehydration")]


def _rehydration_status(copy: JSON, shown: list[JSON]) -> str | None:
    """A rehydrated copy's ``rehydrationStatus`` (emulator/rehydration.py): being made, then made."""
    if not copy.get("rehydration"):
        return None
    return "COMPLETED" if copy in shown else "CREATE_IN_PROGRESS"


def render_point(point: JSON, now: float, version: str = STATE_SINCE) -> JSON:
    """An AzureBackupRecoveryPointResource as Azure writes it: every property, unset ones null (``metaData`` of
    every datastore, ``rehydration*``, ``policyVersion``, an absent ``expiryTime``), ``retentionTagVersion`` set
    (recorded: every recovery point answer, e.g. corpus/azure-cli-extensions-head/
    test_dataprotection_backup_instance_ilr_restore_adls_recovery_point.yaml #0 and
    azure-cli-extensions@8e1899ee/test_dataprotection_backup_and_restore_aks.yaml #40)."""
    shown = visible_copies(point, now)
    expiries = [c["expiry"] for c in shown if c["expiry"] is not None and not c.get("rehydration")]
    rehydrating = [c for c in point["copies"] if c.get("rehydration") and c["created"] > now]
    details = [
        {
            "id": c["id"],
            "type": c["type"],
            "creationTime": iso(c["created"] if c in shown else c["rehydration"]["start"]),
            "expiryTime": iso(c["expiry"]) if c["expiry"] is not None else None,
            "metaData": None,
            "visible": c in shown,
            "state": "COMMITTED" if c in shown else "IN_PROGRESS",
            "rehydrationExpiryTime": iso(c["expiry"]) if c.get("rehydration") and c in shown else None,
            "rehydrationStatus": _rehydration_status(c, shown),
        }
        for c in [*shown, *rehydrating]
    ]
    props: JSON = {
        "objectType": "AzureBackupDiscreteRecoveryPoint",
        "recoveryPointId": point["name"],
        "recoveryPointTime": iso(point["time"]),
        "recoveryPointType": point["kind"],
        "friendlyName": point["name"],
        "recoveryPointDataStoresDetails": details,
        "retentionTagName": point["tag"],
        "retentionTagVersion": point.get("tag_version") or str(ticks(point["time"])),
        "policyName": point["policy_name"],
        "policyVersion": None,
        "expiryTime": iso(max(expiries)) if expiries and len(expiries) == len(archival(shown)) else None,
    }
    if version >= STATE_SINCE:
        props["recoveryPointState"] = _state(point)
    return {"properties": props, "id": point["id"], "name": point["name"], "type": POINT_TYPE}


def _instance(svc: Service, call: Call) -> JSON:
    vault = svc.vault_of(call)
    return svc.child(INSTANCE, vault, "backupInstances", call.params["name"])


_FILTER = re.compile(r"(startDate|endDate)\s+eq\s+'([^']+)'", re.I)


def list_points(svc: Service, call: Call) -> Reply:
    """GET recoveryPoints (``$filter=startDate eq '...' and endDate eq '...'`` narrows by recovery point time)."""
    instance = _instance(svc, call)
    now = svc.now()
    found = points(svc, instance, now)
    for key, value in _FILTER.findall(call.query.get("$filter", "")):
        bound = parse_time(value)
        if bound is None:
            raise ArmError(
                400,
                "BMSUserErrorInvalidInput",
                f"The User input provided for the call is invalid: $filter {key} {value!r} is not a date-time",
                recommended=["Use $filter=startDate eq '2024-01-01T00:00:00Z' and endDate eq '...'."],
            )
        after = key.lower() == "startdate"
        found = [p for p in found if (p["time"] >= bound if after else p["time"] <= bound)]
    version = call.query.get("api-version") or STATE_SINCE
    return Reply(200, {"value": [render_point(p, now, version) for p in found]})


def get_point(svc: Service, call: Call) -> Reply:
    """GET one recovery point."""
    instance = _instance(svc, call)
    doc = svc.store.get(POINT, ids.child_id(instance["id"], "recoveryPoints", call.params["point"]))
    now = svc.now()
    if doc is None or not visible_copies(doc, now):
        raise generic_not_found()
    return Reply(200, render_point(doc, now, call.query.get("api-version") or STATE_SINCE))


def restorable_ranges(svc: Service, instance: JSON, store: str, now: float) -> list[tuple[float, float]]:
    """Time ranges a point-in-time restore from ``store`` can target: the continuous window of operational
    backups, else one instant per recovery point with a copy in ``store``."""
    policy = svc.store.get(POLICY, instance["properties"]["policyInfo"]["policyId"])
    keep = continuous_retention(policy) if store == OPERATIONAL else None
    if keep is not None:
        state = svc.store.get(SCHEDULE, instance["id"])
        since = protected_since(svc, instance, now)
        if since is None and state is not None:
            since = state.get("since")
        return [] if since is None else [(max(float(since), now - keep), now)]
    instants = sorted(
        p["time"] for p in points(svc, instance, now) if any(c["type"] == store for c in visible_copies(p, now))
    )
    return [(t, t) for t in instants]


def invalid_range(message: str = "The given time range is invalid") -> ArmError:
    """Azure's 400 for a time range it cannot use (recorded on findRestorableTimeRanges)."""
    return ArmError(
        400,
        "UserErrorInvalidRestorableTimeRange",
        message,
        recommended=["Please ensure that the given time range in the request is valid"],
    )


# A start without an end is read only in .NET's round-trip form (7 fractional digits, UTC): Azure answered
# 2023-06-16T01:00:00.0000000Z (#8) and refused .000Z (#9) and no fraction (#14) with DppPluginInvalidInputParameters,
# while every format passed with an end too (#3 to #7;
# azure-cli-extensions/test_dataprotection_restorable_time_range_find.yaml).
_ROUND_TRIP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$")


def _start_only_unreadable(body: Any) -> bool:
    if not isinstance(body, dict) or any(k.lower() == "endtime" for k in body):
        return False
    start = next((v for k, v in body.items() if k.lower() == "starttime"), None)
    return isinstance(start, str) and not _ROUND_TRIP.match(start)


def find_ranges(svc: Service, call: Call) -> Reply:
    """POST findRestorableTimeRanges (synchronous)."""
    instance = _instance(svc, call)
    request = schema.parse(FIND_RANGES, call.body)
    if _start_only_unreadable(call.body):
        raise ArmError(
            400,
            "DppPluginInvalidInputParameters",
            "Invalid inputs from caller.",
            recommended=[
                "Please retry after some time with correct inputs. "
                "Reach out to the Azure Backup support if the issue persists. "
            ],
        )
    now = svc.now()
    start = parse_time(request["startTime"]) if "startTime" in request else 0.0
    end = parse_time(request["endTime"]) if "endTime" in request else now
    if start is None or end is None or start > end:
        raise invalid_range()
    ranges = []
    # A continuous window is clipped to the asked one and answered even when that leaves it inverted: Azure answered
    # a window wholly before the backups with start 2025-10-05 and end 2002-05-14, one wholly after them with start
    # 2051-02-27 and end now (azure-cli-extensions/test_dataprotection_restorable_time_range_find.yaml #1, #2).
    for first, last in restorable_ranges(svc, instance, request["sourceDataStoreType"], now):
        low, high = max(first, start), min(last, end)
        if low <= high or first < last:
            ranges.append({"startTime": iso(low), "endTime": iso(high), "objectType": "RestorableTimeRange"})
    body = {
        "properties": {"restorableTimeRanges": ranges, "objectType": "AzureBackupFindRestorableTimeRangesResponse"},
        "id": instance["name"],
        "type": RANGES_TYPE,
    }
    return Reply(200, render.strip_none(body))
