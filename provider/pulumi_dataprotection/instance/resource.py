"""The BackupInstance dynamic resource: validate before writing, PUT, wait for provisioning and for protection,
in-place updates after validateForModifyBackup, explicit adoption, undelete of a soft-deleted instance, and delete
modes.

Every instance write holds its vault's lock in this process until Azure's operation ends, because Azure refuses
concurrent instance writes in one vault (406/409); the wait for ``ProtectionConfigured`` runs outside the lock, so
the next instance of the vault is written meanwhile, unless the vault has refused one of our writes (it then also
refuses writes while protection is being configured), in which case the lock covers the wait too.
"""

from __future__ import annotations

import copy
import dataclasses
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import pulumi
from pulumi.dynamic import CheckFailure

from pulumi_dataprotection.arm import (
    ArmError,
    NotFoundError,
    OperationResult,
    ResourceId,
)
from pulumi_dataprotection.arm.paths import DATA_PROTECTION, DELETED_BACKUP_INSTANCES, vault_of
from pulumi_dataprotection.config import ConfigError
from pulumi_dataprotection.datasources import KINDS
from pulumi_dataprotection.dynamic import (
    TIMEOUT_RULE,
    TIMEOUTS,
    Context,
    PlanError,
    ResourceFailure,
    SchemaProvider,
    adoption,
    extend,
    has_unknown,
    program,
    wording,
)
from pulumi_dataprotection.dynamic.adoption import ADOPT_EXISTING, ADOPTION, ADOPTION_OUTPUT
from pulumi_dataprotection.dynamic.engine import preview_warning
from pulumi_dataprotection.guard import mua, operations
from pulumi_dataprotection.instance import states
from pulumi_dataprotection.instance.protection import (
    _RESUME_FROM,
    PROTECTION_ERROR,
    Protection,
    protection_error,
)
from pulumi_dataprotection.instance.schema import (
    AUTO_PROTECTION_SINCE,
    INSTANCE,
    check_policy_match,
    check_vault_match,
    protection_of,
)
from pulumi_dataprotection.policy.resource import SCHEMA as POLICY_SCHEMA
from pulumi_dataprotection.restore.client import RestoreApi, newest
from pulumi_dataprotection.schema import (
    OUTPUT_ONLY,
    BoolType,
    EnumType,
    Field,
    SchemaDiff,
    StringType,
)

ON_DELETE = ("Delete", "StopProtectionRetainData", "Suspend", "Retain")

SCHEMA = extend(
    INSTANCE,
    [
        Field(
            name="on_delete",
            type=EnumType(list(ON_DELETE)),
            doc="What destroying the resource does: Delete (Azure keeps soft-deleted backups per the vault's soft "
            "delete setting), StopProtectionRetainData (stop backups, keep recovery points), Suspend (pause "
            "backups, keep the instance) or Retain (leave it untouched).",
            default="Delete",
        ),
        Field(
            name="wait_for_protection",
            type=BoolType(),
            doc="Wait until currentProtectionState is ProtectionConfigured after a create or update.",
            default=True,
            diff=False,
        ),
        Field(
            name="allow_replace_with_data",
            type=BoolType(),
            doc="Allow a planned replacement (a change Azure cannot make in place, such as datasource_id, "
            "datasource_location, friendly_name or snapshot_resource_group_id): the old instance is removed as "
            "on_delete says, so with Delete its recovery points survive only as a soft-deleted instance, and only "
            "while the vault's soft delete is On or AlwaysOn.",
            default=False,
            diff=False,
            plan_only=True,
        ),
        ADOPT_EXISTING,
        TIMEOUTS,
    ],
    [TIMEOUT_RULE],
)

_DELETE_CALLS: dict[str, Callable[[ResourceId], tuple[str, str, str]]] = {
    "Delete": lambda rid: ("DELETE", rid.path, "delete backup instance"),
    "StopProtectionRetainData": lambda rid: ("POST", rid.action("stopProtection"), "stop protection"),
    "Suspend": lambda rid: ("POST", rid.action("suspendBackups"), "suspend backups"),
}
"""What destroying the resource sends per ``on_delete`` mode (``Retain`` sends nothing)."""
PERMISSION_CODES = ("UserErrorMSIMissingPermissions",)
"""Azure's answer to a validation while the vault's identity lacks a role (or it has not propagated yet)."""
_GUARDED_DELETES = {
    "Delete": operations.DELETE_INSTANCE,
    "StopProtectionRetainData": operations.STOP_PROTECTION,
    "Suspend": operations.SUSPEND_BACKUPS,
}
"""The critical operation each ``on_delete`` mode is, when a resource guard protects the vault."""


IMMUTABLE_REFUSAL = "UserErrorOperationNotAllowedOnImmutableVault"
"""Azure's code for a delete that an immutable vault refuses."""
IMMUTABLE_STATES = ("Unlocked", "Locked")
"""Vault immutability states in which Azure refuses to delete an instance that holds recovery points."""


VAULTED_STORES = ("VaultStore", "ArchiveStore")
"""Datastores whose recovery points an immutable vault protects from deletion."""


def keeps_vaulted_points(value: Any) -> bool:
    """Whether policy inputs (or any part of them) name a vaulted datastore (:data:`VAULTED_STORES`)."""
    if isinstance(value, Mapping):
        return any(keeps_vaulted_points(v) for v in value.values())
    if isinstance(value, list):
        return any(keeps_vaulted_points(v) for v in value)
    return value in VAULTED_STORES


def immutable_delete_warning(name: str, state: str | None) -> str:
    """The warning for an instance with on_delete Delete in an immutable vault (preview, review and audit)."""
    return (
        f"BackupInstance {name!r}: on_delete is Delete but its vault is immutable ({state}): Azure refuses to "
        "delete an instance whose recovery points it keeps, so `pulumi destroy` (or removing the instance) will "
        "fail with UserErrorOperationNotAllowedOnImmutableVault; set on_delete='StopProtectionRetainData' (or "
        "'Retain') on the instance, and on_delete='Retain' on its policy and vault"
    )


class InstanceProvider(Protection, SchemaProvider):
    """Lifecycle of ``Microsoft.DataProtection/backupVaults/backupInstances``."""

    schema = SCHEMA
    title = "BackupInstance"
    description = (
        "A protected datasource in a vault (``Microsoft.DataProtection/backupVaults/backupInstances``); the inputs "
        "that apply depend on ``datasource_kind``."
    )
    identity_fields = ("vault_id", "name")
    named_by = ("name",)
    audit_outputs = (
        Field(
            name="protection_state",
            type=StringType(),
            doc="`currentProtectionState`, e.g. `ProtectionConfigured`.",
            mutability=OUTPUT_ONLY,
        ),
        Field(
            name="protection_error",
            type=PROTECTION_ERROR,
            doc="`{code, message, recommended_action}` when protection failed, else null.",
            mutability=OUTPUT_ONLY,
        ),
        Field(
            name="datasource_type",
            type=StringType(),
            doc="The datasource type as Azure reports it.",
            mutability=OUTPUT_ONLY,
        ),
        Field(
            name="newest_recovery_point_time",
            type=StringType(),
            doc="Time of the instance's newest recovery point (ISO 8601, UTC), null when it has none (a new "
            "instance); read after every update and `pulumi refresh`.",
            mutability=OUTPUT_ONLY,
        ),
        Field(
            name="newest_recovery_point_id",
            type=StringType(),
            doc="Id (recoveryPointId) of the instance's newest recovery point, null when it has none.",
            mutability=OUTPUT_ONLY,
        ),
        ADOPTION_OUTPUT,
    )
    adoptable = True
    marks_owner = True
    refusal_hint = (
        "replacing the backup instance removes the old one and its recovery points may go with it (see on_delete); "
        "revert the change, or set allow_replace_with_data=True if the replacement is intended"
    )

    def resource_id(self, inputs: Mapping[str, Any]) -> ResourceId:
        return ResourceId.parse(str(inputs["vault_id"])).child("backupInstances", str(inputs["name"]))

    # -- preview ------------------------------------------------------------------------------------------------

    def review(self, olds: Mapping[str, Any], news: Mapping[str, Any], diff: SchemaDiff, replaces: list[str]) -> None:
        if not replaces:
            self._warn_protection(olds, news, diff)
        if not replaces or news.get("allow_replace_with_data") or self._allowed_with_vault(olds, diff, replaces):
            return
        changing = sorted(set(replaces))
        pending = [n for n in changing if n in diff.maybe_changed]
        what = f"changing {', '.join(changing)}"
        if pending:
            source = "it comes" if len(pending) == 1 else "they come"
            what += f" ({', '.join(pending)}: known only once the resources {source} from are updated)"
        raise PlanError(
            f"BackupInstance {olds.get('name')!r}: {what} replaces the backup instance: Azure cannot change "
            f"{'it' if len(changing) == 1 else 'them'} in place, so the old instance is removed and a new one "
            f"created. {self._recovery_points_fate(olds)}\nRevert the change; set allow_replace_with_data=True only "
            "if replacing the instance is intended."
        )

    def _allowed_with_vault(self, olds: Mapping[str, Any], diff: SchemaDiff, replaces: list[str]) -> bool:
        """Whether Pulumi asks, with the state's inputs, if replacing the instance's vault replaces it too, and the
        program allowed the vault's replacement: the program has not sent this instance's inputs yet, so its own
        opt-in cannot be read; it is checked when the program sends them (:mod:`..dynamic.program`)."""
        vault, arm_id = olds.get("vault_id"), olds.get("arm_id")
        return (
            isinstance(vault, str)
            and isinstance(arm_id, str)
            and set(replaces) <= set(diff.maybe_changed)
            and program.replacement_allowed(vault)
            and not program.is_checked(arm_id)
        )

    def replacement_risks(self, olds: Mapping[str, Any]) -> list[str]:
        return [wording.recovery_points_deleted("replaced")] if olds.get("on_delete") in ("Delete", None) else []

    def _recovery_points_fate(self, olds: Mapping[str, Any]) -> str:
        """What happens to the old instance's recovery points when it is replaced: ``on_delete`` decides, and with
        Delete the vault's soft delete setting (read from Azure, a GET only)."""
        mode = olds.get("on_delete") or "Delete"
        if mode != "Delete":
            kept = {
                "Retain": "is left in Azure as it is",
                "StopProtectionRetainData": "stops being protected",
                "Suspend": "has its backups suspended",
            }[str(mode)]
            return f"on_delete is {mode}: the old instance {kept} and keeps its recovery points."
        try:
            vault = ResourceId.parse(str(olds.get("vault_id")))
            body = self.context(olds).client.get(vault.path, operation="read backup vault", resource=str(vault))
        except (ArmError, ConfigError) as exc:
            body, reason = None, f"the vault could not be read: {str(exc).splitlines()[0]}"
        else:
            reason = "the vault was not found"
        settings = ((body or {}).get("properties") or {}).get("securitySettings") or {}
        soft = settings.get("softDeleteSettings") or {}
        state, days = soft.get("state"), soft.get("retentionDurationInDays")
        if isinstance(days, float) and days.is_integer():
            days = int(days)
        if state == "Off":
            return "The vault's soft delete is Off, so the old instance's recovery points are deleted with it for good."
        if state in ("On", "AlwaysOn"):
            return (
                f"The vault's soft delete is {state}, so the old instance's recovery points are kept as a soft-deleted "
                f"backup instance for {days if days is not None else 'the retention'} days, then purged; the new "
                "instance does not have them."
            )
        return (
            f"Whether the old instance's recovery points survive depends on the vault's soft delete setting, and "
            f"{reason}: with On or AlwaysOn they are kept as a soft-deleted instance for the vault's retention days, "
            "with Off they are deleted with it."
        )

    def check_plan(self, olds: Mapping[str, Any], inputs: Mapping[str, Any]) -> list[CheckFailure]:
        self._warn_immutable_delete(inputs)
        self._warn_vault_redundancy(inputs)
        failures: list[CheckFailure] = []
        policy_id = inputs.get("policy_id")
        policy = program.policy(policy_id) if isinstance(policy_id, str) and not has_unknown(policy_id) else None
        if policy is not None:
            failures.extend(CheckFailure(f.property, f.reason) for f in check_policy_match(inputs, policy))
        known = self.known_outputs(inputs)
        kind = KINDS.get(str(inputs.get("datasource_kind")))
        problem = kind.version_problem(str(known.get("api_version"))) if kind and known.get("api_version") else None
        if problem:
            failures.append(CheckFailure("datasource_kind", problem))
        vault_id = inputs.get("vault_id")
        vault = program.vault_values(vault_id) if isinstance(vault_id, str) and not has_unknown(vault_id) else None
        if vault is not None and not olds.get("name"):
            failures.extend(CheckFailure(f.property, f.reason) for f in check_vault_match(inputs, vault))
        version = str(known.get("api_version") or "")
        if version and version < AUTO_PROTECTION_SINCE and inputs.get("auto_protection") is not None:
            failures.append(
                CheckFailure(
                    "auto_protection",
                    f"auto_protection needs api-version {AUTO_PROTECTION_SINCE} or later, but the provider is "
                    f"configured for {version}, whose spec has no auto-protection parameters; set "
                    f"dataprotection:apiVersion to {AUTO_PROTECTION_SINCE} or later",
                )
            )
        arm_id = known.get("arm_id")
        datasource, database = inputs.get("datasource_id"), inputs.get("database_name")
        if isinstance(arm_id, str) and isinstance(datasource, str) and not has_unknown([datasource, database]):
            holder = program.claim_datasource(datasource, str(database or ""), arm_id)
            if holder is not None:
                what = f"database {database!r} of {datasource}" if database else datasource
                failures.append(
                    CheckFailure(
                        "datasource_id",
                        f"{what} is already protected by the backup instance {holder} of this program; Azure "
                        "protects a datasource with one backup instance only: remove one of the two instances",
                    )
                )
        return failures

    @staticmethod
    def _warn_vault_redundancy(inputs: Mapping[str, Any]) -> None:
        """Warn when a kind Azure documents with geo-redundant vaults only (Cosmos DB) is protected in a vault of the
        program that is not: Azure's support matrix says so, but no recorded answer shows whether or how Azure
        refuses it, so this is a warning, not a failure."""
        kind = KINDS.get(str(inputs.get("datasource_kind")))
        vault = inputs.get("vault_id")
        if kind is None or not kind.geo_redundant_vault or not isinstance(vault, str) or has_unknown(vault):
            return
        redundancy = (program.vault_values(vault) or {}).get("redundancy")
        if redundancy is not None and redundancy.lower() not in ("georedundant", "grs"):
            preview_warning(
                f"{inputs.get('name')}: Azure Backup's support matrix for {kind.title}s says their backups go to a "
                f"Backup vault with geo-redundant storage, but the vault {vault.rsplit('/', 1)[-1]} is {redundancy}; "
                "Azure may refuse to configure protection: use a vault with redundancy GeoRedundant"
            )

    @staticmethod
    def _warn_immutable_delete(inputs: Mapping[str, Any]) -> None:
        """Warn when destroy would delete the instance (on_delete Delete) from a vault of the program that is
        immutable: Azure refuses that delete (UserErrorOperationNotAllowedOnImmutableVault) while recovery points
        are kept, so the destroy would fail."""
        vault, mode = inputs.get("vault_id"), inputs.get("on_delete") or "Delete"
        if mode != "Delete" or not isinstance(vault, str) or has_unknown(vault):
            return
        state = (program.vault_values(vault) or {}).get("immutability_state")
        policy_id = inputs.get("policy_id")
        policy = program.policy(policy_id) if isinstance(policy_id, str) and not has_unknown(policy_id) else None
        if state in IMMUTABLE_STATES and (policy is None or keeps_vaulted_points(policy)):
            preview_warning(immutable_delete_warning(str(inputs.get("name")), state))

    def validate_in_preview(self, ctx: Context, olds: Mapping[str, Any], inputs: dict[str, Any]) -> list[CheckFailure]:
        failures: list[CheckFailure] = []
        rid = self.resource_id(inputs)
        policy_rid = ResourceId.parse(str(inputs["policy_id"]))
        try:
            policy = ctx.client.get(policy_rid.path, operation="read backup policy", resource=str(policy_rid))
            if policy is not None:
                failures.extend(
                    CheckFailure(f.property, f.reason)
                    for f in check_policy_match(inputs, POLICY_SCHEMA.from_rest(policy))
                )
            if failures:
                return failures
            body = SCHEMA.to_rest(inputs)
            if olds.get("name") == inputs.get("name") and olds.get("vault_id") == inputs.get("vault_id"):
                self._validate(ctx, rid.action("validateForModifyBackup"), body, "validateForModifyBackup")
            else:
                self._validate(ctx, self._vault(inputs).action("validateForBackup"), body, "validateForBackup")
        except NotFoundError as exc:
            if exc.gone:  # the vault or policy is created by this update: nothing to validate against yet
                return failures
            failures.append(CheckFailure("", f"validation in preview (dataprotection:validateInPreview): {exc}"))
        except (ArmError, ResourceFailure) as exc:
            cause = exc if isinstance(exc, ArmError) else exc.__cause__
            code = cause.code if isinstance(cause, ArmError) else None
            if code in PERMISSION_CODES and program.grants_on(str(inputs["datasource_id"])):
                preview_warning(
                    f"{self.title} {inputs.get('name')!r}: validation in preview reports missing permissions ({code}), "
                    "but this program assigns roles on the datasource (RoleAssignment, BackupPermissions): the "
                    "create waits for them to propagate (dataprotection:rolePropagationWait)"
                )
                return failures
            failures.append(CheckFailure("", f"validation in preview (dataprotection:validateInPreview): {exc}"))
        return failures

    # -- helpers ------------------------------------------------------------------------------------------------

    def _validate(
        self, ctx: Context, path: str, body: Mapping[str, Any], action: str, *, wait_for_roles: bool = False
    ) -> None:
        """POST a validation action; its failure is raised before anything is written. With ``wait_for_roles``, a
        missing-permission answer is retried for at most ``dataprotection:rolePropagationWait`` (within the create's
        time limit), saying so: role assignments made in the same ``pulumi up`` take minutes to reach the service."""
        started = time.monotonic()
        attempt = 0
        while True:
            try:
                ctx.client.execute(
                    "POST",
                    path,
                    {"backupInstance": body["properties"]},
                    operation=action,
                    resource=path.rsplit("/", 1)[0],
                    timeout=ctx.timeout("read"),
                )
                return
            except NotFoundError:
                raise
            except ArmError as exc:
                waited = time.monotonic() - started
                pause = ctx.client.settings.poll.backoff(attempt)
                deadline = ctx.timeout("create")
                bound = ctx.config.role_propagation_wait
                if wait_for_roles and exc.code in PERMISSION_CODES:
                    if waited + pause <= bound and deadline.remaining() > pause:
                        if attempt == 0:
                            pulumi.log.warn(
                                f"{ctx.label}: {action} says the vault's identity lacks permissions ({exc.code}); "
                                "role assignments can take minutes to propagate, so it is retried for up to "
                                f"{bound:g}s (dataprotection:rolePropagationWait)"
                            )
                        time.sleep(pause)
                        attempt += 1
                        continue
                    raise ResourceFailure(
                        f"{ctx.label}: Azure's {action} rejected the backup instance, so nothing was written; it "
                        f"still reported missing permissions after {waited:.0f}s of retries ({attempt + 1} "
                        "attempts) waiting for role assignments to propagate (dataprotection:rolePropagationWait). "
                        "Grant the roles `pulumi-dataprotection permissions` lists (or declare BackupPermissions and "
                        f"make the instance depend on it), then run `pulumi up` again:\n{exc}"
                    ) from exc
                raise ResourceFailure(
                    f"{ctx.label}: Azure's {action} rejected the backup instance, so nothing was written:\n{exc}"
                ) from exc

    def _protections_of(self, ctx: Context, datasource: str) -> list[dict[str, Any]]:
        """Instances protecting ``datasource`` in any vault (extension routing); [] when they cannot be listed. An
        id that does not parse raises (check refuses such ids, so the one-protection rule is never skipped)."""
        path = f"{ResourceId.parse(datasource).path}/providers/{DATA_PROTECTION}/backupInstances"
        try:
            return ctx.client.list(path, operation="list protections of the datasource", resource=datasource)
        except ArmError:
            return []

    def _prepare_create(
        self, ctx: Context, rid: ResourceId, inputs: Mapping[str, Any], body: Mapping[str, Any]
    ) -> bool:
        """Look for other protections of the datasource: fail, or undelete a soft-deleted instance of this name.
        True when the instance exists (undeleted)."""
        vault = self._vault(inputs)
        name = str(inputs["name"])
        datasource = str(body["properties"]["dataSourceInfo"]["resourceID"])
        for item in self._protections_of(ctx, datasource):
            props = item.get("properties") or {}
            item_vault = vault_of(str((props.get("policyInfo") or {}).get("policyId") or "")) or ""
            same_vault = (
                item_vault.lower() == vault.path.lower() or item_vault.lower() == str(inputs["vault_id"]).lower()
            )
            if same_vault and item.get("name") == name:
                raise ResourceFailure(
                    f"{ctx.label} appeared in Azure ({rid}) while it was being created; run `pulumi up` again (an "
                    "instance created by another tool is only taken over with adopt_existing=True)"
                )
            state = props.get("currentProtectionState") or (props.get("protectionStatus") or {}).get("status")
            where = f"vault {item_vault or '(unknown)'}"
            hint = (
                f"set name={item.get('name')!r} to manage it from this stack"
                if same_vault
                else "Azure allows one protection per datasource: stop protection and delete that instance first, "
                "or keep managing it from the stack that owns that vault"
            )
            raise ResourceFailure(
                f"{ctx.label}: the datasource {datasource} is already protected by backup instance "
                f"{item.get('name')!r} in {where} (state {state}); {hint}."
            )
        for item in self._soft_deleted(ctx, vault, datasource):
            deletion = (item.get("properties") or {}).get("deletionInfo") or {}
            if item.get("name") != name:
                raise ResourceFailure(
                    f"{ctx.label}: the vault holds a soft-deleted backup instance {item.get('name')!r} of the "
                    f"datasource {datasource} (deleted {deletion.get('deletionTime', '?')}, purged after "
                    f"{deletion.get('scheduledPurgeTime', '?')}), and Azure allows one protection per datasource; "
                    f"set name={item.get('name')!r} to undelete it and keep its recovery points, or wait until it is "
                    "purged."
                )
            if not inputs.get("adopt_existing") and not program.is_own(str(rid)):
                raise ResourceFailure(self._undelete_refusal(ctx, rid, item))
            gone = vault.child(DELETED_BACKUP_INSTANCES, name)
            self._act(ctx, rid, gone.action("undelete"), "undelete backup instance", ctx.timeout("create"))
            self._act(ctx, rid, rid.action("resumeProtection"), "resume protection", ctx.timeout("create"))
            return True
        return False

    @staticmethod
    def _soft_deleted(ctx: Context, vault: ResourceId, datasource: str) -> list[dict[str, Any]]:
        """The vault's soft-deleted instances of ``datasource``."""
        deleted = ctx.client.list(
            vault.collection(DELETED_BACKUP_INSTANCES),
            operation="list soft-deleted backup instances",
            resource=str(vault),
        )
        return [
            item
            for item in deleted
            if str(((item.get("properties") or {}).get("dataSourceInfo") or {}).get("resourceID") or "").lower()
            == datasource.lower()
        ]

    @staticmethod
    def _undelete_refusal(ctx: Context, rid: ResourceId, item: Mapping[str, Any]) -> str:
        deletion = (item.get("properties") or {}).get("deletionInfo") or {}
        return (
            f"{ctx.label}: the vault holds a soft-deleted backup instance of this name and datasource ({rid}, "
            f"deleted {deletion.get('deletionTime', '?')}); creating it would undelete it and take over its "
            "recovery points, and nothing shows that this stack created it (a soft-deleted instance carries no "
            "ownership mark). Set adopt_existing=True and on_delete to undelete and manage it from this stack, or "
            "choose another name (after it is purged the datasource can be protected again)."
        )

    def preview_absent(self, ctx: Context, rid: ResourceId, inputs: dict[str, Any]) -> list[CheckFailure]:
        """A create over a soft-deleted instance of this name and datasource undeletes it: refused without
        ``adopt_existing``, else planned (the ``adoption`` value) and warned about."""
        try:
            body = SCHEMA.to_rest(SCHEMA.inputs_of(inputs))
            datasource = str(body["properties"]["dataSourceInfo"]["resourceID"])
            found = [i for i in self._soft_deleted(ctx, self._vault(inputs), datasource) if i.get("name") == rid.name]
        except (ArmError, KeyError, ValueError):
            return []
        if not found:
            return []
        if not inputs.get("adopt_existing"):
            return [CheckFailure("adopt_existing", self._undelete_refusal(ctx, rid, found[0]))]
        deletion = (found[0].get("properties") or {}).get("deletionInfo") or {}
        inputs[ADOPTION] = (
            f"undeletes the soft-deleted instance (deleted {deletion.get('deletionTime', '?')}) and takes over its "
            f"recovery points (destroy: {inputs.get('on_delete')})"
        )
        preview_warning(f"{ctx.label} ({rid}): `up` {inputs[ADOPTION]}")
        return []

    # -- lifecycle hooks ----------------------------------------------------------------------------------------

    def create_resource(self, ctx: Context, rid: ResourceId, inputs: dict[str, Any]) -> dict[str, Any]:
        body = SCHEMA.to_rest(inputs)
        if self._prepare_create(ctx, rid, inputs, body):
            return self.resume_create(ctx, rid, inputs, body)
        self._validate(
            ctx, self._vault(inputs).action("validateForBackup"), body, "validateForBackup", wait_for_roles=True
        )
        written = self._put(ctx, rid, inputs, body, "create", settled=self._wanted(inputs) != "configured")
        return self._set_protection(ctx, rid, inputs, written, "create")

    def resume_create(
        self, ctx: Context, rid: ResourceId, inputs: dict[str, Any], existing: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Finish this instance's interrupted create (or its undelete, or take back the instance an earlier destroy
        left suspended or stopped): once Azure is done with it, resume it when the program wants it configured,
        validate and PUT again, then suspend or stop it when the program wants that."""
        body = SCHEMA.to_rest(inputs)
        found = self._wait_protection(ctx, rid, inputs, ctx.timeout("create"), settled=True)
        wanted = self._wanted(inputs, found)
        if wanted == "configured":
            self._set_protection(ctx, rid, inputs, found, "create")
        self._validate(ctx, rid.action("validateForModifyBackup"), body, "validateForModifyBackup")
        written = self._put(ctx, rid, inputs, body, "create", settled=wanted != "configured")
        return self._set_protection(ctx, rid, {**inputs, "protection": wanted}, written, "create")

    def _put(
        self,
        ctx: Context,
        rid: ResourceId,
        inputs: Mapping[str, Any],
        body: Any,
        operation: str,
        *,
        settled: bool = False,
    ) -> dict[str, Any]:
        """PUT the instance and wait until protection is configured (``settled``: until Azure is done with it, for
        an instance that is to be suspended or stopped next)."""
        vault = self._vault(inputs).path
        action = f"{operation} backup instance"
        held: AbstractContextManager[None] = (
            ctx.client.vault_lock(vault, timeout=ctx.timeout(operation), operation=action, resource=str(rid))
            if ctx.client.vault_is_strict(vault)
            else nullcontext()
        )

        def send(requests: list[str]) -> OperationResult:
            sent = body
            if requests:
                sent = copy.deepcopy(body)
                given = sent["properties"].get("resourceGuardOperationRequests") or []
                sent["properties"]["resourceGuardOperationRequests"] = list(dict.fromkeys([*given, *requests]))
            return ctx.client.execute(
                "PUT",
                rid.path,
                sent,
                operation=action,
                resource=str(rid),
                timeout=ctx.timeout(operation),
                auxiliary=bool(requests),
            )

        with held:
            result = mua.run_guarded(ctx, operations.MODIFY_PROTECTION, self._vault(inputs), send)
            return self._wait_protection(
                ctx,
                rid,
                inputs,
                ctx.timeout(operation),
                written=result.body,
                cadence=result.cadence,
                settled=settled,
                after_put=True,
            )

    def update_resource(
        self, ctx: Context, rid: ResourceId, olds: Mapping[str, Any], inputs: dict[str, Any], changed: list[str]
    ) -> dict[str, Any]:
        """Resume first when the program wants a suspended or stopped instance configured; PUT the other changes;
        then suspend or stop it when the program (or, for an adopted instance without ``protection``, Azure's state
        before the PUT) wants that, since a PUT configures protection again."""
        wanted = inputs.get("protection") or olds.get("protection")
        target = {**inputs, "protection": wanted}
        found: dict[str, Any] | None = None
        if wanted == "configured" and olds.get("protection") in _RESUME_FROM:
            found = self._set_protection(ctx, rid, target, self._get(ctx, rid) or {}, "update")
        if any(n != "protection" for n in changed):
            body = SCHEMA.to_rest(inputs)
            self._validate(ctx, rid.action("validateForModifyBackup"), body, "validateForModifyBackup")
            found = self._put(ctx, rid, inputs, body, "update", settled=wanted != "configured")
        if found is None:
            found = self._get(ctx, rid)
            if found is None:
                raise ResourceFailure(
                    f"{ctx.label} no longer exists in Azure ({rid}); run `pulumi refresh` to drop it from the "
                    "state, then `pulumi up` to create it again"
                )
        return self._set_protection(ctx, rid, target, found, "update")

    def delete_resource(self, ctx: Context, rid: ResourceId, props: Mapping[str, Any]) -> None:
        mode = props.get("on_delete") or "Delete"
        if mode == "Retain":
            return
        method, path, operation = _DELETE_CALLS[mode](rid)
        critical = _GUARDED_DELETES[mode]

        def send(requests: list[str]) -> None:
            if method == "POST":
                body = {"resourceGuardOperationRequests": requests} if requests else None
                self._act(ctx, rid, path, operation, ctx.timeout("delete"), body=body, auxiliary=bool(requests))
            else:
                ctx.client.execute(
                    method,
                    path,
                    operation=operation,
                    resource=str(rid),
                    timeout=ctx.timeout("delete"),
                    auxiliary=bool(requests),
                )

        try:
            mua.run_guarded(
                ctx, critical, self._vault(props), send, unlock_target=rid.path if method == "DELETE" else None
            )
        except NotFoundError as exc:
            if not exc.gone:
                raise
        except ArmError as exc:
            if exc.code != IMMUTABLE_REFUSAL:
                raise
            raise ResourceFailure(
                f"{ctx.label} cannot be deleted: its vault is immutable and keeps its recovery points until they "
                f"expire.\n{exc}\nWhat to do: set on_delete='StopProtectionRetainData' (stop backups, keep the "
                "recovery points until their retention ends) or on_delete='Retain' on the instance, run `pulumi up`, "
                "then destroy again; the vault and the instance's policy must then be retained too (on_delete="
                "'Retain')."
            ) from exc

    def observed_outputs(self, ctx: Context, rid: ResourceId, body: Mapping[str, Any]) -> dict[str, Any]:
        """The newest recovery point (time and id), from the instance's recovery point list."""
        point = newest(RestoreApi(ctx.client).recovery_points(rid))
        return {
            "newest_recovery_point_time": point.time.strftime("%Y-%m-%dT%H:%M:%SZ") if point else None,
            "newest_recovery_point_id": point.id if point else None,
        }

    def plan_adoption(
        self, ctx: Context, rid: ResourceId, inputs: Mapping[str, Any], existing: Mapping[str, Any], owner: Any
    ) -> adoption.Plan:
        """As for any resource, and an instance found suspended or stopped says so: what `up` does to its
        protection (kept without a ``protection`` input; this stack's instance left so by an earlier destroy is
        taken back, not an interrupted create); a preview warning says it too."""
        plan = super().plan_adoption(ctx, rid, inputs, existing, owner)
        state = (existing.get("properties") or {}).get("currentProtectionState")
        found = protection_of(state)
        if plan.kind == "refuse" or found not in _RESUME_FROM:
            return plan
        wanted = inputs.get("protection") or found
        effect = states.EFFECTS.get((str(found), str(wanted)), f"keeps it {found}")
        note = f"its protection is {state} in Azure: `up` {effect}"
        if wanted == found and inputs.get("protection") is None:
            note += f" (protection is not set; set protection={found!r} to say so, or 'configured' to resume it)"
        headline = (
            f"takes back this stack's instance, left {state} by an earlier destroy (it carries this stack's keyed "
            "ownership mark)"
            if plan.kind == "resume"
            else ""
        )
        preview_warning(f"{ctx.label} ({rid}): {note}")
        return dataclasses.replace(plan, headline=headline, notes=[*plan.notes, note])

    def audit(self, values: Mapping[str, Any]) -> dict[str, Any]:
        kind = KINDS.get(str(values.get("datasource_kind")))
        return {
            "protection_state": values.get("current_protection_state"),
            "protection_error": protection_error(values.get("protection_error_details")),
            "datasource_type": kind.datasource_type if kind else None,
        }
