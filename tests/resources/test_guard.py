"""ResourceGuard and VaultGuardLink providers, and how the other resources meet a guard: refusals that say which
guard, which operation and what to request; the unlock-delete flow; the auxiliary token of a guard's tenant."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_dataprotection import config as config_module
from pulumi_dataprotection.dynamic import ResourceFailure
from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.guard.resource import ResourceGuardProvider
from pulumi_dataprotection.guardlink.resource import GuardLinkProvider
from pulumi_dataprotection.instance.resource import InstanceProvider
from pulumi_dataprotection.policy.builders import Retention, aks_policy
from pulumi_dataprotection.policy.resource import PolicyProvider
from pulumi_dataprotection.vault.resource import VaultProvider
from tests.resources.conftest import stack_config
from tests.resources.helpers import checked, instance_inputs, policy_inputs, refused, up, update, vault_inputs

SECURITY_SUB = "00000000-0000-0000-0000-0000000000cc"


def guard_inputs(**extra: Any) -> dict[str, Any]:
    return {
        "name": "guard-1",
        "resource_group_name": "rg-security",
        "subscription_id": SECURITY_SUB,
        "location": vault_inputs()["location"],
        **extra,
    }


class Env:
    """A guard in the security team's subscription, a vault linked to it and an instance in the vault."""

    def __init__(self, handle: EmulatorHandle) -> None:
        self.handle = handle
        self.guard_id, self.guard = up(ResourceGuardProvider(), guard_inputs())
        self.vault_id, self.vault = up(VaultProvider(), vault_inputs())
        self.link_id, self.link = up(
            GuardLinkProvider(), {"vault_id": self.vault_id, "resource_guard_id": self.guard_id}
        )
        self.policy_id, _ = up(PolicyProvider(), policy_inputs(self.vault_id))

    def instance(self, **extra: Any) -> tuple[str, dict[str, Any]]:
        return up(InstanceProvider(), instance_inputs(self.vault_id, self.policy_id, **extra))


@pytest.fixture
def env(configured: EmulatorHandle) -> Env:
    return Env(configured)


def test_guard_outputs_and_updates(env: Env) -> None:
    assert env.guard_id == env.guard["arm_id"] and f"/subscriptions/{SECURITY_SUB}/" in env.guard_id
    assert env.guard["excluded_operations"] == [] and env.guard["provisioning_state"] == "Succeeded"
    provider = ResourceGuardProvider()
    read = provider.read(env.guard_id, env.guard)
    assert provider.diff(env.guard_id, read.outs or {}, checked(provider, guard_inputs())).changes is False
    since = int(env.handle.request_log()[-1]["seq"])
    tagged = update(provider, env.guard_id, env.guard, guard_inputs(tags={"owner": "security"}))
    assert tagged["tags"] == {"owner": "security"}
    assert [e["method"] for e in env.handle.writes(since)] == ["PATCH"]
    excluded = update(provider, env.guard_id, tagged, guard_inputs(excluded_operations=["suspend_backups"]))
    assert excluded["excluded_operations"] == [
        "Microsoft.DataProtection/backupVaults/backupInstances/suspendBackups/action"
    ]


def test_mandatory_operations_cannot_be_excluded_at_preview(configured: EmulatorHandle) -> None:
    result = ResourceGuardProvider().check({}, guard_inputs(excluded_operations=["remove_guard"]))
    assert [f.property for f in result.failures] == ["excluded_operations[0]"]


def test_existing_guard_and_link_are_not_taken_over(env: Env) -> None:
    with pytest.raises(ResourceFailure, match="adopt_existing"):
        up(ResourceGuardProvider(), guard_inputs())
    with pytest.raises(ResourceFailure, match="already linked"):
        up(GuardLinkProvider(), {"vault_id": env.vault_id, "resource_guard_id": env.guard_id, "name": "other"})
    _, adopted = up(ResourceGuardProvider(), guard_inputs(adopt_existing=True))
    assert adopted["arm_id"] == env.guard_id


def test_link_reports_protected_operations_and_the_vault_is_guarded(env: Env) -> None:
    details = {
        d["vaultCriticalOperation"]: d["defaultResourceRequest"] for d in env.link["resource_guard_operation_details"]
    }
    assert details["Microsoft.DataProtection/backupVaults/backupInstances/delete"] == (
        f"{env.guard_id}/deleteBackupInstanceRequests/default"
    )
    vault = VaultProvider().read(env.vault_id, env.vault).outs or {}
    assert vault["is_vault_protected_by_resource_guard"] is True


def test_guarded_delete_is_refused_with_what_to_request_then_allowed_after_access(env: Env) -> None:
    id_, outs = env.instance()
    provider = InstanceProvider()
    with pytest.raises(ResourceFailure) as refused:
        provider.delete(id_, outs)
    message = str(refused.value)
    assert env.guard_id in message and "backupInstances/delete" in message
    assert f"{env.guard_id}/deleteBackupInstanceRequests/default" in message and "LinkedAuthorizationFailed" in message
    env.handle.grant_guard_access(env.guard_id)
    since = int(env.handle.request_log()[-1]["seq"])
    provider.delete(id_, outs)
    calls = [f"{e['method']} {e['path'].rsplit('/', 1)[-1]}" for e in env.handle.writes(since)]
    assert calls == ["DELETE bi-1", "POST unlockDelete", "DELETE bi-1"]


def test_stop_protection_on_delete_sends_the_guard_request(env: Env) -> None:
    id_, outs = env.instance(on_delete="StopProtectionRetainData")
    env.handle.grant_guard_access(env.guard_id)
    since = int(env.handle.request_log()[-1]["seq"])
    InstanceProvider().delete(id_, outs)
    bodies = [e["body"] for e in env.handle.writes(since) if e["path"].endswith("/stopProtection")]
    assert bodies[-1] == {
        "resourceGuardOperationRequests": [f"{env.guard_id}/dppDisableStopProtectionRequests/default"]
    }


def test_reducing_soft_delete_retention_asks_the_guard(env: Env) -> None:
    provider = VaultProvider()
    longer = update(provider, env.vault_id, env.vault, vault_inputs(soft_delete_retention_days=30))
    with pytest.raises(ResourceFailure, match="disableSoftDeleteRequests/default"):
        update(provider, env.vault_id, longer, vault_inputs(soft_delete_retention_days=14))
    env.handle.grant_guard_access(env.guard_id)
    shorter = update(provider, env.vault_id, longer, vault_inputs(soft_delete_retention_days=14))
    assert shorter["soft_delete_retention_days"] == 14


def test_link_removal_unlocks_first(env: Env) -> None:
    provider = GuardLinkProvider()
    with pytest.raises(ResourceFailure, match="deleteResourceGuardProxyRequests/default"):
        provider.delete(env.link_id, env.link)
    env.handle.grant_guard_access(env.guard_id)
    since = int(env.handle.request_log()[-1]["seq"])
    provider.delete(env.link_id, env.link)
    assert [e["path"].rsplit("/", 1)[-1] for e in env.handle.writes(since)] == ["unlockDelete", "DppResourceGuardProxy"]
    assert provider.read(env.link_id, env.link).outs == {}
    ResourceGuardProvider().delete(env.guard_id, env.guard)


def test_guard_in_use_cannot_be_deleted(env: Env) -> None:
    with pytest.raises(ResourceFailure, match="VaultGuardLink"):
        ResourceGuardProvider().delete(env.guard_id, env.guard)


def test_guard_in_another_tenant_uses_the_auxiliary_token(env: Env) -> None:
    env.handle.add_tenant(SECURITY_SUB, "11111111-2222-3333-4444-555555555555", "security-token")
    env.handle.grant_guard_access(env.guard_id)
    id_, outs = env.instance()
    with pytest.raises(ResourceFailure, match="auxiliaryTenantIds"):
        InstanceProvider().delete(id_, outs)
    config_module.set_stack_config(stack_config(env.handle, **{"dataprotection:auxiliaryTokens": "security-token"}))
    InstanceProvider().delete(id_, outs)


def test_moving_an_instance_to_a_shorter_retention_asks_the_guard(env: Env) -> None:
    id_, outs = env.instance()
    shorter_id, _ = up(
        PolicyProvider(), {**policy_inputs(env.vault_id, prefix="short"), **aks_policy(retention=Retention("P3D"))}
    )
    news = instance_inputs(env.vault_id, shorter_id)
    with pytest.raises(ResourceFailure, match="dppModifyPolicy/default"):
        update(InstanceProvider(), id_, outs, news)
    env.handle.grant_guard_access(env.guard_id)
    since = int(env.handle.request_log()[-1]["seq"])
    moved = update(InstanceProvider(), id_, outs, news)
    assert moved["policy_id"] == shorter_id
    puts = [e["body"] for e in env.handle.writes(since) if e["method"] == "PUT"]
    assert puts[-1]["properties"]["resourceGuardOperationRequests"] == [f"{env.guard_id}/dppModifyPolicy/default"]


def test_replacing_the_link_is_refused_at_preview_unless_allowed(env: Env) -> None:
    other_id, _ = up(ResourceGuardProvider(), guard_inputs(name="guard-2"))
    provider = GuardLinkProvider()
    news = checked(provider, {"vault_id": env.vault_id, "resource_guard_id": other_id})
    assert "no multi-user authorization until the new link exists" in refused(provider, env.link_id, env.link, news)
    allowed = checked(provider, {"vault_id": env.vault_id, "resource_guard_id": other_id, "allow_replace": True})
    assert provider.diff(env.link_id, env.link, allowed).replaces == ["resource_guard_id"]
    same = checked(provider, {"vault_id": env.vault_id, "resource_guard_id": env.guard_id, "allow_replace": True})
    assert not provider.diff(env.link_id, env.link, same).changes, "the opt-in is no change by itself"
    outs = provider.update(env.link_id, env.link, same).outs
    assert outs is not None and outs["allow_replace"] is None, "the opt-in is never kept in the state"
