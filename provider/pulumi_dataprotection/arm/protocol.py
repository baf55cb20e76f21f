"""The ARM client's calls as a typing protocol: what code that only reads and writes through ARM depends on
(:class:`pulumi_dataprotection.arm.ArmClient` provides it; tests pass fakes)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from pulumi_dataprotection.arm.lro import OperationResult

JsonObject = dict[str, Any]


class ArmApi(Protocol):
    """GET one resource, GET a collection, send a write and wait for its long-running operation."""

    def get(
        self,
        path: str,
        *,
        operation: str | None = ...,
        resource: str | None = ...,
        api_version: str | None = ...,
        query: Mapping[str, str] | None = ...,
    ) -> JsonObject | None:
        """GET one resource; None on 404."""

    def list(
        self,
        path: str,
        *,
        operation: str | None = ...,
        resource: str | None = ...,
        api_version: str | None = ...,
        query: Mapping[str, str] | None = ...,
    ) -> list[JsonObject]:
        """GET a collection, following ``nextLink``."""

    def execute(
        self,
        method: str,
        path: str,
        body: Any = ...,
        *,
        operation: str,
        resource: str | None = ...,
        api_version: str | None = ...,
        timeout: float | None = ...,
    ) -> OperationResult:
        """Send a write and wait for its long-running operation."""
