"""The typed API of BackupInstance: its resource class with every input and output, and the enumerations and nested
types of its inputs; generated from its schema by tools/gen_api.py (do not edit: run ``python tools/gen_api.py
--write``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, NotRequired, TypedDict

import pulumi

from pulumi_dataprotection.dynamic.resource import MODULE, ArmResource, resource_options, resource_props

DatasourceKind = Literal[
    "aks", "disk", "blob", "adls", "postgresql", "postgresql_flexible", "mysql_flexible", "elastic_san", "cosmos_db"
]
"""What is protected: aks (AKS cluster), disk (managed disk), blob (blob storage account), adls (Data Lake Storage
account), postgresql (PostgreSQL single-server database), postgresql_flexible (PostgreSQL flexible server),
mysql_flexible (MySQL flexible server), elastic_san (Elastic SAN volume group), cosmos_db (Cosmos DB account).
"""


Protection = Literal["configured", "suspended", "stopped"]
"""What Azure does with the datasource: configured (backups run on the policy's schedule), suspended (suspendBackups: no
new backups, recovery points kept as the policy says, the newest for ever) or stopped (stopProtection: no new
backups, every recovery point kept for ever). A change sends that action (back to configured: resumeBackups or
resumeProtection); a change made in Azure shows as drift after `pulumi refresh`. Default: configured, but an instance
adopted with adopt_existing keeps Azure's state.
"""


IncludedVolumeType = Literal["AzureDisk", "AzureFileShareSMB"]
"""Volume types to snapshot."""


ValidationType = Literal["ShallowValidation", "DeepValidation"]
"""How deeply Azure validates the request (not stored by Azure)."""


OnDelete = Literal["Delete", "StopProtectionRetainData", "Suspend", "Retain"]
"""What destroying the resource does: Delete (Azure keeps soft-deleted backups per the vault's soft delete setting),
StopProtectionRetainData (stop backups, keep recovery points), Suspend (pause backups, keep the instance) or Retain
(leave it untouched).
"""


class BackupHookReferenceArgs(TypedDict):
    """Input: a backup hook reference."""

    #: Backup hook name.
    name: pulumi.Input[str]
    #: Its namespace.
    namespace: pulumi.Input[str]


# Output types are for type checkers: Pulumi converts output values by the resource classes'
# annotations at runtime and accepts no TypedDict there, so at runtime they are plain dicts.
if TYPE_CHECKING:

    class BackupHookReference(TypedDict):
        """Output: a backup hook reference."""

        #: Backup hook name.
        name: str
        #: Its namespace.
        namespace: str

    class ProtectionError(TypedDict):
        """Output: a protection error."""

        #: Azure's error code. Set by Azure.
        code: NotRequired[str]
        #: Azure's message. Set by Azure.
        message: NotRequired[str]
        #: What Azure recommends. Set by Azure.
        recommended_action: NotRequired[list[str]]
else:
    BackupHookReference = ProtectionError = dict[str, Any]


class BackupInstance(ArmResource, module=MODULE, name="BackupInstance"):
    """A protected datasource in a vault (``Microsoft.DataProtection/backupVaults/backupInstances``); the inputs that
    apply depend on ``datasource_kind``.

    Common outputs: ``arm_id``, ``api_version``, ``provisioning_state``.
    """

    name: pulumi.Output[str]
    """Backup instance name (part of the URL)."""

    vault_id: pulumi.Output[str]
    """Id of the backup vault."""

    datasource_kind: pulumi.Output[DatasourceKind]
    """What is protected: aks (AKS cluster), disk (managed disk), blob (blob storage account), adls (Data Lake Storage
    account), postgresql (PostgreSQL single-server database), postgresql_flexible (PostgreSQL flexible server),
    mysql_flexible (MySQL flexible server), elastic_san (Elastic SAN volume group), cosmos_db (Cosmos DB account).
    """

    datasource_id: pulumi.Output[str]
    """Id of the protected resource (for a PostgreSQL single-server database: the server)."""

    database_name: pulumi.Output[str | None]
    """The database of a PostgreSQL single server."""

    datasource_location: pulumi.Output[str | None]
    """Region of the protected resource."""

    friendly_name: pulumi.Output[str | None]
    """Display name (default: the resource name, server/database for PostgreSQL)."""

    policy_id: pulumi.Output[str]
    """Id of the backup policy (a policy of the same vault, for the same kind of datasource)."""

    protection: pulumi.Output[Protection | None]
    """What Azure does with the datasource: configured (backups run on the policy's schedule), suspended
    (suspendBackups: no new backups, recovery points kept as the policy says, the newest for ever) or stopped
    (stopProtection: no new backups, every recovery point kept for ever). A change sends that action (back to
    configured: resumeBackups or resumeProtection); a change made in Azure shows as drift after `pulumi refresh`.
    Default: configured, but an instance adopted with adopt_existing keeps Azure's state.
    """

    snapshot_resource_group_id: pulumi.Output[str | None]
    """Resource group holding the operational-tier snapshots (AKS, disks)."""

    snapshot_volumes: pulumi.Output[bool | None]
    """Snapshot persistent volumes."""

    include_cluster_scope_resources: pulumi.Output[bool | None]
    """Back up cluster-scoped resources."""

    included_namespaces: pulumi.Output[list[str] | None]
    """Namespaces to back up (all when empty)."""

    excluded_namespaces: pulumi.Output[list[str] | None]
    """Namespaces to skip."""

    included_resource_types: pulumi.Output[list[str] | None]
    """Resource types to back up."""

    excluded_resource_types: pulumi.Output[list[str] | None]
    """Resource types to skip."""

    label_selectors: pulumi.Output[list[str] | None]
    """Kubernetes label selectors (app=web, tier!=db, env in (prod,qa), ...)."""

    included_volume_types: pulumi.Output[list[IncludedVolumeType] | None]
    """Volume types to snapshot."""

    backup_hook_references: pulumi.Output[list[BackupHookReference] | None]
    """Backup hooks (custom resources) to run around the backup."""

    containers: pulumi.Output[list[str] | None]
    """Containers to back up (vaulted blob and ADLS backups)."""

    auto_protection: pulumi.Output[bool | None]
    """Protect every container of the storage account, present and future, instead of listing containers (blob and ADLS
    auto-protection, api-version 2026-06-01).
    """

    auto_protection_excluded_prefixes: pulumi.Output[list[str] | None]
    """Containers whose names start with one of these prefixes are left out of auto-protection."""

    volumes: pulumi.Output[list[str] | None]
    """Volumes of the volume group to back up (Elastic SAN volume groups)."""

    secret_store_uri: pulumi.Output[str | None]
    """Key Vault secret holding the database connection credentials."""

    use_system_assigned_identity: pulumi.Output[bool | None]
    """Use the vault's system-assigned identity (false when a user-assigned one is given)."""

    user_assigned_identity_id: pulumi.Output[str | None]
    """User-assigned identity of the vault to use for this instance."""

    validation_type: pulumi.Output[ValidationType | None]
    """How deeply Azure validates the request (not stored by Azure)."""

    resource_guard_operation_requests: pulumi.Output[list[str] | None]
    """Resource guard operation requests authorizing the change (sent with the request only)."""

    tags: pulumi.Output[dict[str, str] | None]
    """Resource tags."""

    on_delete: pulumi.Output[OnDelete]
    """What destroying the resource does: Delete (Azure keeps soft-deleted backups per the vault's soft delete setting),
    StopProtectionRetainData (stop backups, keep recovery points), Suspend (pause backups, keep the instance) or
    Retain (leave it untouched).
    """

    wait_for_protection: pulumi.Output[bool]
    """Wait until currentProtectionState is ProtectionConfigured after a create or update."""

    allow_replace_with_data: pulumi.Output[bool]
    """Allow a planned replacement (a change Azure cannot make in place, such as datasource_id, datasource_location,
    friendly_name or snapshot_resource_group_id): the old instance is removed as on_delete says, so with Delete its
    recovery points survive only as a soft-deleted instance, and only while the vault's soft delete is On or
    AlwaysOn.
    """

    adopt_existing: pulumi.Output[bool]
    """Take over the existing resource of this name (created outside this stack) instead of refusing to: the first `up`
    writes nothing when it matches the inputs, else only the differences, which the preview lists field by field (in
    the `adoption` output). Needs an explicit `on_delete`.
    """

    timeouts: pulumi.Output[dict[str, str] | None]
    """Time limits per operation, e.g. {"create": "60m", "delete": "30m"} (Pulumi customTimeouts do not reach dynamic
    providers); defaults come from dataprotection:timeouts.
    """

    resource_type: pulumi.Output[str | None]
    """ARM resource type. Set by Azure."""

    system_data: pulumi.Output[Any]
    """Creation and modification metadata. Set by Azure."""

    current_protection_state: pulumi.Output[str | None]
    """Protection state. Set by Azure."""

    protection_status: pulumi.Output[Any]
    """Status and error details. Set by Azure."""

    protection_error_details: pulumi.Output[Any]
    """Protection error. Set by Azure."""

    policy_version: pulumi.Output[str | None]
    """Version of the policy in use. Set by Azure."""

    datasource_info: pulumi.Output[Any]
    """Datasource as Azure reports it when that differs from the inputs (e.g. OssDB), {} when not reported. Set by
    Azure.
    """

    datasource_set_info: pulumi.Output[Any]
    """Datasource set as Azure reports it when that differs from the inputs, {} when not reported. Set by Azure."""

    protection_state: pulumi.Output[str | None]
    """`currentProtectionState`, e.g. `ProtectionConfigured`. Computed by the provider."""

    protection_error: pulumi.Output[ProtectionError | None]
    """`{code, message, recommended_action}` when protection failed, else null. Computed by the provider."""

    datasource_type: pulumi.Output[str | None]
    """The datasource type as Azure reports it. Computed by the provider."""

    newest_recovery_point_time: pulumi.Output[str | None]
    """Time of the instance's newest recovery point (ISO 8601, UTC), null when it has none (a new instance); read after
    every update and `pulumi refresh`. Computed by the provider.
    """

    newest_recovery_point_id: pulumi.Output[str | None]
    """Id (recoveryPointId) of the instance's newest recovery point, null when it has none. Computed by the provider."""

    adoption: pulumi.Output[str | None]
    """What the create did with a resource that already existed (adopted it, with the differences it wrote, or resumed
    this stack's interrupted create); null for a resource this stack created. Computed by the provider.
    """

    def __init__(
        self,
        resource_name: str,
        *,
        vault_id: pulumi.Input[str],
        datasource_kind: pulumi.Input[DatasourceKind],
        datasource_id: pulumi.Input[str],
        policy_id: pulumi.Input[str],
        name: pulumi.Input[str] | None = None,
        database_name: pulumi.Input[str] | None = None,
        datasource_location: pulumi.Input[str] | None = None,
        friendly_name: pulumi.Input[str] | None = None,
        protection: pulumi.Input[Protection] | None = None,
        snapshot_resource_group_id: pulumi.Input[str] | None = None,
        snapshot_volumes: pulumi.Input[bool] | None = None,
        include_cluster_scope_resources: pulumi.Input[bool] | None = None,
        included_namespaces: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        excluded_namespaces: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        included_resource_types: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        excluded_resource_types: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        label_selectors: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        included_volume_types: pulumi.Input[Sequence[pulumi.Input[IncludedVolumeType]]] | None = None,
        backup_hook_references: pulumi.Input[Sequence[pulumi.Input[BackupHookReferenceArgs]]] | None = None,
        containers: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        auto_protection: pulumi.Input[bool] | None = None,
        auto_protection_excluded_prefixes: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        volumes: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        secret_store_uri: pulumi.Input[str] | None = None,
        use_system_assigned_identity: pulumi.Input[bool] | None = None,
        user_assigned_identity_id: pulumi.Input[str] | None = None,
        validation_type: pulumi.Input[ValidationType] | None = None,
        resource_guard_operation_requests: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        tags: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        on_delete: pulumi.Input[OnDelete] | None = None,
        wait_for_protection: pulumi.Input[bool] | None = None,
        allow_replace_with_data: pulumi.Input[bool] | None = None,
        adopt_existing: pulumi.Input[bool] | None = None,
        timeouts: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Declare a BackupInstance.

        :param resource_name: The Pulumi resource name.
        :param vault_id: Id of the backup vault. Required. Changing it replaces the resource.
        :param datasource_kind: What is protected: aks (AKS cluster), disk (managed disk), blob (blob storage
            account), adls (Data Lake Storage account), postgresql (PostgreSQL single-server database),
            postgresql_flexible (PostgreSQL flexible server), mysql_flexible (MySQL flexible server), elastic_san
            (Elastic SAN volume group), cosmos_db (Cosmos DB account). Required. Changing it replaces the resource.
        :param datasource_id: Id of the protected resource (for a PostgreSQL single-server database: the server).
            Required. Changing it replaces the resource.
        :param policy_id: Id of the backup policy (a policy of the same vault, for the same kind of datasource).
            Required.
        :param name: Backup instance name (part of the URL). Changing it replaces the resource. Default: the resource
            name.
        :param database_name: The database of a PostgreSQL single server. Required when datasource_kind is
            postgresql. Changing it replaces the resource.
        :param datasource_location: Region of the protected resource. Changing it replaces the resource. When not
            set, Azure's value is kept.
        :param friendly_name: Display name (default: the resource name, server/database for PostgreSQL). Changing it
            replaces the resource. When not set, derived from the other inputs.
        :param protection: What Azure does with the datasource: configured (backups run on the policy's schedule),
            suspended (suspendBackups: no new backups, recovery points kept as the policy says, the newest for ever)
            or stopped (stopProtection: no new backups, every recovery point kept for ever). A change sends that
            action (back to configured: resumeBackups or resumeProtection); a change made in Azure shows as drift
            after `pulumi refresh`. Default: configured, but an instance adopted with adopt_existing keeps Azure's
            state. When not set, derived from the other inputs.
        :param snapshot_resource_group_id: Resource group holding the operational-tier snapshots (AKS, disks).
            Changing it replaces the resource.
        :param snapshot_volumes: Snapshot persistent volumes. Applies when datasource_kind is aks. Default: true.
        :param include_cluster_scope_resources: Back up cluster-scoped resources. Applies when datasource_kind is
            aks. Default: true.
        :param included_namespaces: Namespaces to back up (all when empty). Applies when datasource_kind is aks.
        :param excluded_namespaces: Namespaces to skip. Applies when datasource_kind is aks.
        :param included_resource_types: Resource types to back up. Applies when datasource_kind is aks.
        :param excluded_resource_types: Resource types to skip. Applies when datasource_kind is aks.
        :param label_selectors: Kubernetes label selectors (app=web, tier!=db, env in (prod,qa), ...). Applies when
            datasource_kind is aks.
        :param included_volume_types: Volume types to snapshot. Applies when datasource_kind is aks.
        :param backup_hook_references: Backup hooks (custom resources) to run around the backup. Applies when
            datasource_kind is aks.
        :param containers: Containers to back up (vaulted blob and ADLS backups). Applies when datasource_kind is
            adls or blob.
        :param auto_protection: Protect every container of the storage account, present and future, instead of
            listing containers (blob and ADLS auto-protection, api-version 2026-06-01). Applies when datasource_kind
            is adls or blob.
        :param auto_protection_excluded_prefixes: Containers whose names start with one of these prefixes are left
            out of auto-protection. Applies when datasource_kind is adls or blob.
        :param volumes: Volumes of the volume group to back up (Elastic SAN volume groups). Required when
            datasource_kind is elastic_san.
        :param secret_store_uri: Key Vault secret holding the database connection credentials. Required when
            datasource_kind is postgresql.
        :param use_system_assigned_identity: Use the vault's system-assigned identity (false when a user-assigned one
            is given). When not set, derived from the other inputs.
        :param user_assigned_identity_id: User-assigned identity of the vault to use for this instance. When not set,
            Azure's value is kept.
        :param validation_type: How deeply Azure validates the request (not stored by Azure). A change of it alone is
            no change of the resource.
        :param resource_guard_operation_requests: Resource guard operation requests authorizing the change (sent with
            the request only). A change of it alone is no change of the resource.
        :param tags: Resource tags.
        :param on_delete: What destroying the resource does: Delete (Azure keeps soft-deleted backups per the vault's
            soft delete setting), StopProtectionRetainData (stop backups, keep recovery points), Suspend (pause
            backups, keep the instance) or Retain (leave it untouched). Default: "Delete".
        :param wait_for_protection: Wait until currentProtectionState is ProtectionConfigured after a create or
            update. Default: true. A change of it alone is no change of the resource.
        :param allow_replace_with_data: Allow a planned replacement (a change Azure cannot make in place, such as
            datasource_id, datasource_location, friendly_name or snapshot_resource_group_id): the old instance is
            removed as on_delete says, so with Delete its recovery points survive only as a soft-deleted instance,
            and only while the vault's soft delete is On or AlwaysOn. Default: false. A change of it alone is no
            change of the resource.
        :param adopt_existing: Take over the existing resource of this name (created outside this stack) instead of
            refusing to: the first `up` writes nothing when it matches the inputs, else only the differences, which
            the preview lists field by field (in the `adoption` output). Needs an explicit `on_delete`. Default:
            false. A change of it alone is no change of the resource.
        :param timeouts: Time limits per operation, e.g. {"create": "60m", "delete": "30m"} (Pulumi customTimeouts do
            not reach dynamic providers); defaults come from dataprotection:timeouts. A change of it alone is no
            change of the resource.
        :param opts: Options of the resource.
        """
        inputs = {
            "vault_id": vault_id,
            "datasource_kind": datasource_kind,
            "datasource_id": datasource_id,
            "policy_id": policy_id,
            "name": name,
            "database_name": database_name,
            "datasource_location": datasource_location,
            "friendly_name": friendly_name,
            "protection": protection,
            "snapshot_resource_group_id": snapshot_resource_group_id,
            "snapshot_volumes": snapshot_volumes,
            "include_cluster_scope_resources": include_cluster_scope_resources,
            "included_namespaces": included_namespaces,
            "excluded_namespaces": excluded_namespaces,
            "included_resource_types": included_resource_types,
            "excluded_resource_types": excluded_resource_types,
            "label_selectors": label_selectors,
            "included_volume_types": included_volume_types,
            "backup_hook_references": backup_hook_references,
            "containers": containers,
            "auto_protection": auto_protection,
            "auto_protection_excluded_prefixes": auto_protection_excluded_prefixes,
            "volumes": volumes,
            "secret_store_uri": secret_store_uri,
            "use_system_assigned_identity": use_system_assigned_identity,
            "user_assigned_identity_id": user_assigned_identity_id,
            "validation_type": validation_type,
            "resource_guard_operation_requests": resource_guard_operation_requests,
            "tags": tags,
            "on_delete": on_delete,
            "wait_for_protection": wait_for_protection,
            "allow_replace_with_data": allow_replace_with_data,
            "adopt_existing": adopt_existing,
            "timeouts": timeouts,
        }
        from pulumi_dataprotection.instance.resource import InstanceProvider

        super().__init__(
            InstanceProvider(),
            resource_name,
            resource_props(InstanceProvider, resource_name, inputs),
            resource_options(InstanceProvider, opts),
        )
