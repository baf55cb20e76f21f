"""Turn exported resources into report rows: settings as recorded, schedules and retention in words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_dataprotection.audit.export import REDACTED, ExportedResource
from pulumi_dataprotection.audit.model import AdhocRow, InstanceRow, PolicyRow, VaultRow
from pulumi_dataprotection.datasources import KINDS, kind_of_type
from pulumi_dataprotection.policy.schema import summarize
from pulumi_dataprotection.schema.iso8601 import Duration, parse_duration, parse_repeating_interval

PRODUCTION_TAG_KEYS = ("env", "environment", "stage", "tier", "sdlc")
PRODUCTION_TAG_VALUES = ("prod", "production", "prd", "live")
"""A vault is production when one of these tag keys has one of these values (case-insensitive)."""

_DAYS_PER_UNIT = {"Y": 365.0, "M": 30.0, "W": 7.0, "D": 1.0, "h": 1 / 24, "m": 1 / 1440, "s": 1 / 86400}
_ABSOLUTE = {
    "AllBackup": "every backup",
    "FirstOfDay": "the first backup of each day",
    "FirstOfWeek": "the first backup of each week",
    "FirstOfMonth": "the first backup of each month",
    "FirstOfYear": "the first backup of each year",
}


def text(value: Any) -> str | None:
    """A scalar output as text (None when absent; secrets stay redacted)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else str(value)


def last_segment(arm_id: str | None) -> str | None:
    """The name at the end of an ARM id."""
    return arm_id.rstrip("/").rsplit("/", 1)[-1] if arm_id else None


def days(duration: Duration) -> float:
    """A duration in days (months count 30 days, years 365)."""
    return sum(amount * _DAYS_PER_UNIT[unit] for unit, amount in duration.parts)


def is_production(tags: Mapping[str, str]) -> bool:
    """Whether tags mark a production resource (see :data:`PRODUCTION_TAG_KEYS`)."""
    return any(
        key.lower() in PRODUCTION_TAG_KEYS and str(value).strip().lower() in PRODUCTION_TAG_VALUES
        for key, value in tags.items()
    )


def _int(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def describe_vault(resource: ExportedResource) -> VaultRow:
    """The report row of a BackupVault."""
    get = resource.get
    raw_tags = get("tags")
    tags = {str(k): str(v) for k, v in raw_tags.items()} if isinstance(raw_tags, Mapping) else {}
    recorded = get("redundancy") is not None or get("provisioning_state") is not None
    # Azure leaves immutabilitySettings and crossRegionRestoreSettings out of a vault that never had them: once the
    # vault was read back from Azure (provisioning_state is an output only), their absence means Disabled.
    absent = "Disabled" if get("provisioning_state") is not None else None
    identity_type = text(get("identity_type"))
    principal = text(get("principal_id"))
    if principal:
        identity: str | None = f"{identity_type or 'managed identity'} (principal {principal})"
    else:
        identity = identity_type or ("None" if recorded else None)
    return VaultRow(
        name=text(get("name")) or resource.name,
        id=resource.arm_id,
        location=text(get("location")),
        resource_group=text(get("resource_group_name")),
        redundancy=text(get("redundancy")),
        soft_delete_state=text(get("soft_delete_state")),
        soft_delete_retention_days=_int(get("soft_delete_retention_days")),
        immutability_state=text(get("immutability_state")) or absent,
        cross_region_restore_state=text(get("cross_region_restore_state")) or absent,
        encryption_state=text(get("encryption_state")),
        cross_subscription_restore_state=text(get("cross_subscription_restore_state")),
        infrastructure_encryption=text(get("infrastructure_encryption")),
        encryption=_encryption_text(resource, recorded=recorded),
        identity=identity,
        principal_id=principal,
        production=is_production(tags),
        tags=tags,
        provisioning_state=text(get("provisioning_state")),
        api_version=text(get("api_version")),
    )


def _encryption_text(resource: ExportedResource, *, recorded: bool) -> str | None:
    """Customer-managed key (URI, identity) or Microsoft-managed keys; None when the export has no vault settings."""
    state = text(resource.get("encryption_state"))
    key = text(resource.get("encryption_key_uri"))
    if state == "Enabled" or (state is None and key):
        who = text(resource.get("encryption_identity_id")) or text(resource.get("encryption_identity_type"))
        words = f"customer-managed key {key or '(key URI unknown)'}" + (f" via {who}" if who else "")
    elif state is not None or recorded:
        words = "Microsoft-managed keys"
    else:
        return None
    if text(resource.get("infrastructure_encryption")) == "Enabled":
        words += ", infrastructure (double) encryption"
    return words


def _rules(values: Any, object_type: str) -> list[Mapping[str, Any]]:
    if not isinstance(values, list):
        return []
    return [r for r in values if isinstance(r, Mapping) and r.get("object_type") == object_type]


def schedule_text(rule: Mapping[str, Any]) -> str:
    """A backup rule's schedule in words: "every 4 hours from 00:00 (UTC), incremental to OperationalStore"."""
    texts = rule.get("repeating_time_intervals") or []
    intervals = [i for i in (parse_repeating_interval(t) for t in texts if isinstance(t, str)) if i is not None]
    if not intervals:
        when = "on a schedule Azure did not record in the export"
    else:
        first = intervals[0]
        period = first.period.text
        times = ", ".join(sorted({i.start.strftime("%H:%M") for i in intervals}))
        if period.startswith("PT") and period.endswith("H"):
            when = f"every {first.period.human()} from {times}"
        elif period == "P1D":
            when = f"daily at {times}"
        elif period == "P1W":
            when = f"weekly on {', '.join(sorted({i.start.strftime('%A') for i in intervals}))} at {times}"
        else:
            when = f"every {first.period.human()} from {first.start.isoformat()}"
        zone = text(rule.get("time_zone"))
        if zone is None and first.start.utcoffset() is not None:
            offset = first.start.strftime("%z")
            zone = "UTC" if offset in ("+0000", "-0000") else f"UTC{offset[:3]}:{offset[3:]}"
        if zone:
            when += f" ({zone})"
    kind = text(rule.get("backup_type"))
    store = text(rule.get("data_store")) or "an unknown datastore"
    return f"{when}, {kind.lower() + ' backup' if kind else 'backup'} to {store}"


def _copy_text(copy: Mapping[str, Any]) -> str:
    option = copy.get("copy_after")
    target = text(copy.get("data_store")) or "another datastore"
    kind = option.get("object_type") if isinstance(option, Mapping) else None
    if kind == "ImmediateCopyOption":
        return f"copied to {target} at once"
    if kind == "CopyOnExpiryOption":
        return f"moved to {target} when it expires"
    if kind == "CustomCopyOption" and isinstance(option, Mapping):
        duration = parse_duration(str(option.get("duration") or ""))
        return f"copied to {target} after {duration.human() if duration else option.get('duration')}"
    return f"copied to {target}"


def _lifecycle_text(life: Mapping[str, Any]) -> tuple[str, float | None]:
    raw = text(life.get("delete_after"))
    duration = parse_duration(raw) if raw else None
    store = text(life.get("source_data_store")) or "an unknown datastore"
    kept = duration.human() if duration else (raw or "an unknown time")
    parts = [f"kept {kept} in {store}"]
    parts += [_copy_text(c) for c in life.get("target_data_store_copy_settings") or [] if isinstance(c, Mapping)]
    return ", ".join(parts), days(duration) if duration else None


def _criteria_text(tag: Mapping[str, Any]) -> str:
    pieces: list[str] = []
    for criteria in tag.get("criteria") or []:
        if not isinstance(criteria, Mapping):
            continue
        pieces += [_ABSOLUTE.get(str(a), str(a)) for a in criteria.get("absolute_criteria") or []]
        for key, label in (
            ("weeks_of_the_month", "weeks"),
            ("days_of_the_week", "days"),
            ("months_of_year", "months"),
        ):
            if criteria.get(key):
                pieces.append(f"{label} {', '.join(map(str, criteria[key]))}")
        dates = [
            "last" if d.get("is_last") else str(d.get("date"))
            for d in criteria.get("days_of_month") or []
            if isinstance(d, Mapping)
        ]
        if dates:
            pieces.append(f"days of month {', '.join(dates)}")
    return "; ".join(pieces)


def retention_texts(policy_rules: Any) -> tuple[list[str], float | None, list[str]]:
    """Retention in words (one line per rule), the longest retention in days and the datastores used."""
    tags: dict[str, Mapping[str, Any]] = {}
    stores: list[str] = []
    for rule in _rules(policy_rules, "AzureBackupRule"):
        store = text(rule.get("data_store"))
        if store and store not in stores:
            stores.append(store)
        for tag in rule.get("tagging_criteria") or []:
            if isinstance(tag, Mapping) and tag.get("tag_name"):
                tags[str(tag["tag_name"])] = tag
    lines: list[str] = []
    longest: float | None = None
    for rule in _rules(policy_rules, "AzureRetentionRule"):
        name = text(rule.get("name")) or "?"
        parts = []
        for life in rule.get("lifecycles") or []:
            if not isinstance(life, Mapping):
                continue
            words, length = _lifecycle_text(life)
            parts.append(words)
            if length is not None:
                longest = length if longest is None else max(longest, length)
            copies = [c for c in life.get("target_data_store_copy_settings") or [] if isinstance(c, Mapping)]
            for store in [text(life.get("source_data_store")), *(text(c.get("data_store")) for c in copies)]:
                if store and store not in stores:
                    stores.append(store)
        if rule.get("is_default"):
            label = "all backups" if name == "Default" else f"all backups ({name})"
        else:
            criteria = _criteria_text(tags.get(name, {}))
            label = f"{name} backups" + (f" ({criteria})" if criteria else "")
        lines.append(f"{label}: {'; then '.join(parts) or 'no lifecycle recorded'}")
    return lines, longest, stores


def describe_policy(resource: ExportedResource, vault_names: Mapping[str, str]) -> PolicyRow:
    """The report row of a BackupPolicy (``vault_names`` maps lower-cased vault ids to names)."""
    get = resource.get
    rules = get("policy_rules")
    types_value = get("datasource_types")
    types = [str(t) for t in types_value] if isinstance(types_value, list) else []
    kind = kind_of_type(types[0]) if types else None
    schedule = [schedule_text(r) for r in _rules(rules, "AzureBackupRule")]
    if isinstance(rules, list) and not schedule and kind is not None and kind.backup_rule_optional:
        schedule = ["continuous (operational backup, no schedule)"]
    retention, longest, stores = retention_texts(rules)
    summary = text(get("summary"))
    if summary is None and isinstance(rules, list) and rules:
        summary = summarize({"policy_rules": rules}) or None
    vault_id = text(get("vault_id"))
    return PolicyRow(
        name=text(get("name")) or resource.name,
        id=resource.arm_id,
        vault=vault_names.get(vault_id.lower(), last_segment(vault_id)) if vault_id else None,
        datasource_types=types,
        datasource=kind.title if kind else (types[0] if types else None),
        schedule=schedule,
        retention=retention,
        summary=summary,
        longest_retention_days=longest,
        data_stores=stores,
        used_by=[],
        content_hash=text(get("content_hash")),
        api_version=text(get("api_version")),
    )


def _error_text(value: Any) -> str | None:
    if value is None or value == "" or value == REDACTED:
        return text(value)
    if isinstance(value, str):
        return value
    if not isinstance(value, Mapping):
        return str(value)
    code = text(value.get("code"))
    message = text(value.get("message"))
    actions = value.get("recommended_action") or value.get("recommendedAction") or []
    if isinstance(actions, str):
        actions = [actions]
    out = ": ".join(p for p in (code, message) if p) or None
    if actions and isinstance(actions, Sequence):
        out = f"{out or 'error'} (recommended: {'; '.join(map(str, actions))})"
    return out


def describe_instance(
    resource: ExportedResource, vault_names: Mapping[str, str], policy_names: Mapping[str, str]
) -> InstanceRow:
    """The report row of a BackupInstance (name maps keyed by lower-cased ARM ids)."""
    get = resource.get
    status = get("protection_status")
    status_map: Mapping[str, Any] = status if isinstance(status, Mapping) else {}
    state = text(get("protection_state", "current_protection_state")) or text(status_map.get("status"))
    error = get("protection_error", "protection_error_details")
    if error is None:
        error = status_map.get("error_details") or status_map.get("errorDetails")
    kind_key = text(get("datasource_kind"))
    info = get("datasource_info")
    info_map: Mapping[str, Any] = info if isinstance(info, Mapping) else {}
    datasource_type = text(get("datasource_type")) or text(info_map.get("datasourceType"))
    if datasource_type is None and kind_key in KINDS:
        datasource_type = KINDS[kind_key].datasource_type
    kind = KINDS.get(kind_key or "") or (kind_of_type(datasource_type) if datasource_type else None)
    vault_id = text(get("vault_id"))
    policy_id = text(get("policy_id"))
    return InstanceRow(
        name=text(get("name")) or resource.name,
        id=resource.arm_id,
        vault=vault_names.get(vault_id.lower(), last_segment(vault_id)) if vault_id else None,
        vault_id=vault_id,
        datasource=kind.title if kind else None,
        datasource_type=datasource_type,
        datasource_id=text(get("datasource_id")) or text(info_map.get("resourceID")),
        policy=policy_names.get(policy_id.lower(), last_segment(policy_id)) if policy_id else None,
        policy_id=policy_id,
        protection_state=state,
        protection_error=_error_text(error),
        on_delete=text(get("on_delete")),
        provisioning_state=text(get("provisioning_state")),
        api_version=text(get("api_version")),
    )


def describe_adhoc(resource: ExportedResource, instance_names: Mapping[str, str]) -> AdhocRow:
    """The report row of an AdhocBackup."""
    instance = text(resource.get("instance_id", "backup_instance_id"))
    return AdhocRow(
        name=resource.name,
        instance=instance_names.get(instance.lower(), last_segment(instance)) if instance else None,
        job_id=text(resource.get("job_id")),
        status=text(resource.get("job_status", "status")),
    )


def guard_text(guard: ExportedResource | None, guard_id: str) -> str:
    """A vault's resource guard in words: its name and group, and the operations it leaves unprotected."""
    name = (text(guard.get("name")) if guard else None) or last_segment(guard_id) or guard_id
    parts = guard_id.split("/")
    where = f" in {parts[4]}" if len(parts) > 4 else ""
    if guard is None:
        return f"{name}{where} (not in this stack)"
    excluded = guard.get("excluded_operations")
    if isinstance(excluded, list) and excluded:
        shown = ", ".join(str(e).rsplit("/", 2)[-2] + "/" + str(e).rsplit("/", 1)[-1] for e in excluded)
        return f"{name}{where}, all critical operations but: {shown}"
    return f"{name}{where}, all critical operations"


def guard_of_vaults(guards: list[ExportedResource], links: list[ExportedResource]) -> dict[str, tuple[str, str]]:
    """Vault id (lower-cased) -> (guard id, guard in words) from the stack's guard links."""
    by_id = {g.arm_id.lower(): g for g in guards if g.arm_id}
    out: dict[str, tuple[str, str]] = {}
    for link in links:
        vault, guard_id = text(link.get("vault_id")), text(link.get("resource_guard_id"))
        if vault and guard_id:
            out[vault.lower()] = (guard_id, guard_text(by_id.get(guard_id.lower()), guard_id))
    return out
