"""Validate JSON bodies against Microsoft's official OpenAPI spec for Microsoft.DataProtection: 2026-06-01 (the
provider's default api-version) or 2025-09-01 (still selectable; it holds most of the official examples).

The spec is read from ``../shared`` (never copied into the project). The validator understands what the spec uses:
``$ref`` across files, ``allOf`` inheritance, ``objectType`` discriminators (transitively), ``readOnly``,
``required``, ``additionalProperties``, enums and the common formats. It is strict by default: properties the
schema does not declare, enum values the spec does not list and read-only properties in requests are errors, so a
misspelt or invented field in a body we send (or the emulator returns) fails the test.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_DIR = (REPO_ROOT / ".." / "shared").resolve()
STABLE_DIR = (
    SHARED_DIR
    / "reference/azure-spec/specification/dataprotection/resource-manager/Microsoft.DataProtection"
    / "DataProtection/stable"
)
DEFAULT_VERSION = "2026-06-01"
"""The provider's default api-version; ``SPEC_VERSIONS`` are those with a spec under ``../shared``."""
SPEC_VERSIONS = ("2025-09-01", DEFAULT_VERSION)
SPEC_DIR = STABLE_DIR / "2025-09-01"
"""The folder of the 2025-09-01 spec and its official examples (2026-06-01's holds only its new examples)."""
SPEC_FILE = SPEC_DIR / "dataprotection.json"


def spec_file(version: str) -> Path:
    """The spec of an api-version."""
    return STABLE_DIR / version / "dataprotection.json"


Mode = Literal["request", "response"]
SchemaRef = tuple[Path, str]

_DURATION = re.compile(r"^-?P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_HTTP_METHODS = ("get", "put", "post", "patch", "delete", "head")


class SpecError(AssertionError):
    """A body does not conform to the official spec."""


@dataclass(frozen=True)
class Operation:
    """One operation of the spec: its method, path template, request body and responses."""

    operation_id: str
    method: str
    path: str
    body_parameter: str | None
    body_schema: SchemaRef | None
    responses: dict[str, SchemaRef | None]
    long_running: bool
    final_state_via: str | None
    examples: tuple[Path, ...]


@dataclass(frozen=True)
class Example:
    """One official example file: the request parameters and the responses per status code."""

    path: Path
    operation_id: str
    parameters: dict[str, Any]
    responses: dict[str, Any] = field(default_factory=dict)

    @property
    def request_body(self) -> Any:
        """The example's request body, or None when the operation takes none."""
        return self.parameters.get(_operation_body_name(self.operation_id))

    def response_body(self, status: int | str) -> Any:
        """The example's response body for a status code (None when it has none)."""
        entry = self.responses.get(str(status)) or {}
        return entry.get("body")


class Spec:
    """The loaded spec with its referenced files, a discriminator index and a strict validator."""

    def __init__(self, spec_file: Path = SPEC_FILE) -> None:
        if not spec_file.exists():
            raise FileNotFoundError(f"official spec not found at {spec_file}: tests need ../shared beside the repo")
        self.spec_file = spec_file.resolve()
        self._docs: dict[Path, dict[str, Any]] = {}
        self._subtypes: dict[SchemaRef, dict[str, SchemaRef]] = {}
        self._index_discriminators()
        self._operations = self._index_operations()

    # -- loading and references -------------------------------------------------------------------------------

    def _doc(self, path: Path) -> dict[str, Any]:
        path = path.resolve()
        if path not in self._docs:
            self._docs[path] = json.loads(path.read_text(encoding="utf-8"))
        return self._docs[path]

    def _ref(self, base: Path, ref: str) -> SchemaRef:
        target, _, pointer = ref.partition("#")
        file = (base.parent / target).resolve() if target else base
        return file, pointer

    def _at(self, ref: SchemaRef) -> dict[str, Any]:
        node: Any = self._doc(ref[0])
        for part in [p for p in ref[1].split("/") if p]:
            node = node[part.replace("~1", "/").replace("~0", "~")]
        if not isinstance(node, dict):
            raise SpecError(f"spec pointer {ref} is not a schema")
        return node

    def definition(self, name: str) -> SchemaRef:
        """The reference of a definition of the main spec file by name."""
        if name not in self._doc(self.spec_file)["definitions"]:
            raise KeyError(f"no definition {name!r} in {self.spec_file.name}")
        return self.spec_file, f"/definitions/{name}"

    def _index_discriminators(self) -> None:
        direct: dict[SchemaRef, list[tuple[str, SchemaRef]]] = {}
        for file in (self.spec_file,):
            for name, schema in self._doc(file)["definitions"].items():
                me = (file, f"/definitions/{name}")
                value = schema.get("x-ms-discriminator-value", name)
                for parent in schema.get("allOf", []):
                    if "$ref" in parent:
                        direct.setdefault(self._ref(file, parent["$ref"]), []).append((value, me))

        def collect(base: SchemaRef) -> Iterator[tuple[str, SchemaRef]]:
            for value, sub in direct.get(base, []):
                yield value, sub
                yield from collect(sub)

        for base in direct:
            if "discriminator" in self._at(base):
                self._subtypes[base] = dict(collect(base))

    def _index_operations(self) -> dict[str, Operation]:
        doc = self._doc(self.spec_file)
        ops: dict[str, Operation] = {}
        for path, item in doc["paths"].items():
            for method in _HTTP_METHODS:
                op = item.get(method)
                if not op:
                    continue
                body_name, body_schema = None, None
                for param in op.get("parameters", []):
                    if "$ref" in param:
                        param = self._at(self._ref(self.spec_file, param["$ref"]))
                    if param.get("in") == "body":
                        body_name = param["name"]
                        body_schema = self._schema_ref(self.spec_file, param["schema"])
                responses: dict[str, SchemaRef | None] = {}
                for status, resp in op.get("responses", {}).items():
                    responses[status] = self._schema_ref(self.spec_file, resp["schema"]) if "schema" in resp else None
                examples = tuple(
                    (self.spec_file.parent / ex["$ref"]).resolve()
                    for ex in op.get("x-ms-examples", {}).values()
                    if (self.spec_file.parent / ex["$ref"]).exists()
                )
                options = op.get("x-ms-long-running-operation-options", {})
                ops[op["operationId"]] = Operation(
                    operation_id=op["operationId"],
                    method=method.upper(),
                    path=path,
                    body_parameter=body_name,
                    body_schema=body_schema,
                    responses=responses,
                    long_running=bool(op.get("x-ms-long-running-operation")),
                    final_state_via=options.get("final-state-via"),
                    examples=examples,
                )
        return ops

    def _schema_ref(self, base: Path, schema: dict[str, Any]) -> SchemaRef:
        if "$ref" in schema:
            return self._ref(base, schema["$ref"])
        raise SpecError(f"inline body schemas are not expected in this spec: {schema}")

    # -- public API ---------------------------------------------------------------------------------------------

    def operation(self, operation_id: str) -> Operation:
        """The operation with this operationId."""
        return self._operations[operation_id]

    def operations(self) -> dict[str, Operation]:
        """Every operation of the spec by operationId."""
        return dict(self._operations)

    def examples(self) -> list[Example]:
        """Every official example referenced by an operation of the spec (files present under examples/)."""
        out = []
        for op in self._operations.values():
            for path in op.examples:
                data = json.loads(path.read_text(encoding="utf-8"))
                out.append(Example(path, op.operation_id, data.get("parameters", {}), data.get("responses", {})))
        return out

    def validate(
        self,
        definition: str | SchemaRef,
        body: Any,
        mode: Mode = "request",
        *,
        lenient_enums: bool = False,
        allow_readonly_in_request: bool = False,
    ) -> list[str]:
        """Every way ``body`` departs from the schema; an empty list means it is valid."""
        ref = self.definition(definition) if isinstance(definition, str) else definition
        ctx = _Ctx(mode, lenient_enums, allow_readonly_in_request, [])
        self._validate(ref, body, "$", ctx)
        return ctx.errors

    def assert_valid(self, definition: str | SchemaRef, body: Any, mode: Mode = "request", **kw: bool) -> None:
        """Raise SpecError listing every violation when ``body`` does not conform."""
        errors = self.validate(definition, body, mode, **kw)
        if errors:
            name = definition if isinstance(definition, str) else definition[1]
            raise SpecError(f"{mode} body does not conform to {name}:\n  " + "\n  ".join(errors))

    def validate_request(self, operation_id: str, body: Any, **kw: bool) -> list[str]:
        """Violations of the request body of an operation (an operation without a body accepts only None)."""
        op = self.operation(operation_id)
        if op.body_schema is None:
            return [] if body in (None, "", {}) else [f"$: {operation_id} takes no request body"]
        return self.validate(op.body_schema, body, "request", **kw)

    def validate_response(self, operation_id: str, status: int | str, body: Any, **kw: bool) -> list[str]:
        """Violations of a response: the status must be declared (or fall to default) and the body must match."""
        op = self.operation(operation_id)
        key = str(status)
        if key not in op.responses:
            if int(status) < 400 or "default" not in op.responses:
                return [f"$: {operation_id} does not declare status {status} (declared: {sorted(op.responses)})"]
            key = "default"
        schema = op.responses[key]
        if schema is None:
            return [] if body in (None, "", b"") else [f"$: {operation_id} declares no body for status {status}"]
        return self.validate(schema, body, "response", **kw)

    # -- validation -----------------------------------------------------------------------------------------------

    def _validate(self, ref: SchemaRef, value: Any, where: str, ctx: _Ctx, *, dispatch: bool = True) -> None:
        schema = self._at(ref)
        if "$ref" in schema:
            self._validate(self._ref(ref[0], schema["$ref"]), value, where, ctx, dispatch=dispatch)
            return
        if dispatch and "discriminator" in schema and isinstance(value, dict):
            prop = schema["discriminator"]
            kind = value.get(prop)
            own = schema.get("x-ms-discriminator-value", ref[1].rsplit("/", 1)[-1])
            subtypes = self._subtypes.get(ref, {})
            if kind in subtypes:
                self._validate(subtypes[kind], value, where, ctx, dispatch=False)
                return
            if kind != own:
                known = sorted([own, *subtypes])
                ctx.errors.append(f"{where}.{prop}: {kind!r} is not a known {prop} (known: {known})")
                return
        self._check_node(ref, schema, value, where, ctx)

    def _flatten(self, ref: SchemaRef) -> tuple[dict[str, tuple[SchemaRef, dict[str, Any]]], set[str], Any]:
        """Properties (with the file each was declared in), required names and additionalProperties of a schema."""
        schema = self._at(ref)
        if "$ref" in schema:
            return self._flatten(self._ref(ref[0], schema["$ref"]))
        props: dict[str, tuple[SchemaRef, dict[str, Any]]] = {}
        required: set[str] = set(schema.get("required", []))
        additional = schema.get("additionalProperties")
        for parent in schema.get("allOf", []):
            parent_ref = self._ref(ref[0], parent["$ref"]) if "$ref" in parent else None
            if parent_ref is None:
                raise SpecError(f"inline allOf in {ref} is not supported")
            p_props, p_req, p_add = self._flatten(parent_ref)
            props.update(p_props)
            required |= p_req
            additional = additional if additional is not None else p_add
        for name, sub in schema.get("properties", {}).items():
            props[name] = ((ref[0], f"{ref[1]}/properties/{name}"), sub)
        return props, required, additional

    def _check_node(self, ref: SchemaRef, schema: dict[str, Any], value: Any, where: str, ctx: _Ctx) -> None:
        declared_type = schema.get("type")
        has_shape = "properties" in schema or "allOf" in schema
        if value is None:
            if schema.get("x-nullable"):
                return
            ctx.errors.append(f"{where}: null is not allowed")
            return
        if declared_type == "object" or (declared_type is None and has_shape):
            self._check_object(ref, value, where, ctx)
        elif declared_type == "array":
            if not isinstance(value, list):
                ctx.errors.append(f"{where}: expected an array, got {type(value).__name__}")
                return
            items = schema.get("items")
            if items is not None:
                item_ref = self._ref(ref[0], items["$ref"]) if "$ref" in items else (ref[0], f"{ref[1]}/items")
                for i, item in enumerate(value):
                    self._validate(item_ref, item, f"{where}[{i}]", ctx)
        elif declared_type is not None:
            self._check_scalar(schema, value, where, ctx)

    def _check_object(self, ref: SchemaRef, value: Any, where: str, ctx: _Ctx) -> None:
        if not isinstance(value, dict):
            ctx.errors.append(f"{where}: expected an object, got {type(value).__name__}")
            return
        props, required, additional = self._flatten(ref)
        for name in sorted(required):
            prop_schema = props.get(name, (ref, {}))[1]
            is_ro = self._is_readonly(props[name][0], prop_schema) if name in props else False
            if name not in value and not (ctx.mode == "request" and is_ro):
                ctx.errors.append(f"{where}: required property {name!r} is missing")
        for name, item in value.items():
            child = f"{where}.{name}"
            if name in props:
                prop_ref, prop_schema = props[name]
                if ctx.mode == "request" and not ctx.allow_readonly and self._is_readonly(prop_ref, prop_schema):
                    ctx.errors.append(f"{child}: read-only property sent in a request")
                    continue
                self._validate(prop_ref, item, child, ctx)
            elif isinstance(additional, dict):
                add_ref = (
                    self._ref(ref[0], additional["$ref"])
                    if "$ref" in additional
                    else (ref[0], self._pointer_of(ref, "additionalProperties"))
                )
                self._validate(add_ref, item, child, ctx)
            elif additional is True or (not props and additional is None):
                continue
            else:
                ctx.errors.append(f"{child}: property not declared by the spec")

    def _pointer_of(self, ref: SchemaRef, key: str) -> str:
        schema = self._at(ref)
        if key in schema:
            return f"{ref[1]}/{key}"
        for parent in schema.get("allOf", []):
            parent_ref = self._ref(ref[0], parent["$ref"])
            if key in self._at(parent_ref) or self._at(parent_ref).get("allOf"):
                return self._pointer_of(parent_ref, key)
        raise SpecError(f"{key} not found under {ref}")

    def _is_readonly(self, ref: SchemaRef, schema: dict[str, Any]) -> bool:
        if schema.get("readOnly"):
            return True
        if "$ref" in schema:
            target = self._ref(ref[0], schema["$ref"])
            return bool(self._at(target).get("readOnly"))
        return False

    def _check_scalar(self, schema: dict[str, Any], value: Any, where: str, ctx: _Ctx) -> None:
        kind = schema["type"]
        ok = {
            "string": isinstance(value, str),
            "boolean": isinstance(value, bool),
            "integer": isinstance(value, int) and not isinstance(value, bool),
            "number": isinstance(value, int | float) and not isinstance(value, bool),
        }.get(kind, True)
        if not ok:
            ctx.errors.append(f"{where}: expected {kind}, got {type(value).__name__} {value!r}")
            return
        enum = schema.get("enum")
        if enum is not None and value not in enum and not ctx.lenient_enums:
            ctx.errors.append(f"{where}: {value!r} is not one of {enum}")
        fmt = schema.get("format")
        if isinstance(value, str) and fmt:
            problem = _format_problem(fmt, value)
            if problem:
                ctx.errors.append(f"{where}: {problem}")


@dataclass
class _Ctx:
    mode: Mode
    lenient_enums: bool
    allow_readonly: bool
    errors: list[str]


def _format_problem(fmt: str, value: str) -> str | None:
    if fmt == "date-time":
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return f"{value!r} is not an RFC 3339 date-time"
    elif fmt == "duration" and not _DURATION.match(value):
        return f"{value!r} is not an ISO-8601 duration"
    elif fmt == "uuid" and not _UUID.match(value):
        return f"{value!r} is not a uuid"
    return None


@cache
def _operation_body_name(operation_id: str) -> str:
    op = load_spec().operation(operation_id)
    return op.body_parameter or ""


@cache
def load_spec(version: str = DEFAULT_VERSION) -> Spec:
    """The official spec of an api-version, loaded once per test session."""
    return Spec(spec_file(version))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The read-only reference material beside the repository (``../shared``)."""
    if not SHARED_DIR.is_dir():
        pytest.fail(f"{SHARED_DIR} is missing: the tests read the official spec and recordings from ../shared")
    return SHARED_DIR


@pytest.fixture(scope="session")
def spec(shared_dir: Path) -> Spec:
    """The official Microsoft.DataProtection spec of the provider's default api-version, with a strict validator."""
    return load_spec()


@pytest.fixture(scope="session")
def spec_2025(shared_dir: Path) -> Spec:
    """The official 2025-09-01 spec (the older selectable version, with the official examples)."""
    return load_spec("2025-09-01")
