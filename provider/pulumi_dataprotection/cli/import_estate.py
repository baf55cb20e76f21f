"""``import``: read an existing backup estate (vaults, their policies and backup instances) through the ARM client and
write a Pulumi Python program that adopts it, plus the stack config, and report what needs attention.

Every resource in the program is marked ``adopt_existing=True`` with an explicit ``on_delete`` (``--on-delete``,
default Retain), so the first ``pulumi up`` writes nothing while the program matches Azure and ``pulumi destroy``
does what the program says; resource guards and guard links are always retained. Soft-deleted instances are
reported, not adopted (a create of the same name would undelete them); a vault or instance carrying another stack's
ownership tag is flagged on stderr, in the docstring and above its resource. The program is built from literals and
ast nodes (:mod:`pulumi_dataprotection.cli.program_source`): nothing read from Azure becomes code.
"""

from __future__ import annotations

import argparse
import ast
import keyword
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from rich.console import Console
from rich.text import Text

from pulumi_dataprotection import config as config_module
from pulumi_dataprotection.arm import ArmError
from pulumi_dataprotection.cli.common import EXIT_OK, CliError, add_token_options, token_option
from pulumi_dataprotection.cli.program_source import (
    Arg,
    call,
    call_statement,
    checked_call,
    comment,
    docstring,
    identifier,
    literal_node,
    one_line,
    reference,
)
from pulumi_dataprotection.dynamic.adoption import OWNER_TAG
from pulumi_dataprotection.instance.resource import InstanceProvider
from pulumi_dataprotection.lookups import (
    DeletedInstance,
    Found,
    GuardInfo,
    GuardLinkInfo,
    InstanceInfo,
    PolicyInfo,
    ResourceNotFoundError,
    VaultInfo,
    context,
    list_deleted_instances,
    list_guard_links,
    list_instances,
    list_policies,
    list_vaults,
    read_guard,
    read_vault,
)
from pulumi_dataprotection.policy.resource import PolicyProvider
from pulumi_dataprotection.policy.reverse import builder_call
from pulumi_dataprotection.vault.resource import VaultProvider

if TYPE_CHECKING:
    from pulumi_dataprotection.dynamic import SchemaProvider

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
    add_token_options(parser, what="static bearer token (the emulator's; never written to the files)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing __main__.py")
    parser.set_defaults(run=run)


@dataclass
class VaultEstate:
    """One vault and what it holds (its resource guard links and the guards they name included)."""

    vault: VaultInfo
    policies: list[PolicyInfo]
    instances: list[InstanceInfo]
    deleted: list[DeletedInstance]
    links: list[GuardLinkInfo] = field(default_factory=list)
    guards: dict[str, GuardInfo] = field(default_factory=dict)
    """The guards of ``links`` that could be read, by lower-cased id."""
    unreadable_guards: dict[str, str] = field(default_factory=dict)
    """Guards of ``links`` that could not be read (another tenant, no access): lower-cased id -> why."""


@dataclass
class Report:
    """What the import found that needs attention."""

    owned_elsewhere: list[str] = field(default_factory=list)
    soft_deleted: list[str] = field(default_factory=list)
    protection_errors: list[str] = field(default_factory=list)
    unused_policies: list[str] = field(default_factory=list)
    unreadable_guards: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    refusals: dict[str, list[str]] = field(default_factory=dict)
    """The resources written commented out: lower-cased id -> why the provider's checks refuse them."""

    def lines(self) -> list[str]:
        """The report as short single lines (nothing when all is well); Azure's text is escaped onto one line."""
        out = []
        for title, items in (
            (
                f"WARNING: managed by another Pulumi stack (they carry its {OWNER_TAG} tag); adopting them here "
                "makes two stacks manage them: import them only to move them, and remove them from the other stack "
                "(pulumi state delete) first",
                self.owned_elsewhere,
            ),
            ("soft-deleted instances (not in the program; a create of the same name undeletes one)", self.soft_deleted),
            ("instances in protection error", self.protection_errors),
            ("policies no instance uses", self.unused_policies),
            ("resource guards that could not be read (the links name them by id)", self.unreadable_guards),
            (
                "written commented out: values the provider's checks refuse (fix a vault's or an instance's values "
                "to adopt it; a policy cannot change under its name: the program says how to replace it)",
                self.refused,
            ),
        ):
            if items:
                out.append(f"{title}:")
                out.extend(f"  - {one_line(item)}" for item in items)
        return out


def read_estate(vault_ids: Sequence[str]) -> list[VaultEstate]:
    """Read the vaults and their contents."""
    ctx = context()
    out = []
    for vid in vault_ids:
        vault = read_vault(ctx, vid)
        estate = VaultEstate(
            vault,
            list_policies(ctx, vault.arm_id),
            list_instances(ctx, vault.arm_id),
            list_deleted_instances(ctx, vault.arm_id),
            list_guard_links(ctx, vault.arm_id),
        )
        for link in estate.links:
            key = link.resource_guard_id.lower()
            try:
                estate.guards[key] = read_guard(ctx, link.resource_guard_id)
            except (ArmError, ResourceNotFoundError) as exc:
                estate.unreadable_guards[key] = getattr(exc, "code", None) or str(exc)
        out.append(estate)
    return out


def report_of(estates: Sequence[VaultEstate]) -> Report:
    """Vaults and instances another stack owns, soft-deleted instances, instances in protection error, unused
    policies and guards that could not be read."""
    report = Report()
    for estate in estates:
        where = estate.vault.name
        if estate.vault.owner_mark:
            report.owned_elsewhere.append(f"vault {where} ({estate.vault.arm_id})")
        report.owned_elsewhere.extend(f"backup instance {where}/{i.name}" for i in estate.instances if i.owner_mark)
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
        report.unreadable_guards.extend(f"{guard}: {why}" for guard, why in estate.unreadable_guards.items())
        found: list[tuple[str, Found]] = [("BackupVault", estate.vault)]
        found += [("BackupPolicy", p) for p in estate.policies] + [("BackupInstance", i) for i in estate.instances]
        for kind, item in found:
            refusals = _refusals(kind, item.inputs)
            if refusals:
                report.refusals[item.arm_id.lower()] = refusals
                label = where if item is estate.vault else f"{where}/{item.name}"
                report.refused.extend(f"{label}: {r}" for r in refusals)
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
        return identifier(candidate)


def _args(inputs: Mapping[str, Any], refs: Mapping[str, ast.expr], skip: tuple[str, ...] = ()) -> list[Arg]:
    return [
        Arg(key, node=refs[key]) if key in refs else Arg(key, value) for key, value in inputs.items() if key not in skip
    ]


def _adoption(on_delete: str | None) -> list[Arg]:
    """``adopt_existing=True`` and ``on_delete`` (when the class has it), else the engine's retain_on_delete."""
    if on_delete is not None:
        return [Arg("adopt_existing", True), Arg("on_delete", on_delete)]
    options = ast.Call(
        ast.Attribute(ast.Name("pulumi", ast.Load()), "ResourceOptions", ast.Load()),
        [],
        [ast.keyword("retain_on_delete", ast.Constant(True))],
    )
    return [Arg("adopt_existing", True), Arg("opts", node=options)]


def _refusals(kind: str, inputs: Mapping[str, Any]) -> list[str]:
    """Why the provider's checks would refuse ``inputs`` of a ``kind`` resource at preview (empty when they pass)."""
    schemas = {"BackupVault": VaultProvider.schema, "BackupPolicy": PolicyProvider.schema}
    failures = schemas.get(kind, InstanceProvider.schema).check(dict(inputs)).failures
    return [f"{f.property}: {f.reason}" for f in failures]


_POLICY_ADVICE = (
    "A policy's rules cannot change under its name (Azure refuses the update), so fixing the values below would",
    "fail: the instances keep using this policy by its id, unmanaged. To manage it, declare a new BackupPolicy",
    "with another name and values the checks accept, point the instances at it, run `pulumi up`, then delete",
    "this policy in Azure (az dataprotection backup-policy delete --ids <its id>), or it stays behind.",
)
"""Written above a policy the checks refuse: what to do with it without leaving an orphan."""

REQUIREMENTS = (
    "# Install: `pulumi install`, or python -m venv venv && venv/bin/pip install -r requirements.txt\n"
    "# Install pulumi-dataprotection from where your team keeps it (a wheel, or git+https://<host>/...@<tag>).\n"
    "pulumi-dataprotection=={package}\n"
    "# The SDK of the Pulumi CLI you run (`pulumi version`): pip would otherwise pick the newest SDK.\n"
    "pulumi=={sdk}\n"
)


def _guarded(lines: list[str], refusals: list[str] | None) -> list[str]:
    """``lines`` as they are, or commented out after the reasons the preview would refuse them for."""
    if not refusals:
        return lines
    reasons = [comment(f"  {r}") for r in refusals]
    return [comment("Not adopted: the provider's checks refuse what Azure holds:"), *reasons, *map(comment, lines)]


def _has_on_delete(provider: type[SchemaProvider]) -> bool:
    return "on_delete" in provider.input_names()


def _guard_statements(
    estate: VaultEstate, vault_var: str, prefix: str, names: _Names, guard_vars: dict[str, str]
) -> list[str]:
    """The vault's resource guards (each once across vaults) and guard links, adopted and always retained."""
    from pulumi_dataprotection.guard.resource import ResourceGuardProvider
    from pulumi_dataprotection.guardlink.resource import GuardLinkProvider

    guard_retain = "Retain" if _has_on_delete(ResourceGuardProvider) else None
    link_retain = "Retain" if _has_on_delete(GuardLinkProvider) else None
    body: list[str] = []
    for link in estate.links:
        key = link.resource_guard_id.lower()
        guard = estate.guards.get(key)
        if guard is not None and key not in guard_vars:
            guard_vars[key] = names("guard", guard.name)
            body += [
                "",
                *call_statement(
                    guard_vars[key], "ResourceGuard", [guard.name], [*_args(guard.inputs, {}), *_adoption(guard_retain)]
                ),
            ]
        refs: dict[str, ast.expr] = {"vault_id": reference(vault_var, "arm_id")}
        if key in guard_vars:
            refs["resource_guard_id"] = reference(guard_vars[key], "arm_id")
        var = names("guard_link", estate.vault.name)
        body.append("")
        if key in estate.unreadable_guards:
            body.append(comment(f"resource guard not readable: {estate.unreadable_guards[key]}"))
        body += call_statement(
            var, "VaultGuardLink", [f"{prefix}{link.name}"], [*_args(link.inputs, refs), *_adoption(link_retain)]
        )
    return body


def render_program(estates: Sequence[VaultEstate], on_delete: str, report: Report) -> str:
    """The Pulumi program adopting ``estates``. It is built from literals and ast nodes
    (:mod:`pulumi_dataprotection.cli.program_source`): no name, tag, id or message read from Azure becomes code."""
    names = _Names()
    many = len(estates) > 1
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    head = [
        f"Adopts the backup estate of {len(estates)} vault(s) (`pulumi-dataprotection import`, {when}).",
        "",
        "Every resource is marked adopt_existing=True: the first `pulumi up` writes nothing while this program matches",
        f"Azure, and on_delete={on_delete!r} is what `pulumi destroy` does to it (resource guards and their links are",
        "always retained). Edit freely: a change is planned like any other (in place when Azure allows it).",
    ]
    if report.lines():
        head += ["", "Found by the import:", *report.lines()]
    builders: set[str] = set()
    classes = {"BackupInstance", "BackupPolicy", "BackupVault"}
    body: list[str] = []
    guard_vars: dict[str, str] = {}
    for estate in estates:
        vault = estate.vault
        prefix = f"{vault.name}-" if many else ""
        vault_var = names("vault", vault.name)
        refused = report.refusals.get(vault.arm_id.lower())
        vault_node = literal_node(vault.arm_id) if refused else reference(vault_var, "arm_id")
        vault_ref = {"vault_id": vault_node}
        body.append("")
        if vault.owner_mark:
            body.append(
                comment(
                    f"WARNING: vault {vault.name} carries another Pulumi stack's {OWNER_TAG} tag: "
                    "that stack manages it (see the docstring)"
                )
            )
        vault_call = call_statement(
            vault_var, "BackupVault", [vault.name], [*_args(vault.inputs, {}), *_adoption(on_delete)]
        )
        body += _guarded(vault_call, refused)
        if estate.links and not refused:
            classes.update(("ResourceGuard", "VaultGuardLink"))
            body += _guard_statements(estate, vault_var, prefix, names, guard_vars)
        policy_vars: dict[str, str] = {}
        for policy in estate.policies:
            var = names("policy", policy.name)
            refused = report.refusals.get(policy.arm_id.lower())
            if not refused:
                policy_vars[policy.arm_id.lower()] = var
            else:
                body += ["", *map(comment, _POLICY_ADVICE)]
            found = builder_call(policy.inputs)
            node = checked_call(found[0], set(found[1])) if found else None
            args = _args(policy.inputs, vault_ref, ("datasource_types", "policy_rules") if node else ())
            if node is not None and found:
                if not refused:
                    builders.update(found[1])
                args.append(Arg(None, node=node))
            lines = call_statement(var, "BackupPolicy", [prefix + policy.name], [*args, *_adoption(on_delete)])
            body += ["", *_guarded(lines, refused)]
        instance_vars = []
        for instance in estate.instances:
            var = names("instance", instance.name)
            refused = report.refusals.get(instance.arm_id.lower())
            if not refused:
                instance_vars.append((instance.name, var))
            refs = dict(vault_ref)
            if instance.policy_id.lower() in policy_vars:
                refs["policy_id"] = reference(policy_vars[instance.policy_id.lower()], "arm_id")
            body.append("")
            if instance.policy_id.lower() in report.refusals:
                body.append(comment("uses a policy this program does not manage (see that policy above): by its id"))
            if instance.owner_mark:
                body.append(comment(f"WARNING: carries another Pulumi stack's {OWNER_TAG} tag"))
            if instance.protection_state == "ProtectionError":
                error = instance.protection_error or {}
                body.append(comment(f"in ProtectionError: {error.get('code')}: {error.get('message')}"))
            lines = call_statement(
                var, "BackupInstance", [prefix + instance.name], [*_args(instance.inputs, refs), *_adoption(on_delete)]
            )
            body += _guarded(lines, refused)
        body += [
            "",
            call(
                "pulumi.export",
                literal_node(vault.name + "_id" if many else "vault_id"),
                vault_node,
            ),
        ]
        states = ast.Dict(
            [ast.Constant(n) for n, _ in instance_vars], [reference(v, "protection_state") for _, v in instance_vars]
        )
        body.append(call("pulumi.export", literal_node(vault.name + "_instances" if many else "instances"), states))
    imports = ["import pulumi", "", f"from pulumi_dataprotection import {', '.join(sorted(classes))}"]
    if builders:
        imports.append(f"from pulumi_dataprotection.policy.builders import {', '.join(sorted(builders))}")
    program = "\n".join([docstring("\n".join(head) + "\n"), "", *imports, "", *body]) + "\n"
    ast.parse(program)  # generated from nodes and literals: it always parses
    return program


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
    token = token_option(args, err)
    settings = {
        "dataprotection:endpoint": args.endpoint,
        "dataprotection:token": token,
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
        document = {
            "name": args.project,
            "runtime": {"name": "python", "options": {"virtualenv": "venv"}},
            "description": "adopted backup estate",
        }
        project.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    requirements = directory / "requirements.txt"
    if not requirements.exists():
        versions = {"package": metadata.version("pulumi-dataprotection"), "sdk": metadata.version("pulumi")}
        requirements.write_text(REQUIREMENTS.format(**versions), encoding="utf-8")
    endpoint = args.endpoint or config_module.current().endpoint
    stack_file = directory / f"Pulumi.{args.stack}.yaml"
    existing = (yaml.safe_load(stack_file.read_text(encoding="utf-8")) if stack_file.exists() else None) or {}
    existing.setdefault("config", {}).update(stack_config(estates, endpoint))
    stack_file.write_text(yaml.safe_dump(existing, sort_keys=False), encoding="utf-8")

    for estate in estates:
        guards = f", {len(estate.links)} resource guard link(s)" if estate.links else ""
        out.print(
            f"vault {estate.vault.name} ({estate.vault.arm_id}): {len(estate.policies)} policies, "
            f"{len(estate.instances)} backup instances, {len(estate.deleted)} soft-deleted{guards}"
        )
    for line in report.lines():
        out.print(line)
    for item in report.owned_elsewhere:
        err.print(
            Text("warning: ", style="bold red")
            + Text(
                f"{item} carries the {OWNER_TAG} tag of another Pulumi stack, which manages it; the program adopts "
                "it too (flagged in the program): remove it from the other stack first, or from this program"
            )
        )
    out.print(f"wrote {program}, {stack_file} and the project's {project.name} and {requirements.name}")
    out.print(f"install: cd {directory} && pulumi install (a virtualenv in ./venv with requirements.txt)")
    if token or config_module.current().token:
        out.print(f"next: pulumi config set --secret dataprotection:token <token> --stack {args.stack}")
    out.print("then: pulumi preview (each resource is an adoption; the first up writes nothing while nothing differs)")
    return EXIT_OK
