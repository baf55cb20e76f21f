"""Fault injection and the request log of the emulator."""

from __future__ import annotations

import time

import pytest
import requests

from pulumi_dataprotection.emulator import EmulatorHandle
from tests.emulator import helpers
from tests.emulator.conftest import CheckedArm
from tests.emulator.test_instances import configured, eventually, state


def test_latency(api: CheckedArm, emulator: EmulatorHandle, vault: str) -> None:
    emulator.inject_fault("latency", method="GET", path="/backupVaults/vault1$", seconds=0.3, count=1)
    started = time.monotonic()
    assert api.get(vault).status_code == 200
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    api.get(vault)
    assert time.monotonic() - started < 0.3


def test_throttle_with_retry_after_then_normal(api: CheckedArm, emulator: EmulatorHandle) -> None:
    emulator.inject_fault("throttle", method="PUT", path="backupVaults", count=1, retry_after=2)
    throttled = api.put(helpers.vault_path(), helpers.vault_body())
    assert throttled.status_code == 429
    assert throttled.headers["Retry-After"] == "2"
    assert throttled.headers["x-ms-failure-cause"] == "gateway"
    assert throttled.json()["error"]["code"] == "SubscriptionRequestsThrottled"
    assert api.put(helpers.vault_path(), helpers.vault_body()).status_code == 201
    assert emulator.faults()[0]["hits"] == 1


def test_server_errors_with_skip_and_count(api: CheckedArm, emulator: EmulatorHandle, vault: str) -> None:
    emulator.inject_fault("error", method="GET", path="vault1", status=500, skip=1, count=1)
    emulator.inject_fault("error", method="DELETE", status=503)
    assert api.get(vault).status_code == 200
    failed = api.get(vault)
    assert failed.status_code == 500
    assert failed.headers["x-ms-failure-cause"] == "service"
    error = failed.json()["error"]
    assert error["code"] == "CloudInternalError"
    assert error["message"] == "Microsoft Azure Backup encountered an internal error."
    assert api.get(vault).status_code == 200
    unavailable = api.delete(vault)
    assert unavailable.status_code == 503 and unavailable.json()["error"]["code"] == "ServiceUnavailable"


def test_connection_reset(api: CheckedArm, emulator: EmulatorHandle, vault: str) -> None:
    emulator.inject_fault("reset", method="GET", path="vault1", count=1)
    with pytest.raises(requests.ConnectionError):
        api.session.get(api.url(vault), timeout=10)
    assert api.get(vault).status_code == 200
    log = emulator.request_log()
    assert log[-2]["faults"] == ["reset"]


def test_lro_fail(api: CheckedArm, emulator: EmulatorHandle) -> None:
    emulator.inject_fault("lro_fail", method="PUT", path="backupVaults", code="UserErrorSomething", message="nope")
    created = api.put(helpers.vault_path(), helpers.vault_body())
    assert created.status_code == 201
    failed = api.wait(created)
    assert failed["status"] == "Failed"
    assert failed["error"]["code"] == "UserErrorSomething" and failed["error"]["message"] == "nope"
    assert failed["endTime"] != "0001-01-01T00:00:00Z"
    assert api.get(helpers.vault_path()).json()["properties"]["provisioningState"] == "Failed"


def test_lro_stuck_never_finishes_and_keeps_the_vault_busy(
    api: CheckedArm, emulator: EmulatorHandle, disk_policy: str, blob_policy: str
) -> None:
    emulator.inject_fault("lro_stuck", method="PUT", path="backupInstances/bi1", count=1)
    stuck = api.put(helpers.instance_path(), {"properties": helpers.disk_instance(disk_policy)})
    emulator.advance_clock(3600)
    status = api.get(stuck.headers["Azure-AsyncOperation"]).json()
    assert status["status"] == "Inprogress" and status["endTime"] == "0001-01-01T00:00:00Z"
    other = api.put(helpers.instance_path("blob1"), {"properties": helpers.blob_instance(blob_policy)})
    assert other.status_code == 409


def test_protection_error_with_details(api: CheckedArm, emulator: EmulatorHandle, disk_policy: str) -> None:
    emulator.inject_fault("protection_error", path="backupInstances/bi1", code="UserErrorMSIMissingPermissions")
    path = helpers.instance_path()
    created = api.put(path, {"properties": helpers.disk_instance(disk_policy)})
    assert api.wait(created)["status"] == "Succeeded"
    eventually(lambda: state(api, path)[2] == "ProtectionError")
    props = api.get(path).json()["properties"]
    assert props["protectionStatus"]["status"] == "ConfiguringProtectionFailed"
    assert props["protectionErrorDetails"]["code"] == "UserErrorMSIMissingPermissions"
    assert props["protectionStatus"]["errorDetails"]["recommendedAction"]


def test_request_log_shows_no_writes_for_reads_and_validation(
    api: CheckedArm, emulator: EmulatorHandle, disk_policy: str
) -> None:
    path = helpers.instance_path()
    api.wait(api.put(path, {"properties": helpers.disk_instance(disk_policy)}))
    configured(api, path)
    mark = emulator.request_log()[-1]["seq"]
    api.get(path)
    api.get(f"{helpers.vault_path()}/backupInstances")
    validate = {"backupInstance": helpers.disk_instance(disk_policy)}
    api.wait(api.post(f"{helpers.vault_path()}/validateForBackup", validate))
    assert emulator.writes(since=mark) == []
    entries = emulator.request_log(since=mark)
    assert [e["method"] for e in entries][:3] == ["GET", "GET", "POST"]
    assert entries[2]["body"]["backupInstance"]["objectType"] == "BackupInstance"
    api.post(f"{path}/stopProtection")
    writes = emulator.writes(since=mark)
    assert [(w["method"], w["path"].rsplit("/", 1)[1], w["status"]) for w in writes] == [
        ("POST", "stopProtection", 202)
    ]
    emulator.clear_request_log()
    assert emulator.request_log() == []


def test_invalid_fault_rules_are_refused(emulator: EmulatorHandle) -> None:
    with pytest.raises(RuntimeError, match="fault kind 'explode'"):
        emulator.inject_fault("explode")
    with pytest.raises(RuntimeError, match=r"uses \(: a fault path is literal text"):
        emulator.inject_fault("latency", path="(")
    kept = emulator.inject_fault("latency", seconds=0.01)
    removed = emulator.inject_fault("error", status=503)
    emulator.remove_fault(removed)
    assert [f["id"] for f in emulator.faults()] == [kept]
