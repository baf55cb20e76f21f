"""BackupVault provider against the emulator: lifecycle, outputs, PATCH updates, guard rails, deletion."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.dynamic import CheckResult

from pulumi_dataprotection.arm import OperationTimeoutError
from pulumi_dataprotection.dynamic import PlanError, ResourceFailure
from pulumi_dataprotection.dynamic.adoption import OWNER_KEY
from pulumi_dataprotection.dynamic.engine import MANAGED
from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.instance.resource import InstanceProvider
from pulumi_dataprotection.policy.resource import PolicyProvider
from pulumi_dataprotection.schema.unknown import UNKNOWN_STRING
from pulumi_dataprotection.vault.resource import VaultProvider
from tests.resources.helpers import (
    RG,
    checked,
    instance_inputs,
    policy_inputs,
    refused,
    up,
    update,
    vault_inputs,
)
from tests.support.emulator import SUBSCRIPTION

VAULT_ID = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{RG}/providers/Microsoft.DataProtection/backupVaults/vault-1"


@pytest.fixture
def provider(configured: EmulatorHandle) -> VaultProvider:
    return VaultProvider()


def test_create_outputs_every_audit_field(provider: VaultProvider) -> None:
    id_, outs = up(provider, vault_inputs(identity_type="SystemAssigned", tags={"env": "test"}))

    assert id_ == VAULT_ID == outs["arm_id"]
    assert outs["subscription_id"] == SUBSCRIPTION
    assert outs["api_version"] == "2026-06-01"
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
    assert read.inputs is not None and read.inputs["redundancy"] == "ZoneRedundant"
    assert read.inputs["arm_id"] == id_, "read inputs have the shape of checked inputs (see known_outputs)"
    assert not provider.diff(id_, read.outs or {}, checked(provider, inputs, read.outs or {})).changes

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


def test_cost_management_granularity_is_created_and_patched(
    provider: VaultProvider, configured: EmulatorHandle
) -> None:
    """The 2026-06-01 vault setting: in the create's body, then changed by a PATCH, read back each time."""
    id_, outs = up(provider, vault_inputs(cost_management_granularity="ProtectedItemLevel"))
    assert outs["cost_management_granularity"] == "ProtectedItemLevel"
    since = configured.request_log()[-1]["seq"]
    outs = update(provider, id_, outs, vault_inputs(cost_management_granularity="VaultLevel"))
    writes = configured.writes(since)
    assert [w["method"] for w in writes] == ["PATCH"]
    assert writes[0]["query"] == "api-version=2026-06-01"
    assert outs["cost_management_granularity"] == "VaultLevel"


def test_settings_a_patch_cannot_carry_are_put(provider: VaultProvider, configured: EmulatorHandle) -> None:
    id_, outs = up(provider, vault_inputs())
    since = configured.request_log()[-1]["seq"]
    outs = update(provider, id_, outs, vault_inputs(replicated_regions=["northeurope"]))
    assert [w["method"] for w in configured.writes(since)] == ["PUT"]
    assert outs["replicated_regions"] == ["northeurope"]


def test_create_takes_over_the_empty_leftover_of_an_interrupted_create(
    provider: VaultProvider, configured: EmulatorHandle
) -> None:
    up(provider, vault_inputs())
    since = configured.request_log()[-1]["seq"]

    id_, outs = up(provider, vault_inputs(tags={"team": "backup"}))

    assert id_ == VAULT_ID and outs["tags"] == {"team": "backup"}
    writes = configured.writes(since)
    assert [w["method"] for w in writes] == ["PUT"]
    assert "adopt_existing" not in str(writes[0]["body"])


def test_create_waits_for_the_running_create_of_the_leftover(
    provider: VaultProvider, configured: EmulatorHandle
) -> None:
    configured.inject_fault("lro_stuck", method="PUT", path="backupVaults", count=1)
    with pytest.raises(OperationTimeoutError, match="did not finish within"):
        up(provider, vault_inputs(timeouts={"create": "1s"}))
    configured.clear_faults()

    with pytest.raises(ResourceFailure, match=r"the running operation on BackupVault 'vault-1' did not finish"):
        up(provider, vault_inputs(timeouts={"create": "1s"}))


def test_create_refuses_an_existing_vault_whose_create_only_settings_differ(
    provider: VaultProvider, configured: EmulatorHandle
) -> None:
    up(provider, vault_inputs())
    since = configured.request_log()[-1]["seq"]
    with pytest.raises(ResourceFailure, match=r"redundancy is 'LocallyRedundant' in Azure, 'GeoRedundant'"):
        up(provider, vault_inputs(redundancy="GRS"))
    adopt = {"adopt_existing": True, "on_delete": "Retain"}
    failures = provider.check({}, {**vault_inputs(redundancy="GRS", **adopt), OWNER_KEY: "another-stack"}).failures
    assert [f.property for f in failures] == ["redundancy"]
    assert 'redundancy: "LocallyRedundant" in Azure -> "GeoRedundant" in the program' in failures[0].reason
    assert configured.writes(since) == []


def as_another_stack(provider: VaultProvider, news: dict[str, Any]) -> CheckResult:
    """``check`` of ``news`` by the same resource of another stack (another owner marker)."""
    return provider.check({}, {**news, "__provider": "serialized", OWNER_KEY: "another-stack"})


def test_an_existing_vault_is_taken_over_only_with_adopt_existing_even_when_empty_and_matching(
    provider: VaultProvider, configured: EmulatorHandle
) -> None:
    id_, _ = up(provider, vault_inputs())
    since = configured.request_log()[-1]["seq"]

    refused = as_another_stack(provider, vault_inputs())
    assert [f.property for f in refused.failures] == ["adopt_existing"]
    assert "was not created by this stack" in refused.failures[0].reason
    with pytest.raises(ResourceFailure, match=r"not taken over.*set adopt_existing=True and on_delete"):
        provider.create({**checked(provider, vault_inputs()), OWNER_KEY: "another-stack"})
    needs_on_delete = as_another_stack(provider, vault_inputs(adopt_existing=True))
    assert [f.property for f in needs_on_delete.failures] == ["on_delete"]
    assert configured.writes(since) == []

    adopt = {"adopt_existing": True, "on_delete": "Retain"}
    same = as_another_stack(provider, vault_inputs(**adopt))
    assert same.failures == [] and "it matches the program: nothing is written" in same.inputs["adoption"]
    result = provider.create(same.inputs)
    adopted_id, adopted = result.id, result.outs
    assert adopted_id == id_ and adopted is not None and adopted["adoption"] == same.inputs["adoption"]
    assert configured.writes(since) == []

    planned = as_another_stack(provider, vault_inputs(soft_delete_retention_days=30, tags={"team": "a"}, **adopt))
    assert planned.failures == []
    assert "soft_delete_retention_days: 14 in Azure -> 30 in the program" in planned.inputs["adoption"]
    assert 'tags: null in Azure -> {"team": "a"} in the program' in planned.inputs["adoption"]
    changed = provider.create(planned.inputs).outs
    assert changed is not None and changed["soft_delete_retention_days"] == 30 and changed["adopt_existing"] is True
    assert [w["method"] for w in configured.writes(since)] == ["PATCH"]
    same_again = checked(provider, vault_inputs(soft_delete_retention_days=30, tags={"team": "a"}, **adopt), changed)
    assert not provider.diff(id_, changed, same_again).changes

    provider.delete(id_, changed)
    assert [w["method"] for w in configured.writes(since)] == ["PATCH"], "on_delete=Retain sends nothing"


def test_checked_inputs_carry_the_arm_id_so_dependents_stay_known_in_preview(provider: VaultProvider) -> None:

    id_, outs = up(provider, vault_inputs())
    policy, instance = PolicyProvider(), InstanceProvider()
    policy_id, policy_outs = up(policy, policy_inputs(id_))
    instance_id, instance_outs = up(instance, instance_inputs(id_, policy_id))

    # A preview of a vault update: the engine uses the vault's checked inputs as its state.
    news = checked(provider, vault_inputs(soft_delete_retention_days=30), outs)
    assert news["arm_id"] == id_
    plan = provider.diff(id_, outs, news)
    assert plan.changes and plan.replaces == []
    assert not provider.diff(id_, outs, checked(provider, vault_inputs(), outs)).changes

    policy_news = checked(policy, policy_inputs(news["arm_id"]), policy_outs)
    assert (policy_news["arm_id"], policy_news["summary"]) == (policy_id, policy_outs["summary"])
    assert not policy.diff(policy_id, policy_outs, policy_news).changes
    instance_news = checked(instance, instance_inputs(news["arm_id"], policy_news["arm_id"]), instance_outs)
    assert instance_news["arm_id"] == instance_id
    assert not instance.diff(instance_id, instance_outs, instance_news).changes

    unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    assert "arm_id" not in provider.check({}, vault_inputs(name=unknown)).inputs
    assert "arm_id" not in policy.check({}, policy_inputs(unknown)).inputs


def test_one_way_changes_are_refused_by_up_without_stopping_the_preview(
    provider: VaultProvider, configured: EmulatorHandle
) -> None:
    id_, outs = up(provider, vault_inputs())
    configured.clear_request_log()
    news = checked(provider, vault_inputs(soft_delete_state="On"), outs)
    message = refused(provider, id_, outs, news)
    assert "soft_delete_state cannot change from 'AlwaysOn' to 'On'" in message
    assert "allow_replace_with_data" in message and "deletes every backup" in message

    crr = {**outs, "cross_region_restore_state": "Enabled"}
    assert "cross_region_restore_state" in refused(
        provider, id_, crr, checked(provider, vault_inputs(cross_region_restore_state="Disabled"), crr)
    )
    locked = {**outs, "immutability_state": "Locked"}
    assert "immutability_state" in refused(
        provider, id_, locked, checked(provider, vault_inputs(immutability_state="Unlocked"), locked)
    )
    assert configured.writes() == []

    allowed = provider.diff(
        id_, outs, checked(provider, vault_inputs(soft_delete_state="On", allow_replace_with_data=True), outs)
    )
    assert allowed.replaces == ["soft_delete_state"] and allowed.delete_before_replace is True


def test_replacing_a_vault_is_planned_when_empty_and_refused_when_it_holds_backups(
    provider: VaultProvider, configured: EmulatorHandle
) -> None:

    id_, outs = up(provider, vault_inputs())
    plan = provider.diff(id_, outs, checked(provider, vault_inputs(redundancy="GRS"), outs))
    assert plan.replaces == ["redundancy"] and plan.delete_before_replace is True

    policy_id, _ = up(PolicyProvider(), policy_inputs(id_))
    up(InstanceProvider(), instance_inputs(id_, policy_id))
    configured.clear_request_log()
    message = refused(provider, id_, outs, checked(provider, vault_inputs(redundancy="GRS"), outs))
    assert "holds 1 backup instance(s) (bi-1)" in message and "redundancy" in message
    assert configured.writes() == []
    # Allowed, but Azure refuses to delete a vault holding instances (soft-deleted ones too): the two steps instead.
    allowed = refused(
        provider, id_, outs, checked(provider, vault_inputs(redundancy="GRS", allow_replace_with_data=True), outs)
    )
    assert "the backup instances (bi-1) would stay in it, soft-deleted, for 14 days" in allowed, allowed
    assert "This replacement takes two steps: 1. remove the backup instances from the program" in allowed, allowed
    off = {**outs, "soft_delete_state": "Off"}
    forced = provider.diff(
        id_, off, checked(provider, vault_inputs(redundancy="GRS", allow_replace_with_data=True), off)
    )
    assert forced.replaces == ["redundancy"] and forced.delete_before_replace is True


def test_a_vault_replacement_allowed_on_the_vault_and_its_instances_is_one_change(
    provider: VaultProvider, configured: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pulumi asks each instance of a vault replaced under its name whether it is replaced too, with the
    instance's inputs of the state (the old opt-in) and only the vault id unknown; the vault's opt-in answers then,
    and the instance's own opt-in is checked when the program sends its inputs."""
    warnings: list[str] = []
    monkeypatch.setattr("pulumi.log.warn", lambda message, *_, **__: warnings.append(message))
    id_, outs = up(provider, vault_inputs(identity_type="SystemAssigned"))
    policy_id, _ = up(PolicyProvider(), policy_inputs(id_))
    instances = InstanceProvider()
    instance_id, instance_outs = up(instances, instance_inputs(id_, policy_id))
    old_inputs = checked(instances, instance_inputs(id_, policy_id))
    off = {**outs, "soft_delete_state": "Off"}  # so Azure can delete the vault with its instances

    assert provider.diff(id_, off, checked(provider, vault_inputs(redundancy="GRS"), off)).replaces == []
    probe = {**old_inputs, "vault_id": UNKNOWN_STRING, "policy_id": UNKNOWN_STRING}
    with pytest.raises(PlanError, match="allow_replace_with_data=True"):
        instances.diff(instance_id, instance_outs, probe)  # the vault's replacement is refused: nothing allowed

    warnings.clear()
    allowed_news = checked(provider, vault_inputs(identity_type="SystemAssigned", redundancy="GRS"), off)
    plan = provider.diff(id_, off, {**allowed_news, "allow_replace_with_data": True})
    assert plan.replaces == ["redundancy"]
    assert instances.diff(instance_id, instance_outs, probe).replaces == ["vault_id"]
    assert warnings == [
        "dataprotection: BackupVault 'vault-1': replaced because redundancy cannot change in place",
        "dataprotection: BackupVault 'vault-1': replacing the vault deletes every backup it holds: backup "
        "instance(s) bi-1",
        f"dataprotection: BackupVault 'vault-1': the vault is replaced: principal {outs['principal_id']} no longer "
        "exists, so the roles granted to it on the datasources stop working and backups fail until they are granted "
        "to the new principal (`pulumi-dataprotection permissions` lists them)",
        "dataprotection: BackupInstance 'bi-1': replaced because its vault 'vault-1' is replaced",
        "dataprotection: BackupInstance 'bi-1': the backup instance is replaced with on_delete=Delete: its recovery "
        "points are deleted (Azure keeps them soft-deleted only for the vault's soft delete retention); set "
        "on_delete=StopProtectionRetainData in a change of its own first to keep them",
    ], "in review's words (pulumi_dataprotection.dynamic.wording), each once"

    without = {**instance_inputs(UNKNOWN_STRING, UNKNOWN_STRING), "allow_replace_with_data": False}
    with pytest.raises(PlanError, match="allow_replace_with_data=True"):
        instances.diff(instance_id, instance_outs, checked(instances, without, instance_outs))
    allowed = checked(instances, {**without, "allow_replace_with_data": True}, instance_outs)
    assert instances.diff(instance_id, instance_outs, allowed).replaces == ["vault_id"]


def test_a_replacement_permission_is_not_kept_in_the_outputs(provider: VaultProvider) -> None:
    id_, outs = up(provider, vault_inputs(allow_replace_with_data=True))
    assert outs["allow_replace_with_data"] is None
    assert "allow_replace_with_data" not in outs[MANAGED], "always set (it has a default): implied"
    read = provider.read(id_, outs)
    assert (read.inputs or {})["allow_replace_with_data"] is False


def test_a_new_name_is_a_create_before_delete_replacement(provider: VaultProvider) -> None:
    id_, outs = up(provider, vault_inputs())
    plan = provider.diff(id_, outs, checked(provider, vault_inputs("vault-2"), outs))
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


def test_allow_replace_with_data_causes_no_diff_and_is_not_kept_in_the_state(provider: VaultProvider) -> None:
    id_, outs = up(provider, vault_inputs(allow_replace_with_data=True))
    assert outs["allow_replace_with_data"] is None
    assert not provider.diff(id_, outs, checked(provider, vault_inputs())).changes
    updated = provider.update(id_, outs, checked(provider, vault_inputs(tags={"a": "b"}, allow_replace_with_data=True)))
    assert updated.outs is not None and updated.outs["allow_replace_with_data"] is None


def test_destroy_of_a_vault_holding_soft_deleted_instances_says_what_to_do(
    provider: VaultProvider, configured: EmulatorHandle
) -> None:
    """Azure keeps a vault holding soft-deleted backup instances until they are purged (terraform-provider-azurerm
    #25142, #33289): the destroy names them, when they go and the ways out, then succeeds once they are purged."""
    vault_id, vault_outs = up(provider, vault_inputs())
    policy_id, policy_outs = up(PolicyProvider(), policy_inputs(vault_id))
    instance_id, instance_outs = up(InstanceProvider(), instance_inputs(vault_id, policy_id))
    InstanceProvider().delete(instance_id, instance_outs)
    PolicyProvider().delete(policy_id, policy_outs)

    with pytest.raises(ResourceFailure) as refused:
        provider.delete(vault_id, vault_outs)
    message = str(refused.value)
    assert "soft-deleted backup instances (bi-1)" in message
    assert "UserErrorBackupVaultHasBackupInstances" in message
    assert "on_delete='Retain'" in message and "run the destroy again after 20" in message

    configured.advance_clock(15 * 86400)
    provider.delete(vault_id, vault_outs)
