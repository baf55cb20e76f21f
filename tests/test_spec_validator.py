"""The spec validator that the contract tests rely on: it accepts Microsoft's own examples and rejects bad bodies."""

from __future__ import annotations

import copy

import pytest

from tests.support.spec import Example, Spec

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


def _example_errors(spec: Spec, examples: list[Example]) -> list[tuple[str, str, list[str]]]:
    out = []
    for ex in examples:
        if ex.request_body is not None:
            out.append(
                (ex.path.name, "request", spec.validate_request(ex.operation_id, ex.request_body, lenient_enums=True))
            )
        for status, response in ex.responses.items():
            errors = spec.validate_response(ex.operation_id, status, response.get("body"), lenient_enums=True)
            out.append((ex.path.name, status, errors))
    return [e for e in out if e[2]]


def test_every_official_example_validates(spec_2025: Spec, spec: Spec) -> None:
    """The 2025-09-01 examples validate against their spec and against 2026-06-01's, which removed nothing; the new
    2026-06-01 examples (auto-protection, generic restore) against theirs."""
    examples = spec_2025.examples()
    assert len(examples) >= 40
    assert _example_errors(spec_2025, examples) == []
    assert _example_errors(spec, examples) == []
    new = spec.examples()
    assert len(new) >= 5
    # the one known deviation: the example sends resourceNameOverrides as a list of pairs, the spec declares a map
    assert _example_errors(spec, new) == [
        (
            "TriggerRestoreWithGenericParameters.json",
            "request",
            [
                "$.restoreTargetInfo.restoreCriteria[0].resourceSelectors.resourceNameOverrides: expected an object, "
                "got list"
            ],
        )
    ]


def test_strict_mode_flags_only_the_known_enum_deviations_of_the_examples(spec_2025: Spec) -> None:
    strict = [
        err
        for ex in spec_2025.examples()
        for status, response in ex.responses.items()
        for err in spec_2025.validate_response(ex.operation_id, status, response.get("body"))
    ]
    assert strict, "the examples are known to use 'Enabled' and 'NotProtected', which the enums do not list"
    assert all("'Enabled'" in e or "'NotProtected'" in e for e in strict)


VAULT = {
    "location": "westeurope",
    "properties": {"storageSettings": [{"datastoreType": "VaultStore", "type": "GeoRedundant"}]},
}


def test_2026_06_01_adds_cost_management_and_drops_required_storage_settings(spec_2025: Spec, spec: Spec) -> None:
    bare = {"location": "westeurope", "properties": {}}
    costed = copy.deepcopy(VAULT)
    costed["properties"]["costManagementSettings"] = {"granularityLevel": "ProtectedItemLevel"}
    assert spec.validate("BackupVaultResource", bare) == []
    assert spec.validate("BackupVaultResource", costed) == []
    patch = {"properties": {"costManagementSettings": {"granularityLevel": "VaultLevel"}}}
    assert spec.validate("PatchResourceRequestInput", patch) == []
    assert spec_2025.validate("BackupVaultResource", bare) == [
        "$.properties: required property 'storageSettings' is missing"
    ]
    assert spec_2025.validate("BackupVaultResource", costed) == [
        "$.properties.costManagementSettings: property not declared by the spec"
    ]
    wrong = {"location": "westeurope", "properties": {"costManagementSettings": {"granularityLevel": "Daily"}}}
    assert any("'Daily' is not one of" in e for e in spec.validate("BackupVaultResource", wrong))


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
