"""Render an :class:`AuditReport` as Markdown, JSON or a self-contained HTML page (unknown values say "unknown")."""

from __future__ import annotations

import html
import json
from collections.abc import Callable

from pulumi_dataprotection.audit.model import AuditReport, InstanceRow, PolicyRow, Severity, VaultRow

UNKNOWN = "unknown"
FORMATS = ("markdown", "json", "html")

Cell = str | int | float | bool | None | list[str]


def _show(value: Cell) -> str:
    if value is None or value == "" or value == []:
        return UNKNOWN
    if isinstance(value, list):
        return "\n".join(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _soft_delete(v: VaultRow) -> str:
    if v.soft_delete_state is None:
        return UNKNOWN
    if v.soft_delete_state.lower() == "off" or v.soft_delete_retention_days is None:
        return v.soft_delete_state
    return f"{v.soft_delete_state}, {v.soft_delete_retention_days} days"


def _redundancy(v: VaultRow) -> str:
    return _show(v.redundancy) + (" (production)" if v.production else "")


def _retention(p: PolicyRow) -> list[str]:
    return p.retention or ([p.summary] if p.summary else [])


def _protection(i: InstanceRow) -> str:
    state = _show(i.protection_state)
    return f"{state}: {i.protection_error}" if i.protection_error else state


def _title(report: AuditReport) -> str:
    where = []
    if report.stack:
        where.append(f"stack {report.stack}")
    if report.project:
        where.append(f"project {report.project}")
    return ", ".join(where) or "unnamed stack"


def _verdict(report: AuditReport) -> str:
    if report.fail_on is None:
        return "not gated (--fail-on none)"
    gating = len(report.gating())
    if gating:
        return f"FAIL: {gating} finding(s) at or above {report.fail_on.value}"
    return f"PASS: no finding at or above {report.fail_on.value}"


Table = tuple[list[str], list[list[str]]]


def _tables(report: AuditReport) -> list[tuple[str, Table, str]]:
    """(section title, (header, rows), text when empty) for every section."""
    findings = (
        ["Severity", "Rule", "Resource", "Finding", "Recommendation"],
        [
            [f.severity.value, f.code, f"{f.resource_kind} {f.resource}", f.message, f.recommendation]
            for f in report.findings
        ],
    )
    vaults = (
        [
            "Vault",
            "Location",
            "Redundancy",
            "Soft delete",
            "Immutability",
            "Cross-region restore",
            "Encryption",
            "Identity",
            "Resource guard",
        ],
        [
            [
                v.name,
                _show(v.location),
                _redundancy(v),
                _soft_delete(v),
                _show(v.immutability_state),
                _show(v.cross_region_restore_state),
                _show(v.encryption),
                _show(v.identity),
                _show(v.resource_guard),
            ]
            for v in report.vaults
        ],
    )
    policies = (
        ["Policy", "Vault", "Datasource", "Schedule", "Retention", "Used by"],
        [
            [
                p.name,
                _show(p.vault),
                _show(p.datasource),
                _show(p.schedule),
                _show(_retention(p)),
                ", ".join(p.used_by) or "none",
            ]
            for p in report.policies
        ],
    )
    instances = (
        ["Instance", "Vault", "Datasource", "Policy", "Protection state", "On delete"],
        [
            [
                i.name,
                _show(i.vault),
                f"{_show(i.datasource)}: {_show(i.datasource_id)}",
                _show(i.policy),
                _protection(i),
                _show(i.on_delete),
            ]
            for i in report.instances
        ],
    )
    sections = [
        ("Findings", findings, "No findings."),
        ("Vaults", vaults, "No backup vault in the export."),
        ("Policies", policies, "No backup policy in the export."),
        ("Backup instances", instances, "No backup instance in the export."),
    ]
    if report.adhoc_backups:
        adhoc = (
            ["Ad-hoc backup", "Instance", "Job", "Status"],
            [[a.name, _show(a.instance), _show(a.job_id), _show(a.status)] for a in report.adhoc_backups],
        )
        sections.append(("Ad-hoc backups", adhoc, ""))
    return sections


def _md_cell(value: str) -> str:
    """A table cell: pipes and backslashes escaped, HTML neutralized, newlines as <br>."""
    escaped = html.escape(value, quote=False).replace("\\", "\\\\").replace("|", "\\|")
    return escaped.replace("\n", "<br>")


def to_markdown(report: AuditReport) -> str:
    """The report as GitHub-flavoured Markdown."""
    counts = ", ".join(f"{n} {s}" for s, n in report.counts().items())
    lines = [
        f"# Backup compliance report: {_title(report)}",
        "",
        f"- Source: `{report.source}`",
        f"- Generated: {report.generated_at}",
        f"- Resources: {len(report.vaults)} vault(s), {len(report.policies)} policy(ies), "
        f"{len(report.instances)} backup instance(s)",
        f"- Findings: {counts}",
        f"- Minimum retention: {report.min_retention_days:g} days",
        f"- Result: **{_verdict(report)}**",
        "",
    ]
    for title, (header, rows), empty in _tables(report):
        lines += [f"## {title}", ""]
        if not rows:
            lines += [empty, ""]
            continue
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
        lines.append("")
    return "\n".join(lines)


def to_json(report: AuditReport) -> str:
    """The report as indented JSON (see :meth:`AuditReport.to_dict`)."""
    return json.dumps(report.to_dict(), indent=2, sort_keys=False) + "\n"


_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1f2328; }
table { border-collapse: collapse; margin-bottom: 2rem; width: 100%; }
th, td { border: 1px solid #d0d7de; padding: 0.35rem 0.6rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
.sev { font-weight: 600; border-radius: 0.3rem; padding: 0 0.4rem; }
.sev-high { background: #ffebe9; color: #a40e26; } .sev-medium { background: #fff8c5; color: #7d4e00; }
.sev-low { background: #ddf4ff; color: #0550ae; } .sev-info { background: #eaeef2; color: #424a53; }
.fail { color: #a40e26; } .pass { color: #1a7f37; }
"""


def _html_cell(header: str, value: str) -> str:
    if header == "Severity" and value in {s.value for s in Severity}:
        return f'<td><span class="sev sev-{value}">{html.escape(value)}</span></td>'
    return "<td>" + html.escape(value).replace("\n", "<br>") + "</td>"


def to_html(report: AuditReport) -> str:
    """The report as one self-contained HTML page."""
    verdict = _verdict(report)
    css_class = "fail" if verdict.startswith("FAIL") else "pass"
    counts = ", ".join(f"{n} {s}" for s, n in report.counts().items())
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Backup compliance report: {html.escape(_title(report))}</title>",
        f"<style>{_CSS}</style></head><body>",
        f"<h1>Backup compliance report: {html.escape(_title(report))}</h1>",
        "<ul>",
        f"<li>Source: <code>{html.escape(report.source)}</code></li>",
        f"<li>Generated: {html.escape(report.generated_at)}</li>",
        f"<li>Findings: {html.escape(counts)}</li>",
        f"<li>Minimum retention: {report.min_retention_days:g} days</li>",
        f'<li>Result: <strong class="{css_class}">{html.escape(verdict)}</strong></li>',
        "</ul>",
    ]
    for title, (header, rows), empty in _tables(report):
        parts.append(f"<h2>{html.escape(title)}</h2>")
        if not rows:
            parts.append(f"<p>{html.escape(empty)}</p>")
            continue
        parts.append("<table><thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header) + "</tr></thead>")
        parts.append("<tbody>")
        parts += [
            "<tr>" + "".join(_html_cell(h, c) for h, c in zip(header, row, strict=True)) + "</tr>" for row in rows
        ]
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


RENDERERS: dict[str, Callable[[AuditReport], str]] = {"markdown": to_markdown, "json": to_json, "html": to_html}


def render(report: AuditReport, fmt: str) -> str:
    """The report in one of :data:`FORMATS`."""
    return RENDERERS[fmt](report)
