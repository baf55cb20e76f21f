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


def test_a_grpc_server_like_the_dynamic_providers_answers_while_a_handler_waits():
    """The provider process is a gRPC server on a ThreadPoolExecutor (pulumi.dynamic): a call waiting in
    lend_worker does not keep the next call from being answered, even with a single worker."""
    import grpc

    release = threading.Event()
    pool = ThreadPoolExecutor(max_workers=1)
    server = grpc.server(pool)

    def wait(request: bytes, context: object) -> bytes:
        with lend_worker():
            return b"released" if release.wait(10) else b"timed out"

    handlers = {
        "Wait": grpc.unary_unary_rpc_method_handler(wait),
        "Ping": grpc.unary_unary_rpc_method_handler(lambda request, context: b"pong"),
    }
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("test.Provider", handlers),))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            waiting = channel.unary_unary("/test.Provider/Wait").future(b"")
            assert channel.unary_unary("/test.Provider/Ping")(b"", timeout=3) == b"pong"
            release.set()
            assert waiting.result(timeout=10) == b"released"
    finally:
        release.set()
        server.stop(0)
