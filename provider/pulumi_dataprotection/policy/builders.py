"""Datasource-aware builders of BackupPolicy inputs: schedules, retention (default and tagged, with copies to the
vault or archive tier) turned into the typed ``datasource_types`` / ``policy_rules`` inputs of
:data:`pulumi_dataprotection.policy.schema.POLICY` (typed by :mod:`pulumi_dataprotection.policy.api`), the way Azure's
own tooling lays them out.

    aks_policy(Schedule.hourly(4), Retention("P7D"),
               tagged=[TaggedRetention("Daily", "P7D", first_of("day"), vault_copy_keep_for="P84D")])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict, cast

from pulumi_dataprotection.datasources import KINDS, TAG_PRIORITIES, DatasourceKind
from pulumi_dataprotection.schema.iso8601 import parse_repeating_interval

if TYPE_CHECKING:
    # Types only: the generated module also holds the resource class, which loads the Pulumi glue.
    from pulumi_dataprotection.policy import api

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_START = "2024-01-01"
"""A fixed first day for generated schedules, so the same builder call always gives the same policy (and hash)."""


@dataclass(frozen=True)
class Schedule:
    """When backups run: ISO-8601 repeating intervals (``R/<first run>/<period>``) and an optional time zone."""

    intervals: tuple[str, ...]
    time_zone: str | None = None

    @classmethod
    def hourly(
        cls, every_hours: int, *, start: str = f"{DEFAULT_START}T00:00:00+00:00", time_zone: str | None = None
    ) -> Schedule:
        """Every ``every_hours`` hours from ``start`` (AKS allows 4, 6, 8 or 12; disks 1, 2, 4, 6, 8 or 12)."""
        if every_hours not in (1, 2, 4, 6, 8, 12):
            raise ValueError(f"every_hours must be 1, 2, 4, 6, 8 or 12; got {every_hours}")
        return cls((f"R/{start}/PT{every_hours}H",), time_zone)

    @classmethod
    def daily(
        cls,
        at: str = "02:00",
        *,
        start_date: str = DEFAULT_START,
        utc_offset: str = "+00:00",
        time_zone: str | None = None,
    ) -> Schedule:
        """Once a day at ``at`` (HH:MM)."""
        return cls((f"R/{start_date}T{_hhmmss(at)}{utc_offset}/P1D",), time_zone)

    @classmethod
    def weekly(
        cls,
        days: Sequence[api.DayOfWeek] = ("Sunday",),
        at: str = "02:00",
        *,
        start_date: str = DEFAULT_START,
        utc_offset: str = "+00:00",
        time_zone: str | None = None,
    ) -> Schedule:
        """Once a week on each of ``days`` at ``at`` (one interval per day, first run on or after ``start_date``)."""
        first = date.fromisoformat(start_date)
        intervals = []
        for day in days:
            wanted = _weekday(day)
            when = first + timedelta(days=(wanted - first.weekday()) % 7)
            intervals.append(f"R/{when.isoformat()}T{_hhmmss(at)}{utc_offset}/P1W")
        return cls(tuple(intervals), time_zone)

    @classmethod
    def custom(cls, *intervals: str, time_zone: str | None = None) -> Schedule:
        """Explicit repeating intervals such as ``R/2024-01-01T02:00:00+00:00/PT4H``."""
        return cls(tuple(intervals), time_zone)

    @property
    def rule_name(self) -> str:
        """``BackupHourly``, ``BackupDaily`` or ``BackupWeekly``, as Azure's tooling names the rule."""
        parsed = parse_repeating_interval(self.intervals[0]) if self.intervals else None
        period = parsed.period.text if parsed else ""
        if period.startswith("PT") and period.endswith("H"):
            return "BackupHourly"
        return {"P1D": "BackupDaily", "P1W": "BackupWeekly"}.get(period, "BackupSchedule")


def _hhmmss(at: str) -> str:
    pieces = at.split(":")
    if len(pieces) not in (2, 3) or not all(p.isdigit() and len(p) == 2 for p in pieces):
        raise ValueError(f"time of day must be HH:MM or HH:MM:SS; got {at!r}")
    return at if len(pieces) == 3 else f"{at}:00"


def _weekday(day: str) -> int:
    for i, name in enumerate(WEEKDAYS):
        if name.lower() == day.strip().lower():
            return i
    raise ValueError(f"day must be one of {', '.join(WEEKDAYS)}; got {day!r}")


@dataclass(frozen=True)
class Criteria:
    """Which backups a retention tag applies to: an absolute marker (``FirstOfDay``...) or generic criteria."""

    absolute: api.AbsoluteCriteria | None = None
    days_of_week: tuple[api.DayOfWeek, ...] = ()
    weeks_of_month: tuple[api.WeekOfMonth, ...] = ()
    days_of_month: tuple[int | str, ...] = ()
    """Days 1-28, or ``"Last"``."""
    months_of_year: tuple[api.Month, ...] = ()
    schedule_times: tuple[str, ...] = ()

    def to_inputs(self) -> api.BackupCriteriaArgs:
        """The ``criteria`` item of the policy inputs."""
        out: api.BackupCriteriaArgs = {}
        if self.absolute:
            out["absolute_criteria"] = [self.absolute]
        if self.days_of_week:
            out["days_of_the_week"] = list(self.days_of_week)
        if self.weeks_of_month:
            out["weeks_of_the_month"] = list(self.weeks_of_month)
        if self.days_of_month:
            out["days_of_month"] = [_day_of_month(d) for d in self.days_of_month]
        if self.months_of_year:
            out["months_of_year"] = list(self.months_of_year)
        if self.schedule_times:
            out["schedule_times"] = list(self.schedule_times)
        return out


def _day_of_month(day: int | str) -> api.DayOfTheMonthArgs:
    if isinstance(day, int):
        return {"date": day}
    if day.lower() != "last":
        raise ValueError(f"days of the month are 1-28 or 'Last'; got {day!r}")
    return {"is_last": True}


def first_of(period: str) -> Criteria:
    """The first backup of each ``day``, ``week``, ``month`` or ``year``."""
    markers: dict[str, api.AbsoluteCriteria] = {
        "day": "FirstOfDay",
        "week": "FirstOfWeek",
        "month": "FirstOfMonth",
        "year": "FirstOfYear",
    }
    if period not in markers:
        raise ValueError(f"period must be one of {', '.join(markers)}; got {period!r}")
    return Criteria(absolute=markers[period])


@dataclass(frozen=True)
class ArchiveTier:
    """Move backups to ArchiveStore: when they expire in the vault tier (``after=None``), or ``after`` a delay."""

    keep_for: str
    after: str | None = None


@dataclass(frozen=True)
class Retention:
    """How long backups are kept in ``data_store`` (default: where the datasource's backups are written).

    ``vault_copy_keep_for`` (AKS) also copies them at once to VaultStore and keeps that copy this long;
    ``archive`` moves vault-tier backups to ArchiveStore.
    """

    keep_for: str
    data_store: api.DataStore | None = None
    archive: ArchiveTier | None = None
    vault_copy_keep_for: str | None = None


@dataclass(frozen=True)
class TaggedRetention:
    """A retention tag (``Daily``, ``Weekly``, ``Monthly``, ``Yearly``): the backups matching ``criteria`` are kept
    ``keep_for``; ``priority`` defaults to Azure's value for the tag."""

    tag: str
    keep_for: str
    criteria: Criteria = field(default_factory=lambda: first_of("week"))
    data_store: api.DataStore | None = None
    priority: int | None = None
    archive: ArchiveTier | None = None
    vault_copy_keep_for: str | None = None

    @property
    def retention(self) -> Retention:
        """The retention part of the tag."""
        return Retention(self.keep_for, self.data_store, self.archive, self.vault_copy_keep_for)


class PolicyInputs(TypedDict):
    """What the builders return: the content inputs of a BackupPolicy (``BackupPolicy(name, vault_id=..., **it)``)."""

    datasource_types: list[api.DatasourceType]
    policy_rules: list[api.PolicyRuleArgs]
    raw: NotRequired[dict[str, Any]]


def build_policy(
    datasource: str,
    *,
    schedule: Schedule | None,
    retention: Retention | None,
    tagged: Sequence[TaggedRetention] = (),
    operational_retention: Retention | None = None,
    backup_type: api.BackupType | None = None,
    datasource_type: api.DatasourceType | None = None,
    rule_name: str | None = None,
    raw: Mapping[str, Any] | None = None,
) -> PolicyInputs:
    """Policy inputs (``datasource_types``, ``policy_rules`` and ``raw``) for a datasource kind.

    ``datasource`` is a catalog key (``aks``, ``disk``, ``blob``, ``adls``, ``postgresql``, ``postgresql_flexible``,
    ``mysql_flexible``); ``datasource_type`` picks an alias Azure also accepts (``OssDB``); ``retention`` is the
    default retention of the backup rule's datastore and ``operational_retention`` the continuous operational
    retention of blobs. Everything is validated by the schema's check, which names the offending property.
    """
    kind = _kind(datasource)
    rules: list[api.PolicyRuleArgs] = []
    if schedule is not None:
        rules.append(_backup_rule(kind, schedule, tagged, backup_type, rule_name))
    if operational_retention is not None:
        name = "Default_OperationalStore" if retention is not None else "Default"
        op = Retention(
            operational_retention.keep_for,
            operational_retention.data_store or "OperationalStore",
            operational_retention.archive,
            operational_retention.vault_copy_keep_for,
        )
        rules.append(_retention_rule(kind, name, op, is_default=True))
    if retention is not None:
        rules.append(_retention_rule(kind, "Default", retention, is_default=True))
    for tag in tagged:
        rules.append(_retention_rule(kind, tag.tag, tag.retention, is_default=False))
    types = [datasource_type or cast("api.DatasourceType", kind.datasource_type)]
    inputs: PolicyInputs = {"datasource_types": types, "policy_rules": rules}
    if raw:
        inputs["raw"] = dict(raw)
    return inputs


def _kind(datasource: str) -> DatasourceKind:
    if datasource not in KINDS:
        raise ValueError(f"datasource must be one of {', '.join(KINDS)}; got {datasource!r}")
    return KINDS[datasource]


def _backup_rule(
    kind: DatasourceKind,
    schedule: Schedule,
    tagged: Sequence[TaggedRetention],
    backup_type: api.BackupType | None,
    rule_name: str | None,
) -> api.AzureBackupRuleArgs:
    tags: list[api.TaggingCriteriaArgs] = [
        {"tag_name": "Default", "tagging_priority": TAG_PRIORITIES["Default"], "is_default": True}
    ]
    for tag in tagged:
        tags.append(
            {
                "tag_name": tag.tag,
                "tagging_priority": tag.priority if tag.priority is not None else TAG_PRIORITIES.get(tag.tag, 50),
                "is_default": False,
                "criteria": [tag.criteria.to_inputs()],
            }
        )
    rule: api.AzureBackupRuleArgs = {
        "object_type": "AzureBackupRule",
        "name": rule_name or schedule.rule_name,
        "backup_type": backup_type or cast("api.BackupType", kind.backup_types[0]),
        "data_store": cast("api.DataStore", kind.backup_datastores[0]),
        "repeating_time_intervals": list(schedule.intervals),
        "tagging_criteria": tags,
    }
    if schedule.time_zone:
        rule["time_zone"] = schedule.time_zone
    return rule


def _retention_rule(
    kind: DatasourceKind, name: str, retention: Retention, *, is_default: bool
) -> api.AzureRetentionRuleArgs:
    store = retention.data_store or cast("api.DataStore", kind.backup_datastores[0])
    first: api.LifecycleArgs = {"delete_after": retention.keep_for, "source_data_store": store}
    lifecycles = [first]
    copies: list[api.CopySettingArgs] = []
    if retention.vault_copy_keep_for:
        copies.append({"copy_after": {"object_type": "ImmediateCopyOption"}, "data_store": "VaultStore"})
        lifecycles.append({"delete_after": retention.vault_copy_keep_for, "source_data_store": "VaultStore"})
    if retention.archive:
        after: api.CopyOptionArgs = (
            {"object_type": "CustomCopyOption", "duration": retention.archive.after}
            if retention.archive.after
            else {"object_type": "CopyOnExpiryOption"}
        )
        copies.append({"copy_after": after, "data_store": "ArchiveStore"})
        lifecycles.append({"delete_after": retention.archive.keep_for, "source_data_store": "ArchiveStore"})
    if copies:
        first["target_data_store_copy_settings"] = copies
    return {"object_type": "AzureRetentionRule", "name": name, "is_default": is_default, "lifecycles": lifecycles}


def aks_policy(
    schedule: Schedule | None = None,
    retention: Retention | None = None,
    *,
    tagged: Sequence[TaggedRetention] = (),
    raw: Mapping[str, Any] | None = None,
) -> PolicyInputs:
    """AKS: incremental snapshots to OperationalStore every 4/6/8/12 hours or daily (default every 4 h, 7 days)."""
    return build_policy(
        "aks", schedule=schedule or Schedule.hourly(4), retention=retention or Retention("P7D"), tagged=tagged, raw=raw
    )


def disk_policy(
    schedule: Schedule | None = None,
    retention: Retention | None = None,
    *,
    tagged: Sequence[TaggedRetention] = (),
    raw: Mapping[str, Any] | None = None,
) -> PolicyInputs:
    """Managed disks: incremental snapshots to OperationalStore (default every 4 h, kept 7 days)."""
    return build_policy(
        "disk", schedule=schedule or Schedule.hourly(4), retention=retention or Retention("P7D"), tagged=tagged, raw=raw
    )


def blob_operational_policy(keep_for: str = "P30D", *, raw: Mapping[str, Any] | None = None) -> PolicyInputs:
    """Blobs, operational tier only: continuous backup kept ``keep_for`` in the storage account."""
    return build_policy("blob", schedule=None, retention=None, operational_retention=Retention(keep_for), raw=raw)


def blob_vaulted_policy(
    schedule: Schedule | None = None,
    retention: Retention | None = None,
    *,
    tagged: Sequence[TaggedRetention] = (),
    operational_keep_for: str | None = None,
    raw: Mapping[str, Any] | None = None,
) -> PolicyInputs:
    """Blobs, vaulted tier (daily or weekly copies to VaultStore), plus the operational tier when
    ``operational_keep_for`` is given. Instances using it must list their containers."""
    return build_policy(
        "blob",
        schedule=schedule or Schedule.daily(),
        retention=retention or Retention("P30D"),
        tagged=tagged,
        operational_retention=Retention(operational_keep_for) if operational_keep_for else None,
        raw=raw,
    )


def adls_policy(
    schedule: Schedule | None = None,
    retention: Retention | None = None,
    *,
    tagged: Sequence[TaggedRetention] = (),
    raw: Mapping[str, Any] | None = None,
) -> PolicyInputs:
    """Data Lake Storage (vaulted): daily or weekly copies to VaultStore (default daily, kept 30 days)."""
    return build_policy(
        "adls", schedule=schedule or Schedule.daily(), retention=retention or Retention("P30D"), tagged=tagged, raw=raw
    )


def _weekly_database_policy(
    key: str,
    schedule: Schedule | None,
    retention: Retention | None,
    tagged: Sequence[TaggedRetention],
    raw: Mapping[str, Any] | None,
    datasource_type: api.DatasourceType | None = None,
) -> PolicyInputs:
    """The database kinds' policy: weekly full backups to VaultStore (default Sunday 02:00, kept 3 months)."""
    return build_policy(
        key,
        schedule=schedule or Schedule.weekly(),
        retention=retention or Retention("P3M"),
        tagged=tagged,
        datasource_type=datasource_type,
        raw=raw,
    )


def postgresql_policy(
    schedule: Schedule | None = None,
    retention: Retention | None = None,
    *,
    tagged: Sequence[TaggedRetention] = (),
    datasource_type: api.DatasourceType | None = None,
    raw: Mapping[str, Any] | None = None,
) -> PolicyInputs:
    """PostgreSQL single-server databases: weekly full backups to VaultStore (default Sunday 02:00, 3 months);
    ``datasource_type="OssDB"`` uses the short name Azure also accepts."""
    return _weekly_database_policy("postgresql", schedule, retention, tagged, raw, datasource_type)


def postgresql_flexible_policy(
    schedule: Schedule | None = None,
    retention: Retention | None = None,
    *,
    tagged: Sequence[TaggedRetention] = (),
    raw: Mapping[str, Any] | None = None,
) -> PolicyInputs:
    """PostgreSQL flexible servers: weekly full backups to VaultStore (default Sunday 02:00, 3 months)."""
    return _weekly_database_policy("postgresql_flexible", schedule, retention, tagged, raw)


def mysql_flexible_policy(
    schedule: Schedule | None = None,
    retention: Retention | None = None,
    *,
    tagged: Sequence[TaggedRetention] = (),
    raw: Mapping[str, Any] | None = None,
) -> PolicyInputs:
    """MySQL flexible servers: weekly full backups to VaultStore (default Sunday 02:00, 3 months)."""
    return _weekly_database_policy("mysql_flexible", schedule, retention, tagged, raw)


def cosmos_db_policy(
    full_backup_day: api.DayOfWeek = "Sunday",
    at: str = "02:00",
    retention: Retention | None = None,
    *,
    tagged: Sequence[TaggedRetention] = (),
    daily_incremental: bool = True,
    time_zone: str | None = None,
    raw: Mapping[str, Any] | None = None,
) -> PolicyInputs:
    """Cosmos DB accounts: a weekly full backup to VaultStore on ``full_backup_day`` at ``at`` (rule
    ``BackupWeekly``) and, with ``daily_incremental``, an incremental backup on each of the six other days (rule
    ``BackupWeeklyIncremental``), both kept by the ``retention`` (default 3 months) and ``tagged`` rules."""
    full = Schedule.weekly([full_backup_day], at, time_zone=time_zone)
    inputs = build_policy("cosmos_db", schedule=full, retention=retention or Retention("P3M"), tagged=tagged, raw=raw)
    if daily_incremental:
        others = [d for d in WEEKDAYS if d.lower() != full_backup_day.strip().lower()]
        incremental = Schedule.weekly(cast("list[api.DayOfWeek]", others), at, time_zone=time_zone)
        rule: api.AzureBackupRuleArgs = {
            "object_type": "AzureBackupRule",
            "name": "BackupWeeklyIncremental",
            "backup_type": "Incremental",
            "data_store": "VaultStore",
            "repeating_time_intervals": list(incremental.intervals),
            "tagging_criteria": [{"tag_name": "Default", "tagging_priority": 99, "is_default": True}],
        }
        if time_zone:
            rule["time_zone"] = time_zone
        inputs["policy_rules"].insert(1, rule)
    return inputs
