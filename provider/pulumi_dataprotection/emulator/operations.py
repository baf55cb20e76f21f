"""Polling endpoints (operation status and operation results at every scope Azure uses) and backup jobs."""

from __future__ import annotations

from pulumi_dataprotection.emulator import ids, jobs, render
from pulumi_dataprotection.emulator.errors import generic_not_found
from pulumi_dataprotection.emulator.service import INSTANCE, JOB, Call, Reply, Service, error_from_json


def status(svc: Service, call: Call) -> Reply:
    """GET an operation status (always 200; the body says Inprogress, Succeeded or Failed)."""
    op = svc.operation(call)
    return Reply(200, render.operation(op, svc.now(), call.path))


def _running(svc: Service, call: Call, status_path: str | None) -> Reply:
    headers = {"Location": svc.polling_url(call, call.path), "Retry-After": str(svc.config.retry_after)}
    if status_path is not None:
        headers["Azure-AsyncOperation"] = svc.polling_url(call, status_path)
    return Reply(202, None, headers)


def _subscription_status_path(call: Call, op_id: str) -> str:
    p = call.params
    return f"/subscriptions/{p['sub']}/providers/{ids.NAMESPACE}/locations/{p['location']}/operationStatus/{op_id}"


def result(svc: Service, call: Call) -> Reply:
    """GET a subscription-scoped operation result: 202 while running, then 200 OperationJobExtendedInfo."""
    op = svc.operation(call)
    state = render.operation_status(op, svc.now())
    status_path = _subscription_status_path(call, op["id"])
    if state == "Inprogress":
        return _running(svc, call, status_path)
    if state == "Failed":
        raise error_from_json(op["error"]["arm"])
    return Reply(200, render.operation_result(op), {"Azure-AsyncOperation": svc.polling_url(call, status_path)})


def vault_result(svc: Service, call: Call) -> Reply:
    """GET a vault operation result (vault PATCH): 202 while running, then 200 with the vault."""
    op = svc.operation(call)
    state = render.operation_status(op, svc.now())
    if state == "Inprogress":
        return _running(svc, call, None)
    if state == "Failed":
        raise error_from_json(op["error"]["arm"])
    return Reply(200, render.vault(svc.vault_of(call), call.query.get("api-version", "")))


def instance_result(svc: Service, call: Call) -> Reply:
    """GET a backup instance operation result (instance PUT): 202 while running, then 200 with the instance."""
    op = svc.operation(call)
    state = render.operation_status(op, svc.now())
    if state == "Inprogress":
        return _running(svc, call, None)
    if state == "Failed":
        raise error_from_json(op["error"]["arm"])
    vault = svc.vault_of(call)
    doc = svc.child(INSTANCE, vault, "backupInstances", call.params["name"])
    return Reply(200, render.instance(doc, svc.now()))


def get_job(svc: Service, call: Call) -> Reply:
    """GET a backup job."""
    vault = svc.vault_of(call)
    doc = svc.store.get(JOB, ids.child_id(vault["id"], "backupJobs", call.params["job"]))
    if doc is None:
        raise generic_not_found()
    return Reply(200, jobs.render(doc, svc.now(), version=call.query.get("api-version") or jobs.WARNINGS_SINCE))


def list_jobs(svc: Service, call: Call) -> Reply:
    """GET the backup jobs of a vault."""
    vault = svc.vault_of(call)
    now = svc.now()
    return Reply(200, {"value": [jobs.render(d, now, listed=True) for d in svc.store.select(JOB, parent=vault["id"])]})
