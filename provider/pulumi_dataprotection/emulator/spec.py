"""The official spec's definitions as the emulator's schema nodes: what a request may carry beyond the emulator's own
model (``schema.py``), per api-version.

Azure keeps every property its spec defines, so a client's new field round-trips; the emulator models the
properties its rules need and takes the others from the spec: a property the emulator's model lacks but the
request's api-version defines on that object is validated against the spec (types, enums, formats, nested objects
and discriminators) and kept; one the spec does not define either is ignored, as the service ignores unknown
properties. The definitions come from ``spec_definitions/<version>.json``, generated from the official spec by
``tools/gen_emulator_spec.py`` (a test keeps them current). A version without a spec file of its own reads the newest
older one; versions older than every spec file read the oldest (2025-09-01; the earlier specs are not in hand).
"""

from __future__ import annotations

import functools
import json
import threading
from importlib import resources
from typing import Any

from pulumi_dataprotection.emulator.schema import Arr, Bool, Map, Node, Num, Obj, Prop, Str


@functools.cache
def versions() -> tuple[str, ...]:
    """The spec versions the emulator holds definitions of, oldest first."""
    folder = resources.files(__package__).joinpath("spec_definitions")
    return tuple(sorted(p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json")))


def spec_version(api_version: str) -> str:
    """The spec version whose definitions apply to a request at ``api_version``."""
    held = versions()
    older = [v for v in held if v <= api_version]
    return older[-1] if older else held[0]


@functools.cache
def definitions(version: str) -> dict[str, Any]:
    """The definitions of one spec version, by lower-cased name (each with its ``name`` as the spec spells it)."""
    text = resources.files(__package__).joinpath(f"spec_definitions/{version}.json").read_text(encoding="utf-8")
    return {name.lower(): {**schema, "name": name} for name, schema in json.loads(text)["definitions"].items()}


def _properties(version: str, name: str) -> dict[str, Any]:
    """The properties a definition declares, its ``allOf`` parents' included."""
    schema = definitions(version).get(name.lower()) or {}
    out: dict[str, Any] = {}
    for parent in schema.get("allOf", []):
        if "ref" in parent:
            out.update(_properties(version, parent["ref"]))
    out.update(schema.get("properties", {}))
    return out


_BUILT: dict[tuple[str, str], Node] = {}
"""The nodes built so far, by version and lower-cased definition name (a definition may contain itself)."""
_BUILDING = threading.RLock()  # the emulator's handlers run on several threads; a node is read once complete


def _definition_node(version: str, name: str) -> Node:
    key = (version, name.lower())
    if key in _BUILT:
        return _BUILT[key]
    schema = definitions(version)[name.lower()]
    if schema.get("type", "object") != "object" or "enum" in schema:
        _BUILT[key] = _node(version, schema)
        return _BUILT[key]
    obj = Obj(schema["name"], {})
    _BUILT[key] = obj
    if "discriminator" in schema:
        for sub_name, sub in definitions(version).items():
            if any(p.get("ref", "").lower() == name.lower() for p in sub.get("allOf", [])):
                node = _definition_node(version, sub_name)
                if isinstance(node, Obj):
                    obj.subtypes[sub.get("x-ms-discriminator-value") or node.name] = node
    required = set(schema.get("required", []))
    for parent in schema.get("allOf", []):
        required |= set((definitions(version).get(parent.get("ref", "").lower()) or {}).get("required", []))
    for prop, sub_schema in _properties(version, name).items():
        read_only = bool(sub_schema.get("readOnly"))
        obj.props[prop] = Prop(_node(version, sub_schema), required=prop in required, read_only=read_only)
    return obj


def _node(version: str, schema: dict[str, Any]) -> Node:
    """The emulator's node for a (reduced) spec schema; an unknown or empty one accepts any value."""
    if "ref" in schema:
        if schema["ref"].lower() not in definitions(version):
            return _ANY
        return _definition_node(version, schema["ref"])
    kind = schema.get("type")
    if kind == "string":
        fmt = {"date-time": "date-time", "duration": "duration"}.get(schema.get("format", ""))
        return Str(tuple(schema.get("enum", ())), fmt=fmt)
    if kind in ("integer", "number"):
        return Num(integer=kind == "integer")
    if kind == "boolean":
        return Bool()
    if kind == "array":
        return Arr(_node(version, schema.get("items", {})))
    if isinstance(schema.get("additionalProperties"), dict) and not schema.get("properties"):
        return Map(_node(version, schema["additionalProperties"]))
    if schema.get("properties") or schema.get("allOf"):
        obj = Obj("", {})
        for prop, sub_schema in schema.get("properties", {}).items():
            obj.props[prop] = Prop(_node(version, sub_schema), read_only=bool(sub_schema.get("readOnly")))
        return obj
    return _ANY


class _AnyValue(Node):
    """Any JSON value, kept as sent (a spec schema the emulator cannot read, such as ARM's common types)."""

    def check(self, value: Any, where: str, problems: list[str]) -> Any:
        return value


_ANY = _AnyValue()


def extra_property(definition: str, key: str, api_version: str) -> tuple[str, Prop] | None:
    """The spec's name and property for ``key`` (any case) of ``definition`` at ``api_version``, or None when that
    version's spec does not define it there."""
    version = spec_version(api_version)
    if definition.lower() not in definitions(version):
        return None
    with _BUILDING:
        node = _definition_node(version, definition)
    if not isinstance(node, Obj):
        return None
    return next(((name, prop) for name, prop in node.props.items() if name.lower() == key.lower()), None)
