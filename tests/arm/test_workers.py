"""A thread waiting for a vault's lock lends its place in its thread pool, so queued calls still run."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from pulumi_dataprotection.arm.workers import lend_worker, lent, pool_of_current_thread


def test_outside_a_pool_nothing_is_lent():
    with lend_worker():
        assert pool_of_current_thread() is None


def test_a_waiting_worker_lets_its_pool_run_queued_work_meanwhile():
    release = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as pool:

        def waiter() -> tuple[bool, int]:
            with lend_worker():
                during = lent(pool)
                return release.wait(5), during

        waiting = pool.submit(waiter)
        queued = pool.submit(lambda: pool_of_current_thread() is pool)
        assert queued.result(timeout=2), "the queued call ran on a worker of the same pool while the first waited"
        release.set()
        assert waiting.result(timeout=5) == (True, 1)
        assert lent(pool) == 0 and pool._max_workers == 1

