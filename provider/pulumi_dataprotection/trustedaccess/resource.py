"""The TrustedAccessBinding dynamic resource: an AKS trusted-access role binding
(``Microsoft.ContainerService/managedClusters/{cluster}/trustedAccessRoleBindings/{name}``) that lets a backup
vault reach the cluster's API server, through the provider's ARM client.

Nothing existing is taken over: a binding of the same name that already binds the same vault with the same roles
is recorded as ``preexisting`` and left in place on destroy; one that binds something else is an error (a PUT
would overwrite it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi.dynamic import CheckFailure

from pulumi_dataprotection.arm import NotFoundError, ResourceId
from pulumi_dataprotection.dynamic import (
    TIMEOUT_RULE,
    TIMEOUTS,
    Context,
    ResourceFailure,
    extend,
    has_unknown,
)
from pulumi_dataprotection.dynamic.preexisting import PREEXISTING, KeepsPreexisting, preexisting_output
from pulumi_dataprotection.schema import (
    CREATE_ONLY,
    ArmIdType,
    Field,
    ListType,
    ObjectType,
    ResourceSchema,
    StringType,
    output_field,
)
from pulumi_dataprotection.schema.unknown import UNKNOWN_STRING

API_VERSION = "2024-02-01"
"""A stable AKS api-version that has trusted-access role bindings (generally available since 2023-09-01)."""
COLLECTION = "trustedAccessRoleBindings"
BACKUP_OPERATOR = "Microsoft.DataProtection/backupVaults/backup-operator"


def binding_name(source_resource_id: str) -> str:
    """The default binding name for a source (at most 24 characters, letters, digits and dashes)."""
    digest = hashlib.sha256(source_resource_id.lower().encode()).hexdigest()[:14]
    return f"backup-{digest}"


SCHEMA = extend(
    ResourceSchema(
        "TrustedAccessBinding",
        ObjectType(
            [
                Field(
                    name="cluster_id",
                    type=ArmIdType("Microsoft.ContainerService/managedClusters"),
                    doc="Id of the AKS cluster.",
                    mutability=CREATE_ONLY,
                    required=True,
                ),
                Field(
                    name="source_resource_id",
                    type=ArmIdType("Microsoft.DataProtection/backupVaults"),
                    path="properties.sourceResourceId",
                    doc="Id of the backup vault that gets access to the cluster.",
                    mutability=CREATE_ONLY,
                    required=True,
                ),
                Field(
                    name="roles",
                    type=ListType(StringType(min_length=1), min_items=1, ordered=False, unique=True),
                    path="properties.roles",
                    doc=f"Trusted-access roles of the vault on the cluster (default: {BACKUP_OPERATOR}).",
                    default=[BACKUP_OPERATOR],
                ),
                Field(
                    name="name",
                    type=StringType(
                        min_length=1,
                        max_length=24,
                        pattern=r"^[A-Za-z0-9-]+$",
                        pattern_hint="1-24 letters, digits and dashes",
                    ),
                    doc="Name of the binding (default: backup-<hash of the vault id>).",
                    mutability=CREATE_ONLY,
                    computed=True,
                    read_path="name",
                ),
                output_field("id", "id", "ARM id of the binding."),
                output_field("resource_type", "type", "ARM resource type."),
                output_field("provisioning_state", "properties.provisioningState", "Provisioning state."),
            ],
            description="a trusted-access role binding",
        ),
    ),
    [TIMEOUTS],
    [TIMEOUT_RULE],
)


class TrustedAccessBindingProvider(KeepsPreexisting):
    """Lifecycle of ``managedClusters/{cluster}/trustedAccessRoleBindings/{name}``."""

    schema = SCHEMA
    title = "TrustedAccessBinding"
    description = (
        "An AKS trusted-access role binding (``managedClusters/{cluster}/trustedAccessRoleBindings``) letting a "
        "backup vault reach the cluster; an identical binding that already exists is recorded as ``preexisting`` "
        "and left in place on destroy."
    )
    identity_fields = ("cluster_id", "name")
    api_version = API_VERSION
    audit_outputs = (preexisting_output("binding"),)

    def complete(self, news: dict[str, Any]) -> list[CheckFailure]:
        source = news.get("source_resource_id")
        if news.get("name") is None and isinstance(source, str):
            news["name"] = UNKNOWN_STRING if has_unknown(source) else binding_name(source)
        return []

    def resource_id(self, inputs: Mapping[str, Any]) -> ResourceId:
        return ResourceId.parse(str(inputs["cluster_id"])).child(COLLECTION, str(inputs["name"]))

    def predicted_outputs(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        return {"api_version": API_VERSION}

    def read_resource(self, ctx: Context, rid: ResourceId, props: Mapping[str, Any]) -> dict[str, Any] | None:
        return self.marked(self._get(ctx, rid), props)

    @staticmethod
    def _get(ctx: Context, rid: ResourceId) -> dict[str, Any] | None:
        """The binding, None when the cluster answers that it has none (AKS's 404 ``NotFound`` for a child)."""
        try:
            return ctx.client.get(
                rid.path,
                operation="read trusted access role binding",
                resource=str(rid),
                api_version=API_VERSION,
                timeout=ctx.timeout("read"),
            )
        except NotFoundError as exc:
            if (exc.code or "").lower() == "notfound":
                return None
            raise

    def create_resource(self, ctx: Context, rid: ResourceId, inputs: dict[str, Any]) -> dict[str, Any]:
        found = self._get(ctx, rid)
        if found is not None:
            props = found.get("properties") or {}
            same = str(props.get("sourceResourceId", "")).lower() == str(inputs["source_resource_id"]).lower()
            if not same or {str(r).lower() for r in props.get("roles") or []} != {
                str(r).lower() for r in inputs["roles"]
            }:
                raise ResourceFailure(
                    f"{ctx.label}: the trusted access role binding {rid} exists and binds "
                    f"{props.get('sourceResourceId')} with roles {props.get('roles')}; a PUT would overwrite it, so "
                    "nothing was changed. Choose another name."
                )
            pulumi.log.warn(f"{ctx.label}: {rid} already exists; it is left as it is and kept on destroy")
            return {**found, PREEXISTING: True}
        return self._put(ctx, rid, inputs, "create")

    def _put(self, ctx: Context, rid: ResourceId, inputs: Mapping[str, Any], operation: str) -> dict[str, Any]:
        result = ctx.client.execute(
            "PUT",
            rid.path,
            SCHEMA.to_rest(inputs),
            operation=f"{operation} trusted access role binding",
            resource=str(rid),
            api_version=API_VERSION,
            timeout=ctx.timeout(operation),
        )
        if isinstance(result.body, dict) and result.body:
            return result.body
        return self.read_resource(ctx, rid, inputs) or {}

    def update_resource(
        self, ctx: Context, rid: ResourceId, olds: Mapping[str, Any], inputs: dict[str, Any], changed: list[str]
    ) -> dict[str, Any]:
        if olds.get(PREEXISTING):
            raise ResourceFailure(
                f"{ctx.label}: {rid} existed before this stack and is not changed by it; revert the change"
            )
        return self._put(ctx, rid, inputs, "update")

    def delete_resource(self, ctx: Context, rid: ResourceId, props: Mapping[str, Any]) -> None:
        if props.get(PREEXISTING):
            return
        ctx.client.execute(
            "DELETE",
            rid.path,
            operation="delete trusted access role binding",
            resource=str(rid),
            api_version=API_VERSION,
            timeout=ctx.timeout("delete"),
        )
