"""Backup policy operations (synchronous, as in Azure): PUT, GET, DELETE, list, and the rules on updates."""

from __future__ import annotations

from typing import Any

from pulumi_dataprotection.emulator import datasources, ids, render, retention, schema
from pulumi_dataprotection.emulator.errors import ServiceError, invalid_input
from pulumi_dataprotection.emulator.service import INSTANCE, POLICY, Call, Reply, Service
from pulumi_dataprotection.emulator.timeutil import ticks

JSON = dict[str, Any]


def _normalise(props: JSON) -> JSON:
    """Problems the service reports in a policy, and the ids it computes (``tagInfo.id`` = tag name + ``_``)."""
    problems = []
    for i, dtype in enumerate(props["datasourceTypes"]):
        if datasources.kind_of(dtype) is None:
            known = ", ".join(k.datasource_type for k in datasources.KINDS)
            problems.append(f"properties.datasourceTypes[{i}]: unknown datasource type {dtype!r} (known: {known})")
    problems.extend(_hybrid_blob_default_names(props))
    problems.extend(retention.problems(props))
    for rule in props.get("policyRules", []):
        trigger = rule.get("trigger", {})
        criteria = trigger.get("taggingCriteria")
        tags = criteria if isinstance(criteria, list) else [criteria] if isinstance(criteria, dict) else []
        for tag in tags:
            info = tag.get("tagInfo")
            if info is not None:
                info["id"] = f"{info['tagName']}_"
    if problems:
        raise invalid_input(problems)
    return props


_BLOB = "microsoft.storage/storageaccounts/blobservices"
_HYBRID_DEFAULT_NAMES = {"OperationalStore": "Default_OperationalStore", "VaultStore": "Default"}


def _hybrid_blob_default_names(props: JSON) -> list[str]:
    """A blob policy with both an operational and a vaulted default retention rule must name them
    Default_OperationalStore and Default: Azure refuses other names with 400 BMSUserErrorInvalidInput since 2026-09
    (hashicorp/terraform-provider-azurerm#33470, #33493; the az CLI's recorded hybrid policy uses these names). No
    other rule-name rule is enforced: the 2025-04 CLI recording of two rules named Default was accepted then."""
    if [t.lower() for t in props["datasourceTypes"]] != [_BLOB]:
        return []
    defaults = []
    for i, rule in enumerate(props.get("policyRules", [])):
        lives = rule.get("lifecycles") or []
        if rule.get("objectType") == "AzureRetentionRule" and rule.get("isDefault") and lives:
            defaults.append((i, rule["name"], lives[0].get("sourceDataStore", {}).get("dataStoreType")))
    if {store for _, _, store in defaults} != set(_HYBRID_DEFAULT_NAMES):
        return []
    return [
        f"properties.policyRules[{i}].name: the default retention rule of the {store} must be named "
        f"{_HYBRID_DEFAULT_NAMES[store]!r} in a policy with operational and vaulted backup; got {name!r}"
        for i, name, store in defaults
        if store in _HYBRID_DEFAULT_NAMES and name != _HYBRID_DEFAULT_NAMES[store]
    ]


def put(svc: Service, call: Call) -> Reply:
    """PUT a policy: 200 on create or identical re-PUT; a changed body is refused like Azure refuses it."""
    vault = svc.vault_of(call)
    name = call.params["name"]
    ids.check_child_name("backup policy", name)
    parsed = schema.parse(schema.POLICY_RESOURCE, call.body)
    props = _normalise(parsed["properties"])
    policy_id = ids.child_id(vault["id"], "backupPolicies", name)
    existing = svc.store.get(POLICY, policy_id)
    if existing is not None:
        if existing["properties"] != props:
            raise ServiceError(
                400,
                "UserErrorBMSUpdatePolicyNotSupported",
                "Update of existing policy is not supported.",
                recommended=["Please create a new policy."],
            )
        return Reply(200, render.policy(existing))
    # Policies cannot change, so the version of their retention tags is their creation time (.NET ticks, as Azure's
    # recovery points show it: retentionTagVersion, the same on every point of a policy).
    doc = {"id": policy_id, "name": name, "properties": props, "tag_version": str(ticks(svc.now()))}
    svc.store.put(POLICY, policy_id, doc, parent=vault["id"])
    return Reply(200, render.policy(doc))


def get(svc: Service, call: Call) -> Reply:
    """GET a policy."""
    vault = svc.vault_of(call)
    return Reply(200, render.policy(svc.child(POLICY, vault, "backupPolicies", call.params["name"])))


def list_all(svc: Service, call: Call) -> Reply:
    """GET the policies of a vault."""
    vault = svc.vault_of(call)
    return Reply(200, {"value": [render.policy(d) for d in svc.store.select(POLICY, parent=vault["id"])]})


def delete(svc: Service, call: Call) -> Reply:
    """DELETE a policy: 200 (empty), 204 when absent, refused while a backup instance uses it."""
    vault = svc.vault_of(call)
    policy_id = ids.child_id(vault["id"], "backupPolicies", call.params["name"])
    doc = svc.store.get(POLICY, policy_id)
    if doc is None:
        return Reply(204)
    users = [
        i["name"]
        for i in svc.store.select(INSTANCE, parent=vault["id"])
        if i["properties"]["policyInfo"]["policyId"].lower() == doc["id"].lower()
    ]
    if users:
        raise ServiceError(
            400,
            "UserErrorDppPolicyObjectInUse",
            "Cannot delete the backup policy as one or more backup instances have been configured for protection "
            "with this policy.",
            recommended=[
                "Point the backup instances using this policy to another policy or delete them, then retry. "
                f"Backup instances using it: {', '.join(users)}."
            ],
        )
    svc.store.delete(POLICY, doc["id"])
    return Reply(200)
