"""``audit``: a backup-compliance report (Markdown, JSON or HTML) from a stack export; non-zero exit at a severity."""

from __future__ import annotations

import argparse
import sys

from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

from pulumi_dataprotection.audit import (
    DEFAULT_FAIL_ON,
    DEFAULT_MIN_RETENTION_DAYS,
    FORMATS,
    RULES,
    AuditReport,
    ExportError,
    Severity,
    build_report,
    parse_export_text,
    render,
)
from pulumi_dataprotection.cli.common import EXIT_FAILED, EXIT_OK, CliError, read_input, write_output

_STYLES = {"high": "bold red", "medium": "yellow", "low": "cyan", "info": "dim"}
FAIL_ON_CHOICES = (*(s.value for s in Severity), "none")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``audit`` command."""
    parser = commands.add_parser(
        "audit",
        help="backup-compliance report from `pulumi stack export` output",
        description=(
            "Report, per vault, redundancy, soft delete, immutability, cross-region restore and encryption; per "
            "policy the schedule and retention in words; per backup instance the datasource, policy, protection "
            "state and on_delete mode; and findings with severities. Exits 1 when a finding reaches --fail-on."
        ),
    )
    parser.add_argument("export", nargs="?", help="stack export file (`pulumi stack export > FILE`), - for stdin")
    parser.add_argument("--format", choices=FORMATS, default="markdown", help="report format (default: markdown)")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    parser.add_argument(
        "--fail-on",
        choices=FAIL_ON_CHOICES,
        default=DEFAULT_FAIL_ON.value,
        help=f"exit 1 when a finding has this severity or higher; none never fails (default: {DEFAULT_FAIL_ON.value})",
    )
    parser.add_argument(
        "--min-retention-days",
        type=float,
        default=DEFAULT_MIN_RETENTION_DAYS,
        metavar="N",
        help=f"flag policies keeping no backup this long (default: {DEFAULT_MIN_RETENTION_DAYS:g})",
    )
    parser.add_argument("--list-rules", action="store_true", help="print the rule catalog with severities and exit")
    parser.set_defaults(run=run)


def rules_table() -> Table:
    """The rule catalog as a table."""
    table = Table(title="Audit rules", show_lines=False)
    for column in ("Rule", "Severity", "Applies to", "Checks"):
        table.add_column(column)
    for rule in sorted(RULES.values(), key=lambda r: (-r.severity.rank, r.code)):
        table.add_row(
            rule.code, Text(rule.severity.value, style=_STYLES[rule.severity.value]), rule.applies_to, rule.checks
        )
    return table


def _summary(report: AuditReport, err: Console) -> None:
    counts = report.counts()
    line = Text(
        f"{len(report.vaults)} vault(s), {len(report.policies)} policy(ies), {len(report.instances)} instance(s); "
        "findings: "
    )
    line += Text(", ").join(Text(f"{n} {s}", style=_STYLES[s] if n else "") for s, n in counts.items())
    err.print(line)
    for finding in report.gating():
        err.print(
            Text(f"  {finding.severity.value:<6} ", style=_STYLES[finding.severity.value])
            + Text(f"{finding.resource_kind} {finding.resource}: {finding.message} [{finding.code}]")
        )
    if report.fail_on is None:
        err.print("result: not gated (--fail-on none)")
    elif report.passed:
        err.print(Text(f"result: PASS (no finding at or above {report.fail_on.value})", style="green"))
    else:
        err.print(Text(f"result: FAIL ({len(report.gating())} at or above {report.fail_on.value})", style="bold red"))


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Build, write and summarize the report."""
    if args.list_rules:
        out.print(rules_table())
        return EXIT_OK
    if not args.export:
        raise CliError("give the stack export file (or - for stdin)", hint="pulumi stack export > stack.json")
    if args.min_retention_days < 0:
        raise CliError("--min-retention-days must not be negative")
    text, source = read_input(args.export)
    try:
        export = parse_export_text(text, source=source)
    except ExportError as exc:
        raise CliError(str(exc), hint="pass the output of `pulumi stack export`") from exc
    fail_on = None if args.fail_on == "none" else Severity(args.fail_on)
    report = build_report(export, min_retention_days=args.min_retention_days, fail_on=fail_on)
    document = render(report, args.format)
    if args.output:
        write_output(args.output, document)
        err.print(f"wrote the {args.format} report to {args.output}")
    elif args.format == "markdown" and out.is_terminal:
        out.print(Markdown(document))
    else:
        sys.stdout.write(document)
        sys.stdout.flush()
    _summary(report, err)
    return EXIT_OK if report.passed else EXIT_FAILED
