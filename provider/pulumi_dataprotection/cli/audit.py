"""``audit``: a backup-compliance report (Markdown, JSON or HTML) from a stack export; non-zero exit at a severity.

``--live`` adds what Azure reports now (protection errors, recovery point freshness against the policy's schedule,
failed jobs) and ``--evidence`` what restore drills proved (last successful restore per instance, failed drills)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime

from rich.console import Console
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

from pulumi_dataprotection.arm import get_client
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
from pulumi_dataprotection.audit.health import evidence_findings, live_findings, read_live
from pulumi_dataprotection.cli.backup_now import target_settings
from pulumi_dataprotection.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    CliError,
    add_token_options,
    read_input,
    token_option,
    write_output,
)
from pulumi_dataprotection.cli.restore_drill import parse_age
from pulumi_dataprotection.restore.client import RestoreApi, parse_time

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
    parser.add_argument(
        "--fail-on-rule",
        action="append",
        default=[],
        choices=sorted(RULES),
        metavar="RULE",
        help="also exit 1 when a finding of this rule is present, whatever its severity (repeatable), "
        "e.g. restore-untested in a scheduled restore-drill job",
    )
    parser.add_argument("--list-rules", action="store_true", help="print the rule catalog with severities and exit")
    health = parser.add_argument_group("backup health (live state and restore evidence)")
    health.add_argument(
        "--live",
        action="store_true",
        help="also read each instance from Azure: protection error, recovery point freshness, failed jobs",
    )
    health.add_argument(
        "--evidence",
        action="append",
        default=[],
        metavar="FILE",
        help="restore-test evidence (repeatable): last successful restore per instance, failed drills",
    )
    health.add_argument(
        "--max-restore-age",
        default="P30D",
        metavar="DURATION",
        help="flag instances without a successful drill this recent (default P30D)",
    )
    health.add_argument(
        "--job-lookback", default="P7D", metavar="DURATION", help="failed jobs this recent count (default P7D)"
    )
    health.add_argument("--now", metavar="ISO", help="evaluate ages as of this time (default: now)")
    health.add_argument("--endpoint", metavar="URL", help="--live: ARM endpoint (default DATAPROTECTION_ENDPOINT)")
    add_token_options(health, what="--live: static bearer token")
    health.add_argument("--ca-bundle", metavar="PATH", help="--live: CA bundle for an https endpoint")
    parser.set_defaults(run=run)


def rules_table() -> Table:
    """The rule catalog as a table."""
    table = Table(title="Audit rules", show_lines=False)
    table.add_column("Rule", no_wrap=True, min_width=max(len(code) for code in RULES))
    for column in ("Severity", "Applies to", "Checks"):
        table.add_column(column)
    for rule in sorted(RULES.values(), key=lambda r: (-r.severity.rank, r.code)):
        table.add_row(
            rule.code,
            Text(rule.severity.value, style=_STYLES[rule.severity.value]),
            rule.applies_to,
            rule.checks + (f" (control: {rule.control})" if rule.control else ""),
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


def _now(text: str | None) -> datetime:
    if not text:
        return datetime.now(UTC)
    try:
        return parse_time(text)
    except ValueError as exc:
        raise CliError(f"--now {text!r} is not an ISO-8601 date-time") from exc


def _with_health(report: AuditReport, args: argparse.Namespace, now: datetime, err: Console) -> AuditReport:
    """The report with the live-state and restore-evidence findings added."""
    if not args.live and not args.evidence:
        return report
    findings = list(report.findings)
    if args.live:
        settings = target_settings(
            endpoint=args.endpoint,
            token=token_option(args, err),
            ca_bundle=args.ca_bundle,
            timeout=300.0,
            poll_interval=5.0,
            env=os.environ,
        )
        api = RestoreApi(get_client(settings))
        states = read_live(api, report.instances, since=now - parse_age(args.job_lookback))
        findings.extend(live_findings(states, now))
        err.print(f"read the live state of {len(states)} instance(s)")
    if args.evidence:
        documents = []
        for path in args.evidence:
            text, name = read_input(path)
            try:
                documents.append(json.loads(text))
            except ValueError as exc:
                raise CliError(f"{name} is not restore-test evidence (JSON): {exc}") from exc
        findings.extend(evidence_findings(report.instances, documents, now, parse_age(args.max_restore_age)))
    findings.sort(key=lambda f: -f.severity.rank)
    return report.model_copy(update={"findings": findings})


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
    now = _now(args.now)
    report = build_report(export, min_retention_days=args.min_retention_days, fail_on=fail_on, now=now)
    report = _with_health(report, args, now, err)
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
    by_rule = [f for f in report.findings if f.code in args.fail_on_rule]
    for finding in by_rule:
        if finding not in report.gating():
            err.print(
                Text(f"  {finding.severity.value:<6} ", style=_STYLES[finding.severity.value])
                + Text(f"{finding.resource_kind} {finding.resource}: {finding.message} [{finding.code}]")
            )
    if by_rule:
        err.print(Text(f"result: FAIL ({len(by_rule)} finding(s) of --fail-on-rule)", style="bold red"))
    return EXIT_OK if report.passed and not by_rule else EXIT_FAILED
