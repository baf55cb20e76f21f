"""Per-vault write serialization inside the provider process (the service refuses concurrent instance writes).

One re-entrant lock per lower-cased vault id, shared by every client in the process, so backup-instance writes
on one vault run one at a time (request and wait), while different vaults proceed in parallel. A vault that
refused one of our writes although we held its lock (406/409 busy: it is still configuring protection of an
instance, or someone else writes to it) is remembered as strict, and the resource layer then holds the lock
across several calls (PUT and the wait for protection) on the same thread; re-entrancy allows that. Every
acquire is timed: a caller waits for a lock only until its call's deadline (`LockTimeout`), so the lock wait is
part of the call's time limit and a provider worker thread is never parked indefinitely. A thread that waits for
a lock lends its place in the provider's thread pool (`workers.lend_worker`), so writes queued on one busy vault do
not hold up the calls of other vaults.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from pulumi_dataprotection.arm.workers import lend_worker

MIN_TIME_AFTER_WAIT = 1.0
"""A write that waited for its vault's lock starts only with at least this much of its time limit left (or half of
what it had when it began to wait, for short limits): a write sent with no time left would reach Azure and then fail
its deadline at once, leaving an operation nobody waits for."""


class LockTimeout(TimeoutError):
    """A vault's lock was not obtained before the caller's deadline."""

    def __init__(self, vault_id: str, waited: float) -> None:
        super().__init__(f"the lock of {vault_id} was not free within {waited:.3g}s")
        self.vault_id = vault_id
        self.waited = waited


class VaultLocks:
    """A registry of re-entrant locks keyed by vault id (case-insensitive)."""

    def __init__(self) -> None:
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
        (a `clock` time), wait for the lock at most until then, else raise LockTimeout."""
        if vault_id is None:
            yield
            return
        lock = self.lock_for(vault_id)
        if not lock.acquire(blocking=False):
            started = clock()
            with lend_worker():
                if deadline is None:
                    lock.acquire()
                elif not lock.acquire(timeout=max(0.0, deadline - started)):
                    raise LockTimeout(vault_id, clock() - started)
                elif deadline - clock() < min(MIN_TIME_AFTER_WAIT, (deadline - started) / 2):
                    lock.release()  # too little time left to send a write and see it through: not started
                    raise LockTimeout(vault_id, clock() - started)
        try:
            yield
        finally:
            lock.release()


PROCESS_VAULT_LOCKS = VaultLocks()
"""The registry every ArmClient uses unless given another (tests)."""
