"""Deploy once, copy for each test: stacks that only need an existing estate to start from.

``deploy_once(kind, make, dp, tmp_path, env_for, name, **config)`` returns a stack of ``make(name, **config)`` after a
successful ``pulumi up``. The first call of a run for a ``kind``, ``config`` and emulator runs that ``up`` and keeps
the emulator's state (``GET /_emulator/snapshot``) and a copy of the stack's directories (project, file backend,
Pulumi home). Later calls restore the emulator to that state and copy the directories into ``tmp_path / name``: no
CLI process, and the stack is the same as one just deployed. A copy keeps the stack name of the deployed stack
(``name`` only names the directory): the owner markers in its inputs and in Azure's tags hash the stack name. The
request log is empty when the stack is returned. Each pytest-xdist worker keeps its own estates (its own emulator).
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pulumi_dataprotection.emulator import EmulatorHandle
from tests.e2e.pulumi_stack import Stack


@dataclass(frozen=True)
class Estate:
    """A deployed stack kept for copies: its name, a copy of its directory and the emulator's state after ``up``."""

    name: str
    files: Path
    snapshot: dict[str, Any]


_ESTATES: dict[tuple[str, str, str], Estate] = {}
_LOCK = threading.Lock()


def deploy_once(
    kind: str,
    make: Callable[..., Stack],
    dp: EmulatorHandle,
    tmp_path: Path,
    env_for: Callable[[Path], dict[str, str]],
    name: str,
    **config: Any,
) -> Stack:
    """A deployed stack ``name`` whose directories are ``tmp_path / name`` (see the module docstring).

    ``make(name, **config)`` creates the stack under ``tmp_path / name`` (``project`` and ``pulumi-state``);
    ``env_for(state_dir)`` gives the environment of a copy whose state is in ``state_dir``.
    """
    key = (dp.url, kind, json.dumps(config, sort_keys=True, default=str))
    with _LOCK:
        estate = _ESTATES.get(key)
    if estate is None:
        stack = make(name, **config)
        stack.up()
        dp.clear_request_log()
        files = tmp_path / f".estate-{name}"
        shutil.copytree(tmp_path / name, files, symlinks=True)
        with _LOCK:
            _ESTATES.setdefault(key, Estate(name, files, dp.snapshot()))
        return stack
    dp.restore(estate.snapshot)
    dp.clear_request_log()
    return _copy(estate, tmp_path / name, env_for)


def _copy(estate: Estate, root: Path, env_for: Callable[[Path], dict[str, str]]) -> Stack:
    shutil.copytree(estate.files, root, symlinks=True)
    return Stack(root / "project", env_for(root / "pulumi-state"), estate.name)
