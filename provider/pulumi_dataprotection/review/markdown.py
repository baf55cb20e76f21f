"""Escaping of untrusted values (names, tags, ids, messages from a preview or Azure) for a GitHub Markdown comment, so
a value is always shown as the text it is: never markup, a raw HTML tag or comment, a link, an image, an emoji, an
@mention or an issue reference, never a line break that ends a table row or starts a block.

``text`` escapes for running text and table cells, ``code`` makes a code span (a table cell with ``cell=True``).
Line breaks and other non-printable characters are shown as escapes (``\\n``, ``\\u2028``) in both.
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"
"""Invisible; placed after ``@``, ``#`` and ``:`` and inside ``www.`` so GitHub finds no mention, issue reference,
emoji code or bare link in the text."""

_PUNCTUATION = set("\\`*_{}[]()#+-.!|~$")
"""Backslash-escaped: emphasis, code, links and images, headings, lists, tables, strikethrough, math."""
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_LINK_BREAKERS = {"@", "#", ":"}
_WWW = re.compile(r"(?i)(www)\\\.")
"""``www`` and an escaped dot, as ``text`` writes them."""


def one_line(value: object) -> str:
    """``value`` as one printable line: line breaks, tabs, control and other non-printable characters escaped."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in str(value))


def text(value: object) -> str:
    """``value`` as Markdown text that renders as exactly its characters (on one line)."""
    out = []
    for c in one_line(value):
        if c in _ENTITIES:
            out.append(_ENTITIES[c])
        elif c in _PUNCTUATION:
            out.append("\\" + c)
        else:
            out.append(c)
        if c in _LINK_BREAKERS:
            out.append(WORD_JOINER)
    return _WWW.sub(lambda m: m.group(1) + WORD_JOINER + "\\.", "".join(out))


def code(value: object, *, cell: bool = False) -> str:
    """``value`` as a code span on one line (``cell``: inside a table row, where ``|`` must be escaped); the fence
    is longer than any backtick run inside, so the span cannot be closed early."""
    body = one_line(value)
    if cell:
        body = body.replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * (longest + 1)
    if body.startswith(("`", " ")) or body.endswith(("`", " ")) or not body:
        body = f" {body} "
    return f"{fence}{body}{fence}"
