"""The ownership mark: only this stack (its secret ``dataprotection:ownerKey``) resumes a resource it left behind;
names alone (another backend with the same project and stack, a forged or pre-key tag) never take anything over, and
a soft-deleted instance is undeleted only with ``adopt_existing``. Resume and undelete are preview warnings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pulumi_dataprotection import config as config_module
from pulumi_dataprotection.arm.client import get_client
from pulumi_dataprotection.dynamic import ResourceFailure, engine, program
from pulumi_dataprotection.dynamic.adoption import ADOPTION, OWNER_KEY, OWNER_TAG, owner_marker
from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.instance.resource import InstanceProvider
from pulumi_dataprotection.policy.resource import PolicyProvider
from pulumi_dataprotection.vault.resource import VaultProvider
from tests.resources.conftest import stack_config
from tests.resources.helpers import instance_inputs, policy_inputs, up, vault_inputs

IDENTITY = owner_marker("proj", "prod", "BackupVault", "vault")
"""What anyone who knows the project, stack and resource names computes (the pre-key tag value)."""


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The preview warnings the provider logs."""
    seen: list[str] = []
    monkeypatch.setattr(engine, "preview_warning", lambda message: seen.append(message), raising=False)
    import pulumi_dataprotection.instance.resource as instance_resource

    monkeypatch.setattr(instance_resource, "preview_warning", lambda message: seen.append(message), raising=False)
    yield seen


def check(provider: Any, news: dict[str, Any], owner: str = IDENTITY) -> Any:
    program.forget()
    return provider.check({}, {**news, "__provider": "serialized", OWNER_KEY: owner})


def create(provider: Any, news: dict[str, Any], owner: str = IDENTITY) -> Any:
    result = check(provider, news, owner)
    assert result.failures == [], [f.reason for f in result.failures]
    return provider.create(result.inputs)


def leave_behind(handle: EmulatorHandle, provider: Any, news: dict[str, Any], **config: Any) -> None:
    """The leftover of an interrupted create by the stack configured with ``config``: it exists in Azure, and no
    state holds it."""
    config_module.set_stack_config(stack_config(handle, **config))
    create(provider, news)
    config_module.set_stack_config(stack_config(handle))


def test_a_stack_resumes_its_own_leftover_with_a_preview_warning(
    configured: EmulatorHandle, warnings: list[str]
) -> None:
    provider = VaultProvider()
    leave_behind(configured, provider, vault_inputs())
    planned = check(provider, vault_inputs(tags={"team": "a"}))
    assert planned.failures == [] and planned.inputs[ADOPTION].startswith("resumes the interrupted create")
    assert len(warnings) == 1 and "exists in Azure although this stack's state does not hold it" in warnings[0]
    assert provider.create(planned.inputs).outs["tags"] == {"team": "a"}


def test_another_backend_with_the_same_project_and_stack_names_does_not_resume(
    configured: EmulatorHandle, warnings: list[str]
) -> None:
    vaults, instances = VaultProvider(), InstanceProvider()
    leave_behind(configured, vaults, vault_inputs(), **{"dataprotection:ownerKey": "the-first-backend-key"})
    refused = check(vaults, vault_inputs())
    assert [f.property for f in refused.failures] == ["adopt_existing"]
    assert f"carries the ownership tag {OWNER_TAG} of another stack" in refused.failures[0].reason
    with pytest.raises(ResourceFailure, match="was not created by this stack"):
        vaults.create({**check(vaults, vault_inputs(), owner="").inputs, OWNER_KEY: IDENTITY})

    vault_id = refused.inputs["arm_id"]
    policy_id, _ = up(PolicyProvider(), policy_inputs(vault_id))
    leave_behind(
        configured, instances, instance_inputs(vault_id, policy_id), **{"dataprotection:ownerKey": "first-backend"}
    )
    since = configured.request_log()[-1]["seq"]
    assert [f.property for f in check(instances, instance_inputs(vault_id, policy_id)).failures] == ["adopt_existing"]
    assert configured.writes(since) == [] and warnings == []


def test_a_forged_or_pre_key_tag_is_never_adopted(configured: EmulatorHandle) -> None:
    provider = VaultProvider()
    client = get_client(config_module.current().arm_settings())
    path = f"{check(provider, vault_inputs()).inputs['arm_id']}"
    body = {
        "location": "westeurope",
        "tags": {OWNER_TAG: IDENTITY},
        "properties": {"storageSettings": [{"datastoreType": "VaultStore", "type": "LocallyRedundant"}]},
    }
    client.execute("PUT", path, body, operation="forge", resource=path)
    refused = check(provider, vault_inputs())
    assert [f.property for f in refused.failures] == ["adopt_existing"]


def test_without_an_owner_key_nothing_is_marked_and_nothing_resumes(configured: EmulatorHandle) -> None:
    config_module.set_stack_config({**stack_config(configured), "dataprotection:ownerKey": None})
    provider = VaultProvider()
    create(provider, vault_inputs())
    assert "tags" not in configured.writes(0)[0]["body"]
    assert [f.property for f in check(provider, vault_inputs()).failures] == ["adopt_existing"]


def _soft_deleted_instance(handle: EmulatorHandle) -> tuple[InstanceProvider, dict[str, Any]]:
    """An instance created and deleted by another tool (soft-deleted in the vault)."""
    vault_id, _ = up(VaultProvider(), vault_inputs())
    policy_id, _ = up(PolicyProvider(), policy_inputs(vault_id))
    provider = InstanceProvider()
    other = instance_inputs(vault_id, policy_id)
    leave_behind(handle, provider, other, **{"dataprotection:ownerKey": "another-tool"})
    provider.delete(f"{vault_id}/backupInstances/bi-1", {**other, "on_delete": "Delete"})
    return provider, other


def test_a_soft_deleted_instance_is_undeleted_only_with_adopt_existing_and_a_warning(
    configured: EmulatorHandle, warnings: list[str]
) -> None:
    provider, news = _soft_deleted_instance(configured)
    since = configured.request_log()[-1]["seq"]
    refused = check(provider, news)
    assert [f.property for f in refused.failures] == ["adopt_existing"]
    assert "would undelete it and take over its recovery points" in refused.failures[0].reason
    with pytest.raises(ResourceFailure, match="would undelete it"):
        provider.create({**check(provider, news, owner="").inputs, OWNER_KEY: IDENTITY})
    assert configured.writes(since) == []

    planned = check(provider, {**news, "adopt_existing": True, "on_delete": "Retain"})
    assert planned.failures == [] and planned.inputs[ADOPTION].startswith("undeletes the soft-deleted instance")
    assert len(warnings) == 1 and "undeletes" in warnings[0]
    outs = provider.create(planned.inputs).outs
    assert outs["protection_state"] == "ProtectionConfigured" and outs[ADOPTION] == planned.inputs[ADOPTION]


def test_a_resource_of_the_state_with_the_pre_key_tag_keeps_working(configured: EmulatorHandle) -> None:
    """Migration: the old tag (the bare identity hash) on a resource this state holds is stripped from outputs, so
    nothing shows as a change, and a change of tags drops it; it never resumes anything (see above)."""
    config_module.set_stack_config({**stack_config(configured), "dataprotection:ownerKey": None})
    provider = VaultProvider()
    id_ = create(provider, vault_inputs(tags={"team": "a"})).id
    client = get_client(config_module.current().arm_settings())
    client.execute("PATCH", id_, {"tags": {"team": "a", OWNER_TAG: IDENTITY}}, operation="old tag", resource=id_)
    config_module.set_stack_config(stack_config(configured))
    outs = provider.read(id_, {**check(provider, vault_inputs(tags={"team": "a"})).inputs}).outs
    assert outs is not None and outs["tags"] == {"team": "a"}
    news = provider.check(outs, {**vault_inputs(tags={"team": "a"}), OWNER_KEY: IDENTITY}).inputs
    assert not provider.diff(id_, outs, news).changes
    since = configured.request_log()[-1]["seq"]
    changed = provider.check(outs, {**vault_inputs(tags={"team": "b"}), OWNER_KEY: IDENTITY}).inputs
    provider.update(id_, outs, changed)
    assert configured.writes(since)[0]["body"]["tags"] == {"team": "b"}
