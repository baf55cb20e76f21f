"""The AKS cluster kind: its catalog entry, recommended policy, roles and restore drill target."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pulumi_dataprotection.datasources.kind import EXAMPLE_GROUPS, DatasourceKind, DrillContext, RoleRow

if TYPE_CHECKING:
    from pulumi_dataprotection.policy.builders import PolicyInputs
    from pulumi_dataprotection.restore.drill import DrillTarget, Source


def default_policy() -> PolicyInputs:
    """Recommended AKS backup policy: a snapshot every 4 hours kept 7 days in the operational tier, and the first
    backup of each day also copied to the vault tier and kept 30 days there, so it survives the loss of the
    cluster's subscription.
    """
    from pulumi_dataprotection.policy.builders import Retention, Schedule, TaggedRetention, aks_policy, first_of

    return aks_policy(
        Schedule.hourly(4),
        Retention("P7D"),
        tagged=[TaggedRetention("Daily", "P7D", first_of("day"), vault_copy_keep_for="P30D")],
    )


def _drill(source: Source, ctx: DrillContext) -> DrillTarget:
    """The backed-up namespaces into ``<namespace>-<suffix>`` of the source cluster (or ``target_cluster``)."""
    from pulumi_dataprotection.restore.drill import (
        NAME_LIMITS,
        Cleanup,
        DrillError,
        DrillTarget,
        name_of,
        refuse_protected,
        scratch_name,
    )
    from pulumi_dataprotection.restore.requests import aks_target

    options = ctx.options
    mappings = dict(options.namespaces) or {
        ns: scratch_name(ns, options.suffix, limit=NAME_LIMITS["namespaces"]) for ns in source.namespaces
    }
    if not mappings:
        raise DrillError(
            "the AKS instance backs up every namespace: pass --namespace SOURCE=SCRATCH for the namespaces to restore"
        )
    refuse_protected("namespace", mappings.values(), [*source.namespaces, *mappings])
    vault_tier = (options.datastore or "OperationalStore") == "VaultStore"
    if vault_tier and "VaultStore" not in ctx.stores:
        raise DrillError("the instance's policy keeps no AKS backups in the vault tier")
    if vault_tier and not (options.staging_resource_group and options.staging_storage_account):
        raise DrillError("a vault tier AKS drill needs --staging-resource-group and --staging-storage-account")
    cluster = options.target_cluster or source.datasource_id
    target = aks_target(
        cluster,
        source.location,
        namespace_mappings=mappings,
        vault_tier=vault_tier,
        staging_resource_group_id=options.staging_resource_group,
        staging_storage_account_id=options.staging_storage_account,
        restore_location=options.restore_region,
    )
    cleanup = tuple(
        Cleanup(None, None, f"kubectl delete namespace {ns} (cluster {name_of(cluster)})") for ns in mappings.values()
    )
    return DrillTarget("VaultStore" if vault_tier else "OperationalStore", target, cluster, cleanup)


KIND = DatasourceKind(
    key="aks",
    title="AKS cluster",
    datasource_type="Microsoft.ContainerService/managedClusters",
    resource_type="Microsoft.ContainerService/managedclusters",
    id_type="Microsoft.ContainerService/managedClusters",
    set_info="self",
    backup_datastores=("OperationalStore",),
    retention_datastores=("OperationalStore", "VaultStore"),
    copy_targets={"OperationalStore": ("VaultStore",)},
    backup_types=("Incremental",),
    # P1W: Terraform's AKS policy tests (basic, complete) back up every P1W and Azure accepted them.
    periods=("PT4H", "PT6H", "PT8H", "PT12H", "P1D", "P1W"),
    needs_snapshot_resource_group=True,
    order=1,
    default_policy=default_policy,
    roles=(
        RoleRow(
            identity="vault",
            role="Reader",
            scope="datasource",
            purpose="backup",
            reason="read the cluster",
        ),
        RoleRow(
            identity="vault",
            role="Reader",
            scope="snapshot_resource_group",
            purpose="backup",
            reason="read the volume snapshots",
        ),
        RoleRow(
            identity="vault",
            role="Disk Snapshot Contributor",
            scope="snapshot_resource_group",
            purpose="backup",
            reason="manage the volume snapshots (granted by az dataprotection enable-backup)",
        ),
        RoleRow(
            identity="vault",
            role="Storage Blob Data Reader",
            scope="extension_storage_account",
            purpose="backup",
            reason="read the cluster state the extension writes (granted by az dataprotection enable-backup)",
        ),
        RoleRow(
            identity="cluster",
            role="Contributor",
            scope="snapshot_resource_group",
            purpose="backup",
            reason="create the volume snapshots",
        ),
        RoleRow(
            identity="extension",
            role="Storage Blob Data Contributor",
            scope="extension_storage_account",
            purpose="backup",
            reason="write the backed-up cluster resources",
        ),
    ),
    trusted_access_roles=("Microsoft.DataProtection/backupVaults/backup-operator",),
    restore_target=_drill,
    example={
        "datasource_id": f"{EXAMPLE_GROUPS}/rg-data/providers/Microsoft.ContainerService/managedClusters/aks-shop",
        "snapshot_resource_group_id": f"{EXAMPLE_GROUPS}/rg-snapshots",
    },
    # "This solution allows you to retain your data for restore for up to 360 days" (Azure: back up AKS).
    operational_max_days=360,
)
