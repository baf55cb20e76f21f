"""Fault injection: rules that make matching requests slow, throttled, failing, reset, or their operations fail.

A rule matches a request by HTTP method (``*`` = any) and a path pattern found anywhere in the URL path
(case-insensitive): literal text where ``*`` stands for any characters, ``^`` at the start anchors it to the start of
the path and ``$`` at the end to its end (``/backupVaults/*/backupInstances/bi1$``). Matching takes linear time; regular
expression syntax is refused. ``skip`` lets that many matching requests through first and ``count`` limits how many it
hits (absent = every one). Kinds:

- ``latency``           delay the response by ``seconds``
- ``throttle``          answer 429 with ``Retry-After: retry_after`` (ARM's throttling body)
- ``error``             answer ``status`` (default 500) with ``code``/``message`` (Azure's body for that status)
- ``reset``             drop the TCP connection without a response
- ``lro_fail``          the long-running operation the request starts ends ``Failed`` with ``code``/``message``
- ``lro_stuck``         the long-running operation the request starts never finishes
- ``protection_error``  the backup instance the request configures ends in ``ProtectionError`` with
                        ``protectionErrorDetails`` built from ``code``/``message``
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field, fields
from typing import Any

REQUEST_KINDS = ("latency", "throttle", "error", "reset")
OPERATION_KINDS = ("lro_fail", "lro_stuck", "protection_error")
KINDS = REQUEST_KINDS + OPERATION_KINDS
MAX_PATTERN = 1000
_REGEX_ONLY = set("()[]{}|\\+?")
_NUMBERS = (("count", int), ("skip", int), ("retry_after", int), ("status", int), ("seconds", float))


@dataclass(frozen=True)
class PathPattern:
    """A compiled path pattern: the literal pieces between ``*`` and the two anchors."""

    pieces: tuple[str, ...]
    start: bool
    end: bool

    @classmethod
    def parse(cls, text: str) -> PathPattern:
        """Compile ``text``; raises ValueError for regular expression syntax or an over-long pattern."""
        if len(text) > MAX_PATTERN:
            raise ValueError(f"fault path is {len(text)} characters long; the limit is {MAX_PATTERN}")
        regex = sorted(set(text) & _REGEX_ONLY)
        if regex:
            raise ValueError(
                f"fault path {text!r} uses {' '.join(regex)}: a fault path is literal text where * stands for any "
                "characters, ^ anchors it to the start of the path and $ to its end (e.g. /backupVaults/*/bi1$)"
            )
        start, end = text.startswith("^"), text.endswith("$") and len(text) > int(text.startswith("^"))
        body = text[int(start) : len(text) - int(end)]
        if "^" in body or "$" in body:
            raise ValueError(f"fault path {text!r}: ^ may only start it and $ only end it")
        return cls(tuple(body.lower().split("*")), start, end)

    def search(self, path: str) -> bool:
        """Whether the pattern occurs in ``path`` (case-insensitive). Each piece is looked for once, left to right,
        at its leftmost place after the previous one: that leaves the most room for the rest, so no backtracking."""
        text = path.lower()
        first, last = self.pieces[0], self.pieces[-1]
        if len(self.pieces) == 1 and self.start and self.end:
            return text == first
        if self.start and not text.startswith(first):
            return False
        position = 0 if self.start else text.find(first)
        if position < 0:
            return False
        position += len(first)
        for piece in self.pieces[1:-1]:
            found = text.find(piece, position)
            if found < 0:
                return False
            position = found + len(piece)
        if len(self.pieces) == 1:
            return not self.end or text.endswith(first)
        if self.end:
            return len(text) - len(last) >= position and text.endswith(last)
        return text.find(last, position) >= 0


@dataclass
class Fault:
    """One injected fault rule (see the module docstring)."""

    kind: str
    method: str = "*"
    path: str = ""
    count: int | None = None
    skip: int = 0
    seconds: float = 0.0
    retry_after: int = 1
    status: int = 500
    code: str | None = None
    message: str | None = None
    id: int = 0
    hits: int = 0
    _pattern: PathPattern = field(default=PathPattern(("",), False, False), repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any) -> Fault:
        """A rule from its JSON form; raises ValueError naming the offending field."""
        if not isinstance(data, dict):
            raise ValueError('a fault must be a JSON object such as {"kind": "throttle", "path": "backupVaults"}')
        known = {"kind", "method", "path", "count", "skip", "seconds", "retry_after", "status", "code", "message"}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown fault field(s) {unknown}; known: {sorted(known)}")
        kind = data.get("kind")
        if kind not in KINDS:
            raise ValueError(f"fault kind {kind!r} is not one of {', '.join(KINDS)}")
        fault = cls(kind=str(kind))
        for name in ("method", "path", "code", "message"):
            value = data.get(name)
            if value is not None and not isinstance(value, str):
                raise ValueError(f"fault field {name!r} must be a string, got {value!r}")
        fault.method = str(data.get("method") or "*").upper()
        fault.path = str(data.get("path") or "")
        fault._pattern = PathPattern.parse(fault.path)
        for name, typ in _NUMBERS:
            if data.get(name) is not None:
                value = data[name]
                if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                    raise ValueError(f"fault field {name!r} must be a finite number, got {value!r}")
                if value < 0:
                    raise ValueError(f"fault field {name!r} must not be negative, got {value!r}")
                setattr(fault, name, typ(value))
        fault.code, fault.message = data.get("code"), data.get("message")
        if fault.kind == "error" and not 400 <= fault.status <= 599:
            raise ValueError(f"an error fault needs an HTTP error status (400-599), got {fault.status}")
        return fault

    def to_json(self) -> dict[str, Any]:
        """The rule as JSON, with its id and how many requests it has hit."""
        return {f.name: getattr(self, f.name) for f in fields(self) if not f.name.startswith("_")}

    def matches(self, method: str, path: str) -> bool:
        """Whether a request is selected by this rule (ignoring counts)."""
        return self.method in ("*", method.upper()) and self._pattern.search(path)


class Faults:
    """The active fault rules of one emulator run (kept in memory, thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[Fault] = []
        self._next_id = 1
        self._seen: dict[int, int] = {}

    def add(self, fault: Fault) -> Fault:
        """Activate a rule and return it with its id."""
        with self._lock:
            fault.id = self._next_id
            self._next_id += 1
            self._rules.append(fault)
            return fault

    def remove(self, fault_id: int) -> bool:
        """Drop one rule; False when there is none with that id."""
        with self._lock:
            before = len(self._rules)
            self._rules = [f for f in self._rules if f.id != fault_id]
            return len(self._rules) != before

    def clear(self) -> None:
        """Drop every rule."""
        with self._lock:
            self._rules.clear()

    def rules(self) -> list[dict[str, Any]]:
        """Every active rule as JSON."""
        with self._lock:
            return [f.to_json() for f in self._rules]

    def take(self, method: str, path: str, kinds: tuple[str, ...]) -> list[Fault]:
        """The rules of the given kinds that hit this request, consuming their skip and count budgets."""
        hit: list[Fault] = []
        with self._lock:
            for fault in self._rules:
                if fault.kind not in kinds or not fault.matches(method, path):
                    continue
                seen = self._seen.get(fault.id, 0)
                self._seen[fault.id] = seen + 1
                if seen < fault.skip:
                    continue
                if fault.count is not None and fault.hits >= fault.count:
                    continue
                fault.hits += 1
                hit.append(fault)
        return hit
