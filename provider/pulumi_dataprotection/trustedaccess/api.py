"""The typed API of TrustedAccessBinding: its resource class with every input and output, and the enumerations and
nested types of its inputs; generated from its schema by tools/gen_api.py (do not edit: run ``python tools/gen_api.py
--write``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pulumi

from pulumi_dataprotection.dynamic.resource import MODULE, ArmResource, resource_options, resource_props


class TrustedAccessBinding(ArmResource, module=MODULE, name="TrustedAccessBinding"):
    """An AKS trusted-access role binding (``managedClusters/{cluster}/trustedAccessRoleBindings``) letting a backup
    vault reach the cluster; an identical binding that already exists is recorded as ``preexisting`` and left in
    place on destroy.

    Common outputs: ``arm_id``, ``api_version``, ``provisioning_state``.
    """

    cluster_id: pulumi.Output[str]
    """Id of the AKS cluster."""

    source_resource_id: pulumi.Output[str]
    """Id of the backup vault that gets access to the cluster."""

    roles: pulumi.Output[list[str]]
    """Trusted-access roles of the vault on the cluster (default:
    Microsoft.DataProtection/backupVaults/backup-operator).
    """

    name: pulumi.Output[str | None]
    """Name of the binding (default: backup-<hash of the vault id>)."""

    timeouts: pulumi.Output[dict[str, str] | None]
    """Time limits per operation, e.g. {"create": "60m", "delete": "30m"} (Pulumi customTimeouts do not reach dynamic
    providers); defaults come from dataprotection:timeouts.
    """

    resource_type: pulumi.Output[str | None]
    """ARM resource type. Set by Azure."""

    preexisting: pulumi.Output[bool | None]
    """True when the same binding existed before this resource: it is not changed and not deleted on destroy. Computed
    by the provider.
    """

    def __init__(
        self,
        resource_name: str,
        *,
        cluster_id: pulumi.Input[str],
        source_resource_id: pulumi.Input[str],
        roles: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        name: pulumi.Input[str] | None = None,
        timeouts: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Declare a TrustedAccessBinding.

        :param resource_name: The Pulumi resource name.
        :param cluster_id: Id of the AKS cluster. Required. Changing it replaces the resource.
        :param source_resource_id: Id of the backup vault that gets access to the cluster. Required. Changing it
            replaces the resource.
        :param roles: Trusted-access roles of the vault on the cluster (default:
            Microsoft.DataProtection/backupVaults/backup-operator). Default:
            ["Microsoft.DataProtection/backupVaults/backup-operator"].
        :param name: Name of the binding (default: backup-<hash of the vault id>). Changing it replaces the resource.
            When not set, Azure's value is kept.
        :param timeouts: Time limits per operation, e.g. {"create": "60m", "delete": "30m"} (Pulumi customTimeouts do
            not reach dynamic providers); defaults come from dataprotection:timeouts. A change of it alone is no
            change of the resource.
        :param opts: Options of the resource.
        """
        inputs = {
            "cluster_id": cluster_id,
            "source_resource_id": source_resource_id,
            "roles": roles,
            "name": name,
            "timeouts": timeouts,
        }
        from pulumi_dataprotection.trustedaccess.resource import TrustedAccessBindingProvider

        super().__init__(
            TrustedAccessBindingProvider(),
            resource_name,
            resource_props(TrustedAccessBindingProvider, resource_name, inputs),
            resource_options(TrustedAccessBindingProvider, opts),
        )
