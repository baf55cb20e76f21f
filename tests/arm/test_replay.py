"""Replays of real Azure recordings: our client, doing the same operations, makes the same calls and ends the same.

For each cassette the driver takes the next recorded request that our client has not yet made (a top-level CLI
call), performs the same operation through `ArmClient` (execute / get / list), and lets the LRO engine issue its
own polls and final reads; the replay server fails on any request that differs from the next recorded one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from pulumi_dataprotection.arm import (
    ArmClient,
    ArmError,
    ArmSettings,
    NotFoundError,
    OperationFailedError,
    OperationResult,
    RetriesExhaustedError,
    RetryPolicy,
    VaultLocks,
)
from pulumi_dataprotection.arm.paths import resource_type_candidates
from tests.arm.cassettes import Interaction, Replay, load_cassette
from tests.arm.conftest import FAST_POLL, RECORDINGS, FakeTime

NEWEST = "azure-cli-extensions"


@dataclass(frozen=True)
class Case:
    """How to drive one cassette: where to stop (CLI --no-wait calls we would wait on) and per-call options."""

    stop: int | None = None
    overrides: dict[int, dict[str, Any]] = field(default_factory=dict)
    retry: RetryPolicy = field(default_factory=RetryPolicy)


CASES = {
    f"{NEWEST}/test_dataprotection_backup_vault_create_and_delete.yaml": Case(),
    f"{NEWEST}/test_dataprotection_backup_policy_create_and_delete.yaml": Case(),
    f"{NEWEST}/test_dataprotection_backup_instance_create_and_delete_blob.yaml": Case(stop=26),
    f"{NEWEST}/test_dataprotection_backup_and_restore_aks.yaml": Case(),
    f"{NEWEST}/test_dataprotection_backup_instance_softdelete.yaml": Case(),
    f"{NEWEST}/test_dataprotection_backup_instance_update_policy.yaml": Case(),
    f"{NEWEST}/test_dataprotection_backup_and_restore_pgflex.yaml": Case(stop=31),
    # azure-core retried each 500 three times; the same retry count reproduces the recording exactly.
    f"{NEWEST}/test_dataprotection_restorable_time_range_find.yaml": Case(retry=RetryPolicy(max_retries=3)),
    # The 2024 CLI did not read the Location result after the vault DELETE.
    "azure-cli-extensions@5d48b182/test_dataprotection_backup_vault_update.yaml": Case(
        overrides={42: {"final_state_via": "azure-async-operation"}}
    ),
    "azure-cli-extensions@8e1899ee/test_dataprotection_backup_and_restore_aks.yaml": Case(stop=69),
    "azure-cli-extensions@c7a792bc/test_dataprotection_backup_policy_create_and_delete.yaml": Case(),
    "azure-cli-extensions@d195c728/test_dataprotection_backup_and_restore_oss.yaml": Case(stop=61),
}


def api_versions_of(interactions: list[Interaction]) -> dict[str, str]:
    """The api-version each recorded resource type used, as an `ArmSettings.api_versions` mapping."""
    versions: dict[str, str] = {}
    for item in interactions:
        key = resource_type_candidates(item.path)[0]
        assert versions.setdefault(key, item.query["api-version"]) == item.query["api-version"], key
    return versions


def replay(server, name: str, fake_time: FakeTime, *, extra_headers=None) -> tuple[Replay, dict[int, Any]]:
    """Drive the client through a cassette; returns the replay log and each top-level call's outcome."""
    case = CASES[name]
    interactions = load_cassette(RECORDINGS / name)
    stop = case.stop if case.stop is not None else len(interactions) + 10**6
    expected = [i for i in interactions if i.index < stop]
    handler = Replay(expected, server.base_url, extra_headers)
    server.handler = handler
    settings = ArmSettings.emulator(
        server.base_url, api_versions=api_versions_of(interactions), poll=FAST_POLL, retry=case.retry
    )
    client = ArmClient(
        settings, sleep=fake_time.sleep, clock=fake_time.clock, wall_clock=fake_time.wall, locks=VaultLocks()
    )
    outcomes: dict[int, Any] = {}
    try:
        while handler.cursor < len(expected):
            item, before = expected[handler.cursor], handler.cursor
            outcomes[item.index] = _perform(client, item, case.overrides.get(item.index, {}))
            assert not handler.mismatches, handler.mismatches
            assert handler.cursor > before
    finally:
        client.close()
    assert handler.served == [i.index for i in expected]
    return handler, outcomes


def _perform(client: ArmClient, item: Interaction, options: dict[str, Any]) -> Any:
    query = {k: v for k, v in item.query.items() if k != "api-version"}
    try:
        if item.method == "GET":
            return client.list(item.path, query=query) if item.is_list else client.get(item.path, query=query)
        return client.execute(
            item.method, item.path, item.request_body, operation=f"replayed call #{item.index}", query=query, **options
        )
    except ArmError as exc:
        return exc


@pytest.mark.parametrize("name", sorted(CASES))
def test_replay_issues_the_recorded_calls_in_order(server, fake_time, name):
    handler, outcomes = replay(server, name, fake_time)
    assert len(handler.served) >= len(outcomes) >= 1


def test_vault_create_and_delete_reach_the_recorded_final_state(server, fake_time):
    _, out = replay(server, f"{NEWEST}/test_dataprotection_backup_vault_create_and_delete.yaml", fake_time)
    created: OperationResult = out[0]
    assert created.status_code == 200 and created.body["properties"]["provisioningState"] == "Succeeded"
    assert created.body["name"] == "cli-test-backup-vault" and created.operation_status["status"] == "Succeeded"
    assert created.polls == 3  # Inprogress, Succeeded, GET vault
    assert any(v["name"] == "cli-test-backup-vault" for v in out[4])
    deleted: OperationResult = out[6]
    assert deleted.body == {"objectType": "OperationJobExtendedInfo"} and not deleted.already_gone


def test_policies_are_synchronous(server, fake_time):
    _, out = replay(server, f"{NEWEST}/test_dataprotection_backup_policy_create_and_delete.yaml", fake_time)
    assert out[0].polls == 0 and out[0].body["properties"]["provisioningState"] == "Succeeded"
    for create, delete in ((1, 2), (3, 4), (5, 6), (7, 8)):
        assert out[create].status_code == 200 and out[create].polls == 0 and out[create].body["properties"]
        assert out[delete].status_code == 200 and out[delete].body is None and out[delete].polls == 0


def test_blob_instance_create_reads_the_instance_from_location(server, fake_time):
    _, out = replay(server, f"{NEWEST}/test_dataprotection_backup_instance_create_and_delete_blob.yaml", fake_time)
    assert out[2].already_gone and out[2].status_code == 204
    assert out[3].body == {"objectType": "OperationJobExtendedInfo"}
    created: OperationResult = out[11]
    assert created.body["properties"]["provisioningState"] == "Succeeded"
    assert created.body["properties"]["protectionStatus"]["status"] == "ConfiguringProtection"
    assert out[19]["properties"]["protectionStatus"]["status"] == "ProtectionConfigured"
    backup: OperationResult = out[20]
    assert backup.job_id and backup.job_id.startswith("/subscriptions/") and "/backupJobs/" in backup.job_id


def test_failed_validation_is_reported_with_the_recommended_action(server, fake_time):
    _, out = replay(server, f"{NEWEST}/test_dataprotection_backup_and_restore_aks.yaml", fake_time)
    assert out[0].already_gone and out[5].already_gone
    failure = out[1]
    assert isinstance(failure, OperationFailedError)
    assert failure.code == "UserErrorStorageAccountKeyAccessDisallowed" and failure.terminal_status == "Failed"
    text = str(failure)
    assert "The storage account does not support key based authentication" in text.splitlines()[0]
    assert "recommended action: Please ensure that storage account key access is enabled" in text
    assert "operation status: GET http://127.0.0.1" in text


def test_soft_delete_flow_errors_and_delete_lro(server, fake_time):
    _, out = replay(server, f"{NEWEST}/test_dataprotection_backup_instance_softdelete.yaml", fake_time)
    assert out[0].already_gone
    assert isinstance(out[2], NotFoundError) and out[2].code == "UserErrorGenericResourceNotFound"
    assert out[3].status_code == 200 and out[3].polls == 0
    assert out[5].body == {"objectType": "OperationJobExtendedInfo"} and out[5].polls == 4
    assert out[22].body["properties"]["provisioningState"] == "Succeeded"
    assert isinstance(out[28], ArmError) and out[28].code == "UserErrorDppDatasourceAlreadyHasBackupInstance"
    assert out[42]["properties"]["currentProtectionState"] == "ProtectionConfigured"


def test_recorded_500s_are_retried_then_reported_as_exhausted(server, fake_time):
    _, out = replay(server, f"{NEWEST}/test_dataprotection_restorable_time_range_find.yaml", fake_time)
    for index in (10, 15):
        err = out[index]
        assert isinstance(err, RetriesExhaustedError) and err.attempts == 4
        assert (err.status, err.code, err.failure_cause) == (500, "CloudInternalError", "service")
        assert "Microsoft Azure Backup encountered an internal error" in str(err)
    assert isinstance(out[9], ArmError) and out[9].status == 400 and not isinstance(out[9], RetriesExhaustedError)


def test_recorded_429_is_retried(server, fake_time):
    _, out = replay(server, "azure-cli-extensions@5d48b182/test_dataprotection_backup_vault_update.yaml", fake_time)
    assert 34 in out and 35 not in out, "the 429 and its retry are one call"
    assert out[34].status == 400 and out[34].code == "UserErrorUnsupportedVaultImmutabilityStateChange"
    assert out[42].operation_status["status"] == "Succeeded" and out[42].body is None


def test_injected_retry_after_is_honoured(server, fake_time):
    """The recorder stripped Retry-After; inject 1 s on the responses that start or continue an operation."""

    def retry_after(item: Interaction) -> dict[str, str]:
        running = item.method != "GET" or '"Inprogress"' in item.body
        return {"Retry-After": "1"} if running else {}

    replay(
        server,
        f"{NEWEST}/test_dataprotection_backup_vault_create_and_delete.yaml",
        fake_time,
        extra_headers=retry_after,
    )
    # PUT 201 -> 1 s -> Inprogress -> 1 s -> Succeeded -> GET vault; DELETE 202 -> 1 s -> Inprogress -> 1 s -> ...
    assert fake_time.sleeps == [1.0, 1.0, 1.0, 1.0]
