"""`backup-now` against the emulator (success, failures Azure reports, unknown instance) and, for job outcomes the
emulator cannot produce, against a stand-in client replaying Azure's recorded job bodies."""

from __future__ import annotations

import copy
import io
from typing import Any

import pytest

from pulumi_dataprotection.arm import OperationResult, ResourceId
from pulumi_dataprotection.cli.backup_now import BackupRun, target_settings
from pulumi_dataprotection.cli.common import console
from tests.cli.conftest import EMULATOR_SUB

JOB_ID = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/clitest-dpp-rg/providers/"
    "Microsoft.DataProtection/BackupVaults/vault1/backupJobs/017eace9-69c9-487e-9fa8-94498953241a"
)
INSTANCE_ID = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/clitest-dpp-rg/providers/"
    "Microsoft.DataProtection/backupVaults/vault1/backupInstances/pgflex-1"
)
POLICY_ID = INSTANCE_ID.replace("backupInstances/pgflex-1", "backupPolicies/pgflexpolicy")

# The failed job of the recorded PostgreSQL flexible server backup (recordings/azure-cli-extensions/
# test_dataprotection_backup_and_restore_pgflex.yaml), trimmed to the fields shown.
FAILED_JOB = {
    "properties": {
        "status": "Failed",
        "duration": "PT1M34.3675268S",
        "errorDetails": [
            {
                "message": "Current operation has failed due to server error.",
                "recommendedAction": [
                    "Refer https://aka.ms/DBforPostgreSQLFlexTroubleshoot for more details on innerError and take "
                    "suggested steps to fix the issue. If the issue persists, contact Microsoft support."
                ],
                "details": [
                    {
                        "message": "Internal Server Error",
                        "recommendedAction": ["Refer https://aka.ms/AzureBackupTroubleshootFailures for more details."],
                        "details": None,
                        "code": "InternalServerError",
                    }
                ],
                "code": "PostgreSQLFlexServerError",
                "isRetryable": False,
                "isUserError": False,
            }
        ],
        "extendedInfo": {
            "subTasks": [{"taskId": 1, "taskName": "Trigger Backup", "taskStatus": "Failed"}],
            "additionalDetails": {"RetentionTag": "default"},
        },
    },
    "id": JOB_ID,
    "name": "017eace9-69c9-487e-9fa8-94498953241a",
}
RUNNING_JOB = {
    "properties": {
        "status": "InProgress",
        "extendedInfo": {"subTasks": [{"taskId": 1, "taskName": "Trigger Backup", "taskStatus": "InProgress"}]},
    }
}


class ReplayClient:
    """Answers GETs from canned bodies (job bodies in sequence) and records the POST."""

    def __init__(self, jobs: list[dict[str, Any]]) -> None:
        self.jobs = jobs
        self.posts: list[tuple[str, Any]] = []

    def get(self, path: str, *, operation: str | None = None, resource: str | None = None) -> dict[str, Any] | None:
        if path.endswith("backupInstances/pgflex-1"):
            return {
                "properties": {
                    "currentProtectionState": "ProtectionConfigured",
                    "policyInfo": {"policyId": POLICY_ID},
                    "dataSourceInfo": {"datasourceType": "Microsoft.DBforPostgreSQL/flexibleServers"},
                }
            }
        if path.endswith("backupPolicies/pgflexpolicy"):
            return {"properties": {"policyRules": [{"name": "BackupWeekly", "objectType": "AzureBackupRule"}]}}
        assert path == ResourceId.parse(JOB_ID).path
        return copy.deepcopy(self.jobs.pop(0) if len(self.jobs) > 1 else self.jobs[0])

    def execute(self, method: str, path: str, body: Any = None, **_: Any) -> OperationResult:
        self.posts.append((path, body))
        return OperationResult(202, {"jobId": JOB_ID}, {}, None, JOB_ID, False, 2, "req")


def _run(client: ReplayClient, *, timeout: float = 5.0) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    runner = BackupRun(client, console(out), console(err), timeout=timeout, poll_interval=0.01)
    code = runner.run(ResourceId.parse(INSTANCE_ID), None, "Default")
    return code, out.getvalue(), err.getvalue()


def test_success_against_the_emulator(run_cli, emulator_stack):
    result = run_cli("backup-now", "--instance", emulator_stack.disk_instance_id, *emulator_stack.args())
    assert result.code == 0, result.err
    assert "Backup instance  bi-disk (vault vault-cli)" in result.out
    assert "Protection state ProtectionConfigured" in result.out
    assert "Backup rule      BackupHourly, retention tag Default" in result.out
    assert "job " in result.out and ": InProgress (Trigger Backup: InProgress)" in result.out
    assert "Backup Completed in PT" in result.out and ": recovery point " in result.out
    # Azure sends 0001-01-01T00:00:00Z as the recovery point time of a completed backup job (19/19 recorded): no time
    assert " at 0001-" not in result.out and "0001-01-01" not in result.out
    posts = [e for e in emulator_stack.handle.request_log() if e["method"] == "POST"]
    assert len(posts) == 1 and posts[0]["path"].endswith("/backupInstances/bi-disk/backup")
    assert posts[0]["body"] == {
        "backupRuleOptions": {"ruleName": "BackupHourly", "triggerOption": {"retentionTagOverride": "Default"}}
    }
    assert any("/backupJobs/" in e["path"] for e in emulator_stack.handle.request_log() if e["method"] == "GET")


def test_target_from_environment_and_explicit_rule_and_tag(run_cli, emulator_stack, monkeypatch):
    monkeypatch.setenv("DATAPROTECTION_ENDPOINT", emulator_stack.handle.url)
    monkeypatch.setenv("DATAPROTECTION_TOKEN", emulator_stack.handle.token)
    result = run_cli(
        "backup-now", "--instance", emulator_stack.disk_instance_id, "--rule", "BackupHourly",
        "--retention-tag", "Weekly", "--poll-interval", "0.05",
    )  # fmt: skip
    assert result.code == 0, result.err
    post = next(e for e in emulator_stack.handle.request_log() if e["method"] == "POST")
    assert post["body"]["backupRuleOptions"]["triggerOption"] == {"retentionTagOverride": "Weekly"}
    policy_reads = [e for e in emulator_stack.handle.request_log() if "/backupPolicies/" in e["path"]]
    assert policy_reads == []


def test_failed_operation_shows_azures_error(run_cli, emulator_stack):
    emulator_stack.handle.inject_fault(
        "lro_fail", method="POST", path="/backup$", code="UserErrorSnapshotQuotaReached",
        message="The snapshot quota of the disk is reached.",
    )  # fmt: skip
    result = run_cli("backup-now", "--instance", emulator_stack.disk_instance_id, *emulator_stack.args())
    assert result.code == 1
    assert "trigger an on-demand backup on backupInstances 'bi-disk' ended with status Failed in Azure" in result.err
    assert "UserErrorSnapshotQuotaReached: The snapshot quota of the disk is reached." in result.err
    assert "Backup Completed" not in result.out


def test_wrong_rule_is_rejected_by_azure(run_cli, emulator_stack):
    args = ("backup-now", "--instance", emulator_stack.disk_instance_id, "--rule", "BackupDaily")
    result = run_cli(*args, *emulator_stack.args())
    assert result.code == 1
    assert "UserErrorInvalidBackupRuleName" in result.err and "BackupHourly" in result.err


def test_instance_in_protection_error_is_refused_with_azures_reason(run_cli, emulator_stack):
    emulator_stack.handle.inject_fault("protection_error", method="PUT", path="backupInstances/bi-broken")
    rg = f"/subscriptions/{EMULATOR_SUB}/resourceGroups"
    broken = emulator_stack.protect(
        "bi-broken",
        {
            "datasource_kind": "disk",
            "datasource_id": f"{rg}/rg-data/providers/Microsoft.Compute/disks/disk-broken",
            "snapshot_resource_group_id": f"{rg}/rg-snapshots",
        },
        emulator_stack.disk_policy_id,
    )
    result = run_cli("backup-now", "--instance", broken, *emulator_stack.args())
    assert result.code == 1
    assert "Protection state ProtectionError" in result.out
    assert "UserErrorBackupInstanceNotProtected" in result.err


def test_unknown_instance_is_a_clear_error(run_cli, emulator_stack):
    missing = emulator_stack.disk_instance_id.replace("bi-disk", "bi-nope")
    result = run_cli("backup-now", "--instance", missing, *emulator_stack.args())
    assert result.code == 1
    assert "backup instance 'bi-nope' was not found in vault 'vault-cli'" in result.err
    assert "hint:" in result.err
    assert not [e for e in emulator_stack.handle.request_log() if e["method"] == "POST"]


def test_operational_only_policy_has_nothing_to_trigger(run_cli, emulator_stack):
    result = run_cli("backup-now", "--instance", emulator_stack.blob_instance_id, *emulator_stack.args())
    assert result.code == 1
    assert "policy 'blob-operational' has no backup rule (AzureBackupRule)" in result.err


@pytest.mark.parametrize(
    ("instance", "message"),
    [
        ("not-an-id", "is not an ARM resource id"),
        (INSTANCE_ID.rsplit("/backupInstances/", 1)[0], "is not a backup instance id"),
    ],
)
def test_bad_instance_ids_are_usage_errors(run_cli, instance, message):
    result = run_cli("backup-now", "--instance", instance, "--endpoint", "http://127.0.0.1:9", "--token", "t")
    assert result.code == 2 and message in result.err


def test_unsafe_endpoint_is_refused(run_cli):
    result = run_cli("backup-now", "--instance", INSTANCE_ID, "--endpoint", "http://example.com", "--token", "t")
    assert result.code == 2 and "plain http on a non-loopback host" in result.err


def test_failed_job_prints_azures_error_details():
    client = ReplayClient([RUNNING_JOB, RUNNING_JOB, FAILED_JOB])
    code, out, err = _run(client)
    assert code == 1
    assert client.posts == [
        (f"{ResourceId.parse(INSTANCE_ID).path}/backup",
         {"backupRuleOptions": {"ruleName": "BackupWeekly", "triggerOption": {"retentionTagOverride": "Default"}}}),
    ]  # fmt: skip
    assert "job 017eace9-69c9-487e-9fa8-94498953241a: InProgress (Trigger Backup: InProgress)" in out
    assert "job 017eace9-69c9-487e-9fa8-94498953241a: Failed (Trigger Backup: Failed)" in out
    assert "error: backup job 017eace9-69c9-487e-9fa8-94498953241a Failed after PT1M34.3675268S" in err
    assert "PostgreSQLFlexServerError: Current operation has failed due to server error." in err
    assert "recommended action: Refer https://aka.ms/DBforPostgreSQLFlexTroubleshoot" in err
    assert "InternalServerError: Internal Server Error" in err
    assert f"job: GET {ResourceId.parse(JOB_ID).path}" in err


def test_completed_with_warnings_succeeds_and_shows_them():
    done = {
        "properties": {
            "status": "CompletedWithWarnings",
            "duration": "PT5M",
            "extendedInfo": {
                "targetRecoverPoint": {"recoveryPointID": "rp-1", "recoveryPointTime": "2025-06-02T10:00:00Z"},
                "warningDetails": [{"code": "UserErrorSomeFilesSkipped", "message": "3 files were locked."}],
            },
        }
    }
    code, out, _ = _run(ReplayClient([RUNNING_JOB, done]))
    assert code == 0
    assert "Backup CompletedWithWarnings in PT5M: recovery point rp-1 at 2025-06-02T10:00:00Z" in out
    assert "warning: UserErrorSomeFilesSkipped: 3 files were locked." in out


def test_timeout_leaves_the_job_running_and_says_so():
    code, _, err = _run(ReplayClient([RUNNING_JOB]), timeout=0.05)
    assert code == 1
    assert "backup job 017eace9-69c9-487e-9fa8-94498953241a is still InProgress after 0.05s" in err
    assert "keeps running in Azure" in err


def test_job_not_visible_at_first_is_waited_for():
    client = ReplayClient([{}, RUNNING_JOB, {"properties": {"status": "Completed"}}])
    code, out, _ = _run(client)
    assert code == 0
    assert ": not visible yet" in out and "Backup Completed" in out


def test_settings_resolution():
    env = {"DATAPROTECTION_ENDPOINT": "http://127.0.0.1:1234", "DATAPROTECTION_TOKEN": "env-token"}
    from_env = target_settings(endpoint=None, token=None, ca_bundle=None, timeout=60, poll_interval=5, env=env)
    assert from_env.resolved_cloud.arm_endpoint == "http://127.0.0.1:1234"
    assert from_env.credential.value == "static" and from_env.static_token is not None
    assert from_env.static_token.reveal() == "env-token"
    assert from_env.operation_timeout == 60 and from_env.poll.default_interval == 5
    flags = target_settings(
        endpoint="http://127.0.0.1:9", token="flag", ca_bundle="/ca.pem", timeout=5, poll_interval=0.5, env=env
    )
    assert flags.resolved_cloud.arm_endpoint == "http://127.0.0.1:9"
    assert flags.static_token is not None and flags.static_token.reveal() == "flag"
    assert flags.ca_bundle == "/ca.pem"
    azure = target_settings(endpoint=None, token=None, ca_bundle=None, timeout=5, poll_interval=10, env={})
    assert azure.credential.value == "default"
    assert azure.resolved_cloud.arm_endpoint == "https://management.azure.com"
