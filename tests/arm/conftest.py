"""Fixtures for the ARM client tests: a scripted loopback server, fake time, and clients wired to both."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pulumi_dataprotection.arm import ArmClient, ArmSettings, PollPolicy, RetryPolicy, VaultLocks
from tests.arm.server import ScriptedServer

RECORDINGS = Path(__file__).resolve().parents[2] / ".." / "shared" / "reference" / "recordings"
TOKEN = "test-token-value-1234567890"


class FakeTime:
    """A monotonic clock that only moves when `sleep` is called; every sleep is recorded."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def wall(self) -> float:
        return 1_700_000_000.0 + self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    srv = ScriptedServer()
    yield srv
    srv.close()


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


FAST_POLL = PollPolicy(min_interval=0.0, max_interval=5.0, default_interval=0.5, first_interval=0.0)
FAST_RETRY = RetryPolicy(
    max_retries=4,
    backoff_base=0.5,
    backoff_cap=4.0,
    budget=60.0,
    busy_backoff_base=1.0,
    busy_backoff_cap=4.0,
    busy_budget=30.0,
)


@pytest.fixture
def make_client(server: ScriptedServer, fake_time: FakeTime) -> Iterator[Callable[..., ArmClient]]:
    """Build a client on the scripted server with fake time (pass real=True for real sleeps/clock)."""
    clients: list[ArmClient] = []

    def build(*, real: bool = False, locks: VaultLocks | None = None, **overrides: Any) -> ArmClient:
        options: dict[str, Any] = {"poll": FAST_POLL, "retry": FAST_RETRY}
        options.update(overrides)
        endpoint = options.pop("endpoint", server.base_url)
        settings = ArmSettings.emulator(endpoint, token=TOKEN, **options)
        timing: dict[str, Any] = {}
        if not real:
            timing = {"sleep": fake_time.sleep, "clock": fake_time.clock, "wall_clock": fake_time.wall}
        client = ArmClient(settings, rng=lambda: 0.5, locks=locks or VaultLocks(), **timing)
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.close()
