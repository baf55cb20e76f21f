"""What the read-only listing commands (``jobs``, ``recovery-points``, ``deleted-vaults``) share: the target options
(endpoint, token, subscription, as ``import`` takes them), ``--since`` windows, and output as a table, JSON (Azure's
bodies, for evidence) or CSV (one row per item, empty cells for fields Azure did not send)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from pulumi_dataprotection import config as config_module
from pulumi_dataprotection.cli.common import CliError, add_token_options, token_option, write_output
from pulumi_dataprotection.lookups import context

if TYPE_CHECKING:
    from pulumi_dataprotection.dynamic import Context

FORMATS = ("table", "json", "csv")
_AGO = re.compile(r"^(\d+)\s*([mhdw])$", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}

_MAX_MIN_WIDTH = 36
"""A table column is kept at least as wide as its longest cell up to this (a job's GUID), then folds."""

Column = tuple[str, Callable[[Any], Any]]
"""A header and how to read the cell from an item (None = the field is absent)."""


def add_target_options(parser: argparse.ArgumentParser) -> None:
    """``--endpoint``, ``--token-file``, ``--ca-bundle``, ``--subscription`` (else the DATAPROTECTION_* / AZURE_*
    environment, as the provider reads it)."""
    parser.add_argument("--endpoint", metavar="URL", help="ARM endpoint (e.g. the emulator's URL; default: Azure's)")
    add_token_options(parser)
    parser.add_argument("--ca-bundle", metavar="PATH", help="CA certificate bundle for an https endpoint")
    parser.add_argument("--subscription", metavar="ID", help="subscription (default: the configured one)")


def add_output_options(parser: argparse.ArgumentParser) -> None:
    """``--format`` and ``--output``."""
    parser.add_argument(
        "--format", choices=FORMATS, default="table", help="table (default), json (Azure's bodies) or csv"
    )
    parser.add_argument("--output", "-o", metavar="PATH", help="write the json or csv to this file, not stdout")


def target_context(args: argparse.Namespace, err: Console) -> Context:
    """A provider context for the command's target options."""
    settings = {
        "dataprotection:endpoint": args.endpoint,
        "dataprotection:token": token_option(args, err),
        "dataprotection:caBundle": args.ca_bundle,
        "dataprotection:subscriptionId": args.subscription,
    }
    config_module.set_stack_config({k: v for k, v in settings.items() if v})
    return context()


def subscription_of(args: argparse.Namespace) -> str:
    """``--subscription``, else the configured subscription."""
    subscription = args.subscription or config_module.current().subscription_id
    if not subscription:
        raise CliError("no subscription", hint="pass --subscription or set AZURE_SUBSCRIPTION_ID")
    return str(subscription)


def parse_since(value: str | None, *, now: datetime | None = None) -> datetime | None:
    """``--since``: an ISO date or date-time (UTC unless it says otherwise) or an age such as ``30m``, ``24h``, ``7d``,
    ``2w``."""
    if not value:
        return None
    match = _AGO.match(value.strip())
    if match:
        amount, unit = int(match.group(1)), _UNITS[match.group(2).lower()]
        return (now or datetime.now(UTC)) - timedelta(**{unit: amount})
    parsed = parse_time(value)
    if parsed is None:
        raise CliError(f"--since {value!r} is neither a date-time nor an age", hint="e.g. 2026-01-31, 24h or 7d")
    return parsed


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 date-time as Azure writes it (7 fractional digits and ``Z`` included), in UTC; None if it is not."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def iso(moment: datetime) -> str:
    """A UTC date-time as Azure's filters take it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.0000000Z")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return str(value)


def emit(
    args: argparse.Namespace,
    out: Console,
    items: Sequence[Any],
    columns: Sequence[Column],
    body: Callable[[Any], Mapping[str, Any]],
    *,
    title: str,
    table_columns: int | None = None,
) -> None:
    """Print (or write to ``--output``) the items in the chosen format; JSON holds Azure's bodies unchanged, CSV every
    column, the table the first ``table_columns`` (all by default) so that it fits a terminal."""
    if args.format == "json":
        text = json.dumps([dict(body(item)) for item in items], indent=2, sort_keys=True) + "\n"
    elif args.format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([header for header, _ in columns])
        writer.writerows([[_cell(read(item)) for _, read in columns] for item in items])
        text = buffer.getvalue()
    else:
        if args.output:
            raise CliError("--output writes json or csv", hint="add --format json or --format csv")
        if not items:
            out.print(f"no {title}")
            return
        shown = columns[:table_columns] if table_columns else columns
        table = Table(title=f"{len(items)} {title}", title_justify="left", box=box.SIMPLE_HEAD)
        rows = [[_cell(read(item)) for _, read in shown] for item in items]
        for index, (header, _) in enumerate(shown):
            longest = max([len(header), *(len(row[index]) for row in rows)])
            table.add_column(header, overflow="fold", min_width=min(longest, _MAX_MIN_WIDTH))
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))
        out.print(table)
        return
    if args.output:
        write_output(args.output, text)
        out.print(f"wrote {len(items)} {title} to {args.output}")
    else:
        out.file.write(text)


def show(out: Console, rows: Sequence[tuple[str, Any]], extra: Sequence[str] = ()) -> None:
    """One item as ``label  value`` lines, only the fields present."""
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        if value not in (None, "", (), []):
            out.print(Text(f"{label.ljust(width)}  {_cell(value)}"))
    for line in extra:
        out.print(Text(line))
