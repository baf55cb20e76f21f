"""Build an :class:`AuditReport` from a stack export: rows for every resource, cross-references, then findings."""

from __future__ import annotations

from datetime import UTC, datetime

from pulumi_dataprotection.audit.describe import (
    describe_adhoc,
    describe_instance,
    describe_policy,
    describe_vault,
    guard_of_vaults,
)
from pulumi_dataprotection.audit.export import StackExport
from pulumi_dataprotection.audit.findings import instance_findings, policy_findings, vault_findings
from pulumi_dataprotection.audit.model import AuditReport, Finding, Severity

DEFAULT_MIN_RETENTION_DAYS = 30.0
DEFAULT_FAIL_ON = Severity.HIGH


def build_report(
    export: StackExport,
    *,
    min_retention_days: float = DEFAULT_MIN_RETENTION_DAYS,
    fail_on: Severity | None = DEFAULT_FAIL_ON,
    now: datetime | None = None,
) -> AuditReport:
    """The compliance report of an export; ``fail_on=None`` never fails."""
    guards = guard_of_vaults(export.of_kind("guard"), export.of_kind("guard_link"))
    vaults = []
    for resource in export.of_kind("vault"):
        row = describe_vault(resource)
        guard = guards.get(row.id.lower()) if row.id else None
        if guard is not None:
            row = row.model_copy(update={"resource_guard_id": guard[0], "resource_guard": guard[1]})
        elif resource.get("is_vault_protected_by_resource_guard") is True:
            row = row.model_copy(update={"resource_guard": "a resource guard outside this stack"})
        elif resource.get("is_vault_protected_by_resource_guard") is False:
            row = row.model_copy(update={"resource_guard": "none"})
        vaults.append(row)
    vault_names = {v.id.lower(): v.name for v in vaults if v.id}
    policies = [describe_policy(r, vault_names) for r in export.of_kind("policy")]
    policy_names = {p.id.lower(): p.name for p in policies if p.id}
    instances = [describe_instance(r, vault_names, policy_names) for r in export.of_kind("instance")]
    users: dict[str, list[str]] = {}
    for instance in instances:
        if instance.policy_id:
            users.setdefault(instance.policy_id.lower(), []).append(instance.name)
    policies = [p.model_copy(update={"used_by": users.get(p.id.lower(), []) if p.id else []}) for p in policies]
    instance_names = {i.id.lower(): i.name for i in instances if i.id}
    adhoc = [describe_adhoc(r, instance_names) for r in export.of_kind("adhoc")]

    findings: list[Finding] = []
    for vault in vaults:
        findings.extend(vault_findings(vault))
    for policy in policies:
        findings.extend(policy_findings(policy, min_retention_days))
    by_vault = {v.id.lower(): v for v in vaults if v.id}
    by_policy = {p.id.lower(): p for p in policies if p.id}
    for instance in instances:
        findings.extend(instance_findings(instance, by_vault, by_policy))
    findings.sort(key=lambda f: -f.severity.rank)

    skipped = {"other_resources": export.other_resources, "pending_deletion": export.pending_deletion}
    if export.unknown_types:
        skipped["unknown_dataprotection_types"] = len(export.unknown_types)
    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return AuditReport(
        source=export.source,
        project=export.project,
        stack=export.stack,
        generated_at=stamp,
        min_retention_days=min_retention_days,
        fail_on=fail_on,
        vaults=vaults,
        policies=policies,
        instances=instances,
        adhoc_backups=adhoc,
        findings=findings,
        skipped=skipped,
    )
