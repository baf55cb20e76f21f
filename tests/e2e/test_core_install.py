"""The package as a user installs it: the wheel with only its core dependencies, and the oldest Pulumi SDK the
``pulumi`` range of pyproject.toml allows, in a fresh virtualenv. There, ``import provider`` fails, and a user
program's ``pulumi preview`` and ``pulumi up`` against the emulator (run from the test's own environment) work
without the program or the dynamic-provider process importing the emulator's or the CLI's libraries."""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from pulumi_dataprotection.emulator import EmulatorHandle
from tests.e2e.conftest import new_stack
from tests.e2e.programs import SMALL_PROGRAM, SUBSCRIPTION, vault_path
from tests.support.emulator import ArmClient
from tests.support.engine import REPO_ROOT

pytestmark = pytest.mark.engine

FORBIDDEN = ("starlette", "uvicorn", "rich")
"""Top-level modules of the ``[emulator]`` and ``[cli]`` extras that a user's program must never import."""

# Installed as sitecustomize.py in the fresh virtualenv: every Python process started from it (the program and
# the dynamic-provider process) records its command line, and every attempt to import a forbidden module, in the
# file named by $PD_IMPORT_LOG.
IMPORT_WATCH = """
import json
import os
import sys

_LOG = os.environ.get("PD_IMPORT_LOG")
_FORBIDDEN = {forbidden!r}


def _record(entry):
    with open(_LOG, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({{"pid": os.getpid(), "argv": sys.orig_argv, **entry}}) + "\\n")


class _Watch:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in _FORBIDDEN:
            _record({{"imported": name}})
        return None


if _LOG:
    sys.meta_path.insert(0, _Watch())
    _record({{"started": True}})
"""


def pulumi_floor() -> str:
    """The lower bound of the ``pulumi`` requirement of pyproject.toml (``pulumi>=X,<4`` -> ``X``)."""
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (requirement,) = [r for r in project["dependencies"] if re.match(r"pulumi\b", r)]
    match = re.search(r">=\s*([0-9][0-9.]*)", requirement)
    assert match, f"the pulumi requirement {requirement!r} has no lower bound"
    return match.group(1)


def _run(*command: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def core_venv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh virtualenv holding our wheel, its core dependencies and ``pulumi==<floor>``, nothing else: built once
    per run (pytest-xdist workers share the run's base directory; the first builds it under a file lock)."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    root = shared / "core-install"
    with (shared / "core-install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / "ready").exists():
            shutil.rmtree(root, ignore_errors=True)
            _build_core_venv(root)
            (root / "ready").touch()
    yield root / "venv"


def _build_core_venv(root: Path) -> None:
    root.mkdir(parents=True)
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", REPO_ROOT, "-w", root / "dist")
    (wheel,) = (root / "dist").glob("pulumi_dataprotection-*.whl")
    venv = root / "venv"
    _run(sys.executable, "-m", "venv", venv)
    _run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", wheel, f"pulumi=={pulumi_floor()}")
    site = Path(_run(venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))").stdout)
    (Path(site.as_posix().strip()) / "sitecustomize.py").write_text(
        IMPORT_WATCH.format(forbidden=FORBIDDEN), encoding="utf-8"
    )


def test_only_the_core_is_installed_and_provider_is_not_importable(core_venv: Path) -> None:
    python = core_venv / "bin" / "python"
    listed = json.loads(_run(python, "-m", "pip", "list", "--format", "json").stdout)
    installed = {p["name"].lower(): p["version"] for p in listed}
    assert installed["pulumi"] == pulumi_floor()
    assert "pulumi-dataprotection" in installed
    assert not {*FORBIDDEN, "pytest"} & set(installed), sorted(installed)
    # Run outside the checkout: its provider/ directory would be importable from there as a namespace package.
    shadowed = subprocess.run(
        [python, "-c", "import provider"], cwd=core_venv, capture_output=True, text=True, check=False
    )
    assert shadowed.returncode == 1 and "No module named 'provider'" in shadowed.stderr
    _run(
        python,
        "-c",
        "from pulumi_dataprotection import AdhocBackup, BackupInstance, BackupPolicy, BackupVault",
        cwd=core_venv,
    )


def test_preview_and_up_from_the_core_install(
    core_venv: Path, dp: EmulatorHandle, arm: ArmClient, tmp_path: Path, engine_bin: Path
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "__main__.py").write_text(SMALL_PROGRAM, encoding="utf-8")
    runtime = {"name": "python", "options": {"virtualenv": str(core_venv)}}
    (project / "Pulumi.yaml").write_text(yaml.safe_dump({"name": "core-install", "runtime": runtime}))
    log = tmp_path / "imports.jsonl"
    stack = new_stack(
        project,
        tmp_path / "pulumi-state",
        engine_bin,
        "core",
        {"dataprotection:subscriptionId": SUBSCRIPTION},
        dp,
        env_extra={"PD_IMPORT_LOG": str(log)},
    )

    preview = stack.preview()
    assert preview.changes() == {"create": 4}, preview
    assert dp.writes() == []
    up = stack.up()
    assert up.changes() == {"create": 4}, up

    assert arm.get(vault_path()).status_code == 200
    assert stack.outputs()["instances"] == {"aks-0": "ProtectionConfigured"}
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    started = [" ".join(e["argv"]) for e in entries if e.get("started")]
    assert any("pulumi-language-python-exec" in argv for argv in started), started
    assert any("-m pulumi.dynamic" in argv for argv in started), started
    assert [e for e in entries if "imported" in e] == []
