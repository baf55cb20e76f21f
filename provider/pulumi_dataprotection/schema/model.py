"""Declarations of a resource's shape (fields, mutability, conditions, constants, cross-field rules, derivations)
and the two composite types built from them: objects and discriminated unions."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pulumi_dataprotection.schema.paths import deep_merge, delete_path, get_path, parse_path, set_path
from pulumi_dataprotection.schema.types import Ctx, InputProblem, StringType, ValueType, is_empty, show, suggest

MutabilityKind = Literal["updatable", "create_only", "output_only", "one_way"]


@dataclass(frozen=True)
class Mutability:
    """How a field may change after create.

    ``one_way`` fields are updatable until they reach a ``terminal`` value; leaving it is not possible in Azure
    (``reason`` says why), so the diff reports such a change as a one-way violation.
    """

    kind: MutabilityKind
    terminal: frozenset[str] = frozenset()
    reason: str = ""

    @property
    def is_output(self) -> bool:
        """True for values only Azure sets."""
        return self.kind == "output_only"


UPDATABLE = Mutability("updatable")
CREATE_ONLY = Mutability("create_only")
OUTPUT_ONLY = Mutability("output_only")


def one_way(*terminal: str, reason: str) -> Mutability:
    """A field that can be changed until it reaches one of the ``terminal`` values, and never after."""
    return Mutability("one_way", frozenset(terminal), reason)


@dataclass(frozen=True)
class When:
    """A condition on a sibling field: the declaring field applies only when ``field`` has one of ``values``."""

    field: str
    values: frozenset[Any]

    @staticmethod
    def of(field: str, *values: Any) -> When:
        """``When.of("datasource_kind", "aks", "disk")``."""
        return When(field, frozenset(values))

    def holds(self, values: Mapping[str, Any], ctx: Ctx) -> bool | None:
        """True/False, or None when the sibling is unknown (during preview)."""
        current = values.get(self.field)
        if ctx.unknown(current):
            return None
        if isinstance(current, str):  # read-back values keep Azure's casing (e.g. soft delete "OFF")
            return current.lower() in {v.lower() if isinstance(v, str) else v for v in self.values}
        return isinstance(current, Hashable) and current in self.values

    def describe(self) -> str:
        """``datasource_kind is aks or disk``."""
        return f"{self.field} is " + " or ".join(sorted(str(v) for v in self.values))


Default = Any
"""A field default: a value, or a callable computing it from the other (normalized) values of the object."""


@dataclass(frozen=True)
class IdPart:
    """How a field that is part of the URL (not the body) is read back from the resource ``id``.

    ``mode="after"``: the segment after ``segment`` (``resourceGroups`` -> the resource group name);
    ``mode="through"``: the id prefix up to the name following ``segment`` (``backupVaults`` -> the vault id);
    ``mode="last"``: the last segment (the resource's own name).
    """

    mode: Literal["after", "through", "last"]
    segment: str = ""

    def extract(self, arm_id: Any) -> str | None:
        """The value inside ``arm_id``, or None when it is absent."""
        if not isinstance(arm_id, str) or not arm_id:
            return None
        parts = arm_id.rstrip("/").split("/")
        if self.mode == "last":
            return parts[-1]
        lowered = [p.lower() for p in parts]
        if self.segment.lower() not in lowered:
            return None
        at = lowered.index(self.segment.lower())
        if at + 1 >= len(parts):
            return None
        return parts[at + 1] if self.mode == "after" else "/".join(parts[: at + 2])


@dataclass(frozen=True, kw_only=True)
class Field:
    """One input or output of a resource.

    ``path`` is where the value goes in the REST body (dotted, camelCase, ``[n]`` for list positions), relative to
    the enclosing object; None for values that are not in the body (URL parts, values a derivation renders).
    URL parts are read back from the response's ``id`` (``id_part``) or from ``read_path`` (e.g. ``name``), which
    is rendered only in response-shaped bodies. ``computed`` fields may be omitted: Azure (or the default) then
    chooses the value and an omitted input never shows as a change. Output fields are authoritative in
    response-shaped renders: an absent output removes what inputs or derivations put at its path. ``diff=False``
    marks request-only knobs Azure does not echo back; ``plan_only`` marks an opt-in read from the program when a
    change is planned (``allow_replace_with_data``): it never causes a diff and is never kept in outputs, so removing
    it from the program leaves nothing behind in the state. ``flatten`` declares a group: ``type`` is an
    :class:`ObjectType` whose fields are inputs of the enclosing object, rendered together under ``path`` (with the
    group's constants) when any of them is set; the group's ``when`` applies to each of them. ``as_derived`` marks
    an output that echoes what a derivation renders at its path: it is read back only when Azure's value differs
    (e.g. a legacy spelling), as ``{}`` when Azure reports none although a derivation would render one, and an
    absent value renders as derived, so state does not repeat the inputs.
    """

    name: str
    type: ValueType
    path: str | None = None
    doc: str = ""
    mutability: Mutability = UPDATABLE
    required: bool = False
    default: Default = None
    computed: bool = False
    secret: bool = False
    when: When | None = None
    id_part: IdPart | None = None
    read_path: str | None = None
    diff: bool = True
    plan_only: bool = False
    flatten: bool = False
    as_derived: bool = False

    @property
    def is_output(self) -> bool:
        """True for output-only fields."""
        return self.mutability.is_output

    def default_for(self, values: Mapping[str, Any]) -> Any:
        """The default for this field given the other values (None when there is none)."""
        return self.default(values) if callable(self.default) else self.default


def output_field(name: str, path: str, doc: str, value: ValueType | None = None, *, as_derived: bool = False) -> Field:
    """An output-only field: Azure's value at ``path`` (a string unless ``value`` gives its type)."""
    return Field(
        name=name, type=value or StringType(), path=path, doc=doc, mutability=OUTPUT_ONLY, as_derived=as_derived
    )


@dataclass(frozen=True)
class Constant:
    """A fixed (or derived) REST value written whenever its object is rendered, e.g. ``objectType``."""

    path: str
    value: Any

    def value_for(self, values: Mapping[str, Any]) -> Any:
        """The value to write (callables receive the object's values)."""
        return self.value(values) if callable(self.value) else self.value


RuleCheck = Callable[[Mapping[str, Any]], Iterable[tuple[str, str]]]


@dataclass(frozen=True)
class Rule:
    """A cross-field validation over ``fields``; ``check`` yields ``(property, reason)`` pairs.

    The engine runs it on normalized values and skips it while any of ``fields`` is unknown or already invalid.
    """

    fields: tuple[str, ...]
    check: RuleCheck


@dataclass(frozen=True)
class Derivation:
    """REST content computed from several inputs (and read back into them), for shapes that are not one-to-one.

    ``render(values) -> {rest path: value}`` and ``parse(rest object) -> {field: value}``; ``fields`` are the inputs
    involved (declared as fields with ``path=None``). Rendering is skipped while any of them is unknown. ``paths``
    names the REST paths ``render`` may write (the reference shows them as the inputs' REST paths; a test renders
    every datasource kind and checks it writes nothing else).
    """

    fields: tuple[str, ...]
    render: Callable[[Mapping[str, Any]], Mapping[str, Any]]
    parse: Callable[[Mapping[str, Any]], Mapping[str, Any]]
    paths: tuple[str, ...] = ()


class ObjectType(ValueType):
    """A JSON object described by fields, constants, cross-field rules and derivations."""

    def __init__(
        self,
        fields: Sequence[Field],
        *,
        constants: Sequence[Constant] = (),
        rules: Sequence[Rule] = (),
        derivations: Sequence[Derivation] = (),
        description: str = "an object",
    ) -> None:
        self.fields = tuple(fields)
        self.constants = tuple(constants)
        self.derivations = tuple(derivations)
        self.description = description
        self.leaves: tuple[Field, ...] = tuple(self._collect_leaves())
        self.by_name = {f.name: f for f in self.leaves}
        if len(self.by_name) != len(self.leaves):
            raise ValueError(f"duplicate field names in {description}")
        for path in _declared_paths(self.fields, self.constants):
            parse_path(path)
        self.rules: tuple[Rule, ...] = tuple(rules) + tuple(
            rule for group in self.fields if group.flatten for rule in _object(group).rules
        )

    def _collect_leaves(self) -> Iterable[Field]:
        for f in self.fields:
            if not f.flatten:
                yield f
                continue
            for sub in _object(f).leaves:
                yield dataclasses.replace(sub, when=sub.when or f.when) if f.when else sub

    def rest_paths(self) -> dict[str, tuple[str, ...]]:
        """Where each leaf goes in the REST body, from the body's root: its own path under its groups' paths, or the
        paths of the derivation that renders it; fields that are not in the body (URL parts, provider knobs) are
        absent."""
        found: dict[str, tuple[str, ...]] = {}
        for f in self.fields:
            if f.flatten:
                prefix = f"{f.path}." if f.path else ""
                for name, paths in _object(f).rest_paths().items():
                    found[name] = tuple(prefix + p for p in paths)
            elif f.path is not None:
                found[f.name] = (f.path,)
        for derivation in self.derivations:
            for name in derivation.fields:
                found.setdefault(name, derivation.paths)
        return found

    @functools.cached_property
    def input_leaves(self) -> tuple[Field, ...]:
        """Fields a user may set (computed once: every check, diff and read asks)."""
        return tuple(f for f in self.leaves if not f.is_output)

    # -- validation ---------------------------------------------------------------------------------------------

    def validate(self, value: Any, where: str, ctx: Ctx) -> list[InputProblem]:
        if not isinstance(value, Mapping):
            return [InputProblem(where, f"{where} must be {self.description} (a mapping); got {show(value)}")]
        failures: list[InputProblem] = []
        names = [f.name for f in self.input_leaves]
        for key in value:
            if isinstance(key, str) and key.startswith("__"):
                continue
            if key not in self.by_name:
                prop = _join(where, str(key))
                failures.append(
                    InputProblem(
                        prop, f"{prop} is not a known property{suggest(str(key), names)}; known: " + ", ".join(names)
                    )
                )
        bad: set[str] = set()
        normalized = self.normalize(value, ctx)
        for f in self.leaves:
            raw = value.get(f.name)
            prop = _join(where, f.name)
            if ctx.unknown(raw):
                continue
            applies = f.when.holds(normalized, ctx) if f.when else True
            if f.is_output:
                if raw is not None:
                    failures.append(InputProblem(prop, f"{prop} is set by Azure (output only); remove it"))
                    bad.add(f.name)
                continue
            if raw is None:
                if f.required and applies is True and normalized.get(f.name) is None:
                    cond = f" when {f.when.describe()}" if f.when else ""
                    failures.append(InputProblem(prop, f"{prop} is required{cond}; expected {f.type.description}"))
                    bad.add(f.name)
                continue
            if applies is False and f.when is not None:
                current = normalized.get(f.when.field)
                failures.append(
                    InputProblem(prop, f"{prop} applies only when {f.when.describe()} (it is {show(current)})")
                )
                bad.add(f.name)
                continue
            found = f.type.validate(raw, prop, ctx)
            if found:
                failures.extend(found)
                bad.add(f.name)
        for rule in self.rules:
            involved = [normalized.get(name) for name in rule.fields]
            if bad.intersection(rule.fields) or any(ctx.has_unknown(v) for v in involved):
                continue
            for prop, reason in rule.check(normalized):
                failures.append(InputProblem(_join(where, prop), reason))
        return failures

    # -- normalization and comparison ---------------------------------------------------------------------------

    def normalize(self, value: Any, ctx: Ctx) -> Any:
        if not isinstance(value, Mapping):
            return value
        out: dict[str, Any] = {}
        for f in self.leaves:
            raw = value.get(f.name)
            if raw is None:
                continue
            out[f.name] = raw if ctx.unknown(raw) or f.is_output else f.type.normalize(raw, ctx)
        for f in self.leaves:
            if (f.name in out and not is_empty(out[f.name])) or f.is_output or f.default is None:
                continue
            if f.when is None or f.when.holds(out, ctx) is True:
                default = f.default_for(out)
                if default is not None:
                    out[f.name] = f.type.normalize(default, ctx)
        return out

    def canonical(self, value: Any, ctx: Ctx) -> Any:
        if not isinstance(value, Mapping):
            return None if is_empty(value) else value
        out: dict[str, Any] = {}
        for f in self.input_leaves:
            if not f.diff:
                continue
            raw = value.get(f.name)
            item = raw if ctx.unknown(raw) else f.type.canonical(raw, ctx)
            if item is not None:
                out[f.name] = item
        return out or None

    def strip_outputs(self, value: Any) -> Any:
        if not isinstance(value, Mapping):
            return value
        return {f.name: f.type.strip_outputs(value[f.name]) for f in self.input_leaves if value.get(f.name) is not None}

    # -- REST mapping -------------------------------------------------------------------------------------------

    def render(self, value: Any, full: bool = False) -> Any:
        values: Mapping[str, Any] = value if isinstance(value, Mapping) else {}
        out: dict[str, Any] = {}
        ctx = Ctx()
        for derivation in self.derivations:
            if any(ctx.has_unknown(values.get(name)) for name in derivation.fields):
                continue
            for path, item in derivation.render(values).items():
                _merge_at(out, path, item)
        for f in self.fields:
            if f.when is not None and f.when.holds(values, ctx) is not True:
                continue
            if f.flatten:
                group = _object(f)
                members = [m for m in group.leaves if full or not m.is_output]
                if f.path and any(values.get(m.name) is not None for m in members):
                    _merge_at(out, f.path, group.render(values, full))
                continue
            paths = (f.path,) if f.path is not None else ()
            if full and f.read_path is not None:
                paths = (*paths, f.read_path)
            item = values.get(f.name)
            if f.is_output and full and f.path is not None and (item == {} if f.as_derived else item is None):
                delete_path(out, f.path)
                continue
            if item is None or not paths or (f.is_output and not full):
                continue
            rendered = f.type.render(item, full)
            for path in paths:
                set_path(out, path, rendered)
        for const in self.constants:
            set_path(out, const.path, const.value_for(values))
        return out

    def parse(self, raw: Any) -> Any:
        if not isinstance(raw, Mapping):
            return raw
        values: dict[str, Any] = {}
        for derivation in self.derivations:
            values.update({k: v for k, v in derivation.parse(raw).items() if v is not None})
        ctx = Ctx()
        pending = [f for f in self.fields if f.when is not None]
        for f in self.fields:
            if f.when is None:
                self._parse_field(f, raw, values)
        for f in pending:
            if f.when is not None and f.when.holds(values, ctx) is True:
                self._parse_field(f, raw, values)
        echoed = [f for f in self.fields if f.as_derived and f.path is not None]
        if echoed:
            derived: dict[str, Any] = {}
            for derivation in self.derivations:
                for path, item in derivation.render(values).items():
                    _merge_at(derived, path, item)
            for f in echoed:
                assert f.path is not None
                expected, reported = get_path(derived, f.path), values.get(f.name)
                if reported is None and expected is not None:
                    values[f.name] = {}
                elif reported is not None and expected == f.type.render(reported, True):
                    del values[f.name]
        return values

    def _parse_field(self, f: Field, raw: Mapping[str, Any], values: dict[str, Any]) -> None:
        if f.flatten:
            sub = get_path(raw, f.path) if f.path else None
            if isinstance(sub, Mapping):
                values.update({k: v for k, v in _object(f).parse(sub).items() if v is not None})
            return
        source = f.path if f.path is not None else f.read_path
        item = get_path(raw, source) if source is not None else None
        if item is not None:
            values[f.name] = f.type.parse(item)
        elif f.id_part is not None:
            extracted = f.id_part.extract(raw.get("id"))
            if extracted is not None:
                values[f.name] = extracted


def _declared_paths(fields: Sequence[Field], constants: Sequence[Constant]) -> Iterable[str]:
    for f in fields:
        yield from (p for p in (f.path, f.read_path) if p is not None)
    yield from (c.path for c in constants)


def _object(f: Field) -> ObjectType:
    if not isinstance(f.type, ObjectType):
        raise TypeError(f"flattened field {f.name!r} must have an ObjectType")
    return f.type


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _merge_at(body: dict[str, Any], path: str, value: Any) -> None:
    existing = get_path(body, path)
    set_path(body, path, deep_merge(existing, value) if existing is not None else value)


class UnionType(ValueType):
    """A discriminated union: the input carries ``input_key`` (e.g. ``object_type``), REST carries ``rest_key``;
    ``type_name`` names the union in the generated typed API (each variant is named by its key)."""

    def __init__(
        self,
        variants: Mapping[str, ObjectType],
        *,
        input_key: str = "object_type",
        rest_key: str = "objectType",
        type_name: str = "",
    ) -> None:
        self.variants = dict(variants)
        self.type_name = type_name
        self.input_key = input_key
        self.rest_key = rest_key
        self.description = f"an object whose {input_key} is one of " + ", ".join(self.variants)

    def _split(self, value: Mapping[str, Any]) -> tuple[Any, dict[str, Any]]:
        rest = {k: v for k, v in value.items() if k != self.input_key}
        return value.get(self.input_key), rest

    def validate(self, value: Any, where: str, ctx: Ctx) -> list[InputProblem]:
        if not isinstance(value, Mapping):
            return [InputProblem(where, f"{where} must be {self.description}; got {show(value)}")]
        kind, rest = self._split(value)
        prop = _join(where, self.input_key)
        if ctx.unknown(kind):
            return []
        if kind not in self.variants:
            hint = suggest(kind, list(self.variants)) if isinstance(kind, str) else ""
            return [InputProblem(prop, f"{prop} must be one of {', '.join(self.variants)}; got {show(kind)}{hint}")]
        return self.variants[kind].validate(rest, where, ctx)

    def normalize(self, value: Any, ctx: Ctx) -> Any:
        if not isinstance(value, Mapping):
            return value
        kind, rest = self._split(value)
        variant = self.variants.get(kind) if isinstance(kind, str) else None
        if variant is None:
            return dict(value)
        return {self.input_key: kind, **variant.normalize(rest, ctx)}

    def canonical(self, value: Any, ctx: Ctx) -> Any:
        if not isinstance(value, Mapping):
            return None if is_empty(value) else value
        kind, rest = self._split(value)
        variant = self.variants.get(kind) if isinstance(kind, str) else None
        if variant is None:
            return dict(value)
        return {self.input_key: kind, **(variant.canonical(rest, ctx) or {})}

    def strip_outputs(self, value: Any) -> Any:
        if not isinstance(value, Mapping):
            return value
        kind, rest = self._split(value)
        variant = self.variants.get(kind) if isinstance(kind, str) else None
        if variant is None:
            return dict(value)
        return {self.input_key: kind, **variant.strip_outputs(rest)}

    def render(self, value: Any, full: bool = False) -> Any:
        kind, rest = self._split(value)
        return {self.rest_key: kind, **self.variants[kind].render(rest, full)}

    def parse(self, raw: Any) -> Any:
        if not isinstance(raw, Mapping):
            return raw
        kind = raw.get(self.rest_key)
        variant = self.variants.get(kind) if isinstance(kind, str) else None
        if variant is None:
            return {self.input_key: kind}
        return {self.input_key: kind, **variant.parse(raw)}
