"""AdhocBackup provider: triggers a backup, waits for the job, re-runs on a triggers change, delete is a no-op."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_dataprotection.adhoc.resource import AdhocBackupProvider
from pulumi_dataprotection.arm import ArmError
from pulumi_dataprotection.dynamic import ResourceFailure
from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.instance.resource import InstanceProvider
from pulumi_dataprotection.policy.builders import Schedule, TaggedRetention, aks_policy, first_of
from pulumi_dataprotection.policy.resource import PolicyProvider
from pulumi_dataprotection.vault.resource import VaultProvider
from tests.resources.helpers import checked, instance_inputs, policy_inputs, up, vault_inputs


@pytest.fixture
def instance_id(configured: EmulatorHandle) -> str:
    vault_id, _ = up(VaultProvider(), vault_inputs())
    rules = aks_policy(Schedule.hourly(4), tagged=[TaggedRetention("Daily", "P7D", first_of("day"))])
    policy_id, _ = up(PolicyProvider(), policy_inputs(vault_id, **rules))
    bi_id, _ = up(InstanceProvider(), instance_inputs(vault_id, policy_id))
    return bi_id


def test_backup_runs_and_outputs_the_job(instance_id: str, configured: EmulatorHandle) -> None:
    provider = AdhocBackupProvider()
    id_, outs = up(provider, {"backup_instance_id": instance_id, "retention_tag_override": "Daily", "triggers": 1})

    assert "/backupJobs/" in id_ and outs["job_id"] == id_ == outs["arm_id"]
    assert outs["job_status"] == "Completed" and outs["recovery_point_id"]
    assert outs["rule_name"] == "BackupHourly"
    backup = [e for e in configured.request_log() if e["path"].endswith("/backup")]
    assert backup[0]["body"]["backupRuleOptions"] == {
        "ruleName": "BackupHourly",
        "triggerOption": {"retentionTagOverride": "Daily"},
    }

    same = checked(provider, {"backup_instance_id": instance_id, "retention_tag_override": "Daily", "triggers": 1})
    assert provider.diff(id_, outs, same).changes is False
    again = checked(provider, {"backup_instance_id": instance_id, "retention_tag_override": "Daily", "triggers": 2})
    plan = provider.diff(id_, outs, again)
    assert plan.replaces == ["triggers"] and plan.delete_before_replace is False

    since = configured.request_log()[-1]["seq"]
    provider.delete(id_, outs)
    assert configured.writes(since) == []


def test_a_job_that_expired_keeps_its_recorded_outcome(instance_id: str, configured: EmulatorHandle) -> None:
    provider = AdhocBackupProvider()
    id_, outs = up(provider, {"backup_instance_id": instance_id})
    configured.reset()
    read = provider.read(id_, outs)
    assert read.id == id_ and read.outs is not None and read.outs["job_status"] == "Completed"


def test_an_unknown_rule_fails_with_azure_message(instance_id: str) -> None:
    with pytest.raises(ArmError, match="UserErrorInvalidBackupRuleName"):
        up(AdhocBackupProvider(), {"backup_instance_id": instance_id, "rule_name": "Nope"})


def test_a_failed_backup_operation_is_reported(instance_id: str, configured: EmulatorHandle) -> None:
    configured.inject_fault("lro_fail", method="POST", path="/backup$", code="UserErrorBackupFailed", message="boom")
    with pytest.raises(ArmError, match="UserErrorBackupFailed: boom"):
        up(AdhocBackupProvider(), {"backup_instance_id": instance_id})


def test_a_missing_instance_is_reported(configured: EmulatorHandle) -> None:
    vault_id, _ = up(VaultProvider(), vault_inputs())
    with pytest.raises(ResourceFailure, match="does not exist"):
        up(AdhocBackupProvider(), {"backup_instance_id": f"{vault_id}/backupInstances/missing"})


def _lose_answers(monkeypatch: pytest.MonkeyPatch, action: str, *, processed: bool) -> list[str]:
    """Make every POST to ``.../{action}`` fail after sending (a read timeout): with ``processed`` the emulator got
    and handled it (the answer was lost), else it never saw it. Returns the paths of those POSTs."""
    import requests

    from pulumi_dataprotection.arm.client import ArmClient

    real = ArmClient._attempt
    posts: list[str] = []

    def attempt(self: ArmClient, call: Any, *args: Any) -> Any:
        if call.method == "POST" and call.url.split("?")[0].endswith("/" + action):
            posts.append(call.url)
            if processed:
                real(self, call, *args)
            raise requests.exceptions.ReadTimeout("read timed out")
        return real(self, call, *args)

    monkeypatch.setattr(ArmClient, "_attempt", attempt)
    return posts


def test_a_lost_answer_to_the_backup_request_finds_its_job_instead_of_sending_it_again(
    instance_id: str, configured: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19: a 500 with Retry-After on POST .../backup was sent twice (two backup jobs possible)."""
    posts = _lose_answers(monkeypatch, "backup", processed=True)
    id_, outs = up(AdhocBackupProvider(), {"backup_instance_id": instance_id})
    sent = [e for e in configured.request_log() if e["method"] == "POST" and e["path"].endswith("/backup")]
    assert len(posts) == len(sent) == 1, "the backup request is sent exactly once"
    jobs = configured.request_log()
    assert "/backupJobs/" in id_ and outs["job_status"] == "Completed"
    assert any(e["method"] == "GET" and e["path"].endswith("/backupJobs") for e in jobs), "the jobs were listed"


def test_a_backup_request_that_never_arrived_is_reported_not_resent(
    instance_id: str, configured: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pulumi_dataprotection.adhoc import jobs

    monkeypatch.setattr(jobs, "LOOK_FOR", 0.5)
    posts = _lose_answers(monkeypatch, "backup", processed=False)
    with pytest.raises(ResourceFailure) as info:
        up(AdhocBackupProvider(), {"backup_instance_id": instance_id})
    assert len(posts) == 1
    text = str(info.value)
    assert "may have reached Azure, but its outcome is unknown" in text
    assert "No backup job of the instance started since then" in text and "was not triggered again" in text


def test_reads_inside_an_operation_end_with_its_deadline(instance_id: str, configured: EmulatorHandle) -> None:
    """A read without a timeout of its own (here the instance's, to find its backup rule) is bounded by the
    operation's time limit, not by the retry budget (5 retries of a 30 s Retry-After)."""
    import time

    from pulumi_dataprotection.arm import DeadlineExceededError

    fault = configured.inject_fault("throttle", method="GET", path="/backupInstances/bi-1$", retry_after=30)
    started = time.monotonic()
    try:
        with pytest.raises(DeadlineExceededError) as info:
            up(AdhocBackupProvider(), {"backup_instance_id": instance_id, "timeouts": {"create": "2s"}})
    finally:
        configured.remove_fault(fault)
    took = time.monotonic() - started
    assert took < 4.0, f"took {took:.1f}s"
    assert info.value.stage == "retries" and info.value.code is not None and info.value.status == 429
    assert "did not finish within 2s" in str(info.value)
