"""Policies Azure accepted pass our checks, and read back and render unchanged; what Azure refuses is refused.

The accepted bodies are the requests Terraform azurerm builds from its data protection acceptance configurations
(``internal/services/dataprotection/*_test.go``, which HashiCorp runs against real Azure): the ``complete``
configurations of the ADLS, PostgreSQL flexible and disk policies, the ``basic`` AKS policy (weekly schedule) and the
vaulted blob policy (``vaultBackup``). They tag ``weekly``, ``thursday``, ``monthly`` (ADLS, PostgreSQL flexible),
``Monthly``/``Yearly`` (disks) and ``Daily`` (blobs), which the az CLI's manifests do not list. A body read from
Azure (as ``import`` and ``refresh`` do) keeps what the typed inputs do not cover in ``raw``, so these tests also
show that ``raw`` passes only the rules Azure enforces.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from pulumi_dataprotection.policy.schema import POLICY
from tests.schema.samples import VAULT_ID

pytestmark = pytest.mark.usefixtures("no_network")

JSON = dict[str, Any]


def _store(name: str) -> JSON:
    return {"dataStoreType": name, "objectType": "DataStoreInfoBase"}


def _retention(name: str, *lives: tuple[str, str], default: bool = False) -> JSON:
    return {
        "isDefault": default,
        "lifecycles": [
            {
                "deleteAfter": {"duration": duration, "objectType": "AbsoluteDeleteOption"},
                "sourceDataStore": _store(store),
                "targetDataStoreCopySettings": [],
            }
            for duration, store in lives
        ],
        "name": name,
        "objectType": "AzureRetentionRule",
    }


def _tag(name: str, priority: int, **criteria: Any) -> JSON:
    tag: JSON = {"isDefault": name == "Default", "tagInfo": {"tagName": name}, "taggingPriority": priority}
    if criteria:
        tag["criteria"] = [{"objectType": "ScheduleBasedBackupCriteria", **criteria}]
    return tag


def _backup(store: str, backup_type: str, intervals: list[str], tags: list[JSON], time_zone: str = "") -> JSON:
    schedule: JSON = {"repeatingTimeIntervals": intervals}
    if time_zone:
        schedule["timeZone"] = time_zone
    return {
        "backupParameters": {"backupType": backup_type, "objectType": "AzureBackupParams"},
        "dataStore": _store(store),
        "name": "BackupRule",
        "objectType": "AzureBackupRule",
        "trigger": {
            "objectType": "ScheduleBasedTriggerContext",
            "schedule": schedule,
            "taggingCriteria": [_tag("Default", 99), *tags],
        },
    }


def _policy(datasource_type: str, rules: list[JSON]) -> JSON:
    return {
        "id": f"{VAULT_ID}/backupPolicies/acctest-dbp",
        "name": "acctest-dbp",
        "type": "Microsoft.DataProtection/backupVaults/backupPolicies",
        "properties": {"datasourceTypes": [datasource_type], "objectType": "BackupPolicy", "policyRules": rules},
    }


_WEEKLY_DATABASE_TAGS = [
    _tag("weekly", 20, absoluteCriteria=["FirstOfWeek"]),
    _tag("thursday", 25, daysOfTheWeek=["Thursday"], monthsOfYear=["November"], scheduleTimes=["2021-05-23T02:30:00Z"]),
    _tag(
        "monthly",
        30,
        weeksOfTheMonth=["First", "Last"],
        daysOfTheWeek=["Tuesday"],
        scheduleTimes=["2021-05-23T02:30:00Z"],
    ),
]


def _weekly_database(datasource_type: str, backup_type: str) -> JSON:
    """TF's ADLS and PostgreSQL flexible ``complete`` policies (the same three tags)."""
    return _policy(
        datasource_type,
        [
            _retention("weekly", ("P6M", "VaultStore")),
            _retention("thursday", ("P1W", "VaultStore")),
            _retention("monthly", ("P1D", "VaultStore")),
            _retention("Default", ("P4M", "VaultStore"), default=True),
            _backup("VaultStore", backup_type, ["R/2021-05-23T02:30:00+00:00/P1W"], _WEEKLY_DATABASE_TAGS),
        ],
    )


def _disk_complete() -> JSON:
    tags = [
        _tag(name, priority, absoluteCriteria=[criteria])
        for name, priority, criteria in (
            ("Daily", 25, "FirstOfDay"),
            ("Weekly", 20, "FirstOfWeek"),
            ("Monthly", 15, "FirstOfMonth"),
            ("Yearly", 10, "FirstOfYear"),
        )
    ]
    return _policy(
        "Microsoft.Compute/disks",
        [
            _backup(
                "OperationalStore",
                "Incremental",
                ["R/2021-05-19T06:33:16+00:00/PT4H"],
                tags,
                "W. Europe Standard Time",
            ),
            _retention("Default", ("P7D", "OperationalStore"), default=True),
            _retention("Daily", ("P7D", "OperationalStore")),
            _retention("Weekly", ("P7D", "OperationalStore")),
            _retention("Monthly", ("P6M", "OperationalStore")),
            _retention("Yearly", ("P1Y", "OperationalStore")),
        ],
    )


def _aks_weekly() -> JSON:
    daily = _tag(
        "Daily",
        25,
        daysOfTheWeek=["Thursday"],
        monthsOfYear=["November"],
        weeksOfTheMonth=["First"],
        scheduleTimes=["2021-05-23T02:30:00Z"],
    )
    return _policy(
        "Microsoft.ContainerService/managedClusters",
        [
            _backup("OperationalStore", "Incremental", ["R/2021-05-23T02:30:00+00:00/P1W"], [daily]),
            _retention("Default", ("P7D", "OperationalStore"), default=True),
            _retention("Daily", ("P84D", "OperationalStore")),
        ],
    )


def _blob_hybrid(operational_default: str) -> JSON:
    """TF's ``vaultBackup`` blob policy: operational and vaulted backup, ``Monthly`` on days 1, 2 and the last
    (Terraform writes the last day as ``{"date": 0, "isLast": true}``) and ``Daily``."""
    tags = [
        _tag("Monthly", 15, daysOfMonth=[{"date": 1, "isLast": False}, {"date": 0, "isLast": True}]),
        _tag(
            "Daily",
            25,
            daysOfTheWeek=["Thursday"],
            monthsOfYear=["November"],
            weeksOfTheMonth=["First"],
            scheduleTimes=["2024-05-08T02:30:00Z"],
        ),
    ]
    return _policy(
        "Microsoft.Storage/storageAccounts/blobServices",
        [
            _retention(operational_default, ("P30D", "OperationalStore"), default=True),
            _backup("VaultStore", "Discrete", ["R/2024-05-08T11:30:00+00:00/P1W"], tags),
            _retention("Default", ("P7D", "VaultStore"), default=True),
            _retention("Monthly", ("P6M", "VaultStore")),
            _retention("Daily", ("P7D", "VaultStore")),
        ],
    )


ACCEPTED: dict[str, JSON] = {
    "adls complete (weekly, thursday, monthly tags)": _weekly_database(
        "Microsoft.Storage/storageAccounts/adlsBlobServices", "Discrete"
    ),
    "postgresql flexible complete (weekly, thursday, monthly tags)": _weekly_database(
        "Microsoft.DBforPostgreSQL/flexibleServers", "Full"
    ),
    "mysql flexible (weekly, thursday, monthly tags)": _weekly_database("Microsoft.DBforMySQL/flexibleServers", "Full"),
    "disk complete (Monthly, Yearly tags)": _disk_complete(),
    "aks basic (P1W schedule)": _aks_weekly(),
    "blob vaultBackup (Daily tag, last day as date 0)": _blob_hybrid("Default_OperationalStore"),
}


@pytest.mark.parametrize("body", list(ACCEPTED.values()), ids=list(ACCEPTED))
def test_policies_azure_accepted_pass_check_and_round_trip(body: JSON) -> None:
    values = POLICY.from_rest(body)
    assert POLICY.render(values, include_outputs=True) == body
    inputs = POLICY.inputs_of(values)
    assert POLICY.check(inputs).failures == []
    assert POLICY.to_rest(inputs) == {"properties": body["properties"]}


def test_raw_carries_what_typed_inputs_do_not_and_is_checked_only_by_azure_rules() -> None:
    """A field the typed inputs do not describe (here a future ``properties.retentionPolicy``) travels in raw and
    does not trip the typed rules; the rest of the body still follows them."""
    body = copy.deepcopy(ACCEPTED["adls complete (weekly, thursday, monthly tags)"])
    body["properties"]["retentionPolicy"] = {"mode": "Preview"}
    values = POLICY.from_rest(body)
    assert values["raw"] == {"properties": {"retentionPolicy": {"mode": "Preview"}}}
    inputs = POLICY.inputs_of(values)
    assert POLICY.check(inputs).failures == []
    assert POLICY.to_rest(inputs)["properties"]["retentionPolicy"] == {"mode": "Preview"}


def test_hybrid_blob_policy_with_two_default_rules_is_refused_as_azure_refuses_it() -> None:
    """Terraform's vaultBackup policy as Terraform 5.6 still sends it (both default rules named ``Default``): Azure
    refuses it since 2026-09 with 400 BMSUserErrorInvalidInput (hashicorp/terraform-provider-azurerm#33470,
    #33493), so the preview names the rule and what to call it."""
    inputs = POLICY.inputs_of(POLICY.from_rest(_blob_hybrid("Default")))
    failures = POLICY.check(inputs).failures
    assert [f.property for f in failures] == ["policy_rules[0].name"]
    assert "'Default_OperationalStore'" in failures[0].reason
    assert "BMSUserErrorInvalidInput" in failures[0].reason


def test_operational_only_blob_policy_keeps_its_default_rule_named_default() -> None:
    """The naming rule is about hybrid policies: the recorded operational-only blob policies name their one rule
    Default (azure-cli-extensions recordings) and TF's ``basic`` blob policy does too."""
    body = _policy(
        "Microsoft.Storage/storageAccounts/blobServices",
        [_retention("Default", ("P30D", "OperationalStore"), default=True)],
    )
    assert POLICY.check(POLICY.inputs_of(POLICY.from_rest(body))).failures == []


@pytest.mark.parametrize(
    ("day", "ok"),
    [
        ({"date": 0, "isLast": True}, True),
        ({"isLast": True}, True),
        ({"date": 28}, True),
        ({"date": 0}, False),
        ({"date": 5, "isLast": True}, False),
        ({"date": 29}, False),
    ],
)
def test_days_of_month(day: JSON, ok: bool) -> None:
    body = _blob_hybrid("Default_OperationalStore")
    body["properties"]["policyRules"][1]["trigger"]["taggingCriteria"][1]["criteria"][0]["daysOfMonth"] = [day]
    failures = POLICY.check(POLICY.inputs_of(POLICY.from_rest(body))).failures
    assert (failures == []) is ok, failures
