"""Lookups: existing vaults, policies and instances read by id or name, as typed results whose ``inputs`` recreate
them exactly (the program that adopts them then writes nothing)."""

from __future__ import annotations

from collections.abc import Iterator

import pulumi
import pytest

from pulumi_dataprotection import lookups
from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.instance.resource import InstanceProvider
from pulumi_dataprotection.policy.resource import PolicyProvider
from pulumi_dataprotection.vault.resource import VaultProvider
from tests.resources.conftest import stack_config
from tests.resources.helpers import RG, instance_inputs, policy_inputs, up, vault_inputs


@pytest.fixture
def program_config(configured: EmulatorHandle) -> Iterator[EmulatorHandle]:
    """The emulator's settings as the stack config of a running program."""
    pulumi.runtime.set_all_config({k: str(v) for k, v in stack_config(configured).items()})
    yield configured
    pulumi.runtime.set_all_config({})


def test_lookups_by_name_and_id_give_typed_results_that_recreate_the_resources(
    program_config: EmulatorHandle,
) -> None:
    vault_id, vault_outs = up(VaultProvider(), vault_inputs(tags={"team": "backup"}))
    policy_id, _ = up(PolicyProvider(), policy_inputs(vault_id))
    instance_id, _ = up(InstanceProvider(), instance_inputs(vault_id, policy_id))

    vault = lookups.get_backup_vault(name="vault-1", resource_group_name=RG)
    assert (vault.arm_id, vault.location, vault.principal_id) == (vault_id, "westeurope", vault_outs["principal_id"])
    assert lookups.get_backup_vault(vault_id) == vault
    policy = lookups.get_backup_policy(vault_id=vault.arm_id, name=policy_id.rsplit("/", 1)[-1])
    assert policy.arm_id == policy_id and policy.summary.startswith("every 4 h")
    instance = lookups.get_backup_instance(vault_id=vault.arm_id, name="bi-1")
    assert instance.arm_id == instance_id and instance.policy_id == policy_id
    assert instance.protection_state == "ProtectionConfigured" and instance.datasource_kind == "aks"
    assert [i.name for i in lookups.get_backup_instances(vault.arm_id)] == ["bi-1"]

    since = program_config.request_log()[-1]["seq"]
    adopt = {"adopt_existing": True, "on_delete": "Retain", "__provider": "p", "__owner": "another-stack"}
    for provider, found in ((VaultProvider(), vault), (PolicyProvider(), policy), (InstanceProvider(), instance)):
        planned = provider.check({}, {**found.inputs, **adopt})
        assert planned.failures == [], [f.reason for f in planned.failures]
        assert planned.inputs["adoption"].endswith("nothing is written"), (found.name, planned.inputs["adoption"])
        provider.create(planned.inputs)
    assert program_config.writes(since) == []

    with pytest.raises(lookups.ResourceNotFoundError, match="backup instance 'bi-9' does not exist"):
        lookups.get_backup_instance(vault_id=vault.arm_id, name="bi-9")
    with pytest.raises(ValueError, match="give the vault's id, or its name and resource_group_name"):
        lookups.get_backup_vault(name="vault-1")
