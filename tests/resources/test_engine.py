"""Engine path: `pulumi up` of a vault, a policy and an instance against the emulator, then an empty preview."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_dataprotection.dynamic.adoption import OWNER_TAG
from pulumi_dataprotection.emulator import EmulatorHandle, start_emulator
from tests.support.emulator import SUBSCRIPTION
from tests.support.engine import run_pulumi, write_project

pytestmark = pytest.mark.engine

PROGRAM = """
import pulumi

from pulumi_dataprotection import BackupInstance, BackupPolicy, BackupVault
from pulumi_dataprotection.policy.builders import Retention, aks_policy

SUB = "/subscriptions/00000000-0000-0000-0000-0000000000aa"
vault = BackupVault("vault", resource_group_name="rg-backup", location="westeurope", redundancy="LRS",
                    identity_type="SystemAssigned", tags={"owner": pulumi.Output.secret("secret-owner-7731")})
keep = pulumi.Config().get("keep") or "P7D"
policy = BackupPolicy("aks-policy", vault_id=vault.id, **aks_policy(retention=Retention(keep)))
instance = BackupInstance(
    "aks-1",
    vault_id=vault.id,
    policy_id=policy.id,
    datasource_kind="aks",
    datasource_id=f"{SUB}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks-1",
    datasource_location="westeurope",
    snapshot_resource_group_id=f"{SUB}/resourceGroups/rg-snapshots",
)
pulumi.export("principal_id", vault.principal_id)
pulumi.export("summary", policy.summary)
pulumi.export("protection_state", instance.protection_state)
"""


@pytest.fixture
def subprocess_emulator(tmp_path: Path) -> Iterator[EmulatorHandle]:
    (tmp_path / "emulator").mkdir()
    handle = start_emulator(db_path=tmp_path / "emulator" / "state.db", lro_seconds=0.2, retry_after=0)
    yield handle
    handle.stop()


def test_up_then_preview_has_no_changes(
    pulumi_env: dict[str, str], tmp_path: Path, subprocess_emulator: EmulatorHandle
) -> None:
    project = write_project(tmp_path / "project", PROGRAM, name="dp-engine")
    run_pulumi(["stack", "init", "dev"], cwd=project, env=pulumi_env)
    plain = {
        "dataprotection:subscriptionId": SUBSCRIPTION,
        "dataprotection:endpoint": subprocess_emulator.url,
        "dataprotection:pollMinInterval": "0.05",
        "dataprotection:pollMaxInterval": "0.2",
        "dataprotection:ownerKey": "smoke-owner-key",
    }
    settings = [arg for key, value in plain.items() for arg in ("--plaintext", f"{key}={value}")]
    secret = ["--secret", f"dataprotection:token={subprocess_emulator.token}"]
    run_pulumi(["config", "set-all", *settings, *secret], cwd=project, env=pulumi_env)

    run_pulumi(["up", "--yes", "--skip-preview"], cwd=project, env=pulumi_env)
    outputs = json.loads(run_pulumi(["stack", "output", "--json"], cwd=project, env=pulumi_env).stdout)
    assert outputs["protection_state"] == "ProtectionConfigured"
    assert outputs["summary"] == "every 4 h to OperationalStore, kept 7 days"
    assert len(outputs["principal_id"]) == 36

    preview = run_pulumi(["preview", "--json", "--expect-no-changes"], cwd=project, env=pulumi_env)
    assert json.loads(preview.stdout)["changeSummary"] == {"same": 4}, preview.stdout
    refresh = run_pulumi(["refresh", "--yes", "--skip-preview"], cwd=project, env=pulumi_env)
    assert "error" not in refresh.stdout.lower(), refresh.stdout
    run_pulumi(["preview", "--expect-no-changes"], cwd=project, env=pulumi_env)

    exported = run_pulumi(["stack", "export"], cwd=project, env=pulumi_env).stdout
    assert subprocess_emulator.token not in exported
    assert "secret-owner-7731" not in exported, "a secret input leaked into the state in plaintext"
    vault_put = next(e for e in subprocess_emulator.request_log() if e["method"] == "PUT")
    assert vault_put["body"]["tags"] == {"owner": "secret-owner-7731", OWNER_TAG: vault_put["body"]["tags"][OWNER_TAG]}
    resources = {r["type"]: r for r in json.loads(exported)["deployment"]["resources"]}
    instance = resources["pulumi-python:dynamic/dataprotection:BackupInstance"]["outputs"]
    assert instance["on_delete"] == "Delete" and instance["api_version"] == "2026-06-01"
    policy = resources["pulumi-python:dynamic/dataprotection:BackupPolicy"]["outputs"]
    assert policy["content_hash"] in policy["name"]

    # A policy change: new version created, the instance re-pointed in place, the old version deleted last.
    since = subprocess_emulator.request_log()[-1]["seq"]
    run_pulumi(["config", "set", "keep", "P14D"], cwd=project, env=pulumi_env)
    run_pulumi(["up", "--yes", "--skip-preview"], cwd=project, env=pulumi_env)
    writes = [(w["method"], w["path"].rsplit("/", 2)[-2]) for w in subprocess_emulator.writes(since)]
    assert writes == [("PUT", "backupPolicies"), ("PUT", "backupInstances"), ("DELETE", "backupPolicies")], writes
    outputs = json.loads(run_pulumi(["stack", "output", "--json"], cwd=project, env=pulumi_env).stdout)
    assert outputs["summary"] == "every 4 h to OperationalStore, kept 14 days"

    # The vault holds the deleted instance (soft delete AlwaysOn) until its retention ends, as on Azure.
    refused = run_pulumi(["destroy", "--yes", "--skip-preview"], cwd=project, env=pulumi_env, check=False)
    assert refused.returncode != 0 and "soft-deleted backup instances" in refused.stdout, refused.stdout
    subprocess_emulator.advance_clock(15 * 86400)
    run_pulumi(["destroy", "--yes", "--skip-preview"], cwd=project, env=pulumi_env)
    assert subprocess_emulator.request_log()[-1]["status"] == 404
