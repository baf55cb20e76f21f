"""The declarative schema of a Backup Policy (``backupVaults/backupPolicies``, api-versions 2025-09-01 and
2026-06-01, which define policies alike), the per-datasource validation of what Azure rejects, the
content-addressed policy name and a one-line summary.

Each rule names its evidence beside it: "CLI" is the az dataprotection extension's manifest or policy helpers (not
contradicted by any recording or by a configuration Azure accepted), "TF" Terraform azurerm's acceptance
configurations (run against real Azure), "recordings" the recorded Azure exchanges. docs/emulator.md lists them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_dataprotection.datasources import (
    DATASOURCE_TYPE_NAMES,
    KINDS,
    TAG_PRIORITIES,
    DatasourceKind,
    kind_of_type,
)
from pulumi_dataprotection.schema import (
    CREATE_ONLY,
    OUTPUT_ONLY,
    AnyJson,
    BoolType,
    Boxed,
    Constant,
    DateTimeType,
    DurationType,
    EnumType,
    Field,
    IdPart,
    IntType,
    ListType,
    ObjectType,
    RepeatingIntervalType,
    ResourceSchema,
    Rule,
    StringType,
    UnionType,
    names,
)
from pulumi_dataprotection.schema.iso8601 import (
    Duration,
    approximate_days,
    parse_duration,
    parse_repeating_interval,
)
from pulumi_dataprotection.schema.types import name_type
from pulumi_dataprotection.vault.schema import vault_reference

DATA_STORES = ("OperationalStore", "VaultStore", "ArchiveStore")
DATA_STORE = Boxed(EnumType(DATA_STORES), "dataStoreType", {"objectType": "DataStoreInfoBase"})
TIME_ZONE = StringType(
    min_length=1,
    case_insensitive=True,
    equivalents=[("UTC", "Coordinated Universal Time", "Etc/UTC", "UTC+00:00")],
    description="a time zone name such as UTC or W. Europe Standard Time",
)


def _check_day(v: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Either a date (1-28) or is_last; date 0 only beside is_last=true, the way Terraform writes the last day
    (its blob vaultBackup acceptance test sends ``{"date": 0, "isLast": true}`` and Azure accepted it)."""
    date, last = v.get("date"), bool(v.get("is_last"))
    if (date is None and not last) or (date not in (None, 0) and last) or (date == 0 and not last):
        return [("date", "give either date (1-28) or is_last=true for a day of the month")]
    return []


DAY = ObjectType(
    [
        # 1-28: the az CLI's limit (not contradicted by any recording or accepted configuration).
        Field(
            name="date",
            type=IntType(minimum=0, maximum=28),
            path="date",
            doc="Day of the month (1-28; 0 only with is_last).",
        ),
        Field(name="is_last", type=BoolType(), path="isLast", doc="The last day of the month."),
    ],
    rules=[Rule(("date", "is_last"), _check_day)],
    description="a day of the month",
)

CRITERIA = ObjectType(
    [
        Field(
            name="absolute_criteria",
            type=ListType(
                EnumType(["AllBackup", "FirstOfDay", "FirstOfWeek", "FirstOfMonth", "FirstOfYear"]), ordered=False
            ),
            path="absoluteCriteria",
            doc="Which backup the tag keeps: the first of each day, week, month or year (or all).",
        ),
        Field(name="days_of_month", type=ListType(DAY, ordered=False), path="daysOfMonth", doc="Days of the month."),
        Field(
            name="days_of_the_week",
            type=ListType(
                EnumType(
                    ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
                    type_name="DayOfWeek",
                ),
                ordered=False,
                unique=True,
            ),
            path="daysOfTheWeek",
            doc="Days of the week.",
        ),
        Field(
            name="months_of_year",
            type=ListType(
                EnumType(
                    [
                        "January",
                        "February",
                        "March",
                        "April",
                        "May",
                        "June",
                        "July",
                        "August",
                        "September",
                        "October",
                        "November",
                        "December",
                    ],
                    type_name="Month",
                ),
                ordered=False,
                unique=True,
            ),
            path="monthsOfYear",
            doc="Months of the year.",
        ),
        Field(
            name="schedule_times",
            type=ListType(DateTimeType(), ordered=False),
            path="scheduleTimes",
            doc="Backup times.",
        ),
        Field(
            name="weeks_of_the_month",
            type=ListType(
                EnumType(["First", "Second", "Third", "Fourth", "Last"], type_name="WeekOfMonth"),
                ordered=False,
                unique=True,
            ),
            path="weeksOfTheMonth",
            doc="Weeks of the month.",
        ),
    ],
    constants=[Constant("objectType", "ScheduleBasedBackupCriteria")],
    description="backup criteria",
)

TAGGING = ObjectType(
    [
        Field(
            name="tag_name",
            # Any non-empty name: Terraform's acceptance tests tag "weekly", "thursday" and "monthly" and Azure
            # accepted them (its own schema checks only that the name is not empty).
            type=StringType(min_length=1),
            path="tagInfo.tagName",
            doc="Tag name: Default for the default tag, else any name (Daily, Weekly, Monthly, Yearly are the usual "
            "ones; a retention rule of the same name says how long tagged backups are kept).",
            required=True,
        ),
        Field(
            name="tag_id",
            type=StringType(),
            path="tagInfo.id",
            doc="Tag id Azure assigns (tag name + '_').",
            mutability=OUTPUT_ONLY,
        ),
        Field(name="tag_etag", type=StringType(), path="tagInfo.eTag", doc="Tag entity tag.", mutability=OUTPUT_ONLY),
        Field(
            name="tagging_priority",
            type=IntType(minimum=0, maximum=99),
            path="taggingPriority",
            doc="Priority when a backup matches several tags (lower wins); defaults to Azure's value for Daily, "
            "Weekly, Monthly and Yearly, required for other tag names.",
            required=True,
            default=lambda v: TAG_PRIORITIES.get(v.get("tag_name") or ""),
        ),
        Field(
            name="is_default",
            type=BoolType(),
            path="isDefault",
            doc="True for the Default tag.",
            required=True,
            default=lambda v: v.get("tag_name") == "Default" if v.get("tag_name") else None,
        ),
        Field(
            name="criteria", type=ListType(CRITERIA, ordered=False), path="criteria", doc="Which backups get the tag."
        ),
    ],
    description="tagging criteria",
)

BACKUP_RULE = ObjectType(
    [
        Field(
            name="name",
            type=StringType(min_length=1),
            path="name",
            doc="Rule name (BackupHourly, BackupDaily, ...).",
            required=True,
        ),
        Field(
            name="backup_type",
            type=Boxed(
                EnumType(["Full", "Incremental", "Discrete"]), "backupType", {"objectType": "AzureBackupParams"}
            ),
            path="backupParameters",
            doc="Full (databases), Incremental (disks, AKS) or Discrete (vaulted blobs, ADLS).",
        ),
        Field(
            name="data_store",
            type=DATA_STORE,
            path="dataStore",
            doc="Datastore the backups are written to.",
            required=True,
        ),
        Field(
            name="repeating_time_intervals",
            type=ListType(RepeatingIntervalType(), min_items=1, ordered=False, unique=True),
            path="trigger.schedule.repeatingTimeIntervals",
            doc="When backups run: ISO-8601 repeating intervals such as R/2024-01-01T02:00:00+00:00/PT4H.",
            required=True,
        ),
        Field(name="time_zone", type=TIME_ZONE, path="trigger.schedule.timeZone", doc="Time zone of the schedule."),
        Field(
            name="tagging_criteria",
            type=ListType(TAGGING, min_items=1, ordered=False),
            path="trigger.taggingCriteria",
            doc="Retention tags given to backups (the Default tag plus Daily/Weekly/Monthly/Yearly ones).",
            required=True,
        ),
    ],
    constants=[Constant("trigger.objectType", "ScheduleBasedTriggerContext")],
    description="a backup rule",
)

COPY_OPTION = UnionType(
    {
        "CopyOnExpiryOption": ObjectType([], description="a copy when the source copy expires"),
        "CustomCopyOption": ObjectType(
            [
                Field(
                    name="duration",
                    type=DurationType(),
                    path="duration",
                    doc="How long after the backup the copy is made.",
                    required=True,
                )
            ],
            description="a copy after a delay",
        ),
        "ImmediateCopyOption": ObjectType([], description="an immediate copy"),
    },
    type_name="CopyOption",
)

COPY_SETTING = ObjectType(
    [
        Field(name="copy_after", type=COPY_OPTION, path="copyAfter", doc="When the copy is made.", required=True),
        Field(name="data_store", type=DATA_STORE, path="dataStore", doc="Datastore receiving the copy.", required=True),
    ],
    description="a copy setting",
)

LIFECYCLE = ObjectType(
    [
        Field(
            name="delete_after",
            type=Boxed(DurationType(), "duration", {"objectType": "AbsoluteDeleteOption"}),
            path="deleteAfter",
            doc="How long backups are kept in the source datastore (ISO-8601 duration).",
            required=True,
        ),
        Field(
            name="source_data_store",
            type=DATA_STORE,
            path="sourceDataStore",
            doc="Datastore the rule applies to.",
            required=True,
        ),
        Field(
            name="target_data_store_copy_settings",
            type=ListType(COPY_SETTING, ordered=False),
            path="targetDataStoreCopySettings",
            doc="Copies to other datastores (VaultStore from OperationalStore, ArchiveStore from VaultStore).",
        ),
    ],
    description="a lifecycle",
)

RETENTION_RULE = ObjectType(
    [
        Field(
            name="name",
            type=StringType(min_length=1),
            path="name",
            doc="Default, Default_OperationalStore or a tag name.",
            required=True,
        ),
        Field(
            name="is_default", type=BoolType(), path="isDefault", doc="True for the default retention of a datastore."
        ),
        Field(
            name="lifecycles",
            type=ListType(LIFECYCLE, min_items=1, ordered=False),
            path="lifecycles",
            doc="Lifecycles.",
            required=True,
        ),
    ],
    description="a retention rule",
)

POLICY_RULE = UnionType({"AzureBackupRule": BACKUP_RULE, "AzureRetentionRule": RETENTION_RULE}, type_name="PolicyRule")


def policy_kind(values: Mapping[str, Any]) -> DatasourceKind | None:
    """The datasource kind of policy inputs or outputs (from ``datasource_types``)."""
    types = values.get("datasource_types")
    if isinstance(types, list | tuple) and types and isinstance(types[0], str):
        return kind_of_type(types[0])
    return None


def _rules(values: Mapping[str, Any]) -> list[tuple[int, Mapping[str, Any]]]:
    rules = values.get("policy_rules") or []
    return [(i, r) for i, r in enumerate(rules) if isinstance(r, Mapping)]


def _check_policy(values: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    kind = policy_kind(values)
    if kind is None:
        return
    rules = _rules(values)
    backups = [(i, r) for i, r in rules if r.get("object_type") == "AzureBackupRule"]
    retentions = [(i, r) for i, r in rules if r.get("object_type") == "AzureRetentionRule"]
    # CLI manifests; every recorded and TF policy of a scheduled kind holds a backup rule.
    if not backups and not kind.backup_rule_optional:
        yield "policy_rules", f"policy_rules needs a backup rule (AzureBackupRule): {kind.title} policies are scheduled"
    # CLI; no recording or TF configuration holds two, except TF's Cosmos DB policy (weekly full + incremental).
    if len(backups) > kind.max_backup_rules:
        allowed = "one backup rule" if kind.max_backup_rules == 1 else f"{kind.max_backup_rules} backup rules"
        yield "policy_rules", f"policy_rules may hold {allowed} for {kind.title} policies; got {len(backups)}"
    # Cosmos DB support matrix: incremental-only policies are not supported.
    wanted = kind.required_backup_type
    if wanted and backups and not any(r.get("backup_type") == wanted for _, r in backups):
        yield (
            "policy_rules",
            f"policy_rules needs a backup rule with backup_type {wanted}: Azure does not support {kind.title} "
            "policies without one",
        )
    tags: set[str] = set()
    for i, rule in backups:
        yield from _check_backup_rule(kind, i, rule)
        tags.update(str(t.get("tag_name")) for t in rule.get("tagging_criteria") or [] if isinstance(t, Mapping))
    yield from _check_retentions(kind, retentions, tags, has_backup=bool(backups))
    yield from _check_retention_lengths(kind, backups, retentions)


def _must(prop: str, allowed: tuple[str, ...], kind: DatasourceKind, got: Any) -> tuple[str, str]:
    return prop, f"{prop} must be {' or '.join(allowed)} for {kind.title} policies; got {got}"


def _check_backup_rule(kind: DatasourceKind, i: int, rule: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    where = f"policy_rules[{i}]"
    store = rule.get("data_store")
    # Datastores, backup types and periods: CLI manifests, widened where TF's accepted tests differ (datasources.py).
    if store not in kind.backup_datastores:
        yield _must(f"{where}.data_store", kind.backup_datastores, kind, store)
    backup_type = rule.get("backup_type")
    if backup_type is not None and backup_type not in kind.backup_types:
        yield _must(f"{where}.backup_type", kind.backup_types, kind, backup_type)
    for j, text in enumerate(rule.get("repeating_time_intervals") or []):
        interval = parse_repeating_interval(text) if isinstance(text, str) else None
        if interval is not None and interval.period.text not in kind.periods:
            prop = f"{where}.repeating_time_intervals[{j}]"
            yield (
                prop,
                (f"{prop} repeats every {interval.period.text}; {kind.title} policies allow {', '.join(kind.periods)}"),
            )
    yield from _check_tags(kind, where, [t for t in rule.get("tagging_criteria") or [] if isinstance(t, Mapping)])


def _check_tags(kind: DatasourceKind, where: str, tags: list[Mapping[str, Any]]) -> Iterable[tuple[str, str]]:
    defaults = [t for t in tags if t.get("is_default")]
    # One Default tag, priority 99, no criteria: every recorded and TF policy; the spec examples.
    if len(defaults) != 1 or defaults[0].get("tag_name") != "Default":
        yield (
            f"{where}.tagging_criteria",
            (f"{where}.tagging_criteria needs exactly one default tag, named Default (is_default=true, priority 99)"),
        )
    priorities: dict[Any, str] = {}
    for k, tag in enumerate(tags):
        prop = f"{where}.tagging_criteria[{k}]"
        name = tag.get("tag_name")
        if tag.get("is_default"):
            if tag.get("tagging_priority") != 99:
                yield f"{prop}.tagging_priority", f"{prop}.tagging_priority of the Default tag must be 99"
            if tag.get("criteria"):
                yield f"{prop}.criteria", f"{prop}.criteria must be empty for the Default tag (it matches every backup)"
            continue
        # Criteria on every other tag, priorities distinct: CLI (every recorded and TF policy follows them).
        if not tag.get("criteria"):
            yield f"{prop}.criteria", f"{prop}.criteria must say which backups get the {name} tag"
        priority = tag.get("tagging_priority")
        if priority == 99 or priority in priorities:
            other = "the Default tag" if priority == 99 else f"tag {priorities[priority]}"
            yield f"{prop}.tagging_priority", f"{prop}.tagging_priority {priority} is already used by {other}"
        priorities[priority] = str(name)
        for c, criteria in enumerate(tag.get("criteria") or []):
            if isinstance(criteria, Mapping):
                yield from _check_criteria(f"{prop}.criteria[{c}]", criteria)


def _check_criteria(prop: str, criteria: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    generic = [
        k for k in ("days_of_month", "days_of_the_week", "months_of_year", "weeks_of_the_month") if criteria.get(k)
    ]
    # CLI's create-absolute-criteria / create-generic-criteria; TF sends an empty absoluteCriteria beside generic ones.
    if criteria.get("absolute_criteria") and generic:
        yield prop, f"{prop} mixes absolute_criteria with {', '.join(generic)}; use one kind of criteria"
    if not criteria.get("absolute_criteria") and not generic:
        yield prop, f"{prop} needs absolute_criteria or days/weeks/months to match backups"
    if criteria.get("weeks_of_the_month") and not criteria.get("days_of_the_week"):
        yield prop, f"{prop}.weeks_of_the_month needs days_of_the_week (e.g. the first Sunday of the month)"


def _check_retentions(
    kind: DatasourceKind, retentions: list[tuple[int, Mapping[str, Any]]], tags: set[str], *, has_backup: bool
) -> Iterable[tuple[str, str]]:
    if not any(r.get("is_default") for _, r in retentions):
        yield "policy_rules", "policy_rules needs a default retention rule (AzureRetentionRule with is_default=true)"
    yield from _check_default_names(kind, retentions)
    for i, rule in retentions:
        where = f"policy_rules[{i}]"
        name = rule.get("name")
        # Spec examples, recordings and TF: a retention rule keeps the backups of the tag of its name.
        if not rule.get("is_default") and name not in tags:
            yield (
                f"{where}.name",
                (
                    f"{where}.name {name!r} must match a tag of the backup rule's tagging_criteria "
                    f"({', '.join(sorted(tags - {'Default'})) or 'none defined'})"
                ),
            )
        for j, life in enumerate(rule.get("lifecycles") or []):
            if isinstance(life, Mapping):
                yield from _check_lifecycle(kind, f"{where}.lifecycles[{j}]", life, has_backup=has_backup)


BLOB_DEFAULT_NAMES = {"OperationalStore": "Default_OperationalStore", "VaultStore": "Default"}
"""Names Azure requires for the two default retention rules of a blob policy holding both (operational and vaulted
backup): since 2026-09 it refuses other names with 400 BMSUserErrorInvalidInput "Input provided for the call is
invalid" (hashicorp/terraform-provider-azurerm#33470 and #33493, fixed by #33473/#33485); the az CLI's recorded hybrid
policy (test_dataprotection_backup_policy_create_and_delete.yaml, interaction 3) uses these names and was accepted."""


def _check_default_names(
    kind: DatasourceKind, retentions: list[tuple[int, Mapping[str, Any]]]
) -> Iterable[tuple[str, str]]:
    defaults = [(i, r, _source(r)) for i, r in retentions if r.get("is_default")]
    if kind.key != "blob" or {s for _, _, s in defaults} != set(BLOB_DEFAULT_NAMES):
        return
    for i, rule, source in defaults:
        wanted = BLOB_DEFAULT_NAMES.get(str(source))
        if wanted is not None and rule.get("name") != wanted:
            yield (
                f"policy_rules[{i}].name",
                f"policy_rules[{i}].name must be {wanted!r}: a blob policy with both operational and vaulted "
                f"backup names its {source} default retention rule {wanted} (Azure refuses other names with "
                "BMSUserErrorInvalidInput)",
            )


def _check_lifecycle(
    kind: DatasourceKind, where: str, life: Mapping[str, Any], *, has_backup: bool
) -> Iterable[tuple[str, str]]:
    source = life.get("source_data_store")
    # Datastores and copies per kind: CLI manifests (the recorded and TF policies stay inside them).
    if source not in kind.retention_datastores:
        yield _must(f"{where}.source_data_store", kind.retention_datastores, kind, source)
    elif source == "VaultStore" and not has_backup and kind.backup_rule_optional:
        yield (
            f"{where}.source_data_store",
            (f"{where}.source_data_store VaultStore needs a scheduled backup rule to VaultStore (vaulted backup)"),
        )
    for k, copy in enumerate(life.get("target_data_store_copy_settings") or []):
        if not isinstance(copy, Mapping):
            continue
        target = copy.get("data_store")
        allowed = kind.copy_targets.get(str(source), ())
        if target not in allowed:
            options = f"only to {' or '.join(allowed)}" if allowed else "no copies"
            yield (
                f"{where}.target_data_store_copy_settings[{k}].data_store",
                (
                    f"{where}.target_data_store_copy_settings[{k}].data_store: {kind.title} policies allow {options} "
                    f"from {source}; got {target}"
                ),
            )


def _duration(value: Any) -> Duration | None:
    return parse_duration(value) if isinstance(value, str) else None


def _check_retention_lengths(
    kind: DatasourceKind,
    backups: list[tuple[int, Mapping[str, Any]]],
    retentions: list[tuple[int, Mapping[str, Any]]],
) -> Iterable[tuple[str, str]]:
    """How long each datastore keeps backups: at most the kind's documented operational maximum (AKS and blobs: 360
    days), at least the interval between scheduled backups for the default retention of the backups' datastore
    (else a datasource has no restore point for part of every interval), and a VaultStore copy of an operational
    backup, made at once or after a delay, at least as long as the snapshot it copies (else it never outlives what
    it copies). Moves to the ArchiveStore and copies on expiry are not compared."""
    periods: dict[Any, tuple[int, Duration]] = {}
    for i, rule in backups:
        for text in rule.get("repeating_time_intervals") or []:
            interval = parse_repeating_interval(text) if isinstance(text, str) else None
            if interval is not None:
                periods.setdefault(rule.get("data_store"), (i, interval.period))
    for i, rule in retentions:
        lives = [(j, life) for j, life in enumerate(rule.get("lifecycles") or []) if isinstance(life, Mapping)]
        kept = {life.get("source_data_store"): (j, _duration(life.get("delete_after"))) for j, life in lives}
        for j, life in lives:
            prop = f"policy_rules[{i}].lifecycles[{j}].delete_after"
            source, keep = life.get("source_data_store"), _duration(life.get("delete_after"))
            if keep is None:
                continue
            limit = kind.operational_max_days
            if source == "OperationalStore" and limit is not None and approximate_days(keep) > limit:
                yield (
                    prop,
                    f"{prop} keeps operational-tier backups {keep.human()}; {kind.title} backups can be kept at most "
                    f"{limit} days in the OperationalStore: shorten it, or keep longer copies in the VaultStore",
                )
            schedule = periods.get(source)
            if rule.get("is_default") and schedule and approximate_days(keep) < approximate_days(schedule[1]):
                yield (
                    prop,
                    f"{prop} keeps {source} backups {keep.human()} but policy_rules[{schedule[0]}] backs up every "
                    f"{schedule[1].human()}: each backup would expire before the next one, leaving no restore point; "
                    f"keep them at least {schedule[1].text} or back up more often",
                )
            for copy in life.get("target_data_store_copy_settings") or []:
                target = copy.get("data_store") if isinstance(copy, Mapping) else None
                option = (copy.get("copy_after") or {}).get("object_type") if isinstance(copy, Mapping) else None
                copied = kept.get(target)
                if (source, target) != ("OperationalStore", "VaultStore") or option == "CopyOnExpiryOption":
                    continue
                if copied is None or copied[1] is None:
                    continue
                if approximate_days(copied[1]) < approximate_days(keep):
                    where = f"policy_rules[{i}].lifecycles[{copied[0]}].delete_after"
                    yield (
                        where,
                        f"{where} keeps the {target} copy {copied[1].human()}, shorter than the {keep.human()} its "
                        f"{source} original is kept ({prop}): the copy would expire first and add nothing; keep the "
                        f"{target} copy at least {keep.text}",
                    )


POLICY = ResourceSchema(
    "BackupPolicy",
    ObjectType(
        [
            Field(
                name="name",
                type=name_type(names.POLICY),
                doc="Policy name (part of the URL).",
                mutability=CREATE_ONLY,
                required=True,
                id_part=IdPart("last"),
                read_path="name",
            ),
            vault_reference("Id of the backup vault holding the policy."),
            Field(
                name="datasource_types",
                type=ListType(
                    EnumType(
                        DATASOURCE_TYPE_NAMES,
                        equivalents=[k.all_type_names for k in KINDS.values() if k.aliases],
                    ),
                    min_items=1,
                    max_items=1,
                    ordered=False,
                ),
                path="properties.datasourceTypes",
                doc="The datasource type the policy protects (one).",
                mutability=CREATE_ONLY,
                required=True,
            ),
            Field(
                name="policy_rules",
                type=ListType(POLICY_RULE, min_items=1, ordered=False),
                path="properties.policyRules",
                doc="Backup and retention rules.",
                mutability=CREATE_ONLY,
                required=True,
            ),
            Field(
                name="raw",
                type=AnyJson(object_only=True),
                doc="JSON merged into the request body, for API fields the typed inputs do not cover.",
                mutability=CREATE_ONLY,
            ),
            Field(name="id", type=StringType(), path="id", doc="ARM id of the policy.", mutability=OUTPUT_ONLY),
            Field(
                name="resource_type", type=StringType(), path="type", doc="ARM resource type.", mutability=OUTPUT_ONLY
            ),
            Field(
                name="system_data", type=AnyJson(), path="systemData", doc="Creation metadata.", mutability=OUTPUT_ONLY
            ),
        ],
        constants=[Constant("properties.objectType", "BackupPolicy")],
        rules=[Rule(("datasource_types", "policy_rules"), _check_policy)],
        description="a backup policy",
    ),
    raw_field="raw",
)
"""Policies cannot be updated in Azure: every body field is create-only (a change means a new policy)."""


def content_name(base: str, inputs: Mapping[str, Any], *, length: int = 8) -> str:
    """The content-addressed physical name ``<base>-<hash of the canonical body>`` (stable across runs)."""
    return f"{base}-{POLICY.content_hash(inputs, length=length)}"


def summarize(values: Mapping[str, Any]) -> str:
    """A one-line human summary, e.g. "every 4 h to OperationalStore, kept 7 days; weekly copies kept 12 weeks in
    VaultStore"."""
    rules = [r for _, r in _rules(values)]
    backups = [r for r in rules if r.get("object_type") == "AzureBackupRule"]
    retentions = [r for r in rules if r.get("object_type") == "AzureRetentionRule"]
    defaults = [r for r in retentions if r.get("is_default")]
    parts: list[str] = []
    for rule in backups:
        store = rule.get("data_store")
        mine = [r for r in defaults if _source(r) == store]
        parts.append(f"{_schedule_text(rule)} to {store}" + _kept(mine, first_in_store=False))
    stores = {r.get("data_store") for r in backups}
    for rule in defaults:
        if _source(rule) not in stores:
            parts.append("continuous backup" + _kept([rule], first_in_store=True))
    for rule in retentions:
        if not rule.get("is_default"):
            parts.append(f"{str(rule.get('name', '')).lower()} copies " + _kept([rule], first_in_store=True)[2:])
    return "; ".join(parts)


def _source(rule: Mapping[str, Any]) -> Any:
    lives = rule.get("lifecycles") or []
    return lives[0].get("source_data_store") if lives and isinstance(lives[0], Mapping) else None


def _kept(rules: list[Mapping[str, Any]], *, first_in_store: bool) -> str:
    lives = [life for r in rules for life in r.get("lifecycles") or [] if isinstance(life, Mapping)]
    texts = [_lifecycle_text(life, in_store=first_in_store or i > 0) for i, life in enumerate(lives)]
    return ", " + ", then ".join(texts) if texts else ""


def _schedule_text(rule: Mapping[str, Any]) -> str:
    intervals = [parse_repeating_interval(t) for t in rule.get("repeating_time_intervals") or [] if isinstance(t, str)]
    periods = [i.period for i in intervals if i is not None]
    if not periods:
        return "scheduled backup"
    period = periods[0]
    if period.text.startswith("PT") and period.text.endswith("H"):
        return f"every {period.text[2:-1]} h"
    if period.text == "P1D":
        return "daily"
    if period.text == "P1W":
        days = sorted({i.start.strftime("%A") for i in intervals if i is not None})
        return "weekly on " + ", ".join(days)
    return f"every {period.human()}"


def _lifecycle_text(life: Mapping[str, Any], *, in_store: bool = False) -> str:
    duration = parse_duration(str(life.get("delete_after", "")))
    kept = f"kept {duration.human() if duration else life.get('delete_after')}"
    text = f"{kept} in {life.get('source_data_store')}" if in_store else kept
    for copy in life.get("target_data_store_copy_settings") or []:
        if isinstance(copy, Mapping):
            text += f", copied to {copy.get('data_store')}"
    return text
