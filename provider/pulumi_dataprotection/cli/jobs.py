"""``jobs``: list a vault's backup jobs (filtered by time, instance, status or operation) or show one, as a table,
JSON or CSV; only what Azure reports is printed (a field Azure leaves out stays empty)."""

from __future__ import annotations

import argparse
import json
from datetime import datetime

from rich.console import Console

from pulumi_dataprotection.arm import ResourceId
from pulumi_dataprotection.arm.paths import BACKUP_JOBS
from pulumi_dataprotection.cli.backup_now import error_lines
from pulumi_dataprotection.cli.common import EXIT_OK, CliError
from pulumi_dataprotection.cli.tables import (
    Column,
    add_output_options,
    add_target_options,
    emit,
    parse_since,
    parse_time,
    show,
    target_context,
)
from pulumi_dataprotection.lookups import list_jobs, read_job
from pulumi_dataprotection.records import JobInfo

COLUMNS: tuple[Column, ...] = (
    ("job", lambda j: j.name),
    ("operation", lambda j: j.operation),
    ("status", lambda j: j.status),
    ("instance", lambda j: j.backup_instance_name),
    ("start_time", lambda j: j.start_time),
    ("duration", lambda j: j.duration),
    ("error_codes", lambda j: j.error_codes),
    ("end_time", lambda j: j.end_time),
    ("datasource_type", lambda j: j.datasource_type),
    ("vault", lambda j: j.vault_name),
    ("id", lambda j: j.arm_id),
)
TABLE_COLUMNS = 7
"""The table shows the first columns (the CSV and JSON have them all)."""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``jobs`` command (``list`` and ``show``)."""
    parser = commands.add_parser(
        "jobs",
        help="list or show backup jobs (table, JSON or CSV)",
        description="List a vault's backup and restore jobs, or show one job, as Azure reports them.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the jobs of one or more vaults, newest first")
    listing.add_argument("--vault", action="append", required=True, metavar="ID", help="a vault's ARM id (repeatable)")
    listing.add_argument("--since", metavar="WHEN", help="jobs started since an ISO date-time or an age (24h, 7d)")
    listing.add_argument(
        "--instance", action="append", default=[], metavar="NAME", help="only jobs of this backup instance (name or id)"
    )
    listing.add_argument(
        "--status", action="append", default=[], metavar="STATUS", help="only jobs in this status (e.g. Failed)"
    )
    listing.add_argument(
        "--operation",
        action="append",
        default=[],
        metavar="OPERATION",
        help="only jobs of this operation or category (e.g. Backup, Restore)",
    )
    add_output_options(listing)
    add_target_options(listing)
    listing.set_defaults(run=run_list)
    one = actions.add_parser("show", help="one job, with Azure's error details")
    one.add_argument("job", metavar="ID", help="the job's ARM id (or its GUID with --vault)")
    one.add_argument("--vault", metavar="ID", help="the vault's ARM id when JOB is a GUID")
    one.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    add_target_options(one)
    one.set_defaults(run=run_show)


def _fold(values: list[str]) -> set[str]:
    return {v.lower() for v in values}


def select(
    jobs: list[JobInfo],
    *,
    since: datetime | None = None,
    instances: list[str] | None = None,
    statuses: list[str] | None = None,
    operations: list[str] | None = None,
) -> list[JobInfo]:
    """The jobs that pass every filter given (filters are case-insensitive; a job without a start time is kept
    only when no ``since`` is given)."""
    start = since
    wanted_instances, wanted_status, wanted_ops = _fold(instances or []), _fold(statuses or []), _fold(operations or [])
    out = []
    for job in jobs:
        if start is not None:
            started = parse_time(job.start_time)
            if started is None or started < start:
                continue
        if wanted_instances:
            names = {
                (job.backup_instance_id or "").lower(),
                (job.backup_instance_id or "").rsplit("/", 1)[-1].lower(),
                (job.backup_instance_name or "").lower(),
            }
            if not names & {w.rsplit("/", 1)[-1] for w in wanted_instances} and not names & wanted_instances:
                continue
        if wanted_status and (job.status or "").lower() not in wanted_status:
            continue
        if wanted_ops and not {(job.operation or "").lower(), (job.operation_category or "").lower()} & wanted_ops:
            continue
        out.append(job)
    return out


def run_list(args: argparse.Namespace, out: Console, err: Console) -> int:
    """List the jobs."""
    since = parse_since(args.since)  # a wrong --since is reported before any call is made
    ctx = target_context(args, err)
    jobs = [job for vault in args.vault for job in list_jobs(ctx, _vault(vault))]
    jobs.sort(key=lambda j: j.start_time or "", reverse=True)
    chosen = select(
        jobs,
        since=since,
        instances=args.instance,
        statuses=args.status,
        operations=args.operation,
    )
    emit(args, out, chosen, COLUMNS, lambda j: j.body, title="backup jobs", table_columns=TABLE_COLUMNS)
    return EXIT_OK


def _vault(value: str) -> str:
    try:
        rid = ResourceId.parse(value)
    except ValueError as exc:
        raise CliError(str(exc), hint="pass the vault's ARM id (the BackupVault's id output)") from exc
    if (rid.resource_type or "").lower() != "microsoft.dataprotection/backupvaults":
        raise CliError(
            f"{value} is not a backup vault id", hint="pass the vault's ARM id (the BackupVault's id output)"
        )
    return rid.path


def run_show(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Show one job."""
    if args.job.startswith("/"):
        job_id = args.job
    elif args.vault:
        job_id = ResourceId.parse(_vault(args.vault)).child(BACKUP_JOBS, args.job).path
    else:
        raise CliError(f"{args.job} is not a job id", hint="pass the job's ARM id, or its GUID with --vault")
    job = read_job(target_context(args, err), job_id)
    if args.format == "json":
        out.file.write(json.dumps(dict(job.body), indent=2, sort_keys=True) + "\n")
        return EXIT_OK
    rows = [(header, read(job)) for header, read in COLUMNS]
    rows[4:4] = [("instance_id", job.backup_instance_id), ("datasource", job.datasource_name)]
    rows += [("policy", job.policy_name), ("recovery_point", job.recovery_point_id)]
    errors = [f"error: {line}" for line in error_lines(job.body.get("properties", {}).get("errorDetails"))]
    show(out, rows, errors)
    return EXIT_OK
