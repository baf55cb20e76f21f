"""Realistic `pulumi stack export` documents for the CLI tests, built from the schemas.

Each Data Protection resource is made the way the provider records it: the typed inputs go through ``to_rest``, the
body gets what Azure adds in its answer (ids, provisioning and protection state, the identity's principal id), and
``from_rest`` of that answer gives the outputs, plus the audit outputs of the export contract (``arm_id``,
``api_version``, ``summary``, ``protection_state``, ``on_delete``...). The document around them has what real exports
have: the stack resource, the default provider, resources of other packages, the pickled ``__provider`` blob, a
pending deletion and Pulumi's secret envelopes.
"""

from __future__ import annotations

import copy
from typing import Any

from pulumi_dataprotection.instance.schema import INSTANCE
from pulumi_dataprotection.policy.schema import POLICY, summarize
from pulumi_dataprotection.vault.schema import VAULT

SUB = "5b3a2c1d-0e9f-4a8b-9c7d-6e5f4a3b2c1d"
RG = f"/subscriptions/{SUB}/resourceGroups/rg-backup"
DATA_RG = f"/subscriptions/{SUB}/resourceGroups/rg-data"
SNAPSHOT_RG = f"/subscriptions/{SUB}/resourceGroups/rg-snapshots"
STACK, PROJECT = "prod", "backup-infra"
API_VERSION = "2025-09-01"
PROVIDER_BLOB = "gASVxwAAAAAAAACMHHByb3ZpZGVyLnZhdWx0LnJlc291cmNllIwNVmF1bHRQcm92aWRlcpSTlCmBlC4="
SECRET_SIG = "4dabf18193072939515e22adb298388d"
SECRET_MARK = "1b47061264138c4ac30d75fd1eb44270"
CIPHERTEXT = "v1:Zm9vYmFyc2VjcmV0:c2VjcmV0LXRoYXQtbXVzdC1uZXZlci1iZS1wcmludGVk"
"""A secret's ciphertext: no output of any command may contain it."""

DP = "pulumi-python:dynamic/dataprotection"


def secret(plaintext_hint: str = "") -> dict[str, str]:
    """Pulumi's envelope for a secret value in a stack export."""
    return {SECRET_SIG: SECRET_MARK, "ciphertext": CIPHERTEXT + plaintext_hint}


def urn(type_: str, name: str) -> str:
    """The URN Pulumi gives a resource of this stack."""
    return f"urn:pulumi:{STACK}::{PROJECT}::{type_}::{name}"


def vault_id(name: str) -> str:
    """The id of a vault in the backup resource group."""
    return f"{RG}/providers/Microsoft.DataProtection/backupVaults/{name}"


def resource(type_: str, logical: str, arm_id: str, inputs: dict[str, Any], outputs: dict[str, Any]) -> dict[str, Any]:
    """One exported Data Protection resource (``type_`` such as ``BackupVault``) with the pickled provider blob."""
    return {
        "urn": urn(f"{DP}:{type_}", logical),
        "custom": True,
        "id": arm_id,
        "type": f"{DP}:{type_}",
        "inputs": {"__provider": PROVIDER_BLOB, **inputs},
        "outputs": {"__provider": PROVIDER_BLOB, **outputs},
        "parent": urn("pulumi:pulumi:Stack", f"{PROJECT}-{STACK}"),
        "provider": urn("pulumi:providers:pulumi-python", "default") + "::04da6b54-80e4-46f7-96ec-b56ff0331ba9",
        "created": "2025-06-02T09:14:03.113Z",
        "modified": "2025-06-02T09:14:03.113Z",
    }


def vault(
    inputs: dict[str, Any],
    *,
    principal_id: str = "7d1c0b5e-2f4a-4c3b-9e8d-1a2b3c4d5e6f",
    provisioning_state: str = "Succeeded",
) -> dict[str, Any]:
    """A BackupVault as exported."""
    inputs = copy.deepcopy(inputs)
    body = VAULT.to_rest(inputs)
    arm_id = vault_id(inputs["name"])
    body.update(id=arm_id, name=inputs["name"], type="Microsoft.DataProtection/backupVaults")
    body.setdefault("properties", {})["provisioningState"] = provisioning_state
    identity = body.get("identity") or {}
    if "SystemAssigned" in str(identity.get("type")):
        identity.update(principalId=principal_id, tenantId="72f988bf-86f1-41af-91ab-2d7cd011db47")
    values = VAULT.from_rest(body)
    outputs = {**values, "arm_id": arm_id, "api_version": API_VERSION}
    return resource("BackupVault", inputs["name"], arm_id, VAULT.inputs_of(values), outputs)


def policy(logical: str, vault_name: str, policy_inputs: dict[str, Any]) -> dict[str, Any]:
    """A BackupPolicy as exported (content-addressed physical name, summary and hash outputs)."""
    inputs = {"vault_id": vault_id(vault_name), **copy.deepcopy(policy_inputs)}
    content_hash = POLICY.content_hash(inputs, length=8)
    inputs["name"] = f"{logical}-{content_hash}"
    body = POLICY.to_rest(inputs)
    arm_id = f"{vault_id(vault_name)}/backupPolicies/{inputs['name']}"
    body.update(id=arm_id, name=inputs["name"], type="Microsoft.DataProtection/backupVaults/backupPolicies")
    values = POLICY.from_rest(body)
    outputs = {
        **values,
        "arm_id": arm_id,
        "api_version": API_VERSION,
        "summary": summarize(values),
        "content_hash": content_hash,
    }
    return resource("BackupPolicy", logical, arm_id, POLICY.inputs_of(values), outputs)


def instance(
    name: str,
    vault_name: str,
    policy_resource: dict[str, Any] | str,
    fields: dict[str, Any],
    *,
    protection_state: str = "ProtectionConfigured",
    protection_error: dict[str, Any] | None = None,
    on_delete: str = "Delete",
    secret_outputs: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A BackupInstance as exported; ``policy_resource`` is an exported policy or a policy id outside the stack."""
    policy_id = policy_resource if isinstance(policy_resource, str) else policy_resource["id"]
    inputs = {"name": name, "vault_id": vault_id(vault_name), "policy_id": policy_id, **copy.deepcopy(fields)}
    body = INSTANCE.to_rest(inputs)
    arm_id = f"{vault_id(vault_name)}/backupInstances/{name}"
    body.update(id=arm_id, name=name, type="Microsoft.DataProtection/backupVaults/backupInstances")
    status: dict[str, Any] = {"status": protection_state}
    body["properties"].update(provisioningState="Succeeded", currentProtectionState=protection_state)
    if protection_error:
        body["properties"]["protectionErrorDetails"] = protection_error
        status["errorDetails"] = protection_error
    body["properties"]["protectionStatus"] = status
    values = INSTANCE.from_rest(body)
    outputs = {
        **values,
        "arm_id": arm_id,
        "api_version": API_VERSION,
        "protection_state": protection_state,
        "protection_status": status,
        "protection_error": protection_error,
        "on_delete": on_delete,
        "datasource_type": body["properties"]["dataSourceInfo"]["datasourceType"],
    }
    stored_inputs = {**INSTANCE.inputs_of(values), "on_delete": on_delete}
    for key in secret_outputs:
        outputs[key] = secret()
        stored_inputs[key] = secret()
    return resource("BackupInstance", name, arm_id, stored_inputs, outputs)


def adhoc(name: str, instance_resource: dict[str, Any], job_id: str, status: str) -> dict[str, Any]:
    """An AdhocBackup as exported."""
    outputs = {"instance_id": instance_resource["id"], "job_id": job_id, "job_status": status}
    return resource("AdhocBackup", name, job_id, {"instance_id": instance_resource["id"]}, outputs)


def bare(type_: str, name: str, arm_id: str | None = None) -> dict[str, Any]:
    """A Data Protection resource whose outputs are missing (an old or partly failed create)."""
    out = resource(type_, name, arm_id or "", {}, {})
    out.pop("outputs")
    if arm_id is None:
        out.pop("id")
    return out


def stack_export(*resources: dict[str, Any], pending_delete: dict[str, Any] | None = None) -> dict[str, Any]:
    """The whole `pulumi stack export` document."""
    stack = {
        "urn": urn("pulumi:pulumi:Stack", f"{PROJECT}-{STACK}"),
        "custom": False,
        "type": "pulumi:pulumi:Stack",
        "outputs": {"vaultPrincipal": "7d1c0b5e-2f4a-4c3b-9e8d-1a2b3c4d5e6f", "dbPassword": secret()},
    }
    default_provider = {
        "urn": urn("pulumi:providers:pulumi-python", "default"),
        "custom": True,
        "id": "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
        "type": "pulumi:providers:pulumi-python",
    }
    other = {
        "urn": urn("azure-native:resources:ResourceGroup", "rg-backup"),
        "custom": True,
        "id": RG,
        "type": "azure-native:resources:ResourceGroup",
        "inputs": {"location": "westeurope"},
        "outputs": {"id": RG, "location": "westeurope", "name": "rg-backup"},
    }
    items = [stack, default_provider, other, *resources]
    if pending_delete is not None:
        items.append({**pending_delete, "delete": True})
    return {
        "version": 3,
        "deployment": {
            "manifest": {"time": "2025-06-02T09:15:00.000Z", "magic": "0f1e2d", "version": "v3.259.0"},
            "secrets_providers": {"type": "passphrase", "state": {"salt": "v1:c2FsdA==:v1:c2FsdA=="}},
            "resources": items,
        },
    }
