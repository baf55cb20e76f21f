"""End to end, Azure misbehaving: throttling and server errors, a failed and a stuck long-running operation, the
provider process (or the whole CLI) killed in the middle of a create, and many instances of one vault at once."""

from __future__ import annotations

import signal
import subprocess
import time
from collections import Counter

import pytest

from pulumi_dataprotection.emulator import EmulatorHandle
from tests.e2e.conftest import StackFactory
from tests.e2e.helpers import Process, get_json, inventory, kill_if_alive, process_tree, resource_type, short, wait_for
from tests.e2e.programs import SUBSCRIPTION, vault_path
from tests.e2e.pulumi_stack import Stack, parse_events
from tests.support.emulator import ArmClient

pytestmark = pytest.mark.engine

VAULT = vault_path()


def protection_states(arm: ArmClient) -> dict[str, str]:
    """``{instance name: currentProtectionState}`` of the vault's instances."""
    response = arm.get(f"{VAULT}/backupInstances")
    assert response.status_code == 200, response.text
    return {i["name"]: i["properties"]["currentProtectionState"] for i in response.json()["value"]}


def converged(stack: Stack, resources: int) -> None:
    """The stack's program and Azure agree: a preview plans nothing."""
    preview = stack.preview("--expect-no-changes")
    assert preview.summary == {"same": resources}, preview


def second_instance_created_by_the_next_up(stack: Stack, dp: EmulatorHandle, arm: ArmClient) -> None:
    """After an interrupted create of aks-1, the next `up` creates it once, unrefused, and the stack converges."""
    dp.clear_request_log()
    again = stack.up()

    assert again.changes() == {"create": 1}, again
    assert protection_states(arm) == {"aks-0": "ProtectionConfigured", "aks-1": "ProtectionConfigured"}
    refused = [e for e in dp.request_log() if e["status"] in (406, 409)]
    assert refused == [], short(refused)
    converged(stack, 5)


def test_bursts_of_throttling_and_server_errors_do_not_fail_up(
    small_stack: StackFactory, dp: EmulatorHandle, arm: ArmClient
) -> None:
    stack = small_stack("bursts", instances=2)
    bursts = {
        dp.inject_fault("throttle", method="PUT", path="/backupVaults/bv-e2e$", count=3, retry_after=0): 3,
        dp.inject_fault("error", method="PUT", path="/backupPolicies/", count=2, status=503): 2,
        dp.inject_fault("error", method="GET", path="/operationStatus/", count=3, status=500): 3,
        dp.inject_fault("throttle", method="GET", path="/backupInstances/aks-1$", count=2, retry_after=0): 2,
        dp.inject_fault("error", method="POST", path="/validateForBackup$", count=1, status=502): 1,
    }

    up = stack.up()

    assert up.summary == {"create": 5}, up
    hits = {f["id"]: f["hits"] for f in dp.faults()}
    assert {i: hits[i] for i in bursts} == bursts, dp.faults()
    assert protection_states(arm) == {"aks-0": "ProtectionConfigured", "aks-1": "ProtectionConfigured"}
    retried = Counter(e["status"] for e in dp.request_log() if e.get("faults"))
    print(f"injected failures answered during up: {dict(retried)}")
    converged(stack, 5)


def test_failed_operation_fails_up_with_azures_code_and_message_and_a_rerun_converges(
    small_stack: StackFactory, dp: EmulatorHandle, arm: ArmClient
) -> None:
    stack = small_stack("lro-failed")
    code, message = (
        "UserErrorMissingRequiredPermissions",
        "Appropriate permissions to perform the operation is missing.",
    )
    dp.inject_fault("lro_fail", method="PUT", path="/backupInstances/aks-0$", count=1, code=code, message=message)

    failed = stack.up(check=False)

    assert not failed.ok, failed
    assert failed.step("BackupInstance", "aks-0").op == "failed-create", failed
    error = "\n".join(failed.errors)
    assert code in error and message in error, failed
    assert "aks-0" in error, failed
    assert protection_states(arm) == {}

    dp.clear_faults()
    rerun = stack.up()

    assert rerun.changes() == {"create": 1}, rerun
    assert protection_states(arm) == {"aks-0": "ProtectionConfigured"}
    converged(stack, 4)


def test_stuck_operation_ends_with_our_timeout_message(small_stack: StackFactory, dp: EmulatorHandle) -> None:
    stack = small_stack("lro-stuck", **{"dataprotection:timeouts": {"create": "3s"}})
    dp.inject_fault("lro_stuck", method="PUT", path="/backupInstances/aks-0$", count=1)

    started = time.monotonic()
    stuck = stack.up(check=False)
    elapsed = time.monotonic() - started

    assert not stuck.ok, stuck
    assert stuck.step("BackupInstance", "aks-0").op == "failed-create", stuck
    error = "\n".join(stuck.errors)
    assert "did not finish within 3s" in error, stuck
    assert "pulumi refresh" in error, stuck
    assert elapsed < 60, f"the stuck create took {elapsed:.0f}s to fail with a 3 s timeout"


INSTANCE_PUT = "/backupInstances/aks-1$"
"""aks-1's create: the emulator holds the PUT a few seconds before it takes it, so the provider is killed while it
waits for Azure's answer to a create that Azure then accepts (an AKS instance's create answers 201 with only
Azure-AsyncOperation, as recorded, so there is no operation result to hold)."""
VAULT_STATUS = "/backupVaults/bv-e2e/operationStatus/"
"""The status checks of the vault's create operation (the only operation running when the vault is created)."""


def _kill_while_waiting(
    stack: Stack, dp: EmulatorHandle, path: str, *, whole_cli: bool, method: str = "GET", seconds: float = 30
) -> subprocess.CompletedProcess[str]:
    """Run ``up`` and SIGKILL the dynamic-provider process (or the CLI) while a create waits on Azure: the first
    ``method`` request matching ``path`` is held for ``seconds``; the kill comes as soon as the emulator holds it."""
    slow = dp.inject_fault("latency", method=method, path=path, count=1, seconds=seconds)
    proc = stack.popen("up", "--yes", "--skip-preview", "--json")
    tree: list[Process] = []
    try:
        wait_for(f"a {method} of {path} to be held", lambda: any(f["hits"] for f in dp.faults() if f["id"] == slow))
        tree = process_tree(proc.pid)
        providers = [p for p in tree if "-m pulumi.dynamic" in p.command]
        assert len(providers) == 1, tree
        if whole_cli:
            proc.kill()
        else:
            kill_if_alive(providers[0])
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        for process in tree:  # whatever pulumi started and left behind
            kill_if_alive(process)
    dp.clear_faults()
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def _held_instance_put(
    stack: Stack, dp: EmulatorHandle, arm: ArmClient, *, whole_cli: bool
) -> subprocess.CompletedProcess[str]:
    """Kill while aks-1's PUT is held, then wait until the emulator has taken that PUT (Azure accepted the create)."""
    killed = _kill_while_waiting(stack, dp, INSTANCE_PUT, whole_cli=whole_cli, method="PUT", seconds=3)
    wait_for("the held create of aks-1 to reach the emulator", lambda: "aks-1" in protection_states(arm))
    return killed


def test_provider_killed_during_a_create_the_next_up_converges(
    deployed_small_stack: StackFactory, dp: EmulatorHandle, arm: ArmClient
) -> None:
    stack = deployed_small_stack("provider-killed")
    stack.set_config("e2e-small:instances", 2)

    killed = parse_events(["up"], _held_instance_put(stack, dp, arm, whole_cli=False))

    assert not killed.ok, killed
    assert killed.step("BackupInstance", "aks-1").op == "failed-create", killed
    assert not stack.export()["deployment"].get("pending_operations"), "the failed create was left pending"

    second_instance_created_by_the_next_up(stack, dp, arm)


def test_provider_killed_during_the_vault_create_the_next_up_converges(
    small_stack: StackFactory, dp: EmulatorHandle, arm: ArmClient
) -> None:
    stack = small_stack("provider-killed-vault")

    killed = parse_events(["up"], _kill_while_waiting(stack, dp, VAULT_STATUS, whole_cli=False))

    assert not killed.ok, killed
    assert killed.step("BackupVault", "vault").op == "failed-create", killed
    assert list(inventory(arm, SUBSCRIPTION)) == [VAULT], "the vault create never reached Azure"

    again = stack.up(check=False)

    # The killed `up` had already created the stack resource; the vault, the policy and the instance are created
    # once each, the vault by taking over the empty leftover of the interrupted create.
    assert again.ok and again.summary == {"create": 3, "same": 1}, again
    assert again.step("BackupVault", "vault").op == "create", again
    assert "resumes the interrupted create of this resource" in again.output, again  # a warning, via the owner key
    assert protection_states(arm) == {"aks-0": "ProtectionConfigured"}
    converged(stack, 4)


def test_cli_killed_during_a_create_cancel_clear_pending_then_up_converges(
    deployed_small_stack: StackFactory, dp: EmulatorHandle, arm: ArmClient
) -> None:
    stack = deployed_small_stack("cli-killed")
    stack.set_config("e2e-small:instances", 2)

    killed = _held_instance_put(stack, dp, arm, whole_cli=True)

    assert killed.returncode == -signal.SIGKILL
    pending = stack.export()["deployment"].get("pending_operations") or []
    assert [(p["type"], p["resource"]["urn"].rsplit("::", 1)[-1]) for p in pending] == [("creating", "aks-1")]
    locked = stack.up(check=False)
    assert not locked.ok and "pulumi cancel" in locked.output, locked

    # Pulumi's documented repair for an interrupted CLI: release the lock, drop the pending create (non-interactive
    # form of `pulumi refresh`), and run up again; the provider's create then takes over the half-created instance.
    stack.pulumi("cancel", "--yes")
    cleared = stack.refresh("--clear-pending-creates")
    assert cleared.changes() == {}, cleared
    assert not stack.export()["deployment"].get("pending_operations")
    second_instance_created_by_the_next_up(stack, dp, arm)


def test_ten_instances_in_one_vault_in_one_up_are_not_refused(
    small_stack: StackFactory, dp: EmulatorHandle, arm: ArmClient
) -> None:
    stack = small_stack("ten-instances", instances=10)

    up = stack.up()

    assert up.summary == {"create": 13}, up
    states = protection_states(arm)
    assert states == {f"aks-{i}": "ProtectionConfigured" for i in range(10)}, states
    log = dp.request_log()
    refused = [e for e in log if e["status"] in (406, 409)]
    assert refused == [], short(refused)
    puts = [e for e in log if e["method"] == "PUT" and resource_type(e["path"]) == "backupInstances"]
    assert len(puts) == 10, short(puts)
    held = inventory(arm, SUBSCRIPTION)[VAULT]
    assert len(held["backupInstances"]) == 10 and held["deletedBackupInstances"] == [], held
    assert get_json(arm, f"{VAULT}/backupInstances/aks-9") is not None
    converged(stack, 13)
