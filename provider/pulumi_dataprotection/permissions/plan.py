"""Plan the role assignments (and AKS trusted-access bindings) backup instances need, with every scope spelled out.

A :class:`Target` describes one instance: its datasource kind and id plus whatever identities and scopes are known.
:func:`plan` applies the per-datasource role table to each target; a value that is not known (the AKS cluster's
principal, the snapshot resource group, ...) leaves the assignment incomplete and is named in ``missing`` (the
:class:`Target` field to supply), never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from pulumi_dataprotection.arm.paths import ResourceId
from pulumi_dataprotection.datasources import KINDS, DatasourceKind
from pulumi_dataprotection.permissions.table import RoleRule, RoleTable, load_table
from pulumi_dataprotection.schema.types import resource_type_of

_PRINCIPAL_FIELDS = {"vault": "vault_principal", "cluster": "cluster_principal", "extension": "extension_principal"}
_SCOPE_FIELDS = {
    "snapshot_resource_group": "snapshot_resource_group_id",
    "key_vault": "key_vault_id",
    "extension_storage_account": "extension_storage_account_id",
    "restore_storage_account": "restore_storage_account_id",
    "restore_resource_group": "restore_resource_group_id",
    "encryption_key_vault": "encryption_key_vault_id",
    "restore_target": "restore_target_id",
}


@dataclass(frozen=True)
class Target:
    """One backup instance (``label`` names it in the plan) and what is known about its identities and scopes."""

    label: str
    kind: str
    datasource_id: str
    vault_id: str | None = None
    vault_principal: str | None = None
    cluster_principal: str | None = None
    extension_principal: str | None = None
    snapshot_resource_group_id: str | None = None
    key_vault_id: str | None = None
    key_vault_hint: str | None = None
    """What is known about the Key Vault when its id is not (the secret URI of the instance)."""
    extension_storage_account_id: str | None = None
    restore_storage_account_id: str | None = None
    restore_resource_group_id: str | None = None
    encryption_key_vault_id: str | None = None
    """The Key Vault of the backup vault's customer-managed key."""
    encryption_key_hint: str | None = None
    """The vault's customer-managed key URI when the Key Vault's id is not known. The customer-managed-key role is
    planned when this or ``encryption_key_vault_id`` is given."""
    restore_target_id: str | None = None
    """The resource a restore writes into (the empty Cosmos DB account)."""

    def __post_init__(self) -> None:
        kind = KINDS.get(self.kind)
        if kind is None:
            raise ValueError(f"unknown datasource kind {self.kind!r}; use one of {', '.join(KINDS)}")
        parsed = ResourceId.parse(self.datasource_id)
        actual = resource_type_of(self.datasource_id)
        accepted = {kind.id_type.lower(), kind.resource_type.lower(), kind.datasource_type.lower()}
        if actual.lower() not in accepted:
            raise ValueError(
                f"{self.label}: datasource id {self.datasource_id} is a {actual or 'malformed'} id, but a "
                f"{kind.title} is a {kind.id_type}"
            )
        if parsed.resource_group is None:
            raise ValueError(f"{self.label}: datasource id {self.datasource_id} has no resource group")
        for name in (
            "snapshot_resource_group_id",
            "key_vault_id",
            "extension_storage_account_id",
            "restore_storage_account_id",
            "restore_resource_group_id",
            "encryption_key_vault_id",
            "restore_target_id",
            "vault_id",
        ):
            value = getattr(self, name)
            if value:
                ResourceId.parse(value)

    @property
    def datasource_kind(self) -> DatasourceKind:
        """The catalog entry of the target's kind."""
        return KINDS[self.kind]


@dataclass(frozen=True)
class Assignment:
    """One role assignment: ``principal_id`` (of ``identity``) gets ``role`` on ``scope``.

    ``principal_id`` or ``scope`` is None when not known; ``missing`` then names the :class:`Target` fields to give.
    """

    target: str
    identity: str
    identity_description: str
    principal_id: str | None
    role: str
    role_guid: str
    scope_kind: str
    scope_description: str
    scope: str | None
    subscription_id: str
    purpose: str
    reason: str
    missing: tuple[str, ...]

    @property
    def role_definition_id(self) -> str:
        """The role definition id to put in the assignment (in the subscription of the scope)."""
        base = f"/subscriptions/{self.subscription_id}/providers/Microsoft.Authorization"
        return f"{base}/roleDefinitions/{self.role_guid}"

    @property
    def complete(self) -> bool:
        """True when principal and scope are both known."""
        return not self.missing

    def to_dict(self) -> dict[str, Any]:
        """JSON form (with the role definition id)."""
        out = asdict(self)
        out["missing"] = list(self.missing)
        out["role_definition_id"] = self.role_definition_id
        return out


@dataclass(frozen=True)
class TrustedAccess:
    """An AKS trusted-access role binding letting the vault reach the cluster's API server."""

    target: str
    cluster_id: str
    vault_id: str | None
    roles: tuple[str, ...]
    missing: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "target": self.target,
            "cluster_id": self.cluster_id,
            "vault_id": self.vault_id,
            "roles": list(self.roles),
            "missing": list(self.missing),
        }


@dataclass(frozen=True)
class Plan:
    """Every assignment and trusted-access binding for the targets, in table order."""

    assignments: tuple[Assignment, ...]
    trusted_access: tuple[TrustedAccess, ...]
    targets: tuple[Target, ...]

    @property
    def missing(self) -> list[tuple[str, str]]:
        """(target label, Target field) pairs that are still needed, without duplicates, in plan order."""
        seen: list[tuple[str, str]] = []
        items = [(a.target, a.missing) for a in self.assignments] + [(t.target, t.missing) for t in self.trusted_access]
        for label, fields in items:
            for name in fields:
                if (label, name) not in seen:
                    seen.append((label, name))
        return seen

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {
            "assignments": [a.to_dict() for a in self.assignments],
            "trusted_access": [t.to_dict() for t in self.trusted_access],
            "missing": [{"target": label, "input": name} for label, name in self.missing],
        }


def plan(targets: Iterable[Target], *, include_restore: bool = False, table: RoleTable | None = None) -> Plan:
    """The role assignments the targets need (restore-time ones only with ``include_restore``)."""
    table = table or load_table()
    assignments: list[Assignment] = []
    bindings: list[TrustedAccess] = []
    kept = tuple(targets)
    for target in kept:
        entry = table.for_kind(target.kind)
        for rule in entry.assignments:
            if rule.purpose == "restore" and not include_restore:
                continue
            assignments.append(_assignment(table, target, rule))
        if target.encryption_key_vault_id or target.encryption_key_hint:
            for rule in table.vault:
                row = _assignment(table, target, rule)
                if not any(_same_grant(row, a) for a in assignments):
                    assignments.append(row)
        if entry.trusted_access_roles:
            bindings.append(
                TrustedAccess(
                    target.label,
                    target.datasource_id,
                    target.vault_id,
                    entry.trusted_access_roles,
                    () if target.vault_id else ("vault_id",),
                )
            )
    return Plan(tuple(assignments), tuple(bindings), kept)


def _same_grant(a: Assignment, b: Assignment) -> bool:
    """Whether two rows grant the same role to the same known principal on the same known scope."""
    return (
        a.complete
        and b.complete
        and a.role_guid == b.role_guid
        and str(a.principal_id).lower() == str(b.principal_id).lower()
        and str(a.scope).lower() == str(b.scope).lower()
    )


def _assignment(table: RoleTable, target: Target, rule: RoleRule) -> Assignment:
    principal_field = _PRINCIPAL_FIELDS[rule.identity]
    principal = getattr(target, principal_field)
    scope, scope_field = scope_of(target, rule.scope)
    missing = tuple(f for f, known in ((principal_field, principal), (scope_field, scope)) if f and not known)
    subscription = ResourceId.parse(scope or target.datasource_id).subscription_id
    return Assignment(
        target=target.label,
        identity=rule.identity,
        identity_description=table.identities[rule.identity],
        principal_id=principal,
        role=rule.role,
        role_guid=table.role_guid(rule.role),
        scope_kind=rule.scope,
        scope_description=_scope_description(table, target, rule.scope),
        scope=scope,
        subscription_id=subscription,
        purpose=rule.purpose,
        reason=rule.reason,
        missing=missing,
    )


def scope_of(target: Target, scope_kind: str) -> tuple[str | None, str | None]:
    """The ARM id a scope kind resolves to for a target (None when unknown) and the Target field that gives it."""
    if scope_kind == "datasource":
        server, _, _ = target.datasource_id.partition("/databases/")
        return (server if target.datasource_kind.needs_database else target.datasource_id), None
    if scope_kind == "datasource_container":
        return target.datasource_id.rstrip("/").rsplit("/", 2)[0], None
    if scope_kind == "datasource_resource_group":
        parsed = ResourceId.parse(target.datasource_id)
        return f"/subscriptions/{parsed.subscription_id}/resourceGroups/{parsed.resource_group}", None
    field = _SCOPE_FIELDS[scope_kind]
    return getattr(target, field), field


def _scope_description(table: RoleTable, target: Target, scope_kind: str) -> str:
    text = table.scopes[scope_kind]
    if scope_kind == "key_vault" and target.key_vault_hint and not target.key_vault_id:
        text += f" ({target.key_vault_hint})"
    if scope_kind == "encryption_key_vault" and target.encryption_key_hint and not target.encryption_key_vault_id:
        text += f" ({target.encryption_key_hint})"
    return text
