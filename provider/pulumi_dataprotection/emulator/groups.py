"""Resource groups: ARM's ``/subscriptions/{s}/resourcegroups/{rg}`` endpoints and the group-exists check.

Azure answers any request under a resource group that does not exist with the gateway's
``404 ResourceGroupNotFound`` ("Resource group 'dpp-rg' could not be found.", recorded in
``corpus/azure-cli-extensions-head/test_dataprotection_backup_instance_create_and_delete_disk.yaml`` #0).

Groups are created outside this API (``az group create``, another Pulumi resource), which the emulator does not see,
so by default every group exists (*lenient*). The check becomes *strict* once a group is registered: by
``--resource-group NAME`` (repeatable), ``POST /_emulator/resource-groups``, or ARM's own ``PUT`` of a group (what
``az group create`` sends). Then only registered groups exist, as with ``--datasources``.
"""

from __future__ import annotations

from typing import Any

from pulumi_dataprotection.emulator import ids
from pulumi_dataprotection.emulator.errors import ServiceError, gateway
from pulumi_dataprotection.emulator.service import GUARD, VAULT, Call, Reply, Service

GROUP = "resource-group"
_STRICT = "strict_resource_groups"
TYPE = "Microsoft.Resources/resourceGroups"


def group_id(sub: str, rg: str) -> str:
    """ARM's id of a resource group."""
    return f"/subscriptions/{sub}/resourceGroups/{rg}"


def strict(svc: Service) -> bool:
    """Whether only registered groups exist."""
    return bool(svc.config.resource_groups) or svc.store.setting(_STRICT, "") == "1"


def register(svc: Service, sub: str, rg: str, location: str, tags: dict[str, Any] | None = None) -> tuple[Any, bool]:
    """Create or update a group (switching the check to strict); returns its body and whether it was new."""
    key = group_id(sub, rg)
    existing = svc.store.get(GROUP, key)
    body = {
        "id": existing["id"] if existing else key,
        "name": existing["name"] if existing else rg,
        "type": TYPE,
        "location": location,
        "properties": {"provisioningState": "Succeeded"},
    }
    if tags:
        body["tags"] = tags
    svc.store.put(GROUP, key, body)
    svc.store.set_setting(_STRICT, "1")
    return body, existing is None


def exists(svc: Service, sub: str, rg: str) -> bool:
    """Whether the group exists (always, while lenient)."""
    if not strict(svc):
        return True
    if svc.store.get(GROUP, group_id(sub, rg)) is not None:
        return True
    return any(name.lower() == rg.lower() for name in svc.config.resource_groups)


def require(svc: Service, sub: str, rg: str) -> None:
    """ARM's refusal of a request under a group that does not exist."""
    if not exists(svc, sub, rg):
        raise not_found(rg)


def not_found(rg: str) -> ServiceError:
    """The gateway's 404 for a missing group, as Azure words it."""
    return gateway(404, "ResourceGroupNotFound", f"Resource group '{rg}' could not be found.")


def _body(svc: Service, sub: str, rg: str) -> Any:
    doc = svc.store.get(GROUP, group_id(sub, rg))
    if doc is not None:
        return doc
    if not exists(svc, sub, rg):
        raise not_found(rg)
    # Lenient: a group nobody registered; its location is that of a vault or guard in it, if any.
    prefix = f"{group_id(sub, rg)}/".lower()
    located = [d for kind in (VAULT, GUARD) for d in svc.store.select(kind) if d["id"].lower().startswith(prefix)]
    location = located[0]["location"] if located else "eastus"
    return {
        "id": group_id(sub, rg),
        "name": rg,
        "type": TYPE,
        "location": location,
        "properties": {"provisioningState": "Succeeded"},
    }


def get_group(svc: Service, call: Call) -> Reply:
    """GET a resource group (HEAD answers 204 or 404 the same way)."""
    body = _body(svc, call.params["sub"], call.params["rg"])
    return Reply(204) if call.method == "HEAD" else Reply(200, body)


def put_group(svc: Service, call: Call) -> Reply:
    """Create or update a resource group (``{"location", "tags"}``): 201 when new, else 200."""
    ids.check_resource_group(call.params["rg"])
    body = call.body if isinstance(call.body, dict) else {}
    location = body.get("location")
    if not isinstance(location, str) or not location:
        raise gateway(400, "LocationRequired", "The location property is required for this definition.")
    tags = body.get("tags") if isinstance(body.get("tags"), dict) else None
    doc, created = register(svc, call.params["sub"], call.params["rg"], location, tags)
    return Reply(201 if created else 200, doc)


def delete_group(svc: Service, call: Call) -> Reply:
    """Delete an empty resource group. Azure deletes what the group holds; the emulator refuses (409) while it
    holds vaults or resource guards rather than delete them (a documented difference)."""
    sub, rg = call.params["sub"], call.params["rg"]
    _body(svc, sub, rg)
    prefix = f"{group_id(sub, rg)}/".lower()
    held = [d["id"] for kind in (VAULT, GUARD) for d in svc.store.select(kind) if d["id"].lower().startswith(prefix)]
    if held:
        raise ServiceError(
            409,
            "ResourceGroupNotEmpty",
            f"The emulator does not delete the resources of resource group '{rg}' with it: delete {', '.join(held)} "
            "first.",
            style="gateway",
        )
    svc.store.delete(GROUP, group_id(sub, rg))
    return Reply(200)


def list_groups(svc: Service, call: Call) -> Reply:
    """The registered groups of a subscription."""
    prefix = f"/subscriptions/{call.params['sub']}/".lower()
    return Reply(200, {"value": [d for d in svc.store.select(GROUP) if d["id"].lower().startswith(prefix)]})
