"""`jobs`, `recovery-points` and `deleted-vaults` against the emulator: list (filters, --since), show, and the JSON
(Azure's bodies) and CSV evidence; fields Azure does not send stay empty."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from pulumi_dataprotection.cli import jobs
from pulumi_dataprotection.cli.jobs import select
from pulumi_dataprotection.cli.tables import parse_since
from pulumi_dataprotection.records import job_info
from tests.cli.conftest import EMULATOR_SUB
from tests.cli.test_backup_now import FAILED_JOB, JOB_ID


@pytest.fixture
def backed_up(run_cli, emulator_stack):
    """The emulator stack after one on-demand backup of its disk instance."""
    result = run_cli("backup-now", "--instance", emulator_stack.disk_instance_id, *emulator_stack.args())
    assert result.code == 0, result.err
    return emulator_stack


def _target(stack) -> list[str]:
    token = Path(stack.handle.db_path).with_name("cli-token")
    token.write_text(stack.handle.token)
    return ["--endpoint", stack.handle.url, "--token-file", str(token), "--subscription", EMULATOR_SUB]


def test_jobs_list_filters_and_exports(run_cli, backed_up, tmp_path: Path) -> None:
    target = _target(backed_up)
    table = run_cli("jobs", "list", "--vault", backed_up.vault_id, *target)
    assert table.code == 0 and table.err == "", table.err
    assert table.out.startswith("1 backup jobs\n")
    row = next(line.split() for line in table.out.splitlines() if "Completed" in line)
    assert row[1:4] == ["Backup", "Completed", "disk-cli"] and len(row[0]) == 36  # the job's whole GUID

    data = run_cli("jobs", "list", "--vault", backed_up.vault_id, "--format", "json", *target).json()
    assert data and all(job["type"].lower().endswith("/backupjobs") for job in data)
    job_ids = {job["id"] for job in data}

    for flags, expected in (
        (["--status", "completed"], job_ids),
        (["--status", "Failed"], set()),
        (["--operation", "Backup"], job_ids),
        (["--operation", "Restore"], set()),
        (["--instance", "bi-disk"], job_ids),
        (["--instance", backed_up.disk_instance_id], job_ids),
        (["--instance", "bi-other"], set()),
        (["--since", "1h"], job_ids),
        (["--since", "2999-01-01"], set()),
    ):
        listed = run_cli("jobs", "list", "--vault", backed_up.vault_id, "--format", "json", *flags, *target)
        assert listed.code == 0, listed.err
        assert {job["id"] for job in listed.json()} == expected, flags

    out = tmp_path / "jobs.csv"
    written = run_cli("jobs", "list", "--vault", backed_up.vault_id, "--format", "csv", "-o", str(out), *target)
    assert written.code == 0 and f"to {out}" in written.out
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert {r["id"] for r in rows} == job_ids
    # a completed job has no errorDetails: the cell stays empty, nothing is made up
    assert all(r["error_codes"] == "" for r in rows) and all(r["status"] == "Completed" for r in rows)

    job_id = next(iter(job_ids))
    shown = run_cli("jobs", "show", job_id, *target)
    assert shown.code == 0, shown.err
    assert f"id               {job_id}" in shown.out and "recovery_point   " in shown.out
    assert "error:" not in shown.out and "error_codes" not in shown.out  # absent in Azure's body: not printed
    by_name = run_cli(
        "jobs", "show", job_id.rsplit("/", 1)[-1], "--vault", backed_up.vault_id, "--format", "json", *target
    )
    shown_body, listed_body = by_name.json(), next(j for j in data if j["id"] == job_id)
    # a job list carries extendedInfo null (the spec's list example); the job's own GET has it
    assert (
        shown_body["properties"].pop("extendedInfo") is not None
        and listed_body["properties"].pop("extendedInfo") is None
    )
    assert shown_body == listed_body


def test_jobs_usage_errors(run_cli, backed_up) -> None:
    target = _target(backed_up)
    assert run_cli("jobs", "list", "--vault", backed_up.disk_instance_id, *target).code == 2
    bad = run_cli("jobs", "list", "--vault", backed_up.vault_id, "--since", "yesterday", *target)
    assert bad.code == 2 and "--since 'yesterday'" in bad.err
    assert run_cli("jobs", "show", "abc", *target).code == 2
    missing = run_cli("jobs", "show", f"{backed_up.vault_id}/backupJobs/00000000-0000-0000-0000-000000000000", *target)
    assert missing.code == 1 and "does not exist" in missing.err
    table_to_file = run_cli("jobs", "list", "--vault", backed_up.vault_id, "-o", "x.csv", *target)
    assert table_to_file.code == 2 and "--format" in table_to_file.err


def test_recovery_points_list_window_and_show(run_cli, backed_up) -> None:
    target = _target(backed_up)
    instance = backed_up.disk_instance_id
    points = run_cli("recovery-points", "list", "--instance", instance, "--format", "json", *target).json()
    assert points and all(p["id"].startswith(instance + "/recoveryPoints/") for p in points)
    times = [p["properties"]["recoveryPointTime"] for p in points]
    assert times == sorted(times, reverse=True)

    recent = run_cli("recovery-points", "list", "--instance", instance, "--since", "2999-01-01", "--format", "json",
                     *target)  # fmt: skip
    assert recent.code == 0 and recent.json() == []
    sent = [e for e in backed_up.handle.request_log() if e["path"].endswith("/recoveryPoints")][-1]
    assert parse_qs(sent["query"])["$filter"] == ["startDate eq '2999-01-01T00:00:00.0000000Z'"]
    archived = run_cli("recovery-points", "list", "--instance", instance, "--datastore", "ArchiveStore",
                         "--format", "json", *target)  # fmt: skip
    assert archived.json() == []

    table = run_cli("recovery-points", "list", "--instance", instance, *target)
    assert table.code == 0 and table.out.startswith(f"{len(points)} recovery points\n")
    name = points[0]["name"]
    shown = run_cli("recovery-points", "show", name, "--instance", instance, *target)
    assert shown.code == 0, shown.err
    stores = " ".join(d["type"] for d in points[0]["properties"]["recoveryPointDataStoresDetails"])
    assert f"recovery_point  {name}" in shown.out and f"datastores      {stores}\n" in shown.out
    assert run_cli("recovery-points", "show", points[0]["id"], "--format", "json", *target).json() == points[0]


def test_deleted_vaults_list_and_show(run_cli, emulator_stack) -> None:
    target = _target(emulator_stack)
    assert (
        run_cli("deleted-vaults", "list", "--location", "westeurope", *target).out.strip() == "no deleted backup vaults"
    )
    vault = emulator_stack.vault_id
    for instance in (emulator_stack.disk_instance_id, emulator_stack.blob_instance_id):
        emulator_stack.arm.delete(instance)
        emulator_stack.handle.advance_clock(5)
    emulator_stack.handle.advance_clock(15 * 86400)  # the soft-deleted instances hold the vault until purged
    response = emulator_stack.arm.delete(vault)
    assert response.status_code == 202, response.text
    emulator_stack.handle.advance_clock(5)
    listed = run_cli("deleted-vaults", "list", "--location", "westeurope", "--format", "json", *target).json()
    assert [d["properties"]["originalBackupVaultId"] for d in listed] == [vault]
    shown = run_cli("deleted-vaults", "show", "vault-cli", "--location", "westeurope", *target)
    assert shown.code == 0, shown.err
    assert f"original_vault_id  {vault}" in shown.out and "purge_time" in shown.out
    assert run_cli("deleted-vaults", "show", "vault-cli", *target).code == 2


def test_since_takes_ages_and_dates() -> None:
    now = datetime(2026, 1, 31, 12, tzinfo=UTC)
    assert parse_since("24h", now=now) == now - timedelta(hours=24)
    assert parse_since("2w", now=now) == now - timedelta(weeks=2)
    assert parse_since("2026-01-30") == datetime(2026, 1, 30, tzinfo=UTC)
    assert parse_since("2026-01-30T10:00:00.1234567Z") == datetime(2026, 1, 30, 10, 0, 0, 123456, tzinfo=UTC)


def test_select_keeps_jobs_without_start_time_only_without_since() -> None:
    undated = job_info({"id": "/x/backupJobs/1", "name": "1", "properties": {"status": "Completed"}})
    assert select([undated]) == [undated]
    assert select([undated], since=datetime(2026, 1, 1, tzinfo=UTC)) == []
    assert json.dumps(dict(undated.body))  # the evidence is the body as Azure sent it


def test_show_of_a_recorded_failed_job_prints_azures_errors_and_only_what_it_sent(run_cli, monkeypatch) -> None:
    monkeypatch.setattr(jobs, "target_context", lambda args, err: None)
    monkeypatch.setattr(jobs, "read_job", lambda ctx, job_id: job_info(FAILED_JOB))
    shown = run_cli("jobs", "show", JOB_ID)
    assert shown.code == 0, shown.err
    assert "status           Failed\n" in shown.out and "duration         PT1M34.3675268S\n" in shown.out
    assert "error_codes      PostgreSQLFlexServerError\n" in shown.out
    assert "error: PostgreSQLFlexServerError: Current operation has failed due to server error." in shown.out
    assert "error:   InternalServerError: Internal Server Error" in shown.out
    for absent in ("start_time", "end_time", "operation", "instance", "recovery_point"):
        assert f"\n{absent} " not in f"\n{shown.out}", absent  # the recorded body has none of these
