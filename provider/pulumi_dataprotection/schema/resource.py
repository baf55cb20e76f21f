"""The generic resource engine: from one declarative :class:`ObjectType` per resource, derive check (Pulumi check
failures), the exact REST request body, the read-back of response bodies into inputs and outputs, canonical forms,
content hashes and diffs (changed / replaced / one-way violations, with a detailed kind per property)."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from pulumi_dataprotection.schema.model import Field, ObjectType, UnionType
from pulumi_dataprotection.schema.paths import deep_merge, parse_path, remainder
from pulumi_dataprotection.schema.types import Ctx, InputProblem, ListType, ValueType, _sort_key, is_empty, show
from pulumi_dataprotection.schema.unknown import UnknownPredicate, default_is_unknown


class InvalidInputs(ValueError):
    """Inputs that fail validation were used where a request body is needed."""

    def __init__(self, resource: str, failures: list[InputProblem]) -> None:
        self.resource = resource
        self.failures = failures
        lines = "\n".join(f"  - {f.reason}" for f in failures)
        super().__init__(f"invalid {resource} inputs:\n{lines}")


@dataclass(frozen=True)
class InputCheck:
    """The normalized inputs (defaults applied, Azure casing) and every check failure."""

    inputs: dict[str, Any]
    failures: list[InputProblem]

    @property
    def ok(self) -> bool:
        """True when there is no failure."""
        return not self.failures


DiffKind = Literal["add", "delete", "update"]


@dataclass(frozen=True)
class PropertyDiff:
    """How one property (a top-level input or a nested path in it) changes.

    ``unknown`` is set when the new value is not known yet (preview): the property may change.
    """

    kind: DiffKind
    replace: bool
    unknown: bool
    old: Any
    new: Any


@dataclass(frozen=True)
class OneWayViolation:
    """A change Azure cannot make: a one-way setting leaving its terminal value."""

    path: str
    old: Any
    new: Any
    reason: str

    @property
    def message(self) -> str:
        """A sentence for a preview error."""
        return f"{self.path} cannot change from {show(self.old)} to {show(self.new)}: {self.reason}"


@dataclass(frozen=True)
class SchemaDiff:
    """Differences between the old outputs and the new inputs of a resource.

    ``changed``: top-level inputs that differ (including the ones that may differ because the new value is unknown);
    ``replaces``: the subset that is create-only; ``maybe_changed``: the subset whose new value is unknown;
    ``details``: a :class:`PropertyDiff` per property path (nested paths such as ``policy_rules[1].name`` for
    objects and lists); ``entering_one_way``: one-way settings that this change makes irreversible (worth a
    warning in preview).
    """

    changed: list[str] = field(default_factory=list)
    replaces: list[str] = field(default_factory=list)
    maybe_changed: list[str] = field(default_factory=list)
    one_way_violations: list[OneWayViolation] = field(default_factory=list)
    entering_one_way: list[str] = field(default_factory=list)
    details: dict[str, PropertyDiff] = field(default_factory=dict)

    @property
    def has_changes(self) -> bool:
        """True when anything differs (or may differ)."""
        return bool(self.changed)


class ResourceSchema:
    """One resource's declarative schema and every operation derived from it.

    ``raw_field`` names an optional input holding a JSON object deep-merged into the request body (the escape hatch
    for API fields the typed inputs do not cover); ``from_rest`` puts there whatever a response holds that the
    typed fields do not, so read-back is lossless.
    """

    def __init__(
        self,
        name: str,
        root: ObjectType,
        *,
        raw_field: str | None = None,
        is_unknown: UnknownPredicate = default_is_unknown,
    ) -> None:
        self.name = name
        self.root = root
        self.raw_field = raw_field
        self.is_unknown = is_unknown
        if raw_field is not None and raw_field not in root.by_name:
            raise ValueError(f"{name}: raw field {raw_field!r} is not declared")

    # -- introspection ------------------------------------------------------------------------------------------

    @property
    def fields(self) -> tuple[Field, ...]:
        """Every input and output field (groups flattened)."""
        return self.root.leaves

    def field(self, name: str) -> Field:
        """The field called ``name``."""
        return self.root.by_name[name]

    @property
    def input_names(self) -> list[str]:
        """Names of the fields a user may set."""
        return [f.name for f in self.root.input_leaves]

    @property
    def output_names(self) -> list[str]:
        """Names of the output-only fields."""
        return list(self._output_names)

    @functools.cached_property
    def _output_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.is_output)

    @property
    def secret_names(self) -> list[str]:
        """Names of the fields whose values must stay secret in Pulumi state."""
        return [f.name for f in self.fields if f.secret]

    @property
    def create_only_names(self) -> list[str]:
        """Names of the fields whose change replaces the resource."""
        return [f.name for f in self.fields if f.mutability.kind == "create_only"]

    def _ctx(self, is_unknown: UnknownPredicate | None) -> Ctx:
        return Ctx(is_unknown or self.is_unknown)

    # -- check --------------------------------------------------------------------------------------------------

    def check(self, inputs: Mapping[str, Any], *, is_unknown: UnknownPredicate | None = None) -> InputCheck:
        """Validate ``inputs`` (unknown values are skipped) and return them normalized with defaults applied."""
        ctx = self._ctx(is_unknown)
        failures = self.root.validate(inputs, "", ctx)
        normalized = self.normalize(inputs, is_unknown=is_unknown)
        if self.raw_field is not None and not failures:
            failures.extend(self._check_raw(normalized, ctx))
        return InputCheck(normalized, failures)

    def _check_raw(self, values: Mapping[str, Any], ctx: Ctx) -> list[InputProblem]:
        """Raw content must stay outside what typed inputs describe (else it would be read back into them and
        show as a change forever)."""
        assert self.raw_field is not None
        raw = values.get(self.raw_field)
        if not isinstance(raw, Mapping) or ctx.has_unknown(values):
            return []
        typed = self.root.render({k: v for k, v in values.items() if k != self.raw_field})
        merged = deep_merge(typed, dict(raw))
        covered = self.root.render(self.root.parse(merged))
        failures = []
        for segments in _leaf_paths(raw):
            if _at(covered, segments) is not None:
                prop = f"{self.raw_field}.{_show_path(segments)}"
                failures.append(
                    InputProblem(
                        prop, f"{prop} is described by typed inputs; set it there instead of in {self.raw_field}"
                    )
                )
        return failures

    def normalize(self, inputs: Mapping[str, Any], *, is_unknown: UnknownPredicate | None = None) -> dict[str, Any]:
        """Inputs with defaults applied and values in the form they are sent (no validation)."""
        normalized = self.root.normalize(inputs, self._ctx(is_unknown))
        return dict(normalized) if isinstance(normalized, Mapping) else {}

    # -- REST mapping -------------------------------------------------------------------------------------------

    def to_rest(self, inputs: Mapping[str, Any], *, only: Collection[str] | None = None) -> dict[str, Any]:
        """The exact request body for ``inputs``; raises :class:`InvalidInputs` or ValueError (unknown values).

        ``only`` restricts the body to some inputs (e.g. a PATCH of the updatable settings).
        """
        result = self.check(inputs)
        if result.failures:
            raise InvalidInputs(self.name, result.failures)
        if self._ctx(None).has_unknown(result.inputs):
            raise ValueError(f"{self.name}: a request body cannot be built while inputs are unknown")
        values = result.inputs if only is None else {k: v for k, v in result.inputs.items() if k in set(only)}
        return self.render(values)

    def render(self, values: Mapping[str, Any], *, include_outputs: bool = False) -> dict[str, Any]:
        """REST JSON for already-normalized values; ``include_outputs`` also renders output fields (response shape)."""
        body = self.root.render(values, include_outputs)
        body = body if isinstance(body, dict) else {}
        raw = values.get(self.raw_field) if self.raw_field else None
        if isinstance(raw, Mapping):
            merged = deep_merge(body, dict(raw))
            return merged if isinstance(merged, dict) else body
        return body

    def from_rest(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """Inputs and outputs read from a response body (values Azure echoes in its own casing are normalized)."""
        values = self.root.parse(body)
        values = dict(values) if isinstance(values, Mapping) else {}
        if self.raw_field is not None:
            rendered = self.root.render(values, True)
            rest = remainder(dict(body), rendered)
            if rest:
                values[self.raw_field] = rest
        return values

    def inputs_of(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Only the inputs of ``values`` (outputs dropped, also inside nested objects), e.g. for ReadResult.inputs."""
        stripped = self.root.strip_outputs(values)
        return dict(stripped) if isinstance(stripped, Mapping) else {}

    def outputs_of(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Only the top-level output fields of ``values``."""
        return {f.name: values[f.name] for f in self.fields if f.is_output and values.get(f.name) is not None}

    # -- comparison ---------------------------------------------------------------------------------------------

    def canonicalize(self, values: Mapping[str, Any], *, is_unknown: UnknownPredicate | None = None) -> dict[str, Any]:
        """The comparison form of the inputs in ``values``: defaults applied, outputs and request-only knobs dropped,
        every value in its canonical notation. Idempotent, and itself valid input."""
        ctx = self._ctx(is_unknown)
        canonical = self.root.canonical(self.root.normalize(values, ctx), ctx)
        return dict(canonical) if isinstance(canonical, Mapping) else {}

    def content_hash(self, inputs: Mapping[str, Any], *, length: int = 10) -> str:
        """A short hex digest of the canonical body content: stable across processes, insensitive to key order,
        to set order and to notation (casing, offsets). Inputs that are not in the body (URL parts) are left out."""
        in_body = {
            f.name
            for f in self.root.input_leaves
            if f.path is not None or f.name == self.raw_field or any(f.name in d.fields for d in self.root.derivations)
        }
        canonical = self.canonicalize(inputs)
        text = json.dumps({k: v for k, v in canonical.items() if k in in_body}, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]

    def diff(
        self,
        old_outputs: Mapping[str, Any],
        new_inputs: Mapping[str, Any],
        *,
        is_unknown: UnknownPredicate | None = None,
    ) -> SchemaDiff:
        """Compare canonical old outputs with canonical new inputs, field by field."""
        ctx = self._ctx(is_unknown)
        news = self.normalize(new_inputs, is_unknown=is_unknown)
        result = SchemaDiff()
        for f in self.root.input_leaves:
            if not f.diff or f.plan_only:
                continue
            new = news.get(f.name)
            old = old_outputs.get(f.name)
            if f.computed and new_inputs.get(f.name) is None:
                continue
            replace = f.mutability.kind == "create_only"
            if ctx.has_unknown(new):
                result.changed.append(f.name)
                result.maybe_changed.append(f.name)
                if replace:
                    result.replaces.append(f.name)
                result.details[f.name] = PropertyDiff("update", replace, True, old, new)
                continue
            old_c = f.type.canonical(old, ctx)
            new_c = f.type.canonical(new, ctx)
            if old_c == new_c:
                continue
            result.changed.append(f.name)
            if replace:
                result.replaces.append(f.name)
            _detail(result.details, f.name, old_c, new_c, replace)
            terminal = f.mutability.terminal
            if f.mutability.kind != "one_way":
                continue
            if isinstance(old_c, str) and old_c in terminal:
                result.one_way_violations.append(OneWayViolation(f.name, old_c, new_c, f.mutability.reason))
            elif isinstance(new_c, str) and new_c in terminal:
                result.entering_one_way.append(f.name)
        return result

    def program_path(self, path: str, inputs: Mapping[str, Any], *, is_unknown: UnknownPredicate | None = None) -> str:
        """A path of :meth:`diff` (its indexes count items of the canonical lists, where an unordered list is
        sorted) with every index of an unordered list turned into that item's index in ``inputs``, the program's
        order; an index that cannot be matched stays as it is."""
        ctx = self._ctx(is_unknown)
        value: Any = self.normalize(inputs, is_unknown=is_unknown)
        type_: ValueType | None = self.root
        out = ""
        for seg in parse_path(path):
            if isinstance(seg, str):
                type_ = _member(type_, value, seg)
                value = value.get(seg) if isinstance(value, Mapping) else None
                out += f".{seg}" if out else seg
                continue
            index = seg
            if isinstance(type_, ListType) and isinstance(value, list):
                if not type_.ordered:
                    items = [type_.item.canonical(v, ctx) for v in value]
                    ordered = sorted(items, key=_sort_key)
                    index = items.index(ordered[seg]) if seg < len(ordered) else seg
                type_ = type_.item
                value = value[index] if index < len(value) else None
            else:
                type_, value = None, None
            out += f"[{index}]"
        return out


def _member(type_: ValueType | None, value: Any, name: str) -> ValueType | None:
    """The type of field ``name`` of an object (or of the variant of a union ``value`` is), else None."""
    if isinstance(type_, UnionType) and isinstance(value, Mapping):
        type_ = type_.variants.get(str(value.get(type_.input_key)))
    if isinstance(type_, ObjectType):
        f = type_.by_name.get(name)
        return f.type if f is not None else None
    return None


def _leaf_paths(value: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    if isinstance(value, Mapping):
        return [p for key, item in value.items() for p in _leaf_paths(item, (*prefix, str(key)))]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) if item is not None for p in _leaf_paths(item, (*prefix, i))]
    return [prefix] if prefix else []


def _at(body: Any, segments: tuple[str | int, ...]) -> Any:
    node = body
    for seg in segments:
        if isinstance(seg, int):
            node = node[seg] if isinstance(node, list) and seg < len(node) else None
        else:
            node = node.get(seg) if isinstance(node, dict) else None
        if node is None:
            return None
    return node


def _show_path(segments: tuple[str | int, ...]) -> str:
    return "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in segments).lstrip(".")


def _detail(details: dict[str, PropertyDiff], path: str, old: Any, new: Any, replace: bool) -> None:
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for key in sorted(set(old) | set(new)):
            if old.get(key) != new.get(key):
                _detail(details, f"{path}.{key}", old.get(key), new.get(key), replace)
        return
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (o, n) in enumerate(zip(old, new, strict=True)):
            if o != n:
                _detail(details, f"{path}[{i}]", o, n, replace)
        return
    kind: DiffKind = "add" if is_empty(old) else "delete" if is_empty(new) else "update"
    details[path] = PropertyDiff(kind, replace, False, old, new)
