"""What a restore drill restores where, per datasource kind, so a drill never touches the protected data: the source
read from a backup instance body, the datastore to restore from, the scratch target and what to clean up after.

Targets (names end with a drill suffix such as ``drill-20250101t120000-3fa9``; a long source name is shortened, the
suffix kept, so a scratch name never equals the source; a target equal to anything the instance protects, given or
derived, is refused). Each kind's module in :mod:`pulumi_dataprotection.datasources` declares its target; the shared
ones are here:

- AKS: the backed-up namespaces into ``<namespace>-<suffix>`` of the source cluster (or ``target_cluster``);
- vaulted blob/ADLS: every protected container as ``<container>-<suffix>`` in the source account (or
  ``target_account``); operational (continuous) blob backup restores in place only, so its drill validates only;
- PostgreSQL single server: the database as ``<database>_<suffix>`` on the source server (or ``target_server``);
- PostgreSQL/MySQL flexible server: restore as files under ``files_url`` with the prefix ``<server>-<suffix>``;
- managed disk: a new disk ``<disk>-<suffix>`` beside the source disk.

From the ArchiveStore (``datastore="ArchiveStore"``, where the policy moves backups there): the vault-tier target of
the kind (PostgreSQL, flexible servers, vaulted blob/ADLS), restored with rehydration (``DrillOptions.rehydration``:
priority and how long the rehydrated copy is kept).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from pulumi_dataprotection.datasources import DatasourceKind, DrillContext, kind_of_type
from pulumi_dataprotection.restore.requests import (
    ContainerRestore,
    Datastore,
    Rehydration,
    blob_account_target,
    blob_items_target,
    files_target,
)

JSON = dict[str, Any]

# Longest names the owning resource providers accept (containers and namespaces 63, PostgreSQL identifiers 63,
# managed disks 80).
NAME_LIMITS = {"containers": 63, "namespaces": 63, "databases": 63, "disks": 80}

# API versions of the resource providers that own what drills create (for clean-up DELETEs).
CLEANUP_API_VERSIONS = {
    "databases": "2017-12-01",
    "containers": "2023-05-01",
    "disks": "2023-04-02",
}


class DrillError(ValueError):
    """A drill cannot be planned for this instance (the message says what to pass)."""


@dataclass(frozen=True)
class DrillOptions:
    """Where drills restore to; every field is optional."""

    suffix: str
    datastore: str | None = None
    target_cluster: str | None = None
    namespaces: Mapping[str, str] = field(default_factory=dict)
    staging_resource_group: str | None = None
    staging_storage_account: str | None = None
    target_account: str | None = None
    target_server: str | None = None
    target_database: str | None = None
    files_url: str | None = None
    restore_region: str | None = None
    """The region the restore runs in (cross region restore: the vault's paired region); default the source's."""
    rehydration: Rehydration = field(default_factory=Rehydration)
    """How a drill from the ArchiveStore rehydrates the point (priority, retention of the rehydrated copy)."""


@dataclass(frozen=True)
class Source:
    """What a backup instance protects."""

    instance_id: str
    kind: DatasourceKind
    datasource_id: str
    location: str
    policy_id: str
    database: str | None = None
    containers: tuple[str, ...] = ()
    namespaces: tuple[str, ...] = ()
    selectors: tuple[str, ...] = ()
    """The ``resourceSelectors`` of generic datasource parameters (Elastic SAN volumes)."""
    secret_store_uri: str | None = None


@dataclass(frozen=True)
class Cleanup:
    """Something a restore created: an ARM resource to DELETE (with its provider's api-version) or a manual step."""

    resource_id: str | None
    api_version: str | None
    manual: str | None = None


@dataclass(frozen=True)
class DrillTarget:
    """The restore target of a drill and where it restores from."""

    datastore: Datastore
    target: JSON
    destination: str
    cleanup: tuple[Cleanup, ...]
    validate_only: bool = False
    continuous: bool = False


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def source_of(instance: Mapping[str, Any]) -> Source:
    """The source of a BackupInstanceResource body."""
    props = _map(instance.get("properties"))
    info = _map(props.get("dataSourceInfo"))
    kind = kind_of_type(str(info.get("datasourceType") or ""))
    if kind is None:
        raise DrillError(f"unknown datasource type {info.get('datasourceType')!r} of {instance.get('id')}")
    datasource_id = str(info.get("resourceID") or "")
    database = None
    if kind.needs_database:
        server, _, database = datasource_id.rpartition("/databases/")
        datasource_id = str(_map(props.get("dataSourceSetInfo")).get("resourceID") or server)
    policy = _map(props.get("policyInfo"))
    params = _map(policy.get("policyParameters")).get("backupDatasourceParametersList") or []
    containers = tuple(c for p in params for c in _map(p).get("containersList") or [])
    namespaces = tuple(n for p in params for n in _map(p).get("includedNamespaces") or [])
    selectors = tuple(r for p in params for r in _map(p).get("resourceSelectors") or [])
    secret = _map(_map(props.get("datasourceAuthCredentials")).get("secretStoreResource")).get("uri")
    return Source(
        instance_id=str(instance.get("id")),
        kind=kind,
        datasource_id=datasource_id,
        location=str(info.get("resourceLocation") or ""),
        policy_id=str(policy.get("policyId") or ""),
        database=database or None,
        containers=containers,
        namespaces=namespaces,
        selectors=selectors,
        secret_store_uri=secret if isinstance(secret, str) else None,
    )


def backup_datastores(policy: Mapping[str, Any] | None) -> tuple[set[str], bool]:
    """The datastores a policy backs up to (its backup rules and copies), and whether its operational backup is
    continuous (an OperationalStore retention rule without a backup rule on that store)."""
    rules = [_map(r) for r in _map(_map(policy).get("properties")).get("policyRules") or []]
    scheduled = {
        str(_map(r.get("dataStore")).get("dataStoreType")) for r in rules if r.get("objectType") == "AzureBackupRule"
    }
    stores = set(scheduled)
    operational_retention = False
    for rule in rules:
        for lifecycle in rule.get("lifecycles") or []:
            source = str(_map(_map(lifecycle).get("sourceDataStore")).get("dataStoreType"))
            operational_retention |= source == "OperationalStore"
            for copy in _map(lifecycle).get("targetDataStoreCopySettings") or []:
                stores.add(str(_map(_map(copy).get("dataStore")).get("dataStoreType")))
    continuous = operational_retention and "OperationalStore" not in scheduled
    if continuous:
        stores.add("OperationalStore")
    return stores, continuous


def name_of(arm_id: str) -> str:
    """The last segment of an ARM id (the resource's name)."""
    return arm_id.rstrip("/").rsplit("/", 1)[-1]


def scratch_name(source: str, suffix: str, *, limit: int, sep: str = "-") -> str:
    """``<source><sep><suffix>`` within ``limit`` characters: the source part is shortened (and stripped of trailing
    separators), the suffix always kept whole."""
    room = limit - len(suffix) - len(sep)
    head = source[: max(room, 0)].rstrip("-_")
    if not head:
        raise DrillError(
            f"the drill suffix {suffix!r} leaves no room for the name of {source!r}: pass a shorter --suffix"
        )
    return f"{head}{sep}{suffix}"


def refuse_protected(kind: str, targets: Iterable[str], protected: Iterable[str]) -> None:
    """Raise DrillError when a scratch target names something the instance protects (compared case-insensitively,
    as Azure compares resource names)."""
    taken = {p.lower() for p in protected}
    for target in targets:
        if target.lower() in taken:
            raise DrillError(
                f"the scratch {kind} {target!r} is a {kind} the instance protects: a drill never restores onto, or "
                "cleans up, the source; pass another name or --suffix"
            )


def plan(source: Source, policy: Mapping[str, Any] | None, options: DrillOptions) -> DrillTarget:
    """The drill's target for ``source`` (raises DrillError when an option is needed or a target would be one of
    the instance's protected datasource, containers, namespaces or database): the kind's declared restore target."""
    stores, continuous = backup_datastores(policy)
    if options.datastore == "ArchiveStore":
        return _archive(source, stores, policy, options)
    if source.kind.restore_target is None:
        raise DrillError(f"restore drills do not cover {source.kind.title} yet")
    return source.kind.restore_target(source, DrillContext(stores, continuous, options))


def _archive(source: Source, stores: set[str], policy: Mapping[str, Any] | None, options: DrillOptions) -> DrillTarget:
    """The vault-tier target of the kind, restored from the ArchiveStore (after rehydration)."""
    if "ArchiveStore" not in stores:
        raise DrillError("the instance's policy moves no backups to the ArchiveStore")
    if source.kind.key in ("aks", "disk"):
        raise DrillError(f"restore drills from the ArchiveStore do not cover {source.kind.title}")
    target = plan(source, policy, replace(options, datastore="VaultStore"))
    if target.datastore != "VaultStore":
        raise DrillError(f"{source.kind.title} backups are not restored from the vault tier, so not from the archive")
    return replace(target, datastore="ArchiveStore")


def as_files(source: Source, ctx: DrillContext) -> DrillTarget:
    """Restore target of the kinds whose backups restore as files (PostgreSQL/MySQL flexible servers): the blobs
    under ``files_url`` with the prefix ``<server>-<suffix>``."""
    options = ctx.options
    if not options.files_url:
        raise DrillError(
            f"{source.kind.title} backups restore as files: pass --files-url https://<account>.blob.core."
            "windows.net/<scratch container>"
        )
    prefix = f"{name_of(source.datasource_id)}-{options.suffix}"
    target = files_target(options.files_url, prefix, restore_location=options.restore_region or source.location)
    url = f"{options.files_url.rstrip('/')}/{prefix}"
    manual = f"delete the blobs with prefix {prefix!r} in {options.files_url}"
    return DrillTarget("VaultStore", target, url, (Cleanup(None, None, manual),))


def blobs(source: Source, ctx: DrillContext) -> DrillTarget:
    """Restore target of blob and ADLS instances: vaulted backups item by item into renamed containers, or a
    validate-only point-in-time restore of continuous operational backups."""
    stores, continuous, options = ctx.stores, ctx.continuous, ctx.options
    account = options.target_account or source.datasource_id
    if "VaultStore" in stores and (options.datastore or "VaultStore") == "VaultStore":
        if not source.containers:
            raise DrillError("the instance names no containers to restore")
        restores = [
            ContainerRestore(c, rename_to=scratch_name(c, options.suffix, limit=NAME_LIMITS["containers"]))
            for c in source.containers
        ]
        refuse_protected("container", [r.rename_to or "" for r in restores], source.containers)
        target = blob_items_target(
            account,
            source.location,
            restores,
            kind="adls" if source.kind.key == "adls" else "blob",
            restore_location=options.restore_region,
        )
        containers = [f"{account}/blobServices/default/containers/{r.rename_to}" for r in restores]
        cleanup = tuple(Cleanup(c, CLEANUP_API_VERSIONS["containers"]) for c in containers)
        return DrillTarget("VaultStore", target, account, cleanup)
    if continuous:
        target = blob_account_target(
            account,
            source.location,
            kind="adls" if source.kind.key == "adls" else "blob",
            restore_location=options.restore_region,
        )
        # operational blob restores overwrite the source account: validate the request, never run it
        return DrillTarget("OperationalStore", target, account, (), validate_only=True, continuous=True)
    raise DrillError("the instance's policy keeps no blob backups a drill can restore")
