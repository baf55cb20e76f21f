"""End to end, the full example through the real engine: preview on empty state, up and idempotence, a policy
version change, an in-place instance update, destroy, and what the exported state holds."""

from __future__ import annotations

import base64
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from pulumi_dataprotection.emulator import API_VERSION, EmulatorHandle
from tests.e2e.conftest import StackFactory
from tests.e2e.helpers import get_json, inventory, resource_type, short
from tests.e2e.programs import SUBSCRIPTION as SMALL_SUBSCRIPTION
from tests.e2e.programs import vault_path
from tests.e2e.pulumi_stack import Stack
from tests.support.emulator import ArmClient

pytestmark = pytest.mark.engine

SUBSCRIPTION = "11111111-1111-1111-1111-111111111111"
"""The subscription of examples/full/Pulumi.emulator.yaml."""
VAULT = (
    f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-backup/providers/Microsoft.DataProtection/backupVaults/"
    "bv-platform"
)
STACK_TYPE = "pulumi:pulumi:Stack"
FULL_CREATES = Counter(
    {
        (STACK_TYPE, "create"): 1,
        ("BackupVault", "create"): 1,
        ("BackupPolicy", "create"): 4,
        ("BackupInstance", "create"): 4,
    }
)
INSTANCES = {
    "aks": "aks-shop",
    "adls": "stlakehouse",
    "postgresql": "pg-legacy-orders",
    "postgresql_flexible": "pg-catalog",
}


def write_counts(entries: list[dict[str, Any]]) -> Counter[tuple[str, str]]:
    """``(method, resource type)`` counts of request-log entries."""
    return Counter((e["method"], resource_type(e["path"])) for e in entries)


def deployed(
    deployed_full_stack: StackFactory, dp: EmulatorHandle, name: str, **config: Any
) -> tuple[Stack, dict[str, Any]]:
    """A stack of the full example after a successful ``up`` (deployed once per run, see ``deployed_full_stack``;
    ``test_up_gives_outputs_then_preview_and_up_change_and_write_nothing`` checks that up), with its outputs (the
    request log is cleared)."""
    stack = deployed_full_stack(name, **config)
    if not stack.resources():  # a plain ``full_stack`` factory: deploy here
        up = stack.up()
        assert up.summary == {"create": 10}, up
    outputs = stack.outputs()
    dp.clear_request_log()
    return stack, outputs


def test_preview_on_empty_state_plans_every_create_and_writes_nothing(
    full_stack: StackFactory, dp: EmulatorHandle
) -> None:
    stack = full_stack("preview-empty")

    preview = stack.preview()

    assert preview.summary == {"create": 10}, preview
    assert preview.ops() == FULL_CREATES, preview.describe()
    assert dp.writes() == [], short(dp.writes())
    print(f"requests sent by the preview on empty state: {short(dp.request_log())}")


def test_up_gives_outputs_then_preview_and_up_change_and_write_nothing(
    full_stack: StackFactory, dp: EmulatorHandle, arm: ArmClient
) -> None:
    stack = full_stack("idempotent")

    up = stack.up()

    assert up.summary == {"create": 10}, up
    assert up.ops() == FULL_CREATES, up.describe()
    writes = dp.writes()
    assert write_counts(writes) == Counter(
        {("PUT", "backupVaults"): 1, ("PUT", "backupPolicies"): 4, ("PUT", "backupInstances"): 4}
    ), short(writes)
    outputs = stack.outputs()
    vault = outputs["vault"]
    assert (vault["name"], vault["id"], vault["location"]) == ("bv-platform", VAULT, "westeurope")
    assert (vault["soft_delete_state"], vault["soft_delete_retention_days"]) == ("AlwaysOn", 14)
    assert vault["principal_id"], "the vault's system-assigned identity has no principal id"
    vault_body = arm.get(VAULT).json()["properties"]  # at the provider's default api-version, 2026-06-01
    assert vault_body["costManagementSettings"] == {"granularityLevel": "ProtectedItemLevel"}
    policies = outputs["policies"]
    instances = outputs["instances"]
    assert set(policies) == set(instances) == set(INSTANCES)
    for key, name in INSTANCES.items():
        assert instances[key]["name"] == name
        assert instances[key]["protection_state"] == "ProtectionConfigured", instances[key]
        assert instances[key]["policy"] == policies[key]["name"]
        assert policies[key]["name"].startswith(key.replace("_", "-") + "-"), policies[key]
        assert policies[key]["summary"], policies[key]
    assert inventory(arm, SUBSCRIPTION) == {
        VAULT: {
            "backupPolicies": sorted(p["name"] for p in policies.values()),
            "backupInstances": sorted(INSTANCES.values()),
            "deletedBackupInstances": [],
        }
    }

    dp.clear_request_log()
    preview = stack.preview("--expect-no-changes")
    assert preview.summary == {"same": 10}, preview
    assert dp.writes() == [], short(dp.writes())

    again = stack.up("--expect-no-changes", skip_preview=False)
    assert again.changes() == {}, again
    assert dp.writes() == [], short(dp.writes())
    assert stack.outputs() == outputs


def test_policy_retention_change_creates_a_new_version_and_repoints_instances_in_place(
    deployed_full_stack: StackFactory, dp: EmulatorHandle, arm: ArmClient
) -> None:
    stack, before = deployed(deployed_full_stack, dp, "policy-version")
    stack.set_config("dataprotection-full:databaseRetention", "P6M")
    changed = ("postgresql", "postgresql_flexible")

    preview = stack.preview()

    assert preview.ops() == Counter({("BackupPolicy", "replace"): 2, ("BackupInstance", "update"): 2}), preview
    for key in changed:
        policy = preview.step("BackupPolicy", key.replace("_", "-"), op="replace")
        assert "policy_rules" in policy.replaces, policy
        instance = preview.step("BackupInstance", key.replace("_", "-"), op="update")
        assert instance.changed == ("policy_id",), instance
        assert not instance.replaces, instance
    assert dp.writes() == [], short(dp.writes())

    dp.clear_request_log()
    up = stack.up()

    assert up.changes() == {"replace": 2, "update": 2}, up
    after = stack.outputs()
    log = dp.request_log()
    held = inventory(arm, SUBSCRIPTION)[VAULT]
    for key in changed:
        old, new = before["policies"][key]["name"], after["policies"][key]["name"]
        assert old != new
        assert "6 months" in after["policies"][key]["summary"], after["policies"][key]
        assert old not in held["backupPolicies"] and new in held["backupPolicies"], held
        body = get_json(arm, f"{VAULT}/backupInstances/{INSTANCES[key]}")
        assert body is not None
        assert body["properties"]["policyInfo"]["policyId"].lower() == f"{VAULT}/backupPolicies/{new}".lower()
        assert body["properties"]["currentProtectionState"] == "ProtectionConfigured"
        # The old version is deleted only after its instance was re-pointed.
        put = max(e["seq"] for e in log if e["method"] == "PUT" and e["path"].endswith(f"/{INSTANCES[key]}"))
        delete = min(e["seq"] for e in log if e["method"] == "DELETE" and e["path"].endswith(f"/{old}"))
        assert put < delete, short(log)
    for key in set(INSTANCES) - set(changed):
        assert after["policies"][key] == before["policies"][key]
    assert sorted(held["backupInstances"]) == sorted(INSTANCES.values())
    assert stack.preview("--expect-no-changes").summary == {"same": 10}


def test_aks_namespaces_change_updates_the_instance_in_place(
    deployed_full_stack: StackFactory, dp: EmulatorHandle, arm: ArmClient
) -> None:
    stack, before = deployed(deployed_full_stack, dp, "aks-namespaces")
    namespaces = ["shop", "payments", "billing"]
    stack.set_config("dataprotection-full:aksIncludedNamespaces", namespaces)

    preview = stack.preview()

    assert preview.changes() == {"update": 1}, preview
    step = preview.step("BackupInstance", "aks", op="update")
    assert step.changed == ("included_namespaces",), step
    assert not step.replaces, step

    dp.clear_request_log()
    up = stack.up()

    assert up.changes() == {"update": 1}, up
    assert write_counts(dp.writes()) == Counter({("PUT", "backupInstances"): 1}), short(dp.writes())
    instance = get_json(arm, f"{VAULT}/backupInstances/aks-shop")
    assert instance is not None
    params = instance["properties"]["policyInfo"]["policyParameters"]["backupDatasourceParametersList"][0]
    assert params["includedNamespaces"] == namespaces
    assert instance["properties"]["currentProtectionState"] == "ProtectionConfigured"
    assert stack.outputs()["instances"]["aks"] == before["instances"]["aks"]


def test_destroy_deletes_the_vault_once_its_soft_deleted_instances_are_purged(
    deployed_full_stack: StackFactory, dp: EmulatorHandle, arm: ArmClient
) -> None:
    """Azure keeps a vault that holds soft-deleted backup instances (the vault's soft delete is AlwaysOn) until they
    are purged: the first destroy deletes everything else and says so; once the retention has passed, the next
    destroy deletes the vault."""
    stack, _ = deployed(deployed_full_stack, dp, "destroy")
    dp.clear_request_log()
    # Slow instance deletions down: the first status checks of the operations take 1.5 s each.
    slow = dp.inject_fault(
        "latency", method="GET", path="/backupVaults/bv-platform/operationStatus/", count=2, seconds=1.5
    )

    refused = stack.destroy(check=False)

    assert not refused.ok
    assert "soft-deleted backup instances" in refused.output and "on_delete='Retain'" in refused.output, refused.output[
        -3000:
    ]
    assert [f["hits"] for f in dp.faults() if f["id"] == slow] == [2]
    assert [r["type"].rsplit(":", 1)[-1] for r in stack.resources() if "BackupVault" in r["type"]] == ["BackupVault"]
    assert write_counts(dp.writes()) == Counter(
        {("DELETE", "backupInstances"): 4, ("DELETE", "backupPolicies"): 4, ("DELETE", "backupVaults"): 1}
    ), short(dp.writes())
    log = dp.request_log()
    vault_delete = [e for e in log if e["path"].lower() == VAULT.lower() and e["method"] == "DELETE"]
    # Refused (UserErrorBackupVaultHasBackupInstances) and sent after every instance and policy deletion.
    assert [e["status"] for e in vault_delete] == [400], short(vault_delete)
    children = [e for e in log if e["method"] == "DELETE" and e["path"].lower() != VAULT.lower()]
    assert all(e["seq"] < vault_delete[0]["seq"] for e in children), short(log)

    dp.advance_clock(15 * 86400)
    dp.clear_request_log()
    destroy = stack.destroy()

    assert destroy.summary == {"delete": 2}, destroy  # the vault and the stack
    assert inventory(arm, SUBSCRIPTION) == {}
    assert stack.resources() == []
    on_vault = [e for e in dp.request_log() if e["path"].lower() == VAULT.lower()]
    assert [e["status"] for e in on_vault if e["method"] == "DELETE"] == [202], short(on_vault)
    # The provider waits until the vault is really gone (a GET answering 404) before reporting it deleted.
    assert [e["status"] for e in on_vault if e["method"] == "GET"][-1] == 404


def test_destroy_respects_on_delete_and_retained_resources(
    small_stack: StackFactory, dp: EmulatorHandle, arm: ArmClient
) -> None:
    stack = small_stack(
        "on-delete", instances=3, onDelete=["StopProtectionRetainData", "Retain", "Suspend"], retainVault=True
    )
    stack.up()
    dp.clear_request_log()

    destroy = stack.destroy()

    assert destroy.summary == {"delete": 6}, destroy
    assert stack.resources() == []
    assert write_counts(dp.writes()) == Counter({("POST", "stopProtection"): 1, ("POST", "suspendBackups"): 1}), short(
        dp.writes()
    )
    held = inventory(arm, SMALL_SUBSCRIPTION)
    assert list(held) == [vault_path()], held
    assert held[vault_path()]["backupInstances"] == ["aks-0", "aks-1", "aks-2"]
    states = {}
    for name in ("aks-0", "aks-1", "aks-2"):
        body = get_json(arm, f"{vault_path()}/backupInstances/{name}")
        assert body is not None
        states[name] = body["properties"]["currentProtectionState"]
    assert states == {
        "aks-0": "ProtectionStopped",
        "aks-1": "ProtectionConfigured",
        "aks-2": "BackupsSuspended",
    }


def _size(value: Any) -> int:
    """Bytes of ``value`` as compact JSON."""
    return len(json.dumps(value, separators=(",", ":")).encode())


def _provider_blobs(deployment: dict[str, Any]) -> list[bytes]:
    """The decoded ``__provider`` inputs and outputs (base64 pickles of the dynamic providers) of an export."""
    found: list[bytes] = []
    for resource in deployment["deployment"]["resources"]:
        for side in ("inputs", "outputs"):
            value = (resource.get(side) or {}).get("__provider")
            if value is None:
                continue
            # A secret (``{sig, plaintext: JSON}``) in an export with --show-secrets.
            text = json.loads(value["plaintext"]) if isinstance(value, dict) else value
            found.append(base64.b64decode(text))
    return found


def test_stack_export_has_no_plaintext_secret_and_carries_audit_fields(
    deployed_full_stack: StackFactory, dp: EmulatorHandle, tmp_path: Path
) -> None:
    stack, _ = deployed(deployed_full_stack, dp, "export")

    exported = stack.export()
    text = json.dumps(exported)

    assert dp.token not in text, "the emulator's token is in the exported state in plaintext"
    # The engine keeps the stack config as the dynamic provider's inputs: the token is there only as a secret.
    secret = "4dabf18193072939515e22adb298388d"
    providers = [r for r in exported["deployment"]["resources"] if r["type"] == "pulumi:providers:pulumi-python"]
    assert providers, "no dynamic-provider resource in the state"
    for provider in providers:
        for side in ("inputs", "outputs"):
            stored = provider[side].get("dataprotection:token")
            assert isinstance(stored, dict) and secret in stored and "ciphertext" in stored, (side, stored)
    decrypted = json.loads(stack.pulumi("stack", "export", "--show-secrets").stdout)
    blobs = _provider_blobs(decrypted)
    assert len(blobs) == 18, f"expected a pickled provider in the inputs and outputs of 9 resources: {len(blobs)}"
    assert all(dp.token.encode() not in blob for blob in blobs), "the token is pickled into a provider blob"
    config_text = stack.config_path().read_text(encoding="utf-8")
    assert dp.token not in config_text and "secure:" in config_text, config_text
    resources = [r for r in exported["deployment"]["resources"] if r["type"].startswith("pulumi-python:dynamic/")]
    assert Counter(r["type"].rsplit(":", 1)[-1] for r in resources) == Counter(
        {"BackupVault": 1, "BackupPolicy": 4, "BackupInstance": 4}
    )
    sizes: dict[str, dict[str, int]] = {}
    for resource in resources:
        outputs = resource["outputs"]
        kind, name = resource["type"].rsplit(":", 1)[-1], resource["urn"].rsplit("::", 1)[-1]
        assert resource["id"].startswith(VAULT), resource["id"]
        assert outputs["arm_id"] == resource["id"], (kind, name)
        assert outputs["api_version"] == API_VERSION, (kind, name)
        assert outputs["provisioning_state"] == "Succeeded", (kind, name, outputs["provisioning_state"])
        if kind == "BackupInstance":
            assert outputs["protection_state"] == "ProtectionConfigured", (name, outputs["protection_state"])
            assert outputs["on_delete"] == "Delete", (name, outputs.get("on_delete"))
        if kind == "BackupVault":
            assert outputs["soft_delete_state"] == "AlwaysOn", outputs
        sizes[f"{kind}::{name}"] = {part: _size(resource.get(part)) for part in ("inputs", "outputs")}
        sizes[f"{kind}::{name}"]["whole resource"] = _size(resource)
    total = _size(exported)
    report = {"bytes_per_resource": sizes, "total_state_bytes": total}
    (tmp_path / "state-bytes.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"state bytes per resource: {json.dumps(report, indent=2)}")
