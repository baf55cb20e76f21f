"""Kubernetes' own rules for the names and selectors an AKS backup configuration carries: a namespace is an RFC 1123
DNS label, a label selector follows the grammar of ``k8s.io/apimachinery/pkg/labels`` (``key=value``,
``key!=value``, ``key in (a,b)``, ``key notin (a,b)``, ``key``, ``!key``, requirements joined by commas).

Sources: kubernetes.io/docs/concepts/overview/working-with-objects/names (DNS label names: at most 63 characters,
lower-case letters, digits and ``-``, starting and ending with a letter or digit; a namespace name is one) and
kubernetes.io/docs/concepts/overview/working-with-objects/labels (label keys, values and selector syntax). Azure
Backup for AKS passes both to the backup extension (Velero), which parses them with these rules."""

from __future__ import annotations

import re
from typing import Any

from pulumi_dataprotection.schema.types import Ctx, InputProblem, StringType, show

NAMESPACE_PATTERN = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
NAMESPACE = StringType(
    min_length=1,
    max_length=63,
    pattern=NAMESPACE_PATTERN,
    pattern_hint="a Kubernetes namespace name (an RFC 1123 label: at most 63 lower-case letters, digits and '-', "
    "starting and ending with a letter or digit)",
)
"""A Kubernetes namespace name."""

_NAME = r"[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?"
_PREFIX = r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*"
_KEY = rf"(?:{_PREFIX}/)?{_NAME}"
_VALUE = rf"(?:{_NAME})?"
_REQUIREMENT = re.compile(
    rf"!\s*{_KEY}"
    rf"|{_KEY}\s*(?:==|!=|=)\s*{_VALUE}"
    rf"|{_KEY}\s*[<>]\s*-?\d+"
    rf"|{_KEY}\s+(?:in|notin)\s*\(\s*{_VALUE}(?:\s*,\s*{_VALUE})*\s*\)"
    rf"|{_KEY}"
)
SELECTOR_HINT = (
    "a Kubernetes label selector: requirements such as app=web, tier!=db, env in (prod,qa), env notin (dev), "
    "app or !app, joined by commas; keys and values are at most 63 letters, digits, '-', '_' and '.'"
)


def _requirements(text: str) -> list[str] | str:
    """The comma-separated requirements of a selector (commas inside parentheses do not split), or a problem."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char == "(":
            depth += 1
            if depth > 1:
                return "has a '(' inside a set of values"
        elif char == ")":
            depth -= 1
            if depth < 0:
                return "has a ')' without its '('"
        elif char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    if depth:
        return "has a '(' that is not closed"
    return [*parts, text[start:]]


def selector_problem(text: str) -> str | None:
    """What is wrong with the label selector ``text`` (None when Kubernetes can parse it)."""
    requirements = _requirements(text)
    if isinstance(requirements, str):
        return requirements
    for requirement in requirements:
        if not _REQUIREMENT.fullmatch(requirement.strip()):
            return f"cannot read the requirement {requirement.strip()!r}" if requirement.strip() else "is empty"
    return None


class LabelSelectorType(StringType):
    """A Kubernetes label selector (see :func:`selector_problem`)."""

    def __init__(self) -> None:
        super().__init__(min_length=1, description=SELECTOR_HINT)

    def validate(self, value: Any, where: str, ctx: Ctx) -> list[InputProblem]:
        failures = super().validate(value, where, ctx)
        if failures or not isinstance(value, str):
            return failures
        problem = selector_problem(value)
        if problem is None:
            return []
        return [InputProblem(where, f"{where} {show(value)} {problem}; write {SELECTOR_HINT}")]
