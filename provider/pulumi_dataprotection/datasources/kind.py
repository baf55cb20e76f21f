"""What a datasource kind is: the catalog entry (:class:`DatasourceKind`, with its default policy, role rows and
restore drill target) and the ``dataSourceInfo`` blocks instances and restores send. One module per kind in this
package declares a ``KIND``; :mod:`pulumi_dataprotection.datasources` collects them.

Sources of the entries: the 2025-09-01 spec examples, real Azure exchanges (the azure-cli-extensions recordings), the
per-datasource manifests of the az ``dataprotection`` CLI extension that the recordings were made with, and the
Terraform azurerm acceptance configurations (``internal/services/dataprotection/*_test.go``, run by HashiCorp against
real Azure). Where a configuration Azure accepted contradicts a manifest, the catalog follows Azure: retention tag
names are free (Terraform's ADLS and PostgreSQL flexible tests tag ``weekly``, ``thursday`` and ``monthly``, its disk
test ``Monthly`` and ``Yearly``, its vaulted blob test ``Daily``), and AKS schedules may be weekly (its AKS tests
back up every ``P1W``). docs/emulator.md ("Validation rules and their evidence") lists every rule with its source.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from pulumi_dataprotection.policy.builders import PolicyInputs
    from pulumi_dataprotection.restore.drill import DrillOptions, DrillTarget, Source
    from pulumi_dataprotection.schema import ObjectType

SetInfo = Literal["none", "self", "parent", "container"]
Identity = Literal["vault", "cluster", "extension"]
Purpose = Literal["backup", "restore"]


@dataclass(frozen=True)
class RoleRow:
    """One role a backup needs: ``identity`` needs ``role`` on ``scope`` (a scope kind of the permissions table, such
    as ``datasource``), at backup or restore time, and why."""

    identity: Identity
    role: str
    scope: str
    purpose: Purpose
    reason: str


@dataclass(frozen=True)
class DrillContext:
    """What a restore drill target is planned from: the datastores the policy backs up to, whether its operational
    backup is continuous, and the drill's options."""

    stores: set[str]
    continuous: bool
    options: DrillOptions


RestoreTarget = Callable[["Source", DrillContext], "DrillTarget"]
"""A kind's restore drill target: where a drill of one of its instances restores to (raises ``DrillError``)."""


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
    default_policy: Callable[[], PolicyInputs] | None = None
    """The recommended policy (``policy-template`` prints this function's body as Python and its result as REST)."""
    roles: tuple[RoleRow, ...] = ()
    """The role assignments its backups (and restores) need."""
    trusted_access_roles: tuple[str, ...] = ()
    """AKS trusted-access roles the vault needs on the cluster."""
    restore_target: RestoreTarget | None = None
    example: dict[str, Any] = field(default_factory=dict)
    """The datasource inputs of an example BackupInstance of the kind (``datasource_id`` and what it needs), ids in
    :data:`EXAMPLE_SUBSCRIPTION`: what the coverage guards protect on the emulator and drill."""
    instance_parameters: ObjectType | None = None
    """The kind's own BackupInstance inputs, rendered as its ``backupDatasourceParametersList`` item (kinds whose
    parameters the instance schema does not declare itself)."""
    since: str = ""
    """The first api-version whose spec has the kind (empty: every version the provider speaks)."""
    order: int = 100
    """Where the kind is listed (enumerations, help texts): ascending, then by key."""
    aliases: tuple[str, ...] = ()
    """Other spellings of ``datasource_type`` Azure uses in responses and policies (``OssDB``)."""
    set_info: SetInfo = "none"
    """``dataSourceSetInfo``: none, the datasource itself, its parent given as the id (the PostgreSQL server), or the
    resource containing the datasource given as the id (the Elastic SAN of a volume group)."""
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
    max_backup_rules: int = 1
    """How many backup rules a policy may hold (Cosmos DB: a weekly full and a daily incremental rule)."""
    required_backup_type: str = ""
    """A backup type one of the policy's backup rules must have (Cosmos DB: Full, incremental-only is refused)."""
    geo_redundant_vault: bool = False
    """Azure documents that the kind's backups go to a geo-redundant vault (the preview warns for another vault of the
    program)."""
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

    def version_problem(self, api_version: str) -> str | None:
        """Why requests at ``api_version`` cannot carry this kind (its spec does not have it), or None."""
        if api_version >= self.since:
            return None
        return (
            f"{self.title} backups need api-version {self.since} or later, but the provider is configured for "
            f"{api_version}, whose spec has no {self.datasource_type} datasources; set dataprotection:apiVersion to "
            f"{self.since} or later"
        )


EXAMPLE_SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
"""The subscription of the example datasources' ids."""
EXAMPLE_GROUPS = f"/subscriptions/{EXAMPLE_SUBSCRIPTION}/resourceGroups"
"""Where the examples' resource groups are (``rg-data`` holds the datasources, ``rg-snapshots`` the snapshots)."""

HOURS = ("PT1H", "PT2H", "PT4H", "PT6H", "PT8H", "PT12H")
"""Hourly schedule periods."""

WEEKLY_DATABASE_RULES: dict[str, Any] = {
    "backup_datastores": ("VaultStore",),
    "retention_datastores": ("VaultStore", "ArchiveStore"),
    "copy_targets": {"VaultStore": ("ArchiveStore",)},
    "backup_types": ("Full",),
    "periods": ("P1W",),
}
"""What the database kinds' policies may hold: weekly full backups to VaultStore, copies to ArchiveStore."""

TAG_PRIORITIES: dict[str, int] = {"Default": 99, "Daily": 25, "Weekly": 20, "Monthly": 15, "Yearly": 10}
"""Tagging priorities Azure's own tooling assigns to the usual retention tags (lower wins when a backup matches two):
defaults only; any other tag name needs its priority given."""


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
    if kind.set_info == "container":
        container = arm_id.rstrip("/").rsplit("/", 2)[0]
        return info, {
            "datasourceType": kind.datasource_type,
            "objectType": "DatasourceSet",
            "resourceID": container,
            "resourceLocation": location,
            "resourceName": container.rsplit("/", 1)[-1],
            "resourceType": kind.set_resource_type,
            "resourceUri": container if kind.send_resource_uri else "",
        }
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
