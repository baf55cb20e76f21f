"""Cosmos DB policies: the builder lays out a weekly full and a daily incremental backup rule as Terraform sends them
(api-version 2026-06-01), the schema allows those two rules for this kind only and refuses incremental-only ones."""

from __future__ import annotations

from typing import Any

from pulumi_dataprotection.policy.builders import Retention, cosmos_db_policy, mysql_flexible_policy
from pulumi_dataprotection.policy.schema import POLICY
from tests.support.spec import Spec

VAULT_ID = (
    "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/"
    "Microsoft.DataProtection/backupVaults/vault-1"
)


def _inputs(policy: Any) -> dict[str, Any]:
    return {"name": "p", "vault_id": VAULT_ID, **policy}


def _reasons(policy: Any) -> list[str]:
    return [f.reason for f in POLICY.check(_inputs(policy)).failures]


def test_weekly_full_and_incremental_on_the_other_days(spec: Spec) -> None:
    inputs = cosmos_db_policy("Wednesday", "03:30", Retention("P6M"), time_zone="UTC")
    assert not _reasons(inputs)
    body = POLICY.to_rest(_inputs(inputs))
    spec.assert_valid("BaseBackupPolicyResource", body)
    assert body["properties"]["datasourceTypes"] == ["Microsoft.DocumentDB/databaseAccounts"]
    full, incremental = (r for r in body["properties"]["policyRules"] if r["objectType"] == "AzureBackupRule")
    assert (full["name"], full["backupParameters"]["backupType"]) == ("BackupWeekly", "Full")
    assert (incremental["name"], incremental["backupParameters"]["backupType"]) == (
        "BackupWeeklyIncremental",
        "Incremental",
    )
    assert {full["dataStore"]["dataStoreType"], incremental["dataStore"]["dataStoreType"]} == {"VaultStore"}
    full_times = full["trigger"]["schedule"]["repeatingTimeIntervals"]
    incremental_times = incremental["trigger"]["schedule"]["repeatingTimeIntervals"]
    assert full_times == ["R/2024-01-03T03:30:00+00:00/P1W"]  # the first Wednesday from 2024-01-01
    assert len(incremental_times) == 6 and all(t.endswith("T03:30:00+00:00/P1W") for t in incremental_times)
    assert "2024-01-03" not in " ".join(incremental_times)
    assert full["trigger"]["schedule"]["timeZone"] == incremental["trigger"]["schedule"]["timeZone"] == "UTC"


def test_daily_incremental_can_be_left_out() -> None:
    inputs = cosmos_db_policy(daily_incremental=False)
    assert not _reasons(inputs)
    assert [r["name"] for r in inputs["policy_rules"] if r["object_type"] == "AzureBackupRule"] == ["BackupWeekly"]


def test_incremental_only_and_a_third_backup_rule_are_refused() -> None:
    inputs = cosmos_db_policy()
    full, incremental = inputs["policy_rules"][:2]
    only_incremental = {**inputs, "policy_rules": [r for r in inputs["policy_rules"] if r is not full]}
    assert any("backup_type Full" in r for r in _reasons(only_incremental))
    third = {**incremental, "name": "Another"}
    three = {**inputs, "policy_rules": [*inputs["policy_rules"], third]}
    assert any("may hold 2 backup rules for Cosmos DB account policies; got 3" in r for r in _reasons(three))


def test_other_kinds_still_hold_one_backup_rule() -> None:
    inputs = mysql_flexible_policy()
    backup = inputs["policy_rules"][0]
    two = {**inputs, "policy_rules": [*inputs["policy_rules"], {**backup, "name": "Second"}]}
    assert any("may hold one backup rule" in r for r in _reasons(two))
