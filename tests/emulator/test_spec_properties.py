"""Properties the emulator does not model but the official spec of the request's api-version defines are validated
against that spec and kept, so a new schema field converges against the emulator as on Azure; properties no spec
defines are ignored, as the service ignores them."""

from __future__ import annotations

import copy
import subprocess
import sys

import pytest

from pulumi_dataprotection.emulator import EmulatorHandle, schema, spec
from tests.emulator import helpers
from tests.support.emulator import ArmClient
from tests.support.spec import REPO_ROOT, SHARED_DIR

NEW = "2026-06-01"  # adds BackupVault.costManagementSettings (and PatchBackupVaultInput's) to 2025-09-01's
COST = {"granularityLevel": "ProtectedItemLevel"}


def _url(handle: EmulatorHandle, path: str, version: str) -> str:
    return f"{handle.url}{path}?api-version={version}"


def test_the_vault_property_under_test_is_outside_the_emulators_model() -> None:
    assert "costManagementSettings" not in schema.BACKUP_VAULT.props
    assert spec.extra_property("BackupVault", "costManagementSettings", NEW) is not None
    assert spec.extra_property("BackupVault", "costManagementSettings", "2025-09-01") is None


def test_a_vault_property_the_emulator_does_not_model_round_trips(emulator: EmulatorHandle) -> None:
    arm = ArmClient(emulator)
    url = _url(emulator, helpers.vault_path(), NEW)
    created = arm.put(url, helpers.vault_body(costManagementSettings=COST))
    assert created.status_code == 201, created.text
    assert created.json()["properties"]["costManagementSettings"] == COST
    arm.wait(created)
    read = arm.get(url).json()
    assert read["properties"]["costManagementSettings"] == COST
    # Sending back what was read changes nothing: the vault converges.
    again = arm.put(url, {k: read[k] for k in ("location", "identity", "properties")})
    assert again.status_code == 200, again.text
    patched = arm.patch(url, {"properties": {"costManagementSettings": {"granularityLevel": "VaultLevel"}}})
    assert patched.status_code == 202, patched.text
    arm.wait(patched)
    assert arm.get(url).json()["properties"]["costManagementSettings"] == {"granularityLevel": "VaultLevel"}


def test_a_property_outside_the_request_versions_spec_is_ignored(emulator: EmulatorHandle) -> None:
    arm = ArmClient(emulator)
    url = _url(emulator, helpers.vault_path(), "2025-09-01")
    body = helpers.vault_body(costManagementSettings=COST, inventedSetting={"state": "On"})
    created = arm.put(url, body)
    assert created.status_code == 201, created.text
    assert not {"costManagementSettings", "inventedSetting"} & set(arm.get(url).json()["properties"])


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ({"granularityLevel": "Daily"}, "properties.costManagementSettings.granularityLevel: 'Daily' is not one of"),
        ("VaultLevel", "properties.costManagementSettings: expected an object, got a string"),
    ],
)
def test_a_kept_property_is_validated_against_the_spec(emulator: EmulatorHandle, value: object, problem: str) -> None:
    created = ArmClient(emulator).put(
        _url(emulator, helpers.vault_path(), NEW), helpers.vault_body(costManagementSettings=value)
    )
    assert created.status_code == 400
    assert created.json()["error"]["code"] == "BMSUserErrorInvalidInput"
    assert problem in created.text


def test_a_nested_property_of_a_modelled_object_is_kept(emulator: EmulatorHandle) -> None:
    """``securitySettings`` is modelled; a spec property inside it the model omitted still round-trips (the check:
    a model without ``immutabilitySettings`` keeps it through the spec)."""
    security = schema.SECURITY_SETTINGS
    saved = copy.copy(security.props)
    del security.props["immutabilitySettings"]
    try:
        arm = ArmClient(emulator)
        url = _url(emulator, helpers.vault_path(), "2025-09-01")
        body = helpers.vault_body()
        body["properties"]["securitySettings"]["immutabilitySettings"] = {"state": "Unlocked"}
        created = arm.put(url, body)
        assert created.status_code == 201, created.text
        kept = arm.get(url).json()["properties"]["securitySettings"]
        assert kept["immutabilitySettings"] == {"state": "Unlocked"}
    finally:
        security.props.clear()
        security.props.update(saved)


@pytest.mark.skipif(not SHARED_DIR.is_dir(), reason="the official spec is not in ../shared")
def test_the_emulators_spec_definitions_are_current() -> None:
    result = subprocess.run(
        [sys.executable, "tools/gen_emulator_spec.py", "--check"], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, f"run `python tools/gen_emulator_spec.py --write`:\n{result.stdout}"
