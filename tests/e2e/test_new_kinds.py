"""End to end through the real engine, the capabilities of api-version 2026-06-01: an Elastic SAN volume group, a
Cosmos DB account and an auto-protected storage account (blob, with an excluded prefix) are protected by one stack
(``up`` ProtectionConfigured, a no-change ``preview`` that writes nothing), then an archive drill
(``restore-test --datastore ArchiveStore``) rehydrates and restores a point of the stack's archiving PostgreSQL
instance, and ``destroy`` deletes the instances and policies (the vault is retained: Azure keeps a vault that holds
soft-deleted instances, see test_lifecycle)."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pulumi_dataprotection.cli import main
from pulumi_dataprotection.emulator import EmulatorHandle
from tests.e2e.conftest import new_stack
from tests.e2e.helpers import inventory, resource_type, short
from tests.support.emulator import ArmClient
from tests.support.engine import write_project

pytestmark = pytest.mark.engine

SUBSCRIPTION = "33333333-3333-3333-3333-333333333333"
DATA = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-data/providers"
VAULT = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-new/providers/Microsoft.DataProtection/backupVaults/bv-new"
INSTANCES = {"esan": "bi-esan", "cosmos": "bi-cosmos", "blob": "bi-blob-auto", "pg": "bi-pg-archive"}
DAY = 86400.0

PROGRAM = f"""
\"\"\"A GeoRedundant vault protecting an Elastic SAN volume group, a Cosmos DB account, an auto-protected storage
account and a PostgreSQL database whose policy archives (see tests/e2e/test_new_kinds.py).\"\"\"
import pulumi

from pulumi_dataprotection import BackupInstance, BackupPolicy, BackupVault
from pulumi_dataprotection.datasources import KINDS
from pulumi_dataprotection.policy.builders import (
    ArchiveTier, Retention, Schedule, blob_vaulted_policy, postgresql_policy,
)

DATA = "{DATA}"
vault = BackupVault(
    "vault",
    name="bv-new",
    resource_group_name="rg-new",
    location="westeurope",
    redundancy="GeoRedundant",
    identity_type="SystemAssigned",
    soft_delete_state="AlwaysOn",
    soft_delete_retention_days=14,
    opts=pulumi.ResourceOptions(retain_on_delete=True),  # Azure keeps it while it holds soft-deleted instances
)
policies = {{
    "esan": KINDS["elastic_san"].default_policy(),
    "cosmos": KINDS["cosmos_db"].default_policy(),
    "blob": blob_vaulted_policy(),
    "pg": postgresql_policy(Schedule.weekly(["Sunday"], "02:00"), Retention("P7D", archive=ArchiveTier("P6M"))),
}}
created = {{key: BackupPolicy(key, vault_id=vault.arm_id, **inputs) for key, inputs in policies.items()}}
common = {{"vault_id": vault.arm_id, "datasource_location": "westeurope"}}
instances = {{
    "esan": BackupInstance(
        "esan",
        name="{INSTANCES["esan"]}",
        policy_id=created["esan"].arm_id,
        datasource_kind="elastic_san",
        datasource_id=f"{{DATA}}/Microsoft.ElasticSan/elasticSans/esan/volumeGroups/vg",
        snapshot_resource_group_id="/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-snapshots",
        volumes=["data-1", "logs-1"],
        **common,
    ),
    "cosmos": BackupInstance(
        "cosmos",
        name="{INSTANCES["cosmos"]}",
        policy_id=created["cosmos"].arm_id,
        datasource_kind="cosmos_db",
        datasource_id=f"{{DATA}}/Microsoft.DocumentDB/databaseAccounts/cosmos-orders",
        **common,
    ),
    "blob": BackupInstance(
        "blob",
        name="{INSTANCES["blob"]}",
        policy_id=created["blob"].arm_id,
        datasource_kind="blob",
        datasource_id=f"{{DATA}}/Microsoft.Storage/storageAccounts/stauto",
        auto_protection=True,
        auto_protection_excluded_prefixes=["tmp-"],
        **common,
    ),
    "pg": BackupInstance(
        "pg",
        name="{INSTANCES["pg"]}",
        policy_id=created["pg"].arm_id,
        datasource_kind="postgresql",
        datasource_id=f"{{DATA}}/Microsoft.DBforPostgreSQL/servers/pg-legacy",
        database_name="orders",
        secret_store_uri="https://kv-db.vault.azure.net/secrets/pg-orders",
        **common,
    ),
}}
pulumi.export(
    "instances",
    {{
        key: {{
            "id": i.arm_id,
            "protection_state": i.protection_state,
            "auto_protection": i.auto_protection,
            "excluded": i.auto_protection_excluded_prefixes,
        }}
        for key, i in instances.items()
    }},
)
"""


@contextmanager
def clock_running(handle: EmulatorHandle, step: float) -> Iterator[None]:
    """The emulator's clock moves ``step`` seconds every 0.2 s of real time (a rehydration takes an hour)."""
    stop = threading.Event()

    def tick() -> None:
        while not stop.wait(0.2):
            handle.advance_clock(step)

    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def test_new_kinds_up_converge_drill_from_archive_and_destroy(
    dp: EmulatorHandle, arm: ArmClient, tmp_path: Path, engine_bin: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = write_project(tmp_path / "project", PROGRAM, name="e2e-new-kinds")
    config = {"dataprotection:subscriptionId": SUBSCRIPTION}
    stack = new_stack(project, tmp_path / "pulumi-state", engine_bin, "new-kinds", config, dp)

    up = stack.up()

    assert up.summary == {"create": 10}, up
    assert Counter((s.type, s.op) for s in up.steps if s.op == "create" and s.type != "pulumi:pulumi:Stack") == (
        Counter({("BackupVault", "create"): 1, ("BackupPolicy", "create"): 4, ("BackupInstance", "create"): 4})
    ), up.describe()
    instances = stack.outputs()["instances"]
    assert {k: i["protection_state"] for k, i in instances.items()} == dict.fromkeys(INSTANCES, "ProtectionConfigured")
    assert (instances["blob"]["auto_protection"], instances["blob"]["excluded"]) == (True, ["tmp-"])
    held = inventory(arm, SUBSCRIPTION)[VAULT]
    assert held["backupInstances"] == sorted(INSTANCES.values()), held
    blob = arm.get(instances["blob"]["id"]).json()["properties"]["policyInfo"]["policyParameters"]
    (params,) = blob["backupDatasourceParametersList"]
    assert params["objectType"] == "BlobBackupDatasourceParametersForAutoProtection", params
    assert [r["pattern"] for r in params["autoProtectionSettings"]["rules"]] == ["tmp-"], params
    writes = dp.writes()
    assert writes and all("2026-06-01" in str(e["query"]) for e in writes), [e["query"] for e in writes]
    assert "use a vault with redundancy GeoRedundant" not in up.output, up.output[-2000:]

    dp.clear_request_log()
    preview = stack.preview("--expect-no-changes")
    assert preview.summary == {"same": 10}, preview
    assert dp.writes() == [], short(dp.writes())

    dp.advance_clock(16 * DAY)  # two weekly PostgreSQL backups: the first one's vault copy expired into the archive
    for key in ("esan", "cosmos", "blob"):  # the engine-created policies drive scheduled backups of every kind
        points = arm.get(f"{instances[key]['id']}/recoveryPoints").json()["value"]
        assert points, f"no recovery point of {key} after 16 days"
    evidence = tmp_path / "drill.json"
    drill_args = [
        "restore-test",
        "--instance",
        instances["pg"]["id"],
        "--endpoint",
        dp.url,
        "--token",
        dp.token,
        "--poll-interval",
        "0.05",
        "--suffix",
        "drill-1",
        "--evidence",
        str(evidence),
        "--datastore",
        "ArchiveStore",
        "--rehydration-priority",
        "High",
        "--rehydration-duration",
        "P12D",
    ]
    capsys.readouterr()
    with clock_running(dp, 900):
        code = main(drill_args)
    printed = capsys.readouterr()
    assert code == 0, printed.err
    assert "Rehydration      High priority, the rehydrated copy kept P12D" in printed.out, printed.out
    (drill,) = json.loads(evidence.read_text(encoding="utf-8"))["drills"]
    assert drill["result"] == "succeeded" and drill["target"]["datastore"] == "ArchiveStore", drill
    assert drill["recoveryPoint"]["datastores"] == ["ArchiveStore"], drill
    assert (drill["rehydration"]["priority"], drill["rehydration"]["retentionDuration"]) == ("High", "P12D")
    assert sorted(drill["rehydration"]["datastoresAfter"]) == ["ArchiveStore", "VaultStore"], drill
    restore = next(e for e in dp.request_log() if e["path"].endswith("/restore"))
    assert restore["body"]["objectType"] == "AzureBackupRestoreWithRehydrationRequest", restore["body"]
    assert [r["id"] for r in dp.restored()] == [
        f"{DATA}/Microsoft.DBforPostgreSQL/servers/pg-legacy/databases/orders_drill_1"
    ]

    dp.clear_request_log()
    destroy = stack.destroy()

    assert destroy.summary == {"delete": 10}, destroy
    deletes = Counter(resource_type(e["path"]) for e in dp.writes() if e["method"] == "DELETE")
    assert deletes == Counter({"backupInstances": 4, "backupPolicies": 4}), short(dp.writes())
    assert inventory(arm, SUBSCRIPTION) == {
        VAULT: {"backupPolicies": [], "backupInstances": [], "deletedBackupInstances": sorted(INSTANCES.values())}
    }
