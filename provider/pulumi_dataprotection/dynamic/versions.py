"""Keep the Pulumi SDK and CLI in step: warn once per program run when the SDK installed in the program's virtualenv
is newer than the Pulumi CLI running the program (pip picks the newest SDK of ``pulumi>=3.202.0,<4``, not the
CLI's). The engine does not tell a program its version, so the CLI is found among the program's parent processes
(``/proc``, Linux) and asked with ``pulumi version`` once per CLI binary (the answer is cached by the binary's path,
size and modification time, so later runs cost no process); elsewhere, or when it cannot be found, nothing is said.
The SDK's version is the one the SDK states (``pulumi._version``, already imported), read from its package metadata
only where it is missing: the metadata lookup cost every program about 8 ms.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
from pathlib import Path

_ANCESTORS = 4
"""Parents to look through: the program's parent is the language host (or its exec script), whose parent is the CLI."""
_checked = threading.Event()


def parse(version: str) -> tuple[int, int, int] | None:
    """``(major, minor, patch)`` of ``v3.259.0`` or ``3.272.0`` (pre-release suffixes ignored), else None."""
    found = re.match(r"v?(\d+)\.(\d+)\.(\d+)", version.strip())
    return (int(found[1]), int(found[2]), int(found[3])) if found else None


def drift_message(sdk: str, cli: str) -> str | None:
    """The warning when SDK ``sdk`` is newer than CLI ``cli``, else None."""
    sdk_v, cli_v = parse(sdk), parse(cli)
    if sdk_v is None or cli_v is None or sdk_v <= cli_v:
        return None
    plain = ".".join(map(str, cli_v))
    return (
        f"dataprotection: the Pulumi SDK in this program's virtualenv ({'.'.join(map(str, sdk_v))}) is newer than the "
        f"Pulumi CLI running it ({plain}); an SDK newer than its CLI is not supported. Install the CLI's SDK "
        f"(`pip install 'pulumi=={plain}'`, or pin `pulumi=={plain}` in requirements.txt) or upgrade the CLI."
    )


def _parent(pid: int, proc: Path) -> int | None:
    try:
        stat = (proc / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[-1].split()
    return int(fields[1]) if len(fields) > 1 else None


def find_cli(proc: Path = Path("/proc"), pid: int | None = None) -> Path | None:
    """The executable of the nearest parent process named ``pulumi``, or None."""
    current = os.getpid() if pid is None else pid
    for _ in range(_ANCESTORS):
        parent = _parent(current, proc)
        if parent is None or parent <= 1:
            return None
        try:
            exe = Path(os.readlink(proc / str(parent) / "exe"))
        except OSError:
            return None
        if exe.name == "pulumi":
            return exe
        current = parent
    return None


def cli_version(cli: Path) -> str | None:
    """What ``pulumi version`` of ``cli`` prints, or None."""
    try:
        done = subprocess.run(
            [str(cli), "version"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
            env={**os.environ, "PULUMI_SKIP_UPDATE_CHECK": "true"},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pulumi-dataprotection" / "cli-versions.json"


def cached_cli_version(cli: Path, cache: Path | None = None) -> str | None:
    """:func:`cli_version`, remembered in ``cache`` per binary (path, size, modification time)."""
    cache = cache or _cache_file()
    try:
        stat = cli.stat()
    except OSError:
        return None
    key = f"{cli}:{stat.st_size}:{stat.st_mtime_ns}"
    try:
        known = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    if not isinstance(known, dict):
        known = {}
    if isinstance(known.get(key), str):
        return str(known[key])
    version = cli_version(cli)
    if version:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            partial = cache.with_name(f"{cache.name}.{os.getpid()}")
            partial.write_text(json.dumps({**known, key: version}), encoding="utf-8")
            partial.replace(cache)
        except OSError:
            pass
    return version


def sdk_version() -> str:
    """The version of the Pulumi SDK this process runs."""
    import importlib

    try:
        stated = getattr(importlib.import_module("pulumi._version"), "_VERSION", None)
    except ImportError:
        stated = None
    if isinstance(stated, str):
        return stated
    from importlib import metadata

    return metadata.version("pulumi")


def warn_on_drift() -> None:
    """Once per process: warn in the program's diagnostics when the SDK is newer than the CLI running it."""
    if _checked.is_set():
        return
    _checked.set()
    cli = find_cli()
    version = cached_cli_version(cli) if cli is not None else None
    message = drift_message(sdk_version(), version) if version else None
    if message:
        import pulumi

        pulumi.log.warn(message)
