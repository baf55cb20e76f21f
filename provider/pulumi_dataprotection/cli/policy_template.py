"""``policy-template``: the recommended default policy of a datasource kind, as Python (builders) or REST JSON."""

from __future__ import annotations

import argparse
import ast
import inspect
import json
import sys
import textwrap
from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.syntax import Syntax

from pulumi_dataprotection.cli.common import EXIT_OK, CliError
from pulumi_dataprotection.datasources import KINDS, DatasourceKind, kind_of_type
from pulumi_dataprotection.policy.builders import PolicyInputs
from pulumi_dataprotection.policy.schema import POLICY, summarize

_INPUTS_NOTE = "``POLICY_INPUTS`` holds the ``datasource_types`` and ``policy_rules`` inputs of a BackupPolicy."
EXAMPLE_VAULT_ID = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-backup/providers/"
    "Microsoft.DataProtection/backupVaults/backup-vault"
)
"""A placeholder vault for validation: the vault and policy name are URL parts, not part of the body."""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``policy-template`` command."""
    parser = commands.add_parser(
        "policy-template",
        help="the recommended default backup policy of a datasource kind",
        description=(
            "Print the recommended default policy for a datasource kind, as Python using "
            "pulumi_dataprotection.policy.builders "
            "or as the REST body (BaseBackupPolicyResource) those builders produce."
        ),
    )
    parser.add_argument(
        "--datasource",
        required=True,
        metavar="KIND",
        help=f"datasource kind ({', '.join(KINDS)}) or its Azure type (e.g. Microsoft.Compute/disks)",
    )
    parser.add_argument("--format", choices=("python", "json"), default="python", help="output (default: python)")
    parser.set_defaults(run=run)


def resolve_kind(value: str) -> DatasourceKind:
    """The catalog kind for a key (``aks``) or an Azure datasource type (any casing, aliases)."""
    kind = KINDS.get(value.strip().lower()) or kind_of_type(value)
    if kind is None:
        raise CliError(
            f"unknown datasource {value!r}",
            hint=f"use one of {', '.join(KINDS)} or an Azure datasource type such as {KINDS['disk'].datasource_type}",
        )
    return kind


def template_source(kind: DatasourceKind) -> str:
    """The kind's default policy as a Python module: its docstring, the builders import and ``POLICY_INPUTS = ``
    the builder call (the body of the kind module's ``default_policy``, so both forms say the same thing)."""
    function = _default_policy(kind)
    text = textwrap.dedent(inspect.getsource(function))
    node = ast.parse(text).body[0]
    if not isinstance(node, ast.FunctionDef):
        raise TypeError(f"{kind.key}: default_policy is not a function")
    doc = inspect.cleandoc(ast.get_docstring(node, clean=False) or kind.title)
    parts = [f'"""{doc}\n\n{_INPUTS_NOTE}\n"""']
    for statement in node.body:
        segment = textwrap.dedent("    " + (ast.get_source_segment(text, statement, padded=True) or "").lstrip())
        if isinstance(statement, ast.Return) and statement.value is not None:
            parts.append("POLICY_INPUTS = " + segment.removeprefix("return "))
        elif isinstance(statement, ast.ImportFrom | ast.Import):
            parts.append(segment)
    return "\n\n".join(parts) + "\n"


def _default_policy(kind: DatasourceKind) -> Callable[[], PolicyInputs]:
    if kind.default_policy is None:
        raise CliError(f"{kind.title} has no recommended policy yet")
    return kind.default_policy


def template_inputs(kind: DatasourceKind) -> dict[str, Any]:
    """The policy inputs (``datasource_types``, ``policy_rules``) the kind's template builds."""
    return dict(_default_policy(kind)())


def recommended_inputs(key: str) -> dict[str, Any]:
    """The recommended policy inputs of the kind with catalog key ``key``."""
    return template_inputs(KINDS[key])


def template_body(kind: DatasourceKind) -> dict[str, Any]:
    """The REST request body of the kind's template (what BackupPolicy sends)."""
    return POLICY.to_rest(
        {"name": f"{kind.key.replace('_', '-')}-default", "vault_id": EXAMPLE_VAULT_ID, **template_inputs(kind)}
    )


def run(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Print the template."""
    kind = resolve_kind(args.datasource)
    if args.format == "json":
        text = json.dumps(template_body(kind), indent=2) + "\n"
        lexer = "json"
    else:
        text, lexer = template_source(kind), "python"
    if out.is_terminal:
        out.print(Syntax(text, lexer, background_color="default"))
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    err.print(f"{kind.title}: {summarize(template_inputs(kind))}")
    return EXIT_OK
