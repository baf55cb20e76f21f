"""The catalog of datasource kinds Azure Data Protection backs up: the type strings with the casing Azure uses,
how instances describe the datasource, and what each kind's policies may contain (datastores, schedules).

Sources: the 2025-09-01 spec examples, real Azure exchanges (the azure-cli-extensions recordings), the
per-datasource manifests of the az ``dataprotection`` CLI extension that the recordings were made with, and the
Terraform azurerm acceptance configurations (``internal/services/dataprotection/*_test.go``, run by HashiCorp against
real Azure). Where a configuration Azure accepted contradicts a manifest, the catalog follows Azure: retention tag
names are free (Terraform's ADLS and PostgreSQL flexible tests tag ``weekly``, ``thursday`` and ``monthly``, its disk
test ``Monthly`` and ``Yearly``, its vaulted blob test ``Daily``), and AKS schedules may be weekly (its AKS tests
back up every ``P1W``). docs/emulator.md ("Validation rules and their evidence") lists every rule with its source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SetInfo = Literal["none", "self", "parent"]


@dataclass(frozen=True)
class DatasourceKind:
    """One kind of datasource (``aks``, ``blob``, ...) and the rules Azure applies to it."""

    key: str
    title: str
    datasource_type: str
    """``dataSourceInfo.datasourceType`` and the policy's ``datasourceTypes`` entry, as Azure spells them."""
    resource_type: str
    """``dataSourceInfo.resourceType`` (AKS: lower-case ``managedclusters``, as Azure and the CLI send it)."""
    id_type: str
    """The resource type of the id a user gives (the server for PostgreSQL single-server databases)."""
    aliases: tuple[str, ...] = ()
    """Other spellings of ``datasource_type`` Azure uses in responses and policies (``OssDB``)."""
    set_info: SetInfo = "none"
    """``dataSourceSetInfo``: none, the datasource itself, or its parent (the PostgreSQL server)."""
    set_resource_type: str = ""
    send_resource_uri: bool = True
    """Whether ``resourceUri`` carries the id (the CLI sends an empty string for PostgreSQL single server)."""
    backup_datastores: tuple[str, ...] = ()
    retention_datastores: tuple[str, ...] = ()
    copy_targets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Allowed lifecycle copies: source datastore -> target datastores."""
    backup_types: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()
    """Allowed schedule periods of repeating intervals (``PT4H``, ``P1D``, ``P1W``): the CLI manifest's, widened by
    what Azure accepted from Terraform's acceptance tests."""
    backup_rule_optional: bool = False
    """True when a policy may hold retention only (operational blob backup is continuous)."""
    needs_snapshot_resource_group: bool = False
    container_parameters: str = ""
    """``objectType`` of the datasource parameters carrying the container list, if the kind has containers."""
    needs_containers: bool = False
    needs_secret_store: bool = False
    needs_database: bool = False
    operational_max_days: int | None = None
    """The longest operational-tier (snapshot) retention Azure allows, in days, where documented."""

    @property
    def all_type_names(self) -> tuple[str, ...]:
        """The datasource type and its aliases."""
        return (self.datasource_type, *self.aliases)


_HOURS = ("PT1H", "PT2H", "PT4H", "PT6H", "PT8H", "PT12H")


def _weekly_database_rules() -> dict[str, Any]:
    """What the database kinds' policies may hold: weekly full backups to VaultStore, copies to ArchiveStore."""
    return {
        "backup_datastores": ("VaultStore",),
        "retention_datastores": ("VaultStore", "ArchiveStore"),
        "copy_targets": {"VaultStore": ("ArchiveStore",)},
        "backup_types": ("Full",),
        "periods": ("P1W",),
    }


KINDS: dict[str, DatasourceKind] = {
    k.key: k
    for k in (
        DatasourceKind(
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
            # "This solution allows you to retain your data for restore for up to 360 days" (Azure: back up AKS).
            operational_max_days=360,
        ),
        DatasourceKind(
            key="disk",
            title="managed disk",
            datasource_type="Microsoft.Compute/disks",
            resource_type="Microsoft.Compute/disks",
            id_type="Microsoft.Compute/disks",
            backup_datastores=("OperationalStore",),
            retention_datastores=("OperationalStore",),
            backup_types=("Incremental",),
            periods=(*_HOURS, "P1D"),
            needs_snapshot_resource_group=True,
        ),
        DatasourceKind(
            key="blob",
            title="blob storage account",
            datasource_type="Microsoft.Storage/storageAccounts/blobServices",
            resource_type="Microsoft.Storage/storageAccounts",
            id_type="Microsoft.Storage/storageAccounts",
            set_info="self",
            backup_datastores=("VaultStore",),
            retention_datastores=("OperationalStore", "VaultStore"),
            backup_types=("Discrete",),
            periods=("P1D", "P1W"),
            backup_rule_optional=True,
            container_parameters="BlobBackupDatasourceParameters",
            # "The backup policy can have a maximum retention of 360 days" (Azure: operational backup for blobs).
            operational_max_days=360,
        ),
        DatasourceKind(
            key="adls",
            title="Data Lake Storage account",
            datasource_type="Microsoft.Storage/storageAccounts/adlsBlobServices",
            resource_type="Microsoft.Storage/storageAccounts",
            id_type="Microsoft.Storage/storageAccounts",
            set_info="self",
            backup_datastores=("VaultStore",),
            retention_datastores=("VaultStore",),
            backup_types=("Discrete",),
            periods=("P1D", "P1W"),
            container_parameters="AdlsBlobBackupDatasourceParameters",
            needs_containers=True,
        ),
        DatasourceKind(
            key="postgresql",
            title="PostgreSQL single-server database",
            datasource_type="Microsoft.DBforPostgreSQL/servers/databases",
            resource_type="Microsoft.DBforPostgreSQL/servers/databases",
            id_type="Microsoft.DBforPostgreSQL/servers",
            aliases=("OssDB",),
            set_info="parent",
            set_resource_type="Microsoft.DBforPostgreSQL/servers",
            send_resource_uri=False,
            **_weekly_database_rules(),
            needs_secret_store=True,
            needs_database=True,
        ),
        DatasourceKind(
            key="postgresql_flexible",
            title="PostgreSQL flexible server",
            datasource_type="Microsoft.DBforPostgreSQL/flexibleServers",
            resource_type="Microsoft.DBforPostgreSQL/flexibleServers",
            id_type="Microsoft.DBforPostgreSQL/flexibleServers",
            **_weekly_database_rules(),
        ),
        DatasourceKind(
            key="mysql_flexible",
            title="MySQL flexible server",
            datasource_type="Microsoft.DBforMySQL/flexibleServers",
            resource_type="Microsoft.DBforMySQL/flexibleServers",
            id_type="Microsoft.DBforMySQL/flexibleServers",
            **_weekly_database_rules(),
        ),
    )
}

DATASOURCE_TYPE_NAMES: tuple[str, ...] = tuple(name for kind in KINDS.values() for name in kind.all_type_names)
"""Every datasource type string of the catalog (primary spellings and aliases)."""

TAG_PRIORITIES: dict[str, int] = {"Default": 99, "Daily": 25, "Weekly": 20, "Monthly": 15, "Yearly": 10}
"""Tagging priorities Azure's own tooling assigns to the usual retention tags (lower wins when a backup matches two):
defaults only; any other tag name needs its priority given."""


def kind_of_type(datasource_type: str) -> DatasourceKind | None:
    """The kind a datasource type string (any casing, aliases included) belongs to."""
    wanted = datasource_type.strip().lower()
    for kind in KINDS.values():
        if wanted in (name.lower() for name in kind.all_type_names):
            return kind
    return None


def datasource_blocks(
    kind: DatasourceKind, arm_id: str, location: str, database: str | None = None
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """``(dataSourceInfo, dataSourceSetInfo or None)`` of a datasource, as Azure and the CLI spell them (used by
    backup instances and by restore targets). ``arm_id`` is the id a user gives (the server for database kinds)."""
    if kind.needs_database:
        resource_id, name = f"{arm_id}/databases/{database or ''}", database or ""
    else:
        resource_id, name = arm_id, arm_id.rstrip("/").rsplit("/", 1)[-1]
    info = {
        "datasourceType": kind.datasource_type,
        "objectType": "Datasource",
        "resourceID": resource_id,
        "resourceLocation": location,
        "resourceName": name,
        "resourceType": kind.resource_type,
        "resourceUri": resource_id if kind.send_resource_uri else "",
    }
    if kind.set_info == "self":
        return info, {**info, "objectType": "DatasourceSet"}
    if kind.set_info == "parent":
        return info, {
            "datasourceType": kind.datasource_type,
            "objectType": "DatasourceSet",
            "resourceID": arm_id,
            "resourceLocation": location,
            "resourceName": arm_id.rstrip("/").rsplit("/", 1)[-1],
            "resourceType": kind.set_resource_type,
            "resourceUri": arm_id if kind.send_resource_uri else "",
        }
    return info, None
