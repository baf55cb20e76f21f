"""Vault bodies as Azure writes them: the grading, the read-only fields each api-version has, identities."""

from __future__ import annotations

import pytest

from pulumi_dataprotection.emulator import render
from tests.emulator import helpers
from tests.emulator.conftest import CheckedArm

UAMI = (
    "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourcegroups/rg-id/providers/"
    "Microsoft.ManagedIdentity/userAssignedIdentities/uami1"
)


@pytest.mark.parametrize(
    ("soft", "immutability", "graded"),
    [
        # Every combination the recordings show (the vault bodies of ../shared/reference/recordings).
        ("Off", None, ("None", "Poor")),
        ("OFF", "Disabled", ("None", "Poor")),
        ("Off", "Unlocked", ("None", "Poor")),
        ("On", None, ("None", "Poor")),
        ("On", "Unlocked", ("Minimum", "Fair")),
        ("On", "Locked", ("Adequate", "Good")),
        ("AlwaysOn", "Disabled", ("Adequate", "Good")),
        ("AlwaysOn", "Unlocked", ("Adequate", "Good")),
        ("AlwaysOn", "Locked", ("Adequate", "Good")),
        ("ALWAYSON", "Disabled", ("Adequate", "Good")),
        ("ON", "Unlocked", ("Minimum", "Fair")),
    ],
)
def test_secure_score_grades_as_azure(soft: str, immutability: str | None, graded: tuple[str, str]) -> None:
    security: dict[str, object] = {"softDeleteSettings": {"state": soft}}
    if immutability:
        security["immutabilitySettings"] = {"state": immutability}
    assert render.secure_score({"securitySettings": security}) == graded


@pytest.mark.parametrize(
    ("version", "present"),
    [
        ("2023-01-01", set()),
        ("2023-05-01", {"secureScore"}),
        ("2023-11-01", {"secureScore", "replicatedRegions"}),
        ("2024-04-01", {"secureScore", "replicatedRegions", "bcdrSecurityLevel"}),
        ("2025-09-01", {"secureScore", "replicatedRegions", "bcdrSecurityLevel"}),
    ],
)
def test_read_only_vault_fields_follow_the_api_version(api: CheckedArm, version: str, present: set[str]) -> None:
    url = f"{api.handle.url}{helpers.vault_path()}?api-version={version}"
    created = api.put(url, helpers.vault_body())
    assert created.status_code == 201, created.text
    props = api.get(url).json()["properties"]
    assert {"secureScore", "replicatedRegions", "bcdrSecurityLevel"} & set(props) == present


def test_user_assigned_identity_as_azure_answers_it(api: CheckedArm) -> None:
    """Recorded (corpus/azure-cli-extensions-head/test_dataprotection_backup_vault_create_with_uami_update_and_delete
    .yaml #0, #4): the create answer lists the identity as ``{}`` with the tenant; later reads fill it in."""
    body = {**helpers.vault_body(), "identity": {"type": "UserAssigned", "userAssignedIdentities": {UAMI: {}}}}
    created = api.put(helpers.vault_path(), body)
    assert created.status_code == 201
    identity = created.json()["identity"]
    assert identity["userAssignedIdentities"] == {UAMI: {}} and identity["tenantId"]
    api.wait(created)
    shown = api.get(helpers.vault_path()).json()["identity"]
    assert set(shown["userAssignedIdentities"][UAMI]) == {"clientId", "principalId"}
    assert shown["tenantId"] == identity["tenantId"] and "principalId" not in shown


def test_resending_the_read_back_replicated_regions_changes_nothing(api: CheckedArm, vault: str) -> None:
    """az dataprotection backup-vault update sends back what it read, ``replicatedRegions: []`` included."""
    current = api.get(vault).json()
    assert current["properties"]["replicatedRegions"] == []
    again = api.put(
        vault, {**helpers.vault_body(), "properties": {**helpers.vault_body()["properties"], "replicatedRegions": []}}
    )
    assert again.status_code == 200 and "Azure-AsyncOperation" not in again.headers
