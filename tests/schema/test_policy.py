"""Policy builders, the one-line summary and content-addressed names."""

from __future__ import annotations

import pytest

from pulumi_dataprotection.policy.builders import (
    ArchiveTier,
    Criteria,
    Retention,
    Schedule,
    TaggedRetention,
    aks_policy,
    blob_operational_policy,
    blob_vaulted_policy,
    build_policy,
    first_of,
)
from pulumi_dataprotection.policy.schema import POLICY, content_name, summarize
from tests.schema.samples import VAULT_ID, policy_inputs


def test_schedules() -> None:
    assert Schedule.hourly(6).intervals == ("R/2024-01-01T00:00:00+00:00/PT6H",)
    assert Schedule.hourly(6).rule_name == "BackupHourly"
    assert Schedule.daily("07:30", time_zone="UTC") == Schedule(("R/2024-01-01T07:30:00+00:00/P1D",), "UTC")
    weekly = Schedule.weekly(["Sunday", "wednesday"], "06:30", start_date="2021-08-10")
    assert weekly.intervals == ("R/2021-08-15T06:30:00+00:00/P1W", "R/2021-08-11T06:30:00+00:00/P1W")
    assert weekly.rule_name == "BackupWeekly"
    with pytest.raises(ValueError, match="every_hours must be 1, 2, 4, 6, 8 or 12"):
        Schedule.hourly(5)
    with pytest.raises(ValueError, match="day must be one of"):
        Schedule.weekly(["Funday"])
    with pytest.raises(ValueError, match="HH:MM"):
        Schedule.daily("7pm")
    with pytest.raises(ValueError, match="datasource must be one of"):
        build_policy("vm", schedule=None, retention=Retention("P7D"))


def test_aks_policy_with_a_vault_tier_copy_matches_what_the_cli_sends() -> None:
    built = aks_policy(
        Schedule.custom("R/2023-01-04T09:00:00+00:00/PT4H"),
        tagged=[TaggedRetention("Daily", "P7D", first_of("day"), vault_copy_keep_for="P84D")],
    )
    body = POLICY.to_rest({"name": "akspolicy", "vault_id": VAULT_ID, **built})
    rules = {rule["name"]: rule for rule in body["properties"]["policyRules"]}
    assert rules["BackupHourly"]["trigger"]["taggingCriteria"][1] == {
        "tagInfo": {"tagName": "Daily"},
        "taggingPriority": 25,
        "isDefault": False,
        "criteria": [{"absoluteCriteria": ["FirstOfDay"], "objectType": "ScheduleBasedBackupCriteria"}],
    }
    assert rules["Daily"]["lifecycles"] == [
        {
            "deleteAfter": {"duration": "P7D", "objectType": "AbsoluteDeleteOption"},
            "sourceDataStore": {"dataStoreType": "OperationalStore", "objectType": "DataStoreInfoBase"},
            "targetDataStoreCopySettings": [
                {
                    "copyAfter": {"objectType": "ImmediateCopyOption"},
                    "dataStore": {"dataStoreType": "VaultStore", "objectType": "DataStoreInfoBase"},
                }
            ],
        },
        {
            "deleteAfter": {"duration": "P84D", "objectType": "AbsoluteDeleteOption"},
            "sourceDataStore": {"dataStoreType": "VaultStore", "objectType": "DataStoreInfoBase"},
        },
    ]


def test_blob_rule_names_per_datastore() -> None:
    operational = blob_operational_policy("P30D")["policy_rules"]
    assert [(r["name"], r["lifecycles"][0]["source_data_store"]) for r in operational] == [
        ("Default", "OperationalStore")
    ]
    hybrid = blob_vaulted_policy(operational_keep_for="P14D")["policy_rules"]
    assert [r["name"] for r in hybrid] == ["BackupDaily", "Default_OperationalStore", "Default"]
    assert hybrid[0]["backup_type"] == "Discrete" and hybrid[0]["data_store"] == "VaultStore"


def test_archive_tier_copies() -> None:
    built = build_policy(
        "postgresql_flexible",
        schedule=Schedule.weekly(),
        retention=Retention("P3M", archive=ArchiveTier("P1Y")),
        tagged=[
            TaggedRetention(
                "Yearly",
                "P10Y",
                Criteria(days_of_month=("Last",), months_of_year=("December",)),
                archive=ArchiveTier("P10Y", after="P1Y"),
            )
        ],
    )
    default = built["policy_rules"][1]["lifecycles"]
    assert default[0]["target_data_store_copy_settings"] == [
        {"copy_after": {"object_type": "CopyOnExpiryOption"}, "data_store": "ArchiveStore"}
    ]
    assert default[1] == {"delete_after": "P1Y", "source_data_store": "ArchiveStore"}
    yearly = built["policy_rules"][2]["lifecycles"][0]["target_data_store_copy_settings"][0]
    assert yearly["copy_after"] == {"object_type": "CustomCopyOption", "duration": "P1Y"}
    assert built["policy_rules"][0]["tagging_criteria"][1]["criteria"] == [
        {"days_of_month": [{"is_last": True}], "months_of_year": ["December"]}
    ]
    assert POLICY.check({"name": "p", "vault_id": VAULT_ID, **built}).failures == []


@pytest.mark.parametrize(
    ("sample", "summary"),
    [
        (
            "aks_hourly",
            "every 4 h to OperationalStore, kept 7 days; daily copies kept 7 days in OperationalStore, "
            "copied to VaultStore, then kept 84 days in VaultStore",
        ),
        ("blob_operational", "continuous backup, kept 30 days in OperationalStore"),
        ("blob_hybrid", "daily to VaultStore, kept 30 days; continuous backup, kept 14 days in OperationalStore"),
        ("disk_hourly", "every 2 h to OperationalStore, kept 7 days; weekly copies kept 4 weeks in OperationalStore"),
        (
            "postgresql",
            "weekly on Sunday, Wednesday to VaultStore, kept 3 months, copied to ArchiveStore, then kept 1 year "
            "in ArchiveStore; "
            "monthly copies kept 12 months in VaultStore, copied to ArchiveStore, then kept 3 years in ArchiveStore",
        ),
        ("blob_vaulted", "weekly on Saturday to VaultStore, kept 8 weeks; yearly copies kept 5 years in VaultStore"),
    ],
)
def test_summary(sample: str, summary: str) -> None:
    assert summarize(POLICY.check(policy_inputs(sample)).inputs) == summary


def test_content_name() -> None:
    inputs = policy_inputs("disk_daily")
    name = content_name("disk", inputs)
    assert name.startswith("disk-") and len(name) == len("disk-") + 8
    assert (
        content_name("disk", {**inputs, "name": "whatever", "vault_id": VAULT_ID.replace("vault-1", "vault-2")}) == name
    )
    longer = {
        **inputs,
        "policy_rules": [
            inputs["policy_rules"][0],
            {
                **inputs["policy_rules"][1],
                "lifecycles": [{"delete_after": "P8D", "source_data_store": "OperationalStore"}],
            },
        ],
    }
    assert content_name("disk", longer) != name
    assert content_name("disk", {**inputs, "policy_rules": list(reversed(inputs["policy_rules"]))}) == name
