"""Render a :class:`Review` as a Markdown pull-request comment or as JSON. Every value from the preview (names, paths,
values, reasons, messages) goes through :mod:`pulumi_dataprotection.review.markdown`: it renders as its text."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from pulumi_dataprotection.review.analyze import FieldChange, Review, ReviewedResource, Warning
from pulumi_dataprotection.review.markdown import code, text

_SYMBOLS = {"create": "+", "update": "~", "replace": "+-", "delete": "-", "forget": "-"}
_ORDER = {"replace": 0, "delete": 1, "forget": 2, "update": 3, "create": 4}
_LABELS = {"forget": "forget (kept in Azure)"}
"""How an action reads where its name alone would mislead."""
MARKER = "<!-- pulumi-dataprotection review -->"
"""First line of the comment, so a CI job can find and update its previous comment."""


def _value(value: Any, known: bool = True) -> str:
    if not known:
        return "_(known after `pulumi up`)_"
    if value is None:
        return "_(not set)_"
    if isinstance(value, str) and value.startswith("/subscriptions/") and value.count("/") > 4:
        value = "…/" + "/".join(value.rstrip("/").split("/")[-2:])
    shown = value if isinstance(value, str) else json.dumps(value, sort_keys=True)
    shown = shown if len(shown) <= 120 else shown[:117] + "..."
    return code(shown, cell=True)


def _field_row(f: FieldChange) -> str:
    note = " (forces replacement)" if f.forces_replacement else ""
    return f"| {code(f.path, cell=True)}{note} | {_value(f.old)} | {_value(f.new, f.known)} |"


def _warning_line(w: Warning) -> str:
    return f"- **{text(w.severity.value)}** {text(w.resource)}: {text(w.message)} {code(f'[{w.code}]')}"


def _resource(r: ReviewedResource) -> list[str]:
    head = f"#### {code(_SYMBOLS.get(r.action, '?'))} {text(r.title)}: {text(_LABELS.get(r.action, r.action))}"
    lines = [head + (f" because {text(r.reason)}" if r.reason else "")]
    if r.words is not None and r.words[0] != r.words[1]:
        before, after = r.words
        if before and after:
            lines.append(f"- policy before: {text(before)}\n- policy after: {text(after)}")
        elif after:
            lines.append(f"- policy: {text(after)}")
    if r.fields:
        lines += ["", "| Field | Before | After |", "|---|---|---|", *map(_field_row, r.fields)]
    return lines


def to_markdown(review: Review) -> str:
    """The pull-request comment."""
    counts = review.counts()
    summary = ", ".join(
        f"{n} to {_LABELS.get(a, a)}" for a, n in sorted(counts.items(), key=lambda i: _ORDER.get(i[0], 9))
    )
    lines = [
        MARKER,
        f"## Backup changes{f' in stack {code(review.stack)}' if review.stack else ''}",
        "",
        f"**{summary or 'no change to Data Protection resources'}**",
    ]
    if review.fail_on is not None:
        verdict = "passes" if review.passed else f"fails ({len(review.gating())} warning(s))"
        lines.append(f"\nGate `--fail-on {review.fail_on.value}`: {verdict}.")
    if review.warnings:
        lines += ["", "### Warnings", "", *map(_warning_line, review.warnings)]
    if review.resources:
        lines += ["", "### Changes"]
        for r in sorted(review.resources, key=lambda r: (_ORDER.get(r.action, 9), r.kind, r.name)):
            lines += ["", *_resource(r)]
    if review.introduced or review.fixed:
        scope = "the stack" if review.whole_stack else "the changed resources (pass --export for the whole stack)"
        lines += ["", f"### Audit of {scope}", ""]
        lines += [
            f"- introduced **{text(f.severity.value)}** {text(f.resource_kind)} {code(f.resource)}: {text(f.message)}"
            for f in review.introduced
        ]
        lines += [
            f"- fixed {text(f.severity.value)} {text(f.resource_kind)} {code(f.resource)}: {text(f.message)}"
            for f in review.fixed
        ]
    return "\n".join(lines) + "\n"


def to_json(review: Review) -> str:
    """The review as JSON (full ARM ids, every field)."""
    document = {
        "stack": review.stack,
        "counts": review.counts(),
        "fail_on": review.fail_on.value if review.fail_on else None,
        "passed": review.passed,
        "warnings": [asdict(w) | {"severity": w.severity.value} for w in review.warnings],
        "resources": [
            {
                "kind": r.kind,
                "name": r.name,
                "action": r.action,
                "reason": r.reason,
                "policy_in_words": {"before": r.words[0], "after": r.words[1]} if r.words else None,
                "fields": [asdict(f) for f in r.fields],
                "warnings": [w.code for w in r.warnings],
            }
            for r in review.resources
        ],
        "audit": {
            "whole_stack": review.whole_stack,
            "introduced": [f.model_dump(mode="json") for f in review.introduced],
            "fixed": [f.model_dump(mode="json") for f in review.fixed],
        },
    }
    return json.dumps(document, indent=2, default=str) + "\n"
