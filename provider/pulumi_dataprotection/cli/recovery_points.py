"""``recovery-points``: list a backup instance's recovery points (a time window is sent to Azure as its
``$filter=startDate eq '...' and endDate eq '...'``; the data store is filtered here) or show one, as a table, JSON or
CSV; ``rehydrate`` brings an archived point back to the vault tier (Azure's ``rehydrate``)."""

from __future__ import annotations

import argparse
import json
import re

from rich.console import Console

from pulumi_dataprotection.arm import ResourceId
from pulumi_dataprotection.cli.backup_now import parse_instance
from pulumi_dataprotection.cli.common import EXIT_OK, CliError
from pulumi_dataprotection.cli.tables import (
    Column,
    add_output_options,
    add_target_options,
    emit,
    iso,
    parse_since,
    show,
    target_context,
)
from pulumi_dataprotection.lookups import list_recovery_points, read_recovery_point
from pulumi_dataprotection.restore.requests import Rehydration

COLUMNS: tuple[Column, ...] = (
    ("recovery_point", lambda p: p.name),
    ("time", lambda p: p.time),
    ("type", lambda p: p.recovery_point_type),
    ("datastores", lambda p: p.datastores),
    ("retention_tag", lambda p: p.retention_tag),
    ("expiry_time", lambda p: p.expiry_time),
    ("policy", lambda p: p.policy_name),
    ("id", lambda p: p.arm_id),
)
DATASTORES = ("OperationalStore", "VaultStore", "ArchiveStore")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``recovery-points`` command (``list``, ``show`` and ``rehydrate``)."""
    parser = commands.add_parser(
        "recovery-points",
        help="list or show the recovery points of a backup instance (table, JSON or CSV)",
        description="List a backup instance's recovery points, or show one, as Azure reports them.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the recovery points of a backup instance, newest first")
    listing.add_argument("--instance", required=True, metavar="ID", help="the backup instance's ARM id")
    listing.add_argument("--since", metavar="WHEN", help="points taken since an ISO date-time or an age (24h, 7d)")
    listing.add_argument("--until", metavar="WHEN", help="points taken up to an ISO date-time (or an age ago)")
    listing.add_argument("--datastore", choices=DATASTORES, help="only points with a copy in this data store")
    add_output_options(listing)
    add_target_options(listing)
    listing.set_defaults(run=run_list)
    one = actions.add_parser("show", help="one recovery point")
    one.add_argument("point", metavar="ID", help="the recovery point's ARM id (or its name with --instance)")
    one.add_argument("--instance", metavar="ID", help="the backup instance's ARM id when POINT is a name")
    one.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    add_target_options(one)
    one.set_defaults(run=run_show)
    hydrate = actions.add_parser(
        "rehydrate", help="copy an archived recovery point back to the vault tier for a while (to restore it)"
    )
    hydrate.add_argument("point", metavar="ID", help="the recovery point's ARM id (or its name with --instance)")
    hydrate.add_argument("--instance", metavar="ID", help="the backup instance's ARM id when POINT is a name")
    hydrate.add_argument(
        "--priority", choices=("Standard", "High"), default="Standard", help="Standard (default) or High (faster)"
    )
    hydrate.add_argument(
        "--duration", metavar="DURATION", default="P10D", help="how long the vault-tier copy is kept (default P10D)"
    )
    add_target_options(hydrate)
    hydrate.set_defaults(run=run_rehydrate)


def _point_id(args: argparse.Namespace) -> str:
    if args.point.startswith("/"):
        return ResourceId.parse(args.point).path
    if args.instance:
        return parse_instance(args.instance).child("recoveryPoints", args.point).path
    raise CliError(f"{args.point} is not a recovery point id", hint="pass its ARM id, or its name with --instance")


def run_rehydrate(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Ask Azure to rehydrate an archived point, then show its copies (the vault-tier one is being made)."""
    if not re.match(r"^P(?=\d)(\d+[YMWD])+$", args.duration.strip().upper()):
        raise CliError(f"--duration {args.duration!r} is not a duration in days such as P10D")
    point_id = _point_id(args)
    instance, _, name = point_id.rpartition("/recoveryPoints/")
    rehydration = Rehydration(args.priority, args.duration.strip().upper())
    ctx = target_context(args, err)
    ctx.client.execute(
        "POST",
        f"{instance}/rehydrate",
        {"recoveryPointId": name, **rehydration.to_rest()},
        operation="rehydrate recovery point",
        resource=point_id,
    )
    out.print(f"Rehydration of {name} accepted ({rehydration.priority} priority, kept {rehydration.retention})")
    point = read_recovery_point(ctx, point_id)
    details = point.body.get("properties", {}).get("recoveryPointDataStoresDetails") or []
    for detail in details:
        status = detail.get("rehydrationStatus")
        until = f" until {detail['rehydrationExpiryTime']}" if detail.get("rehydrationExpiryTime") else ""
        out.print(f"  {detail.get('type')}" + (f": rehydration {status}{until}" if status else ""))
    return EXIT_OK


def run_list(args: argparse.Namespace, out: Console, err: Console) -> int:
    """List the recovery points."""
    instance = parse_instance(args.instance)
    start, end = parse_since(args.since), parse_since(args.until)
    ctx = target_context(args, err)
    points = list_recovery_points(
        ctx, instance.path, start=iso(start) if start else None, end=iso(end) if end else None
    )
    if args.datastore:
        points = [p for p in points if args.datastore in p.datastores]
    emit(args, out, points, COLUMNS, lambda p: p.body, title="recovery points", table_columns=len(COLUMNS) - 2)
    return EXIT_OK


def run_show(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Show one recovery point."""
    point = read_recovery_point(target_context(args, err), _point_id(args))
    if args.format == "json":
        out.file.write(json.dumps(dict(point.body), indent=2, sort_keys=True) + "\n")
        return EXIT_OK
    show(out, [(header, read(point)) for header, read in COLUMNS])
    return EXIT_OK
