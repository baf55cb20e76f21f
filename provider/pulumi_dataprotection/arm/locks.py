"""Per-vault write serialization inside the provider process (the service refuses concurrent instance writes).

One re-entrant lock per lower-cased vault id, shared by every client in the process, so backup-instance writes
on one vault run one at a time (request and wait), while different vaults proceed in parallel. A vault that
refused one of our writes although we held its lock (406/409 busy: it is still configuring protection of an
instance, or someone else writes to it) is remembered as strict, and the resource layer then holds the lock
across several calls (PUT and the wait for protection) on the same thread; re-entrancy allows that. Every
acquire is timed: a caller waits for a lock only until its call's deadline (`LockTimeout`), so the lock wait is
part of the call's time limit and a provider worker thread is never parked indefinitely.

The queue is bounded: one Pulumi dynamic-provider process serves every resource of a deployment with
`PROVIDER_WORKERS` threads, and a write waiting for a lock holds one of them. So at most `QUEUE_LIMIT` writes wait
for busy locks at once, process-wide (`LockQueueFull` for the next one, raised before anything is sent): with the
holder of a busy lock they leave a worker free, and reads and writes of other vaults are not queued behind them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class LockTimeout(TimeoutError):
    """A vault's lock was not obtained before the caller's deadline."""

    def __init__(self, vault_id: str, waited: float) -> None:
        super().__init__(f"the lock of {vault_id} was not free within {waited:.3g}s")
        self.vault_id = vault_id
        self.waited = waited


PROVIDER_WORKERS = 4
"""Worker threads of the Pulumi dynamic-provider process (`pulumi.dynamic`), which serves every resource."""
QUEUE_LIMIT = PROVIDER_WORKERS - 2
"""Writes that may wait for busy vault locks at once: with the holder of a busy lock, they leave one worker free."""


class LockQueueFull(RuntimeError):
    """A vault's lock is busy and `QUEUE_LIMIT` writes already wait for locks: this one does not wait."""

    def __init__(self, vault_id: str, queued: int) -> None:
        super().__init__(f"the lock of {vault_id} is busy and {queued} writes already wait for vault locks")
        self.vault_id = vault_id
        self.queued = queued


class VaultLocks:
    """A registry of re-entrant locks keyed by vault id (case-insensitive), with at most `queue_limit` threads
    waiting for them at once."""

    def __init__(self, queue_limit: int = QUEUE_LIMIT) -> None:
        if queue_limit < 0:
            raise ValueError("queue_limit must not be negative")
        self.queue_limit = queue_limit
        self._queued = 0
        self._guard = threading.Lock()
        self._locks: dict[str, threading.RLock] = {}
        self._strict: set[str] = set()

    @staticmethod
    def _key(vault_id: str) -> str:
        return vault_id.rstrip("/").lower()

    def note_refusal(self, vault_id: str) -> None:
        """Remember that the vault refused a write while we held its lock."""
        with self._guard:
            self._strict.add(self._key(vault_id))

    def is_strict(self, vault_id: str) -> bool:
        """Whether the vault refused a write while we held its lock (see `note_refusal`)."""
        with self._guard:
            return self._key(vault_id) in self._strict

    def lock_for(self, vault_id: str) -> threading.RLock:
        """The lock of one vault (created on first use)."""
        key = self._key(vault_id)
        with self._guard:
            lock = self._locks.get(key)
            if lock is None:
                lock = self._locks[key] = threading.RLock()
            return lock

    @contextmanager
    def hold(
        self, vault_id: str | None, *, deadline: float | None = None, clock: Callable[[], float] = time.monotonic
    ) -> Iterator[None]:
        """Hold the vault's lock for the duration of the block; no-op when `vault_id` is None. With a `deadline`
        (a `clock` time), wait for the lock at most until then, else raise LockTimeout; when the lock is busy and
        `queue_limit` threads already wait, raise LockQueueFull at once."""
        if vault_id is None:
            yield
            return
        lock = self.lock_for(vault_id)
        if not lock.acquire(blocking=False):
            self._wait_for(lock, vault_id, deadline, clock)
        try:
            yield
        finally:
            lock.release()

    def _wait_for(
        self, lock: threading.RLock, vault_id: str, deadline: float | None, clock: Callable[[], float]
    ) -> None:
        """Queue for a busy `lock` (LockQueueFull when the queue is full, LockTimeout at `deadline`)."""
        with self._guard:
            if self._queued >= self.queue_limit:
                raise LockQueueFull(vault_id, self._queued)
            self._queued += 1
        try:
            started = clock()
            if deadline is None:
                lock.acquire()
            elif not lock.acquire(timeout=max(0.0, deadline - started)):
                raise LockTimeout(vault_id, clock() - started)
        finally:
            with self._guard:
                self._queued -= 1


PROCESS_VAULT_LOCKS = VaultLocks()
"""The registry every ArmClient uses unless given another (tests)."""
