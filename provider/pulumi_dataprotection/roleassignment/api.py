"""The typed API of RoleAssignment: its resource class with every input and output, and the enumerations and nested
types of its inputs; generated from its schema by tools/gen_api.py (do not edit: run ``python tools/gen_api.py
--write``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import pulumi

from pulumi_dataprotection.dynamic.resource import MODULE, ArmResource, resource_options, resource_props

PrincipalType = Literal["ServicePrincipal", "User", "Group", "ForeignGroup", "Device"]
"""Kind of principal (ServicePrincipal for managed identities: Azure then does not wait for the directory to replicate a
new identity).
"""


class RoleAssignment(ArmResource, module=MODULE, name="RoleAssignment"):
    """An Azure role assignment (``Microsoft.Authorization/roleAssignments``): ``principal_id`` gets the role on
    ``scope``. A grant that already exists is recorded as ``preexisting`` and left in place on destroy.

    Common outputs: ``arm_id``, ``api_version``, ``provisioning_state``.
    """

    scope: pulumi.Output[str]
    """ARM id of what the role is granted on: a subscription, a resource group or a resource."""

    principal_id: pulumi.Output[str]
    """Object id of the identity that gets the role (e.g. a vault's `principal_id`)."""

    role_definition_id: pulumi.Output[str]
    """The role: its role definition id, or only its GUID (expanded in the scope's subscription)."""

    principal_type: pulumi.Output[PrincipalType]
    """Kind of principal (ServicePrincipal for managed identities: Azure then does not wait for the directory to
    replicate a new identity).
    """

    description: pulumi.Output[str | None]
    """Why the role is assigned."""

    name: pulumi.Output[str | None]
    """The assignment's GUID (default: derived from scope, principal and role, so reruns find it)."""

    timeouts: pulumi.Output[dict[str, str] | None]
    """Time limits per operation, e.g. {"create": "60m", "delete": "30m"} (Pulumi customTimeouts do not reach dynamic
    providers); defaults come from dataprotection:timeouts.
    """

    resource_type: pulumi.Output[str | None]
    """ARM resource type. Set by Azure."""

    created_on: pulumi.Output[str | None]
    """When Azure created the assignment. Set by Azure."""

    preexisting: pulumi.Output[bool | None]
    """True when the same grant existed before this resource: it is not changed and not deleted on destroy. Computed by
    the provider.
    """

    def __init__(
        self,
        resource_name: str,
        *,
        scope: pulumi.Input[str],
        principal_id: pulumi.Input[str],
        role_definition_id: pulumi.Input[str],
        principal_type: pulumi.Input[PrincipalType] | None = None,
        description: pulumi.Input[str] | None = None,
        name: pulumi.Input[str] | None = None,
        timeouts: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Declare a RoleAssignment.

        :param resource_name: The Pulumi resource name.
        :param scope: ARM id of what the role is granted on: a subscription, a resource group or a resource.
            Required. Changing it replaces the resource.
        :param principal_id: Object id of the identity that gets the role (e.g. a vault's `principal_id`). Required.
            Changing it replaces the resource.
        :param role_definition_id: The role: its role definition id, or only its GUID (expanded in the scope's
            subscription). Required. Changing it replaces the resource.
        :param principal_type: Kind of principal (ServicePrincipal for managed identities: Azure then does not wait
            for the directory to replicate a new identity). Changing it replaces the resource. Default:
            "ServicePrincipal".
        :param description: Why the role is assigned. Changing it replaces the resource.
        :param name: The assignment's GUID (default: derived from scope, principal and role, so reruns find it).
            Changing it replaces the resource. When not set, Azure's value is kept.
        :param timeouts: Time limits per operation, e.g. {"create": "60m", "delete": "30m"} (Pulumi customTimeouts do
            not reach dynamic providers); defaults come from dataprotection:timeouts. A change of it alone is no
            change of the resource.
        :param opts: Options of the resource.
        """
        inputs = {
            "scope": scope,
            "principal_id": principal_id,
            "role_definition_id": role_definition_id,
            "principal_type": principal_type,
            "description": description,
            "name": name,
            "timeouts": timeouts,
        }
        from pulumi_dataprotection.roleassignment.resource import RoleAssignmentProvider

        super().__init__(
            RoleAssignmentProvider(),
            resource_name,
            resource_props(RoleAssignmentProvider, resource_name, inputs),
            resource_options(RoleAssignmentProvider, opts),
        )
