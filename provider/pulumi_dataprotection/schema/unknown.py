"""Recognize Pulumi "unknown" values (inputs not yet computed during preview) with a pluggable predicate."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""How pulumi.dynamic providers receive an unknown value (``pulumi.runtime.rpc.UNKNOWN``)."""

UnknownPredicate = Callable[[Any], bool]


def default_is_unknown(value: Any) -> bool:
    """True for Pulumi's unknown markers: the dynamic-provider string and ``pulumi.output.UNKNOWN``.

    The ``pulumi.output.Unknown`` class is recognised by name so this module does not import the Pulumi SDK.
    """
    if isinstance(value, str):
        return value == UNKNOWN_STRING
    kind = type(value)
    return kind.__name__ == "Unknown" and kind.__module__ == "pulumi.output"


def contains_unknown(value: Any, is_unknown: UnknownPredicate) -> bool:
    """True when ``value`` or anything nested in its lists and mappings is unknown."""
    if is_unknown(value):
        return True
    if isinstance(value, Mapping):
        return any(contains_unknown(v, is_unknown) for v in value.values())
    if isinstance(value, list | tuple):
        return any(contains_unknown(v, is_unknown) for v in value)
    return False
