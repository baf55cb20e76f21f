"""BackupInstance provider: validation before writes, protection waits and errors, in-place updates, adopt and
undelete, delete modes, and per-vault serialization of concurrent writes."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from pulumi_dataprotection import config as config_module
from pulumi_dataprotection.arm import OperationFailedError
from pulumi_dataprotection.arm.locks import PROCESS_VAULT_LOCKS
from pulumi_dataprotection.dynamic import ResourceFailure, program
from pulumi_dataprotection.dynamic.adoption import OWNER_KEY
from pulumi_dataprotection.emulator import EmulatorHandle, start_emulator
from pulumi_dataprotection.instance import protection as instance_protection
from pulumi_dataprotection.instance.resource import InstanceProvider
from pulumi_dataprotection.policy.builders import disk_policy
from pulumi_dataprotection.policy.resource import PolicyProvider
from pulumi_dataprotection.vault.resource import VaultProvider
from tests.resources.conftest import stack_config
from tests.resources.helpers import aks_id, checked, instance_inputs, policy_inputs, refused, up, update, vault_inputs


class Env:
    """A vault with an AKS policy, and the instance provider."""

    def __init__(self, handle: EmulatorHandle) -> None:
        self.handle = handle
        self.vault_id, _ = up(VaultProvider(), vault_inputs())
        self.policy_id, _ = up(PolicyProvider(), policy_inputs(self.vault_id))
        self.provider = InstanceProvider()

    def inputs(self, **extra: Any) -> dict[str, Any]:
        return instance_inputs(self.vault_id, self.policy_id, **extra)

    def since(self) -> int:
        return int(self.handle.request_log()[-1]["seq"])

    def calls(self, since: int) -> list[str]:
        """Method + last path segment of the requests after ``since`` that are not polls."""
        out = []
        for e in self.handle.request_log(since):
            tail = e["path"].rsplit("/", 1)[-1]
            if "operationStatus" in e["path"] or "operationResults" in e["path"]:
                continue
            out.append(f"{e['method']} {tail}")
        return out


@pytest.fixture
def env(configured: EmulatorHandle) -> Env:
    return Env(configured)


def test_create_validates_first_then_waits_for_protection(env: Env) -> None:
    since = env.since()
    id_, outs = up(env.provider, env.inputs())

    calls = env.calls(since)
    assert calls.index("POST validateForBackup") < calls.index("PUT bi-1")
    assert id_ == f"{env.vault_id}/backupInstances/bi-1" == outs["arm_id"]
    assert outs["protection_state"] == "ProtectionConfigured" == outs["current_protection_state"]
    assert outs["protection_status"] == {"status": "ProtectionConfigured"}
    assert outs["protection_error"] is None
    assert outs["on_delete"] == "Delete"
    assert outs["datasource_type"] == "Microsoft.ContainerService/managedClusters"
    assert outs["datasource_id"] == aks_id("aks-1") and outs["policy_id"] == env.policy_id
    assert outs["api_version"] == "2026-06-01" and outs["provisioning_state"] == "Succeeded"
    assert outs["datasource_info"] is None is outs["datasource_set_info"], "echoes of the inputs are not kept"

    read = env.provider.read(id_, outs)
    assert (
        env.provider.diff(id_, read.outs or {}, checked(env.provider, env.inputs(), read.outs or {})).changes is False
    )


def test_validate_for_backup_failure_writes_nothing(env: Env) -> None:
    env.handle.add_datasource(aks_id("another-cluster"), "westeurope")
    since = env.since()
    with pytest.raises(ResourceFailure, match="validateForBackup rejected the backup instance, so nothing was written"):
        up(env.provider, env.inputs())
    assert env.handle.writes(since) == []


def test_protection_error_reports_azure_details_and_a_rerun_recovers(env: Env) -> None:
    env.handle.inject_fault(
        "protection_error",
        method="PUT",
        path="backupInstances",
        count=1,
        code="UserErrorMSIMissingPermissions",
        message="The vault's identity lacks Reader on the cluster.",
    )
    with pytest.raises(ResourceFailure) as err:
        up(env.provider, env.inputs())
    message = str(err.value)
    assert "ProtectionError" in message
    assert "UserErrorMSIMissingPermissions: The vault's identity lacks Reader on the cluster." in message
    assert "recommended action: Grant the backup vault's managed identity" in message

    found = env.provider.read(f"{env.vault_id}/backupInstances/bi-1", {})
    assert found.outs is not None and found.outs["protection_error"]["code"] == "UserErrorMSIMissingPermissions"

    _, outs = up(env.provider, env.inputs())
    assert outs["protection_state"] == "ProtectionConfigured"


def test_a_failed_operation_surfaces_azure_error(env: Env) -> None:
    env.handle.inject_fault("lro_fail", method="PUT", path="backupInstances", code="UserErrorSomething", message="nope")
    with pytest.raises(OperationFailedError, match="UserErrorSomething: nope"):
        up(env.provider, env.inputs())


def test_not_waiting_for_protection(env: Env) -> None:
    since = env.since()
    _, outs = up(env.provider, env.inputs(wait_for_protection=False))
    calls = env.calls(since)
    # A new AKS instance is created with 201 + Azure-AsyncOperation only (as recorded for every kind but blob and ADLS):
    # the operation's end is read from the instance itself, once, and that body is the state; nothing waits after it.
    assert calls[calls.index("PUT bi-1") + 1 :] == ["GET bi-1"], "one final read of the operation, no protection wait"
    assert outs["protection_state"] in ("ConfiguringProtection", "ProtectionConfigured")


def test_aks_parameters_change_in_place_after_validate_for_modify(env: Env) -> None:
    id_, outs = up(env.provider, env.inputs())
    since = env.since()
    outs = update(env.provider, id_, outs, env.inputs(included_namespaces=["default", "payments"], tags={"a": "b"}))

    calls = env.calls(since)
    assert calls.index("POST validateForModifyBackup") < calls.index("PUT bi-1")
    assert sorted(outs["included_namespaces"]) == ["default", "payments"] and outs["tags"] == {"a": "b"}
    assert outs["protection_state"] == "ProtectionConfigured"


def test_on_delete_change_needs_no_request(env: Env) -> None:
    id_, outs = up(env.provider, env.inputs())
    since = env.since()
    outs = update(env.provider, id_, outs, env.inputs(on_delete="Retain"))
    assert outs["on_delete"] == "Retain" and env.handle.writes(since) == []


def test_datasource_or_vault_change_replaces_when_allowed(env: Env) -> None:
    id_, outs = up(env.provider, env.inputs())
    allow = {"allow_replace_with_data": True}
    plan = env.provider.diff(id_, outs, checked(env.provider, env.inputs(cluster="aks-2", **allow), outs))
    assert set(plan.replaces or []) == {"datasource_id", "friendly_name"} and plan.delete_before_replace is True
    program.forget()  # another program: the plan above did not run
    renamed_news = checked(env.provider, env.inputs(name="bi-2", cluster="aks-2", **allow), outs)
    renamed = env.provider.diff(id_, outs, renamed_news)
    assert set(renamed.replaces or []) == {"name", "datasource_id", "friendly_name"}
    assert renamed.delete_before_replace is False


@pytest.mark.parametrize(
    "change",
    [
        {"cluster": "aks-2"},
        {"snapshot_resource_group_id": "/subscriptions/00000000-0000-0000-0000-0000000000aa/resourceGroups/rg-snap-2"},
        {"friendly_name": "renamed"},
        {"datasource_location": "northeurope"},
        {"name": "bi-2"},
    ],
    ids=lambda change: next(iter(change)),
)
def test_a_replacement_is_refused_at_preview_saying_what_happens_to_the_recovery_points(
    env: Env, change: dict[str, Any]
) -> None:
    id_, outs = up(env.provider, env.inputs())
    since = env.since()
    message = refused(env.provider, id_, outs, checked(env.provider, env.inputs(**change)))
    assert message.startswith("BackupInstance 'bi-1': changing ") and "replaces the backup instance" in message
    assert (
        "The vault's soft delete is AlwaysOn, so the old instance's recovery points are kept as a soft-deleted"
        in message
    )
    assert "for 14 days" in message and "set allow_replace_with_data=True" in message
    assert env.handle.writes(since) == [], "a refused plan changes nothing"


def test_the_refusal_follows_on_delete_and_the_vault_it_can_read(env: Env) -> None:
    id_, outs = up(env.provider, env.inputs())
    news = checked(env.provider, env.inputs(cluster="aks-2"))
    kept = refused(env.provider, id_, {**outs, "on_delete": "StopProtectionRetainData"}, news)
    assert (
        "on_delete is StopProtectionRetainData: the old instance stops being protected and keeps its recovery" in kept
    )
    env.handle.inject_fault(
        "error", method="GET", path="/backupVaults/vault-1$", status=403, code="AuthorizationFailed"
    )
    unread = refused(env.provider, id_, outs, news)
    assert re.search(
        r"depends on the vault's soft delete setting, and the vault could not be read: .*AuthorizationFailed", unread
    )
    assert "with Off they are deleted with it" in unread


def test_the_refusal_says_recovery_points_are_lost_when_soft_delete_is_off(env: Env) -> None:
    # The shared emulator refuses soft delete Off (Azure requires AlwaysOn at 2025-09-01): use one that allows it.
    handle = start_emulator(in_process=True, lro_seconds=0.05, retry_after=0, allow_reversible_soft_delete=True)
    try:
        config_module.set_stack_config(stack_config(handle))
        # A vault created before api-version 2025-09-01 made AlwaysOn mandatory (so it passes the check of a new one).
        old_vault = checked(VaultProvider(), vault_inputs(soft_delete_state="Off"), olds=vault_inputs())
        vault_id = VaultProvider().create(old_vault).id
        policy_id, _ = up(PolicyProvider(), policy_inputs(vault_id))
        id_, outs = up(env.provider, instance_inputs(vault_id, policy_id))
        news = checked(env.provider, instance_inputs(vault_id, policy_id, cluster="aks-2"))
        lost = refused(env.provider, id_, outs, news)
        assert "soft delete is Off, so the old instance's recovery points are deleted with it for good" in lost
    finally:
        config_module.set_stack_config(stack_config(env.handle))
        handle.stop()


def test_the_opt_in_causes_no_diff_and_is_not_kept_in_the_state(env: Env) -> None:
    id_, outs = up(env.provider, env.inputs(allow_replace_with_data=True))
    assert outs["allow_replace_with_data"] is None
    assert not env.provider.diff(id_, outs, checked(env.provider, env.inputs())).changes
    assert not env.provider.diff(id_, outs, checked(env.provider, env.inputs(allow_replace_with_data=True))).changes


def _state(env: Env, name: str = "bi-1") -> str | None:
    body = env.provider.read(f"{env.vault_id}/backupInstances/{name}", {}).outs or {}
    return body.get("protection_state")


@pytest.mark.parametrize(
    ("mode", "after"),
    [
        ("Delete", None),
        ("StopProtectionRetainData", "ProtectionStopped"),
        # Azure's value: corpus/azure-cli-extensions-head/test_dataprotection_backup_instance_update_protection.yaml #18
        ("Suspend", "BackupsSuspended"),
        ("Retain", "ProtectionConfigured"),
    ],
)
def test_delete_modes(env: Env, mode: str, after: str | None) -> None:
    id_, outs = up(env.provider, env.inputs(on_delete=mode))
    env.provider.delete(id_, outs)
    assert _state(env) == after
    env.provider.delete(id_, outs)


ADOPT = {"adopt_existing": True, "on_delete": "Delete"}


def test_an_instance_deleted_outside_pulumi_is_undeleted_by_a_create_that_adopts_it(env: Env) -> None:
    id_, outs = up(env.provider, env.inputs())
    env.provider.delete(id_, outs)
    assert env.provider.read(id_, outs).id == ""

    since = env.since()
    again, outs = up(env.provider, env.inputs(**ADOPT))

    calls = env.calls(since)
    assert again == id_
    assert calls.index("POST undelete") < calls.index("POST resumeProtection") < calls.index("PUT bi-1")
    assert outs["protection_state"] == "ProtectionConfigured"
    assert not [e for e in env.handle.request_log(since) if e["status"] in (406, 409)]


def test_a_soft_deleted_instance_under_another_name_is_never_taken_over(env: Env) -> None:
    id_, outs = up(env.provider, env.inputs())
    env.provider.delete(id_, outs)
    since = env.since()
    with pytest.raises(ResourceFailure, match=r"soft-deleted backup instance 'bi-1'.*set name='bi-1' to undelete"):
        up(env.provider, env.inputs(name="bi-other"))
    assert [c for c in env.calls(since) if not c.startswith("GET")] == []

    since = env.since()
    _, outs = up(env.provider, env.inputs(**ADOPT))
    assert "POST undelete" in env.calls(since)
    assert outs["protection_state"] == "ProtectionConfigured"


def test_a_datasource_protected_elsewhere_is_reported(env: Env, configured: EmulatorHandle) -> None:
    up(env.provider, env.inputs())
    other_vault, _ = up(VaultProvider(), vault_inputs("vault-2"))
    other_policy, _ = up(PolicyProvider(), policy_inputs(other_vault))
    with pytest.raises(ResourceFailure, match=r"already protected by backup instance 'bi-1' in vault .*vault-1"):
        up(env.provider, instance_inputs(other_vault, other_policy))
    with pytest.raises(ResourceFailure, match="set name='bi-1' to manage it from this stack"):
        up(env.provider, env.inputs(name="bi-9"))


def test_ten_instances_from_four_threads_in_one_vault(env: Env) -> None:
    def create(i: int) -> str:
        _, outs = up(env.provider, env.inputs(name=f"bi-{i}", cluster=f"aks-{i}"))
        return str(outs["protection_state"])

    with ThreadPoolExecutor(max_workers=4) as pool:
        states = list(pool.map(create, range(10)))
    assert states == ["ProtectionConfigured"] * 10
    statuses = [e["status"] for e in env.handle.request_log()]
    assert 406 not in statuses and 409 not in statuses


def test_protection_is_awaited_outside_the_vault_lock_unless_the_vault_is_strict(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(PROCESS_VAULT_LOCKS, "_strict", set())
    lock = PROCESS_VAULT_LOCKS.lock_for(env.vault_id)
    free_while_waiting: list[bool] = []
    wait = instance_protection.wait_until

    def probing_wait(ctx: Any, **kwargs: Any) -> str:
        def try_lock() -> None:
            got = lock.acquire(blocking=False)
            if got:
                lock.release()
            free_while_waiting.append(got)

        other = threading.Thread(target=try_lock)
        other.start()
        other.join()
        return wait(ctx, **kwargs)

    monkeypatch.setattr(instance_protection, "wait_until", probing_wait)
    up(env.provider, env.inputs())
    assert free_while_waiting == [True], "another instance of the vault may be written meanwhile"

    PROCESS_VAULT_LOCKS.note_refusal(env.vault_id)
    free_while_waiting.clear()
    up(env.provider, env.inputs(name="bi-2", cluster="aks-2"))
    assert free_while_waiting == [False], "a strict vault stays locked until protection is configured"


@pytest.fixture
def strict_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[Env]:
    """A vault on an emulator that also refuses instance writes while another instance configures protection."""
    handle = start_emulator(in_process=True, lro_seconds=0.2, retry_after=0, strict_vault_writes=True)
    monkeypatch.setattr(PROCESS_VAULT_LOCKS, "_strict", set())
    config_module.set_stack_config(stack_config(handle))
    try:
        yield Env(handle)
    finally:
        config_module.set_stack_config({})
        handle.stop()


def test_a_vault_that_refuses_writes_during_protection_is_learned_and_then_not_hit_again(strict_env: Env) -> None:
    env = strict_env

    def create(i: int) -> str:
        _, outs = up(env.provider, env.inputs(name=f"bi-{i}", cluster=f"aks-{i}"))
        return str(outs["protection_state"])

    with ThreadPoolExecutor(max_workers=2) as pool:
        assert list(pool.map(create, range(2))) == ["ProtectionConfigured"] * 2
    refused = [e for e in env.handle.request_log() if e["status"] == 409]
    assert refused, "the second write met the first instance's protection being configured"
    assert PROCESS_VAULT_LOCKS.is_strict(env.vault_id)

    since = env.since()
    with ThreadPoolExecutor(max_workers=3) as pool:
        assert list(pool.map(create, range(2, 5))) == ["ProtectionConfigured"] * 3
    refusals = [e["status"] for e in env.handle.request_log(since) if e["status"] in (406, 409)]
    assert refusals == [], "no refusal once learned"


def test_validate_in_preview_reports_service_errors_during_check(env: Env) -> None:
    config_module.set_stack_config(stack_config(env.handle, **{"dataprotection:validateInPreview": "true"}))
    assert env.provider.check({}, env.inputs()).failures == []

    disk_policy_id, _ = up(PolicyProvider(), policy_inputs(env.vault_id, prefix="disk", **disk_policy()))
    mismatch = env.provider.check({}, instance_inputs(env.vault_id, disk_policy_id))
    assert [f.property for f in mismatch.failures] == ["policy_id"]

    env.handle.add_datasource(aks_id("another-cluster"), "westeurope")
    since = env.since()
    failures = env.provider.check({}, env.inputs()).failures
    assert len(failures) == 1 and "validateForBackup" in failures[0].reason
    assert env.handle.writes(since) == []


def test_check_failures_name_properties(env: Env) -> None:
    result = env.provider.check({}, env.inputs(on_delete="Purge", snapshot_resource_group_id=None))
    props = {f.property for f in result.failures}
    assert {"on_delete", "snapshot_resource_group_id"} <= props


def test_a_create_waits_for_the_vault_lock_only_within_its_timeout(env: Env) -> None:
    """Issue 19: instances with timeouts.create="2s" waited 13-14 s for the lock of a strict vault."""
    import time

    from pulumi_dataprotection.arm import DeadlineExceededError

    vault = env.vault_id
    PROCESS_VAULT_LOCKS.note_refusal(vault)
    holding, release = threading.Event(), threading.Event()

    def holder() -> None:
        with PROCESS_VAULT_LOCKS.hold(vault):
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=holder, daemon=True)
    thread.start()
    holding.wait(5)
    started = time.monotonic()
    try:
        with pytest.raises(DeadlineExceededError) as info:
            up(env.provider, env.inputs(timeouts={"create": "1s"}))
        took = time.monotonic() - started
    finally:
        release.set()
        thread.join()
        PROCESS_VAULT_LOCKS._strict.discard(PROCESS_VAULT_LOCKS._key(vault))
    assert took < 1.8, f"the create took {took:.2f}s"
    assert info.value.stage == "lock wait" and "ran out while waiting for the lock of vault 'vault-1'" in str(
        info.value
    )
    assert str(info.value).startswith("create backup instance on backupInstances 'bi-1' did not finish within 1s")


@pytest.mark.parametrize(
    ("mode", "action", "after"),
    [
        ("StopProtectionRetainData", "stopProtection", "ProtectionStopped"),
        # Issue 23: Azure says BackupsSuspended (9 of 9 recorded suspend flows); the provider looked for the spec's
        # BackupSchedulesSuspended, so a suspend whose answer was lost failed after CONFIRM_FOR although it worked.
        ("Suspend", "suspendBackups", "BackupsSuspended"),
        ("Suspend", "suspendBackups", None),
    ],
)
def test_an_ambiguous_protection_action_is_confirmed_from_the_instance_not_resent(
    env: Env, monkeypatch: pytest.MonkeyPatch, mode: str, action: str, after: str | None
) -> None:
    """Issue 19: stopProtection / suspendBackups were resent after an ambiguous failure."""
    from tests.resources.test_adhoc import _lose_answers

    id_, outs = up(env.provider, env.inputs(on_delete=mode))
    monkeypatch.setattr(instance_protection, "CONFIRM_FOR", 1.0)
    processed = after is not None
    posts = _lose_answers(monkeypatch, action, processed=processed)
    since = env.since()
    if processed:
        env.provider.delete(id_, outs)
        assert _state(env) == after
    else:
        with pytest.raises(ResourceFailure) as info:
            env.provider.delete(id_, outs)
        assert "apparently did not take effect; it was not sent again" in str(info.value)
        assert _state(env) == "ProtectionConfigured"
    assert len(posts) == 1 and [c for c in env.calls(since) if c.startswith("POST")] == [f"POST {action}"][:processed]


def test_an_ambiguous_undelete_is_confirmed_from_the_instance(env: Env, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.resources.test_adhoc import _lose_answers

    id_, outs = up(env.provider, env.inputs())
    env.provider.delete(id_, outs)
    posts = _lose_answers(monkeypatch, "undelete", processed=True)
    _, outs = up(env.provider, env.inputs(**ADOPT))
    assert len(posts) == 1 and outs["protection_state"] == "ProtectionConfigured"


def test_a_404_that_does_not_say_gone_never_drops_the_instance(env: Env) -> None:
    """Issue 19: a refresh or destroy under the wrong subscription took every 404 as "gone"."""
    from pulumi_dataprotection.arm import NotFoundError

    id_, outs = up(env.provider, env.inputs())
    fault = env.handle.inject_fault(
        "error", path="/subscriptions/", status=404, code="SubscriptionNotFound", message="no such subscription"
    )
    try:
        with pytest.raises(NotFoundError, match="Nothing was removed from the Pulumi state"):
            env.provider.read(id_, outs)
        with pytest.raises(NotFoundError, match="SubscriptionNotFound"):
            env.provider.delete(id_, outs)
    finally:
        env.handle.remove_fault(fault)
    assert _state(env) == "ProtectionConfigured"
    env.provider.delete(id_, outs)
    assert env.provider.read(id_, outs).id == "", "the instance's own not-found still means gone"


def test_an_instance_made_by_another_tool_is_not_overwritten_and_is_adopted_only_when_asked(env: Env) -> None:
    id_, made = up(env.provider, env.inputs(included_namespaces=["payments"], tags={"by": "cli"}))
    since = env.since()
    other = {"__provider": "serialized", OWNER_KEY: "another-stack"}

    refused = env.provider.check({}, {**env.inputs(), **other})
    assert [f.property for f in refused.failures] == ["adopt_existing"]
    with pytest.raises(ResourceFailure, match="not taken over"):
        env.provider.create({**checked(env.provider, env.inputs()), OWNER_KEY: "another-stack"})
    assert env.handle.writes(since) == []

    adopt = {"adopt_existing": True, "on_delete": "Retain"}
    planned = env.provider.check({}, {**env.inputs(**adopt), **other})
    assert planned.failures == []
    assert 'included_namespaces[0]: "payments" in Azure -> "default" in the program' in planned.inputs["adoption"]
    assert 'tags: {"by": "cli"} in Azure -> null in the program' in planned.inputs["adoption"]

    matching = env.provider.check(
        {}, {**env.inputs(included_namespaces=["payments"], tags={"by": "cli"}, **adopt), **other}
    )
    assert "nothing is written" in matching.inputs["adoption"]
    outs = env.provider.create(matching.inputs).outs
    assert outs is not None and outs["arm_id"] == id_ and outs["protection_state"] == "ProtectionConfigured"
    assert env.handle.writes(since) == []
    env.provider.delete(id_, outs)
    assert env.handle.writes(since) == [] and _state(env) == "ProtectionConfigured"
    assert made["tags"] == {"by": "cli"}, "the owner marker never shows in the outputs"


IMMUTABLE = "UserErrorOperationNotAllowedOnImmutableVault"


def test_deleting_an_instance_of_an_immutable_vault_says_what_to_do(configured: EmulatorHandle) -> None:
    """Issue 24: destroy failed with UserErrorOperationNotAllowedOnImmutableVault and no hint."""
    vault_id, _ = up(VaultProvider(), vault_inputs(immutability_state="Unlocked"))
    policy_id, _ = up(PolicyProvider(), policy_inputs(vault_id))
    provider = InstanceProvider()
    id_, outs = up(provider, instance_inputs(vault_id, policy_id))
    refusal = "The operation to delete the backup instance bi-1 is not allowed because the backup vault is immutable"
    configured.inject_fault(
        "error", method="DELETE", path="/backupInstances/bi-1", status=400, code=IMMUTABLE, message=refusal, count=1
    )
    with pytest.raises(ResourceFailure, match=r"(?s)vault is immutable.*set on_delete='StopProtectionRetainData'"):
        provider.delete(id_, outs)
    provider.delete(id_, {**outs, "on_delete": "Retain"})


def test_a_policy_still_used_by_retained_instances_says_how_to_retain_it(configured: EmulatorHandle) -> None:
    vault_id, _ = up(VaultProvider(), vault_inputs())
    policy, instances = PolicyProvider(), InstanceProvider()
    policy_id, policy_outs = up(policy, policy_inputs(vault_id))
    id_, outs = up(instances, instance_inputs(vault_id, policy_id, on_delete="Retain"))
    instances.delete(id_, outs)
    with pytest.raises(ResourceFailure, match=r"on_delete='Retain' on the policy"):
        policy.delete(policy_id, policy_outs)
