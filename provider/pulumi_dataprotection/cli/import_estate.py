"""``import``: read an existing backup estate (vaults, their policies and backup instances) through the ARM client and
write a Pulumi Python program that adopts it, plus the stack config, and report what needs attention.

Every resource in the program is marked ``adopt_existing=True`` with an explicit ``on_delete`` (``--on-delete``,
default Retain), so the first ``pulumi up`` writes nothing while the program matches Azure and ``pulumi destroy``
does what the program says. Soft-deleted instances are reported, not adopted (a create of the same name would
undelete them).
"""

from __future__ import annotations

import argparse
import keyword
import pprint
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from rich.console import Console

from pulumi_dataprotection import config as config_module
from pulumi_dataprotection.cli.common import EXIT_OK, CliError
from pulumi_dataprotection.instance.resource import InstanceProvider
from pulumi_dataprotection.lookups import (
    DeletedInstance,
    InstanceInfo,
    PolicyInfo,
    VaultInfo,
    context,
    list_deleted_instances,
    list_instances,
    list_policies,
    list_vaults,
    read_vault,
)
from pulumi_dataprotection.policy.resource import PolicyProvider
from pulumi_dataprotection.policy.reverse import builder_call
from pulumi_dataprotection.vault.resource import VaultProvider

ON_DELETE = ("Retain", "Delete")


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``import`` command."""
    parser = commands.add_parser(
        "import",
        help="write a Pulumi program that adopts existing vaults, policies and backup instances",
        description=(
            "Read vaults (by id, or every vault of a resource group or subscription) with their policies and "
            "backup instances, and write a Pulumi Python program (__main__.py) plus stack config that adopt them "
            "(adopt_existing=True, explicit on_delete). Reports soft-deleted instances, instances in protection "
            "error and policies no instance uses. Credentials and endpoint: the same DATAPROTECTION_* / AZURE_* "
            "environment variables as the provider, or the options below."
        ),
    )
    parser.add_argument("--vault-id", action="append", default=[], metavar="ID", help="a vault's ARM id (repeatable)")
    parser.add_argument("--resource-group", metavar="NAME", help="import every vault of this resource group")
    parser.add_argument("--subscription", metavar="ID", help="subscription to scan (default: the configured one)")
    parser.add_argument("--out", "-o", default=".", metavar="DIR", help="project directory to write (default: .)")
    parser.add_argument("--stack", default="dev", help="stack whose config file is written (default: dev)")
    parser.add_argument("--project", default="backup", help="project name when Pulumi.yaml is written")
    parser.add_argument(
        "--on-delete", choices=ON_DELETE, default="Retain", help="what destroy does to the adopted resources"
    )
    parser.add_argument("--endpoint", help="ARM endpoint (e.g. the emulator's URL; default: Azure's)")
    parser.add_argument("--token", help="static bearer token (the emulator's); never written to the files")
    parser.add_argument("--force", action="store_true", help="overwrite an existing __main__.py")
    parser.set_defaults(run=run)


@dataclass
class VaultEstate:
    """One vault and what it holds."""

    vault: VaultInfo
    policies: list[PolicyInfo]
    instances: list[InstanceInfo]
    deleted: list[DeletedInstance]


@dataclass
class Report:
    """What the import found that needs attention."""

    soft_deleted: list[str] = field(default_factory=list)
    protection_errors: list[str] = field(default_factory=list)
    unused_policies: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report as short lines (nothing when all is well)."""
        out = []
        for title, items in (
            ("soft-deleted instances (not in the program; a create of the same name undeletes one)", self.soft_deleted),
            ("instances in protection error", self.protection_errors),
            ("policies no instance uses", self.unused_policies),
            ("written commented out: values the provider's checks refuse (fix them to adopt)", self.refused),
        ):
            if items:
                out.append(f"{title}:")
                out.extend(f"  - {item}" for item in items)
        return out


def read_estate(vault_ids: Sequence[str]) -> list[VaultEstate]:
    """Read the vaults and their contents."""
    ctx = context()
    out = []
    for vid in vault_ids:
        vault = read_vault(ctx, vid)
        out.append(
            VaultEstate(
                vault,
                list_policies(ctx, vault.arm_id),
                list_instances(ctx, vault.arm_id),
                list_deleted_instances(ctx, vault.arm_id),
            )
        )
    return out


def report_of(estates: Sequence[VaultEstate]) -> Report:
    """Soft-deleted instances, instances in protection error and unused policies."""
    report = Report()
    for estate in estates:
        where = estate.vault.name
        for d in estate.deleted:
            report.soft_deleted.append(
                f"{where}/{d.name} ({d.datasource_id}; deleted {d.deletion_time}, purged after {d.purge_time})"
            )
        for i in estate.instances:
            if i.protection_state == "ProtectionError":
                error = i.protection_error or {}
                report.protection_errors.append(f"{where}/{i.name}: {error.get('code')}: {error.get('message')}")
        used = {i.policy_id.lower() for i in estate.instances}
        report.unused_policies.extend(f"{where}/{p.name}" for p in estate.policies if p.arm_id.lower() not in used)
    return report


class _Names:
    """Unique Python identifiers for the program's variables."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def __call__(self, prefix: str, name: str) -> str:
        base = f"{prefix}_{re.sub(r'[^0-9a-zA-Z]+', '_', name).strip('_').lower()}".rstrip("_")
        candidate, n = base, 2
        while candidate in self.taken or keyword.iskeyword(candidate):
            candidate, n = f"{base}_{n}", n + 1
        self.taken.add(candidate)
        return candidate


def _literal(value: Any, indent: int) -> str:
    text = pprint.pformat(value, width=116 - indent, sort_dicts=False)
    return text.replace("\n", "\n" + " " * indent)


def _refusals(kind: str, inputs: Mapping[str, Any]) -> list[str]:
    """Why the provider's checks would refuse ``inputs`` of a ``kind`` resource at preview (empty when they pass)."""
    schemas = {"BackupVault": VaultProvider.schema, "BackupPolicy": PolicyProvider.schema}
    failures = schemas.get(kind, InstanceProvider.schema).check(dict(inputs)).failures
    return [f"{f.property}: {f.reason}" for f in failures]


def _guarded(lines: list[str], refusals: list[str]) -> list[str]:
    """``lines`` as they are, or commented out after the reasons the preview would refuse them for."""
    if not refusals:
        return lines
    return ["# Not adopted: the provider's checks refuse what Azure holds:", *(f"#   {r}" for r in refusals)] + [
        f"# {line}" for line in lines
    ]


def _call(
    var: str,
    cls: str,
    logical: str,
    inputs: Mapping[str, Any],
    refs: Mapping[str, str],
    on_delete: str,
    builder: str | None = None,
) -> list[str]:
    lines = [f"{var} = {cls}(", f"    {logical!r},"]
    for key, value in inputs.items():
        if builder and key in ("datasource_types", "policy_rules"):
            continue
        lines.append(f"    {key}={refs[key] if key in refs else _literal(value, 4)},")
    if builder:
        lines.append(f"    **{builder},")
    lines += ["    adopt_existing=True,", f"    on_delete={on_delete!r},", ")"]
    return lines


def render_program(estates: Sequence[VaultEstate], on_delete: str, report: Report) -> str:
    """The Pulumi program adopting ``estates``."""
    names = _Names()
    many = len(estates) > 1
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    head = [
        f'"""Adopts the backup estate of {len(estates)} vault(s) (`pulumi-dataprotection import`, {when}).',
        "",
        "Every resource is marked adopt_existing=True: the first `pulumi up` writes nothing while this program matches",
        f"Azure, and on_delete={on_delete!r} is what `pulumi destroy` does to it. Edit freely: a change is planned",
        "like any other (in place when Azure allows it).",
    ]
    if report.lines():
        head += ["", "Found by the import:", *report.lines()]
    builders: set[str] = set()
    body: list[str] = []
    for estate in estates:
        vault = estate.vault
        prefix = f"{vault.name}-" if many else ""
        vault_var = names("vault", vault.name)
        refused = _refusals("BackupVault", vault.inputs)
        report.refused.extend(f"{vault.name}: {r}" for r in refused)
        body += ["", *_guarded(_call(vault_var, "BackupVault", vault.name, vault.inputs, {}, on_delete), refused)]
        vault_ref = repr(vault.arm_id) if refused else f"{vault_var}.arm_id"
        policy_vars: dict[str, str] = {}
        for policy in estate.policies:
            var = names("policy", policy.name)
            refused = _refusals("BackupPolicy", policy.inputs)
            report.refused.extend(f"{vault.name}/{policy.name}: {r}" for r in refused)
            if not refused:
                policy_vars[policy.arm_id.lower()] = var
            call = builder_call(policy.inputs)
            if call and not refused:
                builders.update(call[1])
            logical = prefix + policy.name
            lines = _call(
                var, "BackupPolicy", logical, policy.inputs, {"vault_id": vault_ref}, on_delete, call and call[0]
            )
            body += ["", *_guarded(lines, refused)]
        instance_vars = []
        for instance in estate.instances:
            var = names("instance", instance.name)
            refused = _refusals("BackupInstance", instance.inputs)
            report.refused.extend(f"{vault.name}/{instance.name}: {r}" for r in refused)
            if not refused:
                instance_vars.append((instance.name, var))
            refs = {"vault_id": vault_ref}
            if instance.policy_id.lower() in policy_vars:
                refs["policy_id"] = f"{policy_vars[instance.policy_id.lower()]}.arm_id"
            body.append("")
            if instance.protection_state == "ProtectionError":
                error = instance.protection_error or {}
                body.append(f"# in ProtectionError: {error.get('code')}: {error.get('message')}")
            lines = _call(var, "BackupInstance", prefix + instance.name, instance.inputs, refs, on_delete)
            body += _guarded(lines, refused)
        body += ["", f"pulumi.export({vault.name + '_id' if many else 'vault_id'!r}, {vault_ref})"]
        states = ", ".join(f"{n!r}: {v}.protection_state" for n, v in instance_vars)
        body.append(f"pulumi.export({vault.name + '_instances' if many else 'instances'!r}, {{{states}}})")
    imports = ["import pulumi", "", "from pulumi_dataprotection import BackupInstance, BackupPolicy, BackupVault"]
    if builders:
        imports.append(f"from pulumi_dataprotection.policy.builders import {', '.join(sorted(builders))}")
    return "\n".join([*head, '"""', "", *imports, "", *body]) + "\n"


def stack_config(estates: Sequence[VaultEstate], endpoint: str | None) -> dict[str, Any]:
    """The non-secret stack config the program needs."""
    config: dict[str, Any] = {}
    if estates:
        config["dataprotection:subscriptionId"] = estates[0].vault.subscription_id
    if endpoint:
        config["dataprotection:endpoint"] = endpoint
    return config


def _vault_ids(args: argparse.Namespace) -> list[str]:
    if args.vault_id:
        return list(args.vault_id)
    subscription = args.subscription or config_module.current().subscription_id
    if not subscription:
        raise CliError(
            "nothing to import", hint="give --vault-id, or --resource-group/--subscription to scan for vaults"
        )
    found = list_vaults(context(), subscription, args.resource_group)
    if not found:
        raise CliError(f"no backup vault found in {args.resource_group or 'subscription ' + subscription}")
    return [v.arm_id for v in found]


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Run ``import``."""
    settings = {
        "dataprotection:endpoint": args.endpoint,
        "dataprotection:token": args.token,
        "dataprotection:subscriptionId": args.subscription,
    }
    config_module.set_stack_config({k: v for k, v in settings.items() if v})
    directory = Path(args.out)
    program = directory / "__main__.py"
    if program.exists() and not args.force:
        raise CliError(f"{program} exists", hint="choose another --out directory, or pass --force to overwrite it")
    estates = read_estate(_vault_ids(args))
    report = report_of(estates)
    directory.mkdir(parents=True, exist_ok=True)
    program.write_text(render_program(estates, args.on_delete, report), encoding="utf-8")
    project = directory / "Pulumi.yaml"
    if not project.exists():
        document = {"name": args.project, "runtime": {"name": "python"}, "description": "adopted backup estate"}
        project.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    endpoint = args.endpoint or config_module.current().endpoint
    stack_file = directory / f"Pulumi.{args.stack}.yaml"
    existing = (yaml.safe_load(stack_file.read_text(encoding="utf-8")) if stack_file.exists() else None) or {}
    existing.setdefault("config", {}).update(stack_config(estates, endpoint))
    stack_file.write_text(yaml.safe_dump(existing, sort_keys=False), encoding="utf-8")

    for estate in estates:
        out.print(
            f"vault {estate.vault.name} ({estate.vault.arm_id}): {len(estate.policies)} policies, "
            f"{len(estate.instances)} backup instances, {len(estate.deleted)} soft-deleted"
        )
    for line in report.lines():
        out.print(line)
    out.print(f"wrote {program} and {stack_file}")
    if args.token or config_module.current().token:
        out.print(f"next: pulumi config set --secret dataprotection:token <token> --stack {args.stack}")
    out.print("then: pulumi preview (each resource is an adoption; the first up writes nothing while nothing differs)")
    return EXIT_OK
