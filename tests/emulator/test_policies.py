"""Backup policies on the emulator: synchronous PUT/DELETE, no updates, in-use protection, request validation."""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import quote

import pytest

from tests.emulator import helpers
from tests.emulator.conftest import CheckedArm


def test_put_get_list_delete_are_synchronous(api: CheckedArm, vault: str) -> None:
    path = helpers.policy_path()
    created = api.put(path, helpers.disk_policy())
    assert created.status_code == 200
    assert "Azure-AsyncOperation" not in created.headers and "Location" not in created.headers
    body = created.json()
    assert body["type"] == "Microsoft.DataProtection/backupVaults/backupPolicies"
    tag = body["properties"]["policyRules"][0]["trigger"]["taggingCriteria"][0]["tagInfo"]
    assert tag == {"tagName": "Default", "id": "Default_"}
    assert api.get(path).json() == body
    assert [p["name"] for p in api.get(f"{vault}/backupPolicies").json()["value"]] == ["diskpolicy"]
    deleted = api.delete(path)
    assert deleted.status_code == 200 and not deleted.content
    assert api.delete(path).status_code == 204
    missing = api.get(path)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "UserErrorGenericResourceNotFound"
    assert missing.headers["x-ms-error-code"] == "UserErrorGenericResourceNotFound"
    assert missing.headers["Content-Type"] == "application/json"


def test_identical_put_is_accepted_but_a_changed_policy_is_refused(api: CheckedArm, disk_policy: str) -> None:
    assert api.put(disk_policy, helpers.disk_policy()).status_code == 200
    changed = helpers.disk_policy()
    changed["properties"]["policyRules"][1]["lifecycles"][0]["deleteAfter"]["duration"] = "P14D"
    response = api.put(disk_policy, changed)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "UserErrorBMSUpdatePolicyNotSupported"
    assert error["message"] == "Update of existing policy is not supported."
    assert error["additionalInfo"][0]["info"]["recommendedAction"] == ["Please create a new policy."]


def test_policy_in_use_cannot_be_deleted(api: CheckedArm, disk_policy: str) -> None:
    created = api.put(helpers.instance_path(), {"properties": helpers.disk_instance(disk_policy)})
    api.wait(created)
    response = api.delete(disk_policy)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "UserErrorDppPolicyObjectInUse"
    assert api.get(disk_policy).status_code == 200


def test_request_validation_reports_every_problem(api: CheckedArm, vault: str) -> None:
    body = helpers.disk_policy()
    rules = body["properties"]["policyRules"]
    del rules[0]["dataStore"]
    rules[0]["trigger"]["schedule"]["repeatingTimeIntervals"] = ["every 4 hours"]
    rules[1]["objectType"] = "AzureSomethingRule"
    response = api.put(helpers.policy_path(), body)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "BMSUserErrorInvalidInput"
    assert sorted(d["target"] for d in error["details"]) == [
        "body.properties.policyRules[0].dataStore",
        "body.properties.policyRules[0].trigger.schedule.repeatingTimeIntervals[0]",
        "body.properties.policyRules[1].objectType",
    ]


def test_unknown_datasource_types_are_refused(api: CheckedArm, vault: str) -> None:
    body = helpers.disk_policy()
    body["properties"]["datasourceTypes"] = ["Microsoft.Compute/virtualMachines"]
    response = api.put(helpers.policy_path(), body)
    assert response.status_code == 400
    messages = [d["message"] for d in response.json()["error"]["details"]]
    assert any("unknown datasource type" in m for m in messages)


def _hybrid_blob_policy(operational_default: str) -> dict[str, Any]:
    """The vaulted blob policy with an operational default retention rule named ``operational_default`` beside its
    vaulted ``Default``: the shape of the az CLI's recorded hybrid blob policy
    (test_dataprotection_backup_policy_create_and_delete.yaml, interaction 3)."""
    policy = helpers.blob_policy()
    rules = policy["properties"]["policyRules"]
    operational = copy.deepcopy(next(r for r in rules if r["objectType"] == "AzureRetentionRule"))
    operational["name"] = operational_default
    operational["lifecycles"][0]["sourceDataStore"]["dataStoreType"] = "OperationalStore"
    rules.insert(0, operational)
    return policy


def test_hybrid_blob_policy_needs_azures_default_rule_names(api: CheckedArm, vault: str) -> None:
    """Azure refuses two default rules named Default since 2026-09 (terraform-provider-azurerm#33470, #33493:
    400 BMSUserErrorInvalidInput) and accepts Default_OperationalStore + Default (the recorded CLI policy)."""
    refused = api.put(helpers.policy_path("hybrid"), _hybrid_blob_policy("Default"))
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "BMSUserErrorInvalidInput"
    assert "Default_OperationalStore" in refused.json()["error"]["details"][0]["message"]
    assert api.put(helpers.policy_path("hybrid"), _hybrid_blob_policy("Default_OperationalStore")).status_code == 200


def test_rule_names_outside_the_hybrid_blob_rule_are_free(api: CheckedArm, vault: str) -> None:
    """No generic uniqueness rule: Azure accepted two rules named Default (2025-04 recording), and tags are named
    freely (Terraform's accepted weekly/thursday/monthly)."""
    body = helpers.disk_policy()
    body["properties"]["policyRules"][1]["name"] = "BackupHourly"
    assert api.put(helpers.policy_path(), body).status_code == 200


def test_policy_needs_an_existing_vault(api: CheckedArm) -> None:
    response = api.put(helpers.policy_path(vault="nope"), helpers.disk_policy())
    assert response.status_code == 404 and response.json()["error"]["code"] == "ResourceNotFound"


@pytest.mark.parametrize("name", ["daily.", "daily ", "a%b", "a*b"])
def test_names_ending_with_a_period_or_holding_reserved_characters_are_refused(
    api: CheckedArm, vault: str, name: str
) -> None:
    response = api.put(helpers.policy_path(quote(name, safe="")), helpers.disk_policy())
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "InvalidResourceName"
