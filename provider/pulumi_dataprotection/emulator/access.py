"""Who may call the emulator: loopback Host headers only (unless it was bound to another address on purpose), and the
admin API (``/_emulator/*``) only with the emulator's token, its POSTs only as JSON.

A web page cannot reach the emulator through DNS rebinding (its requests carry the page's Host), cannot send a
``text/plain`` POST that wipes it, and a process that knows the ARM side accepts any token (``--accept-any-token``)
still cannot drive the admin API without the real one.
"""

from __future__ import annotations

import hmac
import ipaddress
import json

from starlette.types import ASGIApp, Receive, Scope, Send

ADMIN_PREFIX = "/_emulator/"


def is_loopback(host: str) -> bool:
    """Whether a host name or address (optionally ``[v6]``) is this machine's loopback."""
    name = host.strip().strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _host_of(header: str) -> str:
    """The host part of a Host header (``name``, ``name:port``, ``[v6]`` or ``[v6]:port``)."""
    if header.startswith("["):
        return header[: header.find("]") + 1] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


class Access:
    """ASGI middleware in front of the emulator's application."""

    def __init__(self, app: ASGIApp, token: str, *, any_host: bool) -> None:
        self.app = app
        self.token = token
        self.any_host = any_host

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self._refusal(scope, headers)
        if refusal is None:
            await self.app(scope, receive, send)
            return
        status, code, message = refusal
        body = json.dumps({"error": {"code": code, "message": message}}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json; charset=utf-8"),
                    (b"content-length", b"%d" % len(body)),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str, str] | None:
        host = headers.get("host", "")
        if not self.any_host and not is_loopback(_host_of(host)):
            return (
                403,
                "HostNotAllowed",
                f"The emulator answers only requests addressed to this machine (Host 'localhost', '127.0.0.1' or "
                f"'[::1]'), not Host '{host}'. Start it with --host <address> --allow-remote to serve other names.",
            )
        path: str = scope["path"]
        if not (path + "/").startswith(ADMIN_PREFIX):
            return None
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), self.token.encode()):
            return (
                401,
                "AdminAuthenticationFailed",
                "The emulator's admin API needs 'Authorization: Bearer <token>' with the emulator's own token "
                "($DP_EMULATOR_TOKEN or --token-file; --accept-any-token does not apply to it).",
            )
        media = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if scope["method"] == "POST" and media != "application/json":
            return (
                415,
                "UnsupportedMediaType",
                f"Admin POST requests must be sent as application/json (got {media or 'no Content-Type'!r}).",
            )
        return None
