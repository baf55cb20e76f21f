"""The VaultGuardLink dynamic resource: links a backup vault to a resource guard. Removing it is itself a protected
operation, so its delete first asks the guard (``unlockDelete``, with the ``x-ms-authorization-auxiliary`` token when
the guard is in another tenant) and fails with what to request when the caller has no access to the guard."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_dataprotection.arm import ArmError, ResourceId
from pulumi_dataprotection.dynamic import (
    TIMEOUT_RULE,
    TIMEOUTS,
    Context,
    PlanError,
    ResourceFailure,
    SchemaProvider,
    extend,
)
from pulumi_dataprotection.guard import mua
from pulumi_dataprotection.guard.operations import REMOVE_GUARD
from pulumi_dataprotection.guard.resource import ADOPT, ON_DELETE
from pulumi_dataprotection.guard.schema import GUARD_LINK
from pulumi_dataprotection.schema import BoolType, Field, SchemaDiff

LINK_SCHEMA = extend(
    GUARD_LINK,
    [
        ADOPT,
        ON_DELETE,
        Field(
            name="allow_replace",
            type=BoolType(),
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
