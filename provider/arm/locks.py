"""Per-vault write serialization inside the provider process (the service refuses concurrent instance writes).

One re-entrant lock per lower-cased vault id, shared by every client in the process, so backup-instance writes
on one vault run one at a time (request and wait), while different vaults proceed in parallel. Re-entrancy lets
the resource layer hold a vault across several calls (e.g. PUT then wait for protection) on the same thread.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class VaultLocks:
    """A registry of re-entrant locks keyed by vault id (case-insensitive)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.RLock] = {}

    def lock_for(self, vault_id: str) -> threading.RLock:
        """The lock of one vault (created on first use)."""
        key = vault_id.rstrip("/").lower()
        with self._guard:
            lock = self._locks.get(key)
            if lock is None:
                lock = self._locks[key] = threading.RLock()
            return lock

    @contextmanager
    def hold(self, vault_id: str | None) -> Iterator[None]:
        """Hold the vault's lock for the duration of the block; no-op when `vault_id` is None."""
        if vault_id is None:
            yield
            return
        with self.lock_for(vault_id):
            yield


PROCESS_VAULT_LOCKS = VaultLocks()
"""The registry every ArmClient uses unless given another (tests)."""
