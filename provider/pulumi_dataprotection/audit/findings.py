"""The audit rules: a documented catalog (code, severity, what it checks, why) and their evaluation on report rows.

Severities: ``high`` = backups can be lost or are not being taken; ``medium`` = a protection a production estate is
expected to have is missing; ``low`` = hardening or a reversible setting; ``info`` = context an auditor should see.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pulumi_dataprotection.audit.model import Finding, InstanceRow, PolicyRow, Severity, VaultRow
from pulumi_dataprotection.datasources import kind_of_type

_PENDING_STATES = ("configuringprotection", "updatingprotection")


@dataclass(frozen=True)
class Rule:
    """One check of the catalog."""

    code: str
    severity: Severity
    applies_to: str
    checks: str
    recommendation: str
    control: str | None = None
    """The benchmark control the rule checks, when one applies (named in the finding's recommendation)."""


RULES: dict[str, Rule] = {
    r.code: r
    for r in (
        Rule(
            "vault-soft-delete-off",
            Severity.HIGH,
            "vault",
            "soft delete is Off: deleted backups are gone at once",
            "Turn soft delete On (or AlwaysOn) with 14+ days of retention.",
        ),
        Rule(
            "vault-soft-delete-reversible",
            Severity.LOW,
            "vault",
            "soft delete is On but not AlwaysOn: an administrator (or attacker) can turn it off",
            "Set soft delete to AlwaysOn once the retention period is agreed (it is irreversible).",
        ),
        Rule(
            "vault-immutability-disabled",
            Severity.MEDIUM,
            "vault",
            "immutability is Disabled: recovery points can be deleted before they expire",
            "Enable immutability, then lock it when the policy is final.",
        ),
        Rule(
            "instance-delete-immutable",
            Severity.MEDIUM,
            "instance",
            "on_delete is Delete in an immutable vault: Azure refuses the delete, so `pulumi destroy` fails",
            "Set on_delete='StopProtectionRetainData' (or 'Retain') on the instance and on_delete='Retain' on its "
            "policy and vault.",
        ),
        Rule(
            "vault-immutability-unlocked",
            Severity.LOW,
            "vault",
            "immutability is Unlocked: it can still be turned off",
            "Lock immutability (irreversible) once the retention policies are final.",
        ),
        Rule(
            "vault-lrs-production",
            Severity.MEDIUM,
            "vault",
            "a production-tagged vault keeps backups locally redundant (one datacenter)",
            "Use GeoRedundant (or ZoneRedundant) storage for production vaults; redundancy is fixed at creation.",
        ),
        Rule(
            "vault-lrs",
            Severity.INFO,
            "vault",
            "the vault keeps backups locally redundant (one datacenter)",
            "Acceptable outside production; use ZoneRedundant or GeoRedundant storage where outages matter.",
        ),
        Rule(
            "vault-geo-without-crr",
            Severity.INFO,
            "vault",
            "a GeoRedundant vault without cross-region restore: the secondary copy cannot be restored on demand",
            "Enable cross-region restore (irreversible) if restores in the paired region are needed.",
        ),
        Rule(
            "vault-no-cmk",
            Severity.LOW,
            "vault",
            "backups are encrypted with Microsoft-managed keys only",
            "Use a customer-managed key where key control is required.",
        ),
        Rule(
            "vault-cross-subscription-restore",
            Severity.MEDIUM,
            "vault",
            "cross-subscription restore is Enabled: whoever may restore can restore the vault's data into any "
            "subscription of the tenant, outside this subscription's access controls",
            "Set cross_subscription_restore_state to Disabled (or PermanentlyDisabled, irreversible) unless restores "
            "to other subscriptions are part of the recovery plan.",
            control="Azure Policy built-in '[Preview]: Disable Cross Subscription Restore for Backup Vaults' "
            "(category Backup); the storage-account analogue in CIS and Azure Policy restricts copy operations to "
            "the same Microsoft Entra tenant",
        ),
        Rule(
            "vault-infrastructure-encryption-off",
            Severity.LOW,
            "vault",
            "the vault's customer-managed key encryption has infrastructure (double) encryption Disabled",
            "Double encryption can only be chosen when the key is first set: create a new vault with "
            "infrastructure_encryption Enabled and move the backups there if the data requires it.",
            control="CIS Microsoft Azure Foundations Benchmark v1.5.0 recommendation 3.2, 'Ensure that Enable "
            "Infrastructure Encryption for Each Storage Account in Azure Storage is Set to enabled' (its "
            "storage-account form)",
        ),
        Rule(
            "vault-no-identity",
            Severity.MEDIUM,
            "vault",
            "the vault has no managed identity: it cannot be granted access to datasources",
            "Give the vault a system-assigned (or user-assigned) identity and grant it the datasource roles.",
        ),
        Rule(
            "vault-not-provisioned",
            Severity.MEDIUM,
            "vault",
            "the vault's provisioning state is not Succeeded",
            "Check the vault in Azure and run `pulumi refresh`.",
        ),
        Rule(
            "policy-short-retention",
            Severity.MEDIUM,
            "policy",
            "no backup of the policy is kept as long as the retention threshold (--min-retention-days)",
            "Keep at least one tier (default or a tagged retention) for the required period.",
        ),
        Rule(
            "policy-operational-only",
            Severity.LOW,
            "policy",
            "backups stay in the operational tier (beside the data); no copy is kept in the vault",
            "Add a vault-tier copy so backups survive the loss of the source subscription or account.",
        ),
        Rule(
            "policy-unused",
            Severity.INFO,
            "policy",
            "no backup instance of the stack uses the policy",
            "Remove it or protect the datasources it was meant for.",
        ),
        Rule(
            "instance-not-protected",
            Severity.HIGH,
            "instance",
            "the instance is not ProtectionConfigured (error, stopped, suspended or deleted): backups are not taken",
            "Fix the protection error (often a missing role, see `permissions`), then resume protection.",
        ),
        Rule(
            "instance-protection-pending",
            Severity.MEDIUM,
            "instance",
            "protection was still being configured when the stack was exported",
            "Re-export after protection is configured and check it reached ProtectionConfigured.",
        ),
        Rule(
            "instance-delete-unrecoverable",
            Severity.HIGH,
            "instance",
            "on_delete is Delete and the vault's soft delete is Off: destroying the stack erases the backups",
            "Set on_delete to StopProtectionRetainData (or Retain), or turn soft delete on in the vault.",
        ),
        Rule(
            "instance-delete-on-destroy",
            Severity.LOW,
            "instance",
            "on_delete is Delete: destroying the stack deletes the backups (recoverable only during soft delete)",
            "Set on_delete to StopProtectionRetainData or Retain for data that must outlive the stack.",
        ),
        Rule(
            "instance-policy-outside-export",
            Severity.INFO,
            "instance",
            "the instance's policy is not in this stack, so its retention is not audited here",
            "Audit the stack that owns the policy as well.",
        ),
        Rule(
            "backup-stale",
            Severity.HIGH,
            "instance (--live)",
            "the newest recovery point is older than two periods of the policy's schedule (continuous backups: the "
            "restorable time range ends more than a day ago), whatever the protection state: backups are not "
            "running",
            "Check the instance's protection state and its failed backup jobs; fix the cause and run backup-now.",
        ),
        Rule(
            "backup-no-recovery-point",
            Severity.HIGH,
            "instance (--live)",
            "the instance is ProtectionConfigured but has no recovery point",
            "A new instance gets its first at the next scheduled time; otherwise check the vault's backup jobs and "
            "run backup-now.",
        ),
        Rule(
            "protection-suspended-live",
            Severity.HIGH,
            "instance (--live)",
            "Azure reports the instance's backups suspended now (BackupsSuspended): no recovery point is taken, and "
            "the existing ones expire as the policy says (the newest is kept for ever)",
            "If nobody meant to suspend them, resume the backups: set protection='configured' on the instance (the "
            "default for an instance the stack created) and run `pulumi refresh` then `pulumi up`; if it is meant, "
            "set protection='suspended' so the program says so.",
        ),
        Rule(
            "protection-stopped-live",
            Severity.HIGH,
            "instance (--live)",
            "Azure reports the instance's protection stopped now (ProtectionStopped): no recovery point is taken; "
            "the existing ones are kept for ever (and billed)",
            "If the datasource still needs backups, resume protection: set protection='configured' on the instance "
            "and run `pulumi refresh` then `pulumi up`; if it is retired, set protection='stopped' (or remove the "
            "instance once its recovery points are no longer needed).",
        ),
        Rule(
            "instance-protection-error-live",
            Severity.HIGH,
            "instance (--live)",
            "Azure reports the instance in protection error now (whatever the export says)",
            "Fix the protection error (often a missing role, see `permissions`), then resume protection.",
        ),
        Rule(
            "backup-job-failed",
            Severity.MEDIUM,
            "instance (--live)",
            "a backup or restore job of the instance failed within the job look-back window",
            "Read the job's error (Azure's code is in the finding) and fix its cause.",
        ),
        Rule(
            "restore-drill-failed",
            Severity.HIGH,
            "instance (--evidence)",
            "the newest restore drill of the instance failed",
            "Fix the cause in the drill's evidence (Azure's code), then run `restore-test` again.",
        ),
        Rule(
            "restore-untested",
            Severity.MEDIUM,
            "instance (--evidence)",
            "no successful restore drill of the instance within --max-restore-age",
            "Run `pulumi-dataprotection restore-test` on a schedule (see examples/ci) and keep its evidence.",
        ),
        Rule(
            "restore-tested",
            Severity.INFO,
            "instance (--evidence)",
            "the last successful restore drill of the instance, its recovery point age and restore duration",
            "Keep running drills on a schedule.",
        ),
        Rule(
            "evidence-missing",
            Severity.INFO,
            "any",
            "settings the audit needs are not recorded in the export",
            "Run `pulumi refresh` and export again; resources created by older provider versions lack outputs.",
        ),
    )
}
"""The rule catalog, also printed by ``audit --list-rules``."""

_EVIDENCE = {
    "vault": ("redundancy", "soft_delete_state", "immutability_state"),
    "instance": ("protection_state", "on_delete", "policy_id"),
}


def finding(code: str, kind: str, name: str, arm_id: str | None, message: str) -> Finding:
    """The finding of rule ``code`` on a resource, with the rule's severity and recommendation."""
    rule = RULES[code]
    return Finding(
        severity=rule.severity,
        code=code,
        resource_kind=kind,
        resource=name,
        resource_id=arm_id,
        message=message,
        recommendation=rule.recommendation + (f" Control: {rule.control}." if rule.control else ""),
    )


def _lower(value: str | None) -> str:
    return (value or "").lower()


def vault_findings(vault: VaultRow) -> Iterable[Finding]:
    """The findings of one vault."""
    name, vid = vault.name, vault.id
    soft = _lower(vault.soft_delete_state)
    if soft == "off":
        yield finding("vault-soft-delete-off", "vault", name, vid, "soft delete is Off")
    elif soft == "on":
        yield finding(
            "vault-soft-delete-reversible",
            "vault",
            name,
            vid,
            f"soft delete is On ({vault.soft_delete_retention_days or 'unknown'} days), not AlwaysOn",
        )
    immutability = _lower(vault.immutability_state)
    if immutability == "disabled":
        yield finding("vault-immutability-disabled", "vault", name, vid, "immutability is Disabled")
    elif immutability == "unlocked":
        yield finding("vault-immutability-unlocked", "vault", name, vid, "immutability is Unlocked, not Locked")
    redundancy = _lower(vault.redundancy)
    if redundancy == "locallyredundant":
        if vault.production:
            tags = ", ".join(f"{k}={v}" for k, v in vault.tags.items())
            yield finding(
                "vault-lrs-production", "vault", name, vid, f"LocallyRedundant storage on a production vault ({tags})"
            )
        else:
            yield finding("vault-lrs", "vault", name, vid, "LocallyRedundant storage")
    if redundancy == "georedundant" and _lower(vault.cross_region_restore_state) not in ("enabled", ""):
        yield finding("vault-geo-without-crr", "vault", name, vid, "GeoRedundant, cross-region restore Disabled")
    if vault.encryption is not None and not vault.encryption.startswith("customer-managed"):
        yield finding("vault-no-cmk", "vault", name, vid, vault.encryption)
    if _lower(vault.cross_subscription_restore_state) == "enabled":
        yield finding("vault-cross-subscription-restore", "vault", name, vid, "cross-subscription restore is Enabled")
    if _lower(vault.infrastructure_encryption) == "disabled":
        yield finding(
            "vault-infrastructure-encryption-off",
            "vault",
            name,
            vid,
            "infrastructure (double) encryption is Disabled",
        )
    if _lower(vault.identity) == "none":
        yield finding("vault-no-identity", "vault", name, vid, "no managed identity")
    if vault.provisioning_state is not None and _lower(vault.provisioning_state) != "succeeded":
        yield finding("vault-not-provisioned", "vault", name, vid, f"provisioning state {vault.provisioning_state}")
    missing = [f for f in _EVIDENCE["vault"] if getattr(vault, f) is None]
    if missing:
        yield finding("evidence-missing", "vault", name, vid, f"not recorded: {', '.join(missing)}")


def policy_findings(policy: PolicyRow, min_retention_days: float) -> Iterable[Finding]:
    """The findings of one policy."""
    name, pid = policy.name, policy.id
    longest = policy.longest_retention_days
    if longest is not None and longest < min_retention_days:
        yield finding(
            "policy-short-retention",
            "policy",
            name,
            pid,
            f"longest retention is {longest:g} days, below the {min_retention_days:g}-day threshold",
        )
    kind = kind_of_type(policy.datasource_types[0]) if policy.datasource_types else None
    if (
        kind is not None
        and policy.data_stores
        and set(policy.data_stores) == {"OperationalStore"}
        and "VaultStore" in kind.retention_datastores
    ):
        yield finding(
            "policy-operational-only",
            "policy",
            name,
            pid,
            f"{kind.title} backups are kept only in OperationalStore although VaultStore is available",
        )
    if not policy.used_by:
        yield finding("policy-unused", "policy", name, pid, "not used by any backup instance in the export")
    missing = [
        label
        for label, known in (
            ("policy_rules", policy.retention or policy.summary),
            ("datasource_types", policy.datasource_types),
        )
        if not known
    ]
    if missing:
        yield finding("evidence-missing", "policy", name, pid, f"not recorded: {', '.join(missing)}")


def instance_findings(
    instance: InstanceRow, vaults: Mapping[str, VaultRow], policies: Mapping[str, PolicyRow]
) -> Iterable[Finding]:
    """The findings of one instance (``vaults`` and ``policies`` keyed by lower-cased ARM id)."""
    name, iid = instance.name, instance.id
    state = _lower(instance.protection_state)
    if state and state != "protectionconfigured":
        pending = state in _PENDING_STATES
        detail = f"protection state {instance.protection_state}"
        if instance.protection_error:
            detail += f": {instance.protection_error}"
        yield finding(
            "instance-protection-pending" if pending else "instance-not-protected", "instance", name, iid, detail
        )
    vault = vaults.get(_lower(instance.vault_id))
    if _lower(instance.on_delete) == "delete":
        policy = policies.get(_lower(instance.policy_id))
        vaulted = policy is None or bool({"VaultStore", "ArchiveStore"} & set(policy.data_stores))
        if vault is not None and _lower(vault.immutability_state) in ("unlocked", "locked") and vaulted:
            message = (
                f"on_delete Delete in vault {vault.name}, whose immutability is {vault.immutability_state}: Azure "
                "refuses that delete, so destroy fails"
            )
            yield finding("instance-delete-immutable", "instance", name, iid, message)
        if vault is not None and _lower(vault.soft_delete_state) == "off":
            message = f"on_delete Delete in vault {vault.name}, whose soft delete is Off"
            yield finding("instance-delete-unrecoverable", "instance", name, iid, message)
        else:
            if vault is None or vault.soft_delete_state is None:
                window = "the vault's soft delete state is unknown"
            elif vault.soft_delete_retention_days:
                window = f"soft delete keeps them {vault.soft_delete_retention_days} days"
            else:
                window = f"soft delete is {vault.soft_delete_state}"
            yield finding("instance-delete-on-destroy", "instance", name, iid, f"on_delete Delete ({window})")
    if instance.policy_id and _lower(instance.policy_id) not in policies:
        yield finding(
            "instance-policy-outside-export",
            "instance",
            name,
            iid,
            f"policy {instance.policy or instance.policy_id} is not in the export",
        )
    missing = [f for f in _EVIDENCE["instance"] if getattr(instance, f) is None]
    if missing:
        yield finding("evidence-missing", "instance", name, iid, f"not recorded: {', '.join(missing)}")
