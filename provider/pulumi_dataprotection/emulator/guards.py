"""Multi-user authorization (MUA): resource guards, a vault's guard link and the checks on critical operations.

A resource guard (``Microsoft.DataProtection/resourceGuards``) lives in its own resource group or subscription and
is owned by a security admin. A vault is linked to at most one guard through its ``backupResourceGuardProxies``
child. While linked, the vault's critical operations are refused unless the caller is authorized on the guard:

- updates carry ``resourceGuardOperationRequests`` (``{guard}/{requestType}/default``) in their body and ARM checks
  the caller's access to that request on the guard (a linked access check, ``LinkedAuthorizationFailed``);
- deletes (a backup instance, the guard link itself) carry no body: the caller first POSTs ``unlockDelete`` on the
  link naming the resource and the request, which runs the same access check and opens a window until
  ``unlockDeleteExpiryTime``.

A guard in another tenant needs an ``x-ms-authorization-auxiliary: Bearer <token>`` header of that tenant on the
calls ARM checks against the guard. Access to a guard (what PIM or a role assignment on the guard gives in Azure)
and foreign tenants are set through the admin API (``/_emulator/guard-access``, ``/_emulator/tenants``).

Mandatory operations (disable soft delete and other security settings, remove the guard link) cannot be excluded;
the others can, through the guard's ``vaultCriticalOperationExclusionList``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from pulumi_dataprotection.emulator import ids, render, schema
from pulumi_dataprotection.emulator.errors import ServiceError, gateway, generic_not_found, invalid_input
from pulumi_dataprotection.emulator.schema import Obj, Str, opt, ro
from pulumi_dataprotection.emulator.service import GRANT, GUARD, PROXY, TENANT, UNLOCK, VAULT, Call, Reply, Service
from pulumi_dataprotection.emulator.timeutil import iso

JSON = dict[str, Any]

GUARD_TYPE = f"{ids.NAMESPACE}/resourceGuards"
PROXY_TYPE = f"{ids.NAMESPACE}/vaults/backupResourceGuardProxies"  # as the service spells it (official examples)
UNLOCK_SECONDS = 600.0
"""How long an unlockDelete stays valid (the emulator's choice; Azure returns the expiry time)."""
_DP_VAULT = f"{ids.NAMESPACE}/backupVaults"
_RS_VAULT = "Microsoft.RecoveryServices/vaults"


@dataclass(frozen=True)
class Critical:
    """A critical operation a guard can protect: the vault action, the guard's request type, and its rules."""

    key: str
    operation: str
    request_type: str
    mandatory: bool
    title: str

    @property
    def request_resource_type(self) -> str:
        """The ``requestResourceType`` a guard lists for this operation: the operation itself for Backup vault
        operations, the guard's request type for Recovery Services ones (both as recorded)."""
        if self.operation.startswith(_DP_VAULT):
            return self.operation
        return f"{GUARD_TYPE}/{self.request_type}"


# Backup vault (Microsoft.DataProtection) operations, their default requests and their order as Azure lists them in
# a guard link (recorded: corpus/azure-cli-extensions-head/test_dataprotection_resource_guard_mapping.yaml #4).
DELETE_INSTANCE = Critical(
    "delete-instance",
    f"{_DP_VAULT}/backupInstances/delete",
    "deleteBackupInstanceRequests",
    False,
    "delete a backup instance (stop protection and delete its data)",
)
REMOVE_GUARD = Critical(
    "remove-guard",
    f"{_DP_VAULT}/backupResourceGuardProxies/delete",
    "deleteResourceGuardProxyRequests",
    True,
    "remove the vault's resource guard link (disable MUA)",
)
REDUCE_IMMUTABILITY = Critical(
    "reduce-immutability",
    f"{_DP_VAULT}/write#reduceImmutabilityState",
    "dppReduceImmutabilityStateRequests",
    False,
    "reduce the vault's immutability state",
)
DISABLE_SECURITY = Critical(
    "disable-security",
    f"{_DP_VAULT}/write#reduceSoftDeleteSecurity",
    "dppReduceSoftDeleteSecurityRequests",
    True,
    "disable soft delete or shorten its retention",
)
MODIFY_ENCRYPTION = Critical(
    "modify-encryption",
    f"{_DP_VAULT}/write#modifyEncryptionSettings",
    "dppModifyEncryptionSettingsRequests",
    False,
    "modify the vault's encryption settings",
)
STOP_PROTECTION = Critical(
    "stop-protection",
    f"{_DP_VAULT}/backupInstances/stopProtection/action",
    "dppDisableStopProtectionRequests",
    False,
    "stop protection of a backup instance",
)
SUSPEND_BACKUPS = Critical(
    "suspend-backups",
    f"{_DP_VAULT}/backupInstances/suspendBackups/action",
    "dppDisableSuspendBackupsRequests",
    False,
    "suspend the backups of a backup instance",
)
MODIFY_PROTECTION = Critical(
    "modify-protection",
    f"{_DP_VAULT}/backupInstances/write",
    "dppModifyPolicy",
    False,
    "modify protection of a backup instance to reduce its retention",
)
TRIGGER_RESTORE = Critical(
    "trigger-restore",
    f"{_DP_VAULT}/backupInstances/restore/action",
    "dppTriggerRestoreRequests",
    False,
    "restore a backup instance",
)
BACKUP_VAULT_OPERATIONS = (
    DELETE_INSTANCE,
    REMOVE_GUARD,
    REDUCE_IMMUTABILITY,
    DISABLE_SECURITY,
    MODIFY_ENCRYPTION,
    STOP_PROTECTION,
    SUSPEND_BACKUPS,
    MODIFY_PROTECTION,
    TRIGGER_RESTORE,
)
# Recovery Services vault operations a guard also lists (no Recovery Services vaults are emulated), in Azure's order
# (recorded: corpus/azure-cli-extensions-head/test_dataprotection_resource_guard_create_and_delete.yaml #1).
_RS_ITEMS = f"{_RS_VAULT}/backupFabrics/protectionContainers/protectedItems"
RECOVERY_SERVICES_OPERATIONS = (
    Critical("rs-delete-item", f"{_RS_ITEMS}/delete", "deleteProtectedItemRequests", False, "delete protected item"),
    Critical("rs-update-item", f"{_RS_ITEMS}/write", "updateProtectedItemRequests", False, "modify protection"),
    Critical("rs-update-policy", f"{_RS_VAULT}/backupPolicies/write", "updateProtectionPolicyRequests", False,
             "modify backup policy"),
    Critical("rs-remove-guard", f"{_RS_VAULT}/backupResourceGuardProxies/delete", "deleteResourceGuardProxyRequests",
             True, "disable MUA"),
    Critical("rs-security-pin", f"{_RS_VAULT}/backupSecurityPIN/action", "getBackupSecurityPINRequests", False,
             "get security PIN"),
    Critical("rs-disable-soft-delete", f"{_RS_VAULT}/backupconfig/write", "disableSoftDeleteRequests", True,
             "disable soft delete"),
    Critical("rs-stop-retain", f"{_RS_ITEMS}/write#stopProtectionWithRetainData",
             "stopProtectionWithRetainDataRequests", False, "stop protection and retain data"),
    Critical("rs-reduce-immutability", f"{_RS_VAULT}/write#reduceImmutabilityState",
             "reduceImmutabilityStateRequests", False, "reduce immutability"),
    Critical("rs-restore", f"{_RS_ITEMS}/recoveryPoints/restore/action", "triggerRestoreRequests", False, "restore"),
    Critical("rs-delete-mab-identity", f"{_RS_VAULT}/registeredIdentities/delete", "deleteMABIdentityRequests",
             False, "unregister a MARS/MABS server"),
)  # fmt: skip
ALL_OPERATIONS = RECOVERY_SERVICES_OPERATIONS + BACKUP_VAULT_OPERATIONS
"""Every operation a guard lists, in Azure's order (19 at api-version 2025-07-01)."""
REQUEST_TYPES = tuple(dict.fromkeys(c.request_type for c in ALL_OPERATIONS))
"""Request types whose objects the API lists (``{guard}/{requestType}`` and ``.../default``)."""
_UNLOCKS = (REMOVE_GUARD, DELETE_INSTANCE)
"""The critical deletes an unlockDelete authorizes."""

GUARD_RESOURCE = Obj(
    "ResourceGuardResource",
    {
        "location": opt(schema.S),
        "tags": opt(schema.ANY_OBJECT),
        "eTag": opt(schema.S),
        "properties": opt(
            Obj(
                "ResourceGuard",
                {
                    "vaultCriticalOperationExclusionList": opt(schema.STRINGS),
                    "provisioningState": ro(schema.S),
                    "allowAutoApprovals": ro(schema.S),
                    "resourceGuardOperations": ro(schema.S),
                    "description": ro(schema.S),
                },
            )
        ),
        "id": ro(schema.S),
        "name": ro(schema.S),
        "type": ro(schema.S),
        "systemData": ro(schema.S),
    },
)
PATCH_GUARD = Obj("PatchResourceGuardInput", {"tags": opt(schema.ANY_OBJECT)})
PROXY_RESOURCE = Obj(
    "ResourceGuardProxyBaseResource",
    {
        "properties": opt(
            Obj(
                "ResourceGuardProxyBase",
                {
                    "resourceGuardResourceId": opt(Str(fmt="arm-id")),
                    "resourceGuardOperationDetails": opt(schema.Arr(schema.ANY_OBJECT)),
                    "lastUpdatedTime": opt(schema.S),
                    "description": opt(schema.S),
                },
            )
        ),
        "id": ro(schema.S),
        "name": ro(schema.S),
        "type": ro(schema.S),
        "systemData": ro(schema.S),
    },
)
UNLOCK_REQUEST = Obj(
    "UnlockDeleteRequest", {"resourceGuardOperationRequests": opt(schema.STRINGS), "resourceToBeDeleted": opt(schema.S)}
)


# -- errors ---------------------------------------------------------------------------------------------------------


def _not_authorized(vault: JSON, guard_id: str, critical: Critical, how: str) -> ServiceError:
    request = f"{guard_id}/{critical.request_type}/default"
    return ServiceError(
        400,
        "UserErrorCriticalOperationUnauthorized",
        f"The operation '{critical.operation}' on the backup vault {vault['id']} is a critical operation protected by "
        f"the resource guard {guard_id}; {how}",
        recommended=[
            f"Get access to the request {request} on the resource guard (Backup MUA Operator, for example through a "
            "PIM request approved by the guard's owner), then retry with that request."
        ],
    )


def linked_authorization_failed(call: Call, guard_id: str, critical: Critical, note: str = "") -> ServiceError:
    """ARM's 403 when the caller may act on the vault but not on the linked guard."""
    return gateway(
        403,
        "LinkedAuthorizationFailed",
        f"The client has permission to perform action '{critical.operation}' on scope '{call.path}'; however, it "
        f"does not have permission to perform action(s) '{critical.request_resource_type}/read' on the linked "
        f"scope(s) '{guard_id}/{critical.request_type}/default' (respectively) or the linked scope(s) are "
        f"invalid.{note}",
    )


# -- resource guards --------------------------------------------------------------------------------------------------


def guard_id(sub: str, rg: str, name: str) -> str:
    """The id of a resource guard."""
    return f"{ids.rg_id(sub, rg)}/providers/{GUARD_TYPE}/{name}"


def _exclusions(requested: list[str]) -> list[str]:
    problems = []
    known = {c.operation.lower(): c for c in ALL_OPERATIONS}
    out = []
    for i, op in enumerate(requested):
        critical = known.get(op.lower())
        if critical is None:
            problems.append(
                f"properties.vaultCriticalOperationExclusionList[{i}]: {op!r} is not a critical operation "
                f"({', '.join(c.operation for c in ALL_OPERATIONS)})"
            )
        elif critical.mandatory:
            problems.append(
                f"properties.vaultCriticalOperationExclusionList[{i}]: {critical.operation} is mandatory and cannot "
                "be excluded"
            )
        else:
            out.append(critical.operation)
    if problems:
        raise invalid_input(problems)
    return out


def render_guard(doc: JSON) -> JSON:
    """A ResourceGuardResource."""
    body: JSON = {"location": doc["location"]}
    if doc.get("tags") is not None:
        body["tags"] = doc["tags"]
    # As recorded (resource_guard_create_and_delete.yaml #1): no description, allowAutoApprovals true.
    body["properties"] = {
        "provisioningState": "Succeeded",
        "resourceGuardOperations": [
            {"vaultCriticalOperation": c.operation, "requestResourceType": c.request_resource_type}
            for c in ALL_OPERATIONS
        ],
        "vaultCriticalOperationExclusionList": list(doc["exclusions"]),
        "allowAutoApprovals": True,
    }
    body.update({"id": doc["id"], "name": doc["name"], "type": GUARD_TYPE})
    return body


def _guard_of(svc: Service, call: Call) -> JSON:
    p = call.params
    doc = svc.store.get(GUARD, guard_id(p["sub"], p["rg"], p["guard"]))
    if doc is None:
        raise gateway(
            404,
            "ResourceNotFound",
            f"The Resource '{GUARD_TYPE}/{p['guard']}' under resource group '{p['rg']}' was not found. "
            "For more details please go to https://aka.ms/ARMResourceNotFoundFix",
        )
    return doc


def put_guard(svc: Service, call: Call) -> Reply:
    """PUT a resource guard (synchronous): 200 whether created or updated (recorded: every guard PUT, e.g.
    resource_guard_create_and_delete.yaml #1 creates with 200)."""
    p = call.params
    ids.check_child_name("resource guard", p["guard"])
    parsed = schema.parse(GUARD_RESOURCE, call.body)
    if not parsed.get("location"):
        raise gateway(400, "LocationRequired", "The location property is required for this definition.")
    key = guard_id(p["sub"], p["rg"], p["guard"])
    existing = svc.store.get(GUARD, key)
    if existing is not None and render.region(existing["location"]) != render.region(parsed["location"]):
        raise gateway(
            409,
            "InvalidResourceLocation",
            f"The resource '{p['guard']}' already exists in location '{existing['location']}' in resource group "
            f"'{p['rg']}'. A resource with the same name cannot be created in location '{parsed['location']}'. "
            "Please select a new resource name.",
        )
    exclusions = _exclusions(parsed.get("properties", {}).get("vaultCriticalOperationExclusionList", []))
    doc: JSON = {
        "id": existing["id"] if existing else key,
        "name": existing["name"] if existing else p["guard"],
        "sub": p["sub"],
        "rg": p["rg"],
        "location": existing["location"] if existing else parsed["location"],
        "tags": parsed.get("tags"),
        "exclusions": exclusions,
    }
    svc.store.put(GUARD, key, doc)
    return Reply(200, render_guard(doc))


def get_guard(svc: Service, call: Call) -> Reply:
    """GET a resource guard."""
    return Reply(200, render_guard(_guard_of(svc, call)))


def patch_guard(svc: Service, call: Call) -> Reply:
    """PATCH a resource guard's tags."""
    doc = _guard_of(svc, call)
    parsed = schema.parse(PATCH_GUARD, call.body)
    if "tags" in parsed:
        doc["tags"] = parsed["tags"]
        svc.store.put(GUARD, doc["id"], doc)
    return Reply(200, render_guard(doc))


def delete_guard(svc: Service, call: Call) -> Reply:
    """DELETE a resource guard: 204 when absent, refused while a vault is linked to it, else 200."""
    p = call.params
    doc = svc.store.get(GUARD, guard_id(p["sub"], p["rg"], p["guard"]))
    if doc is None:
        return Reply(204)
    linked = [x["vault"] for x in svc.store.select(PROXY) if x["guard"].lower() == doc["id"].lower()]
    if linked:
        raise ServiceError(
            409,
            "UserErrorResourceGuardInUse",
            f"The resource guard {doc['id']} cannot be deleted while vaults are linked to it: {', '.join(linked)}.",
            recommended=["Remove the resource guard link of every vault (an MUA-protected operation), then retry."],
        )
    svc.store.delete(GUARD, doc["id"])
    return Reply(200)


def _list_guards(svc: Service, call: Call, *, by_group: bool) -> Reply:
    return Reply(200, {"value": [render_guard(d) for d in svc.in_scope(GUARD, call, by_group=by_group)]})


def list_guards_in_group(svc: Service, call: Call) -> Reply:
    """GET the resource guards of a resource group."""
    return _list_guards(svc, call, by_group=True)


def list_guards_in_subscription(svc: Service, call: Call) -> Reply:
    """GET the resource guards of a subscription."""
    return _list_guards(svc, call, by_group=False)


def _request_object(doc: JSON, request_type: str) -> JSON:
    return {
        "id": f"{doc['id']}/{request_type}/default",
        "name": "default",
        "type": f"{GUARD_TYPE}/{request_type}",
    }


def _canonical_request_type(raw: str) -> str:
    return next(t for t in REQUEST_TYPES if t.lower() == raw.lower())


def list_requests(svc: Service, call: Call) -> Reply:
    """GET ``{guard}/{requestType}``: the guard's one ``default`` request object of that type."""
    doc = _guard_of(svc, call)
    return Reply(200, {"value": [_request_object(doc, _canonical_request_type(call.params["request_type"]))]})


def get_request(svc: Service, call: Call) -> Reply:
    """GET ``{guard}/{requestType}/default``."""
    doc = _guard_of(svc, call)
    if call.params["request"].lower() != "default":
        raise generic_not_found()
    return Reply(200, _request_object(doc, _canonical_request_type(call.params["request_type"])))


# -- the vault's guard link ----------------------------------------------------------------------------------------


def proxy_of(svc: Service, vault: JSON) -> JSON | None:
    """The guard link of a vault, if any."""
    found = svc.store.select(PROXY, parent=vault["id"])
    return found[0] if found else None


def render_proxy(svc: Service, doc: JSON) -> JSON:
    """A ResourceGuardProxyBaseResource: the link with the guard's operations that apply to the vault."""
    guard = svc.store.get(GUARD, doc["guard"])
    excluded = {e.lower() for e in (guard or {}).get("exclusions", [])}
    details = [
        {"vaultCriticalOperation": c.operation, "defaultResourceRequest": f"{doc['guard']}/{c.request_type}/default"}
        for c in BACKUP_VAULT_OPERATIONS
        if c.operation.lower() not in excluded
    ]
    return {
        "properties": {
            "resourceGuardResourceId": doc["guard"],
            "resourceGuardOperationDetails": details,
            "lastUpdatedTime": iso(doc["updated"]),
        },
        "id": doc["id"],
        "name": doc["name"],
        "type": PROXY_TYPE,
    }


def _set_vault_guard(svc: Service, vault: JSON, guard: str | None) -> None:
    vault["resource_guard"] = guard
    svc.store.put(VAULT, vault["id"], vault)


def put_proxy(svc: Service, call: Call) -> Reply:
    """PUT the vault's guard link (synchronous 200): one per vault, to a guard in the vault's region."""
    vault = svc.vault_of(call)
    name = call.params["name"]
    ids.check_child_name("resource guard proxy", name)
    props = schema.parse(PROXY_RESOURCE, call.body).get("properties", {})
    target = props.get("resourceGuardResourceId")
    if not target:
        raise invalid_input(["body.properties.resourceGuardResourceId: required property is missing"])
    guard = svc.store.get(GUARD, target)
    if guard is None:
        raise ServiceError(
            400,
            "UserErrorResourceGuardNotFound",
            f"The resource guard {target} does not exist.",
            recommended=["Create the resource guard (or correct its id), then link the vault to it."],
        )
    if render.region(guard["location"]) != render.region(vault["location"]):
        raise ServiceError(
            400,
            "UserErrorResourceGuardLocationMismatch",
            f"The resource guard {guard['id']} is in {guard['location']} but the backup vault {vault['id']} is in "
            f"{vault['location']}; a vault can only be linked to a resource guard in its own region.",
            recommended=["Use a resource guard in the vault's region."],
        )
    existing = proxy_of(svc, vault)
    if existing is not None and existing["name"].lower() != name.lower():
        raise ServiceError(
            409,
            "UserErrorResourceGuardProxyAlreadyExists",
            f"The backup vault {vault['id']} is already linked to the resource guard {existing['guard']} through "
            f"{existing['id']}; a vault has one resource guard link.",
            recommended=["Update that link, or remove it (an MUA-protected operation) before creating another."],
        )
    if existing is not None and existing["guard"].lower() != guard["id"].lower():
        raise ServiceError(
            400,
            "UserErrorResourceGuardProxyUpdateNotAllowed",
            f"The backup vault {vault['id']} is linked to the resource guard {existing['guard']}; the link cannot be "
            "moved to another guard.",
            recommended=["Remove the link (an MUA-protected operation: unlockDelete, then delete), then link again."],
        )
    doc: JSON = {
        "id": existing["id"] if existing else ids.child_id(vault["id"], "backupResourceGuardProxies", name),
        "name": existing["name"] if existing else name,
        "vault": vault["id"],
        "guard": guard["id"],
        "updated": existing["updated"] if existing else svc.now(),
    }
    svc.store.put(PROXY, doc["id"], doc, parent=vault["id"])
    _set_vault_guard(svc, vault, guard["id"])
    return Reply(200, render_proxy(svc, doc))


def _proxy_named(svc: Service, call: Call) -> tuple[JSON, JSON]:
    vault = svc.vault_of(call)
    doc = svc.store.get(PROXY, ids.child_id(vault["id"], "backupResourceGuardProxies", call.params["name"]))
    if doc is None:
        raise generic_not_found()
    return vault, doc


def get_proxy(svc: Service, call: Call) -> Reply:
    """GET the vault's guard link."""
    _, doc = _proxy_named(svc, call)
    return Reply(200, render_proxy(svc, doc))


def list_proxies(svc: Service, call: Call) -> Reply:
    """GET the vault's guard links (zero or one)."""
    vault = svc.vault_of(call)
    return Reply(200, {"value": [render_proxy(svc, d) for d in svc.store.select(PROXY, parent=vault["id"])]})


def delete_proxy(svc: Service, call: Call) -> Reply:
    """DELETE the guard link: 204 when absent; a mandatory critical operation, so it needs an unlockDelete."""
    vault = svc.vault_of(call)
    doc = svc.store.get(PROXY, ids.child_id(vault["id"], "backupResourceGuardProxies", call.params["name"]))
    if doc is None:
        return Reply(204)
    require_unlock(svc, vault, REMOVE_GUARD, doc["id"])
    svc.store.delete(PROXY, doc["id"])
    svc.store.delete(UNLOCK, doc["id"])
    _set_vault_guard(svc, vault, None)
    return Reply(200, {})  # Azure's body is {} (7/7 recorded, e.g. test_dataprotection_resource_guard_mapping.yaml #8)


def unlock_delete(svc: Service, call: Call) -> Reply:
    """POST ``unlockDelete``: after ARM's access check on the guard, the named resource may be deleted until the
    returned expiry time."""
    vault, doc = _proxy_named(svc, call)
    body = schema.parse(UNLOCK_REQUEST, call.body if call.body is not None else {})
    target = body.get("resourceToBeDeleted")
    requests = body.get("resourceGuardOperationRequests") or []
    if not target:
        # Azure's CLI names only the request (resource_guard_mapping.yaml #7: 200): the unlock then covers the
        # vault's deletes of that request's operation.
        named = {r.rstrip("/").split("/")[-2].lower() for r in requests if r.count("/") > 2}
        critical = next((c for c in _UNLOCKS if c.request_type.lower() in named), None)
        if critical is None:
            raise invalid_input(
                ["body.resourceGuardOperationRequests: name the deleteResourceGuardProxyRequests or "
                 "deleteBackupInstanceRequests request of the vault's resource guard"]
            )  # fmt: skip
        check_requests(svc, call, vault, doc["guard"], critical, requests)
        return _unlocked(svc, vault, f"{vault['id']}#{critical.request_type}", critical)
    if target.lower() == doc["id"].lower():
        critical = REMOVE_GUARD
    elif ids.parse_vault_child(target, "backupInstances") and target.lower().startswith(vault["id"].lower() + "/"):
        critical = DELETE_INSTANCE
    else:
        raise invalid_input(
            [
                f"body.resourceToBeDeleted: {target!r} is neither a backup instance of the vault {vault['id']} nor "
                "its resource guard link"
            ]
        )
    check_requests(svc, call, vault, doc["guard"], critical, requests)
    return _unlocked(svc, vault, target, critical)


def _unlocked(svc: Service, vault: JSON, key: str, critical: Critical) -> Reply:
    expiry = svc.now() + UNLOCK_SECONDS
    svc.store.put(UNLOCK, key, {"key": key, "request_type": critical.request_type, "until": expiry}, parent=vault["id"])
    return Reply(200, {"unlockDeleteExpiryTime": iso(expiry)})


# -- enforcement ------------------------------------------------------------------------------------------------------


def _protecting_guard(svc: Service, vault: JSON, critical: Critical) -> JSON | None:
    """The guard that protects ``critical`` on ``vault`` (None when unguarded or the operation is excluded)."""
    proxy = proxy_of(svc, vault)
    if proxy is None:
        return None
    guard = svc.store.get(GUARD, proxy["guard"])
    if guard is None:
        return None
    if not critical.mandatory and critical.operation.lower() in {e.lower() for e in guard["exclusions"]}:
        return None
    return guard


def check_requests(svc: Service, call: Call, vault: JSON, guard: str, critical: Critical, requests: list[str]) -> None:
    """The request must name ``{guard}/{requestType}/default``; ARM then checks access to it (and the tenant)."""
    wanted = f"{guard}/{critical.request_type}/default".lower()
    if wanted not in {r.lower() for r in requests}:
        given = ", ".join(requests) if requests else "none"
        raise _not_authorized(
            vault,
            guard,
            critical,
            f"the request must carry the resource guard operation request {guard}/{critical.request_type}/default "
            f"(given: {given}).",
        )
    _check_tenant(svc, call, guard, critical)
    if _same_group(vault["id"], guard):
        return
    grant = svc.store.get(GRANT, guard)
    if grant is None or grant["until"] <= svc.now():
        raise linked_authorization_failed(call, guard, critical)


def _same_group(vault_id: str, guard: str) -> bool:
    """Whether the guard is in the vault's resource group. Role assignments on a group are inherited by its
    resources, so whoever may change the vault holds the same role on such a guard and passes ARM's linked check:
    Azure answered the az CLI's unlockDelete and link removal 200 with no other grant, the guard and the vault both
    in clitest-dpp-rg (7 of 7 recordings, e.g. corpus/azure-cli-extensions-head/
    test_dataprotection_resource_guard_mapping.yaml #7, #8). This is why Microsoft's MUA documentation places the
    guard in another subscription or group, which the emulator guards as before (access through a grant)."""
    return vault_id.lower().split("/providers/")[0] == guard.lower().split("/providers/")[0]


def _check_tenant(svc: Service, call: Call, guard: str, critical: Critical) -> None:
    sub = guard.split("/")[2]
    tenant = svc.store.get(TENANT, sub)
    if tenant is None:
        return
    header = call.headers.get("x-ms-authorization-auxiliary", "")
    tokens = {part.strip().partition(" ")[2].strip() for part in header.split(",") if part.strip()}
    if tenant["token"] not in tokens:
        raise linked_authorization_failed(
            call,
            guard,
            critical,
            f" The resource guard is in the tenant {tenant['tenantId']}: send an x-ms-authorization-auxiliary "
            "header with a token of that tenant.",
        )


def require(svc: Service, call: Call, vault: JSON, critical: Critical, requests: list[str] | None) -> None:
    """Refuse a critical update of a guarded vault unless its body names the guard's request and ARM's access check
    on the guard passes."""
    guard = _protecting_guard(svc, vault, critical)
    if guard is not None:
        check_requests(svc, call, vault, guard["id"], critical, list(requests or []))


def require_unlock(svc: Service, vault: JSON, critical: Critical, resource: str) -> None:
    """Refuse a critical delete of a guarded vault's resource unless an unlockDelete for it is still valid."""
    guard = _protecting_guard(svc, vault, critical)
    if guard is None:
        return
    for key in (resource, f"{vault['id']}#{critical.request_type}"):
        found = svc.store.get(UNLOCK, key)
        if found is not None and found["until"] > svc.now() and found["request_type"] == critical.request_type:
            return
    unlock = svc.store.get(UNLOCK, resource)
    proxy = proxy_of(svc, vault)
    assert proxy is not None
    state = "its unlock has expired" if unlock is not None else "it has not been unlocked"
    raise _not_authorized(
        vault,
        guard["id"],
        critical,
        f"{state}. POST {proxy['id']}/unlockDelete with the resource guard operation request "
        f"{guard['id']}/{critical.request_type}/default and resourceToBeDeleted {resource}, then delete it.",
    )


def reduced_security(old: JSON, new: JSON) -> list[Critical]:
    """The critical operations a vault update is: turning soft delete down or shortening its retention
    (``write#reduceSoftDeleteSecurity``), lowering immutability (``write#reduceImmutabilityState``)."""
    out = []
    if _reduces_soft_delete(old, new):
        out.append(DISABLE_SECURITY)
    immutable = {"Disabled": 0, "Unlocked": 1, "Locked": 2}
    state_before = old.get("securitySettings", {}).get("immutabilitySettings", {}).get("state", "Disabled")
    state_after = new.get("securitySettings", {}).get("immutabilitySettings", {}).get("state", "Disabled")
    if immutable.get(state_after, 0) < immutable.get(state_before, 0):
        out.append(REDUCE_IMMUTABILITY)
    return out


def _reduces_soft_delete(old: JSON, new: JSON) -> bool:
    before = old.get("securitySettings", {})
    after = new.get("securitySettings", {})
    soft_before = before.get("softDeleteSettings", {})
    soft_after = after.get("softDeleteSettings", {})
    rank = {"Off": 0, "On": 1, "AlwaysOn": 2}
    state = schema.SOFT_DELETE_STATE.canonical
    if rank.get(state(soft_after.get("state", "Off")) or "Off", 0) < rank.get(
        state(soft_before.get("state", "Off")) or "Off", 0
    ):
        return True
    days_before = soft_before.get("retentionDurationInDays")
    days_after = soft_after.get("retentionDurationInDays")
    return days_before is not None and days_after is not None and float(days_after) < float(days_before)


def strip_requests(props: JSON) -> tuple[JSON, list[str]]:
    """Vault properties without ``resourceGuardOperationRequests`` (they authorize one request and are not
    stored), and those requests."""
    out = copy.deepcopy(props)
    return out, list(out.pop("resourceGuardOperationRequests", None) or [])
