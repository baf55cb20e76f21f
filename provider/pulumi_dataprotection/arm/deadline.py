"""`Deadline`: when one call (or one provider operation made of several calls) must end, and the limit it was given;
`bounded` makes one the default of every ARM call the current thread makes without a timeout of its own."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Deadline:
    """The end of a time limit: `at` on the `time.monotonic` clock, and the `limit` (seconds) it was set with, which
    errors quote ("did not finish within 60m"). Several calls given the same Deadline share one time limit."""

    at: float
    limit: float

    @classmethod
    def after(cls, limit: float, clock: Callable[[], float] = time.monotonic) -> Deadline:
        """The deadline `limit` seconds from now."""
        return cls(clock() + limit, limit)

    def remaining(self, clock: Callable[[], float] = time.monotonic) -> float:
        """Seconds left (negative once passed)."""
        return self.at - clock()


_ambient = threading.local()


@contextmanager
def bounded(deadline: Deadline) -> Iterator[None]:
    """Within the block, ARM calls of this thread without an explicit timeout end by `deadline` (reads made while
    waiting for a state, listings, ...), so a provider operation cannot outlive its time limit through them."""
    previous = getattr(_ambient, "deadline", None)
    _ambient.deadline = deadline
    try:
        yield
    finally:
        _ambient.deadline = previous


def ambient() -> Deadline | None:
    """The deadline set by the innermost `bounded` block of this thread, if any."""
    deadline = getattr(_ambient, "deadline", None)
    return deadline if isinstance(deadline, Deadline) else None
