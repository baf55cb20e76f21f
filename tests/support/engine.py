"""Fixtures that drive the real Pulumi CLI built by `make engine` against throwaway local projects.

Public API (used by the engine smoke test and the end-to-end tests):

- ``engine_bin_dir() -> Path`` / fixture ``engine_bin``: the directory holding ``pulumi``, the Python language
  host and the dynamic-provider shim (``$PULUMI_DP_ENGINE_BIN``, else the default cache path). Fails with a
  message to run ``make engine`` when the engine is missing: ``make test`` always builds it first.
- ``make_pulumi_env(bin_dir, state_dir) -> dict[str, str]`` / fixture ``pulumi_env``: an offline environment with
  a file backend, a passphrase, its own ``PULUMI_HOME`` and the engine first on ``PATH``.
- ``write_project(directory, program, *, name, modules) -> Path``: a Pulumi.yaml + ``__main__.py`` project whose
  runtime is this test run's virtualenv, so the program and the dynamic-provider process import
  ``pulumi_dataprotection``.
- ``run_pulumi(args, cwd, env, *, check, timeout) -> CompletedProcess[str]``: run the CLI, raising an
  ``AssertionError`` that carries the command's output when ``check`` is set and it fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
ENGINE_VERSION = (REPO_ROOT / "tools" / "pulumi" / "VERSION").read_text(encoding="utf-8").strip()
DEFAULT_ENGINE_BIN = Path.home() / ".cache" / "pulumi-dataprotection" / f"pulumi-v{ENGINE_VERSION}" / "bin"
ENGINE_FILES = (
    "pulumi",
    "pulumi-language-python",
    "pulumi-language-python-exec",
    "pulumi-resource-pulumi-python",
)
PASSPHRASE = "engine-tests-only"


def engine_bin_dir() -> Path:
    """Return the engine's bin directory, failing the test with instructions if it is incomplete."""
    bin_dir = Path(os.environ.get("PULUMI_DP_ENGINE_BIN") or DEFAULT_ENGINE_BIN)
    missing = [name for name in ENGINE_FILES if not os.access(bin_dir / name, os.X_OK)]
    if missing:
        pytest.fail(
            f"Pulumi engine v{ENGINE_VERSION} is not built in {bin_dir} (missing: {', '.join(missing)}). "
            "Run `make engine` (or `make test`, which builds it) from the repository root.",
            pytrace=False,
        )
    return bin_dir


@pytest.fixture(scope="session")
def engine_bin() -> Path:
    """The engine's bin directory (see ``engine_bin_dir``)."""
    return engine_bin_dir()


def make_pulumi_env(bin_dir: Path, state_dir: Path) -> dict[str, str]:
    """Build an offline Pulumi environment whose state, home and backend all live under ``state_dir``."""
    backend = state_dir / "backend"
    home = state_dir / "pulumi-home"
    backend.mkdir(parents=True, exist_ok=True)
    home.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items() if not key.startswith("PULUMI_")}
    env.update(
        PULUMI_BACKEND_URL=backend.as_uri(),
        PULUMI_HOME=str(home),
        PULUMI_CONFIG_PASSPHRASE=PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK="true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
        PULUMI_DP_ENGINE_BIN=str(bin_dir),
        PATH=os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent), env.get("PATH", "")]),
    )
    if not _in_virtualenv():
        env["PULUMI_PYTHON_CMD"] = sys.executable
    return env


@pytest.fixture
def pulumi_env(tmp_path: Path, engine_bin: Path) -> dict[str, str]:
    """An offline Pulumi environment with its state in this test's ``tmp_path / "pulumi-state"``."""
    return make_pulumi_env(engine_bin, tmp_path / "pulumi-state")


def _in_virtualenv() -> bool:
    return sys.prefix != sys.base_prefix


def write_project(
    directory: Path,
    program: str,
    *,
    name: str = "engine-test",
    modules: Mapping[str, str] | None = None,
) -> Path:
    """Write a Python Pulumi project (Pulumi.yaml, ``__main__.py`` and extra ``modules``) into ``directory``.


    The runtime uses this test run's virtualenv, which has the ``pulumi_dataprotection`` package installed. Extra
    modules sit beside ``__main__.py``; both the program and the dynamic-provider process (started in the project
    directory) can import them, which is what pulumi needs to unpickle a provider class by reference.
    """
    directory.mkdir(parents=True, exist_ok=True)
    runtime: dict[str, object] = {"name": "python"}
    if _in_virtualenv():
        runtime["options"] = {"virtualenv": sys.prefix}
    project = {"name": name, "runtime": runtime, "description": "throwaway project written by the tests"}
    (directory / "Pulumi.yaml").write_text(yaml.safe_dump(project, sort_keys=False), encoding="utf-8")
    (directory / "__main__.py").write_text(textwrap.dedent(program), encoding="utf-8")
    for module, source in (modules or {}).items():
        (directory / module).write_text(textwrap.dedent(source), encoding="utf-8")
    return directory


def run_pulumi(
    args: Sequence[str],
    cwd: Path,
    env: Mapping[str, str],
    *,
    check: bool = True,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """Run ``pulumi ARGS`` (non-interactive, no colour) in ``cwd`` with the engine from ``env``'s PATH."""
    pulumi = Path(env["PULUMI_DP_ENGINE_BIN"]) / "pulumi"
    command = [str(pulumi), *args, "--non-interactive", "--color=never"]
    result = subprocess.run(
        command,
        cwd=cwd,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"`pulumi {' '.join(args)}` exited {result.returncode} in {cwd}\n"
            f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
        )
    return result
