"""The retry policy, in one place: which answers and exceptions are retried, how long to wait, when to give up."""

from __future__ import annotations

import email.utils
import math
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


RETRY_AFTER_CAP = 600.0
"""The longest wait a Retry-After is taken at (ARM: "between 10 s and 10 min"); larger values are clamped."""


@dataclass(frozen=True)
class RetryPolicy:
    """Retry knobs: transient failures (count, backoff, total budget), vault-busy refusals (backoff, budget), and
    the shortest wait a server-stated Retry-After is taken at (`retry_after_floor`)."""

    max_retries: int = 5
    backoff_base: float = 1.0
    backoff_cap: float = 30.0
    budget: float = 300.0
    busy_backoff_base: float = 5.0
    busy_backoff_cap: float = 60.0
    busy_budget: float = 900.0
    retry_after_floor: float = 1.0
    loopback_refused_attempts: int = 2
    """Attempts after which a loopback endpoint that refuses every connection is given up on (nothing listens)."""
    last_try_reserve: float = 30.0
    """When a wait is cut to the call's deadline, the time kept for the one last attempt (at most half of what is
    left), so that attempt has time to be answered."""

    def __post_init__(self) -> None:
        if self.loopback_refused_attempts < 1:
            raise ValueError("loopback_refused_attempts must be at least 1")
        if self.max_retries < 0 or min(self.backoff_base, self.backoff_cap, self.budget) < 0:
            raise ValueError("retry settings must not be negative")
        busy = (self.busy_backoff_base, self.busy_backoff_cap, self.busy_budget, self.retry_after_floor)
        if min(*busy, self.last_try_reserve) < 0:
            raise ValueError("busy retry settings must not be negative")

    def backoff(self, retry_number: int, rng: Callable[[], float]) -> float:
        """Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^(n-1))]."""
        return rng() * min(self.backoff_cap, self.backoff_base * 2.0 ** (retry_number - 1))

    def busy_backoff(self, retry_number: int, rng: Callable[[], float]) -> float:
        """Exponential backoff with equal jitter (at least half the step), so a busy vault is not hammered."""
        step = min(self.busy_backoff_cap, self.busy_backoff_base * 2.0 ** (retry_number - 1))
        return step / 2 + rng() * step / 2

    def server_wait(self, retry_after: float) -> float:
        """A (parsed) Retry-After as a wait: at least `retry_after_floor`, at most RETRY_AFTER_CAP."""
        return min(RETRY_AFTER_CAP, max(self.retry_after_floor, retry_after))


def _seconds(raw: str, scale: float = 1.0) -> float | None:
    """A delay in seconds (capped), 0.0 for a meaningless one (nan, negative), None when it is not a number."""
    try:
        value = float(raw.strip()) / scale
    except ValueError:
        return None
    if math.isnan(value) or value < 0:
        return 0.0
    return min(value, RETRY_AFTER_CAP)


def retry_after_seconds(headers: Mapping[str, str], now_wall: float) -> float | None:
    """Delay asked for by the server: `Retry-After` (seconds or HTTP-date), else `retry-after-ms`/`x-ms-retry-after-ms`.

    `headers` must have lower-case names. Returns None when absent, at most RETRY_AFTER_CAP, and 0 for a value
    that asks for a retry without a usable delay (a date in the past, nan, a negative or unparsable value), so
    callers apply their floor rather than retrying at once.
    """
    value = headers.get("retry-after")
    if value is not None:
        seconds = _seconds(value)
        if seconds is not None:
            return seconds
        try:
            when = email.utils.parsedate_to_datetime(value.strip())
        except (TypeError, ValueError, IndexError):
            when = None
        if when is not None and when.tzinfo is not None:
            return min(RETRY_AFTER_CAP, max(0.0, when.timestamp() - now_wall))
        return 0.0
    for name in ("retry-after-ms", "x-ms-retry-after-ms"):
        raw = headers.get(name)
        if raw is not None:
            return _seconds(raw, 1000.0) or 0.0
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

    Non-idempotent POSTs are retried only when the answer says the request was not processed: 429 (ARM: "your
    request isn't processed") or a busy refusal (406/409). A 5xx or 408 may come after the service started the
    action (a gateway timeout, an error after the job was queued), Retry-After or not, so it is not retried.
    """
    if write and is_busy_answer(status, error):
        return Outcome.BUSY
    if status in RETRYABLE_STATUSES and (idempotent or status == 429):
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


@dataclass(frozen=True)
class ConnectFailure:
    """Why a connection could not be opened: `reason` (the OS's words) and whether the host actively refused it."""

    reason: str
    refused: bool


def connect_failure(exc: BaseException) -> ConnectFailure | None:
    """The failure to open a connection (refused, name not resolved, network unreachable) behind `exc`, else None
    (a timeout, a reset or an error after connecting)."""
    import requests
    import urllib3.exceptions

    chain = _chain(exc)
    opening = [e for e in chain if isinstance(e, urllib3.exceptions.NewConnectionError)]
    if not opening:
        return None
    wrappers = (requests.RequestException, urllib3.exceptions.HTTPError)
    causes = [e for e in chain if isinstance(e, OSError) and not isinstance(e, wrappers)]
    text = " ".join(str(causes[0] if causes else opening[0]).split())[:200]
    return ConnectFailure(text, any(isinstance(e, ConnectionRefusedError) for e in causes))


def tls_problem(exc: BaseException) -> str | None:
    """The certificate or TLS problem behind a transport error (None when it is not a TLS failure)."""
    import ssl

    for error in _chain(exc):
        if isinstance(error, ssl.SSLCertVerificationError):
            return error.verify_message or str(error)
    for error in _chain(exc):
        if isinstance(error, ssl.SSLError):
            return error.reason or str(error)
    return None


def classify_exception(exc: requests.RequestException, *, idempotent: bool) -> Outcome:
    """Connection errors and timeouts are transient; for non-idempotent POSTs only if nothing was sent. A TLS
    failure (an untrusted or mismatched certificate) is fatal: retrying cannot fix it."""
    import requests

    if isinstance(exc, requests.exceptions.SSLError) or tls_problem(exc) is not None:
        return Outcome.FATAL

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


@dataclass(frozen=True)
class RetryDecision:
    """What to do after a retryable failure: sleep `wait`, then retry, or (with `give_up`) fail for that reason;
    `deadline` tells whether the call's deadline, not a retry budget, is what ran out; `last` (a retry only) says
    why it is the last one (the wait asked for was cut to the time left)."""

    wait: float
    give_up: str | None = None
    deadline: bool = False
    last: str | None = None


class RetryBudget:
    """Counts the retries of one call and computes the next wait, or says why to stop.

    Every wait is capped at the time left: of the retry budget, and of the call's `deadline` (a `clock` time).
    A wait longer than that (a Retry-After beyond the budget, a backoff past the deadline) is cut to it, keeping
    `last_try_reserve` of a deadline for the attempt, and the call is tried once more; if that last attempt fails
    too, the call gives up. So a call never outlives its deadline, and a server asking for more time than is left
    gets one retry at the end of it rather than none.
    """

    def __init__(
        self,
        policy: RetryPolicy,
        clock: Callable[[], float],
        rng: Callable[[], float],
        deadline: float | None = None,
    ) -> None:
        self.policy = policy
        self._clock = clock
        self._rng = rng
        self.deadline = deadline
        self.started = clock()
        self.retries = 0
        self.busy_retries = 0
        self.busy_waited = 0.0
        self.unreached = 0
        """Attempts whose connection could not be opened (see `connect_failure`)."""
        self.cut: str | None = None
        """Why the last retry was announced as the last one (a wait was cut to the time left), once it was."""
        self._by_deadline = False

    @property
    def elapsed(self) -> float:
        """Seconds since the call started."""
        return self._clock() - self.started

    def _decide(self, wait: float, budget_left: float, asked: str, budget_name: str) -> RetryDecision | None:
        """None when `wait` fits in what is left; else, the first time, a last retry after what is left (less the
        reserve for the attempt when the deadline is what limits it), and the decision to give up after that."""
        deadline_left = self.deadline - self._clock() if self.deadline is not None else math.inf
        left = max(0.0, min(budget_left, deadline_left))
        if self.cut is not None:
            return RetryDecision(
                0.0, f"{self.cut}; the last retry after waiting that out failed too", self._by_deadline
            )
        if wait <= left:
            return None
        by_deadline = deadline_left <= budget_left
        which = "the call's time" if by_deadline else budget_name
        reason = f"{asked} {wait:.3g}s but only {left:.3g}s of {which} remain"
        if deadline_left <= 0:
            return RetryDecision(0.0, reason, by_deadline)
        self.cut, self._by_deadline = reason, by_deadline
        return RetryDecision(left - min(self.policy.last_try_reserve, left / 2) if by_deadline else left, last=reason)

    def next_transient_wait(self, retry_after: float | None) -> RetryDecision:
        """The wait before the next transient retry, or the decision to give up."""
        if self.retries >= self.policy.max_retries:
            return RetryDecision(0.0, f"all {self.policy.max_retries} retries used")
        if retry_after is not None:
            wait, asked = self.policy.server_wait(retry_after), "Azure asked to wait"
        else:
            wait, asked = self.policy.backoff(self.retries + 1, self._rng), "the next backoff is"
        remaining = self.policy.budget - (self.elapsed - self.busy_waited)
        decision = self._decide(wait, remaining, asked, "the retry budget") or RetryDecision(wait)
        if decision.give_up is None:
            self.retries += 1
        return decision

    def next_busy_wait(self, retry_after: float | None) -> RetryDecision:
        """The wait before retrying a busy refusal, or the decision to give up."""
        if retry_after is not None:
            wait, asked = self.policy.server_wait(retry_after), "Azure asked to wait"
        else:
            wait, asked = self.policy.busy_backoff(self.busy_retries + 1, self._rng), "the next backoff is"
        decision = self._decide(wait, self.policy.busy_budget - self.elapsed, asked, "the busy retry budget")
        decision = decision or RetryDecision(wait)
        if decision.give_up is None:
            self.busy_retries += 1
            self.busy_waited += decision.wait
        return decision
