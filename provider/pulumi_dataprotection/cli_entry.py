"""Entry point of the ``pulumi-dataprotection`` command: a one-line hint, not a traceback, without the [cli] extra."""

from __future__ import annotations

import sys
from collections.abc import Sequence

CLI_EXTRA_MODULES = frozenset({"rich"})
"""Top-level modules the command line needs beyond the core install (the ``[cli]`` extra of pyproject.toml)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line, or say which extra to install when its dependencies are missing (exit code 2)."""
    try:
        from pulumi_dataprotection.cli import main as cli_main
    except ModuleNotFoundError as exc:
        missing = (exc.name or "").partition(".")[0]
        if missing not in CLI_EXTRA_MODULES:
            raise
        sys.stderr.write(
            f"pulumi-dataprotection: the command line needs the [cli] extra ({missing} is not installed in "
            f"{sys.prefix}); install it with: pip install 'pulumi-dataprotection[cli]'\n"
        )
        return 2
    return cli_main(argv)
