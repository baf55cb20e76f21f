"""``permissions``: the role assignments each backup instance needs, from a stack export or one datasource, as a
table, JSON or a Pulumi Python program."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from pulumi_dataprotection.audit import REDACTED, ExportedResource, StackExport, parse_export_text
from pulumi_dataprotection.cli.common import EXIT_OK, CliError, read_input
from pulumi_dataprotection.cli.policy_template import resolve_kind
from pulumi_dataprotection.datasources import KINDS, kind_of_type
from pulumi_dataprotection.permissions import Plan, Target, plan, pulumi_program

FLAGS = {
    "vault_principal": "--vault-principal",
    "cluster_principal": "--cluster-principal",
    "extension_principal": "--extension-principal",
    "snapshot_resource_group_id": "--snapshot-resource-group",
    "key_vault_id": "--key-vault-id",
    "extension_storage_account_id": "--extension-storage-account",
    "restore_storage_account_id": "--restore-storage-account",
    "restore_resource_group_id": "--restore-resource-group",
    "encryption_key_vault_id": "--encryption-key-vault",
    "restore_target_id": "--restore-target",
    "vault_id": "--vault-id",
}
"""The flag that supplies each Target field."""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``permissions`` command."""
    parser = commands.add_parser(
        "permissions",
        help="role assignments each backup instance needs",
        description=(
            "List the role assignments (vault identity, AKS cluster identity, backup extension identity, Key Vault) "
            "and AKS trusted-access bindings each backup instance needs, with scopes spelled out. With "
            "--stack-export, every BackupInstance of the export is planned and the flags below fill in what the "
            "export does not record."
        ),
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--stack-export", metavar="FILE", help="plan each backup instance of a stack export (- = stdin)"
    )
    source.add_argument(
        "--datasource-type",
        metavar="TYPE",
        help=f"plan one datasource: its kind ({', '.join(KINDS)}) or Azure type",
    )
    parser.add_argument("--datasource-id", metavar="ID", help="ARM id of the datasource (with --datasource-type)")
    parser.add_argument("--vault-principal", metavar="PRINCIPAL", help="principal id of the vault's managed identity")
    parser.add_argument("--vault-id", metavar="ID", help="ARM id of the backup vault (AKS trusted access)")
    parser.add_argument("--snapshot-resource-group", metavar="ID", help="resource group id of snapshots (AKS, disk)")
    parser.add_argument("--key-vault-id", metavar="ID", help="ARM id of the Key Vault with the database secret")
    parser.add_argument("--cluster-principal", metavar="PRINCIPAL", help="principal id of the AKS cluster identity")
    parser.add_argument("--extension-principal", metavar="PRINCIPAL", help="principal id of the AKS backup extension")
    parser.add_argument(
        "--extension-storage-account", metavar="ID", help="ARM id of the storage account the AKS backup extension uses"
    )
    parser.add_argument("--include-restore", action="store_true", help="also list the assignments restores need")
    parser.add_argument("--restore-storage-account", metavar="ID", help="ARM id of the restore target storage account")
    parser.add_argument(
        "--restore-resource-group", metavar="ID", help="resource group id restored disks are created in"
    )
    parser.add_argument(
        "--encryption-key-vault",
        metavar="ID",
        help="ARM id of the Key Vault holding the vault's customer-managed key (plans its role)",
    )
    parser.add_argument(
        "--restore-target", metavar="ID", help="ARM id of the resource a restore writes into (Cosmos DB: empty account)"
    )
    parser.add_argument(
        "--format", choices=("table", "json", "pulumi"), default="table", help="output format (default: table)"
    )
    parser.set_defaults(run=run)


def _flag_values(args: argparse.Namespace) -> dict[str, str | None]:
    return {
        "vault_principal": args.vault_principal,
        "vault_id": args.vault_id,
        "cluster_principal": args.cluster_principal,
        "extension_principal": args.extension_principal,
        "snapshot_resource_group_id": args.snapshot_resource_group,
        "key_vault_id": args.key_vault_id,
        "extension_storage_account_id": args.extension_storage_account,
        "restore_storage_account_id": args.restore_storage_account,
        "restore_resource_group_id": args.restore_resource_group,
        "encryption_key_vault_id": args.encryption_key_vault,
        "restore_target_id": args.restore_target,
    }


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value and value != REDACTED else None


def _vault_principal(vault: ExportedResource | None, identity_id: str | None) -> str | None:
    if vault is None:
        return None
    if identity_id:
        identities = vault.get("user_assigned_identities")
        if isinstance(identities, Mapping):
            for key, value in identities.items():
                if str(key).lower() == identity_id.lower() and isinstance(value, Mapping):
                    return _text(value.get("principalId") or value.get("principal_id"))
        return None
    return _text(vault.get("principal_id"))


def targets_from_export(export: StackExport, flags: Mapping[str, str | None], err: Console) -> list[Target]:
    """One target per backup instance of the export; flags fill values the export lacks."""
    vaults = {str(v.arm_id).lower(): v for v in export.of_kind("vault") if v.arm_id}
    targets = []
    for instance in export.of_kind("instance"):
        kind_key = _text(instance.get("datasource_kind"))
        type_name = _text(instance.get("datasource_type"))
        kind = KINDS.get(kind_key or "") or (kind_of_type(type_name) if type_name else None)
        datasource_id = _text(instance.get("datasource_id"))
        if kind is None or datasource_id is None:
            err.print(f"skipped backup instance {instance.name}: the export does not record its datasource")
            continue
        vault_id = _text(instance.get("vault_id"))
        vault = vaults.get(vault_id.lower()) if vault_id else None
        principal = _vault_principal(vault, _text(instance.get("user_assigned_identity_id")))
        known = {
            "vault_principal": principal,
            "vault_id": vault_id,
            "snapshot_resource_group_id": _text(instance.get("snapshot_resource_group_id")),
        }
        values = {name: known.get(name) or flags.get(name) for name in FLAGS}
        targets.append(
            Target(
                label=_text(instance.get("name")) or instance.name,
                kind=kind.key,
                datasource_id=datasource_id,
                key_vault_hint=_text(instance.get("secret_store_uri")),
                encryption_key_hint=_text(vault.get("encryption_key_uri")) if vault is not None else None,
                **values,
            )
        )
    return targets


def _targets(args: argparse.Namespace, err: Console) -> list[Target]:
    flags = _flag_values(args)
    try:
        if args.stack_export:
            text, source = read_input(args.stack_export)
            return targets_from_export(parse_export_text(text, source=source), flags, err)
        missing = [
            flag
            for flag, value in (("--datasource-id", args.datasource_id), ("--vault-principal", args.vault_principal))
            if not value
        ]
        if missing:
            raise CliError(f"--datasource-type needs {' and '.join(missing)}")
        kind = resolve_kind(args.datasource_type)
        label = args.datasource_id.rstrip("/").rsplit("/", 1)[-1]
        return [Target(label=label, kind=kind.key, datasource_id=args.datasource_id, **flags)]
    except ValueError as exc:
        raise CliError(str(exc)) from exc


def _needed(field: str) -> Text:
    return Text(f"needs {FLAGS.get(field, field)}", style="yellow")


def _table(result: Plan) -> Table:
    table = Table(title="Role assignments", show_lines=True)
    table.add_column("Instance", overflow="fold")
    table.add_column("Identity")
    table.add_column("Principal", overflow="fold")
    table.add_column("Role", max_width=32)
    table.add_column("Scope", overflow="fold", ratio=1, min_width=40)
    table.add_column("Why", max_width=36)
    for a in result.assignments:
        principal_field = f"{a.identity}_principal"
        scope_field = next((f for f in a.missing if f != principal_field), None)
        role = Text(a.role) + (Text(" (restore)", style="magenta") if a.purpose == "restore" else Text(""))
        table.add_row(
            a.target,
            a.identity,
            Text(a.principal_id) if a.principal_id else _needed(principal_field),
            role,
            Text(a.scope) if a.scope else _needed(scope_field or a.scope_kind) + Text(f" ({a.scope_description})"),
            a.reason,
        )
    return table


def _print_table(result: Plan, out: Console) -> None:
    out.print(_table(result))
    for binding in result.trusted_access:
        vault = binding.vault_id or "the backup vault (needs --vault-id)"
        out.print(
            f"{binding.target}: trusted access on cluster {binding.cluster_id} for {vault} "
            f"with role(s) {', '.join(binding.roles)}"
        )
    if result.missing:
        out.print(Text("Still needed:", style="bold yellow"))
        for label, field in result.missing:
            out.print(f"  {label}: {FLAGS.get(field, field)}")


def _json(result: Plan) -> str:
    data = result.to_dict()
    for item in data["missing"]:
        item["flag"] = FLAGS.get(item["input"], item["input"])
    return json.dumps(data, indent=2) + "\n"


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Plan and print."""
    targets = _targets(args, err)
    if not targets:
        err.print("no backup instance to plan")
        return EXIT_OK
    result = plan(targets, include_restore=args.include_restore)
    if args.format == "table":
        _print_table(result, out)
        return EXIT_OK
    text = _json(result) if args.format == "json" else pulumi_program(result)
    if out.is_terminal:
        out.print(Syntax(text, "json" if args.format == "json" else "python", background_color="default"))
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    if result.missing:
        err.print(
            f"{len(result.missing)} value(s) still needed: "
            + ", ".join(f"{label} {FLAGS.get(field, field)}" for label, field in result.missing)
        )
    return EXIT_OK
