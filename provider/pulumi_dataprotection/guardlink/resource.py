"""The VaultGuardLink dynamic resource: links a backup vault to a resource guard. Removing it is itself a protected
operation, so its delete first asks the guard (``unlockDelete``, with the ``x-ms-authorization-auxiliary`` token when
the guard is in another tenant) and fails with what to request when the caller has no access to the guard."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi

from pulumi_dataprotection.arm import ArmError, ResourceId
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
)
from pulumi_dataprotection.guard import mua
from pulumi_dataprotection.guard.operations import REMOVE_GUARD
from pulumi_dataprotection.guard.resource import ADOPT, ON_DELETE
from pulumi_dataprotection.guard.schema import GUARD_LINK
from pulumi_dataprotection.guardlink import api
from pulumi_dataprotection.schema import BoolType, Field, SchemaDiff

LINK_SCHEMA = extend(
    GUARD_LINK,
    [
        ADOPT,
        ON_DELETE,
        Field(
            "allow_replace",
            BoolType(),
            doc="Allow a planned replacement of the link (another guard, vault or name): the vault is without "
            "multi-user authorization from the removal of the old link until the new one exists.",
            default=False,
            diff=False,
            plan_only=True,
        ),
        TIMEOUTS,
    ],
    [TIMEOUT_RULE],
)


class GuardLinkProvider(SchemaProvider):
    """Lifecycle of ``backupVaults/{vault}/backupResourceGuardProxies``: create links the vault to the guard; delete
    unlocks the removal on the guard first."""

    schema = LINK_SCHEMA
    title = "VaultGuardLink"
    description = (
        "A backup vault's link to a resource guard (``backupVaults/{vault}/backupResourceGuardProxies``): while it "
        "exists, the vault's critical operations need the guard's authorization; removing it needs it too."
    )
    identity_fields = ("vault_id", "name")

    def review(self, olds: Mapping[str, Any], news: Mapping[str, Any], diff: SchemaDiff, replaces: list[str]) -> None:
        if replaces and not news.get("allow_replace"):
            raise PlanError(
                f"VaultGuardLink {olds.get('name')!r}: changing {', '.join(sorted(set(replaces)))} replaces the "
                f"link of the backup vault {olds.get('vault_id')} to the resource guard {olds.get('resource_guard_id')}"
                ": Azure cannot move a link, so the old one is removed first (a protected operation that needs the "
                "old guard's approval) and the vault has no multi-user authorization until the new link exists. "
                "Revert the change, or set allow_replace=True if that is intended."
            )

    def resource_id(self, inputs: Mapping[str, Any]) -> ResourceId:
        return ResourceId.parse(str(inputs["vault_id"])).child(mua.LINKS, str(inputs["name"]))

    def create_resource(self, ctx: Context, rid: ResourceId, inputs: dict[str, Any]) -> dict[str, Any]:
        vault = ResourceId.parse(str(inputs["vault_id"]))
        existing = mua.find_link(ctx, vault)
        if existing is not None and not inputs.get("adopt_existing"):
            raise ResourceFailure(
                f"{ctx.label}: the backup vault {vault} is already linked to the resource guard {existing.guard_id} "
                f"({existing.link_id}); a vault has one guard link and it is not taken over silently. Set "
                "adopt_existing=True to manage it from this stack (same guard only: Azure cannot move a link)."
            )
        result = ctx.client.execute(
            "PUT",
            rid.path,
            LINK_SCHEMA.to_rest(inputs),
            operation="link backup vault to resource guard",
            resource=str(rid),
            timeout=ctx.timeout("create"),
        )
        if isinstance(result.body, dict) and result.body:
            return result.body
        return self.read_resource(ctx, rid, inputs) or {}

    def update_resource(
        self, ctx: Context, rid: ResourceId, olds: Mapping[str, Any], inputs: dict[str, Any], changed: list[str]
    ) -> dict[str, Any]:
        return self.create_resource(ctx, rid, {**inputs, "adopt_existing": True})

    def delete_resource(self, ctx: Context, rid: ResourceId, props: Mapping[str, Any]) -> None:
        vault = str(props.get("vault_id") or "")
        guard = str(props.get("resource_guard_id") or "")
        found = ctx.client.get(rid.path, operation="read resource guard link", resource=str(rid))
        if found is None:
            return
        guard = str((found.get("properties") or {}).get("resourceGuardResourceId") or guard)
        link = mua.GuardLink(str(found.get("id") or rid.path), guard)
        mua.unlock_delete(ctx, link, REMOVE_GUARD, link.link_id, vault)
        try:
            ctx.client.execute(
                "DELETE",
                rid.path,
                operation="remove resource guard link",
                resource=str(rid),
                timeout=ctx.timeout("delete"),
            )
        except ArmError as exc:
            if mua.is_refusal(exc):
                raise mua.refusal(ctx, exc, REMOVE_GUARD, vault, guard) from exc
            raise


# Generated from the schema by tools/gen_api.py: do not edit below this line.


class VaultGuardLink(ArmResource, module=MODULE, name="VaultGuardLink"):
    """A backup vault's link to a resource guard (``backupVaults/{vault}/backupResourceGuardProxies``): while it exists,
    the vault's critical operations need the guard's authorization; removing it needs it too.

    Typed nested inputs and enumerations: ``pulumi_dataprotection.guardlink.api``; common outputs: ``arm_id``,
    ``api_version``, ``provisioning_state``.
    """

    name: pulumi.Output[str]
    """Name of the link (part of the URL; Azure's tools use DppResourceGuardProxy)."""

    vault_id: pulumi.Output[str]
    """Id of the backup vault the guard protects."""

    resource_guard_id: pulumi.Output[str]
    """Id of the resource guard (same region as the vault; may be in another resource group, subscription or tenant).
    Azure cannot move a link to another guard: a change replaces it, which removes MUA first (a protected operation).
    """

    adopt_existing: pulumi.Output[bool]
    """Manage an existing resource of this name instead of failing (its settings are set to the inputs)."""

    on_delete: pulumi.Output[api.OnDelete | None]
    """What destroying the resource does: Delete (delete it in Azure) or Retain (leave it untouched and only forget it).
    Default: Retain when adopt_existing is set (it was made outside this stack), else Delete.
    """

    allow_replace: pulumi.Output[bool]
    """Allow a planned replacement of the link (another guard, vault or name): the vault is without multi-user
    authorization from the removal of the old link until the new one exists.
    """

    timeouts: pulumi.Output[dict[str, str] | None]
    """Time limits per operation, e.g. {"create": "60m", "delete": "30m"} (Pulumi customTimeouts do not reach dynamic
    providers); defaults come from dataprotection:timeouts.
    """

    resource_type: pulumi.Output[str | None]
    """ARM resource type. Set by Azure."""

    system_data: pulumi.Output[Any]
    """Creation and modification metadata. Set by Azure."""

    resource_guard_operation_details: pulumi.Output[Any]
    """The vault's protected operations, each with the request that authorizes it. Set by Azure."""

    last_updated_time: pulumi.Output[str | None]
    """When the link last changed. Set by Azure."""

    description: pulumi.Output[str | None]
    """What to do before a critical operation. Set by Azure."""

    def __init__(
        self,
        resource_name: str,
        *,
        vault_id: pulumi.Input[str],
        resource_guard_id: pulumi.Input[str],
        name: pulumi.Input[str] | None = None,
        adopt_existing: pulumi.Input[bool] | None = None,
        on_delete: pulumi.Input[api.OnDelete] | None = None,
        allow_replace: pulumi.Input[bool] | None = None,
        timeouts: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Declare a VaultGuardLink.

        :param resource_name: The Pulumi resource name.
        :param vault_id: Id of the backup vault the guard protects. Required. Changing it replaces the resource.
        :param resource_guard_id: Id of the resource guard (same region as the vault; may be in another resource
            group, subscription or tenant). Azure cannot move a link to another guard: a change replaces it, which
            removes MUA first (a protected operation). Required. Changing it replaces the resource.
        :param name: Name of the link (part of the URL; Azure's tools use DppResourceGuardProxy). Changing it
            replaces the resource. Default: "DppResourceGuardProxy".
        :param adopt_existing: Manage an existing resource of this name instead of failing (its settings are set to
            the inputs). Default: false. A change of it alone is no change of the resource.
        :param on_delete: What destroying the resource does: Delete (delete it in Azure) or Retain (leave it
            untouched and only forget it). Default: Retain when adopt_existing is set (it was made outside this
            stack), else Delete. When not set, derived from the other inputs.
        :param allow_replace: Allow a planned replacement of the link (another guard, vault or name): the vault is
            without multi-user authorization from the removal of the old link until the new one exists. Default:
            false. A change of it alone is no change of the resource.
        :param timeouts: Time limits per operation, e.g. {"create": "60m", "delete": "30m"} (Pulumi customTimeouts do
            not reach dynamic providers); defaults come from dataprotection:timeouts. A change of it alone is no
            change of the resource.
        :param opts: Options of the resource.
        """
        inputs = {
            "vault_id": vault_id,
            "resource_guard_id": resource_guard_id,
            "name": name,
            "adopt_existing": adopt_existing,
            "on_delete": on_delete,
            "allow_replace": allow_replace,
            "timeouts": timeouts,
        }
        super().__init__(
            GuardLinkProvider(),
            resource_name,
            resource_props(GuardLinkProvider, resource_name, inputs),
            resource_options(GuardLinkProvider, opts),
        )
