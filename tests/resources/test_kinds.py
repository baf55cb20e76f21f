"""Coverage guards of the datasource kinds, from the declarations: every kind of the catalog has what its module must
declare (recommended policy, roles, restore target, example, emulator support), its recommended policy and example
instance are valid against the official spec, and the example converges on the emulator (create, then an empty diff)
through the providers; so does every vault, resource guard and vault guard link sample of the schema tests (which
together set every input of each)."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.dynamic import ResourceProvider

from pulumi_dataprotection import config as config_module
from pulumi_dataprotection.datasources import KINDS
from pulumi_dataprotection.datasources.coverage import instance_inputs, policy_inputs, problems
from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.guard.resource import ResourceGuardProvider
from pulumi_dataprotection.guardlink.resource import GuardLinkProvider
from pulumi_dataprotection.instance.resource import InstanceProvider
from pulumi_dataprotection.instance.schema import INSTANCE
from pulumi_dataprotection.policy.resource import PolicyProvider
from pulumi_dataprotection.policy.schema import POLICY
from pulumi_dataprotection.vault.resource import VaultProvider
from tests.resources.conftest import stack_config
from tests.resources.helpers import RG, checked, up, vault_inputs
from tests.schema.samples import GUARD_LINKS, GUARDS, VAULTS, guard_inputs, guard_link_inputs
from tests.schema.samples import vault_inputs as vault_sample
from tests.support.emulator import SUBSCRIPTION
from tests.support.spec import Spec


def test_every_kind_declares_what_the_other_layers_need() -> None:
    missing = problems()
    assert not missing, "datasource kinds lack:\n  " + "\n  ".join(missing)


@pytest.mark.parametrize("key", list(KINDS))
def test_recommended_policy_and_example_instance_are_valid_against_the_spec(key: str, spec: Spec) -> None:
    kind = KINDS[key]
    spec.assert_valid("BaseBackupPolicyResource", POLICY.to_rest(policy_inputs(kind)))
    spec.assert_valid("BackupInstanceResource", INSTANCE.to_rest(instance_inputs(kind)))


_VAULT_ID = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{RG}/providers/Microsoft.DataProtection/backupVaults/vault-1"


def _in(vault_id: str, inputs: dict[str, Any]) -> dict[str, Any]:
    return {**inputs, "vault_id": vault_id}


@pytest.mark.parametrize("key", list(KINDS))
def test_example_instance_converges_on_the_emulator(key: str, configured: EmulatorHandle) -> None:
    kind = KINDS[key]
    vault_id, _ = up(VaultProvider(), vault_inputs(identity_type="SystemAssigned"))
    policy_id, _ = up(PolicyProvider(), _in(vault_id, policy_inputs(kind)))
    provider = InstanceProvider()
    news = _in(vault_id, instance_inputs(kind, policy_id))
    id_, outs = up(provider, news)
    assert outs["protection_state"] == "ProtectionConfigured", outs
    read = provider.read(id_, outs)
    diff = provider.diff(id_, read.outs or {}, checked(provider, news, read.outs or {}))
    assert diff.changes is False, f"{key}: the example does not converge: {diff.__dict__}"


def test_a_kind_newer_than_the_configured_api_version_is_refused_at_preview(configured: EmulatorHandle) -> None:
    kind = next(k for k in KINDS.values() if k.since)
    older = "2025-09-01"
    assert older < kind.since
    config_module.set_stack_config(stack_config(configured, **{"dataprotection:apiVersion": older}))
    instance = InstanceProvider().check({}, _in(_VAULT_ID, instance_inputs(kind, f"{_VAULT_ID}/backupPolicies/p")))
    policy = PolicyProvider().check({}, _in(_VAULT_ID, policy_inputs(kind)))
    for result, name in ((instance, "datasource_kind"), (policy, "datasource_types")):
        (failure,) = result.failures
        assert failure.property == name
        assert f"need api-version {kind.since} or later" in failure.reason and older in failure.reason


@pytest.mark.parametrize("key", list(VAULTS))
def test_every_vault_sample_converges_on_the_emulator(key: str, configured: EmulatorHandle) -> None:
    provider = VaultProvider()
    news = vault_sample(key)
    if news.get("soft_delete_state"):  # the default api-version creates vaults with always-on soft delete only
        news["soft_delete_state"] = "AlwaysOn"
    _, diff = _converges(provider, news)
    assert diff.changes is False, f"vault sample {key} does not converge: {diff.__dict__}"


def _converges(provider: ResourceProvider, news: dict[str, Any]) -> tuple[str, Any]:
    """Create through the provider, read back, diff against the same inputs: (id, the diff)."""
    id_, outs = up(provider, news)
    read = provider.read(id_, outs)
    return id_, provider.diff(id_, read.outs or {}, checked(provider, news, read.outs or {}))


@pytest.mark.parametrize("key", list(GUARDS))
def test_every_resource_guard_sample_converges_on_the_emulator(key: str, configured: EmulatorHandle) -> None:
    _, diff = _converges(ResourceGuardProvider(), guard_inputs(key))
    assert diff.changes is False, f"resource guard sample {key} does not converge: {diff.__dict__}"


@pytest.mark.parametrize("key", list(GUARD_LINKS))
def test_every_guard_link_sample_converges_on_the_emulator(key: str, configured: EmulatorHandle) -> None:
    vault_id, _ = up(VaultProvider(), vault_inputs())
    guard_id, _ = up(ResourceGuardProvider(), guard_inputs("minimal"))
    news = {**guard_link_inputs(key), "vault_id": vault_id, "resource_guard_id": guard_id}
    _, diff = _converges(GuardLinkProvider(), news)
    assert diff.changes is False, f"guard link sample {key} does not converge: {diff.__dict__}"
