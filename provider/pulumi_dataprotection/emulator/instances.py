"""Backup instance operations: PUT/GET/DELETE/list, validations, ad-hoc backup, protection actions, soft delete.

Rules enforced (as users meet them on Azure): the policy must be in the same vault and fit the datasource type, a
datasource is protected by at most one (not soft-deleted) instance, instance writes in a vault do not overlap (409
while another instance operation of the vault runs, or while the instance's protection is still being configured;
with ``strict_vault_writes``, while any instance of the vault is),
vaulted blob protection needs containers, and deletion soft-deletes according to the vault's soft delete setting.
"""

from __future__ import annotations

import copy
import re
import uuid
from typing import Any

from pulumi_dataprotection.emulator import (
    datasources,
    guards,
    ids,
    immutability,
    protectability,
    rbac,
    recovery,
    render,
    schema,
    timing,
)
from pulumi_dataprotection.emulator.errors import ServiceError, generic_not_found, invalid_input
from pulumi_dataprotection.emulator.regions import region_name
from pulumi_dataprotection.emulator.service import DELETED, INSTANCE, POLICY, Call, Reply, Service

JSON = dict[str, Any]


def _sub_results(call: Call, vault: JSON) -> str:
    region = render.region(vault["location"])
    return f"/subscriptions/{call.params['sub']}/providers/{ids.NAMESPACE}/locations/{region}/operationResults"


def _instance_of(svc: Service, call: Call) -> tuple[JSON, JSON]:
    vault = svc.vault_of(call)
    return vault, svc.child(INSTANCE, vault, "backupInstances", call.params["name"])


def _conflict(message: str) -> ServiceError:
    return ServiceError(
        409,
        "UserErrorAnotherOperationInProgress",
        message,
        recommended=[
            "Wait for the ongoing operation to complete, then retry. Write backup instances of a vault one at a time."
        ],
        retryable=True,
    )


def _check_no_overlap(svc: Service, vault: JSON, target: JSON | None) -> None:
    """409 while another instance operation of the vault runs or while ``target`` is still being configured (with
    ``strict_vault_writes``, while any instance of the vault is)."""
    for doc in svc.store.select(INSTANCE, parent=vault["id"]):
        if doc.get("op") or (svc.config.strict_vault_writes and render.protection_busy(doc, svc.now())):
            raise _conflict(
                f"Another operation is in progress on the backup instance {doc['name']} of the backup vault "
                f"{vault['id']}. Concurrent operations on backup instances of a vault are not supported."
            )
    if target is not None and render.protection_busy(target, svc.now()):
        state = render.protection(target, svc.now())[1]
        raise _conflict(
            f"The backup instance {target['name']} is in state {state}; it cannot be changed until its protection "
            "is configured."
        )


def _policy(svc: Service, vault: JSON, policy_id: str) -> JSON:
    parsed = ids.parse_vault_child(policy_id, "backupPolicies")
    doc = svc.store.get(POLICY, policy_id) if parsed and parsed[0].lower() == vault["id"].lower() else None
    if doc is None:
        raise ServiceError(
            400,
            "UserErrorDppPolicyNotFound",
            f"The backup policy {policy_id} does not exist in the backup vault {vault['id']}.",
            recommended=["Create the policy in the same backup vault as the backup instance, then retry."],
        )
    return doc


def _check_region(source: JSON) -> None:
    """An unknown ``resourceLocation`` is input the service cannot use: its 400 ``BMSUserErrorInvalidInput`` (the
    code DataProtection answers unusable instance input with, e.g. Azure/azure-rest-api-specs#21911)."""
    location = source.get("resourceLocation")
    if isinstance(location, str) and location and region_name(location) is None:
        raise invalid_input([f"properties.dataSourceInfo.resourceLocation: {location!r} is not an Azure region"])


def _check_semantics(svc: Service, vault: JSON, props: JSON, existing: JSON | None) -> JSON:
    """The service's checks of a backup instance body; fills ``datasourceType`` from the policy when omitted."""
    source = props["dataSourceInfo"]
    policy = _policy(svc, vault, props["policyInfo"]["policyId"])
    policy_types: list[str] = policy["properties"]["datasourceTypes"]
    dtype = source.setdefault("datasourceType", policy_types[0])
    kind = datasources.kind_of(dtype)
    if kind is None:
        known = ", ".join(k.datasource_type for k in datasources.KINDS)
        raise invalid_input([f"properties.dataSourceInfo.datasourceType: unknown datasource type {dtype!r} ({known})"])
    _check_region(source)
    rtype = datasources.resource_type_of(source["resourceID"])
    if rtype.lower() != kind.resource_type.lower():
        raise invalid_input(
            [
                f"properties.dataSourceInfo.resourceID: a {kind.datasource_type} datasource is a "
                f"{kind.resource_type} resource, but the id names a {rtype or 'non-provider'} resource"
            ]
        )
    if not any(datasources.same_type(dtype, t) for t in policy_types):
        raise ServiceError(
            400,
            "UserErrorPolicyDatasourceTypeMismatch",
            f"The backup policy {policy['name']} is for datasource type(s) {', '.join(policy_types)} and cannot "
            f"protect a datasource of type {dtype}.",
            recommended=["Use a backup policy created for this datasource type."],
        )
    _check_containers(policy, props, kind.datasource_type)
    if kind.datasource_type == "Microsoft.ContainerService/managedClusters":
        protectability.check_aks_parameters(props)
    if existing is None:
        protectability.check_region(svc.registry, vault, source)
    protectability.check_identity(vault, props)
    if existing is not None:
        before = existing["properties"]["dataSourceInfo"]["resourceID"]
        if before.lower() != source["resourceID"].lower():
            raise invalid_input(
                [
                    f"properties.dataSourceInfo.resourceID: the datasource of an existing backup instance cannot "
                    f"change (it is {before})"
                ]
            )
    return policy


_CONTAINER_NAME = re.compile(r"^(?=.{3,63}$)[a-z0-9](?:-?[a-z0-9])*$")
"""Azure Storage's container rule (3-63 lower-case letters, digits and single hyphens, starting and ending with a
letter or digit: learn.microsoft.com/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata):
a container with another name cannot exist, so Azure cannot protect it."""


def _check_container_names(props: JSON) -> None:
    """Container names Azure Storage cannot hold are refused as invalid input. Azure's exact answer for them is not
    recorded; BMSUserErrorInvalidInput is the service's answer to input it cannot use (azure-rest-api-specs#21911)."""
    params = props["policyInfo"].get("policyParameters", {}).get("backupDatasourceParametersList", [])
    problems = [
        f"properties.policyInfo.policyParameters.backupDatasourceParametersList[{i}].containersList[{j}]: "
        f"{name!r} is not a container name (3-63 lower-case letters, digits and single hyphens, starting and ending "
        "with a letter or digit)"
        for i, p in enumerate(params)
        for j, name in enumerate(p.get("containersList") or [])
        if not isinstance(name, str) or not _CONTAINER_NAME.match(name)
    ]
    if problems:
        raise invalid_input(problems)


_AUTO_PROTECTION = {
    "BlobBackupDatasourceParametersForAutoProtection": "Microsoft.Storage/storageAccounts/blobServices",
    "AdlsBlobBackupDatasourceParametersForAutoProtection": "Microsoft.Storage/storageAccounts/adlsBlobServices",
}
"""Auto-protection parameters and the datasource type each belongs to (the 2026-06-01 spec's examples
PutBackupInstance_BlobBackupAutoProtection and PutBackupInstance_ADLSBlobBackupAutoProtection pair them so)."""


def _auto_protected(props: JSON, dtype: str) -> bool:
    """Whether the instance's datasource parameters turn auto-protection on; parameters of another datasource type's
    auto-protection are invalid input (a documented guess: Azure's answer to them is not recorded)."""
    params = props["policyInfo"].get("policyParameters", {}).get("backupDatasourceParametersList", [])
    enabled = False
    for i, p in enumerate(params):
        owner = _AUTO_PROTECTION.get(p.get("objectType", ""))
        if owner is None:
            continue
        if owner.lower() != dtype.lower():
            raise invalid_input(
                [
                    f"properties.policyInfo.policyParameters.backupDatasourceParametersList[{i}].objectType: "
                    f"{p['objectType']} is for {owner} datasources, not {dtype}"
                ]
            )
        enabled = enabled or p["autoProtectionSettings"]["enabled"] is True
    return enabled


def _check_containers(policy: JSON, props: JSON, dtype: str) -> None:
    _check_container_names(props)
    auto = _auto_protected(props, dtype)
    if dtype != "Microsoft.Storage/storageAccounts/blobServices" or auto:
        return
    vaulted = any(
        r.get("objectType") == "AzureBackupRule" and r["dataStore"]["dataStoreType"] == "VaultStore"
        for r in policy["properties"].get("policyRules", [])
    )
    params = props["policyInfo"].get("policyParameters", {}).get("backupDatasourceParametersList", [])
    containers = [c for p in params for c in p.get("containersList", [])]
    if vaulted and not containers:
        raise ServiceError(
            400,
            "UserErrorNoContainersSelectedForOperation",
            "No containers selected for operation",
            recommended=[
                "Select at least one container in BlobBackupDatasourceParameters.containersList for "
                "vaulted blob backup."
            ],
        )


def _check_not_protected_elsewhere(svc: Service, resource_id: str, own_id: str | None) -> None:
    for doc in svc.store.select(INSTANCE):
        same_source = doc["properties"]["dataSourceInfo"]["resourceID"].lower() == resource_id.lower()
        if same_source and doc["id"].lower() != (own_id or "").lower():
            vault_id = doc["id"].rsplit("/backupInstances/", 1)[0]
            friendly = doc["properties"].get("friendlyName", doc["name"])
            status = render.protection(doc, svc.now())[0]
            raise ServiceError(
                400,
                "UserErrorDppDatasourceAlreadyHasBackupInstance",
                f"Datasource is already associated with the backup instance {friendly} in the Backup vault "
                f"{vault_id} with the protection status as {status}.",
                recommended=[
                    f"Delete the backup instance {friendly} from the Backup vault {vault_id} to re-protect the "
                    "datasource in any other vault"
                ],
            )


def put(svc: Service, call: Call) -> Reply:
    """PUT an instance: disks get 201 + body, other datasources 202 + Location; updates 202 (UpdatingProtection)."""
    vault = svc.vault_of(call)
    name = call.params["name"]
    ids.check_child_name("backup instance", name)
    parsed = schema.parse(schema.BACKUP_INSTANCE_RESOURCE, call.body)
    props = parsed["properties"]
    instance_id = ids.child_id(vault["id"], "backupInstances", name)
    existing = svc.store.get(INSTANCE, instance_id)
    _check_no_overlap(svc, vault, existing)
    policy = _check_semantics(svc, vault, props, existing)
    if existing is not None and existing["properties"]["policyInfo"]["policyId"].lower() != policy["id"].lower():
        old_policy = svc.store.get(POLICY, existing["properties"]["policyInfo"]["policyId"])
        immutability.check_policy_change(vault, existing, old_policy, policy)
        if immutability.reduces_retention(old_policy, policy, immutability.ALL_STORES):
            guards.require(svc, call, vault, guards.MODIFY_PROTECTION, props.get("resourceGuardOperationRequests"))
    _check_not_protected_elsewhere(svc, props["dataSourceInfo"]["resourceID"], instance_id)
    missing: ServiceError | None = None
    try:
        svc.registry.check_exists(props["dataSourceInfo"]["resourceID"], props["dataSourceInfo"]["datasourceType"])
    except ServiceError as exc:
        missing = exc
    missing = missing or rbac.missing_permissions(svc, vault, props)
    op = svc.start_operation(
        call,
        "instance-update" if existing else "instance-create",
        target=instance_id,
        location=vault["location"],
        error=missing,
    )
    doc: JSON = {
        "id": existing["id"] if existing else instance_id,
        "name": existing["name"] if existing else name,
        "tags": parsed.get("tags"),
        "properties": props,
        "provisioningState": existing["provisioningState"] if existing else "Provisioning",
        "protection": {
            "mode": "update" if existing else "configure",
            "ready_at": op["end"] + timing.protection_seconds(svc.config, op["action"])
            if op["end"] is not None
            else None,
            "error": op["data"].get("protection_error"),
        },
        "op": op["id"],
    }
    svc.store.put(INSTANCE, instance_id, doc, parent=vault["id"])
    status_path = f"{vault['id']}/operationStatus"
    # A new instance is answered 201 with its body and Azure-AsyncOperation only (recorded for disks, PostgreSQL,
    # PostgreSQL flexible, MySQL flexible and AKS, 2023-01-01 to 2025-07-01); blobs and ADLS 202 with a Location
    # (recorded at 2025-07-01: test_dataprotection_backup_instance_create_and_delete_blob.yaml #11).
    kind = props["dataSourceInfo"]["datasourceType"]
    if existing is None and not any(datasources.same_type(kind, t) for t in _ACCEPTED_KINDS):
        return svc.lro_reply(call, 201, op, status_path=status_path, body=render.instance(doc, svc.now()))
    return svc.lro_reply(call, 202, op, status_path=status_path, location_path=f"{doc['id']}/operationResults")


_ACCEPTED_KINDS = (
    "Microsoft.Storage/storageAccounts/blobServices",
    "Microsoft.Storage/storageAccounts/adlsBlobServices",
)


def get(svc: Service, call: Call) -> Reply:
    """GET an instance."""
    _, doc = _instance_of(svc, call)
    return Reply(200, render.instance(doc, svc.now()))


def list_all(svc: Service, call: Call) -> Reply:
    """GET the instances of a vault."""
    vault = svc.vault_of(call)
    now = svc.now()
    return Reply(200, {"value": [render.instance(d, now) for d in svc.store.select(INSTANCE, parent=vault["id"])]})


def delete(svc: Service, call: Call) -> Reply:
    """DELETE an instance: 204 when absent, else 202; it is soft-deleted when the vault's soft delete is on."""
    vault = svc.vault_of(call)
    doc = svc.store.get(INSTANCE, ids.child_id(vault["id"], "backupInstances", call.params["name"]))
    if doc is None:
        return Reply(204)
    _check_no_overlap(svc, vault, doc)
    immutability.check_delete(vault, doc, svc.store.get(POLICY, doc["properties"]["policyInfo"]["policyId"]))
    guards.require_unlock(svc, vault, guards.DELETE_INSTANCE, doc["id"])
    soft_state = schema.SOFT_DELETE_STATE.canonical(
        vault["properties"]["securitySettings"]["softDeleteSettings"].get("state")
    )
    soft = soft_state in ("On", "AlwaysOn")
    op = svc.start_operation(
        call,
        "instance-delete",
        target=doc["id"],
        location=vault["location"],
        data={"soft": soft, "previous": doc["protection"]},
    )
    doc["op"] = op["id"]
    if soft:
        doc["protection"] = {"mode": "softdeleting"}
    svc.store.put(INSTANCE, doc["id"], doc, parent=vault["id"])
    return svc.lro_reply(
        call, 202, op, status_path=f"{vault['id']}/operationStatus", location_path=_sub_results(call, vault)
    )


ADHOC_DEFAULT_TAG = "default"
"""The retention tag of an ad hoc backup that names none (recorded: 7 of 7 such points)."""


def adhoc_backup(svc: Service, call: Call) -> Reply:
    """POST .../backup: an on-demand backup job (InProgress, then Completed) reported through the operation."""
    vault, doc = _instance_of(svc, call)
    request = schema.parse(schema.TRIGGER_BACKUP, call.body)["backupRuleOptions"]
    now = svc.now()
    state = render.protection(doc, now)[1]
    if state != "ProtectionConfigured":
        raise ServiceError(
            400,
            "UserErrorBackupInstanceNotProtected",
            f"An on-demand backup needs the backup instance {doc['name']} in state ProtectionConfigured; "
            f"it is {state}.",
            recommended=["Wait until protection is configured (or resume protection), then retry."],
        )
    policy = svc.store.get(POLICY, doc["properties"]["policyInfo"]["policyId"])
    all_rules = (policy or {}).get("properties", {}).get("policyRules", [])
    rules = [r for r in all_rules if r["objectType"] == "AzureBackupRule"]
    rule = next((r for r in rules if r["name"].lower() == request["ruleName"].lower()), None)
    if policy is None or rule is None:
        raise ServiceError(
            400,
            "UserErrorInvalidBackupRuleName",
            f"The backup rule {request['ruleName']!r} is not a backup rule of the instance's policy "
            f"(backup rules: {', '.join(r['name'] for r in rules) or 'none'}).",
            recommended=["Use the name of an AzureBackupRule of the backup policy."],
        )
    # Without retentionTagOverride Azure files the point under the tag "default" with no expiry (7 of 7 recorded
    # points of such backups, e.g. azure-cli-extensions@d195c728/test_dataprotection_backup_and_restore_oss.yaml
    # #27: retentionTagName "default", expiryTime null on the point and its datastore copy).
    override = request["triggerOption"].get("retentionTagOverride")
    tag = override or ADHOC_DEFAULT_TAG
    job_id = ids.child_id(vault["id"], "backupJobs", str(uuid.uuid4()))
    op = svc.start_operation(call, "instance-backup", target=doc["id"], location=vault["location"], job_id=job_id)
    if op["error"] is None:
        job = svc.record_job(
            vault, doc, policy, job_id, now, operation="Backup", retention_tag=tag, recovery_point=uuid.uuid4().hex
        )
        recovery.add_point(
            svc, doc, policy, rule, tag, job["end"], point_id=job["recovery_point"], expires=override is not None
        )
    return svc.lro_reply(
        call, 202, op, status_path=f"{vault['id']}/operationStatus", location_path=_sub_results(call, vault)
    )


def validate_for_backup(svc: Service, call: Call) -> Reply:
    """POST validateForBackup: body errors are 400s; the service's checks end the operation Failed, as on Azure."""
    vault = svc.vault_of(call)
    instance = schema.parse(schema.VALIDATE_FOR_BACKUP, call.body)["backupInstance"]
    failure = _validation_failure(svc, vault, instance, None)
    kind = instance["dataSourceInfo"]["datasourceType"]
    op = svc.start_operation(call, "validate", target=vault["id"], location=vault["location"], error=failure, kind=kind)
    return svc.lro_reply(
        call, 202, op, status_path=f"{vault['id']}/operationStatus", location_path=_sub_results(call, vault)
    )


def validate_for_modify(svc: Service, call: Call) -> Reply:
    """POST validateForModifyBackup on an existing instance (202 only, like the spec)."""
    vault, doc = _instance_of(svc, call)
    instance = schema.parse(schema.VALIDATE_FOR_MODIFY, call.body)["backupInstance"]
    failure = _validation_failure(svc, vault, instance, doc)
    kind = doc["properties"]["dataSourceInfo"]["datasourceType"]
    op = svc.start_operation(call, "validate", target=doc["id"], location=vault["location"], error=failure, kind=kind)
    return svc.lro_reply(
        call, 202, op, status_path=f"{vault['id']}/operationStatus", location_path=_sub_results(call, vault)
    )


def _validation_failure(svc: Service, vault: JSON, instance: JSON, existing: JSON | None) -> ServiceError | None:
    checked = copy.deepcopy(instance)
    try:
        _check_semantics(svc, vault, checked, existing)
        resource_id = instance["dataSourceInfo"]["resourceID"]
        _check_not_protected_elsewhere(svc, resource_id, existing["id"] if existing else None)
        dtype = instance["dataSourceInfo"].get("datasourceType", "")
        svc.registry.check_exists(resource_id, dtype)
    except ServiceError as exc:
        return exc
    return rbac.missing_permissions(svc, vault, checked)


def _protection_action(
    svc: Service, call: Call, action: str, unchanged_when: tuple[str, ...], critical: guards.Critical | None = None
) -> Reply:
    vault, doc = _instance_of(svc, call)
    body = schema.parse(schema.GUARDED_REQUEST, call.body) if call.body is not None else {}
    if doc["protection"]["mode"] in unchanged_when:
        return Reply(200)
    if critical is not None:
        guards.require(svc, call, vault, critical, body.get("resourceGuardOperationRequests"))
    _check_no_overlap(svc, vault, doc)
    if action == "instance-resume":
        _check_not_protected_elsewhere(svc, doc["properties"]["dataSourceInfo"]["resourceID"], doc["id"])
    op = svc.start_operation(call, action, target=doc["id"], location=vault["location"])
    doc["op"] = op["id"]
    if action == "instance-resume":
        doc["protection"] = {
            "mode": "configure",
            "ready_at": op["end"] + timing.protection_seconds(svc.config, action) if op["end"] is not None else None,
            "error": op["data"].get("protection_error"),
        }
    svc.store.put(INSTANCE, doc["id"], doc, parent=vault["id"])
    return svc.lro_reply(
        call, 202, op, status_path=f"{vault['id']}/operationStatus", location_path=_sub_results(call, vault)
    )


def stop_protection(svc: Service, call: Call) -> Reply:
    """POST stopProtection (retain data): ProtectionStopped when the operation ends."""
    return _protection_action(svc, call, "instance-stop", ("stopped",), guards.STOP_PROTECTION)


def suspend_backups(svc: Service, call: Call) -> Reply:
    """POST suspendBackups: BackupsSuspended (Azure's value, see render.protection) when the operation ends."""
    return _protection_action(svc, call, "instance-suspend", ("suspended",), guards.SUSPEND_BACKUPS)


def resume_protection(svc: Service, call: Call) -> Reply:
    """POST resumeProtection: 200 when already protected, else 202 and ConfiguringProtection again."""
    return _protection_action(svc, call, "instance-resume", ("configure", "update"))


def resume_backups(svc: Service, call: Call) -> Reply:
    """POST resumeBackups (after suspendBackups): like resumeProtection."""
    return _protection_action(svc, call, "instance-resume", ("configure", "update"))


def list_deleted(svc: Service, call: Call) -> Reply:
    """GET the soft-deleted instances of a vault."""
    vault = svc.vault_of(call)
    return Reply(200, {"value": [render.deleted_instance(d) for d in svc.store.select(DELETED, parent=vault["id"])]})


def get_deleted(svc: Service, call: Call) -> Reply:
    """GET a soft-deleted instance."""
    vault = svc.vault_of(call)
    doc = svc.store.get(DELETED, ids.child_id(vault["id"], "deletedBackupInstances", call.params["name"]))
    if doc is None:
        raise generic_not_found()
    return Reply(200, render.deleted_instance(doc))


def undelete(svc: Service, call: Call) -> Reply:
    """POST .../undelete: 200 (synchronous, as recorded); the instance comes back with ProtectionStopped."""
    vault = svc.vault_of(call)
    key = ids.child_id(vault["id"], "deletedBackupInstances", call.params["name"])
    doc = svc.store.get(DELETED, key)
    if doc is None:
        raise generic_not_found()
    instance = doc["instance"]
    if svc.store.get(INSTANCE, instance["id"]) is not None:
        raise _conflict(f"A backup instance named {instance['name']} already exists in the backup vault {vault['id']}.")
    instance.update(protection={"mode": "stopped"}, op=None, provisioningState="Succeeded")
    svc.store.put(INSTANCE, instance["id"], instance, parent=vault["id"])
    svc.store.delete(DELETED, key)
    return Reply(200)


def list_for_datasource(svc: Service, call: Call) -> Reply:
    """GET {datasourceId}/providers/Microsoft.DataProtection/backupInstances (extension routing)."""
    source = call.params["datasource"]
    now = svc.now()
    found = [
        render.instance(d, now, resource_id=f"{source}/providers/{ids.NAMESPACE}/backupInstances/{d['name']}")
        for d in svc.store.select(INSTANCE)
        if d["properties"]["dataSourceInfo"]["resourceID"].lower() == source.lower()
    ]
    return Reply(200, {"value": found})
