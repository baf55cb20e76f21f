"""Datasources the emulator can protect: known datasource types, and the optional strict registry of resources.

By default any well-formed resource id is accepted as an existing datasource. With a registry file
(``--datasources FILE``) only the listed resources exist, so validateForBackup and instance creation fail for the
others the way Azure fails for a resource that is missing.

Registry file: JSON, either a list or ``{"datasources": [...]}``; each entry is a resource id string or an object
``{"id": "/subscriptions/.../providers/Microsoft.Compute/disks/d1", "location": "westus"}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pulumi_dataprotection.emulator.errors import ServiceError


@dataclass(frozen=True)
class DatasourceKind:
    """A datasource type of the service and the ARM resource type its ``resourceID`` points at."""

    datasource_type: str
    resource_type: str
    missing_code: str
    missing_message: str


_GENERIC_MISSING = (
    "UserErrorGenericResourceNotFound",
    "Azure resource does not exist. Please make sure required resources exist. "
    "If the issue persists, contact Microsoft support.",
)

KINDS: tuple[DatasourceKind, ...] = (
    DatasourceKind(
        "Microsoft.Compute/disks",
        "Microsoft.Compute/disks",
        "UserErrorManagedDiskNotFound",
        "Could not perform the operation as Managed Disk no longer exists.",
    ),
    DatasourceKind(
        "Microsoft.Storage/storageAccounts/blobServices", "Microsoft.Storage/storageAccounts", *_GENERIC_MISSING
    ),
    DatasourceKind(
        "Microsoft.Storage/storageAccounts/adlsBlobServices", "Microsoft.Storage/storageAccounts", *_GENERIC_MISSING
    ),
    DatasourceKind(
        "Microsoft.ContainerService/managedClusters", "Microsoft.ContainerService/managedClusters", *_GENERIC_MISSING
    ),
    DatasourceKind(
        "Microsoft.DBforPostgreSQL/flexibleServers", "Microsoft.DBforPostgreSQL/flexibleServers", *_GENERIC_MISSING
    ),
    DatasourceKind(
        "Microsoft.DBforPostgreSQL/servers/databases", "Microsoft.DBforPostgreSQL/servers/databases", *_GENERIC_MISSING
    ),
    DatasourceKind("Microsoft.DBforMySQL/flexibleServers", "Microsoft.DBforMySQL/flexibleServers", *_GENERIC_MISSING),
    DatasourceKind(
        "Microsoft.ElasticSan/elasticSans/volumeGroups",
        "Microsoft.ElasticSan/elasticSans/volumeGroups",
        *_GENERIC_MISSING,
    ),
    DatasourceKind("Microsoft.DocumentDB/databaseAccounts", "Microsoft.DocumentDB/databaseAccounts", *_GENERIC_MISSING),
)

# Legacy aliases the service still returns (e.g. "OssDB" for PostgreSQL single-server databases).
_ALIASES = {"ossdb": "Microsoft.DBforPostgreSQL/servers/databases"}


def kind_of(datasource_type: str) -> DatasourceKind | None:
    """The known datasource kind of a ``datasourceType`` (case-insensitive, aliases resolved)."""
    wanted = _ALIASES.get(datasource_type.lower(), datasource_type).lower()
    return next((k for k in KINDS if k.datasource_type.lower() == wanted), None)


def same_type(a: str, b: str) -> bool:
    """Whether two datasourceType strings name the same datasource type."""
    ka, kb = kind_of(a), kind_of(b)
    if ka and kb:
        return ka == kb
    return a.lower() == b.lower()


def resource_type_of(resource_id: str) -> str:
    """The ARM type of a resource id, e.g. ``Microsoft.Compute/disks``."""
    parts = [p for p in resource_id.split("/") if p]
    lowered = [p.lower() for p in parts]
    if "providers" not in lowered:
        return ""
    i = len(lowered) - 1 - lowered[::-1].index("providers")
    namespace, rest = parts[i + 1], parts[i + 2 :]
    return "/".join([namespace, *rest[0::2]])


class Registry:
    """The strict registry of existing datasources (absent = every well-formed id exists)."""

    def __init__(self, entries: dict[str, str] | None = None) -> None:
        self._entries = entries

    @property
    def strict(self) -> bool:
        """Whether only registered datasources exist."""
        return self._entries is not None

    @classmethod
    def load(cls, path: Path) -> Registry:
        """Read a registry file (see the module docstring for the format)."""
        try:
            data: Any = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"cannot read the datasource registry {path}: {exc}") from exc
        items = data.get("datasources", []) if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise ValueError(f"{path}: expected a list of datasources or {{'datasources': [...]}}")
        entries: dict[str, str] = {}
        for item in items:
            rid = item if isinstance(item, str) else item.get("id") if isinstance(item, dict) else None
            if not isinstance(rid, str) or not rid.lower().startswith("/subscriptions/"):
                raise ValueError(f"{path}: {item!r} is not a resource id or an object with an 'id'")
            location = item.get("location", "") if isinstance(item, dict) else ""
            entries[rid.lower()] = str(location)
        return cls(entries)

    def add(self, resource_id: str, location: str = "") -> None:
        """Register a datasource at runtime (turns strict mode on)."""
        if self._entries is None:
            self._entries = {}
        self._entries[resource_id.lower()] = location

    def location(self, resource_id: str) -> str:
        """The registered location of a datasource ("" when unknown or not registered)."""
        return (self._entries or {}).get(resource_id.lower(), "")

    def check_exists(self, resource_id: str, datasource_type: str) -> None:
        """Raise the error Azure gives when the datasource of a backup instance does not exist."""
        if self._entries is None or resource_id.lower() in self._entries:
            return
        kind = kind_of(datasource_type)
        code, message = (kind.missing_code, kind.missing_message) if kind else _GENERIC_MISSING
        raise ServiceError(
            400,
            code,
            message,
            recommended=[f"Make sure the datasource {resource_id} exists, then retry the operation."],
        )
