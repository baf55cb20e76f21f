"""What the end-to-end tests look at besides the CLI: what the emulator holds (as ARM shows it), its request log
in short form, and the processes pulumi started."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.support.emulator import ArmClient

DP = "providers/Microsoft.DataProtection"


def _values(arm: ArmClient, path: str) -> list[dict[str, Any]]:
    response = arm.get(path)
    assert response.status_code == 200, f"GET {path}: {response.status_code} {response.text}"
    values: list[dict[str, Any]] = response.json()["value"]
    return values


def inventory(arm: ArmClient, subscription: str) -> dict[str, dict[str, list[str]]]:
    """Every vault of the subscription with the names of its policies, instances and soft-deleted instances."""
    found: dict[str, dict[str, list[str]]] = {}
    for vault in _values(arm, f"/subscriptions/{subscription}/{DP}/backupVaults"):
        vid = vault["id"]
        found[vid] = {
            kind: sorted(item["name"] for item in _values(arm, f"{vid}/{kind}"))
            for kind in ("backupPolicies", "backupInstances", "deletedBackupInstances")
        }
    return found


def get_json(arm: ArmClient, path: str) -> dict[str, Any] | None:
    """The resource at ``path``, or None on 404."""
    response = arm.get(path)
    if response.status_code == 404:
        return None
    assert response.status_code == 200, f"GET {path}: {response.status_code} {response.text}"
    body: dict[str, Any] = response.json()
    return body


def short(entries: Iterable[dict[str, Any]]) -> list[str]:
    """``METHOD path -> status`` lines of request-log entries (for assertion messages)."""
    return [f"{e['method']} {e['path']} -> {e['status']}" for e in entries]


def resource_type(path: str) -> str:
    """The last resource-type segment of an ARM path: backupVaults, backupPolicies, backupInstances, or an action."""
    segments = [s for s in path.split("/") if s]
    actions = ("stopProtection", "suspendBackups", "resumeProtection", "undelete", "backup")
    if segments and segments[-1] in (*actions, "validateForBackup", "validateForModifyBackup"):
        return segments[-1]
    types = [segments[i] for i in range(len(segments) - 1) if segments[i].startswith(("backup", "deleted"))]
    return types[-1] if types else segments[-1]


def wait_for(what: str, predicate: Callable[[], bool], timeout: float = 60.0) -> None:
    """Poll ``predicate`` every 0.1 s until it holds; AssertionError naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(0.1)


@dataclass(frozen=True)
class Process:
    """A process seen in /proc: its id, command line and start time (in clock ticks after boot)."""

    pid: int
    command: str
    started: int


def _read(pid: int) -> tuple[int, Process] | None:
    """``(parent pid, process)`` of ``pid``, or None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    command = cmdline.replace(b"\0", b" ").decode(errors="replace").strip()
    return int(fields[1]), Process(pid, command, int(fields[19]))


def process_tree(root: int) -> list[Process]:
    """Every descendant of process ``root`` (read from /proc)."""
    children: dict[int, list[Process]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            found = _read(int(entry.name))
            if found is not None:
                children.setdefault(found[0], []).append(found[1])
    tree: list[Process] = []
    pending = list(children.get(root, []))
    while pending:
        process = pending.pop()
        tree.append(process)
        pending.extend(children.get(process.pid, []))
    return tree


def kill_if_alive(process: Process) -> None:
    """SIGKILL ``process`` if that very process still runs (same id, command and start time), else nothing."""
    found = _read(process.pid)
    if found is None or found[1] != process:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(process.pid, signal.SIGKILL)
