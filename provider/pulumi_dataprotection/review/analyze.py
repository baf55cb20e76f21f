"""Review a preview: per resource its action, the reason of a replacement, field-level old -> new from the schema
(the comparison the provider's own diff makes), a policy in words before and after, warnings, and the audit
findings the change introduces or fixes (the audit of the stack before and after the change)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from pulumi_dataprotection.audit.export import KIND_OF_TYPE, TYPE_PREFIX, ExportedResource, ResourceKind, StackExport
from pulumi_dataprotection.audit.model import Finding, Severity
from pulumi_dataprotection.audit.report import build_report
from pulumi_dataprotection.dynamic import wording
from pulumi_dataprotection.review.changes import Preview, ResourceChange
from pulumi_dataprotection.schema.unknown import UNKNOWN_STRING

if TYPE_CHECKING:
    from pulumi_dataprotection.dynamic import SchemaProvider

TITLES: dict[ResourceKind, str] = {kind: title for title, kind in KIND_OF_TYPE.items()}
_NOT_PREVIEWABLE = frozenset({"evidence-missing"})
"""Audit rules about values Azure reports only after `pulumi up` (a preview cannot have them)."""


@dataclass(frozen=True)
class Warning:
    """Something a reviewer must not miss; ``code`` is refused, backups-deleted, identity, one-way, on-delete,
    audit:<rule> or preview-error."""

    severity: Severity
    code: str
    resource: str
    message: str


@dataclass(frozen=True)
class FieldChange:
    """One property path: its value before and after (``known`` is False when the new value is known only after
    `pulumi up`), and whether its change forces a replacement."""

    path: str
    old: Any
    new: Any
    forces_replacement: bool
    known: bool = True


@dataclass
class ReviewedResource:
    """The review of one resource."""

    kind: ResourceKind
    name: str
    action: str
    reason: str | None = None
    fields: list[FieldChange] = field(default_factory=list)
    words: tuple[str | None, str | None] | None = None
    warnings: list[Warning] = field(default_factory=list)

    @property
    def title(self) -> str:
        """E.g. ``BackupVault 'vault'``."""
        return f"{TITLES[self.kind]} {self.name!r}"


@dataclass
class Review:
    """Everything the renderers show."""

    stack: str | None
    resources: list[ReviewedResource]
    warnings: list[Warning]
    introduced: list[Finding]
    fixed: list[Finding]
    fail_on: Severity | None
    whole_stack: bool
    """Whether the audit compared the whole stack (a stack export was given) or only the changed resources."""

    def counts(self) -> dict[str, int]:
        """Resources per action."""
        out: dict[str, int] = {}
        for r in self.resources:
            out[r.action] = out.get(r.action, 0) + 1
        return out

    def gating(self) -> list[Warning]:
        """The warnings at or above ``fail_on``."""
        if self.fail_on is None:
            return []
        return [w for w in self.warnings if w.severity.rank >= self.fail_on.rank]

    @property
    def passed(self) -> bool:
        """True when no warning reaches ``fail_on``."""
        return not self.gating()


def _immutability(preview: Preview, export: StackExport | None) -> dict[str, str]:
    """The immutability state of each vault the preview or the export shows, by lower-cased ARM id."""
    out: dict[str, str] = {}
    if export is not None:
        for vault in export.of_kind("vault"):
            state = vault.get("immutability_state")
            if isinstance(state, str):
                out[_lower(vault.get("arm_id"))] = state
    for change in preview.changes:
        if change.kind == "vault":
            state = change.new_inputs.get("immutability_state") or _old(change).get("immutability_state")
            if isinstance(state, str):
                out[_lower(_old(change).get("arm_id") or change.new_inputs.get("arm_id"))] = state
    return out


def _providers() -> dict[ResourceKind, type[SchemaProvider]]:
    from pulumi_dataprotection.adhoc.resource import AdhocBackupProvider
    from pulumi_dataprotection.instance.resource import InstanceProvider
    from pulumi_dataprotection.policy.resource import PolicyProvider
    from pulumi_dataprotection.vault.resource import VaultProvider

    return {
        "vault": VaultProvider,
        "policy": PolicyProvider,
        "instance": InstanceProvider,
        "adhoc": AdhocBackupProvider,
    }


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if not k.startswith("__")}


def _lower(value: Any) -> str:
    return value.rstrip("/").lower() if isinstance(value, str) else ""


def _old(change: ResourceChange) -> Mapping[str, Any]:
    return change.old_outputs or change.old_inputs


def build_review(preview: Preview, export: StackExport | None = None, *, fail_on: Severity | None = None) -> Review:
    """The review of ``preview``; ``export`` (the stack before the change) adds the unchanged resources: the backup
    instances of a replaced vault that the plan does not touch, and the whole stack's audit."""
    providers = _providers()
    changes = [c for c in preview.changes if c.action != "same"]
    vaults = {_lower(_old(c).get("arm_id")): c for c in changes if c.kind == "vault" and c.action != "create"}
    gone_vaults = {k: c for k, c in vaults.items() if c.action in ("replace", "delete")}
    immutability = _immutability(preview, export)
    resources: list[ReviewedResource] = []
    for change in changes:
        reviewed = _review(change, providers[change.kind], gone_vaults, immutability)
        resources.append(reviewed)
        if change.kind == "vault" and change.action in ("replace", "delete"):
            reviewed.warnings.extend(_vault_loss(change, changes, export))
        if change.kind == "vault" and change.action == "update":
            _two_steps(reviewed, change, changes, export)
    warnings = [
        Warning(Severity.HIGH, "preview-error", "the preview", f"the preview failed: {e}") for e in preview.errors
    ]
    for r in resources:
        warnings.extend(r.warnings)
    refused = {c.urn for c, r in zip(changes, resources, strict=True) if any(w.code == "refused" for w in r.warnings)}
    introduced, fixed = _audit_delta([c for c in changes if c.urn not in refused], export)
    warnings.extend(
        Warning(f.severity, f"audit:{f.code}", f"{f.resource_kind} {f.resource!r}", f"new audit finding: {f.message}")
        for f in introduced
    )
    warnings.sort(key=lambda w: -w.severity.rank)
    return Review(preview.stack, resources, warnings, introduced, fixed, fail_on, export is not None)


def _review(
    change: ResourceChange,
    provider: type[SchemaProvider],
    gone_vaults: Mapping[str, ResourceChange],
    immutability: Mapping[str, str],
) -> ReviewedResource:
    reviewed = ReviewedResource(change.kind, change.name, change.action)
    schema = provider.schema
    old, new = _clean(_old(change)), _clean(change.new_inputs)
    if change.kind == "policy":
        from pulumi_dataprotection.policy.schema import summarize

        reviewed.words = (summarize(old) if old else None, summarize(new) if new else None)
    if change.action == "create":
        inputs = schema.inputs_of(new)
        reviewed.fields = [
            FieldChange(name, None, value, False, UNKNOWN_STRING not in repr(value))
            for name, value in sorted(inputs.items())
            if name not in ("policy_rules", schema.raw_field) and not schema.field(name).plan_only
        ]
        taken = new.get("adoption")
        if isinstance(taken, str) and "its protection is " in taken:
            note = taken[taken.index("its protection is ") :].split("; ")[0]
            reviewed.warnings.append(Warning(Severity.MEDIUM, "protection", reviewed.title, note))
        if isinstance(taken, str) and taken.startswith(("resumes", "undeletes", "takes back")):
            reviewed.warnings.append(
                Warning(
                    Severity.MEDIUM,
                    "take-over",
                    reviewed.title,
                    f"this create takes over what exists in Azure although the stack's state does not hold it: "
                    f"`up` {taken}",
                )
            )
        if change.kind == "instance" and inputs.get("on_delete") == "Delete":
            reviewed.warnings.append(
                Warning(
                    Severity.LOW,
                    "on-delete",
                    reviewed.title,
                    "on_delete is Delete: destroying this resource later deletes its recovery points (set "
                    "on_delete=StopProtectionRetainData to keep them)",
                )
            )
        return reviewed
    if change.action == "forget":
        reviewed.reason = f"{change.kept_by}: only the stack forgets it"
        return reviewed
    if change.action == "delete":
        reviewed.warnings.extend(_instance_loss(change, reviewed.title, "deleted"))
        reviewed.warnings.extend(_immutable_delete(change, reviewed.title, immutability))
        return reviewed
    diff = schema.diff(old, new)
    reviewed.fields = sorted(
        (
            FieldChange(
                schema.program_path(path, new),
                old.get(path, d.old) if path in old else d.old,
                new.get(path, d.new) if path in new and not d.unknown else d.new,
                d.replace,
                not d.unknown,
            )
            for path, d in diff.details.items()
        ),
        key=lambda f: f.path,
    )
    if change.action == "update" and (diff.replaces or diff.one_way_violations):
        message = wording.refused(diff, diff.replaces, provider.refusal_hint)
        reviewed.warnings.append(Warning(Severity.HIGH, "refused", reviewed.title, message))
    for path in diff.entering_one_way:
        value = new.get(path)
        reviewed.warnings.append(
            Warning(
                Severity.MEDIUM,
                "one-way",
                reviewed.title,
                f"{path} becomes {value!r}: Azure never lets it change back",
            )
        )
    if change.kind == "vault":
        reviewed.warnings.extend(_identity(change, reviewed.title, old, new))
    if change.kind == "instance" and "protection" in diff.changed:
        reviewed.warnings.extend(_protection(reviewed.title, old, new))
    if change.action == "replace":
        reviewed.reason = _reason(change, diff.replaces, gone_vaults)
        reviewed.warnings.extend(_instance_loss(change, reviewed.title, "replaced"))
    return reviewed


def _reason(change: ResourceChange, replaces: list[str], gone_vaults: Mapping[str, ResourceChange]) -> str:
    old = _old(change)
    vault = gone_vaults.get(_lower(old.get("vault_id")))
    forced = sorted(set(replaces) | set(change.replace_reasons))
    if vault is not None and set(forced) <= {"vault_id"} and vault.action == "delete":
        return f"its vault {vault.name!r} is deleted"
    new_name = change.new_inputs.get("name")
    if change.kind == "policy" and old.get("name_prefix") and "name" in forced and new_name != old.get("name"):
        return wording.new_policy_version(old.get("name"), new_name)
    return wording.replace_reason(forced, vault.name if vault is not None else None)


def _protection(title: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Warning]:
    """A change of an instance's protection: what `up` sends and what it does to recovery points."""
    from pulumi_dataprotection.instance.states import EFFECTS

    before, wanted = old.get("protection"), new.get("protection")
    effect = EFFECTS.get((str(before), str(wanted)))
    if effect is None:
        return []
    return [Warning(Severity.MEDIUM, "protection", title, f"protection {before} -> {wanted}: `up` {effect}")]


def _immutable_delete(change: ResourceChange, title: str, immutability: Mapping[str, str]) -> list[Warning]:
    """A delete of an instance (on_delete Delete) that its immutable vault will refuse."""
    from pulumi_dataprotection.instance.resource import IMMUTABLE_STATES, immutable_delete_warning

    old = _old(change)
    state = immutability.get(_lower(old.get("vault_id")))
    if change.kind != "instance" or old.get("on_delete") not in ("Delete", None) or state not in IMMUTABLE_STATES:
        return []
    return [Warning(Severity.HIGH, "immutable-delete", title, immutable_delete_warning(change.name, state))]


def _instance_loss(change: ResourceChange, title: str, how: str) -> list[Warning]:
    old = _old(change)
    if change.kind != "instance" or old.get("on_delete") not in ("Delete", None):
        return []
    return [
        Warning(
            Severity.HIGH,
            "backups-deleted",
            title,
            wording.recovery_points_deleted(how),
        )
    ]


def _instances_of(change: ResourceChange, changes: list[ResourceChange], export: StackExport | None) -> set[str]:
    """The backup instances of the vault ``change`` that the preview or the export shows."""
    vault_id = _lower(_old(change).get("arm_id"))
    names = {c.name for c in changes if c.kind == "instance" and _lower(_old(c).get("vault_id")) == vault_id}
    if export is not None:
        names |= {r.name for r in export.of_kind("instance") if _lower(r.get("vault_id")) == vault_id}
    return names


def _two_steps(
    reviewed: ReviewedResource, change: ResourceChange, changes: list[ResourceChange], export: StackExport | None
) -> None:
    """A refused replacement of a vault that allows it (``allow_replace_with_data``): it holds backup instances
    under soft delete, so the refusal says the two steps that do it, as the provider's refusal does."""
    old, state = _old(change), _old(change).get("soft_delete_state")
    names = _instances_of(change, changes, export)
    if not change.new_inputs.get("allow_replace_with_data") or state not in ("On", "AlwaysOn"):
        return  # allowed, the provider refuses a vault replacement only for this reason
    listed = ", ".join(sorted(names)) or None
    steps = wording.vault_replacement_steps(str(state), old.get("soft_delete_retention_days"), listed)
    reviewed.warnings = [
        replace(w, message=f"{wording.REFUSED}: {steps}") if w.code == "refused" else w for w in reviewed.warnings
    ]


def _vault_loss(change: ResourceChange, changes: list[ResourceChange], export: StackExport | None) -> list[Warning]:
    names = _instances_of(change, changes, export)
    verb = "replacing" if change.action == "replace" else "deleting"
    title = f"BackupVault {change.name!r}"
    if names:
        message = wording.vault_backups_deleted(verb, ", ".join(sorted(names)))
    elif export is None:
        message = f"{wording.vault_backups_deleted(verb, None)} (pass --export to list its backup instances)"
    else:
        return []
    return [Warning(Severity.HIGH, "backups-deleted", title, message)]


def _identity(change: ResourceChange, title: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[Warning]:
    principal = old.get("principal_id")
    had = "SystemAssigned" in str(old.get("identity_type") or "")
    keeps = "SystemAssigned" in str(new.get("identity_type") or "")
    if not principal or not had or (change.action == "update" and keeps):
        return []
    why = "the vault is replaced" if change.action == "replace" else "its system-assigned identity is removed"
    return [
        Warning(
            Severity.HIGH,
            "identity",
            title,
            wording.identity_lost(why, principal),
        )
    ]


def _exported(change: ResourceChange, values: Mapping[str, Any], inputs: Mapping[str, Any]) -> ExportedResource:
    arm_id = values.get("arm_id")
    return ExportedResource(
        kind=change.kind,
        type=TYPE_PREFIX + TITLES[change.kind],
        urn=change.urn,
        name=change.name,
        id=arm_id if isinstance(arm_id, str) else None,
        outputs=values,
        inputs=inputs,
    )


def _audit_delta(changes: list[ResourceChange], export: StackExport | None) -> tuple[list[Finding], list[Finding]]:
    """Findings of the audit after the change that it did not have before, and the other way round."""
    before: dict[str, ExportedResource] = {}
    if export is not None:
        before = {r.urn: r for r in export.resources}
    for change in changes:
        if change.action != "create" and change.urn not in before:
            before[change.urn] = _exported(change, _old(change), change.old_inputs)
    after = dict(before)
    for change in changes:
        if change.action == "forget":
            continue  # still in Azure as it was: its findings are not fixed
        if change.action == "delete":
            after.pop(change.urn, None)
            continue
        known = {k: v for k, v in change.new_inputs.items() if UNKNOWN_STRING not in repr(v)}
        kept = dict(change.old_outputs) if change.action == "update" else {}
        after[change.urn] = _exported(change, {**kept, **known}, known)

    def findings(resources: Mapping[str, ExportedResource]) -> dict[tuple[str, str, str], Finding]:
        logical = {_lower(r.arm_id): r.name for r in resources.values() if r.arm_id}
        stack = StackExport(source="review", project=None, stack=None, resources=tuple(resources.values()))
        report = build_report(stack, fail_on=None)
        return {(f.code, f.resource_kind, logical.get(_lower(f.resource_id), f.resource)): f for f in report.findings}

    old, new = findings(before), findings(after)
    for found in (old, new):
        for key in [k for k in found if k[0] in _NOT_PREVIEWABLE]:
            found.pop(key)
    return [f for k, f in new.items() if k not in old], [f for k, f in old.items() if k not in new]
