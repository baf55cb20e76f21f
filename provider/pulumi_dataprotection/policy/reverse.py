"""The builder call that reproduces a policy: the inverse of :func:`pulumi_dataprotection.policy.builders.build_policy`
for the policies a builder can express. A call is returned only when rebuilding it gives exactly the policy's
content (same content hash); otherwise None, and the caller keeps the typed raw form."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_dataprotection.datasources import KINDS, TAG_PRIORITIES, DatasourceKind
from pulumi_dataprotection.policy.builders import (
    ArchiveTier,
    Criteria,
    Retention,
    Schedule,
    TaggedRetention,
    build_policy,
)
from pulumi_dataprotection.policy.schema import POLICY

_CRITERIA = {
    "days_of_the_week": "days_of_week",
    "weeks_of_the_month": "weeks_of_month",
    "months_of_year": "months_of_year",
    "schedule_times": "schedule_times",
}


class _NoBuilder(Exception):
    """The policy uses something the builders do not express."""


def _duration(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and isinstance(value.get("duration"), str):
        return str(value["duration"])
    raise _NoBuilder


def _retention(kind: DatasourceKind, rule: Mapping[str, Any]) -> Retention:
    lifecycles = list(rule.get("lifecycles") or [])
    if not lifecycles:
        raise _NoBuilder
    first, rest = lifecycles[0], {lc.get("source_data_store"): lc for lc in lifecycles[1:]}
    store = first.get("source_data_store")
    vault_copy = archive = None
    for copy in first.get("target_data_store_copy_settings") or []:
        option = (copy.get("copy_after") or {}).get("object_type")
        target = copy.get("data_store")
        if target not in rest:
            raise _NoBuilder
        if option == "ImmediateCopyOption" and target == "VaultStore":
            vault_copy = _duration(rest[target].get("delete_after"))
        elif target == "ArchiveStore" and option in ("CopyOnExpiryOption", "CustomCopyOption"):
            after = _duration(copy["copy_after"].get("duration")) if option == "CustomCopyOption" else None
            archive = ArchiveTier(_duration(rest[target].get("delete_after")), after)
        else:
            raise _NoBuilder
    default_store = kind.backup_datastores[0] if kind.backup_datastores else None
    return Retention(
        _duration(first.get("delete_after")),
        data_store=None if store == default_store else store,
        archive=archive,
        vault_copy_keep_for=vault_copy,
    )


def _criteria(items: Sequence[Mapping[str, Any]]) -> Criteria:
    if len(items) != 1:
        raise _NoBuilder
    item, out = items[0], {}
    for key, value in item.items():
        if key == "absolute_criteria" and isinstance(value, list) and len(value) == 1:
            out["absolute"] = value[0]
        elif key == "days_of_month":
            out["days_of_month"] = tuple("Last" if d.get("is_last") else d.get("date") for d in value)
        elif key in _CRITERIA:
            out[_CRITERIA[key]] = tuple(value)
        elif value not in (None, [], {}):
            raise _NoBuilder
    return Criteria(**out)


def _arguments(inputs: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    types = list(inputs.get("datasource_types") or [])
    if len(types) != 1 or inputs.get("raw"):
        raise _NoBuilder
    key = next((k for k, kind in KINDS.items() if kind.datasource_type == types[0]), None)
    if key is None:
        raise _NoBuilder
    kind = KINDS[key]
    rules = list(inputs.get("policy_rules") or [])
    backups = [r for r in rules if r.get("object_type") == "AzureBackupRule"]
    retentions = {r.get("name"): r for r in rules if r.get("object_type") == "AzureRetentionRule"}
    if len(backups) != 1 or "Default" not in retentions:
        raise _NoBuilder
    rule = backups[0]
    schedule = Schedule.custom(*rule.get("repeating_time_intervals") or [], time_zone=rule.get("time_zone"))
    args: dict[str, Any] = {"schedule": schedule, "retention": _retention(kind, retentions.pop("Default"))}
    tagged = []
    for tag in rule.get("tagging_criteria") or []:
        if tag.get("is_default"):
            continue
        name, priority = tag.get("tag_name"), tag.get("tagging_priority")
        if name not in retentions:
            raise _NoBuilder
        retention = _retention(kind, retentions.pop(name))
        tagged.append(
            TaggedRetention(
                name,
                retention.keep_for,
                _criteria(tag.get("criteria") or []),
                data_store=retention.data_store,
                priority=None if priority == TAG_PRIORITIES.get(name, 50) else priority,
                archive=retention.archive,
                vault_copy_keep_for=retention.vault_copy_keep_for,
            )
        )
    if retentions:
        raise _NoBuilder
    if tagged:
        args["tagged"] = tagged
    if rule.get("name") != schedule.rule_name:
        args["rule_name"] = rule.get("name")
    if rule.get("backup_type") != kind.backup_types[0]:
        args["backup_type"] = rule.get("backup_type")
    return key, args


def _source(value: Any) -> str:
    """Python source of a builder value: dataclasses with their non-default fields, everything else as repr."""
    if isinstance(value, Schedule):
        zone = f", time_zone={value.time_zone!r}" if value.time_zone else ""
        return f"Schedule.custom({', '.join(repr(i) for i in value.intervals)}{zone})"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        parts = []
        for f in dataclasses.fields(value):
            current = getattr(value, f.name)
            default = f.default if f.default is not dataclasses.MISSING else None
            if f.default_factory is not dataclasses.MISSING:
                default = f.default_factory()
            if current != default:
                parts.append(f"{f.name}={_source(current)}")
        return f"{type(value).__name__}({', '.join(parts)})"
    if isinstance(value, list | tuple):
        items = ", ".join(_source(v) for v in value)
        return f"[{items}]" if isinstance(value, list) else f"({items}{',' if len(value) == 1 else ''})"
    return repr(value)


def builder_call(inputs: Mapping[str, Any]) -> tuple[str, set[str]] | None:
    """``(source of a build_policy(...) call, builder names it uses)`` reproducing the policy ``inputs`` exactly,
    or None when no builder call does."""
    try:
        key, args = _arguments(inputs)
        built = build_policy(key, **args)
    except (_NoBuilder, ValueError, TypeError, KeyError, AttributeError):
        return None
    if POLICY.content_hash(built) != POLICY.content_hash(inputs):
        return None
    source = f"build_policy({key!r}, " + ", ".join(f"{k}={_source(v)}" for k, v in args.items()) + ")"
    names = ("ArchiveTier", "Criteria", "Retention", "Schedule", "TaggedRetention")
    return source, {"build_policy", *(n for n in names if f"{n}(" in source or f"{n}." in source)}
