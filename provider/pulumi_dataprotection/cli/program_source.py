"""Python source of generated programs without splicing external text into code: every value (names, tags, ids,
Azure's messages) becomes an ``ast`` node rendered by ``ast.unparse`` (or ``repr``-based ``pprint``, checked to read
back as the same value), the module docstring is a string constant, comments are single sanitized lines, and
identifiers are checked to be identifiers."""

from __future__ import annotations

import ast
import keyword
import pprint
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

INDENT = "    "
WIDTH = 116


def one_line(text: str) -> str:
    """``text`` as one printable line: line breaks, control and other non-printable characters escaped
    (``\\n``, ``\\u2028``...), so it can end neither a comment nor a line."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in str(text))


def comment(text: str) -> str:
    """A ``#`` comment holding ``text`` on one line."""
    return f"# {one_line(text)}"


def identifier(name: str) -> str:
    """``name`` when it is a Python identifier and not a keyword (raises ValueError otherwise)."""
    if not name.isidentifier() or keyword.iskeyword(name) or not name.isascii():
        raise ValueError(f"{name!r} is not a plain Python identifier")
    return name


def literal_node(value: Any) -> ast.expr:
    """The ast of a literal value (str, int, float, bool, None, and lists, tuples and dicts of them)."""
    if value is None or isinstance(value, bool | int | float | str):
        return ast.Constant(value)
    if isinstance(value, Mapping):
        return ast.Dict([literal_node(k) for k in value], [literal_node(v) for v in value.values()])
    if isinstance(value, list):
        return ast.List([literal_node(v) for v in value], ast.Load())
    if isinstance(value, tuple):
        return ast.Tuple([literal_node(v) for v in value], ast.Load())
    raise TypeError(f"{type(value).__name__} is not a literal value")


def literal(value: Any, indent: int = 0) -> str:
    """Source of a literal value, wrapped to the width (pprint, i.e. repr) when it reads back as the same value,
    else on one line from its ast."""
    text = pprint.pformat(value, width=WIDTH - indent, sort_dicts=False)
    try:
        same = ast.literal_eval(text) == value
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        same = False
    if not same:
        text = ast.unparse(literal_node(value))
    return text.replace("\n", "\n" + " " * indent)


def docstring(text: str) -> str:
    """A module docstring holding ``text`` exactly (quotes and backslashes escaped as needed)."""
    return ast.unparse(ast.Module([ast.Expr(ast.Constant(text))], []))


def expression(node: ast.expr) -> str:
    """Source of an expression node."""
    return ast.unparse(ast.fix_missing_locations(node))


def reference(var: str, attribute: str) -> ast.expr:
    """``var.attribute`` (another resource's output)."""
    return ast.Attribute(ast.Name(identifier(var), ast.Load()), identifier(attribute), ast.Load())


def checked_call(source: str, allowed: set[str]) -> ast.expr | None:
    """The parsed call expression ``source`` when it holds only literals and calls or attributes of ``allowed``
    names (a builder call), else None."""
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError:
        return None
    safe = (ast.Expression, ast.Call, ast.keyword, ast.Constant, ast.List, ast.Tuple, ast.Dict, ast.Load)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if node.id not in allowed:
                return None
        elif isinstance(node, ast.Attribute):
            if not isinstance(node.value, ast.Name) or node.value.id not in allowed:
                return None
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub | ast.UAdd):
                return None
        elif not isinstance(node, safe):
            return None
    return tree.body


@dataclass(frozen=True)
class Arg:
    """One keyword argument of a generated call: a literal value, an expression node, or ``**node``."""

    name: str | None
    value: Any = None
    node: ast.expr | None = None

    def source(self, indent: int) -> str:
        """``name=value`` (or ``**value``) as source."""
        text = expression(self.node) if self.node is not None else literal(self.value, indent)
        return f"**{text}" if self.name is None else f"{identifier(self.name)}={text}"


def call_statement(var: str, cls: str, positional: Sequence[Any], args: Sequence[Arg]) -> list[str]:
    """``var = cls(positional..., name=value..., )`` over several lines."""
    lines = [f"{identifier(var)} = {identifier(cls)}("]
    lines += [f"{INDENT}{literal(p, len(INDENT))}," for p in positional]
    lines += [f"{INDENT}{a.source(len(INDENT))}," for a in args]
    return [*lines, ")"]


def call(function: str, *args: ast.expr) -> str:
    """``function(args...)`` as a statement (``function`` may be dotted, each part an identifier)."""
    target: ast.expr = ast.Name(identifier(function.split(".")[0]), ast.Load())
    for part in function.split(".")[1:]:
        target = ast.Attribute(target, identifier(part), ast.Load())
    return expression(ast.Call(target, list(args), []))
