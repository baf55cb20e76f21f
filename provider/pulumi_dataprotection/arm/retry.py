"""The retry policy, in one place: which answers and exceptions are retried, how long to wait, when to give up."""

from __future__ import annotations

import email.utils
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

from pulumi_dataprotection.arm.errors import CloudError

if TYPE_CHECKING:
    import requests

RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
# 409 bodies that mean "another operation is running on this vault/instance", not a genuine conflict.
_BUSY_TEXT = re.compile(
    r"in ?progress|another operation|concurrent|conflicting operation|currently (being )?(processed|updated)|busy",
    re.IGNORECASE,
)


class Outcome(Enum):
    """How the request loop should treat a failed answer or a transport error."""

    TRANSIENT = "transient"
    BUSY = "busy"
    FATAL = "fatal"


@dataclass(frozen=True)
class RetryPolicy:
    """Retry knobs: transient failures (count, backoff, total budget) and vault-busy refusals (backoff, budget)."""

    max_retries: int = 5
    backoff_base: float = 1.0
    backoff_cap: float = 30.0
    budget: float = 300.0
    busy_backoff_base: float = 5.0
    busy_backoff_cap: float = 60.0
    busy_budget: float = 900.0

    def __post_init__(self) -> None:
        if self.max_retries < 0 or min(self.backoff_base, self.backoff_cap, self.budget) < 0:
            raise ValueError("retry settings must not be negative")
        if min(self.busy_backoff_base, self.busy_backoff_cap, self.busy_budget) < 0:
            raise ValueError("busy retry settings must not be negative")

    def backoff(self, retry_number: int, rng: Callable[[], float]) -> float:
        """Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^(n-1))]."""
        return rng() * min(self.backoff_cap, self.backoff_base * 2.0 ** (retry_number - 1))

    def busy_backoff(self, retry_number: int, rng: Callable[[], float]) -> float:
        """Exponential backoff with equal jitter (at least half the step), so a busy vault is not hammered."""
        step = min(self.busy_backoff_cap, self.busy_backoff_base * 2.0 ** (retry_number - 1))
        return step / 2 + rng() * step / 2


def retry_after_seconds(headers: Mapping[str, str], now_wall: float) -> float | None:
    """Delay asked for by the server: `Retry-After` (seconds or HTTP-date), else `retry-after-ms`/`x-ms-retry-after-ms`.

    `headers` must have lower-case names. Returns None when absent or unparsable.
    """
    value = headers.get("retry-after")
    if value is not None:
        value = value.strip()
        try:
            return max(0.0, float(value))
        except ValueError:
            pass
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            when = None
        if when is not None and when.tzinfo is not None:
            return max(0.0, when.timestamp() - now_wall)
    for name in ("retry-after-ms", "x-ms-retry-after-ms"):
        raw = headers.get(name)
        if raw is not None:
            try:
                return max(0.0, float(raw.strip()) / 1000.0)
            except ValueError:
                continue
    return None


def is_busy_answer(status: int, error: CloudError) -> bool:
    """406 (the vault refuses concurrent instance writes, often with no body) or a 409 'operation in progress'."""
    if status == 406:
        return True
    if status != 409:
        return False
    text = " ".join(p for p in (error.code, error.message) if p)
    return bool(_BUSY_TEXT.search(text))


def classify_status(
    status: int,
    headers: Mapping[str, str],
    error: CloudError,
    *,
    idempotent: bool,
    write: bool,
) -> Outcome:
    """Decide what to do with a non-2xx answer (callers handle 401 and accepted 404s first).

    Non-idempotent POSTs are retried only when the server says the request was not processed: 429, any answer
    carrying Retry-After, or a busy refusal.
    """
    if write and is_busy_answer(status, error):
        return Outcome.BUSY
    if status in RETRYABLE_STATUSES and (idempotent or status == 429 or "retry-after" in headers):
        return Outcome.TRANSIENT
    return Outcome.FATAL


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    stack: list[BaseException] = [exc]
    while stack and len(seen) < 20:
        current = stack.pop()
        if any(current is s for s in seen):
            continue
        seen.append(current)
        for candidate in (*current.args, getattr(current, "reason", None), current.__cause__, current.__context__):
            if isinstance(candidate, BaseException):
                stack.append(candidate)
    return seen


def request_not_sent(exc: BaseException) -> bool:
    """True when the connection could not be opened, so the server cannot have seen the request."""
    import requests
    import urllib3.exceptions

    not_sent = (
        requests.exceptions.ConnectTimeout,
        urllib3.exceptions.NewConnectionError,
        urllib3.exceptions.ConnectTimeoutError,
        urllib3.exceptions.NameResolutionError,
    )
    return any(isinstance(e, not_sent) for e in _chain(exc))


def classify_exception(exc: requests.RequestException, *, idempotent: bool) -> Outcome:
    """Connection errors and timeouts are transient; for non-idempotent POSTs only if nothing was sent."""
    import requests

    transient = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)
    if isinstance(exc, transient) and (idempotent or request_not_sent(exc)):
        return Outcome.TRANSIENT
    return Outcome.FATAL


def describe_exception(exc: BaseException) -> str:
    """A short description of a transport error (type and innermost reason; never headers or tokens)."""
    chain = _chain(exc)
    inner = chain[-1]
    text = " ".join(str(inner).split())[:200]
    return f"{type(exc).__name__}: {type(inner).__name__}" + (f" ({text})" if text else "")


class RetryBudget:
    """Counts the retries of one call and computes the next wait, or says why to stop."""

    def __init__(self, policy: RetryPolicy, clock: Callable[[], float], rng: Callable[[], float]) -> None:
        self.policy = policy
        self._clock = clock
        self._rng = rng
        self.started = clock()
        self.retries = 0
        self.busy_retries = 0
        self.busy_waited = 0.0

    @property
    def elapsed(self) -> float:
        """Seconds since the call started."""
        return self._clock() - self.started

    def next_transient_wait(self, retry_after: float | None) -> tuple[float | None, str]:
        """(wait, "") for the next transient retry, or (None, why we stop)."""
        if self.retries >= self.policy.max_retries:
            return None, f"all {self.policy.max_retries} retries used"
        wait = retry_after if retry_after is not None else self.policy.backoff(self.retries + 1, self._rng)
        remaining = self.policy.budget - (self.elapsed - self.busy_waited)
        if wait > remaining:
            asked = "Azure asked to wait" if retry_after is not None else "the next backoff is"
            return None, f"{asked} {wait:.3g}s but only {max(remaining, 0):.3g}s of the retry budget remain"
        self.retries += 1
        return wait, ""

    def next_busy_wait(self, retry_after: float | None) -> float | None:
        """The wait before retrying a busy refusal, or None once the busy budget is spent."""
        wait = retry_after if retry_after is not None else self.policy.busy_backoff(self.busy_retries + 1, self._rng)
        if self.elapsed + wait > self.policy.busy_budget:
            return None
        self.busy_retries += 1
        self.busy_waited += wait
        return wait
