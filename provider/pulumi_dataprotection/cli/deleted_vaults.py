"""``deleted-vaults``: list the soft-deleted backup vaults of a subscription in a region, or show one (its id is the
``x-ms-deleted-vault-id`` that undeletes it: see the BackupVault's ``undelete_from`` input)."""

from __future__ import annotations

import argparse
import json

from rich.console import Console

from pulumi_dataprotection.arm.paths import deleted_vaults_path
from pulumi_dataprotection.cli.common import EXIT_OK, CliError
from pulumi_dataprotection.cli.tables import (
    Column,
    add_output_options,
    add_target_options,
    emit,
    show,
    subscription_of,
    target_context,
)
from pulumi_dataprotection.lookups import list_deleted_vaults, read_deleted_vault

COLUMNS: tuple[Column, ...] = (
    ("name", lambda v: v.name),
    ("original_vault_id", lambda v: v.original_vault_id),
    ("deletion_time", lambda v: v.deletion_time),
    ("purge_time", lambda v: v.purge_time),
    ("id", lambda v: v.arm_id),
)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``deleted-vaults`` command (``list`` and ``show``)."""
    parser = commands.add_parser(
        "deleted-vaults",
        help="list or show soft-deleted backup vaults (what an undelete restores)",
        description="List the soft-deleted backup vaults of a subscription in a region, or show one.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the soft-deleted vaults in a region, by name")
    listing.add_argument("--location", required=True, metavar="REGION", help="the region (e.g. westeurope)")
    add_output_options(listing)
    add_target_options(listing)
    listing.set_defaults(run=run_list)
    one = actions.add_parser("show", help="one soft-deleted vault")
    one.add_argument("name", metavar="NAME", help="the deleted vault's name (or its ARM id)")
    one.add_argument("--location", metavar="REGION", help="its region (needed with a name)")
    one.add_argument("--format", choices=("text", "json"), default="text", help="text (default) or json")
    add_target_options(one)
    one.set_defaults(run=run_show)


def run_list(args: argparse.Namespace, out: Console, err: Console) -> int:
    """List the deleted vaults."""
    ctx = target_context(args, err)
    found = list_deleted_vaults(ctx, subscription_of(args), args.location)
    emit(args, out, found, COLUMNS, lambda v: v.body, title="deleted backup vaults", table_columns=len(COLUMNS) - 1)
    return EXIT_OK


def run_show(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Show one deleted vault."""
    ctx = target_context(args, err)
    if args.name.startswith("/"):
        path = args.name
    elif args.location:
        path = f"{deleted_vaults_path(subscription_of(args), args.location)}/{args.name}"
    else:
        raise CliError(f"{args.name}: which region?", hint="pass --location, or the deleted vault's ARM id")
    vault = read_deleted_vault(ctx, path)
    if args.format == "json":
        out.file.write(json.dumps(dict(vault.body), indent=2, sort_keys=True) + "\n")
        return EXIT_OK
    show(out, [(header, read(vault)) for header, read in COLUMNS])
    return EXIT_OK
