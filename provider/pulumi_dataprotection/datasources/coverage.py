"""Coverage guards computed from the declarations: every datasource kind must have a recommended policy the policy
schema accepts, role rows the permissions table resolves, a restore drill target, an example instance the instance
schema accepts, and a datasource type the emulator serves. :func:`problems` names, per kind, what is missing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from pulumi_dataprotection.datasources import KINDS
from pulumi_dataprotection.datasources.kind import EXAMPLE_GROUPS, DatasourceKind
from pulumi_dataprotection.emulator import datasources as emulated
from pulumi_dataprotection.instance.schema import INSTANCE
from pulumi_dataprotection.permissions.table import kind_entry, parse_table, table_document
from pulumi_dataprotection.policy.schema import POLICY

EXAMPLE_VAULT_ID = f"{EXAMPLE_GROUPS}/rg-backup/providers/Microsoft.DataProtection/backupVaults/vault-1"
"""The vault the example policies and instances are checked in."""

Guard = Callable[[DatasourceKind], list[str]]


def _where(kind: DatasourceKind) -> str:
    return f"pulumi_dataprotection/datasources/{kind.key}.py"


def policy_inputs(kind: DatasourceKind) -> dict[str, Any]:
    """The complete BackupPolicy inputs of the kind's recommended policy (in :data:`EXAMPLE_VAULT_ID`)."""
    if kind.default_policy is None:
        return {}
    return {"name": f"{kind.key.replace('_', '-')}-default", "vault_id": EXAMPLE_VAULT_ID, **kind.default_policy()}


def instance_inputs(kind: DatasourceKind, policy_id: str | None = None) -> dict[str, Any]:
    """The complete BackupInstance inputs of the kind's example (with the recommended policy's id)."""
    name = kind.key.replace("_", "-")
    return {
        "name": f"bi-{name}",
        "vault_id": EXAMPLE_VAULT_ID,
        "policy_id": policy_id or f"{EXAMPLE_VAULT_ID}/backupPolicies/{name}-default",
        "datasource_kind": kind.key,
        "datasource_location": "westeurope",
        **kind.example,
    }


def template_problems(kind: DatasourceKind) -> list[str]:
    """The recommended policy: declared, of the kind's datasource type, and accepted by the policy schema."""
    if kind.default_policy is None:
        return [f"{kind.key}: no recommended policy (declare default_policy in {_where(kind)})"]
    inputs = policy_inputs(kind)
    types = inputs.get("datasource_types")
    if types != [kind.datasource_type]:
        return [f"{kind.key}: the recommended policy is for {types}, not for {kind.datasource_type}"]
    failed = POLICY.check(inputs).failures
    return [f"{kind.key}: the recommended policy fails the policy schema: {f.reason}" for f in failed]


def permission_problems(kind: DatasourceKind) -> list[str]:
    """The role rows: at least one backup role, every role, identity and scope known to the permissions table."""
    if not any(row.purpose == "backup" for row in kind.roles):
        return [f"{kind.key}: no backup role rows (declare roles in {_where(kind)})"]
    document = table_document({})
    document["datasources"] = {kind.key: kind_entry(kind)}
    try:
        parse_table(document, {kind.key: kind})
    except ValueError as exc:
        return [f"{kind.key}: the role rows do not resolve: {exc}"]
    return []


def restore_problems(kind: DatasourceKind) -> list[str]:
    """The restore drill target is declared."""
    if kind.restore_target is None:
        return [f"{kind.key}: no restore drill target (declare restore_target in {_where(kind)})"]
    return []


def example_problems(kind: DatasourceKind) -> list[str]:
    """The example instance: declared and accepted by the instance schema."""
    if "datasource_id" not in kind.example:
        return [f"{kind.key}: no example datasource (declare example with a datasource_id in {_where(kind)})"]
    failed = INSTANCE.check(instance_inputs(kind)).failures
    return [f"{kind.key}: the example instance fails the instance schema: {f.reason}" for f in failed]


def emulator_problems(kind: DatasourceKind) -> list[str]:
    """The emulator serves every spelling of the kind's datasource type, for the kind's resource type."""
    out = []
    for name in kind.all_type_names:
        served = emulated.kind_of(name)
        if served is None:
            out.append(f"{kind.key}: the emulator does not serve datasource type {name} (emulator/datasources.py)")
        elif served.resource_type.lower() != kind.resource_type.lower():
            out.append(
                f"{kind.key}: the emulator takes {name} for {served.resource_type} resources, the catalog for "
                f"{kind.resource_type}"
            )
    return out


GUARDS: dict[str, Guard] = {
    "template": template_problems,
    "permissions": permission_problems,
    "restore": restore_problems,
    "example": example_problems,
    "emulator": emulator_problems,
}
"""Every guard, by what it covers."""


def problems(kinds: Mapping[str, DatasourceKind] = KINDS) -> list[str]:
    """What every kind of ``kinds`` lacks, one line per missing piece naming the kind (empty when all are covered)."""
    return [line for kind in kinds.values() for guard in GUARDS.values() for line in guard(kind)]
