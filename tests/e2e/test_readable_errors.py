"""End to end, errors a person can read: a failing ``pulumi up`` prints the provider's message alone, not a Python
traceback nor gRPC's ``Exception calling application:`` (unit tests of the SDK variants: tests/resources/
test_failures.py)."""

from __future__ import annotations

import pytest

from pulumi_dataprotection.emulator import EmulatorHandle
from tests.e2e.conftest import StackFactory

pytestmark = pytest.mark.engine


def test_a_failing_up_prints_azures_message_alone(small_stack: StackFactory, dp: EmulatorHandle) -> None:
    stack = small_stack("readable")
    dp.inject_fault(
        "error", method="PUT", path="/backupVaults/", status=400, code="BadRequest", message="The vault is odd."
    )

    done = stack.pulumi("up", "--yes", "--skip-preview", "--non-interactive", "--color=never", check=False)

    text = done.stdout + done.stderr
    assert done.returncode != 0, text
    assert "BadRequest: The vault is odd." in text, text
    assert "Traceback" not in text and "Exception calling application" not in text, text
    assert "error: create backup vault on backupVaults 'bv-e2e' failed: HTTP 400, BadRequest" in text, text
