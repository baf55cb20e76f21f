"""The BackupVault dynamic resource: PUT to create, PATCH to update, delete that waits until the vault is gone, and
guard rails that refuse one-way changes and replacements of vaults that hold backups."""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
from pulumi.dynamic import CheckFailure

from pulumi_dataprotection import config as config_module
from pulumi_dataprotection.arm import ArmError, NotFoundError, OperationResult, ResourceId, vault_id
from pulumi_dataprotection.arm.paths import BACKUP_INSTANCES, DELETED_BACKUP_INSTANCES, deleted_vaults_path
from pulumi_dataprotection.config import ConfigError
from pulumi_dataprotection.dynamic import (
    TIMEOUT_RULE,
    TIMEOUTS,
    Context,
    PlanError,
    ResourceFailure,
    SchemaProvider,
    extend,
    program,
    wait_until,
    wording,
)
from pulumi_dataprotection.dynamic.adoption import ADOPT_EXISTING, ADOPTION_OUTPUT, on_delete_field
from pulumi_dataprotection.guard import mua, operations
from pulumi_dataprotection.schema import CREATE_ONLY, BoolType, Ctx, Field, IdPart, SchemaDiff, StringType, names
from pulumi_dataprotection.schema.types import name_type
from pulumi_dataprotection.vault.schema import INPUTS_SINCE, PATCHABLE_INPUTS, VAULT, values_for_instances

_CTX = Ctx()
ALWAYS_ON_SINCE = "2025-09-01"
"""The api-version from which Azure creates backup vaults only with soft delete AlwaysOn."""

SCHEMA = extend(
    VAULT,
    [
        Field(
            name="subscription_id",
            type=name_type(names.SUBSCRIPTION, case_insensitive=True),
            doc="Subscription of the vault (default: dataprotection:subscriptionId, azure-native:subscriptionId, "
            "AZURE_SUBSCRIPTION_ID or ARM_SUBSCRIPTION_ID).",
            mutability=CREATE_ONLY,
            computed=True,
            id_part=IdPart("after", "subscriptions"),
        ),
        ADOPT_EXISTING,
        on_delete_field("vault"),
        Field(
            name="allow_replace_with_data",
            type=BoolType(),
            doc="Allow a planned replacement (or a one-way change that needs one) even when the vault holds backup "
            "instances: the replacement deletes every backup in it.",
            default=False,
            diff=False,
            plan_only=True,
        ),
        Field(
            name="undelete_from",
            type=StringType(),
            doc="ARM id of a soft-deleted vault of this name to restore on create, with its settings and backups "
            "(the `x-ms-deleted-vault-id` undelete; `pulumi-dataprotection deleted-vaults list` or "
            "`get_deleted_backup_vaults` give it). Without it, a create over a soft-deleted name makes a new, empty "
            "vault and the preview warns. Read only on create.",
            diff=False,
            plan_only=True,
        ),
        TIMEOUTS,
    ],
    [TIMEOUT_RULE],
)


def _busy(body: Mapping[str, Any]) -> bool:
    """Whether an operation (a create or an update) is still running on the vault."""
    return (body.get("properties") or {}).get("provisioningState") in ("Provisioning", "Updating")


DELETED_VAULT_HEADER = "x-ms-deleted-vault-id"
"""The header of a vault PUT that undeletes a soft-deleted vault (BackupVaults_CreateOrUpdate)."""


class VaultProvider(SchemaProvider):
    """Lifecycle of ``Microsoft.DataProtection/backupVaults``."""

    schema = SCHEMA
    title = "BackupVault"
    description = "An Azure Data Protection backup vault (``Microsoft.DataProtection/backupVaults``)."
    identity_fields = ("subscription_id", "resource_group_name", "name")
    named_by = ("name",)
    audit_outputs = (ADOPTION_OUTPUT,)
    adoptable = True
    refusal_hint = (
        "replacing the vault deletes every backup it holds; revert the change, or set allow_replace_with_data=True "
        "only if losing them is intended"
    )
    marks_owner = True

    def complete(self, news: dict[str, Any]) -> list[CheckFailure]:
        if news.get("subscription_id") is None:
            news["subscription_id"] = config_module.current().require_subscription()
        return []

    def check_plan(self, olds: Mapping[str, Any], inputs: Mapping[str, Any]) -> list[CheckFailure]:
        arm_id = self.known_outputs(inputs).get("arm_id")
        if isinstance(arm_id, str):
            program.remember_vault(arm_id, values_for_instances(olds, inputs))
        failures = self._soft_delete_failures(olds, inputs) + self._version_failures(inputs)
        if olds.get("name") is None and not failures:
            failures.extend(self._undelete_plan(inputs))
        return failures

    def _undelete_plan(self, inputs: Mapping[str, Any]) -> list[CheckFailure]:
        """Before a create: say (a preview warning) that it undeletes ``undelete_from``, refuse one that does not
        exist, or warn that a soft-deleted vault of this name exists and the create makes a new, empty vault. A
        failing read is not fatal (the create itself says what Azure answers)."""
        name, location, subscription = (inputs.get(k) for k in ("name", "location", "subscription_id"))
        if not all(isinstance(v, str) for v in (name, location, subscription)):
            return []
        source = inputs.get("undelete_from")
        path = source if isinstance(source, str) else f"{deleted_vaults_path(str(subscription), str(location))}/{name}"
        try:
            ctx = self.probe_context(self.context(dict(inputs)))
            found = ctx.client.get(
                ResourceId.parse(path).path, operation="look for a deleted backup vault", resource=path
            )
        except (ArmError, ConfigError, ValueError):
            return []
        deletion = ((found or {}).get("properties") or {}).get("resourceDeletionInfo") or {}
        when = f"deleted {deletion.get('deletionTime', '?')}, purged after {deletion.get('scheduledPurgeTime', '?')}"
        if isinstance(source, str):
            if found is None:
                return [
                    CheckFailure(
                        "undelete_from",
                        f"undelete_from names {source}, which does not exist (purged, or another name or region); "
                        f"list the deleted vaults with `pulumi-dataprotection deleted-vaults list --location "
                        f"{location}`, or remove undelete_from to create a new vault",
                    )
                ]
            pulumi.log.warn(f"BackupVault {name!r}: the create undeletes the soft-deleted vault {source} ({when})")
        elif found is not None:
            pulumi.log.warn(
                f"BackupVault {name!r}: a soft-deleted vault of this name exists in {location} ({when}); this create "
                f"makes a new, empty vault and leaves its backups to be purged. To restore it with its backups, set "
                f"undelete_from={found.get('id', path)!r}."
            )
        return []

    def _api_version(self, inputs: Mapping[str, Any]) -> str:
        """The api-version the vault's requests will use."""
        return str(self.known_outputs(inputs).get("api_version") or config_module.current().api_version)

    def _version_failures(self, inputs: Mapping[str, Any]) -> list[CheckFailure]:
        """Inputs the configured api-version's vault model does not have (Azure would ignore them silently)."""
        set_inputs = [name for name in INPUTS_SINCE if inputs.get(name) is not None]
        if not set_inputs:
            return []
        version = self._api_version(inputs)
        return [
            CheckFailure(
                name,
                f"{name} needs api-version {INPUTS_SINCE[name]} or later, but the provider is configured for "
                f"{version}, whose vault model ignores it; remove {name} or set dataprotection:apiVersion to "
                f"{INPUTS_SINCE[name]} or later",
            )
            for name in set_inputs
            if version < INPUTS_SINCE[name]
        ]

    def _soft_delete_failures(self, olds: Mapping[str, Any], inputs: Mapping[str, Any]) -> list[CheckFailure]:
        state = inputs.get("soft_delete_state")
        if olds.get("name") is not None or not isinstance(state, str) or state == "AlwaysOn":
            return []
        version = self._api_version(inputs)
        if version < ALWAYS_ON_SINCE:
            return []
        return [
            CheckFailure(
                "soft_delete_state",
                f"soft_delete_state is {state!r}, but Azure creates vaults at api-version {version} only with "
                "always-on soft delete (it refuses the create with UserErrorSoftDeleteAlwaysOnRequired); remove "
                "soft_delete_state or set it to 'AlwaysOn' (deleted backups are then kept for "
                "soft_delete_retention_days and the setting can never be turned off)",
            )
        ]

    def resource_id(self, inputs: Mapping[str, Any]) -> ResourceId:
        return vault_id(str(inputs["subscription_id"]), str(inputs["resource_group_name"]), str(inputs["name"]))

    def review(self, olds: Mapping[str, Any], news: Mapping[str, Any], diff: SchemaDiff, replaces: list[str]) -> None:
        allow = bool(news.get("allow_replace_with_data"))
        name = olds.get("name")
        if diff.one_way_violations and not allow:
            lines = "\n".join(f"  - {v.message}" for v in diff.one_way_violations)
            raise PlanError(
                f"BackupVault {name!r}: this change is impossible in Azure:\n{lines}\n"
                "Azure refuses it in place, and the only other way is to replace the vault, which deletes every "
                "backup it holds. Revert the setting in your program; if you really want a new vault (and to lose "
                "its backups), set allow_replace_with_data=True."
            )
        replaces.extend(v.path for v in diff.one_way_violations)
        state = olds.get("soft_delete_state")
        if replaces and allow and state in ("On", "AlwaysOn") and self._same_identity(olds, news):
            try:
                items = self._protected_items(olds)
            except PlanError:
                items = []  # not listed: the opt-in stands, and `up` says what Azure answers
            if items:
                days = olds.get("soft_delete_retention_days")
                steps = wording.vault_replacement_steps(str(state), days, ", ".join(items))
                raise PlanError(f"BackupVault {name!r}: {steps}.")
        if replaces and not allow:
            items = self._protected_items(olds)
            if items:
                shown = ", ".join(items[:5]) + (f" and {len(items) - 5} more" if len(items) > 5 else "")
                raise PlanError(
                    f"BackupVault {name!r}: changing {', '.join(sorted(set(replaces)))} replaces the vault, but it "
                    f"holds {len(items)} backup instance(s) ({shown}); replacing it would delete their backups. "
                    "Revert the change, or move the instances to another vault first; set "
                    "allow_replace_with_data=True only if losing these backups is intended."
                )

    def replacement_risks(self, olds: Mapping[str, Any]) -> list[str]:
        try:
            items = self._protected_items(olds)
        except (PlanError, ConfigError):
            items = []
        risks = [wording.vault_backups_deleted("replacing", ", ".join(items) or None)]
        if olds.get("principal_id") and "SystemAssigned" in str(olds.get("identity_type") or ""):
            risks.append(wording.identity_lost("the vault is replaced", olds["principal_id"]))
        return risks

    def _protected_items(self, olds: Mapping[str, Any]) -> list[str]:
        """Names of the (active and soft-deleted) backup instances in the old vault."""
        ctx = self.context(olds)
        rid = ResourceId.parse(str(olds.get("arm_id") or self.resource_id(olds).path))
        try:
            return self._contents(ctx, rid, (BACKUP_INSTANCES, DELETED_BACKUP_INSTANCES))
        except NotFoundError as exc:
            if exc.gone:
                return []
            raise PlanError(
                f"BackupVault {olds.get('name')!r}: the planned replacement could not be checked for backups in the "
                f"vault, so it is refused:\n{exc}"
            ) from exc
        except ArmError as exc:
            raise PlanError(
                f"BackupVault {olds.get('name')!r}: the planned replacement could not be checked for backups in the "
                f"vault, so it is refused:\n{exc}\nSet allow_replace_with_data=True to replace it regardless."
            ) from exc

    @staticmethod
    def _contents(ctx: Context, rid: ResourceId, collections: Sequence[str]) -> list[str]:
        """Names of the vault's children in ``collections`` (soft-deleted instances marked so)."""
        names: list[str] = []
        for collection in collections:
            found = ctx.client.list(rid.collection(collection), operation=f"list {collection}", resource=str(rid))
            suffix = " (soft-deleted)" if collection == DELETED_BACKUP_INSTANCES else ""
            names.extend(f"{item.get('name')}{suffix}" for item in found)
        return names

    @staticmethod
    def _refused_for_soft_deleted(ctx: Context, rid: ResourceId, refusal: ArmError) -> None:
        """Raise what to do when Azure refused the vault's deletion because it still holds soft-deleted backup
        instances (Azure keeps a vault with backup data until they are purged: terraform-provider-azurerm#25142,
        #33289); return when it holds none."""
        try:
            deleted = ctx.client.list(
                rid.collection(DELETED_BACKUP_INSTANCES), operation="list deleted backup instances", resource=str(rid)
            )
        except ArmError:
            return
        if not deleted:
            return
        purges = [
            str(((item.get("properties") or {}).get("deletionInfo") or {}).get("scheduledPurgeTime") or "")
            for item in deleted
        ]
        last = max(purges) or "the end of the vault's soft delete retention"
        names = ", ".join(sorted(str(item.get("name")) for item in deleted))
        raise ResourceFailure(
            f"{ctx.label}: Azure refuses to delete the vault while it holds soft-deleted backup instances ({names}), "
            f"which it keeps until {last}.\n{refusal}\nWhat to do: run the destroy again after {last}, when Azure "
            "has purged them; or set on_delete='Retain' on the vault (then pulumi up and destroy) to leave it in "
            "Azure and forget it; to keep their backups, undelete the instances instead."
        ) from refusal

    def _result_body(self, ctx: Context, rid: ResourceId, result: OperationResult) -> dict[str, Any]:
        body = result.body
        props = body.get("properties") if isinstance(body, dict) else None
        if isinstance(body, dict) and isinstance(props, dict) and props.get("provisioningState") == "Succeeded":
            return body
        found = ctx.client.get(rid.path, operation="read backup vault", resource=str(rid))
        if found is None:
            raise ResourceFailure(f"{ctx.label}: Azure reported success but the vault cannot be read ({rid})")
        return found

    def create_resource(self, ctx: Context, rid: ResourceId, inputs: dict[str, Any]) -> dict[str, Any]:
        source = inputs.get("undelete_from")
        result = ctx.client.execute(
            "PUT",
            rid.path,
            SCHEMA.to_rest(inputs),
            operation="undelete backup vault" if source else "create backup vault",
            resource=str(rid),
            timeout=ctx.timeout("create"),
            headers={DELETED_VAULT_HEADER: str(source)} if source else None,
        )
        return self._result_body(ctx, rid, result)

    def resume_create(
        self, ctx: Context, rid: ResourceId, inputs: dict[str, Any], existing: Mapping[str, Any]
    ) -> dict[str, Any]:
        """PUT over the leftover of this vault's interrupted create once its create-only settings match the inputs
        and the operation still running on it (that create) has finished."""
        wanted = SCHEMA.normalize(inputs)
        found = SCHEMA.from_rest(existing)
        mismatches = []
        for f in SCHEMA.root.input_leaves:
            if f.mutability.kind != "create_only" or f.path is None or wanted.get(f.name) is None:
                continue
            new, old = f.type.canonical(wanted[f.name], _CTX), f.type.canonical(found.get(f.name), _CTX)
            if new != old:
                mismatches.append(f"{f.name} is {old!r} in Azure, {new!r} in the program")
        if mismatches:
            raise ResourceFailure(
                f"{ctx.label}: the vault left by an interrupted create ({rid}) has settings that cannot change on an "
                f"existing vault: {'; '.join(mismatches)}. Delete that vault (it was created by this stack and holds "
                "nothing of another), or set these inputs to its values."
            )
        if _busy(existing):

            def probe() -> tuple[bool, str]:
                body = ctx.client.get(rid.path, operation="read backup vault", resource=str(rid))
                state = str(((body or {}).get("properties") or {}).get("provisioningState") or "gone")
                return body is None or not _busy(body), state

            wait_until(ctx, what=f"the running operation on {ctx.label}", probe=probe, timeout=ctx.timeout("create"))
        return self.create_resource(ctx, rid, {**inputs, "undelete_from": None})  # the vault exists again

    def update_resource(
        self, ctx: Context, rid: ResourceId, olds: Mapping[str, Any], inputs: dict[str, Any], changed: list[str]
    ) -> dict[str, Any]:
        if set(changed) <= set(PATCHABLE_INPUTS):
            method = "PATCH"
            body = SCHEMA.to_rest(inputs, only=[n for n in PATCHABLE_INPUTS if inputs.get(n) is not None])
        else:
            method, body = "PUT", SCHEMA.to_rest(inputs)
        if "tags" in changed and not inputs.get("tags"):
            body["tags"] = {}

        def send(requests: list[str]) -> OperationResult:
            sent = body
            if requests:
                sent = copy.deepcopy(body)
                props = sent.setdefault("properties", {})
                given = props.get("resourceGuardOperationRequests") or []
                props["resourceGuardOperationRequests"] = list(dict.fromkeys([*given, *requests]))
            return ctx.client.execute(
                method,
                rid.path,
                sent,
                operation="update backup vault",
                resource=str(rid),
                timeout=ctx.timeout("update"),
                auxiliary=bool(requests),
            )

        result = mua.run_guarded(ctx, operations.VAULT_SECURITY, rid, send)
        return self._result_body(ctx, rid, result)

    def delete_resource(self, ctx: Context, rid: ResourceId, props: Mapping[str, Any]) -> None:
        try:
            ctx.client.execute(
                "DELETE", rid.path, operation="delete backup vault", resource=str(rid), timeout=ctx.timeout("delete")
            )
        except ArmError as exc:
            if exc.status != 400:
                raise
            self._refused_for_soft_deleted(ctx, rid, exc)
            raise

        def gone() -> tuple[bool, str]:
            body = ctx.client.get(rid.path, operation="check backup vault deletion", resource=str(rid))
            state = (body or {}).get("properties", {}).get("provisioningState", "present")
            return body is None, str(state)

        wait_until(ctx, what=f"deletion of {ctx.label}", probe=gone, timeout=ctx.timeout("delete"))
