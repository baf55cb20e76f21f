"""``review``: a pull-request comment (Markdown, and JSON) from `pulumi preview --json`, gated by ``--fail-on``."""

from __future__ import annotations

import argparse
import sys

from rich.console import Console
from rich.markdown import Markdown

from pulumi_dataprotection.audit import ExportError, Severity, parse_export_text
from pulumi_dataprotection.cli.common import EXIT_FAILED, EXIT_OK, CliError, read_input, write_output
from pulumi_dataprotection.review import PreviewError, build_review, parse_preview, to_json, to_markdown

FAIL_ON_CHOICES = (*(s.value for s in Severity), "none")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``review`` command."""
    parser = commands.add_parser(
        "review",
        help="pull-request comment from `pulumi preview --json` output",
        description=(
            "Per Data Protection resource of the plan: the action, why a replacement happens, every changed field "
            "old -> new, policies in words before and after, and warnings (backups that would be deleted, vault "
            "identities that change, one-way settings, changes `pulumi up` will refuse, audit findings the change "
            "introduces). Exits 1 when a warning reaches --fail-on."
        ),
    )
    parser.add_argument("preview", help="`pulumi preview --json` output file, - for stdin")
    parser.add_argument("--export", metavar="FILE", help="`pulumi stack export` of the stack before the change")
    parser.add_argument("--output", "-o", metavar="FILE", help="write the Markdown comment to FILE")
    parser.add_argument("--json", metavar="FILE", dest="json_file", help="also write the review as JSON to FILE")
    parser.add_argument(
        "--fail-on",
        choices=FAIL_ON_CHOICES,
        default=Severity.HIGH.value,
        help="exit 1 when a warning has this severity or higher; none never fails (default: high)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Build, write and gate the review."""
    text, source = read_input(args.preview)
    try:
        preview = parse_preview(text, source=source)
    except PreviewError as exc:
        raise CliError(str(exc), hint="pulumi preview --json > preview.json") from exc
    export = None
    if args.export:
        export_text, export_source = read_input(args.export)
        try:
            export = parse_export_text(export_text, source=export_source)
        except ExportError as exc:
            raise CliError(str(exc), hint="pulumi stack export > stack.json") from exc
    fail_on = None if args.fail_on == "none" else Severity(args.fail_on)
    review = build_review(preview, export, fail_on=fail_on)
    document = to_markdown(review)
    if args.json_file:
        write_output(args.json_file, to_json(review))
    if args.output:
        write_output(args.output, document)
        err.print(f"wrote the review to {args.output}")
    elif out.is_terminal:
        out.print(Markdown(document))
    else:
        sys.stdout.write(document)
        sys.stdout.flush()
    for warning in review.gating():
        err.print(f"  {warning.severity.value:<6} {warning.resource}: {warning.message} [{warning.code}]")
    return EXIT_OK if review.passed else EXIT_FAILED
