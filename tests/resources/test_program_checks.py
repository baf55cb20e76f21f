"""Checks across the resources of one program at preview: an instance against a policy of the program, a
datasource protected twice, and a new vault's soft delete state; each names the property and sends no request."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.dynamic import ResourceProvider

from pulumi_dataprotection import config as config_module
from pulumi_dataprotection.dynamic import program
from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.instance.resource import InstanceProvider
from pulumi_dataprotection.policy.builders import Retention, Schedule, aks_policy, blob_vaulted_policy
from pulumi_dataprotection.policy.resource import PolicyProvider
from pulumi_dataprotection.vault.resource import VaultProvider
from tests.resources.conftest import stack_config
from tests.resources.helpers import LOCATION, aks_id, checked, instance_inputs, policy_inputs, vault_inputs
from tests.support.emulator import SUBSCRIPTION

VAULT = (
    f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-backup/providers/Microsoft.DataProtection/backupVaults/vault-1"
)
ACCOUNT = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/st1"


def failures(provider: ResourceProvider, news: dict[str, Any], olds: dict[str, Any] | None = None) -> dict[str, str]:
    """property -> reason of the check failures."""
    result = provider.check(olds or {}, {**news, "__provider": "p"})
    return {f.property: f.reason for f in result.failures}


@pytest.fixture
def policies(configured: EmulatorHandle) -> dict[str, str]:
    """An AKS and a vaulted blob policy checked in this program (nothing created): their ARM ids."""
    aks = checked(PolicyProvider(), policy_inputs(VAULT))
    blob_inputs = blob_vaulted_policy(Schedule.daily("01:00"), Retention("P30D"))
    blob = checked(PolicyProvider(), {"vault_id": VAULT, "name_prefix": "blob", **blob_inputs})
    return {"aks": aks["arm_id"], "blob": blob["arm_id"]}


def test_an_instance_is_checked_against_a_policy_of_the_program(
    configured: EmulatorHandle, policies: dict[str, str]
) -> None:
    wrong = failures(InstanceProvider(), instance_inputs(VAULT, policies["blob"]))
    assert "policy_id" in wrong and "blob" in wrong["policy_id"].lower()
    assert failures(InstanceProvider(), instance_inputs(VAULT, policies["aks"])) == {}

    blob = {
        "name": "st1",
        "vault_id": VAULT,
        "policy_id": policies["blob"],
        "datasource_kind": "blob",
        "datasource_id": ACCOUNT,
        "datasource_location": LOCATION,
    }
    assert "containers" in failures(InstanceProvider(), blob)
    assert failures(InstanceProvider(), {**blob, "containers": ["raw"]}) == {}
    assert configured.writes() == []


def test_a_datasource_protected_twice_in_one_program_fails_the_second_check(
    configured: EmulatorHandle, policies: dict[str, str]
) -> None:
    first = instance_inputs(VAULT, policies["aks"], name="bi-1", cluster="aks-7")
    assert failures(InstanceProvider(), first) == {}
    assert failures(InstanceProvider(), first) == {}, "checking the same instance again is no duplicate"
    second = failures(InstanceProvider(), instance_inputs(VAULT, policies["aks"], name="bi-2", cluster="aks-7"))
    assert set(second) == {"datasource_id"}
    assert aks_id("aks-7") in second["datasource_id"] and "backupInstances/bi-1" in second["datasource_id"]
    assert configured.writes() == []


def test_a_new_vault_needs_always_on_soft_delete(configured: EmulatorHandle) -> None:
    off = failures(VaultProvider(), vault_inputs(soft_delete_state="Off"))
    assert set(off) == {"soft_delete_state"} and "AlwaysOn" in off["soft_delete_state"]
    assert failures(VaultProvider(), vault_inputs(soft_delete_state="AlwaysOn")) == {}
    assert failures(VaultProvider(), vault_inputs(soft_delete_state="On"), olds=vault_inputs()) == {}
    assert configured.writes() == []


@pytest.mark.parametrize("state", ["Off", "On"])
def test_a_new_vault_may_turn_soft_delete_off_at_an_api_version_before_2025_09_01(
    configured: EmulatorHandle, state: str
) -> None:
    """Azure accepts Off and On below 2025-09-01 (recorded at 2023-01-01 to 2025-07-01): with
    dataprotection:apiVersion 2025-07-01 the preview follows that version's rule."""
    config_module.set_stack_config({**stack_config(configured), "dataprotection:apiVersion": "2025-07-01"})
    assert failures(VaultProvider(), vault_inputs(soft_delete_state=state)) == {}
    config_module.set_stack_config({**stack_config(configured), "dataprotection:apiVersion": "2026-06-01"})
    assert set(failures(VaultProvider(), vault_inputs(soft_delete_state=state))) == {"soft_delete_state"}
    assert configured.writes() == []


def test_cost_management_needs_api_version_2026_06_01(configured: EmulatorHandle) -> None:
    """2025-09-01's vault model has no costManagementSettings (Azure would ignore the setting): the preview says so,
    naming the input and the config key, before any request."""
    inputs = vault_inputs(cost_management_granularity="ProtectedItemLevel")
    assert failures(VaultProvider(), inputs) == {}
    config_module.set_stack_config({**stack_config(configured), "dataprotection:apiVersion": "2025-09-01"})
    found = failures(VaultProvider(), inputs)
    assert set(found) == {"cost_management_granularity"}
    assert "2026-06-01" in found["cost_management_granularity"]
    assert "dataprotection:apiVersion" in found["cost_management_granularity"]
    assert configured.writes() == []


def test_what_a_replacement_of_the_stack_s_own_resource_covers() -> None:
    vault2 = VAULT.replace("vault-1", "vault-2")
    program.remember_own(f"{vault2}/backupPolicies/kept")
    program.remember_replaced(VAULT)
    assert program.is_own(VAULT.upper())
    assert program.is_own(f"{VAULT}/backupPolicies/p-1234")
    assert program.is_own(f"{vault2}/backupPolicies/kept")
    assert not program.is_own(f"{vault2}/backupPolicies/other")
    assert not program.is_own(f"{VAULT}-old/backupPolicies/p")


def test_an_instance_destroy_would_delete_from_an_immutable_vault_is_warned_at_preview(
    configured: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 24: three instances with on_delete=Delete failed at destroy in an immutable vault; the preview said
    nothing."""
    from pulumi_dataprotection.instance import resource as instance_resource

    seen: list[str] = []
    monkeypatch.setattr(instance_resource, "preview_warning", seen.append)
    program.forget()
    vault = checked(VaultProvider(), vault_inputs(immutability_state="Locked"))
    operational = checked(PolicyProvider(), policy_inputs(vault["arm_id"]))
    checked(InstanceProvider(), instance_inputs(vault["arm_id"], operational["arm_id"], name="bi-0", cluster="aks-0"))
    assert seen == [], "operational recovery points are not kept by immutability"
    vaulted = aks_policy(Schedule.hourly(4), Retention("P7D", vault_copy_keep_for="P30D"))
    policy = checked(PolicyProvider(), {"vault_id": vault["arm_id"], "name_prefix": "vaulted", **vaulted})
    instance = InstanceProvider()
    checked(instance, instance_inputs(vault["arm_id"], policy["arm_id"], on_delete="StopProtectionRetainData"))
    assert seen == []
    checked(instance, instance_inputs(vault["arm_id"], policy["arm_id"], name="bi-2", cluster="aks-2"))
    assert len(seen) == 1 and "its vault is immutable (Locked)" in seen[0]
    assert "on_delete='StopProtectionRetainData'" in seen[0]
    program.forget()


def test_an_instance_is_checked_against_the_region_and_identity_of_a_vault_of_the_program(
    configured: EmulatorHandle, policies: dict[str, str]
) -> None:
    bare = checked(VaultProvider(), vault_inputs(identity_type="None"))
    assert bare["arm_id"] == VAULT
    wrong = failures(InstanceProvider(), instance_inputs(VAULT, policies["aks"], datasource_location="eastus"))
    assert set(wrong) == {"vault_id", "datasource_location"}, wrong
    assert "VaultMSIUnauthorized" in wrong["vault_id"] and "the vault is in westeurope" in wrong["datasource_location"]
    checked(VaultProvider(), vault_inputs())
    assert failures(InstanceProvider(), instance_inputs(VAULT, policies["aks"])) == {}
    assert configured.writes() == []


def test_a_cosmos_db_instance_in_a_vault_that_is_not_geo_redundant_is_warned_at_preview(
    configured: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Azure Backup's Cosmos DB support matrix: backups go to a geo-redundant vault (a warning: Azure's answer to
    another vault is not recorded)."""
    from pulumi_dataprotection.datasources import KINDS
    from pulumi_dataprotection.datasources.coverage import instance_inputs as example_instance
    from pulumi_dataprotection.datasources.coverage import policy_inputs as example_policy
    from pulumi_dataprotection.instance import resource as instance_resource

    seen: list[str] = []
    monkeypatch.setattr(instance_resource, "preview_warning", seen.append)
    program.forget()
    for redundancy, name in (("GeoRedundant", "vault-geo"), ("LocallyRedundant", "vault-lrs")):
        vault = checked(VaultProvider(), vault_inputs(name=name, redundancy=redundancy))["arm_id"]
        policy = checked(PolicyProvider(), {**example_policy(KINDS["cosmos_db"]), "vault_id": vault})["arm_id"]
        instance = {**example_instance(KINDS["cosmos_db"], policy), "vault_id": vault}
        checked(InstanceProvider(), {**instance, "datasource_id": f"{instance['datasource_id']}-{redundancy.lower()}"})
    (warning,) = seen
    assert "the vault vault-lrs is LocallyRedundant" in warning and "geo-redundant" in warning
    program.forget()
