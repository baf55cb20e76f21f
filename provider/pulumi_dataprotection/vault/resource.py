"""The BackupVault dynamic resource: PUT to create, PATCH to update, delete that waits until the vault is gone, and
guard rails that refuse one-way changes and replacements of vaults that hold backups."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
from pulumi.dynamic import CheckFailure

from pulumi_dataprotection import config as config_module
from pulumi_dataprotection.arm import ArmError, NotFoundError, OperationResult, ResourceId, vault_id
from pulumi_dataprotection.arm.paths import BACKUP_INSTANCES, BACKUP_POLICIES, DELETED_BACKUP_INSTANCES
from pulumi_dataprotection.dynamic import (
    MODULE,
    TIMEOUT_RULE,
    TIMEOUTS,
    ArmResource,
    Context,
    PlanError,
    ResourceFailure,
    SchemaProvider,
    extend,
    resource_options,
    resource_props,
    wait_until,
)
from pulumi_dataprotection.schema import CREATE_ONLY, BoolType, Ctx, Field, IdPart, StringType
from pulumi_dataprotection.schema import DiffResult as SchemaDiff
from pulumi_dataprotection.vault.schema import PATCHABLE_INPUTS, VAULT

_CTX = Ctx()

SCHEMA = extend(
    VAULT,
    [
        Field(
            "subscription_id",
            StringType(min_length=1),
            doc="Subscription of the vault (default: dataprotection:subscriptionId, azure-native:subscriptionId, "
            "AZURE_SUBSCRIPTION_ID or ARM_SUBSCRIPTION_ID).",
            mutability=CREATE_ONLY,
            computed=True,
            id_part=IdPart("after", "subscriptions"),
        ),
        Field(
            "adopt_existing",
            BoolType(),
            doc="Take over an existing vault of this name in this resource group that is already in use (holds "
            "policies or backup instances) when its location, redundancy, datastore type and other create-only "
            "settings match the inputs; its updatable settings are then set to the inputs. An empty vault with "
            "matching settings (left by an interrupted create) is taken over without it.",
            default=False,
            diff=False,
        ),
        Field(
            "allow_replace_with_data",
            BoolType(),
            doc="Allow a planned replacement (or a one-way change that needs one) even when the vault holds backup "
            "instances: the replacement deletes every backup in it.",
            default=False,
            diff=False,
        ),
        TIMEOUTS,
    ],
    [TIMEOUT_RULE],
)


def _busy(body: Mapping[str, Any]) -> bool:
    """Whether an operation (a create or an update) is still running on the vault."""
    return (body.get("properties") or {}).get("provisioningState") in ("Provisioning", "Updating")


class VaultProvider(SchemaProvider):
    """Lifecycle of ``Microsoft.DataProtection/backupVaults``."""

    schema = SCHEMA
    title = "BackupVault"
    identity_fields = ("subscription_id", "resource_group_name", "name")

    def complete(self, news: dict[str, Any]) -> list[CheckFailure]:
        if news.get("subscription_id") is None:
            news["subscription_id"] = config_module.current().require_subscription()
        return []

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

    def _protected_items(self, olds: Mapping[str, Any]) -> list[str]:
        """Names of the (active and soft-deleted) backup instances in the old vault."""
        ctx = self.context(olds)
        rid = ResourceId.parse(str(olds.get("arm_id") or self.resource_id(olds).path))
        try:
            return self._contents(ctx, rid, (BACKUP_INSTANCES, DELETED_BACKUP_INSTANCES))
        except NotFoundError:
            return []
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
        existing = ctx.client.get(rid.path, operation="check backup vault", resource=str(rid))
        if existing is not None:
            self._take_over(ctx, rid, inputs, existing)
        result = ctx.client.execute(
            "PUT",
            rid.path,
            SCHEMA.to_rest(inputs),
            operation="create backup vault",
            resource=str(rid),
            timeout=ctx.timeout("create"),
        )
        return self._result_body(ctx, rid, result)

    def _take_over(self, ctx: Context, rid: ResourceId, inputs: Mapping[str, Any], existing: Mapping[str, Any]) -> None:
        """Allow a create to PUT over an existing vault, or raise: its create-only settings must match the inputs,
        and it must be empty (the leftover of an interrupted create) unless ``adopt_existing`` is set. Waits until
        an operation still running on it (that create) has finished."""
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
                f"{ctx.label} already exists in Azure ({rid}) with settings that cannot change on an existing vault: "
                f"{'; '.join(mismatches)}. It is not taken over. Choose another name (or resource group), set these "
                "inputs to the vault's values to manage it from this stack, or delete that vault if it is unused."
            )
        in_use = (BACKUP_POLICIES, BACKUP_INSTANCES, DELETED_BACKUP_INSTANCES)
        contents = [] if inputs.get("adopt_existing") else self._contents(ctx, rid, in_use)
        if contents:
            shown = ", ".join(contents[:5]) + (f" and {len(contents) - 5} more" if len(contents) > 5 else "")
            raise ResourceFailure(
                f"{ctx.label} already exists in Azure ({rid}) and is in use ({shown}), so it was not created by an "
                "interrupted run of this resource and is not taken over silently. Set adopt_existing=True to manage "
                "this vault from this stack (its updatable settings are set to the program's), or choose another "
                "name."
            )
        if _busy(existing):

            def probe() -> tuple[bool, str]:
                body = ctx.client.get(rid.path, operation="read backup vault", resource=str(rid))
                state = str(((body or {}).get("properties") or {}).get("provisioningState") or "gone")
                return body is None or not _busy(body), state

            wait_until(ctx, what=f"the running operation on {ctx.label}", probe=probe, timeout=ctx.timeout("create"))

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
        result = ctx.client.execute(
            method, rid.path, body, operation="update backup vault", resource=str(rid), timeout=ctx.timeout("update")
        )
        return self._result_body(ctx, rid, result)

    def delete_resource(self, ctx: Context, rid: ResourceId, props: Mapping[str, Any]) -> None:
        timeout = ctx.timeout("delete")
        ctx.client.execute("DELETE", rid.path, operation="delete backup vault", resource=str(rid), timeout=timeout)

        def gone() -> tuple[bool, str]:
            body = ctx.client.get(rid.path, operation="check backup vault deletion", resource=str(rid))
            state = (body or {}).get("properties", {}).get("provisioningState", "present")
            return body is None, str(state)

        wait_until(ctx, what=f"deletion of {ctx.label}", probe=gone, timeout=timeout)


class BackupVault(ArmResource, module=MODULE, name="BackupVault"):
    """An Azure Data Protection backup vault (``Microsoft.DataProtection/backupVaults``)."""

    principal_id: pulumi.Output[str | None]
    tenant_id: pulumi.Output[str | None]
    subscription_id: pulumi.Output[str]
    name: pulumi.Output[str]
    resource_group_name: pulumi.Output[str]
    location: pulumi.Output[str]
    redundancy: pulumi.Output[str]
    soft_delete_state: pulumi.Output[str]
    soft_delete_retention_days: pulumi.Output[int]
    immutability_state: pulumi.Output[str | None]
    cross_region_restore_state: pulumi.Output[str | None]
    encryption_state: pulumi.Output[str | None]

    def __init__(
        self,
        resource_name: str,
        *,
        resource_group_name: pulumi.Input[str],
        location: pulumi.Input[str],
        redundancy: pulumi.Input[str],
        name: pulumi.Input[str] | None = None,
        subscription_id: pulumi.Input[str] | None = None,
        tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        datastore_type: pulumi.Input[str] | None = None,
        identity_type: pulumi.Input[str] | None = None,
        user_assigned_identity_ids: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        soft_delete_state: pulumi.Input[str] | None = None,
        soft_delete_retention_days: pulumi.Input[int] | None = None,
        immutability_state: pulumi.Input[str] | None = None,
        cross_region_restore_state: pulumi.Input[str | bool] | None = None,
        cross_subscription_restore_state: pulumi.Input[str | bool] | None = None,
        alerts_for_all_job_failures: pulumi.Input[str | bool] | None = None,
        encryption_state: pulumi.Input[str | bool] | None = None,
        encryption_key_uri: pulumi.Input[str] | None = None,
        encryption_identity_type: pulumi.Input[str] | None = None,
        encryption_identity_id: pulumi.Input[str] | None = None,
        infrastructure_encryption: pulumi.Input[str | bool] | None = None,
        replicated_regions: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        resource_guard_operation_requests: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        adopt_existing: pulumi.Input[bool] | None = None,
        allow_replace_with_data: pulumi.Input[bool] | None = None,
        timeouts: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """``name`` defaults to ``resource_name``; ``redundancy`` is LocallyRedundant/ZoneRedundant/GeoRedundant
        (or LRS/ZRS/GRS). Outputs: every input plus ``arm_id``, ``principal_id``, ``provisioning_state``, ..."""
        inputs = {
            "name": name if name is not None else resource_name,
            "resource_group_name": resource_group_name,
            "location": location,
            "redundancy": redundancy,
            "subscription_id": subscription_id,
            "tags": tags,
            "datastore_type": datastore_type,
            "identity_type": identity_type,
            "user_assigned_identity_ids": user_assigned_identity_ids,
            "soft_delete_state": soft_delete_state,
            "soft_delete_retention_days": soft_delete_retention_days,
            "immutability_state": immutability_state,
            "cross_region_restore_state": cross_region_restore_state,
            "cross_subscription_restore_state": cross_subscription_restore_state,
            "alerts_for_all_job_failures": alerts_for_all_job_failures,
            "encryption_state": encryption_state,
            "encryption_key_uri": encryption_key_uri,
            "encryption_identity_type": encryption_identity_type,
            "encryption_identity_id": encryption_identity_id,
            "infrastructure_encryption": infrastructure_encryption,
            "replicated_regions": replicated_regions,
            "resource_guard_operation_requests": resource_guard_operation_requests,
            "adopt_existing": adopt_existing,
            "allow_replace_with_data": allow_replace_with_data,
            "timeouts": timeouts,
        }
        super().__init__(
            VaultProvider(), resource_name, resource_props(VaultProvider, inputs), resource_options(VaultProvider, opts)
        )
