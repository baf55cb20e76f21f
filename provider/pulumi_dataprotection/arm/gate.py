"""The vault write gate: which requests hold a vault's write lock, held with the call's deadline.

The service refuses concurrent backup-instance writes on one vault, so such writes (request and wait) hold the
vault's lock (`locks.VaultLocks`, shared by the process); a busy refusal received while holding it marks the vault
strict. Waiting for a lock is part of the call's time limit: running out raises `DeadlineExceededError` (stage
"lock wait").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from pulumi_dataprotection.arm.errors import DeadlineExceededError
from pulumi_dataprotection.arm.locks import LockTimeout, VaultLocks
from pulumi_dataprotection.arm.paths import instance_write_vault, vault_of


class VaultGate:
    """Per-vault write serialization for one client, on the process's (or a given) `VaultLocks`."""

    def __init__(self, locks: VaultLocks, clock: Callable[[], float]) -> None:
        self._locks = locks
        self._clock = clock

    @contextmanager
    def hold(
        self,
        vault: str | None,
        deadline: float | None,
        limit: float | None,
        operation: str | None,
        resource: str | None,
    ) -> Iterator[None]:
        """Hold the lock of `vault` (its id or any path under it; None: no lock), waiting at most until
        `deadline`; `operation` and `resource` name the call in the error."""
        key = (vault_of(vault) or vault) if vault is not None else None
        try:
            held = self._locks.hold(key, deadline=deadline, clock=self._clock)
            held.__enter__()
        except LockTimeout as exc:
            raise DeadlineExceededError(
                f"the vault's lock stayed busy for {exc.waited:.3g}s",
                timeout=limit or 0.0,
                stage="lock wait",
                vault=exc.vault_id,
                operation=operation,
                resource=resource,
            ) from None
        try:
            yield
        finally:
            held.__exit__(None, None, None)

    @staticmethod
    def write_vault(method: str, url: str) -> str | None:
        """The vault whose lock a request must hold (a backup-instance write), else None."""
        return instance_write_vault(method, url)

    def note_busy(self, method: str, url: str) -> None:
        """A request was refused as busy: if it held its vault's lock, the vault is strict from now on."""
        held = instance_write_vault(method, url)
        if held is not None:
            self._locks.note_refusal(held)

    def is_strict(self, vault: str) -> bool:
        """Whether the vault (its id or any path under it) refused a write while this process held its lock."""
        return self._locks.is_strict(vault_of(vault) or vault)
