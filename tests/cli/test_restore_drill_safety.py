"""Restore drills never touch what they did not create: a scratch name never equals a protected name (a 63-character
container, a given --target-database or --namespace equal to the source), every clean-up target is proven absent
before the restore, a failed job's targets are listed rather than deleted, and default suffixes never repeat."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pulumi_dataprotection.arm import OperationResult, ResourceId
from pulumi_dataprotection.cli.common import console
from pulumi_dataprotection.cli.restore_drill import DrillRun, default_suffix
from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.restore.client import RestoreApi
from pulumi_dataprotection.restore.drill import DrillOptions, scratch_name
from tests.cli.conftest import CliResult
from tests.support.protected import DATA, protect

DAY = 86400.0
SUB = "/subscriptions/00000000-0000-0000-0000-0000000000aa"
VAULT = f"{SUB}/resourceGroups/rg/providers/Microsoft.DataProtection/backupVaults/v"
INSTANCE = f"{VAULT}/backupInstances/bi-disk"
POLICY = f"{VAULT}/backupPolicies/disk"
DISK = f"{SUB}/resourceGroups/data/providers/Microsoft.Compute/disks/data"
SCRATCH = f"{DISK}-backup"
JOB = f"{VAULT}/backupJobs/6f1c5e0a-1111-4222-8333-944455556666"
DISK_EXISTS = {"code": "UserErrorDiskAlreadyExists", "message": "A disk named data-backup already exists."}


class FakeArm:
    """A disk instance whose scratch disk ``data-backup`` may already exist; the restore job ends as ``job``."""

    def __init__(self, *, scratch_exists: bool, job: dict[str, Any]) -> None:
        self.scratch_exists = scratch_exists
        self.job = job
        self.calls: list[tuple[str, str]] = []

    def get(self, path: str, **_: Any) -> dict[str, Any] | None:
        self.calls.append(("GET", path))
        if path == ResourceId.parse(INSTANCE).path:
            info = {"datasourceType": "Microsoft.Compute/disks", "resourceID": DISK, "resourceLocation": "westeurope"}
            props = {"currentProtectionState": "ProtectionConfigured", "dataSourceInfo": info}
            return {"id": INSTANCE, "properties": {**props, "policyInfo": {"policyId": POLICY}}}
        if path == ResourceId.parse(POLICY).path:
            rule = {"objectType": "AzureBackupRule", "dataStore": {"dataStoreType": "OperationalStore"}}
            return {"properties": {"policyRules": [rule]}}
        if path == ResourceId.parse(SCRATCH).path:
            return {"id": SCRATCH} if self.scratch_exists else None
        assert path == ResourceId.parse(JOB).path, path
        return {"id": JOB, "properties": self.job}

    def list(self, path: str, **_: Any) -> list[dict[str, Any]]:
        props = {"recoveryPointId": "rp1", "recoveryPointTime": "2025-01-01T00:00:00Z"}
        return [{"properties": {**props, "recoveryPointDataStoresDetails": [{"type": "OperationalStore"}]}}]

    def execute(self, method: str, path: str, body: Any = None, **_: Any) -> OperationResult:
        self.calls.append((method, path))
        status = {"startTime": "2025-01-01T06:00:00Z"}
        return OperationResult(202, None, {}, status, JOB if path.endswith("/restore") else None, False, 1, "r")


def _drill(arm: FakeArm) -> tuple[dict[str, Any], str]:
    out = io.StringIO()
    runner = DrillRun(RestoreApi(arm), console(out), console(out), timeout=60, poll_interval=1, sleep=lambda _: None)
    evidence = runner.drill(
        ResourceId.parse(INSTANCE), DrillOptions(suffix="backup"), point_in_time=None, max_age=None, cleanup=True
    )
    return evidence.to_json(), out.getvalue()


def test_an_existing_scratch_target_fails_the_drill_before_the_restore() -> None:
    arm = FakeArm(scratch_exists=True, job={"status": "Completed"})
    record, out = _drill(arm)
    assert record["result"] == "failed" and record["error"]["code"] == "DrillTargetExists"
    assert SCRATCH in out
    writes = [(m, p.rsplit("/", 1)[-1]) for m, p in arm.calls if m != "GET"]
    assert writes == [("POST", "validateRestore")]  # nothing restored, nothing deleted


def test_a_failed_job_lists_its_targets_and_deletes_nothing() -> None:
    arm = FakeArm(scratch_exists=False, job={"status": "Failed", "errorDetails": [DISK_EXISTS]})
    record, out = _drill(arm)
    assert record["error"]["code"] == "UserErrorDiskAlreadyExists"
    assert record["preflight"] == [{"resource": SCRATCH, "absent": True}]
    assert not [c for c in arm.calls if c[0] == "DELETE"]
    (entry,) = record["cleanup"]
    assert entry["resource"] == SCRATCH and entry["deleted"] is False and "Failed" in entry["kept"]
    assert f"Not cleaned up   {SCRATCH}" in out


def test_a_completed_job_deletes_only_the_targets_proven_absent() -> None:
    arm = FakeArm(scratch_exists=False, job={"status": "Completed"})
    record, _ = _drill(arm)
    assert record["result"] == "succeeded"
    deletes = [p for m, p in arm.calls if m == "DELETE"]
    assert deletes == [ResourceId.parse(SCRATCH).path]
    gets = [p for m, p in arm.calls if m == "GET"]
    assert gets.index(ResourceId.parse(SCRATCH).path) < [p for _, p in arm.calls].index(f"{INSTANCE}/restore")


def _args(handle: EmulatorHandle, evidence: Path) -> list[str]:
    return ["--endpoint", handle.url, "--token", handle.token, "--poll-interval", "0.05", "--evidence", str(evidence)]


def test_a_63_character_container_is_never_the_scratch_container(
    emulator: EmulatorHandle, run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    long = "c" * 55 + "-archive"
    assert len(long) == 63
    done = protect(emulator, ("blob",), inputs={"blob": {"containers": [long, "x" * 50]}})
    emulator.advance_clock(2 * DAY)
    evidence = tmp_path / "evidence.json"
    argv = ["restore-test", "--instance", done.instances["blob"], "--cleanup", "--suffix", "drill-1"]
    result = run_cli(*argv, *_args(emulator, evidence))
    assert result.code == 0, result.err
    account = f"{DATA}/Microsoft.Storage/storageAccounts/stblob/blobServices/default/containers"
    restored = sorted(r["resource"] for r in json.loads(evidence.read_text())["drills"][0]["preflight"])
    assert restored == sorted([f"{account}/{'c' * 55}-drill-1", f"{account}/{'x' * 50}-drill-1"])
    deletes = [e["path"] for e in emulator.request_log() if e["method"] == "DELETE"]
    assert f"{account}/{long}" not in deletes and sorted(deletes) == restored


def test_a_target_database_or_namespace_equal_to_the_source_is_refused(
    emulator: EmulatorHandle, run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    done = protect(emulator, ("postgresql", "aks"))
    emulator.advance_clock(8 * DAY)
    evidence = tmp_path / "evidence.json"
    pg = ["restore-test", "--instance", done.instances["postgresql"], "--target-database", "ORDERS", "--cleanup"]
    result = run_cli(*pg, *_args(emulator, evidence))
    assert result.code == 1 and "DrillNotPossible" in result.err and "the instance protects" in result.err
    aks = ["restore-test", "--instance", done.instances["aks"], "--namespace", "shop=shop"]
    result = run_cli(*aks, *_args(emulator, evidence))
    assert result.code == 1 and "DrillNotPossible" in result.err
    assert not [e for e in emulator.request_log() if e["method"] in ("POST", "DELETE")]


def test_default_suffixes_are_unique_to_the_second_and_beyond() -> None:
    now = datetime(2026, 12, 7, 3, 17, 42, tzinfo=UTC)
    suffixes = {default_suffix(now) for _ in range(50)}
    assert len(suffixes) > 40
    for suffix in suffixes:
        assert re.fullmatch(r"drill-20261207t031742-[0-9a-f]{4}", suffix) and len(suffix) <= 30


@given(
    source=st.text(alphabet="abcdefghij0123456789-_", min_size=1, max_size=90),
    suffix=st.from_regex(r"[a-z0-9][a-z0-9-]{0,29}", fullmatch=True),
    limit=st.sampled_from([63, 80]),
)
def test_a_scratch_name_keeps_its_suffix_and_never_equals_the_source(source: str, suffix: str, limit: int) -> None:
    try:
        name = scratch_name(source, suffix, limit=limit)
    except ValueError:
        assert not source[: limit - len(suffix) - 1].rstrip("-_")
        return
    assert len(name) <= limit and name.endswith(f"-{suffix}") and name != source
