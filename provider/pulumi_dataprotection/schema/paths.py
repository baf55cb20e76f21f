"""Dotted REST paths (``properties.storageSettings[0].type``): parsing, reading and writing nested JSON."""

from __future__ import annotations

import itertools
import re
from functools import cache
from typing import Any

Segment = str | int
_TOKEN = re.compile(r"([A-Za-z_$@][A-Za-z0-9_$@-]*)|\[(\d+)\]")


@cache
def parse_path(path: str) -> tuple[Segment, ...]:
    """``"a.b[0].c"`` -> ``("a", "b", 0, "c")``; raises ValueError on a malformed path."""
    segments: list[Segment] = []
    pos = 0
    while pos < len(path):
        if path[pos] == ".":
            pos += 1
        match = _TOKEN.match(path, pos)
        if not match:
            raise ValueError(f"malformed REST path {path!r} at offset {pos}")
        key, index = match.groups()
        segments.append(int(index) if index is not None else key)
        pos = match.end()
    if not segments:
        raise ValueError("empty REST path")
    return tuple(segments)


def get_path(body: Any, path: str) -> Any:
    """The value at ``path`` inside ``body``, or None when any step is missing."""
    node = body
    for seg in parse_path(path):
        if isinstance(seg, int):
            if not isinstance(node, list) or seg >= len(node):
                return None
            node = node[seg]
        else:
            if not isinstance(node, dict):
                return None
            node = node.get(seg)
        if node is None:
            return None
    return node


def set_path(body: dict[str, Any], path: str, value: Any) -> None:
    """Write ``value`` at ``path``, creating the intermediate objects and lists (list gaps are filled with {})."""
    segments = parse_path(path)
    node: Any = body
    for seg, nxt in itertools.pairwise(segments):
        wanted: type = list if isinstance(nxt, int) else dict
        if isinstance(seg, int):
            while len(node) <= seg:
                node.append({})
            existing = node[seg]
        else:
            existing = node.get(seg)
        if not isinstance(existing, wanted):
            existing = wanted()
            node[seg] = existing
        node = existing
    last = segments[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append({})
    node[last] = value


def delete_path(body: dict[str, Any], path: str) -> None:
    """Remove the value at ``path`` when it exists (lists keep their length: nothing is removed from them)."""
    segments = parse_path(path)
    parent = get_path(body, ".".join(str(s) for s in segments[:-1])) if len(segments) > 1 else body
    if isinstance(parent, dict) and isinstance(segments[-1], str):
        parent.pop(segments[-1], None)


def deep_merge(base: Any, overlay: Any) -> Any:
    """``overlay`` merged into ``base``: objects key by key, lists element by element, scalars replaced.

    A None in the overlay keeps what ``base`` has at that place (it is how :func:`remainder` marks list elements
    with nothing to add).
    """
    if overlay is None:
        return base
    if isinstance(base, dict) and isinstance(overlay, dict):
        merged = dict(base)
        for key, value in overlay.items():
            merged[key] = deep_merge(base[key], value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(overlay, list):
        out = [deep_merge(b, o) for b, o in zip(base, overlay, strict=False)]
        out.extend(base[len(overlay) :])
        out.extend(overlay[len(base) :])
        return out
    return overlay


def remainder(body: Any, rendered: Any) -> Any:
    """What ``body`` holds that ``rendered`` lacks (keys missing from it), shaped for :func:`deep_merge`.

    Values present on both sides are not compared (a different value there is a normalization, not a loss).
    Returns None when nothing is missing.
    """
    if isinstance(body, dict) and isinstance(rendered, dict):
        out: dict[str, Any] = {}
        for key, value in body.items():
            if value is None:
                continue
            if key not in rendered:
                out[key] = value
                continue
            rest = remainder(value, rendered[key])
            if rest is not None:
                out[key] = rest
        return out or None
    if isinstance(body, list) and isinstance(rendered, list):
        items = [remainder(b, r) for b, r in zip(body, rendered, strict=False)]
        extra = list(body[len(rendered) :])
        if not extra and all(item is None for item in items):
            return None
        return items + extra
    return None
