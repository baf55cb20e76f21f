"""End to end, 404s that do not mean "gone": a refresh or destroy answered 404 SubscriptionNotFound (a wrong
subscription or tenant) fails with the cause named and leaves the Pulumi state exactly as it was."""

from __future__ import annotations

import json
from typing import Any

import pytest

from pulumi_dataprotection.emulator import EmulatorHandle
from tests.e2e.conftest import StackFactory
from tests.e2e.programs import SUBSCRIPTION

pytestmark = pytest.mark.engine

WRONG_SUBSCRIPTION = {
    "status": 404,
    "code": "SubscriptionNotFound",
    "message": f"The subscription '{SUBSCRIPTION}' could not be found.",
}


def _masked(value: Any) -> Any:
    """``value`` with encrypted secrets masked (their ciphertext changes whenever the state is written)."""
    if isinstance(value, dict):
        if "ciphertext" in value:
            return "[secret]"
        return {k: _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def _deployment(stack_export: dict[str, Any]) -> str:
    """The resources of ``pulumi stack export`` as canonical text, without what the engine rewrites on every write
    (timestamps, ciphertexts, empty property dependencies)."""
    resources = []
    for resource in stack_export["deployment"]["resources"]:
        kept = {k: v for k, v in _masked(resource).items() if k not in ("modified", "propertyDependencies")}
        kept["propertyDependencies"] = {k: v for k, v in (resource.get("propertyDependencies") or {}).items() if v}
        resources.append(kept)
    return json.dumps(resources, sort_keys=True)


def test_a_refresh_under_a_wrong_subscription_fails_and_leaves_the_state_untouched(
    small_stack: StackFactory, dp: EmulatorHandle
) -> None:
    """Issue 19: every 404 counted as gone, so a refresh under the wrong subscription or tenant dropped resources."""
    stack = small_stack("wrong-subscription", instances=1)
    stack.up()
    before = _deployment(stack.export())
    dp.inject_fault("error", method="*", path=f"/subscriptions/{SUBSCRIPTION}/", **WRONG_SUBSCRIPTION)

    refresh = stack.refresh(check=False)

    assert not refresh.ok, refresh
    errors = "\n".join(refresh.errors)
    assert "SubscriptionNotFound" in errors and "Nothing was removed from the Pulumi state" in errors, errors
    assert _deployment(stack.export()) == before

    destroy = stack.destroy(check=False)
    assert not destroy.ok, destroy
    assert _deployment(stack.export()) == before, "a destroy answered with an ambiguous 404 drops nothing either"
    dp.clear_faults()
