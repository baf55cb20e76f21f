"""The builder call that reproduces a policy: found for what the builders express (checked by rebuilding), None for
anything else."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_dataprotection.policy import builders
from pulumi_dataprotection.policy.builders import (
    Criteria,
    Retention,
    Schedule,
    TaggedRetention,
    first_of,
)
from pulumi_dataprotection.policy.reverse import builder_call
from pulumi_dataprotection.policy.schema import POLICY

CASES = {
    "aks hourly": builders.aks_policy(Schedule.hourly(4)),
    "aks with vault copies": builders.aks_policy(
        Schedule.hourly(6),
        Retention("P5D"),
        tagged=[TaggedRetention("Daily", "P7D", first_of("day"), vault_copy_keep_for="P30D")],
    ),
    "disk daily tagged": builders.disk_policy(
        Schedule.daily("03:30", time_zone="W. Europe Standard Time"),
        Retention("P14D"),
        tagged=[TaggedRetention("Weekly", "P8W", Criteria(days_of_week=("Monday",)), priority=15)],
    ),
    "adls monthly tag": builders.adls_policy(
        Schedule.daily("01:00"),
        Retention("P30D"),
        tagged=[TaggedRetention("Monthly", "P12M", Criteria(days_of_month=(1, "Last")))],
    ),
    "postgresql flexible": builders.postgresql_flexible_policy(),
}


def as_read_back(inputs: dict[str, Any]) -> dict[str, Any]:
    """The policy inputs as a lookup returns them (REST body and back)."""
    group = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg"
    vault = f"{group}/providers/Microsoft.DataProtection/backupVaults/bv-test"
    values = POLICY.from_rest(POLICY.to_rest({**inputs, "name": "p", "vault_id": vault}))
    return {k: values[k] for k in ("datasource_types", "policy_rules")}


@pytest.mark.parametrize("name", list(CASES))
def test_the_call_rebuilds_exactly_the_policy(name: str) -> None:
    inputs = as_read_back(CASES[name])
    found = builder_call(inputs)
    assert found is not None, name
    source, used = found
    namespace = {n: getattr(builders, n) for n in used}
    rebuilt = eval(source, namespace)
    assert POLICY.content_hash(rebuilt) == POLICY.content_hash(inputs)


def test_policies_no_builder_expresses_give_none() -> None:
    inputs = as_read_back(builders.aks_policy())
    inputs["policy_rules"].append(inputs["policy_rules"][1] | {"name": "Orphan", "is_default": False})
    assert builder_call(inputs) is None
    assert builder_call({"datasource_types": ["Microsoft.Unknown/things"], "policy_rules": []}) is None
