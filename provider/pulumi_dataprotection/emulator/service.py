"""The emulated service's core: requests and replies, long-running operations and their time-driven effects.

Every request first ``settle()``s the state: operations whose end time has passed get their effect applied
(a vault leaves ``Provisioning``, a deleted instance moves to the soft-deleted list, ...) and soft-deleted
instances past their purge time disappear. All of it is computed from timestamps in SQLite, so there is no
background thread and a restarted emulator picks up where it stopped.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from pulumi_dataprotection.emulator import ids, jobs, render, timing
from pulumi_dataprotection.emulator.config import API_VERSION, EmulatorConfig
from pulumi_dataprotection.emulator.datasources import Registry
from pulumi_dataprotection.emulator.errors import ServiceError, generic_not_found, resource_not_found
from pulumi_dataprotection.emulator.faults import OPERATION_KINDS, Faults
from pulumi_dataprotection.emulator.store import Store
from pulumi_dataprotection.emulator.timeutil import ticks

JSON = dict[str, Any]

# Document kinds in the store.
VAULT, POLICY, INSTANCE, DELETED, JOB, OPERATION, PENDING, DELETED_VAULT = (
    "vault",
    "policy",
    "instance",
    "deleted-instance",
    "job",
    "operation",
    "pending-operation",
    "deleted-vault",
)
# Multi-user authorization (see ``guards``): resource guards, vault guard links, open unlocks, access to guards
# (keyed by guard id) and subscriptions of other tenants (keyed by subscription id).
GUARD, PROXY, UNLOCK, GRANT, TENANT = "resource-guard", "guard-proxy", "guard-unlock", "guard-grant", "guard-tenant"


@dataclass
class Call:
    """One ARM request as the handlers see it."""

    method: str
    path: str
    base_url: str
    params: dict[str, str]
    body: Any = None
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    """Request headers, lower-cased names."""


@dataclass
class Reply:
    """What a handler answers: status, JSON body (None = empty) and extra headers."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class Service:
    """State, rules and long-running operations of the emulated Microsoft.DataProtection."""

    def __init__(self, store: Store, config: EmulatorConfig, faults: Faults, registry: Registry) -> None:
        self.store = store
        self.config = config
        self.faults = faults
        self.registry = registry

    # -- time and identity -------------------------------------------------------------------------------------

    def now(self) -> float:
        """Emulator time (wall clock plus the admin clock offset)."""
        return self.store.now()

    def _secret(self, name: str) -> str:
        value = self.store.setting(name, "")
        if not value:
            value = str(uuid.uuid4()) if name == "tenant_id" else secrets.token_hex(32)
            self.store.set_setting(name, value)
        return value

    def tenant_id(self) -> str:
        """The tenant id reported in managed identities (stable for one database)."""
        return self._secret("tenant_id")

    # -- lookups -----------------------------------------------------------------------------------------------

    def vault_of(self, call: Call) -> JSON:
        """The vault named in the URL, or ARM's 404."""
        p = call.params
        doc = self.store.get(VAULT, ids.vault_id(p["sub"], p["rg"], p["vault"]))
        if doc is None:
            raise resource_not_found(ids.VAULT_TYPE, p["vault"], p["rg"])
        return doc

    def record_job(self, vault: JSON, instance: JSON, policy: JSON, job_id: str, now: float, **fields: Any) -> JSON:
        """Store and return the job ``job_id`` of ``instance`` (its datasource, vault and policy as jobs report them)
        with ``fields`` (the operation and what is particular to it), ending after ``jobs.seconds``."""
        source = instance["properties"]["dataSourceInfo"]
        parts = [p for p in source["resourceID"].split("/") if p]
        job = {
            "id": job_id,
            "name": job_id.rsplit("/", 1)[1],
            "activity": str(uuid.uuid4()),
            "sub": vault["sub"],
            "instance_id": instance["id"],
            "policy_id": policy["id"],
            "policy_name": policy["name"],
            "datasource_id": source["resourceID"],
            "vault_name": vault["name"],
            "friendly_name": instance["properties"].get("friendlyName", instance["name"]),
            "source_rg": parts[3] if len(parts) > 3 else "",
            "source_sub": parts[1] if len(parts) > 1 else "",
            "datasource_name": source.get("resourceName") or parts[-1],
            "datasource_location": source.get("resourceLocation") or vault["location"],
            "datasource_type": source["datasourceType"],
            "datasource_set": (instance["properties"].get("dataSourceSetInfo") or {}).get("resourceName"),
            **fields,
            "start": now,
        }
        job["end"] = now + jobs.seconds(
            job["datasource_type"],
            job["operation"],
            azure=self.config.azure_job_durations,
            lro_seconds=self.config.lro_seconds,
        )
        self.store.put(JOB, job_id, job, parent=vault["id"])
        return job

    def in_scope(self, kind: str, call: Call, *, by_group: bool) -> list[JSON]:
        """The tracked resources of ``kind`` (vaults, resource guards) in the URL's subscription, and in its resource
        group when ``by_group``."""
        p = call.params
        return [
            d
            for d in self.store.select(kind)
            if d["sub"].lower() == p["sub"].lower() and (not by_group or d["rg"].lower() == p["rg"].lower())
        ]

    def child(self, kind: str, vault: JSON, collection: str, name: str) -> JSON:
        """A child document of a vault, or DataProtection's 404."""
        doc = self.store.get(kind, ids.child_id(vault["id"], collection, name))
        if doc is None:
            raise generic_not_found()
        return doc

    # -- long-running operations ---------------------------------------------------------------------------------

    def start_operation(
        self,
        call: Call,
        action: str,
        *,
        target: str,
        location: str,
        data: JSON | None = None,
        job_id: str | None = None,
        error: ServiceError | None = None,
        kind: str | None = None,
    ) -> JSON:
        """Record an operation that ends after its ``timing`` duration, as shaped by any injected operation faults.

        ``error`` makes it end Failed (a service-side check that fails asynchronously, like validateForBackup).
        """
        now = self.now()
        end: float | None = now + timing.operation_seconds(self.config, action, kind)
        data = dict(data or {})
        for fault in self.faults.take(call.method, call.path, OPERATION_KINDS):
            if fault.kind == "lro_stuck":
                end = None
            elif fault.kind == "lro_fail" and error is None:
                error = ServiceError(
                    400,
                    fault.code or "UserErrorInjectedFailure",
                    fault.message or "The operation failed (fault injected by the emulator).",
                    recommended=["Retry the operation."],
                )
            elif fault.kind == "protection_error":
                data["protection_error"] = render.strip_none(
                    ServiceError(
                        400,
                        fault.code or "UserErrorMSIMissingPermissions",
                        fault.message or "Appropriate permissions to perform the operation is missing.",
                        recommended=["Grant the backup vault's managed identity the roles the datasource needs."],
                    ).user_facing()
                )
        op: JSON = {
            "id": base64.b64encode(f"{uuid.uuid4()};{uuid.uuid4()}".encode()).decode(),
            "action": action,
            "sub": call.params["sub"],
            "rg": call.params.get("rg"),
            "target": target,
            "location": render.region(location),
            "start": now,
            "end": end,
            "error": {"status": error.status, "body": error.operation_error(), "arm": _error_json(error)}
            if error
            else None,
            "job_id": job_id,
            "data": data,
        }
        self.store.put(OPERATION, op["id"], op)
        self.store.put(PENDING, op["id"], {"id": op["id"]})
        return op

    def polling_url(self, call: Call, path: str) -> str:
        """An absolute, ARM-signed polling URL (``t``, ``c``, ``s``, ``h`` as ARM adds them; do not rebuild it)."""
        t = str(ticks(self.now()))
        key = self._secret("signing_key").encode()
        c = _b64(hashlib.sha256(key + path.encode()).digest())
        s = _b64(hmac.new(key, f"{path}|{t}".encode(), hashlib.sha256).digest())
        h = _b64(hashlib.sha256(f"{s}{c}".encode()).digest())
        version = call.query.get("api-version") or API_VERSION  # Azure's links carry the request's version
        return f"{call.base_url}{path}?{urlencode({'api-version': version, 't': t, 'c': c, 's': s, 'h': h})}"

    def lro_reply(
        self,
        call: Call,
        status: int,
        op: JSON,
        *,
        status_path: str,
        location_path: str | None = None,
        body: Any = None,
    ) -> Reply:
        """The initial response of a long-running operation: ``Azure-AsyncOperation`` (+ ``Location``) and
        ``Retry-After``."""
        headers = {"Azure-AsyncOperation": self.polling_url(call, f"{status_path}/{op['id']}")}
        if location_path is not None:
            headers["Location"] = self.polling_url(call, f"{location_path}/{op['id']}")
        headers["Retry-After"] = str(self.config.retry_after)
        return Reply(status, body, headers)

    def operation(self, call: Call) -> JSON:
        """The operation named in a status/result URL, checked against the URL's subscription (and group/vault)."""
        p = call.params
        op = self.store.get(OPERATION, p["operation"])
        if op is None or op["sub"].lower() != p["sub"].lower():
            raise generic_not_found()
        if "rg" in p and (op["rg"] or "").lower() != p["rg"].lower():
            raise generic_not_found()
        if "vault" in p and not op["target"].lower().startswith(ids.vault_id(p["sub"], p["rg"], p["vault"]).lower()):
            raise generic_not_found()
        return op

    # -- settling time-driven effects ------------------------------------------------------------------------------

    def settle(self) -> None:
        """Apply the effects of every operation that has ended and purge expired soft-deleted instances and vaults."""
        now = self.now()
        for pending in self.store.select(PENDING):
            op = self.store.get(OPERATION, pending["id"])
            if op is None:
                self.store.delete(PENDING, pending["id"])
                continue
            if op["end"] is None or now < op["end"]:
                continue
            self._apply(op)
            self.store.delete(PENDING, op["id"])
        for kind in (DELETED, DELETED_VAULT):
            for doc in self.store.select(kind):
                if now >= doc["purge_at"]:
                    self.store.delete(kind, doc["key"])

    def _apply(self, op: JSON) -> None:
        action, ok = op["action"], op["error"] is None
        if action.startswith("vault-"):
            self._apply_vault(op, ok)
        elif action.startswith("instance-"):
            self._apply_instance(op, ok)

    def _apply_vault(self, op: JSON, ok: bool) -> None:
        doc = self.store.get(VAULT, op["target"])
        if doc is None or doc.get("op") != op["id"]:
            return
        if op["action"] == "vault-delete":
            if ok:
                self.keep_deleted_vault(doc, at=op["end"])
                self.delete_vault_tree(doc)
            else:
                doc["op"] = None
                self.store.put(VAULT, doc["id"], doc)
            return
        doc["provisioningState"] = "Succeeded" if ok else "Failed"
        doc["op"] = None
        self.store.put(VAULT, doc["id"], doc)

    def delete_vault_tree(self, doc: JSON) -> None:
        """Remove a vault with its policies, soft-deleted instances, jobs and guard link."""
        for kind in (POLICY, INSTANCE, DELETED, JOB, PROXY, UNLOCK):
            for child in self.store.select(kind, parent=doc["id"]):
                self.store.delete(kind, child.get("key") or child["id"])
        self.store.delete(VAULT, doc["id"])

    def keep_deleted_vault(self, doc: JSON, *, at: float) -> None:
        """Keep a deleted vault whose soft delete is On or AlwaysOn as a deleted vault for its retention (the
        undelete flow restores it); a later deletion of a vault of the same name in the region replaces it."""
        soft = doc["properties"].get("securitySettings", {}).get("softDeleteSettings", {})
        if soft.get("state") not in ("On", "AlwaysOn"):
            return
        key = ids.deleted_vault_id(doc["sub"], doc["location"], doc["name"])
        days = float(soft.get("retentionDurationInDays", 14.0))
        kept = {
            "key": key,
            "vault": doc,
            "deleted_at": at,
            "purge_at": at + days * 86400,
            "activity": str(uuid.uuid4()),
        }
        self.store.put(DELETED_VAULT, key, kept, parent=f"/subscriptions/{doc['sub']}")

    def _apply_instance(self, op: JSON, ok: bool) -> None:
        doc = self.store.get(INSTANCE, op["target"])
        if doc is None or doc.get("op") != op["id"]:
            return
        action = op["action"]
        doc["op"] = None
        if action == "instance-create" and not ok:
            self.store.delete(INSTANCE, doc["id"])
            return
        if action == "instance-delete":
            if ok:
                self.remove_instance(doc, soft=op["data"]["soft"], at=op["end"])
            else:
                doc["protection"] = op["data"]["previous"]
                self.store.put(INSTANCE, doc["id"], doc)
            return
        if action in ("instance-create", "instance-update"):
            doc["provisioningState"] = "Succeeded" if ok else "Failed"
        elif ok and action in ("instance-stop", "instance-suspend"):
            doc["protection"] = {"mode": "stopped" if action == "instance-stop" else "suspended"}
        self.store.put(INSTANCE, doc["id"], doc)

    def remove_instance(self, doc: JSON, *, soft: bool, at: float) -> None:
        """Delete a backup instance, keeping it as soft-deleted for the vault's retention when ``soft``."""
        self.store.delete(INSTANCE, doc["id"])
        if not soft:
            return
        vault_id = doc["id"].rsplit("/backupInstances/", 1)[0]
        vault = self.store.get(VAULT, vault_id)
        days = 14.0
        if vault is not None:
            days = float(
                vault["properties"]
                .get("securitySettings", {})
                .get("softDeleteSettings", {})
                .get("retentionDurationInDays", 14.0)
            )
        key = ids.child_id(vault_id, "deletedBackupInstances", doc["name"])
        self.store.put(
            DELETED,
            key,
            {
                "key": key,
                "instance": doc,
                "deleted_at": at,
                "purge_at": at + days * 86400,
                "activity": str(uuid.uuid4()),
            },
            parent=vault_id,
        )


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _error_json(error: ServiceError) -> JSON:
    return {
        "status": error.status,
        "code": error.code,
        "message": error.message,
        "recommended": error.recommended,
        "retryable": error.retryable,
    }


def error_from_json(data: JSON) -> ServiceError:
    """The ServiceError an operation recorded (to answer its ``operationResults`` URL with the same error)."""
    return ServiceError(
        int(data["status"]),
        str(data["code"]),
        str(data["message"]),
        recommended=list(data.get("recommended", [])),
        retryable=bool(data.get("retryable", False)),
    )
