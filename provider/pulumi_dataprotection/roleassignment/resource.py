"""The RoleAssignment dynamic resource: one Azure role assignment (``Microsoft.Authorization/roleAssignments``,
api-version 2022-04-01) through the provider's ARM client, named by a GUID derived from scope, principal and role
so that a rerun finds the same assignment.

Nothing existing is taken over: when the same grant (principal, role, scope) already exists, under this name or
another, the resource records it as ``preexisting``, never changes it and leaves it in place on destroy; destroy
removes only an assignment this resource created.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi.dynamic import CheckFailure

from pulumi_dataprotection.arm import ArmError, ResourceId
from pulumi_dataprotection.dynamic import (
    TIMEOUT_RULE,
    TIMEOUTS,
    Context,
    ResourceFailure,
    extend,
    has_unknown,
    program,
)
from pulumi_dataprotection.dynamic.preexisting import PREEXISTING, KeepsPreexisting, preexisting_output
from pulumi_dataprotection.schema import (
    CREATE_ONLY,
    EnumType,
    Field,
    ObjectType,
    ResourceSchema,
    StringType,
    output_field,
)
from pulumi_dataprotection.schema.unknown import UNKNOWN_STRING

API_VERSION = "2022-04-01"
COLLECTION = "providers/Microsoft.Authorization/roleAssignments"
_NAMESPACE = uuid.UUID("6f1c2d4e-8a7b-4c3d-9e2f-0a1b2c3d4e5f")
"""The namespace of the derived assignment names (any fixed UUID: it only has to stay the same)."""
_GUID_LENGTH = 36


def assignment_name(scope: str, principal_id: str, role_definition_id: str) -> str:
    """The assignment's GUID name: the same scope, principal and role always give the same name."""
    key = "|".join(part.lower().rstrip("/") for part in (scope, principal_id, role_definition_guid(role_definition_id)))
    return str(uuid.uuid5(_NAMESPACE, key))


def role_definition_guid(role_definition_id: str) -> str:
    """The GUID of a role definition id (or the GUID itself)."""
    return role_definition_id.rstrip("/").rsplit("/", 1)[-1].lower()


SCHEMA = extend(
    ResourceSchema(
        "RoleAssignment",
        ObjectType(
            [
                Field(
                    name="scope",
                    type=StringType(min_length=1, pattern=r"^/subscriptions/[^/]+(/.+)?$", pattern_hint="an ARM id"),
                    doc="ARM id of what the role is granted on: a subscription, a resource group or a resource.",
                    mutability=CREATE_ONLY,
                    required=True,
                    read_path="properties.scope",
                ),
                Field(
                    name="principal_id",
                    type=StringType(min_length=1),
                    path="properties.principalId",
                    doc="Object id of the identity that gets the role (e.g. a vault's `principal_id`).",
                    mutability=CREATE_ONLY,
                    required=True,
                ),
                Field(
                    name="role_definition_id",
                    type=StringType(min_length=1),
                    path="properties.roleDefinitionId",
                    doc="The role: its role definition id, or only its GUID (expanded in the scope's subscription).",
                    mutability=CREATE_ONLY,
                    required=True,
                ),
                Field(
                    name="principal_type",
                    type=EnumType(["ServicePrincipal", "User", "Group", "ForeignGroup", "Device"]),
                    path="properties.principalType",
                    doc="Kind of principal (ServicePrincipal for managed identities: Azure then does not wait for the "
                    "directory to replicate a new identity).",
                    mutability=CREATE_ONLY,
                    default="ServicePrincipal",
                ),
                Field(
                    name="description",
                    type=StringType(),
                    path="properties.description",
                    doc="Why the role is assigned.",
                    mutability=CREATE_ONLY,
                ),
                Field(
                    name="name",
                    type=StringType(min_length=_GUID_LENGTH, max_length=_GUID_LENGTH),
                    doc="The assignment's GUID (default: derived from scope, principal and role, so reruns find it).",
                    mutability=CREATE_ONLY,
                    computed=True,
                    read_path="name",
                ),
                output_field("id", "id", "ARM id of the assignment."),
                output_field("resource_type", "type", "ARM resource type."),
                output_field("created_on", "properties.createdOn", "When Azure created the assignment."),
            ],
            description="a role assignment",
        ),
    ),
    [TIMEOUTS],
    [TIMEOUT_RULE],
)


class RoleAssignmentProvider(KeepsPreexisting):
    """Lifecycle of ``{scope}/providers/Microsoft.Authorization/roleAssignments/{name}``: create PUTs it (or finds
    the same grant already there); delete removes only what create made."""

    schema = SCHEMA
    title = "RoleAssignment"
    description = (
        "An Azure role assignment (``Microsoft.Authorization/roleAssignments``): ``principal_id`` gets the role on "
        "``scope``. A grant that already exists is recorded as ``preexisting`` and left in place on destroy."
    )
    identity_fields = ("scope", "name")
    api_version = API_VERSION
    audit_outputs = (preexisting_output("grant"),)

    def complete(self, news: dict[str, Any]) -> list[CheckFailure]:
        scope, principal, role = news.get("scope"), news.get("principal_id"), news.get("role_definition_id")
        if isinstance(role, str) and "/" not in role and isinstance(scope, str) and not has_unknown(scope):
            subscription = scope.split("/")[2] if scope.count("/") >= 2 else ""
            news["role_definition_id"] = f"/subscriptions/{subscription}/providers/Microsoft.Authorization/" + (
                f"roleDefinitions/{role}"
            )
            role = news["role_definition_id"]
        if news.get("name") is None and all(isinstance(v, str) for v in (scope, principal, role)):
            unknown = any(has_unknown(v) for v in (scope, principal, role))
            news["name"] = UNKNOWN_STRING if unknown else assignment_name(str(scope), str(principal), str(role))
        return []

    def resource_id(self, inputs: Mapping[str, Any]) -> ResourceId:
        return ResourceId.parse(f"{str(inputs['scope']).rstrip('/')}/{COLLECTION}/{inputs['name']}")

    def check_plan(self, olds: Mapping[str, Any], inputs: Mapping[str, Any]) -> list[CheckFailure]:
        scope = inputs.get("scope")
        if isinstance(scope, str) and not has_unknown(scope):
            program.remember_grant(scope)
        return []

    def predicted_outputs(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        return {"api_version": API_VERSION, "resource_type": "Microsoft.Authorization/roleAssignments"}

    def read_resource(self, ctx: Context, rid: ResourceId, props: Mapping[str, Any]) -> dict[str, Any] | None:
        body = ctx.client.get(
            rid.path, operation="read role assignment", resource=str(rid), api_version=API_VERSION,
            timeout=ctx.timeout("read"),
        )  # fmt: skip
        return self.marked(body, props)

    def create_resource(self, ctx: Context, rid: ResourceId, inputs: dict[str, Any]) -> dict[str, Any]:
        found = ctx.client.get(rid.path, operation="read role assignment", resource=str(rid), api_version=API_VERSION)
        if found is not None:
            self._check_same(ctx, rid, found, inputs)
            pulumi.log.warn(f"{ctx.label}: {rid} already exists; it is left as it is and kept on destroy")
            return {**found, PREEXISTING: True}
        body = {"properties": {k: v for k, v in SCHEMA.to_rest(inputs).get("properties", {}).items() if v is not None}}
        try:
            result = ctx.client.execute(
                "PUT",
                rid.path,
                body,
                operation="create role assignment",
                resource=str(rid),
                api_version=API_VERSION,
                timeout=ctx.timeout("create"),
            )
        except ArmError as exc:
            if exc.code != "RoleAssignmentExists":
                raise
            existing = self._find_same(ctx, inputs)
            if existing is None:
                raise
            pulumi.log.warn(
                f"{ctx.label}: the same grant already exists as {existing.get('id')}; it is left as it is and kept "
                "on destroy"
            )
            return {**existing, PREEXISTING: True}
        if isinstance(result.body, dict) and result.body:
            return result.body
        return (
            ctx.client.get(rid.path, operation="read role assignment", resource=str(rid), api_version=API_VERSION) or {}
        )

    def _check_same(self, ctx: Context, rid: ResourceId, found: Mapping[str, Any], inputs: Mapping[str, Any]) -> None:
        props = found.get("properties") or {}
        same = str(props.get("principalId", "")).lower() == str(
            inputs["principal_id"]
        ).lower() and role_definition_guid(str(props.get("roleDefinitionId", ""))) == role_definition_guid(
            str(inputs["role_definition_id"])
        )
        if not same:
            raise ResourceFailure(
                f"{ctx.label}: the role assignment {rid} exists and grants role {props.get('roleDefinitionId')} to "
                f"{props.get('principalId')}, not what the program asks; it is not changed. Choose another name."
            )

    def _find_same(self, ctx: Context, inputs: Mapping[str, Any]) -> dict[str, Any] | None:
        scope = str(inputs["scope"]).rstrip("/")
        listed = ctx.client.get(
            f"{scope}/{COLLECTION}",
            operation="list role assignments",
            resource=scope,
            api_version=API_VERSION,
            query={"$filter": f"atScope() and principalId eq '{inputs['principal_id']}'"},
        )
        wanted = role_definition_guid(str(inputs["role_definition_id"]))
        for item in (listed or {}).get("value") or []:
            props = item.get("properties") or {}
            if (
                str(props.get("scope", "")).lower().rstrip("/") == scope.lower()
                and role_definition_guid(str(props.get("roleDefinitionId", ""))) == wanted
            ):
                return dict(item)
        return None

    def update_resource(
        self, ctx: Context, rid: ResourceId, olds: Mapping[str, Any], inputs: dict[str, Any], changed: list[str]
    ) -> dict[str, Any]:
        return self.read_resource(ctx, rid, olds) or {}

    def delete_resource(self, ctx: Context, rid: ResourceId, props: Mapping[str, Any]) -> None:
        if props.get(PREEXISTING):
            return
        ctx.client.execute(
            "DELETE",
            rid.path,
            operation="delete role assignment",
            resource=str(rid),
            api_version=API_VERSION,
            timeout=ctx.timeout("delete"),
        )
