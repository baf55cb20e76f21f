"""The URL table of the emulated ARM surface (paths match case-insensitively, as ARM matches them)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from pulumi_dataprotection.emulator import groups, guards, instances, operations, policies, recovery, restore, vaults
from pulumi_dataprotection.emulator.service import Call, Reply, Service

Handler = Callable[[Service, Call], Reply]

_SEG = r"[^/]+"
_SUB = rf"/subscriptions/(?P<sub>{_SEG})"
_RG = rf"{_SUB}/resourceGroups/(?P<rg>{_SEG})"
_DP = r"/providers/Microsoft\.DataProtection"
_VAULT = rf"{_RG}{_DP}/backupVaults/(?P<vault>{_SEG})"
_BI = rf"{_VAULT}/backupInstances/(?P<name>{_SEG})"
_GUARD = rf"{_RG}{_DP}/resourceGuards/(?P<guard>{_SEG})"
_PROXY = rf"{_VAULT}/backupResourceGuardProxies/(?P<name>{_SEG})"
_REQUEST_TYPE = "(?P<request_type>" + "|".join(guards.REQUEST_TYPES) + ")"


@dataclass(frozen=True)
class Route:
    """A path pattern, the handler of each method on it, and the ARM resource type it belongs to."""

    pattern: re.Pattern[str]
    methods: dict[str, Handler]
    resource_type: str


def _route(path: str, resource_type: str, **methods: Handler) -> Route:
    return Route(re.compile(f"^{path}$", re.IGNORECASE), methods, resource_type)


ROUTES: tuple[Route, ...] = (
    _route(f"{_SUB}{_DP}/backupVaults", "backupVaults", GET=vaults.list_in_subscription),
    _route(f"{_RG}{_DP}/backupVaults", "backupVaults", GET=vaults.list_in_group),
    _route(_VAULT, "backupVaults", GET=vaults.get, PUT=vaults.put, PATCH=vaults.patch, DELETE=vaults.delete),
    _route(
        rf"{_SUB}{_DP}/locations/(?P<location>{_SEG})/deletedVaults",
        "locations/deletedVaults",
        GET=vaults.list_deleted,
    ),
    _route(
        rf"{_SUB}{_DP}/locations/(?P<location>{_SEG})/deletedVaults/(?P<name>{_SEG})",
        "locations/deletedVaults",
        GET=vaults.get_deleted,
    ),
    _route(
        rf"{_RG}{_DP}/locations/(?P<location>{_SEG})/checkNameAvailability",
        "locations/checkNameAvailability",
        POST=vaults.check_name_availability,
    ),
    _route(f"{_VAULT}/backupPolicies", "backupVaults/backupPolicies", GET=policies.list_all),
    _route(
        rf"{_VAULT}/backupPolicies/(?P<name>{_SEG})",
        "backupVaults/backupPolicies",
        GET=policies.get,
        PUT=policies.put,
        DELETE=policies.delete,
    ),
    _route(f"{_VAULT}/backupInstances", "backupVaults/backupInstances", GET=instances.list_all),
    _route(_BI, "backupVaults/backupInstances", GET=instances.get, PUT=instances.put, DELETE=instances.delete),
    _route(f"{_BI}/backup", "backupVaults/backupInstances", POST=instances.adhoc_backup),
    _route(f"{_BI}/validateForModifyBackup", "backupVaults/backupInstances", POST=instances.validate_for_modify),
    _route(f"{_BI}/stopProtection", "backupVaults/backupInstances", POST=instances.stop_protection),
    _route(f"{_BI}/suspendBackups", "backupVaults/backupInstances", POST=instances.suspend_backups),
    _route(f"{_BI}/resumeProtection", "backupVaults/backupInstances", POST=instances.resume_protection),
    _route(f"{_BI}/resumeBackups", "backupVaults/backupInstances", POST=instances.resume_backups),
    _route(f"{_BI}/recoveryPoints", "backupVaults/backupInstances/recoveryPoints", GET=recovery.list_points),
    _route(
        rf"{_BI}/recoveryPoints/(?P<point>{_SEG})",
        "backupVaults/backupInstances/recoveryPoints",
        GET=recovery.get_point,
    ),
    _route(f"{_BI}/findRestorableTimeRanges", "backupVaults/backupInstances", POST=recovery.find_ranges),
    _route(f"{_BI}/validateRestore", "backupVaults/backupInstances", POST=restore.validate),
    _route(f"{_BI}/restore", "backupVaults/backupInstances", POST=restore.trigger),
    _route(f"{_BI}/rehydrate", "backupVaults/backupInstances", POST=restore.rehydrate),
    _route(
        rf"{_RG}{_DP}/locations/(?P<location>{_SEG})/validateCrossRegionRestore",
        "locations/validateCrossRegionRestore",
        POST=restore.validate_cross_region,
    ),
    _route(
        rf"{_RG}{_DP}/locations/(?P<location>{_SEG})/crossRegionRestore",
        "locations/crossRegionRestore",
        POST=restore.trigger_cross_region,
    ),
    _route(
        rf"{_RG}{_DP}/locations/(?P<location>{_SEG})/fetchSecondaryRecoveryPoints",
        "locations/fetchSecondaryRecoveryPoints",
        POST=restore.secondary_points,
    ),
    _route(
        rf"{_RG}{_DP}/locations/(?P<location>{_SEG})/fetchCrossRegionRestoreJob",
        "locations/fetchCrossRegionRestoreJob",
        POST=restore.crr_job,
    ),
    _route(
        rf"{_RG}{_DP}/locations/(?P<location>{_SEG})/fetchCrossRegionRestoreJobs",
        "locations/fetchCrossRegionRestoreJobs",
        POST=restore.crr_jobs,
    ),
    _route(
        rf"{_BI}/operationResults/(?P<operation>{_SEG})",
        "backupVaults/backupInstances/operationResults",
        GET=operations.instance_result,
    ),
    _route(f"{_VAULT}/validateForBackup", "backupVaults/validateForBackup", POST=instances.validate_for_backup),
    _route(f"{_VAULT}/deletedBackupInstances", "backupVaults/deletedBackupInstances", GET=instances.list_deleted),
    _route(
        rf"{_VAULT}/deletedBackupInstances/(?P<name>{_SEG})",
        "backupVaults/deletedBackupInstances",
        GET=instances.get_deleted,
    ),
    _route(
        rf"{_VAULT}/deletedBackupInstances/(?P<name>{_SEG})/undelete",
        "backupVaults/deletedBackupInstances",
        POST=instances.undelete,
    ),
    _route(f"{_SUB}{_DP}/resourceGuards", "resourceGuards", GET=guards.list_guards_in_subscription),
    _route(f"{_RG}{_DP}/resourceGuards", "resourceGuards", GET=guards.list_guards_in_group),
    _route(
        _GUARD,
        "resourceGuards",
        GET=guards.get_guard,
        PUT=guards.put_guard,
        PATCH=guards.patch_guard,
        DELETE=guards.delete_guard,
    ),
    _route(f"{_GUARD}/{_REQUEST_TYPE}", "resourceGuards", GET=guards.list_requests),
    _route(rf"{_GUARD}/{_REQUEST_TYPE}/(?P<request>{_SEG})", "resourceGuards", GET=guards.get_request),
    _route(f"{_VAULT}/backupResourceGuardProxies", "backupVaults/backupResourceGuardProxies", GET=guards.list_proxies),
    _route(
        _PROXY,
        "backupVaults/backupResourceGuardProxies",
        GET=guards.get_proxy,
        PUT=guards.put_proxy,
        DELETE=guards.delete_proxy,
    ),
    _route(f"{_PROXY}/unlockDelete", "backupVaults/backupResourceGuardProxies", POST=guards.unlock_delete),
    _route(f"{_VAULT}/backupJobs", "backupVaults/backupJobs", GET=operations.list_jobs),
    _route(rf"{_VAULT}/backupJobs/(?P<job>{_SEG})", "backupVaults/backupJobs", GET=operations.get_job),
    _route(rf"{_VAULT}/operationStatus/(?P<operation>{_SEG})", "backupVaults/operationStatus", GET=operations.status),
    _route(
        rf"{_VAULT}/operationResults/(?P<operation>{_SEG})",
        "backupVaults/operationResults",
        GET=operations.vault_result,
    ),
    _route(rf"{_RG}{_DP}/operationStatus/(?P<operation>{_SEG})", "operationStatus", GET=operations.status),
    _route(
        rf"{_RG}{_DP}/locations/(?P<location>{_SEG})/operationStatus/(?P<operation>{_SEG})",
        "locations/operationStatus",
        GET=operations.status,
    ),
    _route(
        rf"{_SUB}{_DP}/locations/(?P<location>{_SEG})/operationStatus/(?P<operation>{_SEG})",
        "locations/operationStatus",
        GET=operations.status,
    ),
    _route(
        rf"{_SUB}{_DP}/locations/(?P<location>{_SEG})/operationResults/(?P<operation>{_SEG})",
        "locations/operationResults",
        GET=operations.result,
    ),
    _route(
        rf"(?P<datasource>{_RG}/providers/(?!Microsoft\.DataProtection/)[^/]+(?:/{_SEG}/{_SEG})+){_DP}/backupInstances",
        "backupInstances",
        GET=instances.list_for_datasource,
    ),
)

# What restores create in other resource providers (databases, containers, disks): GET/DELETE for drill clean-up.
# Those providers have their own api-versions, so the emulator does not check the api-version on this route.
RESTORED_RESOURCES = "restoredResources"
# ARM's own resource groups (Microsoft.Resources, its own api-versions, not checked either; see ``groups``).
RESOURCE_GROUPS = "resourceGroups"
ROUTES += (
    _route(f"{_SUB}/resourcegroups", RESOURCE_GROUPS, GET=groups.list_groups),
    _route(
        rf"{_SUB}/resourcegroups/(?P<rg>{_SEG})",
        RESOURCE_GROUPS,
        GET=groups.get_group,
        HEAD=groups.get_group,
        PUT=groups.put_group,
        DELETE=groups.delete_group,
    ),
    _route(
        rf"(?P<target>{_RG}/providers/(?!Microsoft\.DataProtection/)[^/]+(?:/{_SEG}/{_SEG})+)",
        RESTORED_RESOURCES,
        GET=restore.get_restored,
        DELETE=restore.delete_restored,
    ),
)

_ANY_DP = re.compile(rf"^{_SUB}(?:/resourceGroups/{_SEG})?{_DP}/(?P<rest>.*)$", re.IGNORECASE)


def match(path: str) -> tuple[Route, dict[str, str]] | None:
    """The route of a path and its parameters, or None."""
    for route in ROUTES:
        m = route.pattern.match(path)
        if m:
            return route, {k: v for k, v in m.groupdict().items() if v is not None}
    return None


def unknown_type(path: str) -> str | None:
    """For a Microsoft.DataProtection path the table does not know, the resource type ARM would name."""
    m = _ANY_DP.match(path)
    if not m:
        return None
    parts = [p for p in m.group("rest").split("/") if p]
    return "/".join(parts[0::2]) or None
