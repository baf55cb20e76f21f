"""Backup-compliance audits of `pulumi stack export` documents: load, describe, check, render.

Typical use::

    export = load_export("stack.json")
    report = build_report(export, min_retention_days=30, fail_on=Severity.HIGH)
    print(render(report, "markdown")); sys.exit(0 if report.passed else 1)
"""

from pulumi_dataprotection.audit.export import (
    REDACTED,
    ExportedResource,
    ExportError,
    StackExport,
    load_export,
    parse_export,
    parse_export_text,
    redact,
)
from pulumi_dataprotection.audit.findings import RULES, Rule
from pulumi_dataprotection.audit.model import AdhocRow, AuditReport, Finding, InstanceRow, PolicyRow, Severity, VaultRow
from pulumi_dataprotection.audit.render import FORMATS, render, to_html, to_json, to_markdown
from pulumi_dataprotection.audit.report import DEFAULT_FAIL_ON, DEFAULT_MIN_RETENTION_DAYS, build_report

__all__ = [
    "DEFAULT_FAIL_ON",
    "DEFAULT_MIN_RETENTION_DAYS",
    "FORMATS",
    "REDACTED",
    "RULES",
    "AdhocRow",
    "AuditReport",
    "ExportError",
    "ExportedResource",
    "Finding",
    "InstanceRow",
    "PolicyRow",
    "Rule",
    "Severity",
    "StackExport",
    "VaultRow",
    "build_report",
    "load_export",
    "parse_export",
    "parse_export_text",
    "redact",
    "render",
    "to_html",
    "to_json",
    "to_markdown",
]
