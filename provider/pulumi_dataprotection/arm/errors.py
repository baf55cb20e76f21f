"""The one exception family of the ARM layer: every failure says what failed, where, Azure's words and what to do."""

from __future__ import annotations

import http
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Self
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

JsonObject = dict[str, Any]

_MAX_TEXT = 400


@dataclass(frozen=True)
class ErrorDetail:
    """One entry of a CloudError `details` array."""

    code: str | None
    message: str | None
    target: str | None


@dataclass(frozen=True)
class CloudError:
    """The useful parts of an ARM CloudError body (`{"error": {...}}`) or an operation-status `error`."""

    code: str | None
    message: str | None
    target: str | None
    details: tuple[ErrorDetail, ...]
    recommended_action: tuple[str, ...]


def parse_cloud_error(payload: Any, text: str = "") -> CloudError:
    """Extract code/message/target/details/recommended actions from a CloudError body, an `error` object or text.

    Handles `{"error": {...}}`, a bare error object, `null` fields, and `additionalInfo[].info` of type
    `UserFacingError` (its `recommendedAction` may be a list or a string; nested `details` are searched too).
    Falls back to the (truncated) raw text for non-JSON answers.
    """
    error = payload.get("error") if isinstance(payload, dict) else None
    if not isinstance(error, dict):
        error = payload if isinstance(payload, dict) and ("code" in payload or "message" in payload) else None
    if error is None:
        snippet = " ".join(text.split())[:_MAX_TEXT] or None
        return CloudError(None, snippet, None, (), ())
    details = tuple(
        ErrorDetail(_text(d.get("code")), _text(d.get("message")), _text(d.get("target")))
        for d in _objects(error.get("details"))
    )
    message = _text(error.get("message"))
    if message is None:
        message = next((m for m in _user_facing_messages(error)), None)
    return CloudError(
        _text(error.get("code")), message, _text(error.get("target")), details, _recommended_actions(error)
    )


def _objects(value: Any) -> list[JsonObject]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    if value is None:
        return None
    out = str(value).strip()
    return out or None


def _user_facing_infos(error: JsonObject) -> Iterable[JsonObject]:
    for item in _objects(error.get("additionalInfo")):
        info = item.get("info")
        if str(item.get("type", "")).lower() == "userfacingerror" and isinstance(info, dict):
            yield info
    for detail in _objects(error.get("details")):
        yield from _user_facing_infos(detail)


def _user_facing_messages(error: JsonObject) -> Iterable[str]:
    for info in _user_facing_infos(error):
        message = _text(info.get("message"))
        if message:
            yield message


def _recommended_actions(error: JsonObject) -> tuple[str, ...]:
    seen: list[str] = []
    for info in _user_facing_infos(error):
        raw = info.get("recommendedAction")
        for action in raw if isinstance(raw, list) else [raw]:
            text = _text(action)
            if text and text not in seen:
                seen.append(text)
    return tuple(seen)


def display_url(url: str | None) -> str:
    """The URL for humans: scheme, host, path and api-version only (ARM signature parameters dropped)."""
    if not url:
        return ""
    parts = urlsplit(url)
    kept = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k.lower() == "api-version"]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(kept), ""))


def format_seconds(seconds: float) -> str:
    """Short human duration: 45s, 12m, 1h 5m."""
    total = round(seconds)
    if total < 120:
        return f"{seconds:.3g}s" if seconds < 10 else f"{total}s"
    minutes, _ = divmod(total, 60)
    if minutes < 120:
        return f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes}m" if minutes else f"{hours}h"


class ArmError(Exception):
    """An ARM call failed. Attributes carry the facts; `str()` is a multi-line message a human can act on."""

    kind: ClassVar[str] = "http"

    def __init__(
        self,
        message: str | None,
        *,
        status: int | None = None,
        code: str | None = None,
        target: str | None = None,
        details: Sequence[ErrorDetail] = (),
        recommended_action: Sequence[str] = (),
        request_id: str | None = None,
        service_request_id: str | None = None,
        method: str | None = None,
        url: str | None = None,
        operation: str | None = None,
        resource: str | None = None,
        failure_cause: str | None = None,
        phase: str = "request",
        status_url: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.target = target
        self.details = tuple(details)
        self.recommended_action = tuple(recommended_action)
        self.request_id = request_id
        self.service_request_id = service_request_id
        self.method = method
        self.url = url
        self.operation = operation
        self.resource = resource
        self.failure_cause = failure_cause
        self.phase = phase
        self.status_url = status_url
        self.hint = hint

    @classmethod
    def from_cloud_error(cls, error: CloudError, **kwargs: Any) -> Self:
        """Build the exception from a parsed CloudError plus call context keyword arguments."""
        return cls(
            error.message,
            code=error.code,
            target=error.target,
            details=error.details,
            recommended_action=error.recommended_action,
            **kwargs,
        )

    def what(self) -> str:
        """The failed action, e.g. "create backup instance 'bi-1'"."""
        what = self.operation or (f"{self.method} request" if self.method else "ARM request")
        if self.resource:
            what += f" on {_short_resource(self.resource)}"
        return what

    def azure_summary(self) -> str:
        """`HTTP 400 SomeCode: message`, with whichever parts are known."""
        parts = []
        if self.status is not None:
            phrase = _phrase(self.status)
            parts.append(f"HTTP {self.status}" + (f" {phrase}" if phrase and not self.code else ""))
        head = " ".join(parts)
        body = ": ".join(p for p in (self.code, self.message) if p)
        return ", ".join(p for p in (head, body) if p) or "no details were returned"

    def summary(self) -> str:
        """The first line of the message."""
        when = {"polling": " while reading the operation status", "result": " while reading the result"}.get(
            self.phase, ""
        )
        return f"{self.what()} failed{when}: {self.azure_summary()}"

    def default_hint(self) -> str | None:
        """Advice used when no explicit hint was given."""
        if self.phase == "polling":
            return (
                "This was a failure to read the operation's status, not necessarily a failure of the operation; "
                "check the resource in Azure, then run `pulumi refresh`."
            )
        if self.phase == "result":
            return (
                "The operation completed but reading its result failed; run `pulumi refresh` to pick up the "
                "resource's state."
            )
        if self.status in (401, 403):
            return (
                "Check that the signed-in identity has a role allowing this action on the resource "
                "(e.g. Backup Contributor on the vault), and that the subscription/tenant are the right ones."
            )
        return None

    def __str__(self) -> str:
        lines = [self.summary()]
        if self.target:
            lines.append(f"  target: {self.target}")
        for detail in self.details:
            text = ": ".join(p for p in (detail.code, detail.message) if p)
            lines.append(f"  detail: {text}" + (f" (target {detail.target})" if detail.target else ""))
        for action in self.recommended_action:
            lines.append(f"  recommended action: {action}")
        if self.resource:
            lines.append(f"  resource: {self.resource}")
        if self.method and self.url:
            lines.append(f"  call: {self.method} {display_url(self.url)}")
        if self.status_url:
            lines.append(f"  operation status: GET {display_url(self.status_url)}")
        ids = [f"x-ms-client-request-id={self.request_id}"] if self.request_id else []
        if self.service_request_id:
            ids.append(f"x-ms-request-id={self.service_request_id}")
        if ids:
            lines.append("  request id: " + ", ".join(ids))
        if self.failure_cause:
            lines.append(f"  failure cause (x-ms-failure-cause): {self.failure_cause}")
        hint = self.hint or self.default_hint()
        if hint:
            lines.append(f"  what to do: {hint}")
        return "\n".join(lines)


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def _short_resource(resource: str) -> str:
    if resource.startswith("/"):
        segments = [s for s in resource.split("/") if s]
        if len(segments) >= 2:
            return f"{segments[-2]} '{segments[-1]}'"
    return f"'{resource}'"


GONE_CODES = frozenset(
    c.lower() for c in ("ResourceNotFound", "UserErrorGenericResourceNotFound", "RoleAssignmentNotFound")
)
"""404 error codes that say the addressed resource itself does not exist: ARM's (a tracked resource such as a vault)
and DataProtection's (its child resources: instances, policies, jobs, operation results), as recorded, and
Microsoft.Authorization's for a role assignment (from Azure's RBAC documentation)."""

_NOT_FOUND_CAUSES = {
    "subscriptionnotfound": "the subscription is not visible to the signed-in identity (a wrong subscription id, "
    "or a credential of another tenant)",
    "resourcegroupnotfound": "the resource group is not visible (a wrong subscription or tenant, or the group was "
    "deleted); whether the resource exists is unknown",
    "invalidresourcetype": "the endpoint does not serve this resource type (a wrong endpoint or api-version)",
    "noregisteredproviderfound": "the endpoint does not serve this resource type (a wrong endpoint or api-version)",
}


def is_gone_code(code: str | None) -> bool:
    """Whether a 404's error code says the resource itself does not exist (see GONE_CODES)."""
    return (code or "").lower() in GONE_CODES


def not_found_cause(code: str | None) -> str:
    """What a 404 with this error code means, for a 404 that does not say the resource is gone."""
    if not code:
        return (
            "the answer has no ARM error body, so it probably did not come from Azure Resource Manager (check "
            "dataprotection:endpoint, or DATAPROTECTION_ENDPOINT in the environment)"
        )
    return _NOT_FOUND_CAUSES.get(code.lower(), f"Azure's code {code} does not say that the resource is gone")


class NotFoundError(ArmError):
    """HTTP 404. `gone` is True only when its code says the resource itself does not exist (GONE_CODES); any
    other 404 (a subscription, tenant, resource group or endpoint problem) must not be taken as a deletion."""

    kind = "not_found"

    @property
    def gone(self) -> bool:
        """Whether this 404 says the addressed resource does not exist."""
        return is_gone_code(self.code)

    def default_hint(self) -> str | None:
        if not self.gone:
            return (
                f"This 404 does not mean the resource was deleted: {not_found_cause(self.code)}. Nothing was removed "
                "from the Pulumi state; check dataprotection:subscriptionId, the credential's tenant and the "
                "endpoint, then re-run."
            )
        return (
            "Check the name, resource group and subscription; if it was deleted outside Pulumi, run `pulumi refresh`."
        )


class OperationFailedError(ArmError):
    """A long-running operation reached the terminal state Failed or Canceled."""

    kind = "operation_failed"

    def __init__(self, message: str | None, *, terminal_status: str = "Failed", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.terminal_status = terminal_status

    def summary(self) -> str:
        body = ": ".join(p for p in (self.code, self.message) if p) or "no error details were returned"
        return f"{self.what()} ended with status {self.terminal_status} in Azure: {body}"

    def default_hint(self) -> str | None:
        if self.recommended_action:
            return "Follow the recommended action above, then re-run."
        return "Fix the cause reported by Azure, then re-run."


STAGES = {
    "lock wait": "waiting for the lock of {vault} (another write to it in this process held it)",
    "retries": "retrying",
    "request": "waiting for Azure's answer",
    "polling": "waiting for the operation to end",
}
"""The phases of one call that share its deadline, and how an error names them."""


class DeadlineExceededError(ArmError):
    """The call's deadline passed: `stage` says which phase ran out ("lock wait", "retries", "request" or
    "polling")."""

    kind = "timeout"

    def __init__(
        self, message: str | None, *, timeout: float, stage: str, vault: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.timeout = timeout
        self.stage = stage
        self.vault = vault

    def stage_text(self) -> str:
        """The phase that ran out, for humans."""
        vault = f"vault '{self.vault.rstrip('/').rsplit('/', 1)[-1]}'" if self.vault else "the vault"
        return STAGES.get(self.stage, self.stage).format(vault=vault)

    def summary(self) -> str:
        text = f"{self.what()} did not finish within {format_seconds(self.timeout)}: ran out while {self.stage_text()}"
        if self.status is not None or self.code:
            text += f" (last answer {self.azure_summary()})"
        if self.message and self.status is None:
            text += f" ({self.message})"
        return text

    def default_hint(self) -> str | None:
        if self.stage == "lock wait":
            return (
                "Nothing was sent. Azure accepts one backup-instance write per vault at a time; raise this "
                "resource's `timeouts` (or `dataprotection:timeouts`) so it can wait for the other writes."
            )
        return (
            "Azure may still complete it: check the resource in Azure, then run `pulumi refresh`; raise the "
            "resource's `timeouts` if this is expected to be slow."
        )


class OperationTimeoutError(DeadlineExceededError):
    """A long-running operation did not reach a terminal state within the operation timeout."""

    def __init__(
        self, message: str | None, *, timeout: float, last_status: str | None, polls: int, **kwargs: Any
    ) -> None:
        super().__init__(message, timeout=timeout, stage="polling", **kwargs)
        self.last_status = last_status
        self.polls = polls

    def summary(self) -> str:
        last = f"last status {self.last_status!r}" if self.last_status else "no status yet"
        return (
            f"{self.what()} did not finish within {format_seconds(self.timeout)} "
            f"({last} after {self.polls} status checks; ran out while {self.stage_text()})"
        )

    def default_hint(self) -> str | None:
        where = "the operation status URL above" if self.status_url else "the resource in the Azure portal"
        return (
            f"Azure may still complete it: check {where}, then run `pulumi refresh`; "
            "raise the operation timeout if this operation is known to be slow."
        )


class RetriesExhaustedError(ArmError):
    """Transient failures (408/429/5xx/connection errors) persisted beyond the retry count or time budget."""

    kind = "retries_exhausted"

    def __init__(self, message: str | None, *, attempts: int, elapsed: float, reason: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.attempts = attempts
        self.elapsed = elapsed
        self.reason = reason

    def summary(self) -> str:
        return (
            f"{self.what()} failed after {self.attempts} attempts over {format_seconds(self.elapsed)} "
            f"(retries exhausted: {self.reason}): {self.azure_summary()}"
        )

    def default_hint(self) -> str | None:
        return (
            "Azure kept answering with transient errors or throttling; wait a few minutes and re-run "
            "(check https://azure.status.microsoft for incidents, or reduce parallelism if throttled)."
        )


def display_endpoint(url: str) -> str:
    """An endpoint for humans: scheme, host, port and path (no user info, query string or fragment)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))


class EndpointUnreachableError(RetriesExhaustedError):
    """No attempt could open a connection to the configured endpoint (refused, name not resolved, unreachable)."""

    kind = "endpoint_unreachable"

    def __init__(self, message: str | None, *, endpoint: str, loopback: bool, cause: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.endpoint = display_endpoint(endpoint)
        self.loopback = loopback
        self.cause = cause

    def summary(self) -> str:
        return (
            f"{self.what()} failed: the configured endpoint {self.endpoint} could not be reached ({self.cause}); "
            f"{self.attempts} attempts over {format_seconds(self.elapsed)} ({self.reason})"
        )

    def default_hint(self) -> str | None:
        config = "`dataprotection:endpoint` (or DATAPROTECTION_ENDPOINT; unset means public Azure)"
        if self.loopback:
            return (
                f"Nothing is listening at {self.endpoint}. Is the emulator running (`python -m "
                f"pulumi_dataprotection.emulator` prints the URL it listens on)? Is {config} set to that URL?"
            )
        return (
            f"Check that {config} is the right URL. For Azure, check this machine's network, DNS and proxy "
            "(HTTPS_PROXY / NO_PROXY); for the emulator, check that it is running and reachable from here."
        )


class VaultBusyError(ArmError):
    """The vault kept refusing a write (406/409 'operation in progress') beyond the busy retry budget."""

    kind = "vault_busy"

    def __init__(self, message: str | None, *, vault: str | None, attempts: int, elapsed: float, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.vault = vault
        self.attempts = attempts
        self.elapsed = elapsed

    def summary(self) -> str:
        who = f"vault '{self.vault.rstrip('/').rsplit('/', 1)[-1]}'" if self.vault else "the resource"
        return (
            f"{self.what()} failed: {who} is busy - Azure refused the write {self.attempts} times over "
            f"{format_seconds(self.elapsed)} because another operation is in progress ({self.azure_summary()})"
        )

    def default_hint(self) -> str | None:
        return (
            "This provider already serializes its own writes per vault, so something else is changing this vault "
            "(the portal, the CLI, another stack, or a running backup/restore job). Wait for it to finish, then "
            "re-run."
        )


class AmbiguousActionError(ArmError):
    """An action that is not safe to repeat failed after it may have reached Azure (a 5xx/408 answer, or the
    connection broke after sending); it was not sent again. `sent_at` is when it was sent (epoch seconds), so a
    caller can look for the job or state change it may have started."""

    kind = "ambiguous"

    def __init__(self, message: str | None, *, sent_at: float, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.sent_at = sent_at

    def summary(self) -> str:
        return (
            f"{self.what()} may have reached Azure, but its outcome is unknown ({self.azure_summary()}); it was not "
            "sent again, because repeating it could run it twice"
        )

    def default_hint(self) -> str | None:
        return (
            "Check in Azure whether it took effect (e.g. a new backup job or a changed protection state) before "
            "re-running."
        )


class InvalidNameError(ArmError, ValueError):
    """A name or path segment was rejected before any request was sent."""

    kind = "invalid_name"

    def summary(self) -> str:
        return f"{self.message}; no request was sent"

    def default_hint(self) -> str | None:
        return "Use a name without '/', '?', '#', '%', '\\', '..' or control characters."


class UnsafeRequestError(ArmError):
    """The request would have exposed the access token (plain http to a non-loopback host, or a foreign host)."""

    kind = "unsafe_request"

    def summary(self) -> str:
        return f"refused to send {self.what()}: {self.message}"


class AuthenticationError(ArmError):
    """No access token could be obtained from the configured credential."""

    kind = "authentication"

    def summary(self) -> str:
        return f"could not get an Azure access token: {self.message}"

    def default_hint(self) -> str | None:
        return (
            "Sign in with `az login`, or set AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET "
            "(or a federated token / managed identity); check the configured cloud and tenant."
        )
