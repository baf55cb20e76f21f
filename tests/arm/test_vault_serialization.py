"""Per-vault write serialization and vault-busy retries (the service refuses concurrent instance writes)."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from pulumi_dataprotection.arm import ArmError, PollPolicy, VaultBusyError
from pulumi_dataprotection.arm.locks import LockTimeout, VaultLocks
from pulumi_dataprotection.arm.paths import vault_id, vault_of
from tests.arm.server import Reply, Seen

SUB = "00000000-0000-0000-0000-000000000000"
VAULT_A = vault_id(SUB, "rg", "vault-a")
VAULT_B = vault_id(SUB, "rg", "Vault-B")
REAL_POLL = PollPolicy(min_interval=0.005, max_interval=0.05, default_interval=0.01, first_interval=0.0)


class BusyVaults:
    """Simulates the service: while an instance write runs on a vault, other instance writes there get 406."""

    def __init__(self, base_url: str, op_seconds: float = 0.12) -> None:
        self.base_url = base_url
        self.op_seconds = op_seconds
        self.lock = threading.Lock()
        self.active: dict[str, str] = {}
        self.ops: dict[str, tuple[str, float]] = {}
        self.refused = 0
        self.max_active_vaults = 0
        self.started: list[str] = []

    def __call__(self, seen: Seen) -> Reply:
        path = seen.unquoted_path
        if "/operationStatus/" in path:
            op = path.rsplit("/", 1)[-1]
            vault, ends = self.ops[op]
            if time.monotonic() < ends:
                return Reply(200, {"name": op, "status": "Inprogress"})
            with self.lock:
                if self.active.get(vault) == op:
                    del self.active[vault]
            return Reply(200, {"name": op, "status": "Succeeded"})
        if seen.method == "GET":
            return Reply(200, {"id": path, "properties": {"provisioningState": "Succeeded"}})
        vault = vault_of(path)
        assert vault is not None
        with self.lock:
            if vault in self.active:
                self.refused += 1
                return Reply(406, None)
            op = uuid.uuid4().hex
            self.active[vault] = op
            self.ops[op] = (vault, time.monotonic() + self.op_seconds)
            self.max_active_vaults = max(self.max_active_vaults, len(self.active))
            self.started.append(path)
        status_url = f"{self.base_url}{vault}/operationStatus/{op}?api-version=2025-09-01"
        return Reply(202, None, {"Azure-AsyncOperation": status_url})


def test_the_simulated_service_really_refuses_concurrent_writes(server):
    sim = BusyVaults(server.base_url, op_seconds=5)
    server.handler = sim
    first = requests.put(server.base_url + VAULT_A.child("backupInstances", "x").path, json={}, timeout=5)
    second = requests.put(server.base_url + VAULT_A.child("backupInstances", "y").path, json={}, timeout=5)
    assert (first.status_code, second.status_code) == (202, 406)


def test_four_threads_writing_one_vault_all_succeed_without_a_refusal(server, make_client):
    sim = BusyVaults(server.base_url)
    server.handler = sim
    client = make_client(real=True, poll=REAL_POLL)

    def create(i: int) -> int:
        path = VAULT_A.child("backupInstances", f"bi-{i}").path
        return client.execute("PUT", path, {"properties": {}}, operation="create backup instance").status_code

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(create, range(4))) == [200] * 4
    assert sim.refused == 0 and len(sim.started) == 4


def test_two_vaults_are_written_in_parallel(server, make_client):
    sim = BusyVaults(server.base_url, op_seconds=0.3)
    server.handler = sim
    client = make_client(real=True, poll=REAL_POLL)
    paths = [v.child("backupInstances", f"bi-{i}").path for i in range(2) for v in (VAULT_A, VAULT_B)]

    def create(path: str) -> int:
        return client.execute("PUT", path, {}, operation="create backup instance").status_code

    started = time.monotonic()
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(create, paths)) == [200] * 4
    assert sim.refused == 0 and sim.max_active_vaults == 2
    assert time.monotonic() - started < 4 * 0.3, "two vaults must not be serialized with each other"


def test_vault_lock_can_be_held_across_calls_and_blocks_other_threads(server, make_client):
    sim = BusyVaults(server.base_url, op_seconds=0.0)
    server.handler = sim
    client = make_client(real=True, poll=REAL_POLL)
    path = VAULT_A.child("backupInstances", "bi-held").path
    other = threading.Thread(
        target=client.execute,
        args=("DELETE", VAULT_A.child("backupInstances", "bi-other").path),
        kwargs={"operation": "delete backup instance"},
    )
    with client.vault_lock(VAULT_A.path.upper()):
        client.execute("PUT", path, {}, operation="create backup instance")  # re-entrant on this thread
        other.start()
        time.sleep(0.2)
        assert [s.method for s in server.seen if s.method != "GET"] == ["PUT"]
    other.join(timeout=5)
    assert [s.method for s in server.seen if s.method != "GET"] == ["PUT", "DELETE"]


def test_busy_answers_are_retried_with_backoff(server, make_client, fake_time):
    server.sequence(
        Reply(406, None),
        Reply(
            409,
            {"error": {"code": "UserErrorAnotherOperationInProgress", "message": "Another operation is in progress"}},
        ),
        Reply(200, {"name": "bi1"}),
    )
    result = make_client().execute(
        "PUT", VAULT_A.child("backupInstances", "bi1").path, {}, operation="create backup instance"
    )
    assert result.body == {"name": "bi1"}
    # equal jitter with rng() = 0.5: step/2 + 0.5*step/2 for steps 1.0, 2.0
    assert fake_time.sleeps == [0.75, 1.5]


def test_a_vault_that_refused_a_write_under_our_lock_is_remembered_as_strict(server, make_client, fake_time):
    server.sequence(Reply(406, None), Reply(200, {"name": "bi1"}), Reply(200, {"name": "bi1"}))
    client = make_client()
    assert not client.vault_is_strict(VAULT_A.path)
    client.execute("PUT", VAULT_A.child("backupInstances", "bi1").path, {}, operation="create backup instance")
    assert client.vault_is_strict(VAULT_A.path.upper()) and not client.vault_is_strict(VAULT_B.path)
    client.execute("PUT", VAULT_B.child("backupPolicies", "p1").path, {}, operation="create backup policy")
    assert not client.vault_is_strict(VAULT_B.path), "only instance writes hold (and teach about) the vault lock"


def test_persistent_busy_is_reported_as_vault_busy(server, make_client, fake_time):
    server.handler = lambda seen: Reply(406, None, {"x-ms-request-id": "svc-9"})
    with pytest.raises(VaultBusyError) as info:
        make_client().execute(
            "DELETE", VAULT_B.child("backupInstances", "bi1").path, operation="delete backup instance"
        )
    err = info.value
    assert err.kind == "vault_busy" and err.vault == vault_of(VAULT_B.path) and err.status == 406
    assert sum(fake_time.sleeps) <= 30.0 and err.attempts == len(server.seen) > 5
    text = str(err)
    assert "delete backup instance on backupInstances 'bi1' failed: vault 'Vault-B' is busy" in text
    assert "HTTP 406 Not Acceptable" in text and "something else is changing this vault" in text


def test_a_genuine_409_conflict_is_not_retried(server, make_client):
    server.sequence(
        Reply(
            409,
            {
                "error": {
                    "code": "UserErrorDppDatasourceAlreadyHasBackupInstance",
                    "message": "The datasource is already protected",
                }
            },
        )
    )
    with pytest.raises(ArmError) as info:
        make_client().execute(
            "PUT", VAULT_A.child("backupInstances", "bi1").path, {}, operation="create backup instance"
        )
    assert not isinstance(info.value, VaultBusyError) and len(server.seen) == 1


def test_a_write_that_gets_the_lock_with_no_time_left_is_not_started() -> None:
    """A lock freed just before a waiter's deadline must not start its write with nothing left to see it through."""
    locks = VaultLocks()
    vault = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataProtection/backupVaults/v"
    held, release = threading.Event(), threading.Event()

    def holder() -> None:
        with locks.hold(vault):
            held.set()
            release.wait(5)

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait(5)
    threading.Timer(0.45, release.set).start()
    started = time.monotonic()
    with pytest.raises(LockTimeout), locks.hold(vault, deadline=started + 0.5):
        pytest.fail("the write started with 0.05 s of its 0.5 s left")
    thread.join(5)
    assert locks.lock_for(vault).acquire(blocking=False), "the lock was given back"
