"""The one wording of what a planned change does that a reviewer must not miss (a change `pulumi up` will refuse, why
a resource is replaced, the backups a replacement deletes): the provider's preview warnings and the ``review``
command's warnings are both written here, so they always say the same."""

from __future__ import annotations

from typing import Any

from pulumi_dataprotection.schema import SchemaDiff

REFUSED = "`pulumi up` will refuse this change and write nothing"


def refused(diff: SchemaDiff, replaces: list[str], hint: str) -> str:
    """A change `up` refuses: the one-way settings it would change back, else the inputs that cannot change in
    place, then what to do (``hint``)."""
    forced = sorted(set(replaces) | set(diff.replaces))
    what = [v.message for v in diff.one_way_violations] or [
        f"{', '.join(forced)} cannot change in place (it needs a replacement)"
    ]
    return f"{REFUSED}: {'; '.join(what)}; {hint}"


def replace_reason(forced: list[str], vault: str | None = None) -> str:
    """Why a resource is replaced: the inputs forcing it, or its vault (named ``vault``) being replaced."""
    if vault is not None and set(forced) <= {"vault_id"}:
        return f"its vault {vault!r} is replaced"
    return f"{', '.join(sorted(forced))} cannot change in place" if forced else "the engine replaces it"


def new_policy_version(old_name: object, new_name: object) -> str:
    """Why a content-addressed policy is replaced: the new version, the re-pointed instances, the old one deleted."""
    return (
        f"its content changed: the new version {new_name!r} is created, the backup instances are re-pointed to it, "
        f"then {old_name!r} is deleted"
    )


def recovery_points_deleted(how: str) -> str:
    """A backup instance with ``on_delete`` Delete that is ``how`` (replaced, deleted)."""
    return (
        f"the backup instance is {how} with on_delete=Delete: its recovery points are deleted (Azure keeps them "
        "soft-deleted only for the vault's soft delete retention); set on_delete=StopProtectionRetainData in a "
        "change of its own first to keep them"
    )


def identity_lost(why: str, principal: object) -> str:
    """A vault's system-assigned identity going away (``why``: the vault is replaced, ...) with its roles."""
    return (
        f"{why}: principal {principal} no longer exists, so the roles granted to it on the datasources stop "
        "working and backups fail until they are granted to the new principal (`pulumi-dataprotection "
        "permissions` lists them)"
    )


def vault_backups_deleted(verb: str, instances: str | None) -> str:
    """A vault being replaced or deleted (``verb``: replacing, deleting), with the backup instances it holds."""
    if instances:
        return f"{verb} the vault deletes every backup it holds: backup instance(s) {instances}"
    return f"{verb} the vault deletes every backup it holds"


def vault_replacement_steps(state: str, days: Any, instances: str | None) -> str:
    """Why a vault holding ``instances`` (None: not listed) with soft delete ``state`` (On, AlwaysOn) cannot be
    replaced under its name in one change, and the two steps that do it."""
    if isinstance(days, float) and days.is_integer():
        days = int(days)
    kept = f"{days} days" if days is not None else "the soft delete retention"
    if state == "On":
        steps = (
            "1. set soft_delete_state='Off' on the vault and run `pulumi up`; 2. run this change (the instances' "
            "recovery points are then deleted with them)"
        )
    else:
        steps = (
            "1. remove the backup instances from the program and run `pulumi up` (with on_delete='Delete': set it "
            f"in a change of its own first where it is not); 2. after {kept}, when Azure has purged them, run this "
            "change"
        )
    listed = f" ({instances})" if instances else ""
    return (
        f"the vault keeps its name, so its replacement deletes it first, and Azure refuses to delete a vault while "
        f"it holds backup instances, soft-deleted ones included: with soft delete {state} the backup instances"
        f"{listed} would stay in it, soft-deleted, for {kept}, and `up` would stop after deleting them with "
        f"the vault not replaced. This replacement takes two steps: {steps}. To keep the backups, create a vault "
        "under another name instead and protect the datasources there"
    )
