"""Mistakes Azure refuses (or that leave a datasource unprotected) caught by the preview's check: each names the
property and what to do."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_dataprotection.instance.schema import INSTANCE, check_vault_match
from pulumi_dataprotection.policy.builders import Retention, Schedule, TaggedRetention, aks_policy, first_of
from pulumi_dataprotection.policy.schema import POLICY
from pulumi_dataprotection.schema.kubernetes import selector_problem
from pulumi_dataprotection.vault.schema import values_for_instances
from tests.schema.samples import UAMI, VAULT_ID, instance_inputs


def failures(inputs: dict[str, Any]) -> list[tuple[str, str]]:
    return [(f.property, f.reason) for f in INSTANCE.check(inputs).failures]


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("included_namespaces", ["Shop_NS"], "included_namespaces[0]"),
        ("excluded_namespaces", ["-tmp"], "excluded_namespaces[0]"),
        ("included_namespaces", ["a" * 64], "included_namespaces[0]"),
        ("backup_hook_references", [{"name": "freeze", "namespace": "Orders"}], "backup_hook_references[0].namespace"),
    ],
)
def test_a_namespace_kubernetes_cannot_hold_is_refused(field: str, value: Any, named: str) -> None:
    ((prop, reason),) = failures({**instance_inputs("aks"), field: value})
    assert prop == named and "Kubernetes namespace name" in reason


def test_more_than_800_namespaces_are_refused() -> None:
    names = [f"ns-{i}" for i in range(801)]
    ((prop, reason),) = failures({**instance_inputs("aks"), "included_namespaces": names})
    assert prop == "included_namespaces" and "800" in reason


@pytest.mark.parametrize(
    ("selector", "problem"),
    [
        ("app in (a,b", "has a '(' that is not closed"),
        ("app=we b", "cannot read the requirement 'app=we b'"),
        ("app in (a,(b))", "has a '(' inside a set of values"),
        ("a)", "has a ')' without its '('"),
        ("app=web,", "is empty"),
    ],
)
def test_a_malformed_label_selector_is_refused(selector: str, problem: str) -> None:
    assert selector_problem(selector) == problem
    ((prop, reason),) = failures({**instance_inputs("aks"), "label_selectors": [selector]})
    assert prop == "label_selectors[0]" and problem in reason and "env in (prod,qa)" in reason


@pytest.mark.parametrize(
    "selector", ["app=web", "app==web,tier!=db", "env in (prod, qa)", "env notin (dev)", "!legacy", "backup", "x>3"]
)
def test_kubernetes_selectors_pass(selector: str) -> None:
    assert selector_problem(selector) is None
    assert failures({**instance_inputs("aks"), "label_selectors": [selector]}) == []


def policy_failures(**kw: Any) -> list[tuple[str, str]]:
    inputs = {"name": "p", "vault_id": VAULT_ID, **aks_policy(**kw)}
    return [(f.property, f.reason) for f in POLICY.check(inputs).failures]


def test_a_default_retention_shorter_than_the_schedule_is_refused() -> None:
    ((prop, reason),) = policy_failures(schedule=Schedule.weekly(["Sunday"]), retention=Retention("P1D"))
    assert prop == "policy_rules[1].lifecycles[0].delete_after"
    assert "1 day" in reason and "every 1 week" in reason and "at least P1W" in reason
    assert policy_failures(schedule=Schedule.weekly(["Sunday"]), retention=Retention("P7D")) == []


def test_a_vault_copy_kept_shorter_than_the_operational_backup_is_refused() -> None:
    tagged = [TaggedRetention("Daily", "P30D", first_of("day"), vault_copy_keep_for="P7D")]
    ((prop, reason),) = policy_failures(schedule=Schedule.hourly(4), retention=Retention("P30D"), tagged=tagged)
    assert prop == "policy_rules[2].lifecycles[1].delete_after"
    assert "VaultStore copy 7 days" in reason and "at least P30D" in reason


def test_aks_operational_retention_is_at_most_360_days() -> None:
    ((prop, reason),) = policy_failures(schedule=Schedule.daily("02:00"), retention=Retention("P2Y"))
    assert prop == "policy_rules[1].lifecycles[0].delete_after"
    assert "at most 360 days" in reason and "VaultStore" in reason
    assert policy_failures(schedule=Schedule.daily("02:00"), retention=Retention("P360D")) == []


NEW_VAULT = values_for_instances({}, {"location": "westeurope"})


def test_a_datasource_in_another_region_than_its_vault_is_refused() -> None:
    vault = {**NEW_VAULT, "identity_type": "SystemAssigned"}
    elsewhere = {**instance_inputs("aks"), "datasource_location": "eastus"}
    ((prop, reason),) = [(f.property, f.reason) for f in check_vault_match(elsewhere, vault)]
    assert prop == "datasource_location" and "the vault is in westeurope" in reason
    assert "use a vault in eastus" in reason
    assert check_vault_match({**instance_inputs("aks"), "datasource_location": "West Europe"}, vault) == []


def test_a_vault_without_identity_cannot_protect() -> None:
    assert NEW_VAULT["identity_type"] == "None", "a new vault the program gives no identity has none"
    ((prop, reason),) = [(f.property, f.reason) for f in check_vault_match(instance_inputs("aks"), NEW_VAULT)]
    assert prop == "vault_id" and "VaultMSIUnauthorized" in reason and "identity_type='SystemAssigned'" in reason
    user_only = {"location": "westeurope", "identity_type": "UserAssigned", "user_assigned_identity_ids": [UAMI]}
    assert [f.property for f in check_vault_match(instance_inputs("aks"), user_only)] == ["vault_id"]
    assert check_vault_match({**instance_inputs("aks"), "user_assigned_identity_id": UAMI}, user_only) == []
    other = {**instance_inputs("aks"), "user_assigned_identity_id": UAMI.replace("backup-msi", "other")}
    assert [f.property for f in check_vault_match(other, user_only)] == ["user_assigned_identity_id"]


def test_an_existing_or_adopted_vault_that_leaves_its_identity_to_azure_is_not_judged() -> None:
    assert "identity_type" not in values_for_instances({"name": "bv"}, {"location": "westeurope"})
    assert "identity_type" not in values_for_instances({}, {"location": "westeurope", "adopt_existing": True})
