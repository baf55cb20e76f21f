"""One HTTP answer from ARM as the rest of the layer sees it: status, lower-cased headers, parsed JSON body."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ArmResponse:
    """An ARM response; `body` is the parsed JSON (None when the body is empty or not JSON)."""

    method: str
    url: str
    status: int
    headers: Mapping[str, str]
    body: Any
    text: str
    client_request_id: str

    def header(self, name: str) -> str | None:
        """A response header by case-insensitive name."""
        return self.headers.get(name.lower())

    @property
    def service_request_id(self) -> str | None:
        """The x-ms-request-id Azure assigned to this request."""
        return self.header("x-ms-request-id")
