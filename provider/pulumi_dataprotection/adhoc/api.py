"""The typed API of AdhocBackup: its resource class with every input and output, and the enumerations and nested types
of its inputs; generated from its schema by tools/gen_api.py (do not edit: run ``python tools/gen_api.py --write``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi

from pulumi_dataprotection.dynamic.resource import MODULE, ArmResource, resource_options, resource_props


class AdhocBackup(ArmResource, module=MODULE, name="AdhocBackup"):
    """An on-demand backup of a backup instance; change ``triggers`` to run another one.

    Common outputs: ``arm_id``, ``api_version``, ``provisioning_state``.
    """

    backup_instance_id: pulumi.Output[str]
    """Id of the backup instance to back up."""

    rule_name: pulumi.Output[str | None]
    """The policy's backup rule to use (default: the policy's only backup rule)."""

    retention_tag_override: pulumi.Output[str | None]
    """Retention tag for the recovery point (Default, Daily, Weekly, ...; default: the rule's default)."""

    triggers: pulumi.Output[Any]
    """Any value; changing it runs a new backup."""

    wait_for_completion: pulumi.Output[bool]
    """Wait until the backup job completes (else only until Azure accepted it)."""

    timeouts: pulumi.Output[dict[str, str] | None]
    """Time limits per operation, e.g. {"create": "60m", "delete": "30m"} (Pulumi customTimeouts do not reach dynamic
    providers); defaults come from dataprotection:timeouts.
    """

    job_status: pulumi.Output[str | None]
    """Status of the backup job (InProgress, Completed, Failed). Set by Azure."""

    job_start_time: pulumi.Output[str | None]
    """When the job started. Set by Azure."""

    job_end_time: pulumi.Output[str | None]
    """When the job ended. Set by Azure."""

    recovery_point_id: pulumi.Output[str | None]
    """The recovery point the job created. Set by Azure."""

    job_error: pulumi.Output[Any]
    """Errors of a failed job. Set by Azure."""

    job_id: pulumi.Output[str | None]
    """Id of the backup job. Computed by the provider."""

    def __init__(
        self,
        resource_name: str,
        *,
        backup_instance_id: pulumi.Input[str],
        rule_name: pulumi.Input[str] | None = None,
        retention_tag_override: pulumi.Input[str] | None = None,
        triggers: Any | None = None,
        wait_for_completion: pulumi.Input[bool] | None = None,
        timeouts: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Declare a AdhocBackup.

        :param resource_name: The Pulumi resource name.
        :param backup_instance_id: Id of the backup instance to back up. Required. Changing it replaces the resource.
        :param rule_name: The policy's backup rule to use (default: the policy's only backup rule). Changing it
            replaces the resource. When not set, Azure's value is kept.
        :param retention_tag_override: Retention tag for the recovery point (Default, Daily, Weekly, ...; default:
            the rule's default). Changing it replaces the resource.
        :param triggers: Any value; changing it runs a new backup. Changing it replaces the resource.
        :param wait_for_completion: Wait until the backup job completes (else only until Azure accepted it). Default:
            true. A change of it alone is no change of the resource.
        :param timeouts: Time limits per operation, e.g. {"create": "60m", "delete": "30m"} (Pulumi customTimeouts do
            not reach dynamic providers); defaults come from dataprotection:timeouts. A change of it alone is no
            change of the resource.
        :param opts: Options of the resource.
        """
        inputs = {
            "backup_instance_id": backup_instance_id,
            "rule_name": rule_name,
            "retention_tag_override": retention_tag_override,
            "triggers": triggers,
            "wait_for_completion": wait_for_completion,
            "timeouts": timeouts,
        }
        from pulumi_dataprotection.adhoc.resource import AdhocBackupProvider

        super().__init__(
            AdhocBackupProvider(),
            resource_name,
            resource_props(AdhocBackupProvider, resource_name, inputs),
            resource_options(AdhocBackupProvider, opts),
        )
