"""A scripted HTTP(S) server on 127.0.0.1 (ephemeral port) for ARM client tests: each test supplies the replies."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit


@dataclass
class Reply:
    """What the server answers; `drop=True` closes the connection without answering (a reset)."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False


@dataclass
class Seen:
    """One request the server received."""

    method: str
    target: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any

    @property
    def unquoted_path(self) -> str:
        return unquote(self.path)


Handler = Callable[[Seen], Reply]


class ScriptedServer:
    """ThreadingHTTPServer whose replies come from `handler`; every request is recorded in `seen`."""

    def __init__(self, tls: tuple[Path, Path] | None = None) -> None:
        self.handler: Handler = lambda seen: Reply(500, {"error": {"code": "NoHandler", "message": "no handler"}})
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        outer = self

        class _RequestHandler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                parts = urlsplit(self.path)
                seen = Seen(
                    method=self.command,
                    target=self.path,
                    path=parts.path,
                    query=dict(parse_qsl(parts.query, keep_blank_values=True)),
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=body,
                )
                with outer._lock:
                    outer.seen.append(seen)
                reply = outer.handler(seen)
                if reply.drop:
                    self.close_connection = True
                    return
                if reply.body is None:
                    payload = b""
                elif isinstance(reply.body, str | bytes):
                    payload = reply.body.encode() if isinstance(reply.body, str) else reply.body
                else:
                    payload = json.dumps(reply.body).encode()
                self.send_response(reply.status)
                headers = {k.lower(): v for k, v in reply.headers.items()}
                if payload and "content-type" not in headers:
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _RequestHandler)
        self._server.daemon_threads = True
        scheme = "http"
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
            scheme = "https"
        self.base_url = f"{scheme}://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def calls(self) -> list[tuple[str, str]]:
        """(method, unquoted path) of every request so far."""
        with self._lock:
            return [(s.method, s.unquoted_path) for s in self.seen]

    def sequence(self, *replies: Reply) -> None:
        """Answer with `replies` in order, whatever the request; fail loudly when they run out."""
        queue = list(replies)
        lock = threading.Lock()

        def handler(seen: Seen) -> Reply:
            with lock:
                if queue:
                    return queue.pop(0)
            return Reply(
                599, {"error": {"code": "ScriptExhausted", "message": f"unexpected {seen.method} {seen.path}"}}
            )

        self.handler = handler
