"""``python -m pulumi_dataprotection.emulator``: run one emulator and print its base URL on stdout when it is ready."""

from __future__ import annotations

import asyncio
import contextlib
import sys

from pulumi_dataprotection.emulator.access import is_loopback
from pulumi_dataprotection.emulator.config import from_args
from pulumi_dataprotection.emulator.server import EmulatorServer


def main(argv: list[str] | None = None) -> int:
    """Run until interrupted (SIGINT/SIGTERM)."""
    config = from_args(argv)
    try:
        server = EmulatorServer(config)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    def ready(url: str) -> None:
        print(url, flush=True)
        details = [f"database {server.db_path}", f"lro {config.lro_seconds}s", f"retry-after {config.retry_after}s"]
        if server.cert_path is not None:
            details.append(f"CA certificate {server.cert_path}")
        reach = ""
        if not is_loopback(config.host):
            where = "every interface" if config.host in ("", "0.0.0.0", "::") else config.host
            reach = f" (on {where}: reachable from other machines)"
        print(f"Microsoft.DataProtection emulator listening on {url}{reach} ({', '.join(details)})", file=sys.stderr)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(server.serve(ready))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
