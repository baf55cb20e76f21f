"""`audit --live` and `audit --evidence` against the emulator: recovery point freshness against the policy's schedule,
protection errors reported by Azure now, restore-drill evidence (tested, untested, failed) and the severity gate."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from pulumi_dataprotection.audit.health import LiveState, live_findings, schedule_period
from pulumi_dataprotection.audit.model import InstanceRow
from pulumi_dataprotection.cli.policy_template import recommended_inputs
from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.policy.schema import POLICY
from tests.cli import exports as ex
from tests.cli.conftest import CliResult
from tests.cli.test_backup_now import FAILED_JOB
from tests.support.protected import VAULT_ID, protect

DAY = 86400.0


def _export(tmp_path: Path, instances: dict[str, str]) -> Path:
    resources = [
        ex.resource(
            "BackupInstance",
            f"bi-{kind}",
            arm_id,
            {"datasource_kind": kind},
            {"arm_id": arm_id, "name": arm_id.rsplit("/", 1)[1], "protection_state": "ProtectionConfigured"},
        )
        for kind, arm_id in instances.items()
    ]
    path = tmp_path / "stack.json"
    path.write_text(json.dumps(ex.stack_export(*resources)), encoding="utf-8")
    return path


def _emulator_now(handle: EmulatorHandle) -> datetime:
    return datetime.fromisoformat(handle.clock()["now"][:26]).replace(tzinfo=UTC)


def _codes(result: CliResult) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for finding in result.json()["findings"]:
        out.setdefault(finding["code"], []).append(finding["resource"])
    return out


def _live(handle: EmulatorHandle, *extra: str) -> list[str]:
    return ["--live", "--endpoint", handle.url, "--token", handle.token, "--format", "json", *extra]


def test_live_freshness_against_the_schedule_and_protection_errors(
    emulator: EmulatorHandle, run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    emulator.inject_fault("protection_error", path="backupInstances/bi-aks")
    done = protect(emulator, ("disk", "aks"))
    emulator.advance_clock(DAY)
    export = _export(tmp_path, done.instances)
    now = _emulator_now(emulator)
    fresh = run_cli("audit", str(export), *_live(emulator, "--now", now.isoformat()))
    codes = _codes(fresh)
    assert codes["instance-protection-error-live"] == ["bi-aks"]
    assert "backup-stale" not in codes and "backup-no-recovery-point" not in codes
    assert fresh.code == 1  # the protection error is high
    later = (now + timedelta(days=3)).isoformat()  # the same points, judged three days later
    stale = run_cli("audit", str(export), *_live(emulator, "--now", later, "--fail-on", "high"))
    (finding,) = [f for f in stale.json()["findings"] if f["code"] == "backup-stale"]
    assert finding["resource"] == "bi-disk" and "the schedule runs every 4.0 hours" in finding["message"]
    assert stale.code == 1


def test_live_flags_suspended_and_stopped_protection_and_its_stale_points(
    emulator: EmulatorHandle, run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    """Issue 25: an instance suspended out of band whose newest point is 3 days old on a 4-hour schedule reported
    nothing (the export said ProtectionConfigured, and staleness was judged for configured instances only)."""
    done = protect(emulator, ("disk", "aks"))
    emulator.advance_clock(DAY)
    for kind, action in (("disk", "suspendBackups"), ("aks", "stopProtection")):
        reply = done.arm.post(f"{done.instances[kind]}/{action}")
        assert reply.status_code == 202 and done.arm.wait(reply)["status"] == "Succeeded"
    emulator.advance_clock(3 * DAY)
    now = _emulator_now(emulator).isoformat()
    report = run_cli("audit", str(_export(tmp_path, done.instances)), *_live(emulator, "--now", now))
    found = {(f["code"], f["resource"]): f for f in report.json()["findings"]}
    suspended = found["protection-suspended-live", "bi-disk"]
    assert suspended["severity"] == "high" and suspended["message"].startswith("BackupsSuspended; newest recovery ")
    assert "set protection='configured'" in suspended["recommendation"]
    stopped = found["protection-stopped-live", "bi-aks"]
    assert "the schedule runs every 4.0 hours" in stopped["message"]
    assert "set protection='stopped'" in stopped["recommendation"]
    stale = found["backup-stale", "bi-disk"]["message"]
    assert re.search(r"is 3\.\d days old; the schedule runs every 4\.0 hours \(protection BackupsSuspended\)$", stale)
    assert ("backup-stale", "bi-aks") in found and report.code == 1


def test_failed_jobs_are_findings_with_azures_code() -> None:
    empty = ("vault", "vault_id", "datasource", "datasource_type", "datasource_id", "policy", "policy_id")
    row = InstanceRow(
        name="bi-pg", id="/x/bi-pg", **dict.fromkeys((*empty, "protection_state", "protection_error", "on_delete"))
    )
    job = {**FAILED_JOB, "properties": {**FAILED_JOB["properties"], "operation": "Backup", "startTime": "x"}}
    state = LiveState(row, "ProtectionConfigured", None, datetime.now(UTC), timedelta(hours=4), (job,))
    (finding,) = live_findings([state], datetime.now(UTC))
    assert finding.code == "backup-job-failed" and finding.severity.value == "medium"
    assert finding.message.endswith("PostgreSQLFlexServerError")


def test_schedule_period_is_the_shortest_backup_rule_period() -> None:
    assert schedule_period({"properties": _rest(recommended_inputs("disk"))}) == timedelta(hours=4)
    assert schedule_period({"properties": {"policyRules": [{"objectType": "AzureRetentionRule"}]}}) is None


def _rest(inputs: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = POLICY.to_rest({"name": "p", "vault_id": VAULT_ID, **inputs})["properties"]
    return body


def test_restore_evidence_tested_untested_and_failed(
    emulator: EmulatorHandle, run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    done = protect(emulator, ("postgresql", "disk"))
    emulator.advance_clock(8 * DAY)
    evidence = tmp_path / "drills.json"
    target = ["--endpoint", emulator.url, "--token", emulator.token, "--poll-interval", "0.05"]
    drill = run_cli("restore-test", "--instance", done.instances["postgresql"], *target, "--evidence", str(evidence))
    assert drill.code == 0, drill.err
    export = _export(tmp_path, done.instances)
    report = run_cli("audit", str(export), "--evidence", str(evidence), "--format", "json", "--fail-on", "high")
    codes = _codes(report)
    assert codes["restore-tested"] == ["bi-postgresql"]
    assert codes["restore-untested"] == ["bi-disk"]
    assert report.code == 0  # untested is medium
    gate = run_cli("audit", str(export), "--evidence", str(evidence), "--fail-on-rule", "restore-untested")
    assert gate.code == 1 and "result: FAIL (1 finding(s) of --fail-on-rule)" in gate.err
    assert "instance bi-disk: no successful restore drill within 30.0 days (never) [restore-untested]" in gate.err
    later = (datetime.now(UTC) + timedelta(days=40)).isoformat()
    stale = run_cli("audit", str(export), "--evidence", str(evidence), "--format", "json", "--now", later)
    assert sorted(_codes(stale)["restore-untested"]) == ["bi-disk", "bi-postgresql"]
    failed = tmp_path / "failed.json"
    bad = run_cli(
        "restore-test",
        "--instance",
        done.instances["postgresql"],
        *target,
        "--target-database",
        "orders",
        "--evidence",
        str(failed),
    )
    assert bad.code == 1
    gated = run_cli("audit", str(export), "--evidence", str(evidence), "--evidence", str(failed), "--format", "json")
    (finding,) = [f for f in gated.json()["findings"] if f["code"] == "restore-drill-failed"]
    assert "DrillNotPossible" in finding["message"] and finding["severity"] == "high"  # "orders" is the source
    assert gated.code == 1


def test_continuous_blob_backup_is_fresh_while_its_restorable_range_reaches_now(
    emulator_stack: Any, run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    handle = emulator_stack.handle
    export = _export(tmp_path, {"blob": emulator_stack.blob_instance_id})
    now = _emulator_now(handle)
    fresh = run_cli("audit", str(export), *_live(handle, "--now", now.isoformat()))
    assert "backup-stale" not in _codes(fresh) and "backup-no-recovery-point" not in _codes(fresh)
    later = (now + timedelta(days=2)).isoformat()
    stale = run_cli("audit", str(export), *_live(handle, "--now", later))
    (finding,) = [f for f in stale.json()["findings"] if f["code"] == "backup-stale"]
    assert finding["resource"] == "bi-blob" and "continuous backup's restorable time range ends" in finding["message"]
