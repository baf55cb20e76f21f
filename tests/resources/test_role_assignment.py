"""RoleAssignment and TrustedAccessBinding providers against the emulator (derived names, existing grants left
alone and kept on destroy), and a backup instance's bounded wait for role assignments to propagate."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from pulumi_dataprotection import config as config_module
from pulumi_dataprotection.dynamic import ResourceFailure, program
from pulumi_dataprotection.emulator import EmulatorHandle, start_emulator
from pulumi_dataprotection.instance.resource import InstanceProvider
from pulumi_dataprotection.policy.resource import PolicyProvider
from pulumi_dataprotection.roleassignment.resource import RoleAssignmentProvider, assignment_name
from pulumi_dataprotection.schema.unknown import UNKNOWN_STRING
from pulumi_dataprotection.trustedaccess.resource import BACKUP_OPERATOR, TrustedAccessBindingProvider
from pulumi_dataprotection.vault.resource import VaultProvider
from tests.resources.conftest import LRO_SECONDS, stack_config
from tests.resources.helpers import SNAPSHOT_RG, aks_id, instance_inputs, policy_inputs, up, vault_inputs
from tests.support.emulator import SUBSCRIPTION, ArmClient

READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
READER_ID = f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions/{READER}"
PRINCIPAL = "5c617d2b-99f8-4c90-98fe-dfe040fa33c1"
AUTH = "providers/Microsoft.Authorization/roleAssignments"


def test_assignment_named_from_its_grant_and_an_existing_one_is_kept_on_destroy(configured: EmulatorHandle) -> None:
    provider = RoleAssignmentProvider()
    inputs = {"scope": SNAPSHOT_RG, "principal_id": PRINCIPAL, "role_definition_id": READER}  # a bare GUID
    id_, outs = up(provider, inputs)
    name = assignment_name(SNAPSHOT_RG, PRINCIPAL, READER_ID)
    assert id_ == f"{SNAPSHOT_RG}/{AUTH}/{name}"
    assert outs["role_definition_id"] == READER_ID and outs["preexisting"] is False
    assert outs["api_version"] == "2022-04-01"
    again_id, again = up(provider, inputs)  # another stack (or a lost state) declaring the same grant
    assert (again_id, again["preexisting"]) == (id_, True)
    provider.delete(again_id, again)
    arm = ArmClient(configured)
    assert arm.get(id_).status_code == 200  # the one that existed is left alone
    provider.delete(id_, outs)
    assert arm.get(id_).status_code == 404  # the one this resource created is removed
    assert [w["method"] for w in configured.writes()] == ["PUT", "DELETE"]


def test_preview_with_the_principal_not_known_yet(configured: EmulatorHandle) -> None:
    """A vault created in the same program has no principal in the preview: the name is unknown too, nothing fails."""
    inputs = {"scope": SNAPSHOT_RG, "principal_id": UNKNOWN_STRING, "role_definition_id": READER}
    result = RoleAssignmentProvider().check({}, inputs)
    assert result.failures == []
    assert result.inputs["name"] == UNKNOWN_STRING and result.inputs["role_definition_id"] == READER_ID
    assert configured.request_log() == []


def test_same_grant_under_another_name_is_found_and_left_alone(configured: EmulatorHandle) -> None:
    arm = ArmClient(configured)
    other = f"{SNAPSHOT_RG}/{AUTH}/11111111-2222-4333-8444-555555555555"
    body = {"properties": {"roleDefinitionId": READER_ID, "principalId": PRINCIPAL}}
    assert arm.put(other, body).status_code == 201
    provider = RoleAssignmentProvider()
    id_, outs = up(provider, {"scope": SNAPSHOT_RG, "principal_id": PRINCIPAL, "role_definition_id": READER_ID})
    assert (id_, outs["preexisting"]) == (other, True)
    provider.delete(id_, outs)
    assert arm.get(other).status_code == 200


def test_trusted_access_binding(configured: EmulatorHandle) -> None:
    provider = TrustedAccessBindingProvider()
    vault = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-backup/providers/Microsoft.DataProtection/backupVaults/v1"
    inputs = {"cluster_id": aks_id("aks-1"), "source_resource_id": vault}
    id_, outs = up(provider, inputs)
    assert outs["roles"] == [BACKUP_OPERATOR] and outs["name"].startswith("backup-") and not outs["preexisting"]
    again_id, again = up(provider, inputs)
    assert again["preexisting"] is True
    with pytest.raises(ResourceFailure, match="a PUT would overwrite it"):
        up(provider, {**inputs, "source_resource_id": vault.replace("/v1", "/v2"), "name": outs["name"]})
    provider.delete(again_id, again)
    assert ArmClient(configured).get(id_).status_code == 200
    provider.delete(id_, outs)
    assert ArmClient(configured).get(id_).status_code == 404


@pytest.fixture
def strict(monkeypatch: pytest.MonkeyPatch) -> Iterator[EmulatorHandle]:
    """An emulator whose validations need the roles, which count 1 s after they are assigned."""
    handle = start_emulator(
        in_process=True, lro_seconds=LRO_SECONDS, retry_after=0, strict_permissions=True, role_propagation_seconds=1.0
    )
    for var in ("AZURE_SUBSCRIPTION_ID", "ARM_SUBSCRIPTION_ID", "DATAPROTECTION_ENDPOINT", "DATAPROTECTION_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    config_module.set_stack_config(stack_config(handle, **{"dataprotection:pollMaxInterval": "0.2"}))
    yield handle
    config_module.set_stack_config({})
    handle.stop()


def _validations(handle: EmulatorHandle) -> int:
    return sum(e["path"].endswith("/validateForBackup") for e in handle.request_log())


def test_instance_waits_for_role_assignments_to_propagate(strict: EmulatorHandle) -> None:
    vault_id, vault = up(VaultProvider(), vault_inputs(identity_type="SystemAssigned"))
    policy_id, _ = up(PolicyProvider(), policy_inputs(vault_id))
    principal = vault["principal_id"]
    for scope in (aks_id("aks-1"), SNAPSHOT_RG):
        up(RoleAssignmentProvider(), {"scope": scope, "principal_id": principal, "role_definition_id": READER})
    up(TrustedAccessBindingProvider(), {"cluster_id": aks_id("aks-1"), "source_resource_id": vault_id})
    _, outs = up(InstanceProvider(), instance_inputs(vault_id, policy_id))
    assert outs["protection_state"] == "ProtectionConfigured"
    assert _validations(strict) > 1  # refused while the roles propagated, then accepted


def test_instance_wait_for_roles_is_bounded(strict: EmulatorHandle) -> None:
    config_module.set_stack_config(stack_config(strict, **{"dataprotection:rolePropagationWait": "0.5"}))
    vault_id, _ = up(VaultProvider(), vault_inputs(identity_type="SystemAssigned"))
    policy_id, _ = up(PolicyProvider(), policy_inputs(vault_id))
    with pytest.raises(ResourceFailure) as failure:
        up(InstanceProvider(), instance_inputs(vault_id, policy_id))
    message = str(failure.value)
    assert "still reported missing permissions after" in message and "UserErrorMSIMissingPermissions" in message
    assert "Reader on " + aks_id("aks-1") in message
    assert not any(e["method"] == "PUT" and "/backupInstances/" in e["path"] for e in strict.request_log())


def test_preview_validation_missing_roles_the_program_assigns_is_a_warning(strict: EmulatorHandle) -> None:
    """With validateInPreview, a missing role fails the preview unless the program itself assigns roles on the
    datasource (BackupPermissions in the same update): then the preview says the create will wait for them."""
    config_module.set_stack_config(stack_config(strict, **{"dataprotection:validateInPreview": "true"}))
    vault_id, _ = up(VaultProvider(), vault_inputs(identity_type="SystemAssigned"))
    policy_id, _ = up(PolicyProvider(), policy_inputs(vault_id))
    news = instance_inputs(vault_id, policy_id)
    program.forget()
    refused = InstanceProvider().check({}, news)
    assert [f.reason for f in refused.failures if "UserErrorMSIMissingPermissions" in f.reason]
    program.forget()
    RoleAssignmentProvider().check(
        {}, {"scope": aks_id("aks-1"), "principal_id": PRINCIPAL, "role_definition_id": READER}
    )
    assert InstanceProvider().check({}, news).failures == []
    program.forget()


def test_a_vault_without_a_principal_id_is_named_with_the_way_out() -> None:
    from pulumi_dataprotection.permissions.component import _required

    assert _required("principal-1", "x") == "principal-1"
    with pytest.raises(ValueError, match=r"the vault has no managed identity to grant roles to.*SystemAssigned"):
        _required(None, "BackupPermissions 'roles': vault_principal_id")
