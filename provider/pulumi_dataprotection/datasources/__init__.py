"""The datasource kinds: one module per kind in this package declares its ``KIND`` (catalog entry, default policy,
role rows, restore drill target); this registry collects every such module, so adding a kind is adding a module.

Kind modules import only :mod:`.kind` when loaded; their default policy and restore target import the builders and
drill helpers when called (those read this registry).
"""

from __future__ import annotations

import importlib
import pkgutil

from pulumi_dataprotection.datasources.kind import (
    TAG_PRIORITIES,
    DatasourceKind,
    DrillContext,
    RoleRow,
    datasource_blocks,
)

_NOT_KINDS = frozenset({"kind", "coverage"})


def discover() -> dict[str, DatasourceKind]:
    """Every ``KIND`` declared by a module of this package, keyed by ``KIND.key``, in listing order."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name in _NOT_KINDS or info.name.startswith("_"):
            continue
        kind = importlib.import_module(f"{__name__}.{info.name}").KIND
        if not isinstance(kind, DatasourceKind) or kind.key != info.name:
            raise TypeError(f"{__name__}.{info.name}.KIND must be a DatasourceKind with key {info.name!r}")
        found.append(kind)
    return {k.key: k for k in sorted(found, key=lambda k: (k.order, k.key))}


KINDS: dict[str, DatasourceKind] = discover()
"""The catalog: every datasource kind, keyed by its key (``aks``, ``disk``, ...)."""

DATASOURCE_TYPE_NAMES: tuple[str, ...] = tuple(name for kind in KINDS.values() for name in kind.all_type_names)
"""Every datasource type string of the catalog (primary spellings and aliases)."""


def kind_of_type(datasource_type: str) -> DatasourceKind | None:
    """The kind a datasource type string (any casing, aliases included) belongs to."""
    wanted = datasource_type.strip().lower()
    for kind in KINDS.values():
        if wanted in (name.lower() for name in kind.all_type_names):
            return kind
    return None


__all__ = [
    "DATASOURCE_TYPE_NAMES",
    "KINDS",
    "TAG_PRIORITIES",
    "DatasourceKind",
    "DrillContext",
    "RoleRow",
    "datasource_blocks",
    "kind_of_type",
]
