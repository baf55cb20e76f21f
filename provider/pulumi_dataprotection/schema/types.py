"""Value types of the declarative schemas: how one input value is validated, normalized, canonicalized for diffs,
rendered into REST JSON and parsed back.

Every type implements the same five operations so the resource engine can treat values generically:

* ``validate(value, where, ctx)`` -> check failures naming the property ``where`` and saying what is allowed;
* ``normalize(value, ctx)`` -> the input as it will be sent (Azure casing for enums, ints for integral numbers);
* ``canonical(value, ctx)`` -> a comparison form that is itself a valid input (ARM ids lower-cased, sets sorted,
  date-times in UTC, empty values as None); two values are "the same" for diffs when their canonical forms are equal,
  and ``canonical`` is idempotent;
* ``render(value, full)`` -> REST JSON (``full`` also renders output-only fields, used to rebuild response bodies);
* ``parse(raw)`` -> the input value for REST JSON read from Azure (lenient: never raises).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pulumi_dataprotection.schema import regions
from pulumi_dataprotection.schema.iso8601 import (
    canonical_datetime,
    canonical_duration,
    canonical_repeating_interval,
    parse_datetime,
    parse_duration,
    parse_repeating_interval,
)
from pulumi_dataprotection.schema.names import NameRule, id_problems
from pulumi_dataprotection.schema.unknown import UnknownPredicate, contains_unknown, default_is_unknown


@dataclass(frozen=True)
class InputProblem:
    """One invalid input: the property path (``policy_rules[0].name``) and a sentence saying what is allowed."""

    property: str
    reason: str


@dataclass(frozen=True)
class Ctx:
    """Options threaded through every type operation (currently: how to recognise a Pulumi unknown)."""

    is_unknown: UnknownPredicate = field(default=default_is_unknown)

    def unknown(self, value: Any) -> bool:
        """True when ``value`` itself is unknown."""
        return self.is_unknown(value)

    def has_unknown(self, value: Any) -> bool:
        """True when ``value`` or anything nested in it is unknown."""
        return contains_unknown(value, self.is_unknown)


def show(value: Any) -> str:
    """A short, readable rendering of a user value for messages."""
    text = json.dumps(value, default=str) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


def suggest(word: str, choices: Sequence[str]) -> str:
    """`` (did you mean 'x'?)`` when a close match exists, else an empty string."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}?)" if close else ""


def is_empty(value: Any) -> bool:
    """None, empty strings, lists and mappings count as "not set" when comparing."""
    return value is None or (isinstance(value, str | list | tuple | dict) and len(value) == 0)


class ValueType:
    """Base of all value types; subclasses override what differs from "a JSON value passed through"."""

    description = "a value"

    def validate(self, value: Any, where: str, ctx: Ctx) -> list[InputProblem]:
        """Failures for a known ``value`` (nested unknowns are skipped)."""
        return []

    def normalize(self, value: Any, ctx: Ctx) -> Any:
        """The input as it will be sent."""
        return value

    def canonical(self, value: Any, ctx: Ctx) -> Any:
        """The comparison form (a valid input, idempotent); None for empty values."""
        return None if is_empty(value) else value

    def render(self, value: Any, full: bool = False) -> Any:
        """REST JSON for a normalized value."""
        return value

    def parse(self, raw: Any) -> Any:
        """The input value for REST JSON."""
        return raw

    def strip_outputs(self, value: Any) -> Any:
        """``value`` without nested output-only fields."""
        return value


class AnyJson(ValueType):
    """Any JSON value (used for the raw escape hatch and for opaque outputs)."""

    description = "a JSON value"

    def __init__(self, *, object_only: bool = False) -> None:
        self.object_only = object_only
        self.description = "a JSON object" if object_only else "a JSON value"

    def validate(self, value: Any, where: str, ctx: Ctx) -> list[InputProblem]:
        if self.object_only and not isinstance(value, Mapping):
            return [InputProblem(where, f"{where} must be {self.description}; got {show(value)}")]
        if ctx.has_unknown(value):
            return []
        try:
            json.dumps(value)
        except (TypeError, ValueError) as exc:
            return [InputProblem(where, f"{where} must be JSON-serializable: {exc}")]
        return []

    def canonical(self, value: Any, ctx: Ctx) -> Any:
        if isinstance(value, Mapping):
            out = {k: self.canonical(v, ctx) for k, v in value.items()}
            out = {k: v for k, v in out.items() if v is not None}
            return out or None
        if isinstance(value, list | tuple):
            items = [self.canonical(v, ctx) for v in value]
            return items if any(item is not None for item in items) else None
        return _canonical_number(value) if not is_empty(value) else None


def _canonical_number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class StringType(ValueType):
    """A string with optional length bounds and regular expression; compared case-insensitively on request, and
    ``equivalents`` (groups of spellings, e.g. time zone aliases) compare equal to their group's first member."""

    def __init__(
        self,
        *,
        min_length: int | None = None,
        max_length: int | None = None,
        pattern: str | None = None,
        pattern_hint: str | None = None,
        case_insensitive: bool = False,
        equivalents: Sequence[Sequence[str]] = (),
        description: str = "a string",
    ) -> None:
        self.min_length = min_length
        self.max_length = max_length
        self.pattern = re.compile(pattern) if pattern else None
        self.pattern_hint = pattern_hint or (f"the pattern {pattern}" if pattern else "")
        self.case_insensitive = case_insensitive
        self._primary = {member.lower(): group[0] for group in equivalents for member in group}
        self.description = self.pattern_hint if pattern and description == "a string" else description

    def validate(self, value: Any, where: str, ctx: Ctx) -> list[InputProblem]:
        if not isinstance(value, str):
            return [InputProblem(where, f"{where} must be {self.description}; got {show(value)}")]
        rule = f" ({self.pattern_hint})" if self.pattern else ""
        if self.min_length is not None and len(value) < self.min_length:
            if not value:
                return [InputProblem(where, f"{where} must not be empty; expected {self.description}")]
            return [
                InputProblem(where, f"{where} must be at least {self.min_length} characters{rule}; got {show(value)}")
            ]
        if self.max_length is not None and len(value) > self.max_length:
            return [
                InputProblem(where, f"{where} must be at most {self.max_length} characters{rule}; got {len(value)}")
            ]
        if self.pattern and not self.pattern.fullmatch(value):
            return [InputProblem(where, f"{where} must be {self.pattern_hint}; got {show(value)}")]
        return []

    def canonical(self, value: Any, ctx: Ctx) -> Any:
        if is_empty(value) or not isinstance(value, str):
            return None if is_empty(value) else value
        value = self._primary.get(value.lower(), value)
        return value.lower() if self.case_insensitive else value


def name_type(rule: NameRule, *, case_insensitive: bool = False) -> StringType:
    """The value type of an input holding one kind of Azure name (a vault name, a resource group name, ...)."""
    return StringType(
        min_length=rule.min_length,
        max_length=rule.max_length,
        pattern=rule.pattern,
        pattern_hint=rule.one or rule.text,
        case_insensitive=case_insensitive,
    )


class EnumType(ValueType):
    """One of fixed values, matched case-insensitively and normalized to Azure's casing.

    ``aliases`` are accepted spellings normalized to a value (``{"LRS": "LocallyRedundant", True: "Enabled"}``);
    ``equivalents`` are groups of values kept as written but equal when compared (``[("OssDB", "Microsoft...")]``);
    ``type_name`` names the enumeration in the generated typed API (default: from the field's name).
    """

    def __init__(
        self,
        values: Sequence[str],
        *,
        aliases: Mapping[Any, str] | None = None,
        equivalents: Sequence[Sequence[str]] = (),
        type_name: str = "",
    ) -> None:
        self.values = tuple(values)
        self.type_name = type_name
        self.aliases: dict[Any, str] = dict(aliases or {})
        self._by_lower = {v.lower(): v for v in self.values}
        self._aliases: dict[Any, str] = {}
        for key, target in (aliases or {}).items():
            self._aliases[key.lower() if isinstance(key, str) else key] = target
        self._primary: dict[str, str] = {}
        for group in equivalents:
            for member in group:
                self._primary[member.lower()] = group[0]
        alias_words = [k for k in (aliases or {}) if isinstance(k, str)]
        extra = f" (or {', '.join(alias_words)})" if alias_words else ""
        self.description = "one of " + ", ".join(self.values) + extra

    def lookup(self, value: Any) -> str | None:
        """The declared value ``value`` stands for, or None."""
        if isinstance(value, bool):
            return self._aliases.get(value)
        if not isinstance(value, str):
            return None
        key = value.strip().lower()
        return self._by_lower.get(key) or self._aliases.get(key)

    def validate(self, value: Any, where: str, ctx: Ctx) -> list[InputProblem]:
        if self.lookup(value) is None:
            hint = suggest(value, self.values) if isinstance(value, str) else ""
            return [InputProblem(where, f"{where} must be {self.description}; got {show(value)}{hint}")]
        return []

    def normalize(self, value: Any, ctx: Ctx) -> Any:
        return self.lookup(value) or value

    def canonical(self, value: Any, ctx: Ctx) -> Any:
        if is_empty(value):
            return None
        resolved = self.lookup(value) or value
        if isinstance(resolved, str):
            return self._primary.get(resolved.lower(), resolved)
        return resolved

    def parse(self, raw: Any) -> Any:
        # Azure's own spelling of a declared value is kept (it writes soft delete ``OFF`` for some vaults), so
        # outputs say what Azure says; ``canonical`` compares it equal to ``Off``. Aliases still become the value.
        if isinstance(raw, str) and raw.strip().lower() in self._by_lower:
            return raw
        return self.lookup(raw) or raw


class IntType(ValueType):
    """An integer in an optional range (Pulumi sends numbers as floats: integral floats are accepted)."""

    def __init__(self, *, minimum: int | None = None, maximum: int | None = None) -> None:
        self.minimum = minimum
        self.maximum = maximum
        self.description = "an integer" + _range_text(minimum, maximum)

    def validate(self, value: Any, where: str, ctx: Ctx) -> list[InputProblem]:
        ok = isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer()
        if not ok:
            return [InputProblem(where, f"{where} must be {self.description}; got {show(value)}")]
        return _range_failures(value, self.minimum, self.maximum, where, self.description)

    def normalize(self, value: Any, ctx: Ctx) -> Any:
        return int(value) if isinstance(value, float) and value.is_integer() else value

    def canonical(self, value: Any, ctx: Ctx) -> Any:
        return None if value is None else self.normalize(value, ctx)

    def parse(self, raw: Any) -> Any:
        return int(raw) if isinstance(raw, float) and raw.is_integer() else raw


def _range_text(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f" from {minimum} to {maximum}"
    if minimum is not None:
        return f" of at least {minimum}"
    if maximum is not None:
        return f" of at most {maximum}"
    return ""


def _range_failures(
    value: float, minimum: int | None, maximum: int | None, where: str, description: str
) -> list[InputProblem]:
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        return [InputProblem(where, f"{where} must be {description}; got {show(value)}")]
    return []


class BoolType(ValueType):
    """true or false."""

    description = "true or false"

    def validate(self, value: Any, where: str, ctx: Ctx) -> list[InputProblem]:
        if not isinstance(value, bool):
            return [InputProblem(where, f"{where} must be true or false; got {show(value)}")]
        return []


class ArmIdType(ValueType):
    """An Azure Resource Manager id, compared case-insensitively; every name in it must follow Azure's naming rule
    for its kind (``schema.names``), so a bad id fails at preview naming the property instead of being sent.

    ``resource_type`` (e.g. ``Microsoft.Compute/disks`` or ``Microsoft.DataProtection/backupVaults/backupPolicies``)
    restricts the kind of resource; ``resource_group=True`` expects a resource group id instead.
    """

    def __init__(self, resource_type: str | None = None, *, resource_group: bool = False) -> None:
        self.resource_type = resource_type
        self.resource_group = resource_group
        if resource_group:
            self.description = "a resource group id (/subscriptions/<id>/resourceGroups/<name>)"
        elif resource_type:
            namespace, *kinds = resource_type.split("/")
            tail = "/".join(f"{kind}/<name>" for kind in kinds)
            self.description = (
                f"a {resource_type} id (/subscriptions/<id>/resourceGroups/<rg>/providers/{namespace}/{tail})"
            )
        else:
            self.description = "an Azure resource id (/subscriptions/<id>/resourceGroups/<rg>/providers/...)"

    def validate(self, value: Any, where: str, ctx: Ctx) -> list[InputProblem]:
        bad = [InputProblem(where, f"{where} must be {self.description}; got {show(value)}")]
        if not isinstance(value, str):
            return bad
        parts = value.rstrip("/").split("/")
        if len(parts) < 5 or parts[0] != "" or parts[1].lower() != "subscriptions" or any(not p for p in parts[1:]):
            return bad
        if parts[3].lower() != "resourcegroups":
            return bad
        if self.resource_group and len(parts) != 5:
            return bad
        if not self.resource_group and (len(parts) < 9 or parts[5].lower() != "providers" or len(parts) % 2 == 0):
            return bad
        if self.resource_type and resource_type_of(value).lower() != self.resource_type.lower():
            return bad
        problems = id_problems(value)
        if problems:
            return [InputProblem(where, f"{where} must be {self.description}; " + "; ".join(problems))]
        return []

    def canonical(self, value: Any, ctx: Ctx) -> Any:
        if is_empty(value):
            return None
        return value.rstrip("/").lower() if isinstance(value, str) else value


def resource_type_of(arm_id: str) -> str:
    """``Microsoft.Compute/disks`` for a disk id; nested types are joined (``.../servers/databases``)."""
    parts = arm_id.rstrip("/").split("/")
    if len(parts) < 9:
        return ""
    namespace, rest = parts[6], parts[7:]
    return "/".join([namespace, *rest[0::2]])


class LocationType(ValueType):
    """An Azure region, by name or display name in any case (``West Europe``, ``WestEurope``, ``westeurope``), as
    Azure accepts it; sent, read back and compared as the name Azure returns (``westeurope``), so diffs never flap."""

    description = "an Azure region such as westeurope (or its display name, West Europe)"

    def validate(self, value: Any, where: str, ctx: Ctx) -> list[InputProblem]:
        if not isinstance(value, str) or not value.strip():
            return [InputProblem(where, f"{where} must be {self.description}; got {show(value)}")]
        if regions.region_name(value) is not None:
            return []
        close = [repr(name) for name in regions.closest(value)]
        options = close[0] if len(close) == 1 else f"{', '.join(close[:-1])} or {close[-1]}"
        return [
            InputProblem(
                where,
                f"{where}: {show(value)} is not an Azure region (did you mean {options}?); use a region name or "
                "display name as `az account list-locations` lists them",
            )
        ]

    def normalize(self, value: Any, ctx: Ctx) -> Any:
        return (regions.region_name(value) or value) if isinstance(value, str) else value

    def canonical(self, value: Any, ctx: Ctx) -> Any:
        if is_empty(value) or not isinstance(value, str):
            return None if is_empty(value) else value
        return regions.region_name(value) or regions.lookup_key(value)

    def parse(self, raw: Any) -> Any:
        return self.normalize(raw, Ctx())


class DurationType(ValueType):
    """An ISO-8601 duration (``P7D``, ``P12W``, ``PT4H``), not zero; normalized to upper case."""

    description = "an ISO-8601 duration such as P7D, P12W, P6M or P1Y"

    def validate(self, value: Any, where: str, ctx: Ctx) -> list[InputProblem]:
        parsed = parse_duration(value) if isinstance(value, str) else None
        if parsed is None or parsed.is_zero:
            return [InputProblem(where, f"{where} must be {self.description} (not zero); got {show(value)}")]
        return []

    def normalize(self, value: Any, ctx: Ctx) -> Any:
        return canonical_duration(value) if isinstance(value, str) else value

    def canonical(self, value: Any, ctx: Ctx) -> Any:
        return None if is_empty(value) else self.normalize(value, ctx)


class DateTimeType(ValueType):
    """An ISO-8601 date-time; equal instants compare equal whatever the offset notation."""

    description = "an ISO-8601 date-time such as 2024-01-01T02:00:00Z"

    def validate(self, value: Any, where: str, ctx: Ctx) -> list[InputProblem]:
        if not isinstance(value, str) or parse_datetime(value) is None:
            return [InputProblem(where, f"{where} must be {self.description}; got {show(value)}")]
        return []

    def canonical(self, value: Any, ctx: Ctx) -> Any:
        if is_empty(value):
            return None
        return canonical_datetime(value) if isinstance(value, str) else value


class RepeatingIntervalType(ValueType):
    """An ISO-8601 repeating interval ``R/<start date-time>/<period>`` such as ``R/2024-01-01T02:00:00+00:00/PT4H``."""

    description = "an ISO-8601 repeating interval such as R/2024-01-01T02:00:00+00:00/PT4H"

    def validate(self, value: Any, where: str, ctx: Ctx) -> list[InputProblem]:
        if not isinstance(value, str) or parse_repeating_interval(value) is None:
            return [InputProblem(where, f"{where} must be {self.description}; got {show(value)}")]
        return []

    def canonical(self, value: Any, ctx: Ctx) -> Any:
        if is_empty(value):
            return None
        return canonical_repeating_interval(value) if isinstance(value, str) else value


class ListType(ValueType):
    """A list of items; ``ordered=False`` makes it a set for comparisons (sorted in canonical form)."""

    def __init__(
        self,
        item: ValueType,
        *,
        min_items: int | None = None,
        max_items: int | None = None,
        ordered: bool = True,
        unique: bool = False,
    ) -> None:
        self.item = item
        self.min_items = min_items
        self.max_items = max_items
        self.ordered = ordered
        self.unique = unique
        self.description = f"a list of {item.description}"

    def validate(self, value: Any, where: str, ctx: Ctx) -> list[InputProblem]:
        if not isinstance(value, list | tuple):
            return [InputProblem(where, f"{where} must be {self.description}; got {show(value)}")]
        failures: list[InputProblem] = []
        if self.min_items is not None and len(value) < self.min_items:
            failures.append(InputProblem(where, f"{where} needs at least {self.min_items} item(s); got {len(value)}"))
        if self.max_items is not None and len(value) > self.max_items:
            failures.append(InputProblem(where, f"{where} allows at most {self.max_items} item(s); got {len(value)}"))
        for i, item in enumerate(value):
            if item is None:
                failures.append(InputProblem(f"{where}[{i}]", f"{where}[{i}] must not be null"))
            elif not ctx.unknown(item):
                failures.extend(self.item.validate(item, f"{where}[{i}]", ctx))
        if self.unique and not failures and not ctx.has_unknown(value):
            seen: dict[str, int] = {}
            for i, item in enumerate(value):
                key = _sort_key(self.item.canonical(self.item.normalize(item, ctx), ctx))
                if key in seen:
                    failures.append(
                        InputProblem(f"{where}[{i}]", f"{where}[{i}] repeats {where}[{seen[key]}] ({show(item)})")
                    )
                seen.setdefault(key, i)
        return failures

    def normalize(self, value: Any, ctx: Ctx) -> Any:
        if not isinstance(value, list | tuple):
            return value
        return [item if ctx.unknown(item) else self.item.normalize(item, ctx) for item in value]

    def canonical(self, value: Any, ctx: Ctx) -> Any:
        if is_empty(value) or not isinstance(value, list | tuple):
            return None if is_empty(value) else value
        items = [item if ctx.unknown(item) else self.item.canonical(item, ctx) for item in value]
        if not self.ordered:
            items.sort(key=_sort_key)
        return items

    def render(self, value: Any, full: bool = False) -> Any:
        return [self.item.render(item, full) for item in value]

    def parse(self, raw: Any) -> Any:
        return [self.item.parse(item) for item in raw] if isinstance(raw, list) else raw

    def strip_outputs(self, value: Any) -> Any:
        return [self.item.strip_outputs(item) for item in value] if isinstance(value, list | tuple) else value


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


class MapType(ValueType):
    """A string-keyed mapping (tags): Azure limits tag names to 512 and values to 256 characters, 50 tags."""

    def __init__(
        self,
        value: ValueType,
        *,
        max_items: int | None = None,
        max_key_length: int | None = None,
        description: str = "a mapping",
    ) -> None:
        self.value = value
        self.max_items = max_items
        self.max_key_length = max_key_length
        self.description = f"{description} of names to {value.description}"

    def validate(self, value: Any, where: str, ctx: Ctx) -> list[InputProblem]:
        if not isinstance(value, Mapping):
            return [InputProblem(where, f"{where} must be {self.description}; got {show(value)}")]
        failures: list[InputProblem] = []
        if self.max_items is not None and len(value) > self.max_items:
            failures.append(InputProblem(where, f"{where} allows at most {self.max_items} entries; got {len(value)}"))
        for key, item in value.items():
            inner = f"{where}[{key!r}]"
            if not isinstance(key, str) or not key:
                failures.append(InputProblem(where, f"{where} keys must be non-empty strings; got {show(key)}"))
            elif self.max_key_length is not None and len(key) > self.max_key_length:
                failures.append(InputProblem(inner, f"{inner}: names are limited to {self.max_key_length} characters"))
            if not ctx.unknown(item):
                failures.extend(self.value.validate(item, inner, ctx))
        return failures

    def normalize(self, value: Any, ctx: Ctx) -> Any:
        if not isinstance(value, Mapping):
            return value
        return {k: v if ctx.unknown(v) else self.value.normalize(v, ctx) for k, v in value.items()}

    def canonical(self, value: Any, ctx: Ctx) -> Any:
        if is_empty(value) or not isinstance(value, Mapping):
            return None if is_empty(value) else value
        return {k: v if ctx.unknown(v) else self.value.canonical(v, ctx) for k, v in sorted(value.items())}

    def render(self, value: Any, full: bool = False) -> Any:
        return {k: self.value.render(v, full) for k, v in value.items()}

    def parse(self, raw: Any) -> Any:
        return {k: self.value.parse(v) for k, v in raw.items()} if isinstance(raw, dict) else raw


class IdSetAsMap(ListType):
    """A set of ARM ids sent as the keys of a JSON object (``userAssignedIdentities: {"<id>": {}}``)."""

    def __init__(self, item: ArmIdType) -> None:
        super().__init__(item, ordered=False, unique=True)

    def render(self, value: Any, full: bool = False) -> Any:
        return {item: {} for item in value}

    def parse(self, raw: Any) -> Any:
        return list(raw) if isinstance(raw, dict) else raw


class Boxed(ValueType):
    """A scalar input sent as a small object with constant companions.

    ``Boxed(DurationType(), "duration", {"objectType": "AbsoluteDeleteOption"})`` turns ``"P7D"`` into
    ``{"duration": "P7D", "objectType": "AbsoluteDeleteOption"}``.
    """

    def __init__(self, inner: ValueType, key: str, constants: Mapping[str, Any]) -> None:
        self.inner = inner
        self.key = key
        self.constants = dict(constants)
        self.description = inner.description

    def validate(self, value: Any, where: str, ctx: Ctx) -> list[InputProblem]:
        return self.inner.validate(value, where, ctx)

    def normalize(self, value: Any, ctx: Ctx) -> Any:
        return self.inner.normalize(value, ctx)

    def canonical(self, value: Any, ctx: Ctx) -> Any:
        return self.inner.canonical(value, ctx)

    def render(self, value: Any, full: bool = False) -> Any:
        return {self.key: self.inner.render(value, full), **self.constants}

    def parse(self, raw: Any) -> Any:
        return self.inner.parse(raw.get(self.key)) if isinstance(raw, dict) else raw
