"""The ResourceGuard dynamic resource: a plain ARM resource (synchronous PUT/PATCH/DELETE), usually in the security
team's resource group or subscription, that the vaults linked to it (``guardlink``) need for critical operations."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import CheckFailure

from pulumi_dataprotection import config as config_module
from pulumi_dataprotection.arm import ArmError, ResourceId
from pulumi_dataprotection.dynamic import (
    TIMEOUT_RULE,
    TIMEOUTS,
    Context,
    ResourceFailure,
    SchemaProvider,
    extend,
)
from pulumi_dataprotection.guard.operations import GUARD_TYPE
from pulumi_dataprotection.guard.schema import RESOURCE_GUARD
from pulumi_dataprotection.schema import CREATE_ONLY, BoolType, EnumType, Field, IdPart, names
from pulumi_dataprotection.schema.types import name_type

ADOPT = Field(
    name="adopt_existing",
    type=BoolType(),
    doc="Manage an existing resource of this name instead of failing (its settings are set to the inputs).",
    default=False,
    diff=False,
)
ON_DELETE = Field(
    name="on_delete",
    type=EnumType(["Delete", "Retain"]),
    doc="What destroying the resource does: Delete (delete it in Azure) or Retain (leave it untouched and only "
    "forget it). Default: Retain when adopt_existing is set (it was made outside this stack), else Delete.",
    default=lambda values: "Retain" if values.get("adopt_existing") else "Delete",
)

GUARD_SCHEMA = extend(
    RESOURCE_GUARD,
    [
        Field(
            name="subscription_id",
            type=name_type(names.SUBSCRIPTION, case_insensitive=True),
            doc="Subscription of the guard (default: the provider's subscription); often the security team's.",
            mutability=CREATE_ONLY,
            computed=True,
            id_part=IdPart("after", "subscriptions"),
        ),
        ADOPT,
        ON_DELETE,
        TIMEOUTS,
    ],
    [TIMEOUT_RULE],
)


def exists_check(ctx: Context, rid: ResourceId, inputs: Mapping[str, Any], what: str) -> None:
    """Refuse to take over an existing resource unless ``adopt_existing`` says so."""
    if inputs.get("adopt_existing"):
        return
    if ctx.client.get(rid.path, operation=f"check {what}", resource=str(rid)) is not None:
        raise ResourceFailure(
            f"{ctx.label} already exists in Azure ({rid}) and is not taken over silently. Set adopt_existing=True "
            "to manage it from this stack, or choose another name."
        )


class ResourceGuardProvider(SchemaProvider):
    """Lifecycle of ``Microsoft.DataProtection/resourceGuards``."""

    schema = GUARD_SCHEMA
    title = "ResourceGuard"
    description = (
        "A resource guard (``Microsoft.DataProtection/resourceGuards``): multi-user authorization for the critical "
        "operations of the backup vaults linked to it."
    )
    named_by = ("name",)
    identity_fields = ("subscription_id", "resource_group_name", "name")
    cleared_when_removed = {"excluded_operations": []}  # removing the exclusions puts them under MUA again

    def complete(self, news: dict[str, Any]) -> list[CheckFailure]:
        if news.get("subscription_id") is None:
            news["subscription_id"] = config_module.current().require_subscription()
        return []

    def resource_id(self, inputs: Mapping[str, Any]) -> ResourceId:
        return ResourceId.parse(
            f"/subscriptions/{inputs['subscription_id']}/resourceGroups/{inputs['resource_group_name']}"
            f"/providers/{GUARD_TYPE}/{inputs['name']}"
        )

    def create_resource(self, ctx: Context, rid: ResourceId, inputs: dict[str, Any]) -> dict[str, Any]:
        exists_check(ctx, rid, inputs, "resource guard")
        return self._send(ctx, rid, "PUT", GUARD_SCHEMA.to_rest(inputs), "create resource guard", "create")

    def _send(
        self, ctx: Context, rid: ResourceId, method: str, body: dict[str, Any], operation: str, kind: str
    ) -> dict[str, Any]:
        """The guard as Azure holds it after the write (read back when the reply has no body)."""
        result = ctx.client.execute(
            method, rid.path, body, operation=operation, resource=str(rid), timeout=ctx.timeout(kind)
        )
        if isinstance(result.body, dict) and result.body:
            return result.body
        found = ctx.client.get(rid.path, operation="read resource guard", resource=str(rid))
        if found is None:
            raise ResourceFailure(f"{ctx.label}: Azure reported success but the guard cannot be read ({rid})")
        return found

    def update_resource(
        self, ctx: Context, rid: ResourceId, olds: Mapping[str, Any], inputs: dict[str, Any], changed: list[str]
    ) -> dict[str, Any]:
        if set(changed) <= {"tags"}:
            tags = {"tags": inputs.get("tags") or {}}
            return self._send(ctx, rid, "PATCH", tags, "update resource guard tags", "update")
        body = GUARD_SCHEMA.to_rest(inputs)
        if "excluded_operations" in changed:  # an emptied list must still be sent to clear the exclusions
            body.setdefault("properties", {}).setdefault("vaultCriticalOperationExclusionList", [])
        return self._send(ctx, rid, "PUT", body, "update resource guard", "update")

    def delete_resource(self, ctx: Context, rid: ResourceId, props: Mapping[str, Any]) -> None:
        try:
            ctx.client.execute(
                "DELETE", rid.path, operation="delete resource guard", resource=str(rid), timeout=ctx.timeout("delete")
            )
        except ArmError as exc:
            if exc.status == 409:
                raise ResourceFailure(
                    f"{ctx.label} cannot be deleted while vaults are linked to it: {exc.code}: {exc.message}\n"
                    "What to do: remove the VaultGuardLink of each vault first (a protected operation that needs "
                    "access to this guard), then delete the guard."
                ) from exc
            raise
