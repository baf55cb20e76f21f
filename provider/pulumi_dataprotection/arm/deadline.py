"""`Deadline`: when one call (or one provider operation made of several calls) must end, and the limit it was given."""

from __future__ import annotations

import time
from collections.abc import Callable
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
