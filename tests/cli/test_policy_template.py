"""`policy-template`: the recommended policy per datasource kind, as builder code and as a spec-valid REST body."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pulumi_dataprotection.audit import build_report, parse_export
from pulumi_dataprotection.datasources import KINDS
from pulumi_dataprotection.policy.schema import POLICY
from tests.cli import exports as ex

VAULT_ID = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-backup/providers/"
    "Microsoft.DataProtection/backupVaults/backup-vault"
)


@pytest.mark.parametrize("kind", list(KINDS))
def test_json_is_what_builders_and_schema_produce_and_valid_against_the_spec(run_cli, spec, kind):
    python = run_cli("policy-template", "--datasource", kind)
    assert python.code == 0, python.err
    namespace: dict[str, Any] = {}
    exec(compile(python.out, f"<template {kind}>", "exec"), namespace)
    inputs = namespace["POLICY_INPUTS"]
    assert inputs["datasource_types"] == [KINDS[kind].datasource_type]

    result = run_cli("policy-template", "--datasource", kind, "--format", "json")
    assert result.code == 0, result.err
    body = result.json()
    assert body == POLICY.to_rest({"name": "p", "vault_id": VAULT_ID, **inputs})
    spec.assert_valid("BaseBackupPolicyResource", body)
    assert body["properties"]["datasourceTypes"] == [KINDS[kind].datasource_type]
    assert f"{KINDS[kind].title}: " in result.err


@pytest.mark.parametrize("kind", list(KINDS))
def test_recommended_policies_pass_the_default_audit(kind, run_cli):
    namespace: dict[str, Any] = {}
    exec(compile(run_cli("policy-template", "--datasource", kind).out, "<template>", "exec"), namespace)
    document = ex.stack_export(ex.policy(f"{kind}-default", "vault-x", namespace["POLICY_INPUTS"]))
    report = build_report(parse_export(document))
    assert {f.code for f in report.findings} == {"policy-unused"}, report.findings
    longest = report.policies[0].longest_retention_days
    assert longest is not None and longest >= 30


def test_python_template_shows_the_builder_calls(run_cli):
    result = run_cli("policy-template", "--datasource", "aks")
    assert "from pulumi_dataprotection.policy.builders import" in result.out
    assert "Schedule.hourly(4)" in result.out
    assert 'TaggedRetention("Daily", "P7D", first_of("day"), vault_copy_keep_for="P30D")' in result.out
    assert "AKS cluster: every 4 h to OperationalStore, kept 7 days" in result.err


@pytest.mark.parametrize(
    ("given", "kind"),
    [("Microsoft.Compute/disks", "disk"), ("OssDB", "postgresql"), ("MYSQL_FLEXIBLE", "mysql_flexible")],
)
def test_azure_type_names_and_aliases_are_accepted(run_cli, given, kind):
    result = run_cli("policy-template", "--datasource", given, "--format", "json")
    assert result.code == 0
    assert result.json()["properties"]["datasourceTypes"] == [KINDS[kind].datasource_type]


def test_unknown_datasource_is_a_usage_error(run_cli):
    result = run_cli("policy-template", "--datasource", "cosmos")
    assert result.code == 2
    assert "unknown datasource 'cosmos'" in result.err and "aks, disk, blob" in result.err
    assert run_cli("policy-template").code == 2


def test_blob_template_is_hybrid_with_distinct_default_rule_names(run_cli):
    body = json.loads(run_cli("policy-template", "--datasource", "blob", "--format", "json").out)
    names = [r["name"] for r in body["properties"]["policyRules"]]
    assert names.count("Default") == 1 and "Default_OperationalStore" in names
