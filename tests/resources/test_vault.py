"""BackupVault provider against the emulator: lifecycle, outputs, PATCH updates, guard rails, deletion."""

from __future__ import annotations

import pytest

from provider.arm import OperationTimeoutError
from provider.dynamic import PlanError, ResourceFailure
from provider.emulator import EmulatorHandle
from provider.vault.resource import VaultProvider
from tests.resources.helpers import RG, checked, instance_inputs, policy_inputs, up, update, vault_inputs
from tests.support.emulator import SUBSCRIPTION

VAULT_ID = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{RG}/providers/Microsoft.DataProtection/backupVaults/vault-1"


@pytest.fixture
def provider(configured: EmulatorHandle) -> VaultProvider:
    return VaultProvider()


def test_create_outputs_every_audit_field(provider: VaultProvider) -> None:
    id_, outs = up(provider, vault_inputs(identity_type="SystemAssigned", tags={"env": "test"}))

    assert id_ == VAULT_ID == outs["arm_id"]
    assert outs["subscription_id"] == SUBSCRIPTION
    assert outs["api_version"] == "2025-09-01"
    assert outs["provisioning_state"] == "Succeeded"
    assert outs["redundancy"] == "LocallyRedundant"
    assert outs["soft_delete_state"] == "AlwaysOn"
    assert outs["soft_delete_retention_days"] == 14
    assert isinstance(outs["principal_id"], str) and len(outs["principal_id"]) == 36
    assert outs["tags"] == {"env": "test"}
    for name in ("immutability_state", "cross_region_restore_state", "encryption_state", "encryption_key_uri"):
        assert name in outs
    assert "id" not in outs


def test_refresh_then_diff_is_empty_and_404_drops_the_vault(
    provider: VaultProvider, configured: EmulatorHandle
) -> None:
    inputs = vault_inputs(redundancy="ZRS")
    id_, outs = up(provider, inputs)
    read = provider.read(id_, outs)
    assert read.id == id_
    assert read.inputs is not None and "arm_id" not in read.inputs and read.inputs["redundancy"] == "ZoneRedundant"
    assert not provider.diff(id_, read.outs or {}, checked(provider, inputs)).changes

    provider.delete(id_, outs)
    gone = provider.read(id_, outs)
    assert gone.id == "" and gone.outs == {}


def test_provider_blob_never_causes_a_diff(provider: VaultProvider) -> None:
    id_, outs = up(provider, vault_inputs())
    news = {**checked(provider, vault_inputs()), "__provider": "a-different-serialization"}
    assert provider.diff(id_, {**outs, "__provider": "old"}, news).changes is False


def test_updatable_settings_are_patched(provider: VaultProvider, configured: EmulatorHandle) -> None:
    id_, outs = up(provider, vault_inputs())
    since = configured.request_log()[-1]["seq"]

    outs = update(provider, id_, outs, vault_inputs(tags={"team": "backup"}, soft_delete_retention_days=30))

    writes = configured.writes(since)
    assert [w["method"] for w in writes] == ["PATCH"]
    assert outs["tags"] == {"team": "backup"} and outs["soft_delete_retention_days"] == 30

    outs = update(provider, id_, outs, vault_inputs(soft_delete_retention_days=30))
    assert outs["tags"] in (None, {})


def test_settings_a_patch_cannot_carry_are_put(provider: VaultProvider, configured: EmulatorHandle) -> None:
    id_, outs = up(provider, vault_inputs())
    since = configured.request_log()[-1]["seq"]
    outs = update(provider, id_, outs, vault_inputs(replicated_regions=["northeurope"]))
    assert [w["method"] for w in configured.writes(since)] == ["PUT"]
    assert outs["replicated_regions"] == ["northeurope"]


def test_create_refuses_to_take_over_an_existing_vault(provider: VaultProvider) -> None:
    up(provider, vault_inputs())
    with pytest.raises(ResourceFailure, match="already exists"):
        provider.create(checked(provider, vault_inputs()))


def test_one_way_changes_fail_at_preview(provider: VaultProvider) -> None:
    id_, outs = up(provider, vault_inputs())
    with pytest.raises(PlanError, match=r"soft_delete_state cannot change from 'AlwaysOn' to 'On'") as err:
        provider.diff(id_, outs, checked(provider, vault_inputs(soft_delete_state="On")))
    assert "allow_replace_with_data" in str(err.value)

    crr = {**outs, "cross_region_restore_state": "Enabled"}
    with pytest.raises(PlanError, match="cross_region_restore_state"):
        provider.diff(id_, crr, checked(provider, vault_inputs(cross_region_restore_state="Disabled")))

    locked = {**outs, "immutability_state": "Locked"}
    with pytest.raises(PlanError, match="immutability_state"):
        provider.diff(id_, locked, checked(provider, vault_inputs(immutability_state="Unlocked")))

    allowed = provider.diff(
        id_, outs, checked(provider, vault_inputs(soft_delete_state="On", allow_replace_with_data=True))
    )
    assert allowed.replaces == ["soft_delete_state"] and allowed.delete_before_replace is True


def test_replacing_a_vault_is_planned_when_empty_and_refused_when_it_holds_backups(provider: VaultProvider) -> None:
    from provider.instance.resource import InstanceProvider
    from provider.policy.resource import PolicyProvider

    id_, outs = up(provider, vault_inputs())
    plan = provider.diff(id_, outs, checked(provider, vault_inputs(redundancy="GRS")))
    assert plan.replaces == ["redundancy"] and plan.delete_before_replace is True

    policy_id, _ = up(PolicyProvider(), policy_inputs(id_))
    up(InstanceProvider(), instance_inputs(id_, policy_id))
    with pytest.raises(PlanError, match=r"holds 1 backup instance\(s\) \(bi-1\)"):
        provider.diff(id_, outs, checked(provider, vault_inputs(redundancy="GRS")))
    forced = provider.diff(id_, outs, checked(provider, vault_inputs(redundancy="GRS", allow_replace_with_data=True)))
    assert forced.replaces == ["redundancy"]


def test_a_new_name_is_a_create_before_delete_replacement(provider: VaultProvider) -> None:
    id_, outs = up(provider, vault_inputs())
    plan = provider.diff(id_, outs, checked(provider, vault_inputs("vault-2")))
    assert plan.replaces == ["name"] and plan.delete_before_replace is False


def test_delete_waits_until_the_vault_is_gone(provider: VaultProvider, configured: EmulatorHandle) -> None:
    id_, outs = up(provider, vault_inputs())
    since = configured.request_log()[-1]["seq"]
    provider.delete(id_, outs)
    log = configured.request_log(since)
    assert log[0]["method"] == "DELETE"
    assert (log[-1]["method"], log[-1]["status"]) == ("GET", 404)
    assert log[-1]["path"].endswith("/backupVaults/vault-1")


def test_delete_timeout_comes_from_the_timeouts_input(provider: VaultProvider, configured: EmulatorHandle) -> None:
    id_, outs = up(provider, vault_inputs(timeouts={"delete": "1s"}))
    configured.inject_fault("lro_stuck", method="DELETE", path="backupVaults")
    with pytest.raises(OperationTimeoutError, match="did not finish within"):
        provider.delete(id_, outs)


def test_check_reports_every_failure_and_survives_unknowns(provider: VaultProvider) -> None:
    bad = provider.check({}, {**vault_inputs(name="-bad", redundancy="Triple", timeouts={"create": "soon"}), "x": 1})
    props = {f.property for f in bad.failures}
    assert {"name", "redundancy", "timeouts.create", "x"} <= props

    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    result = provider.check({}, vault_inputs(resource_group_name=unknown, tags=unknown))
    assert result.failures == []
    assert result.inputs["resource_group_name"] == unknown
