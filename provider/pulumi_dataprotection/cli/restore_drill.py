"""``restore-test``: restore drills. For a backup instance (or every instance of a stack export) pick the newest
recovery point (or a point in time), build the restore request for its datasource kind into a scratch target
(:mod:`pulumi_dataprotection.restore.drill`), validate it, trigger it, follow the Restore job, report the recovery
point's age and the restore's duration, optionally clean up, and write a JSON evidence record per drill.

A drill restores only into targets it proved absent just before the restore (recorded as ``preflight``), and
``--cleanup`` deletes only those, only after a completed job: after a failed or timed-out job it lists them.

A drill that cannot restore (no point, a point older than ``--max-age``, a target Azure refuses) reports Azure's code
and triggers nothing. Ages are measured on Azure's clock: the start time of the validation operation.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.text import Text

from pulumi_dataprotection.arm import ArmError, ResourceId, get_client
from pulumi_dataprotection.audit.export import ExportError, parse_export_text
from pulumi_dataprotection.audit.health import schedule_period
from pulumi_dataprotection.cli.backup_now import error_lines, parse_instance, target_settings
from pulumi_dataprotection.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    CliError,
    add_token_options,
    print_error,
    read_input,
    token_option,
    write_output,
)
from pulumi_dataprotection.restore.client import RestoreApi, newest, parse_time
from pulumi_dataprotection.restore.drill import DrillError, DrillOptions, DrillTarget, plan, source_of
from pulumi_dataprotection.restore.requests import Rehydration, restore_request

SCHEDULE: Literal["schedule"] = "schedule"
"""``--max-age schedule``: the limit follows the instance's policy (two periods of its schedule)."""
MaxAge = timedelta | Literal["schedule"] | None

EVIDENCE_SCHEMA = "pulumi-dataprotection/restore-drill/v1"
DEFAULT_TIMEOUT = 3600.0
DEFAULT_POLL_INTERVAL = 10.0
_SUCCEEDED = ("completed", "completedwithwarnings")
_FAILED = ("failed", "cancelled", "canceled")
_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")

JSON = dict[str, Any]


def parse_age(text: str) -> timedelta:
    """An ISO-8601 duration in days, hours, minutes and seconds (``P2D``, ``PT36H``) as a timedelta."""
    m = _DURATION.match(text.strip().upper())
    if not m or not any(m.groups()):
        raise CliError(f"--max-age {text!r} is not an ISO-8601 duration such as P1D or PT36H")
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in m.groups())
    return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)


def _seconds(duration: Any) -> float | None:
    if not isinstance(duration, str):
        return None
    m = _DURATION.match(duration)
    if not m:
        return None
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in m.groups())
    return days * 86400 + hours * 3600 + minutes * 60 + seconds


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``restore-test`` command."""
    parser = commands.add_parser(
        "restore-test",
        help="restore drills: restore the newest recovery point to a scratch target and record evidence",
        description=(
            "Restore the newest recovery point (or a point in time) of backup instances into scratch targets, "
            "follow the restore jobs and write JSON evidence. The target is --endpoint/--token (or "
            "DATAPROTECTION_ENDPOINT / DATAPROTECTION_TOKEN), otherwise Azure with DefaultAzureCredential."
        ),
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--instance", action="append", metavar="ID", help="ARM id of a backup instance (repeatable)")
    which.add_argument("--stack-export", metavar="FILE", help="every BackupInstance of a `pulumi stack export` ('-')")
    parser.add_argument("--point-in-time", metavar="ISO", help="restore this time (default: the newest point)")
    parser.add_argument(
        "--max-age",
        metavar="DURATION",
        help="fail when the point is older, e.g. P1D or PT36H; 'schedule': older than two periods of the policy's "
        "schedule (a weekly policy: 2 weeks)",
    )
    parser.add_argument(
        "--datastore",
        choices=("OperationalStore", "VaultStore", "ArchiveStore"),
        help="tier to restore from (ArchiveStore: the point is rehydrated to the vault tier first)",
    )
    parser.add_argument(
        "--rehydration-priority",
        choices=("Standard", "High"),
        default="Standard",
        help="ArchiveStore drills: Azure's rehydration priority (High is faster and costs more; default Standard)",
    )
    parser.add_argument(
        "--rehydration-duration",
        metavar="DURATION",
        default="P10D",
        help="ArchiveStore drills: how long the rehydrated copy stays in the vault tier (ISO-8601, default P10D)",
    )
    parser.add_argument(
        "--suffix", metavar="TEXT", help="scratch name suffix (default: drill-<UTC seconds>-<4 random hex digits>)"
    )
    parser.add_argument("--namespace", action="append", default=[], metavar="SRC=SCRATCH", help="AKS namespaces")
    parser.add_argument("--target-cluster", metavar="ID", help="AKS cluster to restore into (default: the source)")
    parser.add_argument("--staging-resource-group", metavar="ID", help="AKS vault tier: staging resource group")
    parser.add_argument("--staging-storage-account", metavar="ID", help="AKS vault tier: staging storage account")
    parser.add_argument(
        "--target-account",
        metavar="ID",
        help="blob/ADLS: storage account (default: the source); Cosmos DB: an empty account (default: a new one)",
    )
    parser.add_argument("--target-server", metavar="ID", help="PostgreSQL: server (default: the source server)")
    parser.add_argument("--target-database", metavar="NAME", help="PostgreSQL: scratch database name")
    parser.add_argument("--files-url", metavar="URL", help="flexible servers: container URL for restore as files")
    parser.add_argument(
        "--cleanup",
        action="store_true",
        help="delete the scratch targets the drill proved absent before restoring, once the restore completed",
    )
    parser.add_argument(
        "--cross-region",
        action="store_true",
        help="restore in the vault's paired region from the secondary copy (GeoRedundant vaults with cross region "
        "restore enabled; vault-tier backups)",
    )
    parser.add_argument("--evidence", metavar="FILE", help="write the JSON evidence records here")
    parser.add_argument("--endpoint", metavar="URL", help="ARM endpoint, e.g. the emulator's http://127.0.0.1:PORT")
    add_token_options(parser)
    parser.add_argument("--ca-bundle", metavar="PATH", help="CA certificate bundle for an https endpoint")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS", help="per drill")
    parser.add_argument("--poll-interval", type=float, default=DEFAULT_POLL_INTERVAL, metavar="SECONDS")
    parser.set_defaults(run=run)


class DrillFailed(Exception):
    """A drill ended without a completed restore: Azure's (or the drill's) code and message."""

    def __init__(self, code: str, message: str, lines: list[str] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.lines = lines or []


@dataclass
class Evidence:
    """One drill's evidence record."""

    instance: str
    started_at: str
    record: JSON = field(default_factory=dict)

    def to_json(self) -> JSON:
        """The record as written to the evidence file."""
        return {"schema": EVIDENCE_SCHEMA, "instance": self.instance, "startedAt": self.started_at, **self.record}


class DrillRun:
    """Restore drills against one ARM endpoint."""

    def __init__(
        self,
        api: RestoreApi,
        out: Console,
        err: Console,
        *,
        timeout: float,
        poll_interval: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        wall: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.api = api
        self.out = out
        self.err = err
        self.timeout = timeout
        self.poll_interval = poll_interval
        self.clock = clock
        self.sleep = sleep
        self.wall = wall

    def drill(
        self,
        instance: ResourceId,
        options: DrillOptions,
        *,
        point_in_time: datetime | None,
        max_age: MaxAge,
        cleanup: bool,
        cross_region: bool = False,
    ) -> Evidence:
        """Run one drill; the evidence says how it went (``result`` succeeded, validated or failed).

        ``cross_region`` restores in the vault's paired region from the secondary copy (crossRegionRestore)."""
        evidence = Evidence(str(instance), self.wall().strftime("%Y-%m-%dT%H:%M:%SZ"))
        self.out.print(Text(f"Restore drill of {instance.name} (vault {instance.vault.name})", style="bold"))
        try:
            self._drill(instance, options, point_in_time, max_age, cleanup, cross_region, evidence.record)
        except DrillFailed as exc:
            evidence.record.update(result="failed", error={"code": exc.code, "message": exc.message})
            print_error(self.err, f"restore drill of {instance.name} failed: {exc.code}: {exc.message}")
            for line in exc.lines:
                self.err.print(Text(f"  {line}"))
        except ArmError as exc:
            code = exc.code or type(exc).__name__
            evidence.record.update(result="failed", error={"code": code, "message": exc.message or str(exc)})
            print_error(self.err, f"restore drill of {instance.name} failed: {code}: {exc.message}")
            for action in exc.recommended_action:
                self.err.print(Text(f"  recommended action: {action}"))
        evidence.record["finishedAt"] = self.wall().strftime("%Y-%m-%dT%H:%M:%SZ")
        return evidence

    def _drill(
        self,
        instance: ResourceId,
        options: DrillOptions,
        point_in_time: datetime | None,
        max_age: MaxAge,
        cleanup: bool,
        cross_region: bool,
        record: JSON,
    ) -> None:
        body = self.api.instance(instance)
        if body is None:
            raise DrillFailed("BackupInstanceNotFound", f"backup instance {instance} does not exist")
        props = body.get("properties") or {}
        state = str(props.get("currentProtectionState") or "unknown")
        source = source_of(body)
        record.update(
            datasourceType=source.kind.datasource_type,
            datasourceId=source.datasource_id,
            protectionState=state,
        )
        self.out.print(f"Datasource       {source.kind.title} {source.datasource_id.rsplit('/', 1)[-1]} ({state})")
        if state == "ProtectionError":
            error = props.get("protectionErrorDetails") or {}
            raise DrillFailed(
                str(error.get("code") or "ProtectionError"), str(error.get("message") or "protection is in error")
            )
        regions = self._regions(instance) if cross_region else None
        if regions is not None:
            options = replace(options, restore_region=regions[1])
            record["crossRegion"] = {"sourceRegion": regions[0], "targetRegion": regions[1]}
        policy = self.api.policy(source.policy_id) if source.policy_id else None
        try:
            target = plan(source, policy, options)
        except DrillError as exc:
            raise DrillFailed("DrillNotPossible", str(exc)) from exc
        if regions is not None and (target.datastore != "VaultStore" or target.validate_only):
            raise DrillFailed(
                "CrossRegionRestoreNotSupported",
                f"cross region restore restores vault-tier backups; a {source.kind.title} drill restores from the "
                f"{target.datastore}",
            )
        rehydration = options.rehydration if target.datastore == "ArchiveStore" else None
        request = self._request(instance, target, point_in_time, regions, record, rehydration)
        record["target"] = {"destination": target.destination, "datastore": target.datastore}
        if rehydration is not None:
            record["rehydration"] = {"priority": rehydration.priority, "retentionDuration": rehydration.retention}
            self.out.print(
                f"Rehydration      {rehydration.priority} priority, the rehydrated copy kept {rehydration.retention} "
                "(the restore job waits for it)"
            )
        with self.out.status("Validating the restore...", spinner="dots"):
            if regions is None:
                validation = self.api.validate(instance, request, timeout=self.timeout)
            else:
                validation = self.api.validate_cross_region(
                    instance, request, source_region=regions[0], target_region=regions[1], timeout=self.timeout
                )
        azure_now = _operation_start(validation.operation_status) or self.wall()
        record["validated"] = True
        point_time = parse_time(record["recoveryPoint"]["time"])
        age = azure_now - point_time
        record["recoveryPointAgeSeconds"] = max(0, round(age.total_seconds()))
        self.out.print(
            f"Recovery point   {record['recoveryPoint'].get('id') or 'point in time'} from "
            f"{record['recoveryPoint']['time']} ({_human(age)} old, {target.datastore})"
        )
        limit, named = _age_limit(max_age, policy)
        if limit is not None and age > limit:
            raise DrillFailed(
                "RecoveryPointTooOld",
                f"the newest recovery point is {_human(age)} old, more than --max-age {named}",
                ["backups are not running on schedule: check the instance's protection state and backup jobs"],
            )
        if target.validate_only:
            record["result"] = "validated"
            self.out.print(
                Text("Validated only", style="bold yellow")
                + Text(": operational blob restores overwrite the source account, so drills do not run them")
            )
            return
        self._prove_absent(target, record)
        started = self.clock()
        with self.out.status("Triggering the restore...", spinner="dots"):
            if regions is None:
                job_id = self.api.trigger(instance, request, timeout=self.timeout)
            else:
                job_id = self.api.trigger_cross_region(
                    instance, request, source_region=regions[0], target_region=regions[1], timeout=self.timeout
                )
        if not job_id:
            raise DrillFailed("NoJob", "Azure accepted the restore but returned no job id")
        self.out.print(f"Restore job      {job_id.rsplit('/', 1)[-1]} -> {target.destination}")
        try:
            if regions is None:
                job = self._follow(lambda: self.api.job(instance.vault, job_id), job_id, started)
            else:
                source_region, target_region = regions
                job = self._follow(
                    lambda: self.api.cross_region_job(
                        instance, job_id, source_region=source_region, target_region=target_region
                    ),
                    job_id,
                    started,
                )
        except DrillFailed as exc:
            self._cleanup(target, cleanup, record, failed=f"the restore job did not complete ({exc.code})")
            raise
        jprops = job.get("properties") or {}
        seconds = _seconds(jprops.get("duration"))
        record["job"] = {
            "id": job_id,
            "status": jprops.get("status"),
            "startTime": jprops.get("startTime"),
            "endTime": jprops.get("endTime"),
            "duration": jprops.get("duration"),
        }
        record["restoreSeconds"] = round(seconds if seconds is not None else self.clock() - started, 3)
        status = str(jprops.get("status") or "")
        if status.lower() not in _SUCCEEDED:
            lines = error_lines(jprops.get("errorDetails")) or ["Azure returned no error details"]
            errors = jprops.get("errorDetails") or [{}]
            code = str((errors[0] if isinstance(errors, list) and errors else {}).get("code") or f"Job{status}")
            self._cleanup(target, cleanup, record, failed=f"the restore job {status} ({code})")
            raise DrillFailed(code, f"restore job {status}", lines)
        record["result"] = "succeeded"
        if rehydration is not None:
            self._rehydrated(instance, record)
        self.out.print(
            Text("Restore Completed", style="bold green")
            + Text(f" in {_human(timedelta(seconds=record['restoreSeconds']))}; point age {_human(age)}")
        )
        self._cleanup(target, cleanup, record, failed=None)

    def _rehydrated(self, instance: ResourceId, record: JSON) -> None:
        """Record the point's tiers after a restore with rehydration (its vault-tier copy and until when it is kept)."""
        point_id = record["recoveryPoint"]["id"]
        point = next((p for p in self.api.recovery_points(instance) if p.id == point_id), None)
        if point is None:
            return
        until = point.rehydrated_until.strftime("%Y-%m-%dT%H:%M:%SZ") if point.rehydrated_until else None
        record["rehydration"].update(datastoresAfter=list(point.datastores), rehydratedUntil=until)
        if until:
            self.out.print(f"Rehydrated copy  in the VaultStore until {until}")

    def _regions(self, instance: ResourceId) -> tuple[str, str]:
        """``(vault region, paired region)`` of a cross region restore."""
        vault = self.api.vault(instance.vault) or {}
        paired = (vault.get("properties") or {}).get("replicatedRegions") or []
        if not paired:
            raise DrillFailed(
                "CrossRegionRestoreNotAvailable",
                f"vault {instance.vault.name} has no paired region (it is not GeoRedundant)",
            )
        return str(vault.get("location")), str(paired[0])

    def _request(
        self,
        instance: ResourceId,
        target: DrillTarget,
        point_in_time: datetime | None,
        regions: tuple[str, str] | None,
        record: JSON,
        rehydration: Rehydration | None = None,
    ) -> JSON:
        if target.continuous:
            ranges = self.api.restorable_ranges(instance, target.datastore)
            when = point_in_time or (max(end for _, end in ranges) if ranges else None)
            if when is None or not any(low <= when <= high for low, high in ranges):
                raise DrillFailed(
                    "NoRestorableTime",
                    f"no restorable time range of the {target.datastore} covers "
                    f"{when.isoformat() if when else 'any time'}",
                )
            stamp = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            record["recoveryPoint"] = {"id": None, "time": stamp}
            return restore_request(target.target, source_datastore=target.datastore, point_in_time=stamp)
        if regions is None:
            points = self.api.recovery_points(instance)
        else:
            points = self.api.secondary_points(instance, source_region=regions[0], target_region=regions[1])
        if point_in_time is not None:
            points = [p for p in points if p.time <= point_in_time]
        point = newest(points, target.datastore)
        if point is None:
            before = f" at or before {point_in_time.isoformat()}" if point_in_time else ""
            raise DrillFailed(
                "NoRecoveryPoint", f"the instance has no recovery point in the {target.datastore}{before}"
            )
        record["recoveryPoint"] = {
            "id": point.id,
            "time": point.time.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "datastores": list(point.datastores),
            "tag": point.tag,
        }
        return restore_request(
            target.target, source_datastore=target.datastore, recovery_point_id=point.id, rehydration=rehydration
        )

    def _follow(self, read: Callable[[], JSON | None], job_id: str, started: float) -> JSON:
        short = job_id.rstrip("/").rsplit("/", 1)[-1]
        columns = (SpinnerColumn(), TextColumn("{task.description}", markup=False), TimeElapsedColumn())
        last = ""
        with Progress(*columns, console=self.out, transient=True, disable=not self.out.is_terminal) as progress:
            task = progress.add_task(f"job {short}: waiting for Azure", total=None)
            while True:
                job = read() or {}
                props = job.get("properties") or {}
                status = str(props.get("status") or "not visible yet")
                tasks = (props.get("extendedInfo") or {}).get("subTasks") or []
                detail = ", ".join(
                    f"{t.get('taskName')}: {t.get('taskStatus')}"
                    + (f" {t['taskProgress']}" if t.get("taskProgress") else "")
                    for t in tasks
                    if isinstance(t, Mapping)
                )
                line = status + (f" ({detail})" if detail else "")
                if line != last:
                    self.out.print(f"{time.strftime('%H:%M:%S')} job {short}: {line}")
                    last = line
                progress.update(task, description=f"job {short}: {line}")
                if status.lower() in _SUCCEEDED + _FAILED:
                    return job
                if self.clock() - started + self.poll_interval > self.timeout:
                    raise DrillFailed(
                        "RestoreTimedOut",
                        f"restore job {short} is still {status} after {self.timeout:g}s; it keeps running in Azure",
                        [f"check it later: GET {job_id}"],
                    )
                self.sleep(self.poll_interval)

    def _prove_absent(self, target: DrillTarget, record: JSON) -> None:
        """Every clean-up target must not exist before the restore: a drill deletes only what it created."""
        proven: list[JSON] = []
        record["preflight"] = proven
        for item in target.cleanup:
            if item.resource_id is None:
                continue
            if self.api.exists(item.resource_id, item.api_version):
                raise DrillFailed(
                    "DrillTargetExists",
                    f"the scratch target {item.resource_id} already exists; the drill restores only into targets "
                    "it creates, so it restored nothing",
                    ["pass another --suffix or target, or delete it by hand if an earlier drill left it behind"],
                )
            proven.append({"resource": item.resource_id, "absent": True})

    def _cleanup(self, target: DrillTarget, cleanup: bool, record: JSON, *, failed: str | None) -> None:
        """Delete the targets proven absent before the restore, after a completed job only; otherwise list them."""
        proven = {p["resource"] for p in record.get("preflight") or []}
        done: list[JSON] = []
        for item in target.cleanup:
            entry: JSON = {"resource": item.resource_id, "deleted": False}
            if item.manual:
                entry["manual"] = item.manual
            if item.resource_id is None or not cleanup:
                done.append(entry)
                continue
            if failed is not None or item.resource_id not in proven:
                entry["kept"] = failed or "not proven absent before the restore"
                done.append(entry)
                self.out.print(
                    Text(
                        f"Not cleaned up   {item.resource_id}: {entry['kept']}; check it and delete it by hand if "
                        "the restore created it",
                        style="yellow",
                    )
                )
                continue
            result = self.api.client.execute(
                "DELETE",
                ResourceId.parse(item.resource_id).path,
                operation="delete restored resource",
                resource=item.resource_id,
                api_version=item.api_version,
            )
            entry["deleted"] = not result.already_gone
            done.append(entry)
            self.out.print(Text(f"Cleaned up       {item.resource_id.rsplit('/', 1)[-1]}"))
        for entry in done:
            if entry.get("manual") and cleanup:
                self.out.print(Text(f"Clean up by hand: {entry['manual']}", style="yellow"))
        record["cleanup"] = done


def _operation_start(status: Mapping[str, Any] | None) -> datetime | None:
    value = (status or {}).get("startTime")
    try:
        return parse_time(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _age_limit(max_age: MaxAge, policy: Mapping[str, Any] | None) -> tuple[timedelta | None, str]:
    """The age a drill's recovery point may have and how to name it: ``--max-age schedule`` is two periods of the
    policy's schedule (the audit's ``backup-stale`` rule; no limit for a continuous-only policy)."""
    if max_age != SCHEDULE:
        return (max_age, _human(max_age)) if isinstance(max_age, timedelta) else (None, "")
    period = schedule_period(policy)
    if period is None:
        return None, ""
    return 2 * period, f"schedule (two periods of the policy's schedule of {_human(period)}: {_human(2 * period)})"


def _human(delta: timedelta) -> str:
    if delta.total_seconds() < 60:
        return f"{max(0.0, delta.total_seconds()):.1f}s"
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{days}d" if days else "", f"{hours}h" if hours else "", f"{minutes}m" if minutes else ""]
    text = "".join(parts)
    return text if text and days else text + f"{secs}s"


def default_suffix(now: datetime | None = None) -> str:
    """``drill-<UTC time to the second>-<4 random hex digits>``: two drills never share scratch names."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dt%H%M%S")
    return f"drill-{stamp}-{secrets.token_hex(2)}"


def _instances(args: argparse.Namespace) -> list[ResourceId]:
    if args.instance:
        return [parse_instance(i) for i in args.instance]
    text, name = read_input(args.stack_export)
    try:
        export = parse_export_text(text, source=name)
    except ExportError as exc:
        raise CliError(str(exc)) from exc
    ids = [r.arm_id for r in export.of_kind("instance") if r.arm_id]
    if not ids:
        raise CliError(f"{name} holds no BackupInstance with an id", hint="export a stack after `pulumi up`")
    return [parse_instance(i) for i in ids]


def _namespaces(values: list[str]) -> dict[str, str]:
    out = {}
    for value in values:
        source, sep, scratch = value.partition("=")
        if not sep or not source or not scratch:
            raise CliError(f"--namespace {value!r} is not SOURCE=SCRATCH")
        out[source] = scratch
    return out


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Run the drills; exit 1 when any failed."""
    if args.timeout <= 0 or args.poll_interval <= 0:
        raise CliError("--timeout and --poll-interval must be positive")
    instances = _instances(args)
    max_age: MaxAge = SCHEDULE if args.max_age == SCHEDULE else parse_age(args.max_age) if args.max_age else None
    point_in_time = None
    if args.point_in_time:
        try:
            point_in_time = parse_time(args.point_in_time)
        except ValueError as exc:
            raise CliError(f"--point-in-time {args.point_in_time!r} is not an ISO-8601 date-time") from exc
    retention = args.rehydration_duration.strip().upper()
    if (_seconds(retention) or 0) < 86400:
        raise CliError(
            f"--rehydration-duration {args.rehydration_duration!r}: use an ISO-8601 duration of a day or more (P10D)"
        )
    suffix = args.suffix or default_suffix()
    if not re.match(r"^[a-z0-9][a-z0-9-]{0,29}$", suffix):
        raise CliError(f"--suffix {suffix!r}: use up to 30 lower-case letters, digits and hyphens")
    options = DrillOptions(
        suffix=suffix,
        datastore=args.datastore,
        target_cluster=args.target_cluster,
        namespaces=_namespaces(args.namespace),
        staging_resource_group=args.staging_resource_group,
        staging_storage_account=args.staging_storage_account,
        target_account=args.target_account,
        target_server=args.target_server,
        target_database=args.target_database,
        files_url=args.files_url,
        rehydration=Rehydration(args.rehydration_priority, retention),
    )
    settings = target_settings(
        endpoint=args.endpoint,
        token=token_option(args, err),
        ca_bundle=args.ca_bundle,
        timeout=args.timeout,
        poll_interval=args.poll_interval,
        env=os.environ,
    )
    runner = DrillRun(
        RestoreApi(get_client(settings)), out, err, timeout=args.timeout, poll_interval=args.poll_interval
    )
    records = []
    for instance in instances:
        evidence = runner.drill(
            instance,
            options,
            point_in_time=point_in_time,
            max_age=max_age,
            cleanup=args.cleanup,
            cross_region=args.cross_region,
        )
        records.append(evidence.to_json())
    if args.evidence:
        write_output(args.evidence, json.dumps({"schema": EVIDENCE_SCHEMA, "drills": records}, indent=2) + "\n")
    failed = [r for r in records if r.get("result") == "failed"]
    out.print(f"{len(records) - len(failed)} of {len(records)} drill(s) passed")
    return EXIT_FAILED if failed else EXIT_OK
