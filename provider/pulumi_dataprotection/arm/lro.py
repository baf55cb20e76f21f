"""The long-running-operation engine: follows Azure-AsyncOperation, Location or provisioningState to the end.

Order (ARM contract): `Azure-AsyncOperation` first; else `Location` on a 202 (202 = running, 200/204 = done);
else `properties.provisioningState` on the resource for PUT/PATCH. Status values compare case-insensitively
(DataProtection says `Inprogress`); terminal values are Succeeded, Failed and Canceled. After success the result
is read per final-state-via (`location` for this resource provider). Failures to *read* a status are reported
apart from the operation failing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pulumi_dataprotection.arm.errors import (
    JsonObject,
    OperationFailedError,
    OperationTimeoutError,
    parse_cloud_error,
)
from pulumi_dataprotection.arm.response import ArmResponse
from pulumi_dataprotection.arm.retry import retry_after_seconds

FinalStateVia = Literal["location", "original-uri", "azure-async-operation"]
Fetch = Callable[[str, bool, str], ArmResponse]
"""GET an absolute URL: (url, accept_404, phase) -> response; raises ArmError for other failures."""

_SUCCEEDED = frozenset({"succeeded"})
_FAILED = frozenset({"failed", "canceled", "cancelled"})


@dataclass(frozen=True)
class PollPolicy:
    """Intervals between status checks; `Retry-After` is honoured but clamped to [min_interval, max_interval]."""

    min_interval: float = 1.0
    max_interval: float = 60.0
    default_interval: float = 10.0
    first_interval: float = 1.0

    def __post_init__(self) -> None:
        if not 0 <= self.min_interval <= self.max_interval:
            raise ValueError("poll intervals need 0 <= min_interval <= max_interval")
        if self.default_interval < 0 or self.first_interval < 0:
            raise ValueError("poll intervals must not be negative")

    def interval(self, retry_after: float | None, *, first: bool) -> float:
        """Seconds to wait before the next status check."""
        if retry_after is None:
            retry_after = self.first_interval if first else self.default_interval
        return min(self.max_interval, max(self.min_interval, retry_after))

    def backoff(self, attempt: int, cadence: float | None = None) -> float:
        """The pause before re-reading a state Azure gives no Retry-After for (protection state, a job). With the
        ``cadence`` Azure stated for the operation that started the change, that cadence (at most
        ``default_interval``), so the change is noticed within it; else from ``first_interval`` doubling up to
        ``default_interval``, so a quick change is noticed quickly and a long wait costs few requests."""
        if cadence is not None:
            return self.interval(min(self.default_interval, cadence), first=False)
        return self.interval(min(self.default_interval, self.first_interval * 2 ** min(attempt, 32)), first=False)


@dataclass(frozen=True)
class OperationResult:
    """The outcome of a (possibly long-running) ARM operation.

    `status_code`/`body`/`headers` are those of the final response (the resource or action result when one was
    read); `operation_status` is the last Azure-AsyncOperation status body; `job_id` is the backup job started
    by the operation (`properties.jobId` of OperationJobExtendedInfo), if any; `already_gone` is True when a
    DELETE found nothing to delete (204/404); `polls` counts the GETs after the initial request (status checks
    and the final read); `cadence` is the last Retry-After Azure stated for it (seconds), if any.
    """

    status_code: int
    body: JsonObject | None
    headers: Mapping[str, str]
    operation_status: JsonObject | None
    job_id: str | None
    already_gone: bool
    polls: int
    request_id: str
    cadence: float | None = None


def provisioning_state(body: Any) -> str | None:
    """`properties.provisioningState` of a resource body, if present."""
    if isinstance(body, dict) and isinstance(body.get("properties"), dict):
        state = body["properties"].get("provisioningState")
        return state if isinstance(state, str) else None
    return None


def _job_id(*bodies: Any) -> str | None:
    for body in bodies:
        if not isinstance(body, dict):
            continue
        for holder in (body.get("properties"), body):
            if isinstance(holder, dict) and isinstance(holder.get("jobId"), str):
                return str(holder["jobId"])
    return None


class OperationWaiter:
    """Waits for one operation started by `initial`; `fetch` does the (retried) status GETs."""

    def __init__(
        self,
        *,
        fetch: Fetch,
        policy: PollPolicy,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
        wall_clock: Callable[[], float],
        deadline: float,
        timeout: float,
        method: str,
        url: str,
        operation: str | None,
        resource: str | None,
    ) -> None:
        self._fetch = fetch
        self._policy = policy
        self._sleep = sleep
        self._clock = clock
        self._wall = wall_clock
        self._deadline = deadline
        self._timeout = timeout
        self._method = method.upper()
        self._url = url
        self._operation = operation
        self._resource = resource
        self._polls = 0
        # Azure states Retry-After on the response that starts an operation but usually not on the status GETs:
        # the last stated value stays the polling cadence until the service says otherwise.
        self._cadence: float | None = None
        self._last_status: str | None = None
        self._request_id = ""
        self._service_request_id: str | None = None

    def wait(self, initial: ArmResponse, final_state_via: FinalStateVia = "location") -> OperationResult:
        """Follow the operation to a terminal state and return its result; raise ArmError subclasses otherwise."""
        self._request_id = initial.client_request_id
        self._service_request_id = initial.service_request_id
        method, status = self._method, initial.status
        if method == "DELETE" and status == 204:
            return self._result(initial, already_gone=True)
        async_url = initial.header("azure-asyncoperation")
        location = initial.header("location")
        if async_url:
            operation_status = self._poll_async_operation(async_url, initial)
            return self._after_async_success(operation_status, location, final_state_via)
        if location and status == 202:
            return self._result(self._poll_location(location, initial, immediate=False, phase="polling"))
        if method in ("PUT", "PATCH"):
            state = provisioning_state(initial.body)
            if status == 202 or not _terminal(state):
                return self._result(self._poll_provisioning_state(initial))
            self._check_state(state)
        if method == "DELETE" and status == 202:
            return self._result(self._poll_until_gone(initial))
        return self._result(initial)

    def _result(
        self, final: ArmResponse | None, operation_status: JsonObject | None = None, *, already_gone: bool = False
    ) -> OperationResult:
        body = final.body if final is not None and isinstance(final.body, dict) else None
        return OperationResult(
            status_code=final.status if final is not None else 200,
            body=body,
            headers=dict(final.headers) if final is not None else {},
            operation_status=operation_status,
            job_id=_job_id(operation_status, body),
            already_gone=already_gone,
            polls=self._polls,
            request_id=self._request_id,
            cadence=self._cadence,
        )

    def _pause(self, last: ArmResponse, status_url: str) -> None:
        retry_after = retry_after_seconds(last.headers, self._wall())
        if retry_after is not None:
            self._cadence = retry_after
        delay = self._policy.interval(self._cadence, first=self._polls == 0)
        remaining = self._deadline - self._clock()
        if remaining <= 0:
            raise OperationTimeoutError(
                None,
                timeout=self._timeout,
                last_status=self._last_status,
                polls=self._polls,
                method=self._method,
                url=self._url,
                status_url=status_url,
                operation=self._operation,
                resource=self._resource,
                request_id=self._request_id,
                service_request_id=self._service_request_id,
            )
        self._sleep(min(delay, remaining))

    def _poll_async_operation(self, status_url: str, initial: ArmResponse) -> JsonObject:
        last = initial
        while True:
            self._pause(last, status_url)
            response = self._fetch(status_url, False, "polling")
            self._polls += 1
            body = response.body
            status = body.get("status") if isinstance(body, dict) else None
            last = response
            if not isinstance(body, dict) or not isinstance(status, str) or not status:
                # One unreadable status says nothing about the operation, which may still be running: read again
                # within the deadline (the timeout error then shows what was read).
                self._last_status = f"unreadable status body {' '.join(response.text.split())[:80]!r}"
                continue
            self._last_status = status
            if outcome(status) == "succeeded":
                return body
            if outcome(status) == "failed":
                raise self._failed(body, status, status_url, response)

    def _failed(self, body: JsonObject, status: str, status_url: str, response: ArmResponse) -> OperationFailedError:
        error = parse_cloud_error(body)
        if error.code is None and error.message is None:
            error = parse_cloud_error({"error": {"message": f"Azure reported {status} without error details"}})
        return OperationFailedError.from_cloud_error(
            error,
            terminal_status=status,
            method=self._method,
            url=self._url,
            status_url=status_url,
            operation=self._operation,
            resource=self._resource,
            request_id=self._request_id,
            service_request_id=self._service_request_id,
            failure_cause=response.header("x-ms-failure-cause"),
        )

    def _after_async_success(
        self, operation_status: JsonObject, location: str | None, final_state_via: FinalStateVia
    ) -> OperationResult:
        if (
            location
            and final_state_via != "azure-async-operation"
            and (final_state_via == "location" or self._method == "POST")
        ):
            final = self._poll_location(location, None, immediate=True, phase="result")
            return self._result(final, operation_status)
        if self._method in ("PUT", "PATCH") and final_state_via != "azure-async-operation":
            final = self._fetch(self._url, False, "result")
            self._polls += 1
            return self._result(final, operation_status)
        return self._result(None, operation_status)

    def _poll_location(self, url: str, last: ArmResponse | None, *, immediate: bool, phase: str) -> ArmResponse:
        while True:
            if last is not None and not immediate:
                self._pause(last, url)
            immediate = False
            response = self._fetch(url, self._method == "DELETE", phase)
            self._polls += 1
            if response.status != 202:
                return response
            self._last_status = "Accepted (202)"
            url = response.header("location") or url
            last = response

    def _poll_provisioning_state(self, initial: ArmResponse) -> ArmResponse:
        invisible_until_done = initial.status == 202
        last = initial
        while True:
            self._pause(last, self._url)
            response = self._fetch(self._url, invisible_until_done, "polling")
            self._polls += 1
            last = response
            if response.status == 404:
                self._last_status = "not visible yet (404)"
                continue
            if not isinstance(response.body, dict):
                self._last_status = f"unreadable resource body {' '.join(response.text.split())[:80]!r}"
                continue
            state = provisioning_state(response.body)
            self._last_status = state or "Succeeded"
            if _terminal(state):
                self._check_state(state)
                return response

    def _check_state(self, state: str | None) -> None:
        if state is not None and state.lower() in _FAILED:
            raise OperationFailedError(
                f"the resource's provisioningState is {state}",
                terminal_status=state,
                method=self._method,
                url=self._url,
                status_url=self._url,
                operation=self._operation,
                resource=self._resource,
                request_id=self._request_id,
                service_request_id=self._service_request_id,
            )

    def _poll_until_gone(self, initial: ArmResponse) -> ArmResponse:
        last = initial
        while True:
            self._pause(last, self._url)
            response = self._fetch(self._url, True, "polling")
            self._polls += 1
            if response.status == 404:
                return response
            self._last_status = provisioning_state(response.body) or "still present"
            last = response


def outcome(status: str) -> Literal["succeeded", "failed", "running"]:
    """What an operation status or provisioningState says (case-insensitive; any other value, such as
    DataProtection's ``Inprogress`` or ``Provisioning``, means still running)."""
    lowered = status.lower()
    return "succeeded" if lowered in _SUCCEEDED else "failed" if lowered in _FAILED else "running"


def _terminal(state: str | None) -> bool:
    return state is None or outcome(state) != "running"
