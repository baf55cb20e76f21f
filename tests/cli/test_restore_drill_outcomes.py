"""Drill outcomes the emulator does not produce, against a stand-in client: a restore job that fails (Azure's code
from the job; its targets listed, not deleted), a job that outlives the timeout, and progress lines while it runs."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

from pulumi_dataprotection.arm import OperationResult, ResourceId
from pulumi_dataprotection.cli.common import console
from pulumi_dataprotection.cli.restore_drill import SCHEDULE, DrillRun
from pulumi_dataprotection.restore.client import RestoreApi
from pulumi_dataprotection.restore.drill import DrillOptions

SUB = "/subscriptions/00000000-0000-0000-0000-0000000000aa"
VAULT = f"{SUB}/resourceGroups/rg/providers/Microsoft.DataProtection/backupVaults/v"
INSTANCE = f"{VAULT}/backupInstances/bi-pg"
POLICY = f"{VAULT}/backupPolicies/pg"
SERVER = f"{SUB}/resourceGroups/data/providers/Microsoft.DBforPostgreSQL/servers/pg"
JOB = f"{VAULT}/backupJobs/6f1c5e0a-1111-4222-8333-944455556666"


def _job(status: str, **extra: Any) -> dict[str, Any]:
    task = {"taskId": 1, "taskName": "Trigger Restore", "taskStatus": status}
    if status == "InProgress":
        task["taskProgress"] = "40%"
    return {"properties": {"status": status, "extendedInfo": {"subTasks": [task]}, **extra}, "id": JOB}


class Client:
    """Canned bodies for the drill's reads, the job bodies in sequence; records writes."""

    def __init__(self, jobs: list[dict[str, Any]]) -> None:
        self.jobs = jobs
        self.writes: list[tuple[str, str]] = []

    def get(self, path: str, **_: Any) -> dict[str, Any] | None:
        if path == ResourceId.parse(INSTANCE).path:
            return {
                "id": INSTANCE,
                "properties": {
                    "currentProtectionState": "ProtectionConfigured",
                    "dataSourceInfo": {
                        "datasourceType": "Microsoft.DBforPostgreSQL/servers/databases",
                        "resourceID": f"{SERVER}/databases/orders",
                        "resourceLocation": "westeurope",
                    },
                    "dataSourceSetInfo": {"resourceID": SERVER},
                    "policyInfo": {"policyId": POLICY},
                    "datasourceAuthCredentials": {"secretStoreResource": {"uri": "https://kv/secrets/pg"}},
                },
            }
        if path == ResourceId.parse(POLICY).path:
            rule = {"objectType": "AzureBackupRule", "dataStore": {"dataStoreType": "VaultStore"}}
            return {"properties": {"policyRules": [rule]}}
        if path.endswith("/databases/orders_drill_1"):
            return None  # the scratch database does not exist before the drill
        assert path == ResourceId.parse(JOB).path
        return self.jobs.pop(0) if len(self.jobs) > 1 else self.jobs[0]

    def list(self, path: str, **_: Any) -> list[dict[str, Any]]:
        assert path.endswith("/recoveryPoints")
        details = [{"type": "VaultStore"}]
        props = {"recoveryPointId": "rp1", "recoveryPointTime": "2025-01-01T00:00:00Z"}
        return [{"properties": {**props, "recoveryPointDataStoresDetails": details}}]

    def execute(self, method: str, path: str, body: Any = None, **_: Any) -> OperationResult:
        self.writes.append((method, path.rsplit("/", 1)[-1]))
        status = {"startTime": "2025-01-01T06:00:00Z"}
        return OperationResult(202, None, {}, status, JOB if path.endswith("/restore") else None, False, 1, "r")


def _drill(client: Client, *, timeout: float = 30.0, cleanup: bool = True) -> tuple[dict[str, Any], str, str]:
    out, err = io.StringIO(), io.StringIO()
    now = [0.0]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    runner = DrillRun(
        RestoreApi(client),
        console(out),
        console(err),
        timeout=timeout,
        poll_interval=5,
        clock=lambda: now[0],
        sleep=sleep,
    )
    evidence = runner.drill(
        ResourceId.parse(INSTANCE), DrillOptions(suffix="drill-1"), point_in_time=None, max_age=None, cleanup=cleanup
    )
    return evidence.to_json(), out.getvalue(), err.getvalue()


def test_a_failed_restore_job_reports_its_code_and_lists_its_targets() -> None:
    error = {"code": "UserErrorTargetServerNotReachable", "message": "The server cannot be reached."}
    client = Client([_job("InProgress"), _job("Failed", errorDetails=[error], duration="PT1M")])
    record, out, err = _drill(client)
    assert "InProgress (Trigger Restore: InProgress 40%)" in out
    assert record["result"] == "failed" and record["error"]["code"] == "UserErrorTargetServerNotReachable"
    assert record["recoveryPointAgeSeconds"] == 6 * 3600  # measured on Azure's clock (the validation's start)
    assert "UserErrorTargetServerNotReachable: The server cannot be reached." in err
    assert client.writes == [("POST", "validateRestore"), ("POST", "restore")]
    (kept,) = record["cleanup"]
    assert kept["resource"] == f"{SERVER}/databases/orders_drill_1" and kept["deleted"] is False
    assert kept["kept"] == "the restore job Failed (UserErrorTargetServerNotReachable)"


def test_a_job_outliving_the_timeout_fails_the_drill_and_says_where_to_look() -> None:
    client = Client([_job("InProgress")])
    record, _, err = _drill(client, timeout=12)
    assert record["error"]["code"] == "RestoreTimedOut"
    assert ("DELETE", "orders_drill_1") not in client.writes
    assert record["cleanup"][0]["kept"] == "the restore job did not complete (RestoreTimedOut)"
    assert "check it later: GET " in err and "backupJobs/6f1c5e0a" in err


class ScheduledClient(Client):
    """The same instance whose policy backs up every ``period`` and whose newest point is ``age_days`` old."""

    def __init__(self, period: str, age_days: int) -> None:
        super().__init__([_job("Completed", duration="PT1M")])
        self.period, self.age_days = period, age_days

    def get(self, path: str, **extra: Any) -> dict[str, Any] | None:
        if path == ResourceId.parse(POLICY).path:
            schedule = {"repeatingTimeIntervals": [f"R/2024-01-01T00:00:00+00:00/{self.period}"]}
            rule = {"objectType": "AzureBackupRule", "dataStore": {"dataStoreType": "VaultStore"}}
            return {"properties": {"policyRules": [{**rule, "trigger": {"schedule": schedule}}]}}
        return super().get(path, **extra)

    def list(self, path: str, **_: Any) -> list[dict[str, Any]]:
        time = (datetime(2025, 1, 1, 6, tzinfo=UTC) - timedelta(days=self.age_days)).strftime("%Y-%m-%dT%H:%M:%SZ")
        props = {"recoveryPointId": "rp1", "recoveryPointTime": time}
        return [{"properties": {**props, "recoveryPointDataStoresDetails": [{"type": "VaultStore"}]}}]


def _scheduled(client: Client) -> dict[str, Any]:
    runner = DrillRun(RestoreApi(client), console(io.StringIO()), console(io.StringIO()), timeout=30, poll_interval=5)
    evidence = runner.drill(
        ResourceId.parse(INSTANCE), DrillOptions(suffix="drill-1"), point_in_time=None, max_age=SCHEDULE, cleanup=False
    )
    return evidence.to_json()


def test_max_age_schedule_allows_two_periods_of_the_policys_schedule() -> None:
    weekly = _scheduled(ScheduledClient("P1W", age_days=6))
    assert weekly["result"] == "succeeded", weekly
    daily = _scheduled(ScheduledClient("P1D", age_days=3))
    assert daily["result"] == "failed" and daily["error"]["code"] == "RecoveryPointTooOld", daily
    assert "two periods of the policy's schedule of 1d: 2d" in daily["error"]["message"]
