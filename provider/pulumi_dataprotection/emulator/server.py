"""Runs the emulator application under uvicorn on a socket (loopback unless remote access is allowed explicitly,
optionally HTTPS) and reports the URL it bound."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
import tempfile
from collections.abc import Callable
from pathlib import Path

import uvicorn

from pulumi_dataprotection.emulator.access import is_loopback
from pulumi_dataprotection.emulator.app import EmulatorApp
from pulumi_dataprotection.emulator.config import DEFAULT_TOKEN, ENV_TOKEN, EmulatorConfig
from pulumi_dataprotection.emulator.store import Store
from pulumi_dataprotection.emulator.tls import ensure_certificate


def check_binding(config: EmulatorConfig) -> None:
    """Refuse an address other than loopback unless ``allow_remote`` says so and the token is not the published
    default (anyone on the network could otherwise drive it, admin API included)."""
    if is_loopback(config.host):
        return
    if not config.allow_remote:
        raise ValueError(
            f"--host {config.host} makes the emulator (and its admin API) reachable from other machines; "
            f"pass --allow-remote with a token of your own (${ENV_TOKEN} or --token-file) to do that, or bind 127.0.0.1"
        )
    if config.token == DEFAULT_TOKEN:
        raise ValueError(
            f"--allow-remote needs a token of your own (${ENV_TOKEN} or --token-file): the default {DEFAULT_TOKEN!r} "
            "is published"
        )


class EmulatorServer:
    """One emulator: its database, optional certificate, application and uvicorn server."""

    def __init__(self, config: EmulatorConfig) -> None:
        check_binding(config)
        self.config = config
        self.db_path = config.db_path or Path(tempfile.mkdtemp(prefix="dp-emulator-")) / "state.db"
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self.cert_path: Path | None = None
        self._key_path: Path | None = None
        if config.tls:
            cert_dir = config.cert_dir or Path(tempfile.mkdtemp(prefix="dp-emulator-tls-"))
            self.cert_path, self._key_path = ensure_certificate(cert_dir)
        self.store = Store(self.db_path)
        self.emulator = EmulatorApp(config, self.store)
        self.emulator.abort = self._abort
        self._server: uvicorn.Server | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.url = ""

    async def serve(self, ready: Callable[[str], None]) -> None:
        """Bind, start serving, call ``ready(url)`` once requests are accepted, and run until stopped."""
        family = socket.AF_INET6 if ":" in self.config.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.config.host, self.config.port))
        sock.listen(128)
        host, port = sock.getsockname()[:2]
        if ":" in host:
            host = f"[{host}]"
        self.url = f"{'https' if self.config.tls else 'http'}://{host}:{port}"
        config = uvicorn.Config(
            self.emulator.app,
            log_level="warning",
            access_log=False,
            server_header=False,
            lifespan="off",
            timeout_graceful_shutdown=1,
            ssl_certfile=str(self.cert_path) if self.cert_path else None,
            ssl_keyfile=str(self._key_path) if self._key_path else None,
        )
        self._server = uvicorn.Server(config)
        self._loop = asyncio.get_running_loop()
        task = asyncio.create_task(self._server.serve(sockets=[sock]))
        try:
            while not self._server.started:
                if task.done():
                    await task
                    raise RuntimeError(f"the emulator could not start on {self.url}")
                await asyncio.sleep(0.01)
            ready(self.url)
            await task
        finally:
            sock.close()
            self.store.close()

    def stop(self) -> None:
        """Finish serving (safe to call from another thread); idle keep-alive connections are dropped shortly after,
        since an idle TLS connection would otherwise hold the graceful shutdown for its whole timeout."""
        if self._server is None or self._loop is None:
            return
        self._server.should_exit = True
        with contextlib.suppress(RuntimeError):  # the loop is already closed when the server has stopped
            self._loop.call_soon_threadsafe(self._loop.call_later, 0.2, self._drop_connections)

    def _drop_connections(self) -> None:
        if self._server is not None:
            for protocol in list(self._server.server_state.connections):
                protocol.transport.abort()

    def _abort(self, client: tuple[str, int]) -> bool:
        """Reset the TCP connection of a client (RST, no response) — the ``reset`` fault."""
        if self._server is None:
            return False
        for protocol in list(self._server.server_state.connections):
            if getattr(protocol, "client", None) != client:
                continue
            transport = protocol.transport
            raw = transport.get_extra_info("socket")
            if raw is not None:
                raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            transport.abort()
            return True
        return False
