"""A minimal in-process HTTP client of an ASGI application (one event loop, no sockets, no extra dependency)."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import urlencode

from starlette.types import ASGIApp, Message


class AsgiClient:
    """Sends requests straight to an ASGI app; ``request`` returns (status, lower-cased headers, body bytes)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()

    def close(self) -> None:
        self.loop.close()

    def request(
        self, method: str, path: str, query: dict[str, str], body: Any = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        raw = json.dumps(body).encode() if body is not None else b""
        sent = {"host": "127.0.0.1", **{k.lower(): v for k, v in (headers or {}).items()}}
        if body is not None:
            sent["content-type"] = "application/json"
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "root_path": "",
            "query_string": urlencode(query).encode(),
            "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in sent.items()],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 80),
        }
        return self.loop.run_until_complete(self._call(scope, raw))

    async def _call(self, scope: dict[str, Any], raw: bytes) -> tuple[int, dict[str, str], bytes]:
        messages: list[Message] = [{"type": "http.request", "body": raw, "more_body": False}]
        status = 0
        out_headers: dict[str, str] = {}
        chunks: list[bytes] = []

        async def receive() -> Message:
            return messages.pop(0) if messages else {"type": "http.disconnect"}

        async def send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                out_headers.update({k.decode("latin-1").lower(): v.decode("latin-1") for k, v in message["headers"]})
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return status, out_headers, b"".join(chunks)
