"""Fixtures for the resource tests: provider methods called directly against an in-process emulator.

The resource tests use their own emulator with 50 ms long-running operations (the shared ``emulator`` fixture uses
200 ms), so the many create/update/delete waits stay fast; everything else is the same emulator.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from pulumi_dataprotection import config as config_module
from pulumi_dataprotection.emulator import EmulatorHandle, start_emulator
from tests.support.emulator import SUBSCRIPTION, fresh

LRO_SECONDS = 0.05
OWNER_KEY_SECRET = "test-stack-owner-key"
"""The stack's ``dataprotection:ownerKey`` in the resource tests (the keyed ownership mark)."""


def stack_config(handle: EmulatorHandle, **extra: Any) -> dict[str, Any]:
    """The stack config a user would set to point the provider at ``handle``."""
    return {
        "dataprotection:subscriptionId": SUBSCRIPTION,
        "dataprotection:endpoint": handle.url,
        "dataprotection:token": handle.token,
        "dataprotection:pollMinInterval": "0.02",
        "dataprotection:pollMaxInterval": "0.03",
        "dataprotection:ownerKey": OWNER_KEY_SECRET,
        **extra,
    }


def configure(provider: Any, handle: EmulatorHandle, **extra: Any) -> None:
    """Call ``provider.configure`` exactly as the dynamic-provider host does."""
    provider.configure(ConfigureRequest(Config(stack_config(handle, **extra), "test-project")))


@pytest.fixture(scope="session")
def _fast_emulator() -> Iterator[EmulatorHandle]:
    handle = start_emulator(in_process=True, lro_seconds=LRO_SECONDS, retry_after=0)
    yield handle
    handle.stop()


@pytest.fixture
def fast_emulator(_fast_emulator: EmulatorHandle) -> Iterator[EmulatorHandle]:
    """The resource tests' emulator with empty state, no faults and an empty request log."""
    with fresh(_fast_emulator) as handle:
        yield handle


@pytest.fixture
def configured(fast_emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch) -> Iterator[EmulatorHandle]:
    """The emulator, with the process-wide provider config pointing at it (and no Azure env vars leaking in)."""
    emulator = fast_emulator
    for var in ("AZURE_SUBSCRIPTION_ID", "ARM_SUBSCRIPTION_ID", "DATAPROTECTION_ENDPOINT", "DATAPROTECTION_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    config_module.set_stack_config(stack_config(emulator))
    yield emulator
    config_module.set_stack_config({})
