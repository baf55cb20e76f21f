"""The audit report: severities, one row per vault / policy / instance / ad-hoc backup, findings, and its JSON form
(pydantic models: the JSON form is their dump).

Every field that the stack export did not record is None (rendered as "unknown"), never a guess.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Severity(StrEnum):
    """How much a finding matters, lowest first."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        """0 (info) to 3 (high)."""
        return list(Severity).index(self)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class VaultRow(_Model):
    """What the export says about one backup vault."""

    name: str
    id: str | None
    location: str | None
    resource_group: str | None
    redundancy: str | None
    soft_delete_state: str | None
    soft_delete_retention_days: int | None
    immutability_state: str | None
    cross_region_restore_state: str | None
    encryption_state: str | None
    cross_subscription_restore_state: str | None = None
    infrastructure_encryption: str | None = None
    encryption: str | None
    """Encryption in words: customer-managed key (key URI, identity) or Microsoft-managed keys."""
    identity: str | None
    principal_id: str | None
    production: bool
    tags: dict[str, str] = Field(default_factory=dict)
    provisioning_state: str | None = None
    api_version: str | None = None
    resource_guard: str | None = None
    """The resource guard (multi-user authorization) linked to the vault and what it leaves unprotected, in words;
    "none" when the export shows the vault unguarded, None when it does not say."""
    resource_guard_id: str | None = None


class PolicyRow(_Model):
    """What the export says about one backup policy, with schedule and retention in words."""

    name: str
    id: str | None
    vault: str | None
    datasource_types: list[str]
    datasource: str | None
    schedule: list[str]
    retention: list[str]
    summary: str | None
    longest_retention_days: float | None
    data_stores: list[str]
    used_by: list[str]
    content_hash: str | None = None
    api_version: str | None = None


class InstanceRow(_Model):
    """What the export says about one backup instance."""

    name: str
    id: str | None
    vault: str | None
    vault_id: str | None
    datasource: str | None
    datasource_type: str | None
    datasource_id: str | None
    policy: str | None
    policy_id: str | None
    protection_state: str | None
    protection_error: str | None
    on_delete: str | None
    provisioning_state: str | None = None
    api_version: str | None = None


class AdhocRow(_Model):
    """An on-demand backup recorded in the stack."""

    name: str
    instance: str | None
    job_id: str | None
    status: str | None


class Finding(_Model):
    """One problem: its rule ``code`` and severity, the resource it is about, what is wrong and what to do."""

    severity: Severity
    code: str
    resource_kind: str
    resource: str
    resource_id: str | None
    message: str
    recommendation: str


class AuditReport(_Model):
    """Everything the renderers show."""

    source: str
    project: str | None
    stack: str | None
    generated_at: str
    min_retention_days: float
    fail_on: Severity | None
    vaults: list[VaultRow]
    policies: list[PolicyRow]
    instances: list[InstanceRow]
    adhoc_backups: list[AdhocRow]
    findings: list[Finding]
    skipped: dict[str, int] = Field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Number of findings per severity (every severity present, highest first)."""
        return {s.value: sum(1 for f in self.findings if f.severity is s) for s in reversed(Severity)}

    def gating(self) -> list[Finding]:
        """The findings at or above ``fail_on`` (none when it is None)."""
        if self.fail_on is None:
            return []
        return [f for f in self.findings if f.severity.rank >= self.fail_on.rank]

    @property
    def passed(self) -> bool:
        """True when no finding reaches ``fail_on``."""
        return not self.gating()

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of the report."""
        return {
            "source": self.source,
            "project": self.project,
            "stack": self.stack,
            "generated_at": self.generated_at,
            "settings": {
                "min_retention_days": self.min_retention_days,
                "fail_on": self.fail_on.value if self.fail_on else "none",
            },
            "result": {"passed": self.passed, "gating_findings": len(self.gating()), "counts": self.counts()},
            "vaults": [v.model_dump(mode="json") for v in self.vaults],
            "policies": [p.model_dump(mode="json") for p in self.policies],
            "instances": [i.model_dump(mode="json") for i in self.instances],
            "adhoc_backups": [a.model_dump(mode="json") for a in self.adhoc_backups],
            "findings": [f.model_dump(mode="json") for f in self.findings],
            "skipped": dict(self.skipped),
        }
