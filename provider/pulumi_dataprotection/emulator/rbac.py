"""Role assignments (``Microsoft.Authorization/roleAssignments``), AKS trusted-access role bindings
(``Microsoft.ContainerService/managedClusters/trustedAccessRoleBindings``) and, with ``--strict-permissions``, the
check that a vault's identity holds the roles a backup needs before ``validateForBackup`` (or an instance PUT)
succeeds.

Shapes from the recorded exchanges: a role assignment PUT at api-version 2022-04-01 answers 201 with
``properties.{roleDefinitionId, principalId, principalType, scope, condition, conditionVersion, createdOn,
updatedOn, createdBy, updatedBy, delegatedManagedIdentityResourceId, description}`` and ``id``/``type``/``name``
(``azure-cli-extensions-history/test_dataprotection_update_msi_permissions_oss@8655f76ce.yaml`` #20), and a list
``?$filter=atScope()`` answers ``{"value": [...]}`` with the assignments at and above the scope (#16). Error codes
and everything about trusted-access bindings are from Azure's documentation, not recordings (see docs/emulator.md).
"""

from __future__ import annotations

import re
from typing import Any

from pulumi_dataprotection.emulator.errors import ServiceError, gateway
from pulumi_dataprotection.emulator.service import Call, Reply, Service
from pulumi_dataprotection.emulator.timeutil import iso

JSON = dict[str, Any]
ASSIGNMENT, BINDING = "role-assignment", "trusted-access-binding"
ASSIGNMENT_TYPE = "Microsoft.Authorization/roleAssignments"
BINDING_TYPE = "Microsoft.ContainerService/managedClusters/trustedAccessRoleBindings"
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
_EFFECTIVE = "effective_at"

READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
OWNER = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
DISK_BACKUP_READER = "3e5e47e6-65f7-47ef-90b5-e5dd4d455f24"
DISK_SNAPSHOT_CONTRIBUTOR = "7efff54f-a5b4-42b5-a1c5-5411624893ce"
STORAGE_BACKUP_CONTRIBUTOR = "e5e2a7ff-d759-4cd2-bb51-3152d37e2eb1"
PG_FLEX_LTR = "c088a766-074b-43ba-90d4-1fb21feae531"
MYSQL_EXPORT = "d18ad5f3-1baf-4119-b49b-d944edb1f9d0"
KEY_VAULT_CRYPTO_ENCRYPTION_USER = "e147488a-f6f5-4113-8e2d-b22465e65bf6"
_DATA_PLANE = frozenset({KEY_VAULT_CRYPTO_ENCRYPTION_USER})
"""Roles whose data actions Owner and Contributor do not include."""
BACKUP_OPERATOR = "Microsoft.DataProtection/backupVaults/backup-operator"
_MISSING_CODE = "UserErrorMSIMissingPermissions"
_MISSING_MESSAGE = "Appropriate permissions to perform the operation is missing."


# -- role assignments ------------------------------------------------------------------------------------------


def _assignment_id(call: Call) -> str:
    return f"{call.params['scope']}/providers/Microsoft.Authorization/roleAssignments/{call.params['name']}"


def _render(doc: JSON) -> JSON:
    return {k: v for k, v in doc.items() if k != _EFFECTIVE}


def _not_found(name: str) -> ServiceError:
    return gateway(404, "RoleAssignmentNotFound", f"The role assignment '{name}' is not found.")


def put_assignment(svc: Service, call: Call) -> Reply:
    """PUT a role assignment: 201 with its body; the same one again is 201 too; another name for the same grant is
    409 ``RoleAssignmentExists``; changing one is 400 ``RoleAssignmentUpdateNotPermitted``."""
    name = call.params["name"]
    if not _GUID.match(name):
        raise gateway(
            400,
            "InvalidRoleAssignmentId",
            f"The role assignment ID '{name}' is not valid. The role assignment ID must be a GUID.",
        )
    props = (call.body or {}).get("properties") if isinstance(call.body, dict) else None
    if not isinstance(props, dict) or not props.get("roleDefinitionId") or not props.get("principalId"):
        raise gateway(
            400,
            "InvalidRequestContent",
            "The request content was invalid: properties.roleDefinitionId and properties.principalId are required.",
        )
    key = _assignment_id(call)
    scope = call.params["scope"]
    role, principal = str(props["roleDefinitionId"]), str(props["principalId"])
    existing = svc.store.get(ASSIGNMENT, key.lower())
    if existing is not None:
        old = existing["properties"]
        if (old["roleDefinitionId"].lower(), old["principalId"].lower()) != (role.lower(), principal.lower()):
            raise gateway(
                400,
                "RoleAssignmentUpdateNotPermitted",
                "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.",
            )
        return Reply(201, _render(existing))
    for other in svc.store.select(ASSIGNMENT):
        p = other["properties"]
        if (p["scope"].lower(), _guid(p["roleDefinitionId"]), p["principalId"].lower()) == (
            scope.lower(),
            _guid(role),
            principal.lower(),
        ):
            raise gateway(409, "RoleAssignmentExists", "The role assignment already exists.")
    now = svc.now()
    doc: JSON = {
        "properties": {
            "roleDefinitionId": role,
            "principalId": principal,
            "principalType": props.get("principalType") or "ServicePrincipal",
            "scope": scope,
            "condition": props.get("condition"),
            "conditionVersion": props.get("conditionVersion"),
            "createdOn": iso(now),
            "updatedOn": iso(now),
            "createdBy": None,
            "updatedBy": None,
            "delegatedManagedIdentityResourceId": None,
            "description": props.get("description"),
        },
        "id": key,
        "type": ASSIGNMENT_TYPE,
        "name": name,
        _EFFECTIVE: now + svc.config.role_propagation_seconds,
    }
    svc.store.put(ASSIGNMENT, key.lower(), doc)
    return Reply(201, _render(doc))


def get_assignment(svc: Service, call: Call) -> Reply:
    """GET one role assignment (404 ``RoleAssignmentNotFound``)."""
    doc = svc.store.get(ASSIGNMENT, _assignment_id(call).lower())
    if doc is None:
        raise _not_found(call.params["name"])
    return Reply(200, _render(doc))


def delete_assignment(svc: Service, call: Call) -> Reply:
    """DELETE a role assignment: 200 with its body, 204 when there is none."""
    key = _assignment_id(call).lower()
    doc = svc.store.get(ASSIGNMENT, key)
    if doc is None:
        return Reply(204)
    svc.store.delete(ASSIGNMENT, key)
    return Reply(200, _render(doc))


def list_assignments(svc: Service, call: Call) -> Reply:
    """GET the assignments at and above a scope (``$filter=atScope()``, optionally ``and principalId eq '...'``);
    without ``atScope()`` those below it too."""
    scope = call.params["scope"].lower()
    text = call.query.get("$filter", "")
    principal = re.search(r"principalId\s+eq\s+'([^']+)'", text, re.IGNORECASE)
    at_scope = "atscope()" in text.lower()
    out = []
    for doc in svc.store.select(ASSIGNMENT):
        p = doc["properties"]
        mine = p["scope"].lower()
        if not (_covers(mine, scope) or (not at_scope and _covers(scope, mine))):
            continue
        if principal and p["principalId"].lower() != principal.group(1).lower():
            continue
        out.append(_render(doc))
    return Reply(200, {"value": out})


def _guid(role_definition_id: str) -> str:
    return role_definition_id.rstrip("/").rsplit("/", 1)[-1].lower()


def _covers(scope: str, resource: str) -> bool:
    """Whether an assignment at ``scope`` applies to ``resource`` (the same or a child, case-insensitive)."""
    s, r = scope.rstrip("/").lower(), resource.rstrip("/").lower()
    return r == s or r.startswith(s + "/")


# -- AKS trusted-access role bindings ----------------------------------------------------------------------------


def _binding_id(call: Call) -> str:
    return f"{call.params['cluster']}/trustedAccessRoleBindings/{call.params['name']}"


def put_binding(svc: Service, call: Call) -> Reply:
    """PUT a trusted-access role binding (answered at once, provisioningState Succeeded: a documented guess)."""
    props = (call.body or {}).get("properties") if isinstance(call.body, dict) else None
    if not isinstance(props, dict) or not props.get("sourceResourceId") or not props.get("roles"):
        raise gateway(
            400,
            "InvalidParameter",
            "properties.sourceResourceId and properties.roles are required for a trusted access role binding.",
        )
    key = _binding_id(call)
    existing = svc.store.get(BINDING, key.lower())
    doc: JSON = {
        "id": key,
        "name": call.params["name"],
        "type": BINDING_TYPE,
        "properties": {
            "sourceResourceId": str(props["sourceResourceId"]),
            "roles": [str(r) for r in props["roles"]],
            "provisioningState": "Succeeded",
        },
    }
    svc.store.put(BINDING, key.lower(), doc)
    return Reply(200 if existing else 201, doc)


def get_binding(svc: Service, call: Call) -> Reply:
    """GET a trusted-access role binding (404 ``NotFound``)."""
    doc = svc.store.get(BINDING, _binding_id(call).lower())
    if doc is None:
        raise gateway(
            404, "NotFound", f"Trusted access role binding '{call.params['name']}' is not found in the cluster."
        )
    return Reply(200, doc)


def delete_binding(svc: Service, call: Call) -> Reply:
    """DELETE a trusted-access role binding: 200, 204 when there is none."""
    key = _binding_id(call).lower()
    if svc.store.get(BINDING, key) is None:
        return Reply(204)
    svc.store.delete(BINDING, key)
    return Reply(200)


# -- the strict check ------------------------------------------------------------------------------------------


def _server(resource_id: str) -> str:
    return re.split(r"/databases/", resource_id, maxsplit=1, flags=re.IGNORECASE)[0]


def _group(resource_id: str) -> str:
    parts = resource_id.split("/")
    return "/".join(parts[:5])


def _snapshot_groups(instance: JSON) -> list[str]:
    params = ((instance.get("policyInfo") or {}).get("policyParameters") or {}).get("dataStoreParametersList") or []
    return [str(p["resourceGroupId"]) for p in params if isinstance(p, dict) and p.get("resourceGroupId")]


def required_roles(instance: JSON) -> list[tuple[str, str, str]]:
    """(role GUID, role name, scope) the vault's identity needs to back up the instance body's datasource."""
    source = instance["dataSourceInfo"]
    rid, dtype = str(source["resourceID"]), str(source.get("datasourceType", "")).lower()
    snapshots = _snapshot_groups(instance)
    if dtype == "microsoft.compute/disks":
        return [(DISK_BACKUP_READER, "Disk Backup Reader", rid)] + [
            (DISK_SNAPSHOT_CONTRIBUTOR, "Disk Snapshot Contributor", g) for g in snapshots
        ]
    if dtype.startswith("microsoft.storage/storageaccounts"):
        return [(STORAGE_BACKUP_CONTRIBUTOR, "Storage Account Backup Contributor", rid)]
    if dtype == "microsoft.containerservice/managedclusters":
        return [(READER, "Reader", rid)] + [(READER, "Reader", g) for g in snapshots]
    if dtype in ("microsoft.dbforpostgresql/servers/databases", "ossdb"):
        return [(READER, "Reader", _server(rid))]
    if dtype == "microsoft.dbforpostgresql/flexibleservers":
        ltr = "PostgreSQL Flexible Server Long Term Retention Backup Role"
        return [(READER, "Reader", _group(rid)), (PG_FLEX_LTR, ltr, rid)]
    if dtype == "microsoft.dbformysql/flexibleservers":
        return [(READER, "Reader", _group(rid)), (MYSQL_EXPORT, "MySQL Backup And Export Operator", rid)]
    return []


def _principal(vault: JSON, instance: JSON) -> str | None:
    identity = vault.get("identity") or {}
    details = instance.get("identityDetails") or {}
    uami = details.get("userAssignedIdentityArmUrl")
    if details.get("useSystemAssignedIdentity") is False and uami:
        for key, value in (identity.get("userAssignedIdentities") or {}).items():
            if key.lower() == str(uami).lower() and isinstance(value, dict):
                return value.get("principalId")
        return None
    return identity.get("principalId")


def _holds(svc: Service, principal: str, role: str, scope: str) -> bool:
    now = svc.now()
    accepted = {role} if role in _DATA_PLANE else {role, OWNER, CONTRIBUTOR}
    for doc in svc.store.select(ASSIGNMENT):
        p = doc["properties"]
        if p["principalId"].lower() != principal.lower() or _guid(p["roleDefinitionId"]) not in accepted:
            continue
        if _covers(p["scope"], scope) and float(doc.get(_EFFECTIVE, 0.0)) <= now:
            return True
    return False


def _has_binding(svc: Service, cluster: str, vault_id: str) -> bool:
    prefix = f"{cluster.lower()}/trustedaccessrolebindings/"
    for doc in svc.store.select(BINDING):
        if doc["id"].lower().startswith(prefix) and doc["properties"]["sourceResourceId"].lower() == vault_id.lower():
            return BACKUP_OPERATOR.lower() in (r.lower() for r in doc["properties"]["roles"])
    return False


def _key_vault_name(key_uri: str) -> str | None:
    m = re.match(r"^https://([^./]+)\.", key_uri, re.IGNORECASE)
    return m.group(1).lower() if m else None


def missing_permissions(svc: Service, vault: JSON, instance: JSON) -> ServiceError | None:
    """With ``--strict-permissions``: the error Azure's validation ends with while the vault's identity lacks a
    role (assignments count once their propagation delay has passed) or an AKS cluster has no trusted-access
    binding for the vault; None when everything is in place or the mode is off."""
    if not svc.config.strict_permissions:
        return None
    principal = _principal(vault, instance)
    needs: list[str] = []
    for role, title, scope in required_roles(instance):
        if principal is None or not _holds(svc, principal, role, scope):
            needs.append(f"{title} on {scope}")
    encryption = ((vault.get("properties") or {}).get("securitySettings") or {}).get("encryptionSettings") or {}
    key_uri = str((encryption.get("keyVaultProperties") or {}).get("keyUri") or "")
    kv_name = _key_vault_name(key_uri) if encryption.get("state") == "Enabled" else None
    if kv_name is not None and (principal is None or not _holds_key_vault(svc, principal, kv_name)):
        needs.append(f"Key Vault Crypto Service Encryption User on the Key Vault {kv_name}")
    source = instance["dataSourceInfo"]
    aks = str(source.get("datasourceType", "")).lower() == "microsoft.containerservice/managedclusters"
    if aks and not _has_binding(svc, str(source["resourceID"]), vault["id"]):
        needs.append(f"a trusted access role binding on the cluster for the vault with role {BACKUP_OPERATOR}")
    if not needs:
        return None
    who = f"the backup vault's managed identity ({principal})" if principal else "the backup vault (no identity)"
    return ServiceError(
        400,
        _MISSING_CODE,
        _MISSING_MESSAGE,
        recommended=[f"Grant {who}: {'; '.join(needs)}. Role assignments can take a few minutes to take effect."],
    )


def _holds_key_vault(svc: Service, principal: str, kv_name: str) -> bool:
    for doc in svc.store.select(ASSIGNMENT):
        p = doc["properties"]
        if (
            p["principalId"].lower() == principal.lower()
            and _guid(p["roleDefinitionId"]) == KEY_VAULT_CRYPTO_ENCRYPTION_USER
            and p["scope"].lower().endswith(f"/microsoft.keyvault/vaults/{kv_name}")
            and float(doc.get(_EFFECTIVE, 0.0)) <= svc.now()
        ):
            return True
    return False
