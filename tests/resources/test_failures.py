"""Expected failures reach the engine as their message alone, under both ways the Pulumi SDKs of the supported
range report a provider's exception (see pulumi_dataprotection.dynamic.failures)."""

from __future__ import annotations

import sys
import traceback
import types
from typing import Any

import grpc
import pytest
from pulumi.dynamic import CheckFailure, CheckResult

from pulumi_dataprotection.dynamic.failures import ReadableFailure, named_paths, readable

MESSAGE = "create backup vault 'bv' failed: HTTP 400, BadRequest: The vault is odd.\nNothing was changed."


class FakeContext:
    """What a gRPC server's context does on abort: keep code and details, then raise."""

    def __init__(self) -> None:
        self.code: grpc.StatusCode | None = None
        self.details: str | None = None

    def abort(self, code: grpc.StatusCode, details: str) -> None:
        self.code, self.details = code, details
        raise Exception()


grpc.ServicerContext.register(FakeContext)


def serve(handler: Any, context: FakeContext) -> str:
    """The status details gRPC sends when ``handler`` raises (grpc._server._call_behavior)."""
    try:
        handler(None, context)
    except Exception as exc:
        return context.details if context.details is not None else f"Exception calling application: {exc}"
    raise AssertionError("the handler did not fail")


@readable((ValueError,))
def failing_create(error: Exception) -> None:
    raise error


def old_sdk_create(request: Any, context: FakeContext) -> None:
    """The shim's Create up to SDK 3.259: calls the provider, no error handling."""
    failing_create(ValueError(MESSAGE))


def new_sdk_shim(error: Exception) -> types.ModuleType:
    """A module like ``pulumi.dynamic.__main__`` of SDK 3.272: every RPC wrapped in ``_abort_with_traceback``."""
    shim = types.ModuleType("__main__")
    shim.traceback = traceback  # type: ignore[attr-defined]

    def wrapped_create(request: Any, context: FakeContext) -> None:
        try:
            failing_create(error)
        except Exception:
            context.abort(grpc.StatusCode.UNKNOWN, shim.traceback.format_exc())

    shim.DynamicResourceProviderServicer = object  # type: ignore[attr-defined]
    shim.create = wrapped_create  # type: ignore[attr-defined]
    return shim


def test_sdk_up_to_3_259_sends_the_message_without_grpcs_prefix() -> None:
    assert serve(old_sdk_create, FakeContext()) == MESSAGE


def test_sdk_3_272_sends_the_message_not_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    shim = new_sdk_shim(ValueError(MESSAGE))
    monkeypatch.setitem(sys.modules, "__main__", shim)
    assert serve(shim.create, FakeContext()) == MESSAGE


def test_an_unexpected_exception_keeps_its_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    shim = new_sdk_shim(KeyError("bug"))
    monkeypatch.setitem(sys.modules, "__main__", shim)
    details = serve(shim.create, FakeContext())
    assert details.startswith("Traceback (most recent call last):") and "KeyError: 'bug'" in details


def test_outside_the_provider_process_the_exception_is_unchanged() -> None:
    with pytest.raises(ValueError, match="The vault is odd") as raised:
        failing_create(ValueError(MESSAGE))
    assert not isinstance(raised.value, ReadableFailure)


@named_paths
def failing_check() -> CheckResult:
    return CheckResult(
        {},
        [
            CheckFailure("policy_rules[1].name", "policy_rules[1].name must be unique"),
            CheckFailure("tags.owner", "too long"),
            CheckFailure("location", "location: 'mars' is not an Azure region"),
        ],
    )


def test_the_engine_gets_a_nested_path_in_the_reason_not_as_the_property() -> None:
    def rpc_check(request: Any, context: FakeContext) -> CheckResult:
        return failing_check()

    failures = rpc_check(None, FakeContext()).failures
    assert [(f.property, f.reason) for f in failures] == [
        ("", "policy_rules[1].name must be unique"),
        ("", "tags.owner: too long"),
        ("location", "location: 'mars' is not an Azure region"),
    ]
    assert [f.property for f in failing_check().failures] == ["policy_rules[1].name", "tags.owner", "location"]
