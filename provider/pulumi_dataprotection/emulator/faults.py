"""Fault injection: rules that make matching requests slow, throttled, failing, reset, or their operations fail.

A rule matches a request by HTTP method (``*`` = any) and a regular expression searched in the URL path
(case-insensitive); ``skip`` lets that many matching requests through first and ``count`` limits how many it hits
(absent = every one). Kinds:

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

import re
import threading
from dataclasses import asdict, dataclass
from typing import Any

REQUEST_KINDS = ("latency", "throttle", "error", "reset")
OPERATION_KINDS = ("lro_fail", "lro_stuck", "protection_error")
KINDS = REQUEST_KINDS + OPERATION_KINDS


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
        fault.method = str(data.get("method", "*")).upper()
        fault.path = str(data.get("path", ""))
        try:
            re.compile(fault.path)
        except re.error as exc:
            raise ValueError(f"fault path {fault.path!r} is not a valid regular expression: {exc}") from exc
        for name, typ in (("count", int), ("skip", int), ("retry_after", int), ("status", int), ("seconds", float)):
            if name in data and data[name] is not None:
                value = data[name]
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise ValueError(f"fault field {name!r} must be a number, got {value!r}")
                setattr(fault, name, typ(value))
        for name in ("code", "message"):
            if data.get(name) is not None:
                setattr(fault, name, str(data[name]))
        if fault.kind == "error" and not 400 <= fault.status <= 599:
            raise ValueError(f"an error fault needs an HTTP error status (400-599), got {fault.status}")
        return fault

    def to_json(self) -> dict[str, Any]:
        """The rule as JSON, with its id and how many requests it has hit."""
        return asdict(self)

    def matches(self, method: str, path: str) -> bool:
        """Whether a request is selected by this rule (ignoring counts)."""
        return (self.method in ("*", method.upper())) and re.search(self.path, path, re.IGNORECASE) is not None


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
