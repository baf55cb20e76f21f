"""The every-input-leaf guard, computed from a schema's declarations: which input leaves no sample sets."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_dataprotection.schema.model import ObjectType
from pulumi_dataprotection.schema.resource import ResourceSchema
from pulumi_dataprotection.schema.types import ListType


def declared_leaves(shape: ObjectType, prefix: str = "") -> set[str]:
    """Every input leaf of an object, nested objects (and lists of them) descended into: ``a.b``."""
    out: set[str] = set()
    for f in shape.leaves:
        inner = f.type.item if isinstance(f.type, ListType) else f.type
        if f.is_output:
            continue
        out |= declared_leaves(inner, f"{prefix}{f.name}.") if isinstance(inner, ObjectType) else {prefix + f.name}
    return out


def set_leaves(value: Mapping[str, Any], shape: ObjectType, prefix: str = "") -> set[str]:
    """The input leaves ``value`` sets (not None), named as :func:`declared_leaves` names them."""
    out: set[str] = set()
    for f in shape.leaves:
        inner = f.type.item if isinstance(f.type, ListType) else f.type
        given = value.get(f.name)
        if given is None or f.is_output:
            continue
        if isinstance(inner, ObjectType):
            for item in given if isinstance(given, list) else [given]:
                out |= set_leaves(item, inner, f"{prefix}{f.name}.")
        else:
            out.add(prefix + f.name)
    return out


def unset_inputs(schema: ResourceSchema, samples: Iterable[Mapping[str, Any]]) -> list[str]:
    """The input leaves of ``schema`` no sample sets, sorted (``raw``, the escape hatch for what no typed input
    covers, is left out: a sample could set nothing there without duplicating a typed input)."""
    covered: set[str] = set()
    for sample in samples:
        covered |= set_leaves(sample, schema.root)
    escape = {schema.raw_field} if schema.raw_field else set()
    return sorted(declared_leaves(schema.root) - covered - escape)
