"""Comparer: classify one replayed exchange as the same as Azure's answer, different (with a short reason), or
unsupported.

Compared: the status code, Azure's error code, which LRO headers are present (``azure-asyncoperation`` /
``location``), and the body's shape: its keys, the JSON type of each value, and the value itself where the spec
declares an enum (plus ``status``, ``objectType`` and error codes). Ids, names, timestamps and guids are values of
other properties and are not compared. Lists compare the union of their items' shapes, not their lengths.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from tests.support.spec import SPEC_FILE

LRO_HEADERS = ("azure-asyncoperation", "location")
# Not declared as enums in the spec, but each value is one of a fixed set that clients branch on.
_ALSO_ENUMS = frozenset({"status", "objectType", "code", "provisioningState", "datastoreType", "dataStoreType"})
_UNROUTED = frozenset({"NotFound", "InvalidResourceType", "MethodNotAllowed"})


@cache
def enum_keys() -> frozenset[str]:
    """Names of the properties whose schema is an enum anywhere in the 2025-09-01 spec."""
    doc = json.loads(SPEC_FILE.read_text(encoding="utf-8"))
    definitions = doc.get("definitions", {})

    def is_enum(schema: dict[str, Any]) -> bool:
        if "enum" in schema:
            return True
        ref = schema.get("$ref", "")
        return ref.startswith("#/definitions/") and "enum" in definitions.get(ref.rsplit("/", 1)[1], {})

    names = set(_ALSO_ENUMS)
    for definition in definitions.values():
        for name, prop in definition.get("properties", {}).items():
            if is_enum(prop):
                names.add(name)
    return frozenset(names)


def shape(value: Any, path: str = "") -> set[str]:
    """The body's shape as a set of ``path:type`` (and ``path=value`` for enum properties) entries."""
    if isinstance(value, dict):
        if not value:
            return {f"{path}:{{}}"}
        out: set[str] = set()
        for key, item in value.items():
            name = "{id}" if key.lower().startswith("/subscriptions/") else key
            out |= shape(item, f"{path}.{name}" if path else name)
        return out
    if isinstance(value, list):
        if not value:
            return {f"{path}:[]"}
        return set().union(*(shape(item, f"{path}[]") for item in value))
    key = path.rsplit(".", 1)[-1].rstrip("[]")
    if isinstance(value, str) and key in enum_keys():
        return {f"{path}={value}"}
    kind = {bool: "bool", int: "num", float: "num", str: "str", type(None): "null"}.get(type(value), "other")
    return {f"{path}:{kind}"}


def _split(entry: str) -> tuple[str, str]:
    cut = min((i for i in (entry.find(":"), entry.find("=")) if i >= 0), default=len(entry))
    return entry[:cut], entry[cut:]


def _top(paths: set[str]) -> list[str]:
    """Only the outermost of nested paths (a missing object is one difference, not one per leaf)."""
    return sorted(p for p in paths if not any(p != q and p.startswith(q + ".") for q in paths))


def body_differences(azure: Any, emulator: Any) -> list[str]:
    """Short, normalized descriptions of how the emulator's body shape differs from Azure's."""
    a, e = shape(azure), shape(emulator)
    missing, extra = a - e, e - a
    if azure is None and emulator is None:
        return []
    if azure is None or emulator is None:
        return ["body " + ("missing" if emulator is None else "unexpected")]
    a_by = {}
    for entry in missing:
        a_by.setdefault(_split(entry)[0], []).append(_split(entry)[1])
    e_by = {}
    for entry in extra:
        e_by.setdefault(_split(entry)[0], []).append(_split(entry)[1])
    out = []
    for path in sorted(set(a_by) & set(e_by)):
        out.append(f"{path or 'body'} {'/'.join(sorted(a_by[path]))} -> {'/'.join(sorted(e_by[path]))}")
    e_paths = {_split(x)[0] for x in e}
    a_paths = {_split(x)[0] for x in a}
    out += [f"missing {p}" for p in _top({p for p in a_by if p not in e_by and p not in e_paths})]
    out += [f"extra {p}" for p in _top({p for p in e_by if p not in a_by and p not in a_paths})]
    # A value present on both sides with an extra alternative (a list holding both): report the alternatives.
    out += [f"{p} also {'/'.join(sorted(a_by[p]))}" for p in sorted(a_by) if p not in e_by and p in e_paths]
    out += [f"{p} also {'/'.join(sorted(e_by[p]))} (emulator)" for p in sorted(e_by) if p not in a_by and p in a_paths]
    return out


@dataclass(frozen=True)
class Verdict:
    """``kind`` is ``same``, ``differs`` or ``unsupported``; ``reason`` says how (empty when the same)."""

    kind: str
    reason: str = ""


def _error_code(body: Any) -> str | None:
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        code = body["error"].get("code")
        return str(code) if code is not None else None
    return None


def classify(
    status: int, headers: dict[str, str], body: Any, got_status: int, got_headers: dict[str, str], got_body: Any
) -> Verdict:
    """Compare Azure's recorded answer (first three) with the emulator's (last three)."""
    if status >= 500 or status == 429:
        return Verdict("unsupported", f"Azure answered a transient {status}")
    if got_status in (404, 405) and _error_code(got_body) in _UNROUTED and status not in (404, 405):
        return Verdict("unsupported", f"the emulator does not serve it ({_error_code(got_body)})")
    if status != got_status:
        code = _error_code(got_body)
        return Verdict("differs", f"status {status} -> {got_status}" + (f" {code}" if code else ""))
    if status >= 400:
        if _error_code(body) != _error_code(got_body):
            return Verdict("differs", f"error {_error_code(body)} -> {_error_code(got_body)}")
        return Verdict("same")
    want = {h for h in LRO_HEADERS if h in headers}
    got = {h for h in LRO_HEADERS if h in got_headers}
    if want != got:
        return Verdict("differs", f"LRO headers {sorted(want)} -> {sorted(got)}")
    diffs = body_differences(body, got_body)
    if diffs and _error_code(got_body) and not _error_code(body):
        diffs.insert(0, f"emulator error {_error_code(got_body)}")
    if diffs:
        return Verdict("differs", "; ".join(diffs[:3]) + (f" (+{len(diffs) - 3})" if len(diffs) > 3 else ""))
    return Verdict("same")
