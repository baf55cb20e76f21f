"""Backup vault operations: PUT/PATCH/GET/DELETE, lists, checkNameAvailability, and the vault's one-way settings."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from pulumi_dataprotection.emulator import guards, ids, render, schema, timeutil
from pulumi_dataprotection.emulator.errors import ServiceError, gateway, generic_not_found, invalid_input
from pulumi_dataprotection.emulator.service import DELETED, DELETED_VAULT, INSTANCE, VAULT, Call, Reply, Service

JSON = dict[str, Any]

_SUPPORT = ["Please contact Microsoft Support if this is not expected."]
_MERGED_SETTINGS = ("securitySettings", "featureSettings", "monitoringSettings", "costManagementSettings")


def _deep_merge(base: JSON, update: JSON) -> JSON:
    out = copy.deepcopy(base)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _merge(existing: JSON, requested: JSON) -> JSON:
    """Settings after an update: nested settings merge (omitted ones keep their value), lists are replaced."""
    out = copy.deepcopy(existing)
    for key, value in requested.items():
        if key in _MERGED_SETTINGS:
            out[key] = _deep_merge(out.get(key, {}), value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _state(props: JSON, *path: str) -> str | None:
    node: Any = props
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    if not isinstance(node, str):
        return None
    return schema.SOFT_DELETE_STATE.canonical(node) if path[-2:] == ("softDeleteSettings", "state") else node


ALWAYS_ON_SINCE = "2025-09-01"
"""The api-version from which Azure accepts backup vaults only with soft delete AlwaysOn (its 400
UserErrorSoftDeleteAlwaysOnRequired; why Terraform and the az CLI send 2025-07-01 for vaults: terraform-provider-azurerm
PR #31877, azure-cli-extensions#10314). The recordings show Off and On accepted at every earlier version (2023-01-01
to 2025-07-01, e.g. azure-cli-extensions-head test_dataprotection_backup_vault_create_and_delete.yaml)."""


V2026_06 = "2026-06-01"
"""The api-version that adds ``costManagementSettings`` to vaults and no longer requires ``storageSettings`` (its
spec; no recording shows it). Older versions ignore the setting like any property their model does not know, and
require storage settings in a vault PUT body."""
DEFAULT_STORAGE = [{"datastoreType": "VaultStore", "type": "GeoRedundant"}]
"""The storage setting of a vault created without one from 2026-06-01: a documented guess (no recording, no
documentation of the service's default; geo-redundant is Azure Backup's documented default for vaults)."""


def for_version(props: JSON, version: str, *, put: bool) -> JSON:
    """The vault properties of a request as the version's model reads them: below 2026-06-01 without
    ``costManagementSettings`` and, in a PUT, with storage settings required."""
    if not version or version >= V2026_06:
        return props
    if put and "storageSettings" not in props:
        raise invalid_input(["body.properties.storageSettings: required property is missing"])
    return {k: v for k, v in props.items() if k != "costManagementSettings"}


def always_on_required(svc: Service, call: Call) -> bool:
    """Whether this request's api-version requires soft delete AlwaysOn (never with --allow-reversible-soft-delete)."""
    version = call.query.get("api-version") or ALWAYS_ON_SINCE
    return not svc.config.allow_reversible_soft_delete and version >= ALWAYS_ON_SINCE


def _with_defaults(props: JSON, *, always_on: bool) -> JSON:
    """A new vault's settings: soft delete AlwaysOn where the version requires it, else On (a documented guess: no
    recorded create leaves the state out), retained 14 days (the spec's and the recordings' default)."""
    out = copy.deepcopy(props)
    soft = out.setdefault("securitySettings", {}).setdefault("softDeleteSettings", {})
    soft.setdefault("state", "AlwaysOn" if always_on else "On")
    soft.setdefault("retentionDurationInDays", 14.0)
    out.setdefault("storageSettings", copy.deepcopy(DEFAULT_STORAGE))
    return out


def check_rules(old: JSON | None, new: JSON, *, always_on: bool) -> None:
    """The service's checks of vault settings, including the one-way transitions users hit; ``always_on`` when the
    request's api-version requires soft delete AlwaysOn."""
    problems = []
    for i, setting in enumerate(new.get("storageSettings", [])):
        for key in ("datastoreType", "type"):
            if key not in setting:
                problems.append(f"properties.storageSettings[{i}].{key}: required by the service")
    if not new.get("storageSettings"):
        problems.append("properties.storageSettings: at least one storage setting is required")
    days = new["securitySettings"]["softDeleteSettings"].get("retentionDurationInDays")
    if days is not None and not 14 <= float(days) <= 180:
        problems.append(
            f"properties.securitySettings.softDeleteSettings.retentionDurationInDays: {days} is outside 14 to 180"
        )
    if problems:
        raise invalid_input(problems)
    soft = ("securitySettings", "softDeleteSettings", "state")
    immutability = ("securitySettings", "immutabilitySettings", "state")
    crr = ("featureSettings", "crossRegionRestoreSettings", "state")
    csr = ("featureSettings", "crossSubscriptionRestoreSettings", "state")
    if old is not None:
        if _state(old, *soft) == "AlwaysOn" and _state(new, *soft) != "AlwaysOn":
            raise ServiceError(
                400,
                "UserErrorDisableSoftDeleteNotAllowed",
                "Cannot disable soft delete once set to AlwaysOn",
                recommended=_SUPPORT,
            )
        if _state(old, *immutability) == "Locked" and _state(new, *immutability) != "Locked":
            raise ServiceError(
                400,
                "UserErrorUnsupportedVaultImmutabilityStateChange",
                "The immutable vault property for this vault is locked, hence, this setting cannot be disabled.",
                recommended=[
                    "The vault has its immutable vault property enabled and locked, and it can no longer be reverted "
                    "to a non-immutable vault. Refer to the documentation to learn more: "
                    "https://aka.ms/AB-ImmutableVaults-States "
                ],
            )
        if _state(old, *crr) == "Enabled" and _state(new, *crr) != "Enabled":
            raise ServiceError(
                400,
                "UserErrorCrossRegionRestoreStateChangeNotAllowed",
                "CrossRegionRestore state cannot be changed from Enabled to Disabled.",
                recommended=_SUPPORT,
            )
        if _state(old, *csr) == "PermanentlyDisabled" and _state(new, *csr) != "PermanentlyDisabled":
            raise ServiceError(
                400,
                "UserErrorCrossSubscriptionRestoreStateChangeNotAllowed",
                "Cross subscription restore cannot be enabled once it is PermanentlyDisabled.",
                recommended=_SUPPORT,
            )
    if always_on and _state(new, *soft) != "AlwaysOn":
        raise ServiceError(
            400,
            "UserErrorSoftDeleteAlwaysOnRequired",
            "This API version requires backup vaults to have the soft delete setting configured to "
            "Enable Always-On Soft Delete.",
            recommended=[
                "To use this API version, you must configure backup vaults with the soft delete setting set to "
                "Enable Always-On Soft Delete. If you don't want to enable this setting, use an older API version "
                "instead."
            ],
        )


def _identity(svc: Service, requested: JSON | None, existing: JSON | None) -> JSON | None:
    if requested is None:
        return existing
    kind = requested.get("type", "None")
    out: JSON = {"type": kind}
    if "SystemAssigned" in kind:
        keep = existing is not None and "SystemAssigned" in existing.get("type", "")
        out["principalId"] = existing["principalId"] if keep and existing else str(uuid.uuid4())
        out["tenantId"] = svc.tenant_id()
    if "UserAssigned" in kind:
        out["tenantId"] = svc.tenant_id()  # recorded for user-assigned-only vaults too
        before = (existing or {}).get("userAssignedIdentities", {})
        out["userAssignedIdentities"] = {
            key: before.get(key) or {"principalId": str(uuid.uuid4()), "clientId": str(uuid.uuid4())}
            for key in requested.get("userAssignedIdentities", {})
        }
    return out


def _version(call: Call) -> str:
    return call.query.get("api-version", "")


def _attaching(body: JSON) -> None:
    """A PUT's answer lists the user-assigned identities as ``{}``; reads show their client and principal ids.

    Recorded in corpus/azure-cli-extensions-head: on create (test_dataprotection_backup_vault_create_with_uami_update_
    and_delete.yaml #0) and on update (test_dataprotection_backup_instance_uami_create_update.yaml #4)."""
    attached = (body.get("identity") or {}).get("userAssignedIdentities")
    if isinstance(attached, dict):
        body["identity"] = {**body["identity"], "userAssignedIdentities": {k: {} for k in attached}}


def _without_derived(props: JSON, location: str) -> JSON:
    """Settings without a ``replicatedRegions`` that only repeats what the vault reports anyway (a client sending
    back what it read changes nothing)."""
    if "replicatedRegions" not in props:
        return props
    derived = render.replicated_regions({k: v for k, v in props.items() if k != "replicatedRegions"}, location)
    if props["replicatedRegions"] != derived:
        return props
    return {k: v for k, v in props.items() if k != "replicatedRegions"}


def _list(svc: Service, call: Call, *, by_group: bool) -> Reply:
    version = _version(call)
    return Reply(200, {"value": [render.vault(d, version) for d in svc.in_scope(VAULT, call, by_group=by_group)]})


def list_in_group(svc: Service, call: Call) -> Reply:
    """GET the vaults of a resource group."""
    return _list(svc, call, by_group=True)


def list_in_subscription(svc: Service, call: Call) -> Reply:
    """GET the vaults of a subscription."""
    return _list(svc, call, by_group=False)


def get(svc: Service, call: Call) -> Reply:
    """GET a vault."""
    return Reply(200, render.vault(svc.vault_of(call), _version(call)))


def put(svc: Service, call: Call) -> Reply:
    """PUT a vault: 201 + Azure-AsyncOperation when it changes (Provisioning/Updating), 200 when nothing changes."""
    p = call.params
    ids.check_vault_name(p["vault"])
    if isinstance(call.body, dict) and not any(k.lower() == "location" and v for k, v in call.body.items()):
        raise gateway(400, "LocationRequired", "The location property is required for this definition.")
    parsed = schema.parse(schema.BACKUP_VAULT_RESOURCE, call.body)
    vault_id = ids.vault_id(p["sub"], p["rg"], p["vault"])
    existing = svc.store.get(VAULT, vault_id)
    location = ids.check_location(parsed["location"], ids.VAULT_TYPE)
    if existing is not None and render.region(existing["location"]) != render.region(location):
        raise gateway(
            409,
            "InvalidResourceLocation",
            f"The resource '{p['vault']}' already exists in location '{existing['location']}' in resource group "
            f"'{p['rg']}'. A resource with the same name cannot be created in location '{parsed['location']}'. "
            "Please select a new resource name.",
        )
    requested, requests = guards.strip_requests(for_version(parsed["properties"], _version(call), put=True))
    restored = _undelete_source(svc, call, vault_id, location, existing)
    if restored is not None:
        requested = _deep_merge(copy.deepcopy(restored["vault"]["properties"]), requested)
    always_on = always_on_required(svc, call)
    props = _merge(existing["properties"], requested) if existing else _with_defaults(requested, always_on=always_on)
    check_rules(existing["properties"] if existing else None, props, always_on=always_on)
    if existing is not None:
        for critical in guards.reduced_security(existing["properties"], props):
            guards.require(svc, call, existing, critical, requests)
    before = existing or (restored["vault"] if restored else None)
    identity = _identity(svc, parsed.get("identity"), before.get("identity") if before else None)
    tags = parsed.get("tags", existing.get("tags") if existing else None)
    props = _without_derived(props, location)
    if restored is not None:
        svc.store.delete(DELETED_VAULT, restored["key"])
    if (
        existing is not None
        and existing["provisioningState"] == "Succeeded"
        and (props, identity, tags) == (existing["properties"], existing.get("identity"), existing.get("tags"))
    ):
        return Reply(200, render.vault(existing, _version(call)))
    action = "vault-update" if existing else "vault-create"
    op = svc.start_operation(call, action, target=vault_id, location=location, kind=(identity or {}).get("type"))
    doc: JSON = {
        "id": existing["id"] if existing else vault_id,
        "name": existing["name"] if existing else p["vault"],
        "sub": p["sub"],
        "rg": p["rg"],
        "location": existing["location"] if existing else location,
        "tags": tags,
        "identity": identity,
        "properties": props,
        "provisioningState": "Updating" if existing else "Provisioning",
        "op": op["id"],
        "resource_guard": existing.get("resource_guard") if existing else None,
    }
    svc.store.put(VAULT, vault_id, doc)
    body = render.vault(doc, _version(call))
    _attaching(body)
    return svc.lro_reply(call, 201, op, status_path=f"{doc['id']}/operationStatus", body=body)


def _undelete_source(svc: Service, call: Call, vault_id: str, location: str, existing: JSON | None) -> JSON | None:
    """The soft-deleted vault a PUT's ``x-ms-deleted-vault-id`` header names (the undelete flow), None without the
    header. Azure's answers to a wrong id are not recorded: the emulator gives DataProtection's generic 404 for an
    unknown deleted vault and 400 ``BMSUserErrorInvalidInput`` for one of another vault or region, or a vault that
    exists (docs/emulator.md)."""
    header = call.headers.get("x-ms-deleted-vault-id")
    if not header:
        return None
    doc = svc.store.get(DELETED_VAULT, header.strip())
    if doc is None:
        raise generic_not_found()
    original = doc["vault"]
    problems = []
    if existing is not None:
        problems.append(f"x-ms-deleted-vault-id: the vault {vault_id} exists; only a deleted vault can be undeleted")
    if original["id"].lower() != vault_id.lower():
        problems.append(f"x-ms-deleted-vault-id: {header} is the deleted vault {original['id']}, not {vault_id}")
    if render.region(original["location"]) != render.region(location):
        problems.append(f"location: the deleted vault was in {original['location']}, not {location}")
    if problems:
        raise invalid_input(problems)
    return doc


def _in_region(svc: Service, call: Call) -> list[JSON]:
    region = render.region(call.params["location"])
    return [
        d
        for d in svc.store.select(DELETED_VAULT, parent=f"/subscriptions/{call.params['sub']}")
        if render.region(d["vault"]["location"]) == region
    ]


def list_deleted(svc: Service, call: Call) -> Reply:
    """GET the soft-deleted vaults of a subscription in a region (DeletedBackupVaultResourceListResult)."""
    return Reply(200, {"value": [render.deleted_vault(d, _version(call)) for d in _in_region(svc, call)]})


def get_deleted(svc: Service, call: Call) -> Reply:
    """GET one soft-deleted vault."""
    for doc in _in_region(svc, call):
        if doc["key"].rsplit("/", 1)[-1].lower() == call.params["name"].lower():
            return Reply(200, render.deleted_vault(doc, _version(call)))
    raise generic_not_found()


def patch(svc: Service, call: Call) -> Reply:
    """PATCH a vault: 202 + Azure-AsyncOperation + Location (vault operationResults), or 200 when unchanged."""
    doc = svc.vault_of(call)
    parsed = schema.parse(schema.PATCH_VAULT, call.body)
    requested, requests = guards.strip_requests(for_version(parsed.get("properties", {}), _version(call), put=False))
    props = _merge(doc["properties"], requested)
    check_rules(doc["properties"], props, always_on=always_on_required(svc, call))
    for critical in guards.reduced_security(doc["properties"], props):
        guards.require(svc, call, doc, critical, requests)
    identity = _identity(svc, parsed.get("identity"), doc.get("identity"))
    tags = parsed.get("tags", doc.get("tags"))
    if (props, identity, tags) == (doc["properties"], doc.get("identity"), doc.get("tags")):
        return Reply(200, render.vault(doc, _version(call)))
    op = svc.start_operation(call, "vault-update", target=doc["id"], location=doc["location"])
    doc.update(properties=props, identity=identity, tags=tags, provisioningState="Updating", op=op["id"])
    svc.store.put(VAULT, doc["id"], doc)
    return svc.lro_reply(
        call, 202, op, status_path=f"{doc['id']}/operationStatus", location_path=f"{doc['id']}/operationResults"
    )


_VAULT_NOT_EMPTY = (
    "Cannot delete the Backup vault as there are existing backup instances or backup policies in the vault. Delete "
    "all backup instances and backup policies that are present in the vault and then try deleting the vault."
)
"""Azure's message for a vault that still holds backup data (learn.microsoft.com/azure/backup/backup-vault-overview,
"Delete a Backup vault"); the error code is not documented, UserErrorBackupVaultHasBackupInstances is our guess."""


def delete(svc: Service, call: Call) -> Reply:
    """DELETE a vault: 204 when absent; refused while it holds backup instances, soft-deleted ones included (Azure
    documents that a vault holding backup data cannot be deleted, and users of Terraform and the CLI report the refusal
    until the soft-deleted instances are purged: terraform-provider-azurerm#25142, #33289); else 202 with RG-scoped
    status."""
    p = call.params
    doc = svc.store.get(VAULT, ids.vault_id(p["sub"], p["rg"], p["vault"]))
    if doc is None:
        return Reply(204)
    if svc.store.select(INSTANCE, parent=doc["id"]):
        raise ServiceError(
            400,
            "UserErrorBackupVaultHasBackupInstances",
            _VAULT_NOT_EMPTY,
            recommended=["Delete (or stop protection of) every backup instance of the vault, then retry."],
        )
    deleted = svc.store.select(DELETED, parent=doc["id"])
    if deleted:
        last = max(d["purge_at"] for d in deleted)
        names = ", ".join(sorted(d["instance"]["name"] for d in deleted))
        raise ServiceError(
            400,
            "UserErrorBackupVaultHasBackupInstances",
            _VAULT_NOT_EMPTY,
            recommended=[
                f"The vault holds soft-deleted backup instances ({names}) until "
                f"{timeutil.iso(last)}; they are purged when their soft delete retention ends. Retry the "
                "deletion after that, or undelete them to restore from them first."
            ],
        )
    op = svc.start_operation(call, "vault-delete", target=doc["id"], location=doc["location"])
    doc["op"] = op["id"]
    svc.store.put(VAULT, doc["id"], doc)
    region = render.region(doc["location"])
    return svc.lro_reply(
        call,
        202,
        op,
        status_path=f"{ids.rg_id(p['sub'], p['rg'])}/providers/{ids.NAMESPACE}/locations/{region}/operationStatus",
        location_path=f"/subscriptions/{p['sub']}/providers/{ids.NAMESPACE}/locations/{region}/operationResults",
    )


def check_name_availability(svc: Service, call: Call) -> Reply:
    """POST checkNameAvailability (resource-group scoped)."""
    p = call.params
    body = schema.parse(schema.CHECK_NAME, call.body)
    if body["type"].lower() != ids.VAULT_TYPE.lower():
        raise invalid_input([f"body.type: expected {ids.VAULT_TYPE}, got {body['type']!r}"])
    try:
        ids.check_vault_name(body["name"])
    except ServiceError as exc:
        return Reply(200, {"message": exc.message, "nameAvailable": False, "reason": "Invalid"})
    if svc.store.get(VAULT, ids.vault_id(p["sub"], p["rg"], body["name"])) is not None:
        return Reply(
            200,
            {
                "message": f"A backup vault named '{body['name']}' already exists in resource group '{p['rg']}'.",
                "nameAvailable": False,
                "reason": "AlreadyExists",
            },
        )
    return Reply(200, {"nameAvailable": True})
