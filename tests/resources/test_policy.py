"""BackupPolicy provider: content-addressed versions, never re-PUT, fixed names refused on change, delete rules."""

from __future__ import annotations

import pytest

from pulumi_dataprotection.dynamic import ResourceFailure
from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.instance.resource import InstanceProvider
from pulumi_dataprotection.policy.builders import Retention, aks_policy
from pulumi_dataprotection.policy.resource import PolicyProvider, content_hash
from pulumi_dataprotection.schema import UNKNOWN_STRING
from pulumi_dataprotection.vault.resource import VaultProvider
from tests.resources.helpers import checked, instance_inputs, policy_inputs, refused, up, vault_inputs


@pytest.fixture
def vault_id(configured: EmulatorHandle) -> str:
    id_, _ = up(VaultProvider(), vault_inputs())
    return id_


@pytest.fixture
def provider(configured: EmulatorHandle) -> PolicyProvider:
    return PolicyProvider()


def test_name_is_content_addressed_and_outputs_a_summary(provider: PolicyProvider, vault_id: str) -> None:
    inputs = checked(provider, policy_inputs(vault_id))
    digest = content_hash(inputs)
    assert inputs["name"] == f"aks-policy-{digest}" and len(digest) == 8

    id_, outs = up(provider, policy_inputs(vault_id))
    assert id_ == f"{vault_id}/backupPolicies/aks-policy-{digest}" == outs["arm_id"]
    assert outs["content_hash"] == digest
    assert outs["summary"] == "every 4 h to OperationalStore, kept 7 days"
    assert outs["datasource_types"] == ["Microsoft.ContainerService/managedClusters"]
    assert outs["api_version"] == "2026-06-01" and outs["provisioning_state"] == "Succeeded"


def test_an_unchanged_policy_is_never_put_again(
    provider: PolicyProvider, vault_id: str, configured: EmulatorHandle
) -> None:
    id_, outs = up(provider, policy_inputs(vault_id))
    since = configured.request_log()[-1]["seq"]

    read = provider.read(id_, outs)
    assert read.inputs is not None and read.inputs["name_prefix"] == "aks-policy"
    for olds in (outs, read.outs or {}):
        assert provider.diff(id_, olds, checked(provider, policy_inputs(vault_id), olds)).changes is False
    assert configured.writes(since) == []


def test_a_content_change_is_a_new_version_created_before_the_old_is_deleted(
    provider: PolicyProvider, vault_id: str
) -> None:
    id_, outs = up(provider, policy_inputs(vault_id))
    news = checked(provider, policy_inputs(vault_id, **aks_policy(retention=Retention("P14D"))))
    plan = provider.diff(id_, outs, news)
    assert {"name", "policy_rules"} <= set(plan.replaces or [])
    assert plan.delete_before_replace is False
    assert news["name"] != outs["name"] and news["name"].startswith("aks-policy-")


def test_instances_are_repointed_then_the_old_version_is_deleted(
    provider: PolicyProvider, vault_id: str, configured: EmulatorHandle
) -> None:
    instances = InstanceProvider()
    old_id, old_outs = up(provider, policy_inputs(vault_id))
    bi_id, bi_outs = up(instances, instance_inputs(vault_id, old_id))

    new_id, _ = up(provider, policy_inputs(vault_id, **aks_policy(retention=Retention("P14D"))))
    news = checked(instances, instance_inputs(vault_id, new_id))
    plan = instances.diff(bi_id, bi_outs, news)
    assert plan.changes and plan.replaces == []
    bi_outs = instances.update(bi_id, bi_outs, news).outs or {}
    assert bi_outs["policy_id"] == new_id and bi_outs["protection_state"] == "ProtectionConfigured"
    provider.delete(old_id, old_outs)
    assert provider.read(old_id, old_outs).id == ""


def test_a_fixed_name_cannot_change_content(
    provider: PolicyProvider, vault_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr("pulumi.log.warn", lambda message, *_, **__: warnings.append(message))
    id_, outs = up(provider, policy_inputs(vault_id, name="daily"))
    assert id_.endswith("/backupPolicies/daily") and outs["name_prefix"] is None

    changed = checked(provider, policy_inputs(vault_id, name="daily", **aks_policy(retention=Retention("P14D"))), outs)
    message = refused(provider, id_, outs, changed)
    assert "UserErrorBMSUpdatePolicyNotSupported" in message and "remove `name`" in message
    assert warnings == [
        "dataprotection: BackupPolicy 'daily': `pulumi up` will refuse this change and write nothing: "
        "policy_rules cannot change in place (it needs a replacement); Azure cannot update a policy and this one has "
        "a fixed `name`; remove `name` (content-addressed versions) or give the changed policy a new name"
    ], "the preview says it once, in review's words"
    assert "kept 7 days" in message and "kept 14 days" in message

    renamed = checked(
        provider, policy_inputs(vault_id, name="daily-v2", **aks_policy(retention=Retention("P14D"))), outs
    )
    assert provider.diff(id_, outs, renamed).delete_before_replace is False


def test_name_and_prefix_together_fail_check(provider: PolicyProvider, vault_id: str) -> None:
    result = provider.check({}, {**policy_inputs(vault_id, prefix=None, name="x"), "name_prefix": "y"})
    assert [f.property for f in result.failures] == ["name"]


def test_unknown_content_gives_an_unknown_name(provider: PolicyProvider, vault_id: str) -> None:
    result = provider.check({}, policy_inputs(vault_id, policy_rules=UNKNOWN_STRING))
    assert result.failures == [] and result.inputs["name"] == UNKNOWN_STRING


def test_invalid_rules_are_check_failures(provider: PolicyProvider, vault_id: str) -> None:
    rules = aks_policy()["policy_rules"]
    rules[0]["data_store"] = "VaultStore"
    result = provider.check({}, policy_inputs(vault_id, policy_rules=rules))
    assert any(f.property == "policy_rules[0].data_store" for f in result.failures), result.failures


def test_an_existing_policy_is_adopted_only_with_adopt_existing_and_identical_content(
    provider: PolicyProvider, vault_id: str, configured: EmulatorHandle
) -> None:
    up(provider, policy_inputs(vault_id, name="shared"))
    since = configured.request_log()[-1]["seq"]
    refused = provider.check({}, policy_inputs(vault_id, name="shared"))
    assert [f.property for f in refused.failures] == ["adopt_existing"]
    assert "was not created by this stack" in refused.failures[0].reason
    with pytest.raises(ResourceFailure, match=r"not taken over.*adopt_existing=True and on_delete"):
        provider.create(policy_inputs(vault_id, name="shared"))

    adopt = {"adopt_existing": True, "on_delete": "Retain"}
    planned = checked(provider, policy_inputs(vault_id, name="shared", **adopt))
    assert (
        planned["adoption"]
        == "adopts the existing resource (destroy: Retain); it matches the program: nothing is written"
    )
    _, outs = up(provider, policy_inputs(vault_id, name="shared", **adopt))
    assert outs["adoption"] == planned["adoption"] and outs["on_delete"] == "Retain"
    provider.delete(outs["arm_id"], outs)
    assert configured.writes(since) == []

    longer = aks_policy(retention=Retention("P14D"))
    different = provider.check({}, policy_inputs(vault_id, name="shared", **adopt, **longer))
    assert [f.property for f in different.failures] == ["policy_rules[1].lifecycles[0].delete_after"]
    reason = different.failures[0].reason
    assert "where Azure cannot change an existing resource" in reason
    assert '"P7D"' in reason and '"P14D"' in reason and "in Azure ->" in reason


def test_deleting_a_policy_in_use_explains_why(provider: PolicyProvider, vault_id: str) -> None:
    policy_id, outs = up(provider, policy_inputs(vault_id))
    up(InstanceProvider(), instance_inputs(vault_id, policy_id))
    with pytest.raises(ResourceFailure, match="backup instances still use it") as err:
        provider.delete(policy_id, outs)
    assert "UserErrorDppPolicyObjectInUse" in str(err.value)


def test_replacing_a_retained_policy_warns_that_the_old_one_stays_in_azure(
    provider: PolicyProvider, vault_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pulumi never asks the provider before a delete, so a Retain resource's replacement is the one moment the
    preview can say that its old copy is kept (and forgotten) rather than deleted."""
    warnings: list[str] = []
    monkeypatch.setattr("pulumi.log.warn", lambda message, *_, **__: warnings.append(message))
    id_, outs = up(provider, policy_inputs(vault_id, on_delete="Retain"))
    news = checked(provider, policy_inputs(vault_id, on_delete="Retain", **aks_policy(retention=Retention("P14D"))))

    provider.diff(id_, outs, news)

    (warning,) = [w for w in warnings if "on_delete is Retain" in w]
    assert f"the old policy {outs['name']!r} stays in Azure" in warning and "only the stack forgets it" in warning
    warnings.clear()
    id_, outs = up(provider, policy_inputs(vault_id, prefix="deleted"))
    provider.diff(
        id_,
        outs,
        checked(provider, policy_inputs(vault_id, prefix="deleted", **aks_policy(retention=Retention("P14D")))),
    )
    assert not [w for w in warnings if "on_delete is Retain" in w]
