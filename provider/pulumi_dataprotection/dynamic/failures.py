"""Expected failures reach the engine as their message alone, never as a Python traceback.

Pulumi's dynamic-provider process (``python -m pulumi.dynamic``) turns an exception raised by a provider method into
the gRPC error the engine prints. How depends on the SDK: up to 3.259 gRPC answers ``Exception calling application:
<message>``; later releases wrap each RPC so the error is ``traceback.format_exc()`` (15-40 lines, the message last).
Neither SDK offers a way to fail with a message only, so for the failures the provider expects (Azure's errors,
refusals, configuration errors) :func:`readable` does what gRPC documents for a servicer, ``context.abort(code,
message)``, with the RPC's context found in the calling shim's frame, and makes that SDK's traceback formatting give
the message for these failures (:func:`_quiet_shim`). Any other exception, a bug, keeps its traceback.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import threading
import traceback
import types
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from pulumi.dynamic import CheckFailure, CheckResult

P = ParamSpec("P")
R = TypeVar("R")

_SHIM_CLASS = "DynamicResourceProviderServicer"
"""The servicer class of ``pulumi.dynamic.__main__``: the shim is recognised by it."""
_FRAMES = 4
"""How many calling frames to look through for the RPC's ``context`` (the shim's method and its SDK wrapper)."""


class ReadableFailure(Exception):
    """An expected failure already reported to the engine with its message; ``str()`` is that message."""


class _QuietTraceback(types.ModuleType):
    """The ``traceback`` module as the shim sees it: ``format_exc`` of a :class:`ReadableFailure` is its message."""

    def __getattr__(self, name: str) -> Any:
        return getattr(traceback, name)

    @staticmethod
    def format_exc(limit: int | None = None, chain: bool = True) -> str:
        """The message of a :class:`ReadableFailure` being handled, else the usual traceback."""
        current = sys.exc_info()[1]
        if isinstance(current, ReadableFailure):
            return str(current)
        return traceback.format_exc(limit=limit, chain=chain)


_lock = threading.Lock()


def _quiet_shim(shim: types.ModuleType | None) -> None:
    """Make the dynamic-provider shim ``shim`` format a :class:`ReadableFailure` as its message (a no-op for any
    other module, and for a shim that does not format tracebacks)."""
    if shim is None or not hasattr(shim, _SHIM_CLASS):
        return
    with _lock:
        if getattr(shim, "traceback", None) is traceback:
            shim.traceback = _QuietTraceback("traceback")  # type: ignore[attr-defined]


def _rpc_context(frame: types.FrameType | None) -> Any:
    """The gRPC servicer context of the RPC running in ``frame`` or the frames that called it, or None."""
    import grpc

    for _ in range(_FRAMES):
        if frame is None:
            return None
        context = frame.f_locals.get("context")
        if isinstance(context, grpc.ServicerContext):
            return context
        frame = frame.f_back
    return None


def fail(message: str, frame: types.FrameType | None) -> ReadableFailure:
    """Report ``message`` as the error of the RPC that called ``frame`` and return the exception to raise."""
    import grpc

    _quiet_shim(sys.modules.get("__main__"))
    context = _rpc_context(frame)
    if context is not None:
        with contextlib.suppress(Exception):  # abort always raises; the RPC now carries the message
            context.abort(grpc.StatusCode.UNKNOWN, message)
    return ReadableFailure(message)


def readable(expected: tuple[type[BaseException], ...]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a provider method: an ``expected`` exception raised inside the dynamic-provider process fails the
    RPC with its message only. Outside that process (no RPC context) the exception is raised unchanged."""

    def decorate(method: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(method)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return method(*args, **kwargs)
            except expected as exc:
                caller = sys._getframe(1)
                if _rpc_context(caller) is None:
                    raise
                raise fail(str(exc), caller) from None

        return wrapper

    return decorate


def _top_level(path: str) -> bool:
    return "." not in path and "[" not in path


def named_paths(check: Callable[P, CheckResult]) -> Callable[P, CheckResult]:
    """Decorate ``check``: called by the engine, a failure of a nested property (``policy_rules[1].name``) is
    reported on the resource, its reason led by the path. The engine prints a failure as ``property P value V has a
    problem``, V being the program's value of the top-level input P: ``{<nil>}`` for a path, which reads as if the
    value were missing. Called directly, the failures keep their property."""

    @functools.wraps(check)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> CheckResult:
        result = check(*args, **kwargs)
        if _rpc_context(sys._getframe(1)) is None:
            return result
        failures = [
            f
            if not f.property or _top_level(f.property)
            else CheckFailure("", f.reason if f.reason.startswith(f.property) else f"{f.property}: {f.reason}")
            for f in result.failures
        ]
        return CheckResult(result.inputs, failures)

    return wrapper
