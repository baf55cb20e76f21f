"""Read `pulumi preview --json`: one :class:`ResourceChange` per Data Protection resource the plan touches (the
steps of one URN merged: a replacement's create, replace and delete steps are one change)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pulumi_dataprotection.audit.export import KIND_OF_TYPE, TYPE_PREFIX, ResourceKind, redact

_REPLACE_OPS = frozenset({"replace", "create-replacement", "delete-replaced", "discard-replaced"})
_ACTION_OF_OP = {"create": "create", "update": "update", "delete": "delete", "same": "same", "discard": "delete"}


class PreviewError(ValueError):
    """The document is not the output of `pulumi preview --json`."""


@dataclass(frozen=True)
class ResourceChange:
    """What the plan does to one resource: ``action`` is create, update, replace, delete, forget (a delete that
    leaves the resource in Azure: ``on_delete="Retain"`` or Pulumi's ``retain_on_delete``, named by ``kept_by``) or
    same; ``old_*`` are the state before (empty for a create), ``new_inputs`` the checked inputs of the program
    (empty for a delete)."""

    kind: ResourceKind
    name: str
    urn: str
    action: str
    old_inputs: Mapping[str, Any]
    old_outputs: Mapping[str, Any]
    new_inputs: Mapping[str, Any]
    replace_reasons: tuple[str, ...]
    delete_first: bool
    kept_by: str | None = None


@dataclass(frozen=True)
class Preview:
    """The Data Protection changes of one preview and the errors it reported."""

    changes: tuple[ResourceChange, ...]
    errors: tuple[str, ...]
    stack: str | None


def _state(step: Mapping[str, Any], key: str, part: str) -> dict[str, Any]:
    state = step.get(key)
    values = state.get(part) if isinstance(state, Mapping) else None
    return redact(values) if isinstance(values, Mapping) else {}


def parse_preview(text: str, *, source: str = "<preview>") -> Preview:
    """Parse `pulumi preview --json` output."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise PreviewError(f"{source} is not JSON ({exc}); produce it with `pulumi preview --json`") from exc
    if not isinstance(document, Mapping) or not isinstance(document.get("steps", []), list):
        raise PreviewError(f"{source}: expected the JSON object of `pulumi preview --json` (with `steps`)")
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    stack = None
    for step in document.get("steps") or []:
        if not isinstance(step, Mapping) or not isinstance(step.get("urn"), str):
            continue
        urn = step["urn"]
        stack = stack or urn.removeprefix("urn:pulumi:").split("::", 1)[0]
        type_ = urn.split("::")[-2] if urn.count("::") >= 3 else ""
        if type_.startswith(TYPE_PREFIX) and type_[len(TYPE_PREFIX) :] in KIND_OF_TYPE:
            grouped.setdefault(urn, []).append(step)
    changes = [_merge(urn, steps) for urn, steps in grouped.items()]
    errors = tuple(
        str(d.get("message", "")).strip()
        for d in document.get("diagnostics") or []
        if isinstance(d, Mapping) and d.get("severity") == "error"
    )
    return Preview(tuple(c for c in changes if c is not None), errors, stack)


def _merge(urn: str, steps: list[Mapping[str, Any]]) -> ResourceChange | None:
    ops = [str(s.get("op")) for s in steps]
    if _REPLACE_OPS & set(ops):
        action = "replace"
    else:
        action = next((_ACTION_OF_OP[op] for op in ops if op in _ACTION_OF_OP), "")
    if not action:
        return None
    old = next((s for s in steps if isinstance(s.get("oldState"), Mapping)), {})
    new = next((s for s in steps if isinstance(s.get("newState"), Mapping) and s.get("op") != "delete-replaced"), {})
    reasons = sorted({str(r) for s in steps for r in s.get("replaceReasons") or []})
    first_op = ops[0] if ops else ""
    old_inputs = _state(old, "oldState", "inputs")
    kept_by = None
    if action == "delete":
        state = old.get("oldState")
        if old_inputs.get("on_delete") == "Retain":  # the resource then sets retain_on_delete too
            kept_by = "on_delete is Retain"
        elif isinstance(state, Mapping) and state.get("retainOnDelete"):
            kept_by = "retain_on_delete is set"
        action = "forget" if kept_by else action
    return ResourceChange(
        kind=KIND_OF_TYPE[urn.split("::")[-2][len(TYPE_PREFIX) :]],
        name=urn.rsplit("::", 1)[-1],
        urn=urn,
        action=action,
        old_inputs=old_inputs,
        old_outputs=_state(old, "oldState", "outputs"),
        new_inputs={} if action in ("delete", "forget") else _state(new, "newState", "inputs"),
        replace_reasons=tuple(reasons),
        delete_first=action == "replace" and first_op == "delete-replaced",
        kept_by=kept_by,
    )
