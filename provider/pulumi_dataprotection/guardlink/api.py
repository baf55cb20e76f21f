"""The typed API of VaultGuardLink: its resource class with every input and output, and the enumerations and nested
types of its inputs; generated from its schema by tools/gen_api.py (do not edit: run ``python tools/gen_api.py
--write``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import pulumi

from pulumi_dataprotection.dynamic.resource import MODULE, ArmResource, resource_options, resource_props

OnDelete = Literal["Delete", "Retain"]
"""What destroying the resource does: Delete (delete it in Azure) or Retain (leave it untouched and only forget it).
Default: Retain when adopt_existing is set (it was made outside this stack), else Delete.
"""


class VaultGuardLink(ArmResource, module=MODULE, name="VaultGuardLink"):
    """A backup vault's link to a resource guard (``backupVaults/{vault}/backupResourceGuardProxies``): while it exists,
    the vault's critical operations need the guard's authorization; removing it needs it too.

    Common outputs: ``arm_id``, ``api_version``, ``provisioning_state``.
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

    on_delete: pulumi.Output[OnDelete | None]
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
        on_delete: pulumi.Input[OnDelete] | None = None,
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
        from pulumi_dataprotection.guardlink.resource import GuardLinkProvider

        super().__init__(
            GuardLinkProvider(),
            resource_name,
            resource_props(GuardLinkProvider, resource_name, inputs),
            resource_options(GuardLinkProvider, opts),
        )
