"""The ``pulumi-dataprotection`` command line (also ``python -m pulumi_dataprotection``):
audit, review, policy-template, permissions,
backup-now, protect, restore-test, import, jobs, recovery-points and deleted-vaults, with rich terminal output.

Exit codes: 0 success; 1 the check failed (audit findings at ``--fail-on``), Azure reported an error, or a backup job
failed or timed out; 2 the command line or an input file is wrong.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pulumi_dataprotection import __version__
from pulumi_dataprotection.arm import ArmError
from pulumi_dataprotection.cli import (
    audit,
    backup_now,
    deleted_vaults,
    import_estate,
    jobs,
    permissions,
    policy_template,
    protect,
    recovery_points,
    restore_drill,
    review,
)
from pulumi_dataprotection.cli.common import EXIT_FAILED, CliError, console, print_error
from pulumi_dataprotection.lookups import ResourceNotFoundError

COMMANDS = (
    audit,
    review,
    policy_template,
    permissions,
    backup_now,
    protect,
    restore_drill,
    import_estate,
    jobs,
    recovery_points,
    deleted_vaults,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command."""
    parser = argparse.ArgumentParser(
        prog="pulumi-dataprotection",
        description="Azure Data Protection tools: compliance audit of stack exports, recommended policies, "
        "permission plans, on-demand backups, suspending, stopping and resuming protection, restore drills, import "
        "of an existing estate as a program, and listings "
        "of backup jobs, recovery points and deleted vaults.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; returns the exit code (usage errors and --help included, never raises SystemExit)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    out, err = console(sys.stdout), console(sys.stderr)
    try:
        code: int = args.run(args, out, err)
        return code
    except CliError as exc:
        print_error(err, exc.message, exc.hint)
        return exc.exit_code
    except ArmError as exc:
        print_error(err, str(exc))
        return EXIT_FAILED
    except ResourceNotFoundError as exc:
        print_error(err, str(exc), hint="check the id and that you are signed in to the right tenant")
        return EXIT_FAILED
    except KeyboardInterrupt:
        print_error(err, "interrupted")
        return 130
