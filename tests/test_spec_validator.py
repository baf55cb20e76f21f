"""The spec validator that the contract tests rely on: it accepts Microsoft's own examples and rejects bad bodies."""

from __future__ import annotations

import copy

import pytest

from tests.support.spec import Spec

POLICY = {
    "properties": {
        "datasourceTypes": ["Microsoft.ContainerService/managedClusters"],
        "objectType": "BackupPolicy",
        "policyRules": [
            {
                "name": "Default",
                "objectType": "AzureRetentionRule",
                "isDefault": True,
                "lifecycles": [
                    {
                        "deleteAfter": {"objectType": "AbsoluteDeleteOption", "duration": "P7D"},
                        "sourceDataStore": {"dataStoreType": "OperationalStore", "objectType": "DataStoreInfoBase"},
                        "targetDataStoreCopySettings": [],
                    }
                ],
            }
        ],
    }
}


def test_every_official_example_validates(spec: Spec) -> None:
    examples = spec.examples()
    assert len(examples) >= 40
    for ex in examples:
        if ex.request_body is not None:
            assert spec.validate_request(ex.operation_id, ex.request_body, lenient_enums=True) == [], ex.path.name
        for status, response in ex.responses.items():
            errors = spec.validate_response(ex.operation_id, status, response.get("body"), lenient_enums=True)
            assert errors == [], (ex.path.name, status)


def test_strict_mode_flags_only_the_known_enum_deviations_of_the_examples(spec: Spec) -> None:
    strict = [
        err
        for ex in spec.examples()
        for status, response in ex.responses.items()
        for err in spec.validate_response(ex.operation_id, status, response.get("body"))
    ]
    assert strict, "the examples are known to use 'Enabled' and 'NotProtected', which the enums do not list"
    assert all("'Enabled'" in e or "'NotProtected'" in e for e in strict)


def test_valid_policy_passes(spec: Spec) -> None:
    assert spec.validate("BaseBackupPolicyResource", POLICY) == []


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda b: b["properties"]["policyRules"][0].update(bogus=1), "bogus: property not declared"),
        (lambda b: b["properties"]["policyRules"][0].update(objectType="Nope"), "'Nope' is not a known objectType"),
        (lambda b: b["properties"].pop("datasourceTypes"), "required property 'datasourceTypes' is missing"),
        (lambda b: b["properties"].update(datasourceTypes="x"), "expected an array"),
        (
            lambda b: b["properties"]["policyRules"][0]["lifecycles"][0]["deleteAfter"].update(objectType="Later"),
            "'Later' is not a known objectType",
        ),
        (
            lambda b: b["properties"]["policyRules"][0]["lifecycles"][0]["sourceDataStore"].update(
                dataStoreType="Tape"
            ),
            "'Tape' is not one of",
        ),
        (lambda b: b.update(id="/subscriptions/x"), "read-only property sent in a request"),
        (lambda b: b["properties"]["policyRules"][0].update(isDefault="yes"), "expected boolean"),
    ],
)
def test_invalid_policy_is_rejected(spec: Spec, mutate, expected: str) -> None:
    body = copy.deepcopy(POLICY)
    mutate(body)
    errors = spec.validate("BaseBackupPolicyResource", body)
    assert any(expected in e for e in errors), errors


def test_response_status_must_be_declared(spec: Spec) -> None:
    assert spec.validate_response("BackupPolicies_CreateOrUpdate", 202, None)
    assert spec.validate_response("BackupInstances_Delete", 204, None) == []
    assert spec.validate_response("BackupInstances_Delete", 202, {"unexpected": True})
    error = {"error": {"code": "UserErrorDppPolicyObjectInUse", "message": "in use"}}
    assert spec.validate_response("BackupPolicies_Delete", 400, error) == []
