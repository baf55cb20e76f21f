"""One deadline per call: vault-lock wait, retries and polling share it; Retry-After is floored, capped and bounded
by it; the error names the phase that ran out."""

from __future__ import annotations

import email.utils
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from pulumi_dataprotection.arm import (
    ArmError,
    DeadlineExceededError,
    PollPolicy,
    RetriesExhaustedError,
    RetryPolicy,
    VaultLocks,
)
from pulumi_dataprotection.arm.locks import LockTimeout
from pulumi_dataprotection.arm.paths import vault_id
from pulumi_dataprotection.arm.retry import retry_after_seconds
from tests.arm.server import Reply, Seen

SUB = "00000000-0000-0000-0000-000000000000"
VAULT = vault_id(SUB, "rg", "vault1")
OTHER_VAULT = vault_id(SUB, "rg", "vault2")
INSTANCE = VAULT.child("backupInstances", "bi1")
BUSY = {"error": {"code": "UserErrorAnotherOperationInProgress", "message": "Another operation is in progress"}}
THROTTLED = {"error": {"code": "TooManyRequests", "message": "throttled"}}
REAL_POLL = PollPolicy(min_interval=0.01, max_interval=0.05, default_interval=0.02, first_interval=0.0)


def test_a_busy_vault_is_bounded_by_the_call_timeout(server, make_client, fake_time):
    """Issue 19: `timeout=2` against a vault answering 409 busy ran 855 s (18 PUTs)."""
    server.handler = lambda seen: Reply(409, BUSY)
    client = make_client(retry=RetryPolicy())
    with pytest.raises(DeadlineExceededError) as info:
        client.execute("PUT", INSTANCE.path, {}, operation="create backup instance", timeout=2.0)
    err = info.value
    assert sum(fake_time.sleeps) <= 2.0 and len(server.seen) == 2, "one last try before the deadline"
    assert (err.stage, err.status, err.code) == ("retries", 409, "UserErrorAnotherOperationInProgress")
    first = str(err).splitlines()[0]
    assert first.startswith("create backup instance on backupInstances 'bi1' did not finish within 2s")
    assert "ran out while retrying" in first and "HTTP 409, UserErrorAnotherOperationInProgress" in first


def test_retry_after_beyond_the_deadline_retries_once_before_it_then_fails_with_azures_code(
    server, make_client, fake_time
):
    """Issue 24: the client waited until the deadline and gave up without retrying; it now waits what is left less
    the time kept for the last attempt (at most half), and tries once more."""
    server.handler = lambda seen: Reply(429, THROTTLED, {"Retry-After": "3600"})
    with pytest.raises(DeadlineExceededError) as info:
        make_client().execute("PUT", VAULT.path, {}, operation="create backup vault", timeout=10.0)
    assert fake_time.sleeps == [5.0] and len(server.seen) == 2
    assert (info.value.stage, info.value.code, info.value.status) == ("retries", "TooManyRequests", 429)


def test_retry_after_beyond_the_deadline_keeps_the_reserve_for_the_last_attempt(server, make_client, fake_time):
    server.sequence(
        Reply(429, THROTTLED, {"Retry-After": "3600"}),
        Reply(200, {"id": VAULT.path, "properties": {"provisioningState": "Succeeded"}}),
    )
    result = make_client(retry=RetryPolicy(budget=1000.0, last_try_reserve=30.0)).execute(
        "PUT", VAULT.path, {}, operation="create backup vault", timeout=400.0
    )
    assert result.body is not None and fake_time.sleeps == [370.0]


def test_the_socket_read_timeout_is_cut_to_the_time_left(server, make_client):
    """Issue 24: with a 3 s read timeout a call given 1 s took 3 s (the socket waited its full timeout)."""
    release = threading.Event()

    def slow(seen: Seen) -> Reply:
        release.wait(5)
        return Reply(200, {"id": VAULT.path})

    server.handler = slow
    client = make_client(real=True, read_timeout=3.0)
    started = time.monotonic()
    try:
        with pytest.raises(DeadlineExceededError) as info:
            client.get(VAULT.path, operation="read backup vault", timeout=1.0)
        took = time.monotonic() - started
    finally:
        release.set()
    assert 0.9 <= took < 1.8, f"a 1 s call took {took:.2f}s"
    assert info.value.stage == "request" and len(server.seen) == 1
    assert "ran out while waiting for Azure's answer" in str(info.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7", 7.0),
        ("0", 0.0),
        ("nan", 0.0),
        ("-5", 0.0),
        ("inf", 600.0),
        ("1e12", 600.0),
        ("garbage", 0.0),
    ],
)
def test_retry_after_is_parsed_with_a_cap_and_meaningless_values_dropped(value, expected):
    assert retry_after_seconds({"retry-after": value}, 1_700_000_000.0) == expected


def test_retry_after_dates_in_the_past_mean_now_and_waits_get_the_floor():
    past = email.utils.formatdate(1_700_000_000.0 - 3600, usegmt=True)
    assert retry_after_seconds({"retry-after": past}, 1_700_000_000.0) == 0.0
    assert retry_after_seconds({"retry-after-ms": "-20"}, 0.0) == 0.0
    assert retry_after_seconds({}, 0.0) is None
    assert retry_after_seconds({"retry-after-ms": "20"}, 0.0) == 0.02
    policy = RetryPolicy()
    assert [policy.server_wait(v) for v in (0.0, 0.02, 7.0, 600.0)] == [1.0, 1.0, 7.0, 600.0]


@pytest.mark.parametrize("value", ["nan", "-1", "0", "Thu, 01 Jan 1970 00:00:00 GMT"])
def test_a_throttling_server_is_never_hammered(server, make_client, fake_time, value):
    """Issue 19: a past date, nan or a negative value meant no wait (6 requests in 0.22 s)."""
    server.handler = lambda seen: Reply(429, THROTTLED, {"Retry-After": value})
    with pytest.raises(RetriesExhaustedError):
        make_client(retry=RetryPolicy(max_retries=5)).execute(
            "PUT", VAULT.path, {}, operation="create backup vault", timeout=300.0
        )
    assert len(fake_time.sleeps) == 5 and all(s >= 1.0 for s in fake_time.sleeps), fake_time.sleeps


def test_the_lock_wait_counts_against_the_timeout(server, make_client):
    """Issue 19: instances with timeouts.create="2s" waited 13-14 s for the lock."""
    locks = VaultLocks()
    server.handler = lambda seen: Reply(200, {"id": INSTANCE.path, "properties": {"provisioningState": "Succeeded"}})
    client = make_client(real=True, locks=locks)
    holding, release = threading.Event(), threading.Event()

    def holder() -> None:
        with locks.hold(VAULT.path):
            holding.set()
            release.wait(5)

    thread = threading.Thread(target=holder, daemon=True)
    thread.start()
    holding.wait(5)
    started = time.monotonic()
    try:
        with pytest.raises(DeadlineExceededError) as info:
            client.execute("PUT", INSTANCE.path, {}, operation="create backup instance", timeout=0.3)
        took = time.monotonic() - started
        with pytest.raises(LockTimeout), locks.hold(VAULT.path, deadline=time.monotonic()):
            pass
    finally:
        release.set()
        thread.join()
    assert 0.25 <= took < 1.0 and server.seen == []
    assert info.value.stage == "lock wait"
    assert "ran out while waiting for the lock of vault 'vault1'" in str(info.value)


def test_a_read_of_another_vault_is_not_queued_behind_lock_waits(server, make_client):
    """Issue 19: with 4 worker threads a read of another vault queued ~12 s behind instance writes."""
    base = server.base_url

    def handler(seen: Seen) -> Reply:
        if seen.method == "PUT":
            return Reply(
                201, {"properties": {"provisioningState": "Provisioning"}}, {"Azure-AsyncOperation": base + "/op"}
            )
        if seen.path == "/op":
            return Reply(200, {"status": "Inprogress"})
        return Reply(200, {"id": seen.path})

    server.handler = handler
    client = make_client(real=True, locks=VaultLocks(), poll=REAL_POLL)
    writes = [VAULT.child("backupInstances", f"bi{n}") for n in range(8)]

    def write(rid):  # type: ignore[no-untyped-def]
        try:
            client.execute("PUT", rid.path, {}, operation="create backup instance", timeout=0.6)
        except DeadlineExceededError as exc:
            return exc.stage
        return "done"

    def read() -> float:
        client.get(OTHER_VAULT.path)
        return time.monotonic()

    with ThreadPoolExecutor(max_workers=4) as pool:
        started = time.monotonic()
        stages = [pool.submit(write, rid) for rid in writes]
        read_at = pool.submit(read).result() - started
        outcomes = [f.result() for f in stages]
    assert read_at < 2.0, (
        f"the read waited {read_at:.2f}s (0.6 s writes: about 1.2 s, 3 s when lock waits were unbounded)"
    )
    assert "lock wait" in outcomes and "polling" in outcomes


WORKERS = 4
"""Worker threads of the Pulumi dynamic-provider process (one process serves every resource of a deployment)."""


def busy_vault_run(server, client, write_seconds: float, writes: int) -> tuple[float, list[str]]:  # type: ignore[no-untyped-def]
    """`writes` instance writes on vault1 (each runs `write_seconds` in Azure; default 60-minute timeouts) submitted
    to a pool of the provider's 4 workers before a read of vault2: (seconds until the read was answered, the
    writes' outcomes)."""
    base = server.base_url
    started_at: dict[str, float] = {}

    def handler(seen: Seen) -> Reply:
        if seen.method == "PUT":
            started_at[seen.path] = time.monotonic()
            return Reply(201, {"properties": {}}, {"Azure-AsyncOperation": base + "/op" + seen.path})
        if seen.path.startswith("/op/"):
            done = time.monotonic() - started_at[seen.path[3:]] >= write_seconds
            return Reply(200, {"status": "Succeeded" if done else "InProgress"})
        return Reply(200, {"id": seen.path})

    server.handler = handler

    def write(n: int) -> str:
        rid = VAULT.child("backupInstances", f"bi{n}")
        try:
            client.execute("PUT", rid.path, {}, operation="create backup instance", timeout=3600.0)
        except ArmError as exc:
            return type(exc).__name__
        return "done"

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        started = time.monotonic()
        outcomes = [pool.submit(write, n) for n in range(writes)]
        read = pool.submit(lambda: client.get(OTHER_VAULT.path) and time.monotonic())
        read_at = read.result() - started
        return read_at, [f.result() for f in outcomes]


def test_writes_queued_on_a_busy_vault_do_not_hold_up_another_vaults_read(server, make_client):
    """Issue 24: with the default 60-minute timeouts, 8 writes queued on one vault held the 4 workers and a read of
    another vault waited for 5 of them to end (2.6 s with 0.5 s writes). A write waiting for its vault's lock now
    lends its worker: the read is answered at once and every write still succeeds, one at a time."""
    client = make_client(real=True, locks=VaultLocks(), poll=REAL_POLL)
    read_at, outcomes = busy_vault_run(server, client, write_seconds=0.5, writes=8)
    assert read_at < 0.4, f"the read of another vault waited {read_at:.2f}s behind the busy vault's queue"
    assert outcomes == ["done"] * 8
