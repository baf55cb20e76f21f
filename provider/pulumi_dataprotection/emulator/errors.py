"""Errors the emulator answers with, shaped like Azure's: ARM gateway errors and DataProtection CloudErrors."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]


@dataclass
class ServiceError(Exception):
    """An error response: HTTP status, Azure error code and message, and how Azure shapes the body.

    ``style`` selects the body shape seen in real exchanges:
    ``"dpp"``      DataProtection user-facing error (``additionalInfo`` with a ``UserFacingError``),
    ``"plain"``    DataProtection error without additional info (e.g. the 404 of a missing child resource),
    ``"gateway"``  ARM's own ``{"error": {"code", "message"}}`` (auth, api-version, throttling, routing).
    """

    status: int
    code: str
    message: str
    style: str = "dpp"
    recommended: list[str] = field(default_factory=list)
    details: list[JSON] = field(default_factory=list)
    retryable: bool = False
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.status} {self.code}: {self.message}"

    def body(self) -> JSON:
        """The CloudError body of this error."""
        error: JSON = {}
        if self.style == "dpp":
            error["additionalInfo"] = [{"type": "UserFacingError", "info": self.user_facing()}]
        error["code"] = self.code
        error["message"] = self.message
        if self.details:
            error["details"] = self.details
        return {"error": error}

    def user_facing(self) -> JSON:
        """The ``UserFacingError`` object DataProtection puts in ``additionalInfo`` and operation errors."""
        return {
            "message": self.message,
            "recommendedAction": list(self.recommended),
            "details": None,
            "code": self.code,
            "target": "",
            "innerError": None,
            "isRetryable": self.retryable,
            "isUserError": False,
            "properties": {"ActivityId": str(uuid.uuid4())},
        }

    def operation_error(self) -> JSON:
        """The ``error`` object of a Failed operation-status resource (no target/details, as Azure sends it)."""
        body: JSON = self.body()["error"]
        body.pop("details", None)
        return body


def invalid_input(problems: list[str]) -> ServiceError:
    """A request body that does not match the API model (400 ``BMSUserErrorInvalidInput``), one detail each."""
    first = problems[0] if problems else "the request body is not valid"
    more = f" (and {len(problems) - 1} more problem(s), see details)" if len(problems) > 1 else ""
    return ServiceError(
        400,
        "BMSUserErrorInvalidInput",
        f"The User input provided for the call is invalid: {first}{more}",
        recommended=["Correct the request body and retry the operation."],
        details=[{"code": "BMSUserErrorInvalidInput", "message": p, "target": p.split(":", 1)[0]} for p in problems],
    )


def generic_not_found() -> ServiceError:
    """DataProtection's 404 for a missing child resource (recorded on ``deletedBackupInstances/.../undelete``)."""
    return ServiceError(
        404,
        "UserErrorGenericResourceNotFound",
        "Azure resource does not exist. Please make sure required resources exist. "
        "If the issue persists, contact Microsoft support.",
        style="plain",
        headers={"x-ms-error-code": "UserErrorGenericResourceNotFound"},
    )


def resource_not_found(resource_type: str, name: str, resource_group: str) -> ServiceError:
    """ARM's 404 for a tracked resource (a backup vault) that does not exist."""
    return ServiceError(
        404,
        "ResourceNotFound",
        f"The Resource '{resource_type}/{name}' under resource group '{resource_group}' was not found. "
        "For more details please go to https://aka.ms/ARMResourceNotFoundFix",
        style="gateway",
        headers={"x-ms-failure-cause": "gateway"},
    )


def gateway(status: int, code: str, message: str, **headers: str) -> ServiceError:
    """An error produced by ARM itself rather than by the resource provider."""
    return ServiceError(status, code, message, style="gateway", headers={"x-ms-failure-cause": "gateway", **headers})
