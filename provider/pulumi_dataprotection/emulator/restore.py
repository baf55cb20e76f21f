"""Restores: validateRestore, restore, validateCrossRegionRestore, crossRegionRestore and the restore jobs they start.

A restore request is checked like the service checks it: the body against the API model (400
``BMSUserErrorInvalidInput``), then the recovery point or point in time (it must exist in the source datastore),
then the target for the datasource kind. ``validateRestore`` reports a failed check as a Failed operation;
``restore`` refuses it with a 400, so a refused restore starts no job and creates nothing. An accepted restore starts
a Restore job (``InProgress``, then ``Completed``) and records what it creates (a database, containers, namespaces,
a disk, files), so restoring onto it again with ``FailIfExists`` fails; ``GET /_emulator/restored`` lists them.

Target rules (error codes named in the service's ``UserError`` style; the emulator's choice where no recording
shows Azure's): the target's datasource type must be the instance's; a PostgreSQL/MySQL database, disk or blob
container that already exists fails ``UserErrorRestoreTargetAlreadyExists``; the server, cluster or storage account
restored into must exist (strict datasources: the registry's missing-datasource error); restore as files only for
database kinds; AKS vault-tier restores need staging resources; ``restoreLocation`` must be the vault's region or
the restore target's (``UserErrorInvalidRestoreLocation``), and cross-region restores need a geo-redundant vault
with cross region restore enabled, restored in its paired region from the vault tier.
"""

from __future__ import annotations

import uuid
from typing import Any

from pulumi_dataprotection.emulator import datasources, ids, jobs, protectability, recovery, rehydration, render
from pulumi_dataprotection.emulator import schema as s
from pulumi_dataprotection.emulator.errors import ServiceError, invalid_input, resource_not_found
from pulumi_dataprotection.emulator.service import INSTANCE, JOB, POLICY, VAULT, Call, Reply, Service

JSON = dict[str, Any]

RESTORED = "restored"

_NAMESPACED = s.Obj("NamespacedNameResource", {"name": s.opt(s.S), "namespace": s.opt(s.S)})
_K8S = {
    "includeClusterScopeResources": s.req(s.Bool()),
    "includedNamespaces": s.opt(s.STRINGS),
    "excludedNamespaces": s.opt(s.STRINGS),
    "includedResourceTypes": s.opt(s.STRINGS),
    "excludedResourceTypes": s.opt(s.STRINGS),
    "labelSelectors": s.opt(s.STRINGS),
    "persistentVolumeRestoreMode": s.opt(s.Str(("RestoreWithVolumeData", "RestoreWithoutVolumeData"))),
    "conflictPolicy": s.opt(s.Str(("Skip", "Patch"))),
    "namespaceMappings": s.opt(s.Map(s.S)),
    "restoreHookReferences": s.opt(s.Arr(_NAMESPACED)),
    "resourceModifierReference": s.opt(_NAMESPACED),
}
CRITERIA = s.Obj("ItemLevelRestoreCriteria", {"objectType": s.req(s.S)})
CRITERIA.extend(
    "ItemPathBasedRestoreCriteria",
    itemPath=s.req(s.S),
    isPathRelativeToBackupItem=s.req(s.Bool()),
    subItemPathPrefix=s.opt(s.STRINGS),
    renameTo=s.opt(s.S),
)
CRITERIA.extend("RangeBasedItemLevelRestoreCriteria", minMatchingValue=s.opt(s.S), maxMatchingValue=s.opt(s.S))
CRITERIA.extend("KubernetesClusterRestoreCriteria", **_K8S)
CRITERIA.extend(
    "KubernetesClusterVaultTierRestoreCriteria",
    **_K8S,
    stagingResourceGroupId=s.opt(s.Str(fmt="arm-id")),
    stagingStorageAccountId=s.opt(s.Str(fmt="arm-id")),
)
# "name" is a property of this subtype, so it is registered by hand rather than through Obj.extend(name, ...).
CRITERIA.subtypes["KubernetesPVRestoreCriteria"] = s.Obj(
    "KubernetesPVRestoreCriteria", {**CRITERIA.props, "name": s.opt(s.S), "storageClassName": s.opt(s.S)}
)
CRITERIA.extend("KubernetesStorageClassRestoreCriteria", selectedStorageClassName=s.opt(s.S), provisioner=s.opt(s.S))
# 2026-06-01 (Elastic SAN volumes): the spec declares resourceNameOverrides a string map; its example sends a list of
# {sourceName, targetName}. The emulator takes the spec's map.
CRITERIA.extend(
    "GenericRestoreDatasourceCriteria",
    resourceSelectors=s.req(
        s.Obj(
            "ResourceListSelectionCriteria",
            {
                "objectType": s.req(s.S),
                "resourceIdentifiers": s.req(s.STRINGS),
                "resourceNameOverrides": s.opt(s.Map(s.S)),
            },
        )
    ),
)
TARGET_DETAILS = s.Obj(
    "TargetDetails",
    {
        "filePrefix": s.req(s.S),
        "restoreTargetLocationType": s.req(s.Str(("Invalid", "AzureBlobs", "AzureFiles"))),
        "url": s.req(s.S),
        "targetResourceArmId": s.opt(s.S),
    },
)
TARGET = s.Obj(
    "RestoreTargetInfoBase",
    {"objectType": s.req(s.S), "recoveryOption": s.req(s.Str(("FailIfExists",))), "restoreLocation": s.opt(s.S)},
)
_TARGET_DATASOURCE = {
    "datasourceInfo": s.req(s.DATASOURCE),
    "datasourceSetInfo": s.opt(s.DATASOURCE_SET),
    "datasourceAuthCredentials": s.opt(s.AUTH_CREDENTIALS),
}
TARGET.extend("RestoreTargetInfo", **_TARGET_DATASOURCE)
TARGET.extend("ItemLevelRestoreTargetInfo", restoreCriteria=s.req(s.Arr(CRITERIA)), **_TARGET_DATASOURCE)
TARGET.extend("RestoreFilesTargetInfo", targetDetails=s.req(TARGET_DETAILS))
REQUEST = s.Obj(
    "AzureBackupRestoreRequest",
    {
        "objectType": s.req(s.S),
        "restoreTargetInfo": s.req(TARGET),
        "sourceDataStoreType": s.req(s.Str(("ArchiveStore", "SnapshotStore", "OperationalStore", "VaultStore"))),
        "sourceResourceId": s.opt(s.S),
        "resourceGuardOperationRequests": s.opt(s.STRINGS),
        "identityDetails": s.opt(
            s.Obj(
                "IdentityDetails",
                {"useSystemAssignedIdentity": s.opt(s.Bool()), "userAssignedIdentityArmUrl": s.opt(s.S)},
            )
        ),
    },
)
REQUEST.extend("AzureBackupRecoveryPointBasedRestoreRequest", recoveryPointId=s.req(s.S))
REQUEST.extend("AzureBackupRecoveryTimeBasedRestoreRequest", recoveryPointTime=s.req(s.S))
REQUEST.extend(
    "AzureBackupRestoreWithRehydrationRequest",
    recoveryPointId=s.req(s.S),
    rehydrationPriority=s.req(s.Str(("Invalid", "High", "Standard"))),
    rehydrationRetentionDuration=s.req(s.S),  # the official example sends "7D"
)
REHYDRATE = s.Obj(
    "AzureBackupRehydrationRequest",
    {
        "recoveryPointId": s.req(s.S),
        "rehydrationPriority": s.opt(s.Str(("Invalid", "High", "Standard"))),
        "rehydrationRetentionDuration": s.req(s.S),
    },
)
VALIDATE = s.Obj("ValidateRestoreRequestObject", {"restoreRequestObject": s.req(REQUEST)})
_CRR_DETAILS = s.Obj("CrossRegionRestoreDetails", {"sourceRegion": s.req(s.S), "sourceBackupInstanceId": s.req(s.S)})
CROSS_REGION = s.Obj(
    "CrossRegionRestoreRequestObject",
    {"restoreRequestObject": s.req(REQUEST), "crossRegionRestoreDetails": s.req(_CRR_DETAILS)},
)
SECONDARY_POINTS = s.Obj(
    "FetchSecondaryRPsRequestParameters", {"sourceRegion": s.opt(s.S), "sourceBackupInstanceId": s.opt(s.S)}
)
CRR_JOB = s.Obj(
    "CrossRegionRestoreJobRequest",
    {"sourceRegion": s.req(s.S), "sourceBackupVaultId": s.req(s.S), "jobId": s.req(s.S)},
)
CRR_JOBS = s.Obj("CrossRegionRestoreJobsRequest", {"sourceRegion": s.req(s.S), "sourceBackupVaultId": s.req(s.S)})

_FILES_KINDS = (
    "Microsoft.DBforPostgreSQL/servers/databases",
    "Microsoft.DBforPostgreSQL/flexibleServers",
    "Microsoft.DBforMySQL/flexibleServers",
)
_DATABASE = "Microsoft.DBforPostgreSQL/servers/databases"
_BLOBS = ("Microsoft.Storage/storageAccounts/blobServices", "Microsoft.Storage/storageAccounts/adlsBlobServices")
_AKS = "Microsoft.ContainerService/managedClusters"
_DISK = "Microsoft.Compute/disks"
_VOLUME_GROUP = "Microsoft.ElasticSan/elasticSans/volumeGroups"
_COSMOS = "Microsoft.DocumentDB/databaseAccounts"


def _error(code: str, message: str, action: str) -> ServiceError:
    return ServiceError(400, code, message, recommended=[action])


def _already_exists(what: str) -> ServiceError:
    return _error(
        "UserErrorRestoreTargetAlreadyExists",
        f"The restore target {what} already exists and the recovery option is FailIfExists.",
        "Restore to a new name (a scratch database, container or namespace) or delete the existing one, then retry.",
    )


def _unsupported(kind: str, what: str) -> ServiceError:
    return _error(
        "UserErrorRestoreTypeNotSupported",
        f"{what} is not supported for datasource type {kind}.",
        "Use a restore target supported for this datasource type.",
    )


class Target:
    """What a checked restore request will do: its destination, restore type and the resources it creates."""

    def __init__(self, destination: str, restore_type: str, creates: list[str]) -> None:
        self.destination = destination
        self.restore_type = restore_type
        self.creates = creates


def _restored(svc: Service, rid: str) -> bool:
    return svc.store.get(RESTORED, rid) is not None


def _registered(svc: Service, rid: str, dtype: str) -> bool:
    if not svc.registry.strict:
        return False
    try:
        svc.registry.check_exists(rid, dtype)
    except ServiceError:
        return False
    return True


def _protected(svc: Service, rid: str) -> bool:
    return any(
        d["properties"]["dataSourceInfo"]["resourceID"].lower() == rid.lower() for d in svc.store.select(INSTANCE)
    )


def _exists_new(svc: Service, rid: str, dtype: str) -> bool:
    """Whether a resource a restore would create already exists."""
    return _restored(svc, rid) or _protected(svc, rid) or _registered(svc, rid, dtype)


def _check_parent(svc: Service, rid: str, dtype: str) -> None:
    """The resource restored into (server, cluster, storage account) must exist (strict datasources)."""
    if _restored(svc, rid) or _protected(svc, rid):
        return
    svc.registry.check_exists(rid, dtype)


def _check_point(svc: Service, instance: JSON, request: JSON, now: float) -> JSON:
    store = request["sourceDataStoreType"]
    if "recoveryPointId" in request:
        key = ids.child_id(instance["id"], "recoveryPoints", request["recoveryPointId"])
        point = svc.store.get(recovery.POINT, key)
        visible = recovery.visible_copies(point, now) if point else []
        if not any(c["type"] == store for c in visible):
            raise _error(
                "UserErrorRecoveryPointNotFound",
                f"The recovery point {request['recoveryPointId']} does not exist in the {store} of the backup "
                f"instance {instance['name']}; it may have expired.",
                "List the recovery points of the backup instance and restore from one that exists in the source "
                "datastore.",
            )
        assert point is not None
        return {"id": point["name"], "time": point["time"]}
    at = recovery.parse_time(request["recoveryPointTime"])
    ranges = recovery.restorable_ranges(svc, instance, store, now)
    if at is None or not any(low <= at <= high for low, high in ranges):
        raise recovery.invalid_range(
            f"The point in time {request['recoveryPointTime']} is not within a restorable time range of the "
            f"backup instance {instance['name']} in the {store}."
        )
    return {"id": None, "time": at}


def _check_target(svc: Service, instance: JSON, request: JSON, region: str) -> Target:
    source = instance["properties"]["dataSourceInfo"]
    source_kind = datasources.kind_of(source["datasourceType"])
    kind = source_kind.datasource_type if source_kind else source["datasourceType"]
    target = request["restoreTargetInfo"]
    location = target.get("restoreLocation")
    # The vault's region, or the restore target's: Azure restored a centraluseuap vault's ADLS backup into an eastus
    # account with restoreLocation eastus (corpus/azure-cli-extensions-head/
    # test_dataprotection_backup_instance_restore_adls_recovery_point.yaml #2, #6). Refusing any other region is a
    # guess: no recorded request names one.
    target_region = (target.get("datasourceInfo") or {}).get("resourceLocation")
    allowed = {render.region(r) for r in (region, target_region) if r}
    if location and render.region(location) not in allowed:
        raise _error(
            "UserErrorInvalidRestoreLocation",
            f"The restore location {location} is neither the region of the backup vault ({region}) nor the restore "
            f"target's ({target_region or 'not given'}).",
            "Restore in the target's or the vault's region, or use cross region restore from the paired region.",
        )
    if request.get("sourceResourceId") and request["sourceResourceId"].lower() != source["resourceID"].lower():
        raise invalid_input(
            [
                f"sourceResourceId: {request['sourceResourceId']} is not the datasource of the backup instance "
                f"({source['resourceID']})"
            ]
        )
    if target["objectType"] == "RestoreFilesTargetInfo":
        if kind not in _FILES_KINDS:
            raise _unsupported(kind, "Restore as files")
        details = target["targetDetails"]
        if not details["url"].lower().startswith("https://"):
            raise invalid_input([f"restoreTargetInfo.targetDetails.url: {details['url']!r} is not an https URL"])
        if details.get("targetResourceArmId"):
            account = details["targetResourceArmId"].split("/blobServices/")[0]
            _check_parent(svc, account, "Microsoft.Storage/storageAccounts/blobServices")
        # The job's recoveryDestination is the container URL, without the prefix (recorded:
        # azure-cli-extensions@d195c728/test_dataprotection_backup_and_restore_oss.yaml, the restore job's polls).
        files = f"{details['url'].rstrip('/')}/{details['filePrefix']}"
        return Target(details["url"], "ALR", [files])
    info = target["datasourceInfo"]
    target_kind = datasources.kind_of(info.get("datasourceType") or kind)
    if target_kind is None or target_kind.datasource_type != kind:
        raise invalid_input(
            [
                f"restoreTargetInfo.datasourceInfo.datasourceType: a {kind} backup cannot be restored to "
                f"{info.get('datasourceType')}"
            ]
        )
    rid = info["resourceID"]
    if datasources.resource_type_of(rid).lower() != target_kind.resource_type.lower():
        raise invalid_input(
            [f"restoreTargetInfo.datasourceInfo.resourceID: {rid} is not a {target_kind.resource_type} resource"]
        )
    criteria = target.get("restoreCriteria", [])
    restore_type = "OLR" if rid.lower() == source["resourceID"].lower() else "ALR"
    if kind == _AKS:
        return _aks_target(svc, request, rid, criteria, restore_type)
    if kind in _BLOBS:
        return _blob_target(svc, instance, rid, kind, criteria, restore_type)
    if kind in (_DATABASE, _DISK):
        if _exists_new(svc, rid, kind):
            raise _already_exists(rid)
        if kind == _DATABASE:
            _check_parent(svc, rid.rsplit("/databases/", 1)[0], kind)
        return Target(rid, "ALR", [rid])
    if kind in _FILES_KINDS:
        raise _unsupported(kind, "Restore to a server (use restore as files, RestoreFilesTargetInfo)")
    if kind == _VOLUME_GROUP:
        return _volume_target(svc, instance, rid, criteria)
    if kind == _COSMOS:
        return _cosmos_target(svc, rid, restore_type)
    _check_parent(svc, rid, kind)
    return Target(rid, restore_type, [])


def _aks_target(svc: Service, request: JSON, cluster: str, criteria: list[JSON], restore_type: str) -> Target:
    k8s = [c for c in criteria if c["objectType"].startswith("KubernetesCluster")]
    if len(k8s) != 1:
        raise invalid_input(
            ["restoreTargetInfo.restoreCriteria: exactly one KubernetesCluster*RestoreCriteria is required"]
        )
    crit = k8s[0]
    vault_tier = request["sourceDataStoreType"] == recovery.VAULT_STORE
    if vault_tier != (crit["objectType"] == "KubernetesClusterVaultTierRestoreCriteria"):
        raise invalid_input(
            [
                "restoreTargetInfo.restoreCriteria[0].objectType: use KubernetesClusterVaultTierRestoreCriteria for "
                "VaultStore restores and KubernetesClusterRestoreCriteria for OperationalStore restores"
            ]
        )
    if vault_tier and not (crit.get("stagingResourceGroupId") and crit.get("stagingStorageAccountId")):
        raise _error(
            "UserErrorStagingLocationNotProvided",
            "A vault tier restore of a Kubernetes cluster needs a staging resource group and storage account.",
            "Set stagingResourceGroupId and stagingStorageAccountId in the restore criteria.",
        )
    problems = protectability.kubernetes_problems("restoreTargetInfo.restoreCriteria[0]", crit)
    if problems:
        raise invalid_input(problems)
    _check_parent(svc, cluster, _AKS)
    creates = []
    for namespace in (crit.get("namespaceMappings") or {}).values():
        rid = f"{cluster}/namespaces/{namespace}"
        if _restored(svc, rid):
            raise _already_exists(f"namespace {namespace} of cluster {cluster}")
        creates.append(rid)
    return Target(cluster, restore_type, creates)


def _blob_target(
    svc: Service, instance: JSON, account: str, kind: str, criteria: list[JSON], restore_type: str
) -> Target:
    _check_parent(svc, account, kind)
    params = instance["properties"]["policyInfo"].get("policyParameters", {}).get("backupDatasourceParametersList", [])
    protected = {c.lower() for p in params for c in p.get("containersList", [])}
    same_account = restore_type == "OLR"
    creates = []
    for crit in criteria:
        if crit["objectType"] != "ItemPathBasedRestoreCriteria":
            continue
        name = crit.get("renameTo") or crit["itemPath"]
        rid = f"{account}/blobServices/default/containers/{name}"
        if _restored(svc, rid) or (same_account and name.lower() in protected):
            raise _already_exists(f"container {name} of storage account {account.rsplit('/', 1)[-1]}")
        creates.append(rid)
    return Target(account, restore_type, creates)


def _volume_target(svc: Service, instance: JSON, group: str, criteria: list[JSON]) -> Target:
    """Elastic SAN volumes restore as new volumes of ``group`` only (no original-location recovery: Azure Backup's
    Elastic SAN support matrix); a protected volume is one of the instance's resource selectors."""
    _check_parent(svc, group, _VOLUME_GROUP)
    params = instance["properties"]["policyInfo"].get("policyParameters", {}).get("backupDatasourceParametersList", [])
    protected = {v.lower() for p in params for v in p.get("resourceSelectors", [])}
    same_group = group.lower() == instance["properties"]["dataSourceInfo"]["resourceID"].lower()
    creates = []
    for crit in criteria:
        if crit["objectType"] != "GenericRestoreDatasourceCriteria":
            continue
        selectors = crit["resourceSelectors"]
        overrides = selectors.get("resourceNameOverrides") or {}
        for volume in selectors["resourceIdentifiers"]:
            if volume.lower() not in protected:
                raise invalid_input([f"resourceIdentifiers: {volume} is not a volume the backup instance protects"])
            name = overrides.get(volume, volume)
            rid = f"{group}/volumes/{name}"
            if _restored(svc, rid) or (same_group and name.lower() in protected):
                raise _already_exists(f"volume {name} of volume group {group.rsplit('/', 1)[-1]}")
            creates.append(rid)
    if not creates:
        raise invalid_input(["restoreCriteria: a GenericRestoreDatasourceCriteria naming the volumes to restore"])
    return Target(group, "ALR", creates)


def _cosmos_target(svc: Service, account: str, restore_type: str) -> Target:
    """Cosmos DB backups restore into a new or empty account only, never over the source (Azure Backup's Cosmos DB
    support matrix; the Az.DataProtection manifest offers alternate-location restores only). The emulator cannot see
    an account's content: an account it knows to hold data (protected or restored into) is not empty, any other is
    (a documented guess: no recorded Cosmos DB restore)."""
    if restore_type == "OLR":
        raise _unsupported(_COSMOS, "Restore to the original account")
    if _restored(svc, account) or _protected(svc, account):
        raise _already_exists(account)
    return Target(account, "ALR", [account])


def check(svc: Service, vault: JSON, instance: JSON, request: JSON, region: str) -> tuple[JSON, Target]:
    """The recovery point (``{id, time}``) and target of a restore request, or the ServiceError the service gives."""
    now = svc.now()
    rehydration.check_restore(request)
    if request["objectType"] == rehydration.WITH_REHYDRATION:
        rehydration.priority(request["rehydrationPriority"], "rehydrationPriority")
        rehydration.retention_seconds(request["rehydrationRetentionDuration"], "rehydrationRetentionDuration")
    point = _check_point(svc, instance, request, now)
    return point, _check_target(svc, instance, request, region)


def _instance(svc: Service, call: Call) -> tuple[JSON, JSON]:
    vault = svc.vault_of(call)
    return vault, svc.child(INSTANCE, vault, "backupInstances", call.params["name"])


def _results_path(call: Call, location: str) -> str:
    region = render.region(location)
    return f"/subscriptions/{call.params['sub']}/providers/{ids.NAMESPACE}/locations/{region}/operationResults"


def validate(svc: Service, call: Call) -> Reply:
    """POST validateRestore: a failed check ends the operation Failed with the service's error."""
    vault, instance = _instance(svc, call)
    request = s.parse(VALIDATE, call.body)["restoreRequestObject"]
    failure: ServiceError | None = None
    try:
        check(svc, vault, instance, request, vault["location"])
    except ServiceError as exc:
        failure = exc
    kind = instance["properties"]["dataSourceInfo"]["datasourceType"]
    op = svc.start_operation(
        call, "validate-restore", target=instance["id"], location=vault["location"], error=failure, kind=kind
    )
    return svc.lro_reply(
        call,
        202,
        op,
        status_path=f"{vault['id']}/operationStatus",
        location_path=_results_path(call, vault["location"]),
    )


def trigger(svc: Service, call: Call) -> Reply:
    """POST restore: 400 when a check fails (nothing starts), else 202 and a Restore job."""
    vault, instance = _instance(svc, call)
    request = s.parse(REQUEST, call.body)
    point, target = check(svc, vault, instance, request, vault["location"])
    return _start(svc, call, vault, instance, request, point, target, vault["location"], status_scope=vault["id"])


def _start(
    svc: Service,
    call: Call,
    vault: JSON,
    instance: JSON,
    request: JSON,
    point: JSON,
    target: Target,
    region: str,
    *,
    status_scope: str,
    cross_region: bool = False,
) -> Reply:
    job_id = ids.child_id(vault["id"], "backupJobs", str(uuid.uuid4()))
    op = svc.start_operation(call, "restore", target=instance["id"], location=region, job_id=job_id)
    if op["error"] is None:
        job = _record_job(svc, vault, instance, request, point, target, job_id, cross_region=cross_region)
        if request["objectType"] == rehydration.WITH_REHYDRATION:
            _rehydrate_first(svc, instance, request, job)
        for rid in target.creates:
            svc.store.put(RESTORED, rid, {"id": rid, "job": job_id, "created": job["end"]}, parent=instance["id"])
    return svc.lro_reply(
        call, 202, op, status_path=f"{status_scope}/operationStatus", location_path=_results_path(call, region)
    )


def rehydrate(svc: Service, call: Call) -> Reply:
    """POST rehydrate: 202, and the point's VaultStore copy appears after the priority's time (emulator/rehydration.py);
    the operation ends when the rehydration has started, as the 202 of TriggerRehydrate accepts it."""
    vault, instance = _instance(svc, call)
    body = s.parse(REHYDRATE, call.body)
    chosen = rehydration.priority(body.get("rehydrationPriority"), "rehydrationPriority")
    retention = rehydration.retention_seconds(body["rehydrationRetentionDuration"], "rehydrationRetentionDuration")
    point = svc.store.get(recovery.POINT, ids.child_id(instance["id"], "recoveryPoints", body["recoveryPointId"]))
    if point is None or not recovery.visible_copies(point, svc.now()):
        raise _error(
            "UserErrorRecoveryPointNotFound",
            f"The recovery point {body['recoveryPointId']} does not exist in the backup instance {instance['name']}.",
            "List the recovery points of the backup instance and rehydrate one that is in the ArchiveStore.",
        )
    rehydration.start(svc, point, chosen, retention, svc.now())
    op = svc.start_operation(call, "rehydrate", target=instance["id"], location=vault["location"])
    return svc.lro_reply(
        call,
        202,
        op,
        status_path=f"{vault['id']}/operationStatus",
        location_path=_results_path(call, vault["location"]),
    )


def _rehydrate_first(svc: Service, instance: JSON, request: JSON, job: JSON) -> None:
    """A restore with rehydration: the point is rehydrated first, so the job runs the rehydration's time longer."""
    key = ids.child_id(instance["id"], "recoveryPoints", request["recoveryPointId"])
    point = svc.store.get(recovery.POINT, key)
    assert point is not None  # checked by _check_point
    chosen = rehydration.priority(request["rehydrationPriority"], "rehydrationPriority")
    retention = rehydration.retention_seconds(request["rehydrationRetentionDuration"], "rehydrationRetentionDuration")
    ready = rehydration.start(svc, point, chosen, retention, job["start"])
    job["end"] += ready - job["start"]
    job["rehydration_priority"] = chosen
    svc.store.put(JOB, job["id"], job, parent=job["id"].rsplit("/backupJobs/", 1)[0])


def _record_job(
    svc: Service,
    vault: JSON,
    instance: JSON,
    request: JSON,
    point: JSON,
    target: Target,
    job_id: str,
    *,
    cross_region: bool,
) -> JSON:
    policy = svc.store.get(POLICY, instance["properties"]["policyInfo"]["policyId"]) or {"id": "", "name": ""}
    return svc.record_job(
        vault,
        instance,
        policy,
        job_id,
        svc.now(),
        operation="Restore",
        category="Restore",
        task="Trigger Restore",
        destination=target.destination,
        source_datastore=request["sourceDataStoreType"],
        file_prefix=(request["restoreTargetInfo"].get("targetDetails") or {}).get("filePrefix"),
        source_point={"id": point["id"], "time": point["time"]},
        cross_region=cross_region,
    )


# -- cross region restore ----------------------------------------------------------------------------------------------


def _crr_source(svc: Service, call: Call, details: JSON) -> tuple[JSON, JSON]:
    parsed = ids.parse_vault_child(details["sourceBackupInstanceId"], "backupInstances")
    instance = svc.store.get(INSTANCE, details["sourceBackupInstanceId"]) if parsed else None
    vault = svc.store.get(VAULT, parsed[0]) if parsed else None
    if instance is None or vault is None:
        raise _error(
            "UserErrorBackupInstanceNotFound",
            f"The backup instance {details['sourceBackupInstanceId']} does not exist.",
            "Pass the id of an existing backup instance as sourceBackupInstanceId.",
        )
    props = vault["properties"]
    geo = any(x.get("type") == "GeoRedundant" for x in props.get("storageSettings", []))
    enabled = props.get("featureSettings", {}).get("crossRegionRestoreSettings", {}).get("state") == "Enabled"
    if not (geo and enabled):
        raise _error(
            "UserErrorCrossRegionRestoreNotEnabled",
            f"Cross region restore is not enabled on the backup vault {vault['name']}.",
            "Use a GeoRedundant vault with featureSettings.crossRegionRestoreSettings.state Enabled.",
        )
    home = render.region(vault["location"])
    paired = render.vault(vault)["properties"]["replicatedRegions"]
    if render.region(details["sourceRegion"]) != home or render.region(call.params["location"]) not in paired:
        raise _error(
            "UserErrorInvalidRestoreLocation",
            f"Cross region restore of vault {vault['name']} ({home}) runs in its paired region "
            f"({', '.join(paired)}) with sourceRegion {home}.",
            "Call crossRegionRestore in the vault's paired region and pass the vault's region as sourceRegion.",
        )
    return vault, instance


def _crr_check(svc: Service, call: Call, body: JSON) -> tuple[JSON, JSON, JSON, JSON, Target]:
    request, details = body["restoreRequestObject"], body["crossRegionRestoreDetails"]
    vault, instance = _crr_source(svc, call, details)
    if request["sourceDataStoreType"] != recovery.VAULT_STORE:
        raise _error(
            "UserErrorCrossRegionRestoreNotSupported",
            "Cross region restore restores from the vault tier only (sourceDataStoreType VaultStore).",
            "Set sourceDataStoreType to VaultStore.",
        )
    point, target = check(svc, vault, instance, request, call.params["location"])
    return vault, instance, request, point, target


def validate_cross_region(svc: Service, call: Call) -> Reply:
    """POST locations/{location}/validateCrossRegionRestore."""
    body = s.parse(CROSS_REGION, call.body)
    failure: ServiceError | None = None
    try:
        _crr_check(svc, call, body)
    except ServiceError as exc:
        failure = exc
    scope = f"{ids.rg_id(call.params['sub'], call.params['rg'])}/providers/{ids.NAMESPACE}"
    target = body["crossRegionRestoreDetails"]["sourceBackupInstanceId"]
    op = svc.start_operation(call, "validate-restore", target=target, location=call.params["location"], error=failure)
    return svc.lro_reply(
        call,
        202,
        op,
        status_path=f"{scope}/operationStatus",
        location_path=_results_path(call, call.params["location"]),
    )


def trigger_cross_region(svc: Service, call: Call) -> Reply:
    """POST locations/{location}/crossRegionRestore."""
    body = s.parse(CROSS_REGION, call.body)
    vault, instance, request, point, target = _crr_check(svc, call, body)
    scope = f"{ids.rg_id(call.params['sub'], call.params['rg'])}/providers/{ids.NAMESPACE}"
    return _start(
        svc,
        call,
        vault,
        instance,
        request,
        point,
        target,
        call.params["location"],
        status_scope=scope,
        cross_region=True,
    )


def secondary_points(svc: Service, call: Call) -> Reply:
    """POST locations/{location}/fetchSecondaryRecoveryPoints: the vault-tier points of a geo-redundant instance."""
    details = s.parse(SECONDARY_POINTS, call.body)
    if "sourceBackupInstanceId" not in details or "sourceRegion" not in details:
        raise invalid_input(["sourceBackupInstanceId and sourceRegion: required"])
    _, instance = _crr_source(svc, call, details)
    now = svc.now()
    found = [
        recovery.render_point(p, now)
        for p in recovery.points(svc, instance, now)
        if any(c["type"] == recovery.VAULT_STORE for c in recovery.visible_copies(p, now))
    ]
    return Reply(200, {"value": found})


def _crr_jobs(svc: Service, vault_id: str) -> list[JSON]:
    return [j for j in svc.store.select(JOB, parent=vault_id) if j.get("cross_region")]


def crr_job(svc: Service, call: Call) -> Reply:
    """POST locations/{location}/fetchCrossRegionRestoreJob."""
    request = s.parse(CRR_JOB, call.body)
    wanted = request["jobId"].rstrip("/").rsplit("/", 1)[-1].lower()
    for job in _crr_jobs(svc, request["sourceBackupVaultId"]):
        if job["name"].lower() == wanted:
            return Reply(200, jobs.render(job, svc.now()))
    raise _error(
        "UserErrorJobNotFound",
        f"The cross region restore job {request['jobId']} was not found.",
        "Pass the id of a cross region restore job of the vault.",
    )


def crr_jobs(svc: Service, call: Call) -> Reply:
    """POST locations/{location}/fetchCrossRegionRestoreJobs."""
    request = s.parse(CRR_JOBS, call.body)
    now = svc.now()
    return Reply(
        200, {"value": [jobs.render(j, now, listed=True) for j in _crr_jobs(svc, request["sourceBackupVaultId"])]}
    )


# -- what restores created -------------------------------------------------------------------------------------


def _restored_doc(svc: Service, call: Call) -> JSON:
    rid = call.params["target"]
    doc = svc.store.get(RESTORED, rid)
    if doc is None or doc["created"] > svc.now():
        parts = [p for p in rid.split("/") if p]
        raise resource_not_found("/".join(parts[5::2][:1] + parts[6::2][:1]), parts[-1], call.params["rg"])
    return doc


def get_restored(svc: Service, call: Call) -> Reply:
    """GET a resource a restore created (a minimal ARM resource body)."""
    doc = _restored_doc(svc, call)
    return Reply(200, {"id": doc["id"], "name": doc["id"].rsplit("/", 1)[-1]})


def delete_restored(svc: Service, call: Call) -> Reply:
    """DELETE a resource a restore created (drill clean-up): 200, or 204 when it is not there."""
    try:
        doc = _restored_doc(svc, call)
    except ServiceError:
        return Reply(204)
    svc.store.delete(RESTORED, doc["id"])
    return Reply(200)
