"""Load and check the role table: the built-in roles, identities and scopes of ``datasource_roles.json`` (package
data) with the role rows each datasource kind declares (:attr:`DatasourceKind.roles`)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from pulumi_dataprotection.datasources import KINDS, DatasourceKind

Identity = Literal["vault", "cluster", "extension"]
Purpose = Literal["backup", "restore"]

TABLE_FILE = "datasource_roles.json"
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@dataclass(frozen=True)
class RoleRule:
    """One row of the table: ``identity`` needs ``role`` on ``scope`` (a scope kind such as ``datasource``)."""

    identity: Identity
    role: str
    scope: str
    purpose: Purpose
    reason: str


@dataclass(frozen=True)
class DatasourceRoles:
    """What one datasource kind needs: role assignments and AKS trusted-access roles for the vault."""

    kind: str
    assignments: tuple[RoleRule, ...]
    trusted_access_roles: tuple[str, ...]


@dataclass(frozen=True)
class RoleTable:
    """The whole table: built-in role GUIDs, identity and scope descriptions, the rules per datasource kind and the
    vault-level rules (``vault``: the customer-managed-key role)."""

    roles: Mapping[str, str]
    identities: Mapping[str, str]
    scopes: Mapping[str, str]
    datasources: Mapping[str, DatasourceRoles]
    vault: tuple[RoleRule, ...] = ()

    def role_guid(self, role: str) -> str:
        """The role definition GUID of a built-in role."""
        return self.roles[role]

    def for_kind(self, kind: str) -> DatasourceRoles:
        """The rules of a datasource kind (catalog key such as ``aks``)."""
        if kind not in self.datasources:
            raise KeyError(f"no role table entry for datasource kind {kind!r}; known: {', '.join(self.datasources)}")
        return self.datasources[kind]


def parse_table(data: Mapping[str, Any], kinds: Mapping[str, DatasourceKind] = KINDS) -> RoleTable:
    """Build a RoleTable from the JSON document, checking every reference against it and ``kinds`` (the catalog);
    ValueError names what is wrong."""
    roles = dict(data.get("roles") or {})
    identities = dict(data.get("identities") or {})
    scopes = dict(data.get("scopes") or {})
    for name, guid in roles.items():
        if not isinstance(guid, str) or not _GUID.match(guid):
            raise ValueError(f"role {name!r} has no valid role definition GUID: {guid!r}")
    found: dict[str, DatasourceRoles] = {}
    for kind, entry in dict(data.get("datasources") or {}).items():
        if kind not in kinds:
            raise ValueError(f"datasources.{kind} is not a datasource kind of the catalog ({', '.join(kinds)})")
        rules = _rules(entry, f"datasources.{kind}", identities, roles, scopes)
        found[kind] = DatasourceRoles(kind, rules, tuple(entry.get("trusted_access_roles") or ()))
    missing = sorted(set(kinds) - set(found))
    if missing:
        raise ValueError(f"the role table has no entry for datasource kind(s) {', '.join(missing)}")
    vault = _rules(dict(data.get("vault") or {}), "vault", identities, roles, scopes)
    return RoleTable(roles, identities, scopes, found, vault)


def _rules(
    entry: Mapping[str, Any],
    where: str,
    identities: Mapping[str, str],
    roles: Mapping[str, str],
    scopes: Mapping[str, str],
) -> tuple[RoleRule, ...]:
    rules = []
    for i, row in enumerate(entry.get("assignments") or []):
        at = f"{where}.assignments[{i}]"
        for key, known in (("identity", identities), ("role", roles), ("scope", scopes)):
            if row.get(key) not in known:
                raise ValueError(f"{at}.{key} {row.get(key)!r} is not one of {', '.join(known)}")
        if row.get("purpose") not in ("backup", "restore"):
            raise ValueError(f"{at}.purpose must be backup or restore")
        rules.append(RoleRule(row["identity"], row["role"], row["scope"], row["purpose"], str(row.get("reason"))))
    return tuple(rules)


def kind_entry(kind: DatasourceKind) -> dict[str, Any]:
    """A kind's role rows in the table's JSON form (``datasources.<kind>``)."""
    entry: dict[str, Any] = {"assignments": [asdict(row) for row in kind.roles]}
    if kind.trusted_access_roles:
        entry["trusted_access_roles"] = list(kind.trusted_access_roles)
    return entry


def table_document(kinds: Mapping[str, DatasourceKind] = KINDS) -> dict[str, Any]:
    """The whole table as one JSON document: the shipped roles, identities and scopes plus every kind's rows."""
    text = resources.files("pulumi_dataprotection.permissions").joinpath(TABLE_FILE).read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    document["datasources"] = {key: kind_entry(kind) for key, kind in kinds.items()}
    return document


@cache
def load_table() -> RoleTable:
    """The role table of the package's datasource kinds."""
    return parse_table(table_document())
