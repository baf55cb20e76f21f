"""Generates the typed public API of the resources from their declarative schemas, so types and docs cannot drift
from the fields the engine maps to REST.

Per resource it writes one file, ``<resource>/api.py``, that lists every input of the resource: ``Literal`` aliases of
the enumerated inputs, ``TypedDict`` inputs ``<Name>Args`` and outputs ``<Name>`` of the nested objects, and the
resource class (every input a typed keyword argument documented with ``:param:`` from ``Field.doc``, every input and
output a typed ``pulumi.Output`` attribute). The hand-written ``<resource>/resource.py`` keeps the dynamic provider,
which the class imports when a resource is declared (the provider module imports ``api`` for its types).

    python tools/gen_api.py           # print what would change
    python tools/gen_api.py --write   # regenerate the files
    python tools/gen_api.py --check   # exit 1 when a generated file is out of date (a test runs this check)
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pulumi_dataprotection.adhoc.resource import AdhocBackupProvider
from pulumi_dataprotection.dynamic import COMMON_OUTPUTS, SchemaProvider
from pulumi_dataprotection.guard.resource import ResourceGuardProvider
from pulumi_dataprotection.guardlink.resource import GuardLinkProvider
from pulumi_dataprotection.instance.resource import InstanceProvider
from pulumi_dataprotection.policy.resource import PolicyProvider
from pulumi_dataprotection.roleassignment.resource import RoleAssignmentProvider
from pulumi_dataprotection.schema import (
    AnyJson,
    BoolType,
    Boxed,
    EnumType,
    Field,
    IntType,
    ListType,
    MapType,
    ObjectType,
    UnionType,
    ValueType,
)
from pulumi_dataprotection.trustedaccess.resource import TrustedAccessBindingProvider
from pulumi_dataprotection.vault.resource import VaultProvider

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "provider" / "pulumi_dataprotection"
PROVIDERS: tuple[type[SchemaProvider], ...] = (
    VaultProvider,
    PolicyProvider,
    InstanceProvider,
    AdhocBackupProvider,
    ResourceGuardProvider,
    GuardLinkProvider,
    RoleAssignmentProvider,
    TrustedAccessBindingProvider,
)
COMMAND = "python tools/gen_api.py --write"
RUNTIME = ("MODULE", "ArmResource", "resource_options", "resource_props")
"""The names every generated module imports for its resource class."""


def pascal(text: str) -> str:
    """``a day of the month`` / ``days_of_month`` -> ``DayOfTheMonth`` / ``DaysOfMonth``."""
    words = re.split(r"[\s_\-]+", text.strip())
    if words and words[0].lower() in ("a", "an") and len(words) > 1:
        words = words[1:]
    return "".join(w[:1].upper() + w[1:] for w in words if w)


def literal(values: Iterable[str]) -> str:
    """``Literal["a", "b"]``."""
    return "Literal[" + ", ".join(json.dumps(v) for v in values) + "]"


def sentence(text: str) -> str:
    """``text`` ending with a period (empty stays empty)."""
    text = text.strip()
    return text if not text or text.endswith((".", "?", "!")) else f"{text}."


def field_notes(f: Field) -> list[str]:
    """What the schema says about a field besides its doc: requirement, what a change does, defaults, conditions."""
    notes: list[str] = []
    kind = f.mutability.kind
    if f.required and f.when is None and f.default is None:
        notes.append("Required.")
    elif f.required and f.when is not None:
        notes.append(f"Required when {f.when.describe()}.")
    if f.when is not None and not f.required:
        notes.append(f"Applies when {f.when.describe()}.")
    if kind == "create_only":
        notes.append("Changing it replaces the resource.")
    elif kind == "one_way":
        terminal = " or ".join(sorted(f.mutability.terminal))
        notes.append(f"One-way: once {terminal}, it can never change ({f.mutability.reason}).")
    if f.default is not None and not callable(f.default):
        notes.append(f"Default: {json.dumps(f.default)}.")
    elif callable(f.default):
        notes.append("When not set, derived from the other inputs.")
    elif f.computed:
        notes.append("When not set, Azure's value is kept.")
    if not f.diff:
        notes.append("A change of it alone is no change of the resource.")
    if f.secret:
        notes.append("Secret.")
    return notes


def docstring(text: str, indent: str) -> list[str]:
    """A triple-quoted docstring wrapped at 120 columns (one line when it fits); each line of ``text`` is a
    paragraph (``:param`` entries get a hanging indent)."""
    text = text.strip().replace('"""', "'''").replace("\\", "\\\\")
    if "\n" not in text and len(indent) + len(text) + 6 <= 120:
        return [f'{indent}"""{text}"""']
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if not paragraph:
            lines.append("")
            continue
        hanging = "    " if paragraph.startswith(":param") else ""
        lines += textwrap.wrap(
            paragraph,
            width=117,
            initial_indent=indent,
            subsequent_indent=indent + hanging,
            break_on_hyphens=False,
            break_long_words=False,
        )
    lines[0] = f'{indent}"""{lines[0].lstrip()}'
    return [*lines, f'{indent}"""']


@dataclass
class TypedDictDef:
    """One generated TypedDict: its name, docstring and ``(key, type, required, doc)`` entries."""

    name: str
    doc: str
    keys: list[tuple[str, str, bool, str]] = field(default_factory=list)

    def render(self, indent: str = "") -> list[str]:
        """The class statement."""
        lines = [f"{indent}class {self.name}(TypedDict):", *docstring(self.doc, indent + "    ")]
        if self.keys:
            lines.append("")
        for key, type_text, required, doc in self.keys:
            if doc:
                lines += textwrap.wrap(
                    doc, width=120, initial_indent=f"{indent}    #: ", subsequent_indent=f"{indent}    #: "
                )
            lines.append(f"{indent}    {key}: {type_text if required else f'NotRequired[{type_text}]'}")
        return lines


@dataclass
class Api:
    """The definitions of one resource's ``api.py``, collected while the resource's fields are typed."""

    title: str
    literals: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)
    enum_names: dict[int, str] = field(default_factory=dict)
    input_aliases: dict[str, str] = field(default_factory=dict)
    enum_users: dict[str, list[str]] = field(default_factory=dict)
    inputs: list[TypedDictDef] = field(default_factory=list)
    outputs: list[TypedDictDef] = field(default_factory=list)
    input_unions: list[tuple[str, list[str]]] = field(default_factory=list)
    output_unions: list[tuple[str, list[str]]] = field(default_factory=list)
    done: set[str] = field(default_factory=set)

    # -- names ----------------------------------------------------------------------------------------------------

    def enum(self, enum: EnumType, f: Field, owner: str) -> str:
        """The alias of an enumeration's values (shared by every field using the same EnumType)."""
        if id(enum) in self.enum_names:
            name = self.enum_names[id(enum)]
            values = self.literals[name][0]
            if f.name not in self.enum_users[name]:
                self.enum_users[name].append(f.name)
                users = ", ".join(f"``{n}``" for n in self.enum_users[name])
                self.literals[name] = (values, f"Values of {users}.")
            return name
        base = enum.type_name or pascal(f.name)
        if not enum.type_name and isinstance(f.type, ListType) and base.endswith("s"):
            base = base[:-1]
        name = base
        existing = self.literals.get(name)
        if existing is not None and existing[0] != enum.values:
            name = f"{owner}{base}"
        self.literals.setdefault(name, (enum.values, f.doc))
        self.enum_users.setdefault(name, [f.name])
        self.enum_names[id(enum)] = name
        return name

    # -- inputs ---------------------------------------------------------------------------------------------------

    def input_type(self, vt: ValueType, f: Field, owner: str) -> str:
        """The Python type of an input value (inside ``pulumi.Input[...]``)."""
        if isinstance(vt, Boxed):
            return self.input_type(vt.inner, f, owner)
        if isinstance(vt, EnumType):
            name = self.enum(vt, f, owner)
            words = [k for k in vt.aliases if isinstance(k, str)]
            extra = [literal(words)] if words else []
            if any(isinstance(k, bool) for k in vt.aliases):
                extra.append("bool")
            if not extra:
                return name
            self.input_aliases.setdefault(f"{name}Input", " | ".join([name, *extra]))
            return f"{name}Input"
        if isinstance(vt, BoolType):
            return "bool"
        if isinstance(vt, IntType):
            return "int"
        if isinstance(vt, ListType):
            return f"Sequence[pulumi.Input[{self.input_type(vt.item, f, owner)}]]"
        if isinstance(vt, MapType):
            return f"Mapping[str, pulumi.Input[{self.input_type(vt.value, f, owner)}]]"
        if isinstance(vt, AnyJson):
            return "Mapping[str, Any]" if vt.object_only else "Any"
        if isinstance(vt, UnionType):
            names = [self.input_object(obj, key, vt.input_key) for key, obj in vt.variants.items()]
            union = f"{vt.type_name or pascal(f.name)}Args"
            if union not in self.done:
                self.done.add(union)
                self.input_unions.append((union, names))
            return union
        if isinstance(vt, ObjectType):
            return self.input_object(vt, pascal(vt.description), None)
        if type(vt) is ValueType:
            return "Any"
        return "str"

    def input_object(self, obj: ObjectType, base: str, tag: str | None) -> str:
        """The ``<base>Args`` TypedDict of an object's inputs (``tag``: the discriminator key of a union variant)."""
        name = f"{base}Args"
        if name in self.done:
            return name
        self.done.add(name)
        definition = TypedDictDef(name, f"Input: {sentence(obj.description)}")
        if tag is not None:
            definition.keys.append((tag, literal([base]), True, ""))
        for f in obj.input_leaves:
            required = f.required and f.default is None and f.when is None
            doc = " ".join([sentence(f.doc), *(n for n in field_notes(f) if n != "Required.")]).strip()
            definition.keys.append((f.name, f"pulumi.Input[{self.input_type(f.type, f, base)}]", required, doc))
        self.inputs.append(definition)
        return name

    # -- outputs --------------------------------------------------------------------------------------------------

    def output_type(self, vt: ValueType, f: Field, owner: str, *, nested: bool) -> str:
        """The Python type of an output value (plain values: Pulumi resolves them)."""
        if isinstance(vt, Boxed):
            return self.output_type(vt.inner, f, owner, nested=nested)
        if isinstance(vt, EnumType):
            return self.enum(vt, f, owner)
        if isinstance(vt, BoolType):
            return "bool"
        if isinstance(vt, IntType):
            # Pulumi turns numbers into floats and converts them back to int only for top-level annotations.
            return "float" if nested else "int"
        if isinstance(vt, ListType):
            return f"list[{self.output_type(vt.item, f, owner, nested=nested)}]"
        if isinstance(vt, MapType):
            return f"dict[str, {self.output_type(vt.value, f, owner, nested=nested)}]"
        if isinstance(vt, AnyJson):
            return "dict[str, Any]" if vt.object_only else "Any"
        if isinstance(vt, UnionType):
            names = [self.output_object(obj, key, vt.input_key) for key, obj in vt.variants.items()]
            union = vt.type_name or pascal(f.name)
            if union not in self.done:
                self.done.add(union)
                self.output_unions.append((union, names))
            return union
        if isinstance(vt, ObjectType):
            return self.output_object(vt, pascal(vt.description), None)
        if type(vt) is ValueType:
            return "Any"
        return "str"

    def output_object(self, obj: ObjectType, base: str, tag: str | None) -> str:
        """The ``<base>`` TypedDict of an object as outputs hold it (inputs and output-only values)."""
        if base in self.done:
            return base
        self.done.add(base)
        definition = TypedDictDef(base, f"Output: {sentence(obj.description)}")
        if tag is not None:
            definition.keys.append((tag, literal([base]), True, ""))
        for f in obj.leaves:
            required = f.required and f.default is None and f.when is None and not f.is_output
            doc = sentence(f.doc) + (" Set by Azure." if f.is_output else "")
            definition.keys.append((f.name, self.output_type(f.type, f, base, nested=True), required, doc.strip()))
        self.outputs.append(definition)
        return base

    # -- the module -----------------------------------------------------------------------------------------------

    def module(self, resource: str) -> str:
        """The text of ``api.py``, ending with the ``resource`` class."""
        body: list[str] = []
        for name, (values, doc) in self.literals.items():
            body += ["", f"{name} = {literal(values)}", *docstring(sentence(doc) or f"Values of {name}.", ""), ""]
        for name, text in self.input_aliases.items():
            value = name.removesuffix("Input")
            body += ["", f"{name}: TypeAlias = {text}", f'"""{value} or another spelling Azure accepts."""', ""]
        for definition in self.inputs:
            body += ["", "", *definition.render()]
        for name, members in self.input_unions:
            body += ["", "", f"{name}: TypeAlias = {' | '.join(members)}"]
        if self.outputs or self.output_unions:
            body += [
                "",
                "",
                "# Output types are for type checkers: Pulumi converts output values by the resource classes'",
                "# annotations at runtime and accepts no TypedDict there, so at runtime they are plain dicts.",
                "if TYPE_CHECKING:",
            ]
            for definition in self.outputs:
                body += ["", *definition.render("    ")]
            for name, members in self.output_unions:
                body += ["", f"    {name}: TypeAlias = {' | '.join(members)}"]
            names = [d.name for d in self.outputs] + [name for name, _ in self.output_unions]
            body += ["else:", f"    {' = '.join(names)} = dict[str, Any]"]
        body += ["", "", resource]
        text = "\n".join(body)
        typing_names = [
            n
            for n in ("TYPE_CHECKING", "Any", "Literal", "NotRequired", "TypeAlias", "TypedDict")
            if re.search(rf"\b{n}\b", text)
        ]
        abc_names = [n for n in ("Mapping", "Sequence") if re.search(rf"\b{n}\[", text)]
        head = [
            *docstring(
                f"The typed API of {self.title}: its resource class with every input and output, and the enumerations "
                f"and nested types of its inputs; generated from its schema by tools/gen_api.py (do not edit: run "
                f"``{COMMAND}``).",
                "",
            ),
            "",
            "from __future__ import annotations",
            "",
        ]
        if abc_names:
            head.append(f"from collections.abc import {', '.join(abc_names)}")
        if typing_names:
            head.append(f"from typing import {', '.join(typing_names)}")
        head += ["", "import pulumi", "", f"from pulumi_dataprotection.dynamic.resource import {', '.join(RUNTIME)}"]
        return "\n".join(head) + "\n" + text + "\n"


@dataclass
class Param:
    """One keyword argument of a resource constructor: its field, Python type, whether it is required and its notes."""

    field: Field
    type_text: str
    required: bool
    notes: list[str]

    @property
    def name(self) -> str:
        """The input's name."""
        return self.field.name

    @property
    def doc(self) -> str:
        """``Field.doc`` and the notes, for ``:param``."""
        return " ".join([sentence(self.field.doc), *self.notes]).strip()


@dataclass
class Attribute:
    """One attribute of a resource class: its field, output type (inside ``pulumi.Output``) and doc."""

    field: Field
    type_text: str
    doc: str

    @property
    def name(self) -> str:
        """The attribute's name."""
        return self.field.name


def parameters(provider: type[SchemaProvider], api: Api) -> list[Param]:
    """The constructor's keyword arguments: required ones first, then the schema's order."""
    params: list[Param] = []
    for f in provider.schema.root.input_leaves:
        required = f.required and f.default is None and f.when is None and f.name not in provider.named_by
        value = api.input_type(f.type, f, provider.title)
        notes = field_notes(f)
        if provider.named_by and f.name == provider.named_by[0]:
            others = list(provider.named_by[1:])
            unless = f" when {' and '.join(others)} is not set" if others else ""
            notes = [n for n in notes if not n.startswith(("Default", "Required"))]
            notes.append(f"Default: the resource name{unless}.")
        elif f.name in provider.named_by:
            notes = [n for n in notes if not n.startswith("Required")]
        params.append(Param(f, "Any" if value == "Any" else f"pulumi.Input[{value}]", required, notes))
    params.sort(key=lambda p: not p.required)
    return params


def attributes(provider: type[SchemaProvider], api: Api) -> list[Attribute]:
    """Every input and output as an attribute, except the common outputs :class:`ArmResource` declares."""
    by_name = {f.name: f for f in [*provider.schema.fields, *provider.audit_outputs]}
    found: list[Attribute] = []
    for name in [*provider.input_names(), *provider.output_names()]:
        if name in COMMON_OUTPUTS:
            continue
        f = by_name[name]
        value = api.output_type(f.type, f, provider.title, nested=False)
        always = (f.required and f.when is None) or tuple(provider.named_by) == (name,)
        always = always or (f.default is not None and not callable(f.default) and f.when is None)
        type_text = value if always or value == "Any" else f"{value} | None"
        if f in provider.audit_outputs:
            doc = f"{sentence(f.doc)} Computed by the provider."
        else:
            doc = sentence(f.doc) + (" Set by Azure." if f.is_output else "")
        found.append(Attribute(f, type_text, doc.strip()))
    return found


def resource_class(provider: type[SchemaProvider], api: Api) -> str:
    """The generated resource class (the end of ``api.py``); it imports its provider when a resource is declared, as
    the provider's module imports ``api``."""
    title = provider.title
    params = parameters(provider, api)
    attrs = attributes(provider, api)
    summary = "Common outputs: " + ", ".join(f"``{n}``" for n in COMMON_OUTPUTS) + "."
    lines = [f"class {title}(ArmResource, module=MODULE, name={json.dumps(title)}):"]
    lines += docstring(f"{provider.description}\n\n{summary}", "    ")
    for attr in attrs:
        lines += ["", f"    {attr.name}: pulumi.Output[{attr.type_text}]", *docstring(attr.doc, "    ")]
    lines += ["", "    def __init__(", "        self,", "        resource_name: str,", "        *,"]
    for param in params:
        optional = "" if param.required else " | None = None"
        lines.append(f"        {param.name}: {param.type_text}{optional},")
    lines += ["        opts: pulumi.ResourceOptions | None = None,", "    ) -> None:"]
    params_doc = [f"Declare a {title}.", "", ":param resource_name: The Pulumi resource name."]
    params_doc += [f":param {param.name}: {param.doc}" for param in params]
    params_doc.append(":param opts: Options of the resource.")
    lines += docstring("\n".join(params_doc), "        ")
    lines.append("        inputs = {")
    lines += [f'            "{param.name}": {param.name},' for param in params]
    lines.append("        }")
    provider_name = provider.__name__
    lines += [
        f"        from {provider.__module__} import {provider_name}",
        "",
        "        super().__init__(",
        f"            {provider_name}(),",
        "            resource_name,",
        f"            resource_props({provider_name}, resource_name, inputs),",
        f"            resource_options({provider_name}, opts),",
        "        )",
    ]
    return "\n".join(lines) + "\n"


def ruff_format(text: str, path: Path) -> str:
    """``text`` formatted by ruff (the project's formatter), as if it were ``path``."""
    ruff = Path(sys.executable).parent / "ruff"
    done = subprocess.run(
        [str(ruff), "format", "--stdin-filename", str(path), "-"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return done.stdout


def generate() -> dict[Path, str]:
    """Every generated file's path and expected content."""
    files: dict[Path, str] = {}
    for provider in PROVIDERS:
        package = PACKAGE / provider.__module__.split(".")[1]
        api = Api(provider.title)
        cls = resource_class(provider, api)
        taken = {*api.literals, *api.input_aliases, *(d.name for d in [*api.inputs, *api.outputs])}
        taken |= {name for name, _ in [*api.input_unions, *api.output_unions]}
        clash = taken & {provider.title, *RUNTIME}
        if clash:
            raise SystemExit(f"{package / 'api.py'}: the generated types {sorted(clash)} clash with the module's names")
        files[package / "api.py"] = ruff_format(api.module(cls), package / "api.py")
    return files


def sync(
    argv: Sequence[str] | None,
    description: str,
    helps: tuple[str, str],
    expected: Callable[[], dict[Path, str]],
    command: str,
) -> int:
    """A generator's command line: name the generated files that are missing or stale, rewrite them (``--write``)
    or exit 1 when there are any (``--check``); ``expected`` gives every generated file's path and content, ``helps``
    the help texts of the two options."""
    parser = argparse.ArgumentParser(description=description)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help=helps[0])
    mode.add_argument("--check", action="store_true", help=helps[1])
    args = parser.parse_args(argv)
    files = expected()
    stale = [path for path, text in files.items() if not path.exists() or path.read_text("utf-8") != text]
    if args.write:
        for path in stale:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(files[path], encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
        return 0
    for path in stale:
        print(f"{path.relative_to(ROOT)} is out of date: run `{command}`")
    return 1 if stale and args.check else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Show, write or check the generated files."""
    return sync(
        argv,
        "The typed API of the resources, generated from their schemas",
        ("regenerate the files", "exit 1 when a generated file is out of date"),
        generate,
        COMMAND,
    )


if __name__ == "__main__":
    raise SystemExit(main())
