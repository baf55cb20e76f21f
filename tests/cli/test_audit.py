"""`audit`: reports from stack exports in Markdown, JSON and HTML, findings, exit codes and tolerance of odd exports."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from pulumi_dataprotection.audit import RULES, Severity, build_report, parse_export
from pulumi_dataprotection.cli.policy_template import recommended_inputs
from pulumi_dataprotection.instance.schema import INSTANCE
from pulumi_dataprotection.policy.schema import POLICY, summarize
from pulumi_dataprotection.vault.schema import VAULT
from tests.cli import exports as ex
from tests.cli.conftest import DISK_ID, weak_document

WEAK_GATING_HIGH = {
    ("vault-soft-delete-off", "vault-weak"),
    ("instance-not-protected", "bi-disk-1"),
    ("instance-delete-unrecoverable", "bi-disk-1"),
}


def _codes(report: dict[str, Any]) -> set[tuple[str, str]]:
    return {(f["code"], f["resource"]) for f in report["findings"]}


def test_markdown_report_of_weak_stack_fails_at_high(run_cli, weak_export):
    result = run_cli("audit", str(weak_export))
    assert result.code == 1
    md = result.out
    assert md.startswith("# Backup compliance report: stack prod, project backup-infra")
    assert "- Findings: 3 high, 4 medium, 2 low, 4 info" in md
    assert "**FAIL: 3 finding(s) at or above high**" in md
    # vault settings, production tag and HTML in a tag value neutralized
    vault_row = "| vault-weak | westeurope | LocallyRedundant (production) | Off | Disabled | Disabled |"
    assert f"{vault_row} Microsoft-managed keys |" in md
    assert "team=&lt;b&gt;payments&lt;/b&gt;" in md and "<b>payments" not in md
    # policies: schedule and retention in words, the unused one, the operational-only blob policy
    assert (
        "every 4 hours from 00:00 (UTC), incremental backup to OperationalStore | all backups: kept 7 days in "
        "OperationalStore | bi-disk-1 |" in md
    )
    assert "continuous (operational backup, no schedule) | all backups: kept 30 days in OperationalStore | none |" in md
    assert (
        "weekly on Sunday at 02:00 (UTC), full backup to VaultStore | all backups: kept 3 months in VaultStore<br>"
        "Monthly backups (the first backup of each month): kept 1 year in VaultStore" in md
    )
    # instances: protection error with Azure's code and recommended action, on_delete
    assert (
        "| ProtectionError: UserErrorMSIMissingPermissions: Appropriate permissions to perform the operation is "
        "missing. (recommended: Grant the backup vault's managed identity the Disk Backup Reader role on the disk.) "
        "| Delete |" in md
    )
    assert (
        "| bi-disk-2 | vault-weak | managed disk: " in md
        and "| shared-disk-policy | ProtectionConfigured | Suspend |" in md
    )
    # the resource without outputs is listed with unknowns, not a crash
    assert "| vault-orphan | unknown | unknown | unknown | unknown | unknown | unknown | unknown |" in md
    assert "| nightly-extra | bi-disk-1 | " in md and "| Completed |" in md
    # the pending deletion and other packages' resources are left out
    assert "disk-old" not in md and "ResourceGroup" not in md
    # the gate is summarized on stderr
    assert "result: FAIL (3 at or above high)" in result.err
    assert "high   vault vault-weak: soft delete is Off [vault-soft-delete-off]" in result.err


def test_json_report_has_rows_findings_and_result(run_cli, weak_export):
    result = run_cli("audit", str(weak_export), "--format", "json", "--fail-on", "medium")
    assert result.code == 1
    report = result.json()
    assert report["project"] == "backup-infra" and report["stack"] == "prod"
    assert report["settings"] == {"min_retention_days": 30, "fail_on": "medium"}
    assert report["result"] == {
        "passed": False,
        "gating_findings": 7,
        "counts": {"high": 3, "medium": 4, "low": 2, "info": 4},
    }
    codes = _codes(report)
    assert codes >= WEAK_GATING_HIGH
    assert {
        ("vault-immutability-disabled", "vault-weak"),
        ("vault-lrs-production", "vault-weak"),
        ("instance-protection-pending", "bi-aks-new"),
        ("vault-no-cmk", "vault-weak"),
        ("policy-unused", "blob-unused-9302a6d7"),
        ("instance-policy-outside-export", "bi-disk-2"),
        ("evidence-missing", "vault-orphan"),
    } <= codes
    short = next(f for f in report["findings"] if f["code"] == "policy-short-retention")
    assert short["severity"] == "medium" and short["message"] == (
        "longest retention is 7 days, below the 30-day threshold"
    )
    assert report["skipped"] == {"other_resources": 3, "pending_deletion": 1}
    vault = report["vaults"][0]
    assert vault["production"] is True and vault["soft_delete_state"] == "Off"
    assert vault["cross_region_restore_state"] == "Disabled"  # read back from Azure without the setting
    disk = next(i for i in report["instances"] if i["name"] == "bi-disk-1")
    assert disk["protection_state"] == "ProtectionError" and disk["on_delete"] == "Delete"
    assert disk["datasource_type"] == "Microsoft.Compute/disks"
    policy = next(p for p in report["policies"] if p["name"].startswith("pg-legacy"))
    assert policy["longest_retention_days"] == 365 and policy["used_by"] == ["bi-pg-legacy"]
    assert (
        policy["summary"] == "weekly on Sunday to VaultStore, kept 3 months; monthly copies kept 1 year in VaultStore"
    )


def test_html_report_is_escaped_and_self_contained(run_cli, weak_export, tmp_path):
    target = tmp_path / "report.html"
    result = run_cli("audit", str(weak_export), "--format", "html", "--output", str(target))
    assert result.code == 1
    assert result.out == ""
    assert f"wrote the html report to {target}" in result.err
    page = target.read_text()
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</body></html>")
    assert '<strong class="fail">FAIL: 3 finding(s) at or above high</strong>' in page
    assert '<td><span class="sev sev-high">high</span></td><td>vault-soft-delete-off</td>' in page
    assert "team=&lt;b&gt;payments&lt;/b&gt;" in page and "<b>payments" not in page
    assert "<h2>Backup instances</h2>" in page
    assert "<link" not in page and "<script" not in page


def test_secrets_and_provider_blob_never_printed(run_cli, weak_export):
    for fmt in ("markdown", "json", "html"):
        result = run_cli("audit", str(weak_export), "--format", fmt)
        assert ex.CIPHERTEXT not in result.out + result.err
        assert ex.SECRET_MARK not in result.out + result.err
        assert ex.PROVIDER_BLOB not in result.out + result.err


def test_compliant_stack_passes_even_at_info(run_cli, compliant_export):
    result = run_cli("audit", str(compliant_export), "--format", "json", "--fail-on", "info")
    assert result.code == 0, result.err
    report = result.json()
    assert report["findings"] == []
    assert report["result"]["passed"] is True
    vault = report["vaults"][0]
    assert vault["encryption"] == (
        "customer-managed key https://kv-backup.vault.azure.net/keys/backup-key via SystemAssigned"
    )
    assert vault["immutability_state"] == "Locked" and vault["soft_delete_retention_days"] == 30
    aks_policy = next(p for p in report["policies"] if p["datasource"] == "AKS cluster")
    assert aks_policy["longest_retention_days"] == 30
    assert aks_policy["data_stores"] == ["OperationalStore", "VaultStore"]
    assert "result: PASS (no finding at or above info)" in result.err


def test_fail_on_thresholds_and_none(run_cli, weak_export):
    assert run_cli("audit", str(weak_export), "--fail-on", "none").code == 0
    assert run_cli("audit", str(weak_export), "--fail-on", "high").code == 1


def test_gate_follows_the_highest_severity():
    document = weak_document()
    resources = document["deployment"]["resources"]
    document["deployment"]["resources"] = [r for r in resources if not r["urn"].endswith(("vault-weak", "bi-disk-1"))]
    export = parse_export(document)
    assert build_report(export, fail_on=Severity.HIGH).passed
    assert not build_report(export, fail_on=Severity.MEDIUM).passed
    assert build_report(export, fail_on=None).passed


def test_min_retention_threshold(run_cli, weak_export):
    lenient = run_cli("audit", str(weak_export), "--format", "json", "--min-retention-days", "7")
    assert "policy-short-retention" not in {f["code"] for f in lenient.json()["findings"]}
    strict = run_cli("audit", str(weak_export), "--format", "json", "--min-retention-days", "400")
    flagged = {f["resource"] for f in strict.json()["findings"] if f["code"] == "policy-short-retention"}
    assert flagged == {"disk-short-5ed667a4", "blob-unused-9302a6d7", "pg-legacy-c3acd1b6"}


def test_reads_stdin(run_cli, weak_export, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(weak_export.read_text()))
    result = run_cli("audit", "-", "--format", "json", "--fail-on", "none")
    assert result.code == 0
    assert result.json()["source"] == "<stdin>"


def test_checkpoint_and_bare_deployment_shapes(run_cli, tmp_path):
    deployment = weak_document()["deployment"]
    for name, document in (
        ("checkpoint.json", {"version": 3, "checkpoint": {"latest": deployment}}),
        ("bare.json", deployment),
    ):
        path = tmp_path / name
        path.write_text(json.dumps(document))
        result = run_cli("audit", str(path), "--format", "json", "--fail-on", "none")
        assert result.code == 0
        assert len(result.json()["instances"]) == 4


def test_vault_read_back_without_immutability_or_crr_settings_has_them_disabled(run_cli, tmp_path):
    """Azure omits immutabilitySettings and crossRegionRestoreSettings of a vault that never had them."""
    inputs = {
        "name": "bv-new",
        "resource_group_name": "rg",
        "location": "westeurope",
        "redundancy": "GeoRedundant",
        "soft_delete_state": "AlwaysOn",
        "soft_delete_retention_days": 14,
    }
    path = tmp_path / "new.json"
    path.write_text(json.dumps(ex.stack_export(ex.vault(inputs))))
    report = run_cli("audit", str(path), "--format", "json", "--fail-on", "none").json()
    assert report["vaults"][0]["immutability_state"] == "Disabled"
    assert report["vaults"][0]["cross_region_restore_state"] == "Disabled"
    codes = _codes(report)
    assert {("vault-immutability-disabled", "bv-new"), ("vault-geo-without-crr", "bv-new")} <= codes
    assert ("evidence-missing", "bv-new") not in codes


def test_outputs_missing_everywhere_is_unknown_not_a_crash(run_cli, tmp_path):
    document = ex.stack_export(
        ex.bare("BackupVault", "v1"),
        ex.bare("BackupPolicy", "p1", f"{ex.vault_id('v1')}/backupPolicies/p1"),
        ex.bare("BackupInstance", "bi1"),
        ex.bare("AdhocBackup", "now"),
    )
    document["deployment"]["resources"].append(
        {"urn": ex.urn(f"{ex.DP}:RestoreJob", "r"), "type": f"{ex.DP}:RestoreJob", "outputs": {}}
    )
    path = tmp_path / "sparse.json"
    path.write_text(json.dumps(document))
    result = run_cli("audit", str(path), "--format", "json")
    assert result.code == 0
    report = result.json()
    assert {(f["code"], f["resource"]) for f in report["findings"]} == {
        ("evidence-missing", "v1"),
        ("evidence-missing", "p1"),
        ("evidence-missing", "bi1"),
        ("policy-unused", "p1"),
    }
    assert report["instances"][0]["protection_state"] is None
    assert report["skipped"]["unknown_dataprotection_types"] == 1
    markdown = run_cli("audit", str(path)).out
    assert "| bi1 | unknown | unknown: unknown | unknown | unknown | unknown |" in markdown


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("{not json", "is not JSON"),
        ('{"hello": "world"}', "no deployment found"),
        ("[1, 2]", "a stack export is a JSON object"),
    ],
)
def test_unusable_inputs_exit_2(run_cli, tmp_path, content, message):
    path = tmp_path / "export.json"
    if content is not None:
        path.write_text(content)
    result = run_cli("audit", str(path))
    assert result.code == 2
    assert message in result.err and "error:" in result.err


def test_usage_errors(run_cli):
    assert run_cli("audit").code == 2
    bad = run_cli("audit", "x.json", "--fail-on", "critical")
    assert bad.code == 2 and "invalid choice" in bad.err


def test_benchmark_rules_name_their_control():
    inputs = {**BASE_VAULT, "cross_subscription_restore_state": "Enabled", "infrastructure_encryption": "Disabled"}
    report = build_report(parse_export(ex.stack_export(ex.vault(inputs, provisioning_state="Succeeded"))))
    texts = {f.code: f.recommendation for f in report.findings}
    assert (
        "Control: Azure Policy built-in '[Preview]: Disable Cross Subscription Restore for Backup Vaults'"
        in (texts["vault-cross-subscription-restore"])
    )
    assert (
        "Control: CIS Microsoft Azure Foundations Benchmark v1.5.0 recommendation 3.2"
        in (texts["vault-infrastructure-encryption-off"])
    )


def test_rule_catalog_lists_every_rule_with_severity(run_cli):
    result = run_cli("audit", "--list-rules")
    assert result.code == 0
    for rule in RULES.values():
        assert rule.code in result.out
    assert "vault-soft-delete-off" in result.out and "high" in result.out


def test_report_from_a_file_path_object(tmp_path: Path, weak_export: Path):
    from pulumi_dataprotection.audit import load_export

    export = load_export(weak_export)
    assert [r.name for r in export.of_kind("vault")] == ["vault-weak", "vault-orphan"]
    assert export.pending_deletion == 1 and export.other_resources == 3
    assert all("__provider" not in r.outputs for r in export.resources)


def test_export_built_from_emulator_responses(run_cli, emulator_stack, tmp_path):
    """Outputs read back (`from_rest`) from what the emulator answers, as the resources record them."""
    resources = []
    for schema, type_, path in (
        (VAULT, "BackupVault", emulator_stack.vault_id),
        (POLICY, "BackupPolicy", emulator_stack.disk_policy_id),
        (INSTANCE, "BackupInstance", emulator_stack.disk_instance_id),
    ):
        body = emulator_stack.arm.get(path).json()
        values = schema.from_rest(body)
        outputs = {**values, "arm_id": body["id"], "api_version": ex.API_VERSION}
        if type_ == "BackupInstance":
            outputs.update(protection_state=body["properties"]["currentProtectionState"], on_delete="Delete")
        if type_ == "BackupPolicy":
            outputs["summary"] = summarize(values)
        resources.append(ex.resource(type_, body["name"], body["id"], schema.inputs_of(values), outputs))
    path = tmp_path / "emulated.json"
    path.write_text(json.dumps(ex.stack_export(*resources)))
    result = run_cli("audit", str(path), "--format", "json")
    assert result.code == 0, result.out
    report = result.json()
    assert report["vaults"][0]["redundancy"] == "LocallyRedundant"
    assert report["vaults"][0]["soft_delete_state"] == "AlwaysOn"
    assert report["vaults"][0]["principal_id"]
    assert report["instances"][0]["protection_state"] == "ProtectionConfigured"
    assert report["instances"][0]["policy"] == "disk-default"
    assert report["policies"][0]["used_by"] == ["bi-disk"]
    codes = {f["code"] for f in report["findings"]}
    assert "instance-not-protected" not in codes and "policy-short-retention" not in codes
    assert {"vault-lrs", "instance-delete-on-destroy"} <= codes
    delete = next(f for f in report["findings"] if f["code"] == "instance-delete-on-destroy")
    assert delete["message"] == "on_delete Delete (soft delete keeps them 14 days)"


BASE_VAULT = {
    "name": "v1",
    "resource_group_name": "rg-backup",
    "location": "westeurope",
    "redundancy": "ZoneRedundant",
    "identity_type": "SystemAssigned",
    "soft_delete_state": "AlwaysOn",
    "soft_delete_retention_days": 14,
    "immutability_state": "Locked",
    "encryption_key_uri": "https://kv.vault.azure.net/keys/k",
}


@pytest.mark.parametrize(
    ("changes", "provisioning_state", "expected"),
    [
        ({}, "Succeeded", set()),
        ({"soft_delete_state": "On"}, "Succeeded", {("vault-soft-delete-reversible", "low")}),
        ({"immutability_state": "Unlocked"}, "Succeeded", {("vault-immutability-unlocked", "low")}),
        ({"identity_type": "None"}, "Succeeded", {("vault-no-identity", "medium")}),
        ({"redundancy": "LRS"}, "Succeeded", {("vault-lrs", "info")}),
        ({"redundancy": "LRS", "tags": {"Env": "PRD"}}, "Succeeded", {("vault-lrs-production", "medium")}),
        (
            {"redundancy": "GeoRedundant", "cross_region_restore_state": "Disabled"},
            "Succeeded",
            {("vault-geo-without-crr", "info")},
        ),
        ({}, "Failed", {("vault-not-provisioned", "medium")}),
        (
            {"cross_subscription_restore_state": "Enabled"},
            "Succeeded",
            {("vault-cross-subscription-restore", "medium")},
        ),
        ({"cross_subscription_restore_state": "PermanentlyDisabled"}, "Succeeded", set()),
        ({"infrastructure_encryption": "Disabled"}, "Succeeded", {("vault-infrastructure-encryption-off", "low")}),
        ({"infrastructure_encryption": "Enabled"}, "Succeeded", set()),
    ],
)
def test_each_vault_rule_fires_on_its_setting(changes, provisioning_state, expected):
    inputs = {**BASE_VAULT, **changes}
    document = ex.stack_export(ex.vault(inputs, provisioning_state=provisioning_state))
    report = build_report(parse_export(document))
    assert {(f.code, f.severity.value) for f in report.findings} == expected


@pytest.mark.parametrize(
    ("state", "on_delete", "expected"),
    [
        ("ProtectionStopped", "Retain", {("instance-not-protected", "high")}),
        ("BackupsSuspended", "Suspend", {("instance-not-protected", "high")}),
        ("UpdatingProtection", "StopProtectionRetainData", {("instance-protection-pending", "medium")}),
        ("ProtectionConfigured", "Delete", {("instance-delete-on-destroy", "low")}),
    ],
)
def test_instance_rules(state, on_delete, expected):
    vault = ex.vault(BASE_VAULT)
    policy = ex.policy("disk-default", "v1", recommended_inputs("disk"))
    fields = {"datasource_kind": "disk", "datasource_id": DISK_ID, "snapshot_resource_group_id": ex.SNAPSHOT_RG}
    inst = ex.instance("bi1", "v1", policy, fields, protection_state=state, on_delete=on_delete)
    report = build_report(parse_export(ex.stack_export(vault, policy, inst)))
    assert {(f.code, f.severity.value) for f in report.findings} == expected


AKS = "/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks-1"


def test_an_instance_whose_delete_an_immutable_vault_refuses_is_a_finding() -> None:
    """Issue 24: instances with on_delete=Delete failed at destroy in an immutable vault; audit said nothing."""
    from pulumi_dataprotection.policy.builders import Retention, Schedule, aks_policy

    vault = ex.vault(BASE_VAULT)
    vaulted = aks_policy(Schedule.hourly(4), Retention("P7D", vault_copy_keep_for="P30D"))
    policy = ex.policy("aks-vaulted", "v1", dict(vaulted))
    fields = {
        "datasource_kind": "aks",
        "datasource_id": DISK_ID.split("/resourceGroups/")[0] + AKS,
        "snapshot_resource_group_id": ex.SNAPSHOT_RG,
    }
    codes = {}
    for on_delete in ("Delete", "StopProtectionRetainData"):
        inst = ex.instance("bi1", "v1", policy, fields, protection_state="ProtectionConfigured", on_delete=on_delete)
        report = build_report(parse_export(ex.stack_export(vault, policy, inst)))
        codes[on_delete] = {f.code for f in report.findings}
    assert "instance-delete-immutable" in codes["Delete"]
    assert "instance-delete-immutable" not in codes["StopProtectionRetainData"]
