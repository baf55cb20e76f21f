"""Parse the text of ``pulumi preview --diff``: per resource, its operation and every property line marked as a
change (``~``, ``+``, ``-``), so tests can count what a reviewer is shown."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_HEADER = re.compile(r"^\s*(\+-|-\+|[~+-])?\s*pulumi-python:dynamic/dataprotection:(\w+): \((\w[\w-]*)\)")
_URN = re.compile(r"^\s*\[urn=.*::(?P<name>[^:\]]+)\]")
_MARKED = re.compile(r"^\s*([~+-])\s+(\[\d+\]|[\w.-]+)\s*:\s*(.*)$")


@dataclass
class ShownResource:
    """One resource of the display: type, logical name, operation and its marked property lines."""

    type: str
    op: str
    name: str = ""
    lines: list[tuple[str, str, str]] = field(default_factory=list)
    """(marker, key, rest of the line) of every line marked as a change, nested ones included."""

    def keys(self, marker: str | None = None) -> list[str]:
        """The keys of the marked lines (only those with ``marker`` when given)."""
        return [key for mark, key, _ in self.lines if marker is None or mark == marker]


def parse_diff(text: str) -> list[ShownResource]:
    """The dataprotection resources shown in ``pulumi preview --diff`` output (stack outputs left out)."""
    shown: list[ShownResource] = []
    current: ShownResource | None = None
    for line in text.splitlines():
        if line.strip().startswith("--outputs:--") or line.startswith("Resources:"):
            current = None
            continue
        header = _HEADER.match(line)
        if header:
            current = ShownResource(header.group(2), header.group(3))
            shown.append(current)
            continue
        if current is None:
            continue
        urn = _URN.match(line)
        if urn:
            current.name = urn.group("name")
            continue
        marked = _MARKED.match(line)
        if marked:
            current.lines.append((marked.group(1), marked.group(2), marked.group(3)))
    return shown
