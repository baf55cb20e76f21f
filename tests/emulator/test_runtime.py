"""Running emulators: the command line, restarts on the same database, isolation, and per-run settings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests

from pulumi_dataprotection.emulator import EmulatorHandle, start_emulator
from pulumi_dataprotection.emulator.config import from_args
from tests.emulator import helpers
from tests.emulator.conftest import CheckedArm
from tests.support.spec import Spec

FAST: dict[str, Any] = {"lro_seconds": 0.2, "retry_after": 0}


def test_command_line_over_tls_with_faults_from_flags_and_environment(
    tmp_path: Path, spec: Spec, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DP_EMULATOR_FAULTS", json.dumps([{"kind": "error", "method": "DELETE", "status": 502}]))
    throttle = {"kind": "throttle", "method": "GET", "path": "backupVaults$", "count": 1, "retry_after": 3}
    handle = start_emulator(
        db_path=tmp_path / "state.db", tls=True, cert_dir=tmp_path / "tls", faults=[throttle], **FAST
    )
    try:
        assert handle.url.startswith("https://127.0.0.1:")
        assert handle.ca_cert == tmp_path / "tls" / "cert.pem" and handle.ca_cert.exists()
        api = CheckedArm(handle, spec)
        listing = f"{helpers.rg_path()}/{helpers.DP}/backupVaults"
        throttled = api.get(listing)
        assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "3"
        assert api.get(listing).status_code == 200
        assert api.delete(helpers.vault_path()).status_code == 502
        with pytest.raises(requests.exceptions.SSLError):
            requests.get(f"{handle.url}/_emulator/health", timeout=10)
    finally:
        handle.stop()


def test_state_survives_a_restart_and_operations_finish_after_it(tmp_path: Path, spec: Spec) -> None:
    db = tmp_path / "not" / "yet" / "there" / "state.db"  # the emulator creates the directories it needs
    first = start_emulator(db_path=db, lro_seconds=0.5, retry_after=0)
    try:
        api = CheckedArm(first, spec)
        api.wait(api.put(helpers.vault_path(), helpers.vault_body()))
        api.put(helpers.policy_path(), helpers.disk_policy())
        started = api.put(helpers.instance_path(), {"properties": helpers.disk_instance(helpers.policy_path())})
        assert started.status_code == 201
    finally:
        first.stop()
    second = start_emulator(db_path=db, lro_seconds=0.5, retry_after=0)
    try:
        api = CheckedArm(second, spec)
        assert api.get(helpers.vault_path()).json()["properties"]["provisioningState"] == "Succeeded"
        assert api.get(helpers.policy_path()).status_code == 200
        status_path = started.headers["Azure-AsyncOperation"].split("?")[0].split("/subscriptions/", 1)[1]
        done = api.poll(f"/subscriptions/{status_path}")
        assert done["status"] == "Succeeded"
        assert api.get(helpers.instance_path()).json()["properties"]["provisioningState"] == "Succeeded"
    finally:
        second.stop()


def test_two_emulators_do_not_interfere(spec: Spec) -> None:
    a = start_emulator(in_process=True, **FAST)
    b = start_emulator(in_process=True, **FAST)
    try:
        assert a.url != b.url and a.db_path != b.db_path
        api_a, api_b = CheckedArm(a, spec), CheckedArm(b, spec)
        api_a.wait(api_a.put(helpers.vault_path(), helpers.vault_body()))
        assert api_b.get(helpers.vault_path()).status_code == 404
        b.inject_fault("error", status=500)
        b.reset()
        assert api_a.get(helpers.vault_path()).status_code == 200
        assert b.faults() == [] and a.request_log() and not b.request_log()
    finally:
        a.stop()
        b.stop()


def _strict(tmp_path: Path, spec: Spec) -> tuple[EmulatorHandle, CheckedArm]:
    registry = tmp_path / "datasources.json"
    registry.write_text(json.dumps({"datasources": [{"id": helpers.disk_id("disk1"), "location": "westus"}]}))
    handle = start_emulator(in_process=True, datasources_file=registry, **FAST)
    api = CheckedArm(handle, spec)
    api.wait(api.put(helpers.vault_path(), helpers.vault_body()))
    api.put(helpers.policy_path(), helpers.disk_policy())
    return handle, api


def test_strict_datasource_registry(tmp_path: Path, spec: Spec) -> None:
    handle, api = _strict(tmp_path, spec)
    try:
        validate = f"{helpers.vault_path()}/validateForBackup"
        known = helpers.disk_instance(helpers.policy_path(), helpers.disk_id("disk1"))
        unknown = helpers.disk_instance(helpers.policy_path(), helpers.disk_id("disk2"))
        assert api.wait(api.post(validate, {"backupInstance": known}))["status"] == "Succeeded"
        failed = api.wait(api.post(validate, {"backupInstance": unknown}))
        assert failed["status"] == "Failed" and failed["error"]["code"] == "UserErrorManagedDiskNotFound"
        created = api.put(helpers.instance_path("bi2"), {"properties": unknown})
        assert created.status_code == 201
        assert api.wait(created)["error"]["code"] == "UserErrorManagedDiskNotFound"
        assert api.get(helpers.instance_path("bi2")).status_code == 404
        handle.add_datasource(helpers.disk_id("disk2"))
        assert api.wait(api.post(validate, {"backupInstance": unknown}))["status"] == "Succeeded"
        assert handle.health()["strictDatasources"] is True
    finally:
        handle.stop()


def test_bad_registry_file_is_reported(tmp_path: Path) -> None:
    registry = tmp_path / "datasources.json"
    registry.write_text(json.dumps(["not-an-id"]))
    with pytest.raises(ValueError, match="not a resource id"):
        start_emulator(in_process=True, datasources_file=registry)


def test_reversible_soft_delete_when_allowed_deletes_hard_with_soft_delete_off(spec: Spec) -> None:
    handle = start_emulator(in_process=True, allow_reversible_soft_delete=True, **FAST)
    try:
        api = CheckedArm(handle, spec)
        api.wait(api.put(helpers.vault_path(), helpers.vault_body(soft_delete="Off")))
        api.put(helpers.policy_path(), helpers.disk_policy())
        path = helpers.instance_path()
        api.wait(api.put(path, {"properties": helpers.disk_instance(helpers.policy_path())}))
        handle.advance_clock(5)
        api.wait(api.delete(path))
        assert api.get(f"{helpers.vault_path()}/deletedBackupInstances").json() == {"value": []}
        vault = api.get(helpers.vault_path()).json()["properties"]
        assert (vault["secureScore"], vault["bcdrSecurityLevel"]) == ("None", "Poor")
    finally:
        handle.stop()


def test_strict_vault_writes_refuse_while_another_instance_configures_protection(spec: Spec) -> None:
    handle = start_emulator(strict_vault_writes=True, **FAST)  # a subprocess: the flag goes through the command line
    try:
        api = CheckedArm(handle, spec)
        api.wait(api.put(helpers.vault_path(), helpers.vault_body()))
        api.put(helpers.policy_path(), helpers.disk_policy())
        api.put(helpers.policy_path("blobpolicy"), helpers.blob_policy())
        api.wait(api.put(helpers.instance_path(), {"properties": helpers.disk_instance(helpers.policy_path())}))
        blob = {"properties": helpers.blob_instance(helpers.policy_path("blobpolicy"))}
        refused = api.put(helpers.instance_path("blob1"), blob)
        assert refused.status_code == 409 and "Another operation is in progress" in refused.json()["error"]["message"]
        handle.advance_clock(1)
        assert api.put(helpers.instance_path("blob1"), blob).status_code == 202
    finally:
        handle.stop()


def test_any_token_can_be_accepted(spec: Spec) -> None:
    handle = start_emulator(in_process=True, accept_any_token=True, **FAST)
    try:
        response = requests.get(
            f"{handle.url}{helpers.vault_path()}?api-version=2025-09-01",
            headers={"Authorization": "Bearer eyJ.some.jwt"},
            timeout=10,
        )
        assert response.status_code == 404
    finally:
        handle.stop()


def test_azure_lro_profile_takes_as_long_as_azure(spec: Spec) -> None:
    """``--lro-profile azure``: validateForBackup runs 35 s, protection configures 50 s after a create (the recorded
    durations, see emulator/timing.py); the default profile ends everything after --lro-seconds."""
    assert from_args(["--lro-profile", "azure"], env={}).lro_profile == "azure"
    handle = start_emulator(in_process=True, lro_profile="azure")
    try:
        api = CheckedArm(handle, spec)
        handle.advance_clock(2)
        api.wait(api.put(helpers.vault_path(), helpers.vault_body()))
        api.put(helpers.policy_path(), helpers.disk_policy())
        validation = api.post(
            f"{helpers.vault_path()}/validateForBackup",
            {"backupInstance": helpers.disk_instance(helpers.policy_path())},
        )
        status = validation.headers["Azure-AsyncOperation"]
        handle.advance_clock(30)
        assert api.get(status).json()["status"] == "Inprogress"
        handle.advance_clock(6)
        assert api.get(status).json()["status"] == "Succeeded"
        created = api.put(helpers.instance_path(), {"properties": helpers.disk_instance(helpers.policy_path())})
        handle.advance_clock(40)
        assert api.get(created.headers["Azure-AsyncOperation"]).json()["status"] == "Succeeded"
        assert api.get(helpers.instance_path()).json()["properties"]["currentProtectionState"] == (
            "ConfiguringProtection"
        )
        handle.advance_clock(15)
        assert api.get(helpers.instance_path()).json()["properties"]["currentProtectionState"] == (
            "ProtectionConfigured"
        )
    finally:
        handle.stop()
