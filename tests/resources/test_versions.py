"""The SDK/CLI drift check: the warning's wording and how the CLI running the program is found."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pulumi_dataprotection.dynamic.versions import cached_cli_version, drift_message, find_cli


def test_an_sdk_newer_than_the_cli_is_named_with_the_fix() -> None:
    message = drift_message("3.272.0", "v3.259.0")
    assert message is not None
    assert "(3.272.0) is newer than the Pulumi CLI running it (3.259.0)" in message
    assert "pip install 'pulumi==3.259.0'" in message


def test_an_sdk_as_old_as_the_cli_or_older_is_fine() -> None:
    assert drift_message("3.259.0", "v3.259.0") is None
    assert drift_message("3.202.0", "v3.259.0") is None
    assert drift_message("3.259.0", "not a version") is None


def _process(proc: Path, pid: int, parent: int, exe: Path) -> None:
    (proc / str(pid)).mkdir(parents=True)
    (proc / str(pid) / "stat").write_text(f"{pid} (some (odd) name) S {parent} 1 1 0")
    os.symlink(exe, proc / str(pid) / "exe")


def test_the_cli_is_the_nearest_parent_named_pulumi(tmp_path: Path) -> None:
    proc = tmp_path / "proc"
    cli = tmp_path / "bin" / "pulumi"
    _process(proc, 30, 20, tmp_path / "bin" / "python3.11")  # the program
    _process(proc, 20, 10, tmp_path / "bin" / "pulumi-language-python")
    _process(proc, 10, 1, cli)
    assert find_cli(proc, 30) == cli


def test_no_cli_among_the_parents_is_none(tmp_path: Path) -> None:
    proc = tmp_path / "proc"
    _process(proc, 30, 20, tmp_path / "python3.11")
    _process(proc, 20, 1, tmp_path / "bash")
    assert find_cli(proc, 30) is None
    assert find_cli(tmp_path / "missing", 30) is None


def test_the_cli_version_is_asked_once_per_binary(tmp_path: Path) -> None:
    calls = tmp_path / "calls"
    cli = tmp_path / "bin" / "pulumi"
    cli.parent.mkdir()
    cli.write_text(f"#!/bin/sh\necho run >> {calls}\necho v3.259.0\n")
    cli.chmod(0o755)
    cache = tmp_path / "cache" / "cli-versions.json"

    assert [cached_cli_version(cli, cache) for _ in range(3)] == ["v3.259.0"] * 3
    assert calls.read_text().count("run") == 1, "answered from the cache after the first run"

    cli.write_text(f"#!/bin/sh\necho run >> {calls}\necho v3.272.0 # a new build of the binary\n")
    assert cached_cli_version(cli, cache) == "v3.272.0"
    assert calls.read_text().count("run") == 2


def test_the_sdk_version_is_the_installed_one_without_reading_package_metadata() -> None:
    code = (
        "import sys\nfrom importlib import metadata\nfrom pulumi_dataprotection.dynamic.versions import sdk_version\n"
        "del sys.modules['importlib.metadata']\nversion = sdk_version()\nloaded = 'importlib.metadata' in sys.modules\n"
        "print(version == metadata.version('pulumi'), loaded)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "False"]
