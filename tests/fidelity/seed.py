"""Seeder: the resources a recording uses but does not create (the az CLI tests run against long-lived vaults,
policies and backup instances), found from the recording's requests and created in the emulator from bodies Azure
returned for them (in the same recording, else anywhere in the corpus) before the replay starts.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from typing import Any

from tests.fidelity.recordings import Exchange, Recording, load_all

_DP = r"/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.DataProtection"
# Seeded in this order (parents first); each pattern captures the resource id from a request path.
KINDS = (
    ("vault", re.compile(rf"^({_DP}/backupVaults/[^/]+)", re.I)),
    ("guard", re.compile(rf"^({_DP}/resourceGuards/[^/]+)", re.I)),
    ("policy", re.compile(rf"^({_DP}/backupVaults/[^/]+/backupPolicies/[^/]+)", re.I)),
    ("instance", re.compile(rf"^({_DP}/backupVaults/[^/]+/backupInstances/[^/]+)", re.I)),
)
# Read-only properties Azure returns that a PUT does not take.
_READ_ONLY = frozenset(
    {
        "provisioningState",
        "secureScore",
        "bcdrSecurityLevel",
        "isVaultProtectedByResourceGuard",
        "resourceMoveState",
        "resourceMoveDetails",
        "protectionStatus",
        "currentProtectionState",
        "protectionErrorDetails",
        "policyVersion",
        "replicatedRegions",
    }
)
_TOP_LEVEL = ("location", "tags", "identity", "properties")


def _resources(path: str) -> list[tuple[str, str]]:
    return [(kind, m.group(1)) for kind, pattern in KINDS if (m := pattern.match(path))]


@cache
def _bodies() -> dict[str, dict[str, Any]]:
    """The first full body Azure returned for each resource id, over the whole corpus (GETs, PUTs and lists)."""
    found: dict[str, dict[str, Any]] = {}
    for recording in load_all():
        for e in recording.dataprotection:
            if e.status != 200 or not isinstance(e.body, dict):
                continue
            items = e.body["value"] if isinstance(e.body.get("value"), list) else [e.body]
            for item in items:
                if isinstance(item, dict) and isinstance(item.get("id"), str) and "properties" in item:
                    found.setdefault(item["id"].lower(), item)
    return found


def _body_in(recording: Recording, rid: str) -> dict[str, Any] | None:
    for e in recording.dataprotection:
        if e.status == 200 and e.method == "GET" and e.path.lower() == rid.lower() and isinstance(e.body, dict):
            return e.body
    for e in recording.dataprotection:  # as the recording's own lists show it
        items = e.body.get("value") if e.status == 200 and isinstance(e.body, dict) else None
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and str(item.get("id", "")).lower() == rid.lower() and "properties" in item:
                return item
    return _bodies().get(rid.lower()) or _instance_from_job(rid)


def _restored_containers(rid: str) -> list[str]:
    """The containers the corpus's item-level restores of an instance name (``restoreCriteria[].itemPath``)."""
    found: list[str] = []
    for e in (e for r in load_all() for e in r.dataprotection):
        if e.method == "POST" and e.path.lower().startswith(rid.lower() + "/") and isinstance(e.request_body, dict):
            request = e.request_body.get("restoreRequestObject") or e.request_body
            for crit in (request.get("restoreTargetInfo") or {}).get("restoreCriteria") or []:
                if crit.get("objectType") == "ItemPathBasedRestoreCriteria" and crit.get("itemPath") not in found:
                    found.append(crit["itemPath"])
    return found


def _instance_from_job(rid: str) -> dict[str, Any] | None:
    """An instance no body of was recorded, from a recorded job of it: Azure's job names the instance's
    datasource (id, type, location, name) and policy, all a backup instance's create needs; a vaulted blob
    instance protects the containers the corpus restores from it."""
    for body in _bodies().values():
        job = body.get("properties") or {}
        if str(job.get("backupInstanceId", "")).lower() != rid.lower() or not job.get("dataSourceId"):
            continue
        source = str(job["dataSourceId"])
        parts = source.split("/")
        info = {
            "resourceID": source,
            "resourceUri": source,
            "datasourceType": job["dataSourceType"],
            "resourceName": parts[-1],
            "resourceType": "/".join(parts[parts.index("providers") + 1 :: 2][:1] + parts[-2:-1]),
            "resourceLocation": job["dataSourceLocation"],
            "objectType": "Datasource",
        }
        props = {
            "friendlyName": str(job.get("backupInstanceFriendlyName") or parts[-1]).replace("\\", "/"),
            "dataSourceInfo": info,
            "policyInfo": {"policyId": job["policyId"]},
            "objectType": "BackupInstance",
        }
        containers = _restored_containers(rid)
        if job["dataSourceType"].lower().endswith("/blobservices") and containers:
            params = {"objectType": "BlobBackupDatasourceParameters", "containersList": containers}
            props["policyInfo"]["policyParameters"] = {"backupDatasourceParametersList": [params]}
        if job.get("dataSourceSetName"):  # the job names the datasource set (the storage account of ADLS)
            set_name = job["dataSourceSetName"]
            props["dataSourceSetInfo"] = {**info, "resourceName": set_name, "objectType": "DatasourceSet"}
        return {"id": rid, "name": rid.rsplit("/", 1)[1], "properties": props}
    return None


def _policy_ids(value: Any) -> list[str]:
    """Policy ids a request body names (``policyInfo.policyId``, wherever it is nested)."""
    if isinstance(value, dict):
        found = [v for k, v in value.items() if k == "policyId" and isinstance(v, str)]
        return found + [p for v in value.values() for p in _policy_ids(v)]
    if isinstance(value, list):
        return [p for v in value for p in _policy_ids(v)]
    return []


def needed(recording: Recording) -> list[tuple[str, str, dict[str, Any] | None]]:
    """(kind, id, body) of each resource the recording assumes exists, parents first.

    A resource is assumed when the first request touching it (its path, a child's path, or a body naming it) is
    not its creation and Azure did not answer 404.
    """
    first: dict[str, tuple[str, str, Exchange]] = {}
    for e in recording.dataprotection:
        for kind, rid in _resources(e.path):
            first.setdefault(rid.lower(), (kind, rid, e))
        for pid in _policy_ids(e.request_body):
            for kind, rid in _resources(pid):
                first.setdefault(rid.lower(), (kind, rid, e))
        for kind, listed in _listed(e):
            first.setdefault(listed.lower(), (kind, listed, e))
    out = []
    for kind, _ in KINDS:
        for rid_lower, (k, rid, e) in list(first.items()):
            if k != kind or e.status >= 500 or (e.status == 404 and _absent(e, rid_lower)):
                continue
            if e.method == "DELETE" and e.status == 204 and e.path.lower() == rid_lower:
                # ARM answers a delete 204 when there was nothing to delete (a clean-up before the test, whether or
                # not it then creates it): azure-cli-extensions/test_dataprotection_backup_and_restore_aks.yaml #0
                # and #5 delete an instance the test never managed to create (its validation failed, #4)
                continue
            exact = e.path.lower() == rid_lower
            if exact and e.method == "PUT" and not _is_update(e):
                continue
            body = _body_in(recording, rid)
            if body is None and kind == "policy":
                naming = _instance_naming(recording, rid)
                body = _policy_like(rid, _datasource_types(recording), naming, frozenset(_backup_rules(recording)))
            out.append((kind, rid, body))
            pid = policy_of(body) if kind == "instance" else None
            if pid and pid.lower() not in first:
                first[pid.lower()] = ("policy", pid, e)
                vault = _resources(pid)[0][1]
                if vault.lower() not in first:
                    first[vault.lower()] = ("vault", vault, e)
                    out.insert(0, ("vault", vault, _body_in(recording, vault)))
                types = {str(((body or {}).get("properties") or {}).get("dataSourceInfo", {}).get("datasourceType"))}
                out.insert(
                    0,
                    (
                        "policy",
                        pid,
                        _bodies().get(pid.lower())
                        or _policy_like(pid, {t.lower() for t in types}, body, frozenset(_backup_rules(recording))),
                    ),
                )
    return sorted(out, key=lambda w: [k for k, _ in KINDS].index(w[0]))


_LISTS = {"/backupInstances": "instance", "/backupPolicies": "policy", "/backupVaults": "vault"}
_GROUP_SCOPE = re.compile(r"^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/", re.I)


def _listed(e: Exchange) -> list[tuple[str, str]]:
    """(kind, id) of the backup instances and policies Azure listed in a vault, and of the vaults it listed in a
    resource group (they existed then, whether the recording touches them or not: a long-lived vault also holds
    other tests' instances and policies, a test's resource group other tests' vaults)."""
    kind = next((k for suffix, k in _LISTS.items() if e.path.endswith(suffix)), None)
    if kind == "vault" and not _GROUP_SCOPE.match(e.path):
        return []
    if kind is None or e.method != "GET" or e.status != 200 or not isinstance(e.body, dict):
        return []
    items = e.body.get("value") if isinstance(e.body.get("value"), list) else []
    return [(kind, str(i["id"])) for i in items if isinstance(i, dict) and isinstance(i.get("id"), str)]


def _absent(e: Exchange, rid_lower: str) -> bool:
    """Whether a 404 says this resource is missing (not only a child of it, which the service words
    ``UserErrorGenericResourceNotFound``)."""
    code = (e.body.get("error") or {}).get("code") if isinstance(e.body, dict) else None
    return e.path.lower() == rid_lower or code != "UserErrorGenericResourceNotFound"


def _is_update(e: Exchange) -> bool:
    """A recorded PUT that changed an existing resource (a synchronous 200 or a body saying ``Updating``)."""
    state = ((e.body or {}).get("properties") or {}).get("provisioningState") if isinstance(e.body, dict) else None
    return state == "Updating" or (
        e.status == 200 and "/backupPolicies/" not in e.path and "/resourceGuards/" not in e.path
    )


def _datasource_types(recording: Recording, keep_case: bool = False) -> set[str]:
    out = set()
    for e in recording.dataprotection:
        body = e.request_body if isinstance(e.request_body, dict) else {}
        props = body.get("properties") or body.get("backupInstance") or {}
        info = (props.get("properties") or props).get("dataSourceInfo") if isinstance(props, dict) else None
        if isinstance(info, dict) and isinstance(info.get("datasourceType"), str):
            out.add(info["datasourceType"] if keep_case else info["datasourceType"].lower())
    return out


def _instance_naming(recording: Recording, policy_id: str) -> dict[str, Any] | None:
    """A recorded instance body of the recording that names this policy."""
    for e in recording.dataprotection:
        if "/backupInstances/" in e.path and isinstance(e.body, dict):
            pid = policy_of(e.body)
            if pid and pid.lower() == policy_id.lower():
                return e.body
    return None


def _rule_stores(rule: dict[str, Any]) -> set[str]:
    """The datastores a rule is about: a backup rule's ``dataStore``, a retention rule's lifecycle sources."""
    stores = [rule.get("dataStore")] + [life.get("sourceDataStore") for life in rule.get("lifecycles") or []]
    return {str(s["dataStoreType"]) for s in stores if isinstance(s, dict) and "dataStoreType" in s}


def _stores(policy: dict[str, Any]) -> set[str]:
    rules = (policy.get("properties") or {}).get("policyRules") or []
    return {s for r in rules if isinstance(r, dict) for s in _rule_stores(r)}


def _operational_part(policy: dict[str, Any]) -> dict[str, Any]:
    """A recorded policy reduced to its operational-store rules (the operational half of a hybrid blob policy)."""
    rules = [r for r in policy["properties"]["policyRules"] if _rule_stores(r) == {"OperationalStore"}]
    return {**policy, "properties": {**policy["properties"], "policyRules": rules}}


def _backup_rules(recording: Recording) -> set[str]:
    """The backup rule names the recording's ad hoc backups name (``backupRuleOptions.ruleName``)."""
    out = set()
    for e in recording.dataprotection:
        options = e.request_body.get("backupRuleOptions") if isinstance(e.request_body, dict) else None
        if isinstance(options, dict) and isinstance(options.get("ruleName"), str):
            out.add(options["ruleName"].lower())
    return out


def _rule_names(policy: dict[str, Any]) -> set[str]:
    rules = (policy.get("properties") or {}).get("policyRules") or []
    return {
        str(r.get("name")).lower() for r in rules if isinstance(r, dict) and r.get("objectType") == "AzureBackupRule"
    }


def _policy_like(
    rid: str, datasource_types: set[str], instance: dict[str, Any] | None = None, rules: frozenset[str] = frozenset()
) -> dict[str, Any] | None:
    """A recorded policy to stand in for one the corpus has no body of: same name, else same datasource type (an
    operational-store-only one for an instance without datasource parameters, such as an operational blob one),
    one with the backup rules the recording's ad hoc backups name first."""
    name = rid.rsplit("/", 1)[1].lower()
    policies = [b for k, b in _bodies().items() if "/backuppolicies/" in k]
    params = ((((instance or {}).get("properties") or {}).get("policyInfo") or {}).get("policyParameters")) or {}
    kind = str((((instance or {}).get("properties") or {}).get("dataSourceInfo") or {}).get("datasourceType"))
    operational = kind.lower().endswith("/blobservices") and not params.get("backupDatasourceParametersList")
    if operational:
        # Operational blob backup: no operational-only blob policy was recorded; the operational rules of a
        # recorded hybrid one (its Default_OperationalStore retention rule) stand in.
        policies = [_operational_part(b) for b in policies if "OperationalStore" in _stores(b)]
    with_rules = [b for b in _every_policy() if rules and not operational and rules <= _rule_names(b)]
    for body in with_rules:  # every recorded version of each policy
        kinds = {str(t).lower() for t in (body.get("properties") or {}).get("datasourceTypes", [])}
        if kinds & datasource_types:
            return body
    # No vaulted blob policy with a weekly rule was recorded: an ADLS one (the same vaulted blob rules) stands in.
    blobs = sorted(t for t in datasource_types if t.endswith("/blobservices"))
    for body in with_rules:
        kinds = {str(t).lower() for t in (body.get("properties") or {}).get("datasourceTypes", [])}
        if blobs and any(k.endswith("/adlsblobservices") for k in kinds):
            recorded = next(e for e in _corpus_types() if e.lower() == blobs[0])
            return {**body, "properties": {**body["properties"], "datasourceTypes": [recorded]}}
    for body in policies:
        if str(body.get("name", "")).lower() == name:
            return body
    for body in policies:
        kinds = {str(t).lower() for t in (body.get("properties") or {}).get("datasourceTypes", [])}
        if kinds & datasource_types:
            return body
    # No body of a MySQL policy was recorded: a PostgreSQL one (same vault-store daily backup rules) stands in.
    databases = sorted(t for t in datasource_types if "/microsoft.dbfor" in f"/{t}")
    for body in policies:
        kinds = {str(t).lower() for t in (body.get("properties") or {}).get("datasourceTypes", [])}
        if databases and any("dbforpostgresql" in k for k in kinds):
            recorded = next(e for e in _corpus_types() if e.lower() == databases[0])
            return {**body, "properties": {**body["properties"], "datasourceTypes": [recorded]}}
    return None


@cache
def _every_policy() -> list[dict[str, Any]]:
    """Every policy body Azure returned, over the whole corpus (several versions of a reused policy id)."""
    return [
        e.body
        for r in load_all()
        for e in r.dataprotection
        if "/backupPolicies/" in e.path and e.status == 200 and isinstance(e.body, dict) and "properties" in e.body
    ]


@cache
def _corpus_types() -> list[str]:
    """Every datasource type named in the corpus's request bodies, with Azure's casing."""
    return sorted({t for r in load_all() for t in _datasource_types(r, keep_case=True)})


def groups(recording: Recording) -> list[tuple[str, str, str]]:
    """(subscription, name, location) of the resource groups the recording uses, but for those Azure said do not
    exist (so the emulator checks groups strictly, as Azure does)."""
    found: dict[tuple[str, str], bool] = {}
    for e in recording.dataprotection:
        m = re.match(r"^/subscriptions/([^/]+)/resourceGroups/([^/]+)/", e.path, re.I)
        if m:
            missing = isinstance(e.body, dict) and (e.body.get("error") or {}).get("code") == "ResourceGroupNotFound"
            found[(m.group(1), m.group(2).lower())] = found.get((m.group(1), m.group(2).lower()), False) or missing
    return [(sub, rg, location_of(recording)) for (sub, rg), missing in found.items() if not missing]


def location_of(recording: Recording) -> str:
    """Where the recording's vaults live: a vault body's location, else the region of an operation URL Azure
    returned (``.../locations/{region}/operationResults/...``), else the first datasource location."""
    for e in recording.dataprotection:
        if isinstance(e.body, dict) and isinstance(e.body.get("location"), str) and "/backupVaults/" in e.path:
            return e.body["location"]
    for e in recording.dataprotection:
        for url in (e.headers.get("location", ""), e.headers.get("azure-asyncoperation", "")):
            m = re.search(r"/locations/([^/]+)/operation", url, re.I)
            if m:
                return m.group(1)
    for e in recording.dataprotection:
        for body in (e.body, e.request_body):
            props = body.get("properties") if isinstance(body, dict) else None
            if isinstance(body, dict) and isinstance(body.get("location"), str) and "/backupVaults/" in e.path:
                return body["location"]
            info = props.get("dataSourceInfo") if isinstance(props, dict) else None
            if isinstance(info, dict) and isinstance(info.get("resourceLocation"), str):
                return info["resourceLocation"]
    return "eastus"


def put_body(kind: str, body: dict[str, Any]) -> dict[str, Any]:
    """The create request for a resource from a body Azure returned for it (read-only properties removed)."""
    out = {k: body[k] for k in _TOP_LEVEL if k in body}
    props = out.get("properties")
    if isinstance(props, dict):
        out["properties"] = {k: v for k, v in props.items() if k not in _READ_ONLY}
    identity = out.get("identity")
    if isinstance(identity, dict):
        out["identity"] = {k: v for k, v in identity.items() if k not in ("principalId", "tenantId")}
        if isinstance(identity.get("userAssignedIdentities"), dict):
            out["identity"]["userAssignedIdentities"] = {k: {} for k in identity["userAssignedIdentities"]}
    if kind == "instance" and isinstance(props, dict):
        info = out["properties"].get("policyInfo")
        if isinstance(info, dict):
            out["properties"]["policyInfo"] = {k: v for k, v in info.items() if k != "policyVersion"}
    return out


def protection_state(body: dict[str, Any] | None) -> str | None:
    """The ``currentProtectionState`` a recorded instance body shows."""
    state = ((body or {}).get("properties") or {}).get("currentProtectionState")
    return state if isinstance(state, str) else None


def policy_of(body: dict[str, Any] | None) -> str | None:
    """The policy id an instance body names."""
    props = (body or {}).get("properties") or {}
    info = props.get("policyInfo") or {}
    pid = info.get("policyId")
    return pid if isinstance(pid, str) else None


_TIME_KEYS = frozenset({"recoveryPointTime", "startTime", "pointInTime"})


def _times(value: Any) -> list[float]:
    if isinstance(value, dict):
        found = [t for k, v in value.items() if k in _TIME_KEYS and isinstance(v, str) for t in [_parse_time(v)] if t]
        return found + [t for v in value.values() for t in _times(v)]
    if isinstance(value, list):
        return [t for v in value for t in _times(v)]
    return []


def _parse_time(text: str) -> float | None:
    try:
        return datetime.fromisoformat(re.sub(r"(\.\d{6})\d*", r"\1", text).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def history(recording: Recording) -> float | None:
    """The earliest backup data the recording shows of its seeded instances (a restorable range's start, a recovery
    point's time, in Azure's answers or the restore requests), so seeded instances can be protected since then."""
    answers = [e.body for e in recording.dataprotection if "/backupInstances/" in e.path and e.status < 300]
    found = [t for body in answers for t in _times(body)]
    found += [
        t
        for e in recording.dataprotection
        if e.path.endswith(("/restore", "/validateRestore"))
        for t in _times(e.request_body)
    ]
    return min(found, default=None)
