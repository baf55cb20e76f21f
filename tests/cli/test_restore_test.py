"""`restore-test` end to end against the emulator: one drill per datasource kind restores the newest point into a
scratch target and writes evidence; failing drills (bad target, point too old, protection error) report the code and
leave nothing behind."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.policy.builders import ArchiveTier, Retention, Schedule, postgresql_policy
from tests.cli.conftest import CliResult
from tests.support.protected import DATA, KINDS, protect

DAY = 86400.0
FILES_URL = "https://stdrills.blob.core.windows.net/restores"


def _args(handle: EmulatorHandle, evidence: Path, *extra: str) -> list[str]:
    return [
        "--endpoint",
        handle.url,
        "--token",
        handle.token,
        "--poll-interval",
        "0.05",
        "--suffix",
        "drill-1",
        "--evidence",
        str(evidence),
        *extra,
    ]


def _drills(evidence: Path) -> list[dict[str, Any]]:
    document = json.loads(evidence.read_text(encoding="utf-8"))
    assert document["schema"] == "pulumi-dataprotection/restore-drill/v1"
    drills: list[dict[str, Any]] = document["drills"]
    return drills


EXPECTED = {
    "aks": (
        "OperationalStore",
        [f"{DATA}/Microsoft.ContainerService/managedClusters/aks-shop/namespaces/{ns}-drill-1" for ns in ()],
    ),
    "adls": (
        "VaultStore",
        [
            f"{DATA}/Microsoft.Storage/storageAccounts/stlake/blobServices/default/containers/{c}-drill-1"
            for c in ("raw", "curated")
        ],
    ),
    "blob": (
        "VaultStore",
        [f"{DATA}/Microsoft.Storage/storageAccounts/stblob/blobServices/default/containers/invoices-drill-1"],
    ),
    "postgresql": ("VaultStore", [f"{DATA}/Microsoft.DBforPostgreSQL/servers/pg-legacy/databases/orders_drill_1"]),
    "postgresql_flexible": ("VaultStore", [f"{FILES_URL}/pg-catalog-drill-1"]),
    "mysql_flexible": ("VaultStore", [f"{FILES_URL}/mysql-orders-drill-1"]),
    "disk": ("OperationalStore", [f"{DATA}/Microsoft.Compute/disks/data-1-drill-1"]),
    "cosmos_db": ("VaultStore", [f"{DATA}/Microsoft.DocumentDB/databaseAccounts/cosmos-orders-drill-1"]),
    "elastic_san": (
        "OperationalStore",
        [
            f"{DATA}/Microsoft.ElasticSan/elasticSans/esan/volumeGroups/vg/volumes/{v}-drill-1"
            for v in ("data-1", "logs-1")
        ],
    ),
}


def test_every_kind_of_the_catalog_has_an_expected_drill() -> None:
    assert not set(KINDS) - set(EXPECTED), f"no expected drill for {sorted(set(KINDS) - set(EXPECTED))}"


@pytest.mark.parametrize("kind", list(KINDS))
def test_drill_restores_the_newest_point_into_a_scratch_target(
    kind: str, emulator: EmulatorHandle, run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    instance = protect(emulator, (kind,)).instances[kind]
    emulator.advance_clock(8 * DAY)  # weekly database backups need a week
    evidence = tmp_path / "evidence.json"
    extra = ["--files-url", FILES_URL, *(["--namespace", "shop=shop-drill-1"] if kind == "aks" else [])]
    result = run_cli("restore-test", "--instance", instance, *_args(emulator, evidence, *extra))
    assert result.code == 0, result.err
    assert "Restore Completed in " in result.out and "1 of 1 drill(s) passed" in result.out
    assert ": Completed (Trigger Restore: Completed)" in result.out
    (drill,) = _drills(evidence)
    store, created = EXPECTED[kind]
    if kind == "aks":
        created = [f"{DATA}/Microsoft.ContainerService/managedClusters/aks-shop/namespaces/shop-drill-1"]
    assert drill["result"] == "succeeded" and drill["validated"] is True
    assert drill["instance"] == instance and drill["target"]["datastore"] == store
    assert drill["job"]["status"] == "Completed" and drill["restoreSeconds"] > 0
    assert 0 <= drill["recoveryPointAgeSeconds"] <= 7 * DAY
    assert sorted(r["id"] for r in emulator.restored()) == sorted(created)
    posts = [e for e in emulator.request_log() if e["method"] == "POST"]
    assert [p["path"].rsplit("/", 1)[1] for p in posts] == ["validateRestore", "restore"]
    assert posts[1]["body"]["recoveryPointId"] == drill["recoveryPoint"]["id"]


def test_cleanup_deletes_what_the_drill_created(
    emulator: EmulatorHandle, run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    done = protect(emulator, ("postgresql", "blob"))
    emulator.advance_clock(8 * DAY)
    evidence = tmp_path / "evidence.json"
    ids = [a for kind in ("postgresql", "blob") for a in ("--instance", done.instances[kind])]
    result = run_cli("restore-test", *ids, *_args(emulator, evidence, "--cleanup"))
    assert result.code == 0, result.err
    assert emulator.restored() == []
    drills = _drills(evidence)
    assert [d["result"] for d in drills] == ["succeeded", "succeeded"]
    assert all(c["deleted"] for d in drills for c in d["cleanup"])
    deletes = [e["path"] for e in emulator.request_log() if e["method"] == "DELETE"]
    assert deletes == [c["resource"] for d in drills for c in d["cleanup"]]


def test_every_instance_of_a_stack_export(
    emulator: EmulatorHandle, run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    done = protect(emulator, ("disk", "adls"))
    emulator.advance_clock(DAY)
    resources = [
        {
            "urn": f"urn:pulumi:prod::infra::pulumi-python:dynamic/dataprotection:BackupInstance::{kind}",
            "type": "pulumi-python:dynamic/dataprotection:BackupInstance",
            "id": done.instances[kind],
            "outputs": {"arm_id": done.instances[kind]},
        }
        for kind in ("disk", "adls")
    ]
    export = tmp_path / "stack.json"
    export.write_text(json.dumps({"version": 3, "deployment": {"resources": resources}}), encoding="utf-8")
    evidence = tmp_path / "evidence.json"
    result = run_cli("restore-test", "--stack-export", str(export), *_args(emulator, evidence))
    assert result.code == 0, result.err
    assert [d["instance"] for d in _drills(evidence)] == [done.instances["disk"], done.instances["adls"]]


def test_operational_blob_backup_is_validated_never_restored_in_place(
    emulator: EmulatorHandle, run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    instance = protect(emulator, ("blob",)).instances["blob"]
    emulator.advance_clock(3600)  # no daily vault point yet: only the continuous operational window
    evidence = tmp_path / "evidence.json"
    result = run_cli(
        "restore-test", "--instance", instance, *_args(emulator, evidence, "--datastore", "OperationalStore")
    )
    assert result.code == 0, result.err
    (drill,) = _drills(evidence)
    assert drill["result"] == "validated" and drill["recoveryPoint"]["id"] is None
    assert [e["path"].rsplit("/", 1)[1] for e in emulator.request_log() if e["method"] == "POST"] == [
        "findRestorableTimeRanges",
        "validateRestore",
    ]


def test_bad_target_reports_azures_code_and_leaves_nothing_behind(
    emulator: EmulatorHandle, run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    instance = protect(emulator, ("postgresql",)).instances["postgresql"]
    emulator.advance_clock(8 * DAY)
    evidence = tmp_path / "evidence.json"
    assert run_cli("restore-test", "--instance", instance, *_args(emulator, evidence)).code == 0
    leftover = emulator.restored()  # orders_drill_1, left by a drill without --cleanup
    emulator.clear_request_log()
    result = run_cli("restore-test", "--instance", instance, *_args(emulator, evidence, "--cleanup"))
    assert result.code == 1
    assert "UserErrorRestoreTargetAlreadyExists" in result.err
    (drill,) = _drills(evidence)
    assert drill["result"] == "failed" and drill["error"]["code"] == "UserErrorRestoreTargetAlreadyExists"
    assert emulator.restored() == leftover  # the drill did not create it, so --cleanup did not delete it
    assert not any(e["path"].endswith("/restore") or e["method"] == "DELETE" for e in emulator.request_log())


def test_point_too_old_fails_before_anything_is_restored(
    emulator: EmulatorHandle, run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    done = protect(emulator, ("disk",))
    emulator.advance_clock(DAY)
    assert done.arm.post(f"{done.instances['disk']}/stopProtection").status_code == 202
    emulator.advance_clock(3 * DAY)  # no backups for three days
    evidence = tmp_path / "evidence.json"
    result = run_cli(
        "restore-test", "--instance", done.instances["disk"], *_args(emulator, evidence, "--max-age", "P1D")
    )
    assert result.code == 1
    (drill,) = _drills(evidence)
    assert drill["error"]["code"] == "RecoveryPointTooOld"
    assert 3 * DAY <= drill["recoveryPointAgeSeconds"] <= 3 * DAY + 5 * 3600
    assert "more than --max-age 1d" in result.err
    assert emulator.restored() == []


def test_protection_error_and_missing_options_fail_the_drill(
    emulator: EmulatorHandle, run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    emulator.inject_fault("protection_error", path="backupInstances/bi-disk")
    done = protect(emulator, ("disk", "postgresql_flexible"))
    emulator.advance_clock(8 * DAY)
    evidence = tmp_path / "evidence.json"
    ids = [a for kind in ("disk", "postgresql_flexible") for a in ("--instance", done.instances[kind])]
    result = run_cli("restore-test", *ids, *_args(emulator, evidence))
    assert result.code == 1
    codes = [d["error"]["code"] for d in _drills(evidence)]
    assert codes == ["UserErrorMSIMissingPermissions", "DrillNotPossible"]
    assert "--files-url" in result.err and "0 of 2 drill(s) passed" in result.out
    assert emulator.restored() == []


@contextmanager
def _clock_running(handle: EmulatorHandle, step: float) -> Iterator[None]:
    """The emulator's clock moves ``step`` seconds every 0.2 s of real time (a rehydration takes hours)."""
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


def test_archive_drill_rehydrates_the_point_then_restores_it(
    emulator: EmulatorHandle, run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    """--datastore ArchiveStore: the newest archived point, restored with the given priority and duration; the job
    lasts the rehydration and the point keeps a vault-tier copy for the duration afterwards."""
    archiving = postgresql_policy(Schedule.weekly(["Sunday"], "02:00"), Retention("P7D", archive=ArchiveTier("P6M")))
    instance = protect(emulator, ("postgresql",), policies={"postgresql": archiving}).instances["postgresql"]
    emulator.advance_clock(16 * DAY)
    evidence = tmp_path / "evidence.json"
    archive = ("--datastore", "ArchiveStore", "--rehydration-priority", "High", "--rehydration-duration", "P12D")
    with _clock_running(emulator, 900):
        result = run_cli("restore-test", "--instance", instance, *_args(emulator, evidence, *archive))
    assert result.code == 0, result.err
    assert "Rehydration      High priority, the rehydrated copy kept P12D" in result.out
    (drill,) = _drills(evidence)
    assert drill["result"] == "succeeded" and drill["target"]["datastore"] == "ArchiveStore"
    assert drill["recoveryPoint"]["datastores"] == ["ArchiveStore"]
    assert drill["rehydration"]["priority"] == "High" and drill["rehydration"]["retentionDuration"] == "P12D"
    assert sorted(drill["rehydration"]["datastoresAfter"]) == ["ArchiveStore", "VaultStore"]
    ended = datetime.fromisoformat(drill["job"]["endTime"].replace("Z", "+00:00"))
    until = datetime.fromisoformat(drill["rehydration"]["rehydratedUntil"].replace("Z", "+00:00"))
    assert abs(until - ended - timedelta(days=12)) < timedelta(minutes=5)
    started = datetime.fromisoformat(drill["job"]["startTime"].replace("Z", "+00:00"))
    assert ended - started >= timedelta(hours=1), "a High priority rehydration takes an hour"
    restore = next(e for e in emulator.request_log() if e["path"].endswith("/restore"))
    assert restore["body"]["objectType"] == "AzureBackupRestoreWithRehydrationRequest"
    assert restore["body"]["rehydrationPriority"] == "High"
    assert restore["body"]["rehydrationRetentionDuration"] == "P12D"
    assert [r["id"] for r in emulator.restored()] == EXPECTED["postgresql"][1]


def test_archive_drill_needs_a_policy_that_archives(
    emulator: EmulatorHandle, run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    instance = protect(emulator, ("postgresql",)).instances["postgresql"]
    emulator.advance_clock(8 * DAY)
    evidence = tmp_path / "evidence.json"
    result = run_cli("restore-test", "--instance", instance, *_args(emulator, evidence, "--datastore", "ArchiveStore"))
    assert result.code == 1
    assert "DrillNotPossible: the instance's policy moves no backups to the ArchiveStore" in result.err
    assert run_cli("restore-test", "--instance", instance, "--rehydration-duration", "PT1H").code == 2


def test_usage_errors(run_cli: Callable[..., CliResult], tmp_path: Path) -> None:
    instance = (
        "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg/providers/Microsoft.DataProtection/"
        "backupVaults/v/backupInstances/bi"
    )
    assert run_cli("restore-test", "--instance", instance, "--max-age", "yesterday").code == 2
    assert run_cli("restore-test", "--instance", instance, "--namespace", "shop").code == 2
    assert run_cli("restore-test", "--instance", "/subscriptions/x").code == 2
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"version": 3, "deployment": {"resources": []}}), encoding="utf-8")
    assert run_cli("restore-test", "--stack-export", str(empty)).code == 2


def test_point_in_time_picks_the_newest_point_at_or_before_it(
    emulator: EmulatorHandle, run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    instance = protect(emulator, ("disk",)).instances["disk"]
    emulator.advance_clock(2 * DAY)
    when = datetime.fromisoformat(emulator.clock()["now"][:26]).replace(tzinfo=UTC) - timedelta(hours=13)
    evidence = tmp_path / "evidence.json"
    result = run_cli(
        "restore-test", "--instance", instance, *_args(emulator, evidence, "--point-in-time", when.isoformat())
    )
    assert result.code == 0, result.err
    (drill,) = _drills(evidence)
    chosen = datetime.fromisoformat(drill["recoveryPoint"]["time"].replace("Z", "+00:00"))
    assert when - timedelta(hours=4) < chosen <= when  # the 4-hourly point just before
    assert drill["recoveryPointAgeSeconds"] >= 13 * 3600


def test_cross_region_drill_restores_the_secondary_copy_in_the_paired_region(
    emulator: EmulatorHandle, run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    done = protect(emulator, ("postgresql", "disk"), geo=True)
    emulator.advance_clock(8 * DAY)
    evidence = tmp_path / "evidence.json"
    ids = [a for kind in ("postgresql", "disk") for a in ("--instance", done.instances[kind])]
    result = run_cli("restore-test", *ids, *_args(emulator, evidence, "--cross-region"))
    assert result.code == 1  # the disk drill cannot cross regions
    pg, disk_drill = _drills(evidence)
    assert pg["result"] == "succeeded", pg
    assert pg["crossRegion"] == {"sourceRegion": "westeurope", "targetRegion": "northeurope"}
    assert disk_drill["error"]["code"] == "CrossRegionRestoreNotSupported"
    posts = [e["path"].rsplit("/", 1)[1] for e in emulator.request_log() if e["method"] == "POST"]
    assert posts[:3] == ["fetchSecondaryRecoveryPoints", "validateCrossRegionRestore", "crossRegionRestore"]
    assert set(posts[3:]) == {"fetchCrossRegionRestoreJob"}
    restore = next(e for e in emulator.request_log() if e["path"].endswith("/crossRegionRestore"))
    assert "/locations/northeurope/" in restore["path"]
    assert restore["body"]["restoreRequestObject"]["restoreTargetInfo"]["restoreLocation"] == "northeurope"
    assert [r["id"] for r in emulator.restored()] == [
        f"{DATA}/Microsoft.DBforPostgreSQL/servers/pg-legacy/databases/orders_drill_1"
    ]


def test_cross_region_drill_needs_a_geo_redundant_vault(
    emulator: EmulatorHandle, run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    instance = protect(emulator, ("postgresql",)).instances["postgresql"]
    emulator.advance_clock(8 * DAY)
    evidence = tmp_path / "evidence.json"
    result = run_cli("restore-test", "--instance", instance, *_args(emulator, evidence, "--cross-region"))
    assert result.code == 1
    assert _drills(evidence)[0]["error"]["code"] == "CrossRegionRestoreNotAvailable"
    assert emulator.restored() == []


def test_recovery_points_rehydrate_brings_an_archived_point_to_the_vault_tier(
    emulator: EmulatorHandle, run_cli: Callable[..., CliResult]
) -> None:
    archiving = postgresql_policy(Schedule.weekly(["Sunday"], "02:00"), Retention("P7D", archive=ArchiveTier("P6M")))
    instance = protect(emulator, ("postgresql",), policies={"postgresql": archiving}).instances["postgresql"]
    emulator.advance_clock(16 * DAY)
    target = ["--endpoint", emulator.url, "--token", emulator.token]
    listed = run_cli(
        "recovery-points", "list", "--instance", instance, "--datastore", "ArchiveStore", "--format", "json", *target
    )
    point = json.loads(listed.out)[0]["name"]
    assert run_cli("recovery-points", "rehydrate", point, "--instance", instance, "--duration", "1h", *target).code == 2
    result = run_cli(
        "recovery-points",
        "rehydrate",
        point,
        "--instance",
        instance,
        "--priority",
        "High",
        "--duration",
        "P5D",
        *target,
    )
    assert result.code == 0, result.err
    assert f"Rehydration of {point} accepted (High priority, kept P5D)" in result.out
    assert "VaultStore: rehydration CREATE_IN_PROGRESS" in result.out
    body = next(e for e in emulator.request_log() if e["path"].endswith("/rehydrate"))["body"]
    assert body == {"recoveryPointId": point, "rehydrationPriority": "High", "rehydrationRetentionDuration": "P5D"}
    emulator.advance_clock(3700)
    shown = json.loads(
        run_cli("recovery-points", "show", point, "--instance", instance, "--format", "json", *target).out
    )
    details = shown["properties"]["recoveryPointDataStoresDetails"]
    assert sorted((d["type"], d["rehydrationStatus"]) for d in details) == [
        ("ArchiveStore", None),
        ("VaultStore", "COMPLETED"),
    ]


def test_cosmos_db_drill_restores_into_a_new_account_or_a_given_cosmos_db_account() -> None:
    from pulumi_dataprotection.datasources import KINDS as CATALOG
    from pulumi_dataprotection.datasources import DrillContext
    from pulumi_dataprotection.restore.drill import DrillError, DrillOptions, Source

    kind = CATALOG["cosmos_db"]
    assert kind.restore_target is not None
    account = f"{DATA}/Microsoft.DocumentDB/databaseAccounts/cosmos-orders"
    source = Source("bi", kind, account, "westeurope", "p")

    def target(given: str | None) -> str:
        ctx = DrillContext({"VaultStore"}, False, DrillOptions(suffix="drill-1", target_account=given))
        drill = kind.restore_target(source, ctx)
        assert drill.target["objectType"] == "RestoreTargetInfo" and drill.datastore == "VaultStore"
        return str(drill.target["datasourceInfo"]["resourceID"])

    assert target(None) == f"{account}-drill-1"
    storage = f"{DATA}/Microsoft.Storage/storageAccounts/stblob"
    assert target(storage) == f"{account}-drill-1"  # a storage account given for the blob drills of the same run
    empty = f"{DATA}/Microsoft.DocumentDB/databaseAccounts/cosmos-empty"
    assert target(empty) == empty
    with pytest.raises(DrillError):
        target(account)
