"""Fixtures for tests that need a running Microsoft.DataProtection emulator.

- ``emulator``: plain-HTTP emulator with fresh state for each test (LROs take 0.2 s, ``Retry-After: 0``).
- ``emulator_tls``: the same over HTTPS (self-signed; trust ``emulator_tls.ca_cert``), for azure-core clients.
- ``arm``: a small authenticated JSON client for ``emulator`` (``arm.put(path, body)`` etc., api-version added).

Both emulators run in-process for the whole session and are reset before each test; use
``pulumi_dataprotection.emulator.start_emulator`` directly for emulators with other settings (restarts, strict
datasources).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import requests

from pulumi_dataprotection.emulator import API_VERSION, EmulatorHandle, start_emulator

LRO_SECONDS = 0.2
SUBSCRIPTION = "00000000-0000-0000-0000-0000000000aa"


@contextmanager
def fresh(handle: EmulatorHandle) -> Iterator[EmulatorHandle]:
    """``handle`` with empty state, no faults and an empty request log; the test's faults are cleared after it."""
    handle.reset()
    yield handle
    handle.clear_faults()


@pytest.fixture(scope="session")
def _emulator_session() -> Iterator[EmulatorHandle]:
    handle = start_emulator(in_process=True, lro_seconds=LRO_SECONDS, retry_after=0)
    yield handle
    handle.stop()


@pytest.fixture(scope="session")
def _emulator_tls_session() -> Iterator[EmulatorHandle]:
    handle = start_emulator(in_process=True, lro_seconds=LRO_SECONDS, retry_after=0, tls=True)
    yield handle
    handle.stop()


@pytest.fixture
def emulator(_emulator_session: EmulatorHandle) -> Iterator[EmulatorHandle]:
    """A running emulator over HTTP with empty state, no faults and an empty request log."""
    with fresh(_emulator_session) as handle:
        yield handle


@pytest.fixture
def emulator_tls(_emulator_tls_session: EmulatorHandle) -> Iterator[EmulatorHandle]:
    """A running emulator over HTTPS (``ca_cert`` is its certificate) with empty state."""
    with fresh(_emulator_tls_session) as handle:
        yield handle


class ArmClient:
    """Minimal ARM client for tests: bearer token, ``api-version`` and JSON handled; returns raw responses."""

    def __init__(self, handle: EmulatorHandle) -> None:
        self.handle = handle
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {handle.token}"
        # Passed per request: requests lets $REQUESTS_CA_BUNDLE override a session-level ``verify``.
        self.verify: str | bool = str(handle.ca_cert) if handle.ca_cert else True

    def url(self, path: str) -> str:
        """Absolute URL of a path (absolute URLs such as polling links are kept as they are)."""
        if path.startswith("http"):
            return path
        sep = "&" if "?" in path else "?"
        return f"{self.handle.url}{path}{sep}api-version={API_VERSION}"

    def request(self, method: str, path: str, body: Any = None, **kw: Any) -> requests.Response:
        """Send a request (``body`` as JSON)."""
        kw.setdefault("verify", self.verify)
        return self.session.request(method, self.url(path), json=body, timeout=30, **kw)

    def get(self, path: str, **kw: Any) -> requests.Response:
        """GET."""
        return self.request("GET", path, **kw)

    def put(self, path: str, body: Any, **kw: Any) -> requests.Response:
        """PUT a JSON body."""
        return self.request("PUT", path, body, **kw)

    def patch(self, path: str, body: Any, **kw: Any) -> requests.Response:
        """PATCH a JSON body."""
        return self.request("PATCH", path, body, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> requests.Response:
        """POST (optionally a JSON body)."""
        return self.request("POST", path, body, **kw)

    def delete(self, path: str, **kw: Any) -> requests.Response:
        """DELETE."""
        return self.request("DELETE", path, **kw)

    def wait(self, response: requests.Response, timeout: float = 10.0) -> dict[str, Any]:
        """Poll the ``Azure-AsyncOperation`` of an LRO response until it is terminal; return the status body."""
        return self.poll(response.headers["Azure-AsyncOperation"], timeout)

    def poll(self, url: str, timeout: float = 10.0) -> dict[str, Any]:
        """Poll an operation-status URL (or path) until the status is terminal; return the status body."""
        deadline = time.monotonic() + timeout
        while True:
            status = self.get(url)
            assert status.status_code == 200, status.text
            body: dict[str, Any] = status.json()
            if body["status"] in ("Succeeded", "Failed", "Canceled"):
                return body
            if time.monotonic() > deadline:
                raise AssertionError(f"operation still {body['status']} after {timeout}s: {url}")
            time.sleep(0.05)


@pytest.fixture
def arm(emulator: EmulatorHandle) -> ArmClient:
    """An authenticated JSON client of the ``emulator`` fixture."""
    return ArmClient(emulator)
