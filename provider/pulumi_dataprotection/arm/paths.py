"""Safe ARM paths: validated, escaped resource ids and what a request path says (resource type, vault, safety)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from pulumi_dataprotection.arm.errors import InvalidNameError

DATA_PROTECTION = "Microsoft.DataProtection"
BACKUP_VAULTS = "backupVaults"
BACKUP_POLICIES = "backupPolicies"
BACKUP_INSTANCES = "backupInstances"
DELETED_BACKUP_INSTANCES = "deletedBackupInstances"
BACKUP_JOBS = "backupJobs"
DELETED_VAULTS = "deletedVaults"

_FORBIDDEN = ("/", "?", "#", "%", "\\", "..")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# POST actions that only read or validate: safe to retry and not serialized as vault writes.
READ_ONLY_ACTIONS = frozenset(
    a.lower()
    for a in (
        "validateForBackup",
        "validateRestore",
        "validateForModifyBackup",
        "validateCrossRegionRestore",
        "findRestorableTimeRanges",
        "checkFeatureSupport",
        "checkNameAvailability",
        "fetchCrossRegionRestoreJob",
        "fetchCrossRegionRestoreJobs",
        "fetchSecondaryRecoveryPoints",
    )
)
_WRITE_METHODS = frozenset({"PUT", "PATCH", "DELETE", "POST"})
_INSTANCE_COLLECTIONS = frozenset({BACKUP_INSTANCES.lower(), DELETED_BACKUP_INSTANCES.lower()})


def check_name(value: str, what: str = "name") -> str:
    """Return `value` if it is usable as one ARM path segment, else raise InvalidNameError (nothing is sent)."""
    if not isinstance(value, str) or not value:
        raise InvalidNameError(f"{what} must be a non-empty string, got {value!r}", resource=str(value))
    problems = [repr(bad) for bad in _FORBIDDEN if bad in value]
    if _CONTROL.search(value):
        problems.append("control characters")
    if value != value.strip():
        problems.append("leading or trailing whitespace")
    if problems:
        raise InvalidNameError(f"invalid {what} {value!r}: it contains {', '.join(problems)}", resource=value)
    return value


def segment(value: str, what: str = "name") -> str:
    """Validate and percent-escape one path segment."""
    return quote(check_name(value, what), safe="")


@dataclass(frozen=True)
class ResourceId:
    """An ARM resource id built from validated parts; `path` is the escaped request path."""

    subscription_id: str
    resource_group: str | None = None
    namespace: str | None = None
    segments: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        check_name(self.subscription_id, "subscription id")
        if self.resource_group is not None:
            check_name(self.resource_group, "resource group name")
        if self.namespace is not None:
            check_name(self.namespace, "resource provider namespace")
        elif self.segments:
            raise InvalidNameError("a resource id with child resources needs a provider namespace")
        for type_, name in self.segments:
            check_name(type_, "resource type")
            check_name(name, f"{type_} name")

    @property
    def path(self) -> str:
        """The escaped path, e.g. /subscriptions/s/resourceGroups/rg/providers/Microsoft.DataProtection/..."""
        out = f"/subscriptions/{segment(self.subscription_id)}"
        if self.resource_group is not None:
            out += f"/resourceGroups/{segment(self.resource_group)}"
        if self.namespace is not None:
            out += f"/providers/{segment(self.namespace)}"
        for type_, name in self.segments:
            out += f"/{segment(type_)}/{segment(name)}"
        return out

    @property
    def name(self) -> str | None:
        """The last name in the id (the resource's own name)."""
        return self.segments[-1][1] if self.segments else self.resource_group

    @property
    def resource_type(self) -> str | None:
        """Full type, e.g. Microsoft.DataProtection/backupVaults/backupInstances."""
        if self.namespace is None or not self.segments:
            return None
        return "/".join([self.namespace, *(t for t, _ in self.segments)])

    @property
    def parent(self) -> ResourceId | None:
        """The id one level up: a child's parent resource, a top-level resource's group, a group's subscription
        (None above a subscription)."""
        if len(self.segments) > 1:
            return ResourceId(self.subscription_id, self.resource_group, self.namespace, self.segments[:-1])
        if self.segments:
            return ResourceId(self.subscription_id, self.resource_group)
        return ResourceId(self.subscription_id) if self.resource_group is not None else None

    @property
    def vault(self) -> ResourceId:
        """The backup vault this id is or is under; InvalidNameError for an id outside a Data Protection vault."""
        if (
            (self.namespace or "").lower() != DATA_PROTECTION.lower()
            or not self.segments
            or self.segments[0][0].lower() != BACKUP_VAULTS.lower()
        ):
            raise InvalidNameError(f"{self.path} is not a backup vault id nor under one", resource=self.path)
        return ResourceId(self.subscription_id, self.resource_group, self.namespace, self.segments[:1])

    def child(self, type_: str, name: str) -> ResourceId:
        """The id of a child resource, e.g. vault.child("backupInstances", "bi-1")."""
        return ResourceId(self.subscription_id, self.resource_group, self.namespace, (*self.segments, (type_, name)))

    def collection(self, type_: str) -> str:
        """The path listing child resources of one type."""
        return f"{self.path}/{segment(type_, 'resource type')}"

    def action(self, action: str) -> str:
        """The path of a POST action on this resource, e.g. instance.action("backup")."""
        return f"{self.path}/{segment(action, 'action')}"

    def __str__(self) -> str:
        return self.path

    @classmethod
    def parse(cls, value: str) -> ResourceId:
        """Parse an ARM resource id (as Azure returns it, not URL-escaped); every part is validated."""
        parts = [p for p in value.split("/") if p] if isinstance(value, str) else []
        if len(parts) < 2 or parts[0].lower() != "subscriptions":
            raise InvalidNameError(f"{value!r} is not an ARM resource id (/subscriptions/...)", resource=str(value))
        subscription, rest = parts[1], parts[2:]
        group = None
        if len(rest) >= 2 and rest[0].lower() == "resourcegroups":
            group, rest = rest[1], rest[2:]
        namespace = None
        if len(rest) >= 2 and rest[0].lower() == "providers":
            namespace, rest = rest[1], rest[2:]
        if len(rest) % 2 or (rest and namespace is None):
            raise InvalidNameError(f"{value!r} is not a well-formed ARM resource id", resource=value)
        pairs = tuple((rest[i], rest[i + 1]) for i in range(0, len(rest), 2))
        return cls(subscription, group, namespace, pairs)


def vault_id(subscription_id: str, resource_group: str, vault: str) -> ResourceId:
    """The id of a Data Protection backup vault."""
    return ResourceId(subscription_id, resource_group, DATA_PROTECTION, ((BACKUP_VAULTS, vault),))


def _path_segments(path_or_url: str) -> list[str]:
    return [unquote(p) for p in urlsplit(path_or_url).path.split("/") if p]


def _vault_index(segments: list[str]) -> int | None:
    """Index of the 'providers' segment that starts `providers/Microsoft.DataProtection/backupVaults/{vault}`."""
    lowered = [s.lower() for s in segments]
    for i in range(len(lowered) - 3):
        if lowered[i : i + 3] == ["providers", DATA_PROTECTION.lower(), BACKUP_VAULTS.lower()]:
            return i
    return None


def vault_of(path_or_url: str) -> str | None:
    """The id of the backup vault a request path is under, if any (case as in the path)."""
    segments = _path_segments(path_or_url)
    index = _vault_index(segments)
    if index is None:
        return None
    return "/" + "/".join(segments[: index + 4])


def resource_of(path_or_url: str) -> str:
    """The (unescaped) id of the resource a request path addresses: an action or collection maps to its parent."""
    segments = _path_segments(path_or_url)
    lowered = [s.lower() for s in segments]
    if "providers" in lowered:
        start = len(lowered) - 1 - lowered[::-1].index("providers")
        if (len(segments) - start) % 2 == 1 and len(segments) - start > 3:
            segments = segments[:-1]
    return "/" + "/".join(segments)


def instance_write_vault(method: str, path_or_url: str) -> str | None:
    """The vault id to serialize on when the request writes a backup instance (else None; locks ignore case).

    Writes are PUT/PATCH/DELETE on `backupInstances/{name}` or `deletedBackupInstances/{name}` and POST actions on
    them, except read-only actions such as validateRestore or findRestorableTimeRanges.
    """
    if method.upper() not in _WRITE_METHODS:
        return None
    segments = _path_segments(path_or_url)
    index = _vault_index(segments)
    if index is None or len(segments) < index + 6 or segments[index + 4].lower() not in _INSTANCE_COLLECTIONS:
        return None
    if len(segments) > index + 6 and segments[index + 6].lower() in READ_ONLY_ACTIONS:
        return None
    return vault_of(path_or_url)


def is_idempotent(method: str, path_or_url: str) -> bool:
    """Whether repeating the request cannot cause a second effect (POST only for read-only actions)."""
    if method.upper() != "POST":
        return True
    segments = _path_segments(path_or_url)
    return bool(segments) and segments[-1].lower() in READ_ONLY_ACTIONS


def resource_type_candidates(path_or_url: str) -> list[str]:
    """Resource types of a request path, most specific first, lower-cased, for api-version lookup.

    `/…/providers/Microsoft.DataProtection/backupVaults/v/backupInstances/bi/backup` gives
    `microsoft.dataprotection/backupvaults/backupinstances/backup`, `…/backupvaults/backupinstances`,
    `…/backupvaults`, `microsoft.dataprotection`.
    """
    segments = _path_segments(path_or_url)
    lowered = [s.lower() for s in segments]
    if "providers" not in lowered:
        return []
    start = len(lowered) - 1 - lowered[::-1].index("providers")
    if start + 1 >= len(lowered):
        return []
    namespace = lowered[start + 1]
    types = lowered[start + 2 :: 2]
    return ["/".join([namespace, *types[:n]]) for n in range(len(types), -1, -1)]


def deleted_vaults_path(subscription_id: str, location: str) -> str:
    """The collection of a subscription's soft-deleted vaults in a region (``.../locations/{region}/deletedVaults``,
    the path of the spec's undelete example)."""
    return ResourceId(subscription_id, None, DATA_PROTECTION, (("locations", location),)).collection(DELETED_VAULTS)
