"""`lend_worker`: while a thread of a thread pool waits (for a vault's lock), the pool may start another worker.

Pulumi runs a dynamic provider in one process per deployment whose gRPC server handles every call (create, read,
check, diff ... of every resource) on a `concurrent.futures.ThreadPoolExecutor` of 4 threads. A write waiting for
its vault's lock holds one of them; with several writes queued on one busy vault, all 4 wait and every other call
(the reads and writes of other vaults) waits behind them, for as long as the queue takes (up to the 60-minute
default timeouts). So a waiting thread lends its place: the pool that runs it may start one more worker for the
duration of the wait (at most `MAX_LENT` at a time per pool), and other calls keep running. Outside such a pool
(the command line, a plain thread) it does nothing.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

MAX_LENT = 64
"""The most extra workers one pool gets for waiting threads (beyond that, a waiting thread holds its worker)."""

_guard = threading.Lock()
_lent: weakref.WeakKeyDictionary[ThreadPoolExecutor, int] = weakref.WeakKeyDictionary()


def pool_of_current_thread() -> ThreadPoolExecutor | None:
    """The ThreadPoolExecutor whose worker is running this code, if any (a worker's first argument is a weak
    reference to its pool)."""
    args = getattr(threading.current_thread(), "_args", None)
    if not isinstance(args, tuple) or not args or not isinstance(args[0], weakref.ReferenceType):
        return None
    pool = args[0]()
    return pool if isinstance(pool, ThreadPoolExecutor) else None


def lent(pool: ThreadPoolExecutor) -> int:
    """How many extra workers waiting threads have lent `pool` now."""
    with _guard:
        return _lent.get(pool, 0)


@contextmanager
def lend_worker() -> Iterator[None]:
    """Within the block (a wait), let the pool running this thread start one more worker for queued calls."""
    pool = pool_of_current_thread()
    with _guard:
        if pool is None or _lent.get(pool, 0) >= MAX_LENT:
            pool = None
        else:
            _lent[pool] = _lent.get(pool, 0) + 1
            pool._max_workers += 1
    if pool is None:
        yield
        return
    try:
        with pool._shutdown_lock:
            # Each call starts a worker or uses up one "idle" mark, which the pool may hold for a worker that
            # already took queued work: repeat until the pool has its workers plus those lent.
            while not pool._shutdown and len(pool._threads) < pool._max_workers:
                pool._adjust_thread_count()
        yield
    finally:
        with _guard:
            _lent[pool] -= 1
            pool._max_workers -= 1
