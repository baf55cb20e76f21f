"""Provider-level inputs shared by the resources (timeouts, ...) and `extend`, which adds such inputs to a schema.

Provider-level inputs have no REST path: the engine validates and diffs them like any other field, keeps them in
outputs, and never sends them to Azure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pulumi_dataprotection.config import OPERATIONS, ConfigError, parse_duration
from pulumi_dataprotection.schema import Field, MapType, ObjectType, ResourceSchema, Rule, StringType


def _check_timeouts(values: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
    timeouts = values.get("timeouts") or {}
    for key, value in timeouts.items():
        if key not in OPERATIONS:
            yield f"timeouts.{key}", f"timeouts.{key} is not an operation; use {', '.join(OPERATIONS)}"
            continue
        try:
            parse_duration(value, f"timeouts.{key}")
        except ConfigError as exc:
            yield f"timeouts.{key}", str(exc)


TIMEOUTS = Field(
    name="timeouts",
    type=MapType(StringType(min_length=1), description="timeouts"),
    doc='Time limits per operation, e.g. {"create": "60m", "delete": "30m"} (Pulumi customTimeouts do not reach '
    "dynamic providers); defaults come from dataprotection:timeouts.",
    diff=False,
)
TIMEOUT_RULE = Rule(("timeouts",), _check_timeouts)


def extend(base: ResourceSchema, fields: Sequence[Field], rules: Sequence[Rule] = ()) -> ResourceSchema:
    """``base`` with extra top-level ``fields`` and ``rules`` (same name, raw field and unknown predicate)."""
    root = base.root
    group_rules = {id(r) for f in root.fields if f.flatten and isinstance(f.type, ObjectType) for r in f.type.rules}
    own_rules = [r for r in root.rules if id(r) not in group_rules]
    extended = ObjectType(
        [*root.fields, *fields],
        constants=root.constants,
        rules=[*own_rules, *rules],
        derivations=root.derivations,
        description=root.description,
    )
    return ResourceSchema(base.name, extended, raw_field=base.raw_field, is_unknown=base.is_unknown)
