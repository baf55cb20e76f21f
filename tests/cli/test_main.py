"""The command line entry points: `main([...])` exit codes, `python -m pulumi_dataprotection` and the console script,
and what they say when an extra is missing."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path

from pulumi_dataprotection import __version__
from pulumi_dataprotection.datasources import KINDS


def test_help_and_version_exit_0(run_cli):
    result = run_cli("--help")
    assert result.code == 0
    for command in ("audit", "policy-template", "permissions", "backup-now"):
        assert command in result.out
    version = run_cli("--version")
    assert version.code == 0 and __version__ in version.out


def test_missing_or_unknown_command_exits_2(run_cli):
    assert run_cli().code == 2
    unknown = run_cli("restore-now")
    assert unknown.code == 2 and "invalid choice" in unknown.err


def test_python_dash_m_provider_runs_the_cli():
    done = subprocess.run(
        [sys.executable, "-m", "pulumi_dataprotection", "policy-template", "--datasource", "disk", "--format", "json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert '"Microsoft.Compute/disks"' in done.stdout


def test_console_script_points_at_the_entry_point():
    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    assert project["project"]["scripts"]["pulumi-dataprotection"] == "pulumi_dataprotection.cli_entry:main"


def test_without_the_cli_extra_the_command_says_what_to_install():
    hide_rich = "import sys; sys.modules['rich'] = None; sys.modules['rich.console'] = None; "
    run_main = "import runpy; runpy.run_module('pulumi_dataprotection', run_name='__main__')"
    done = subprocess.run(
        [sys.executable, "-c", hide_rich + run_main],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "needs the [cli] extra (rich is not installed" in done.stderr
    assert "pip install 'pulumi-dataprotection[cli]'" in done.stderr


def test_package_data_files_are_where_the_loaders_read_them():
    assert resources.files("pulumi_dataprotection.permissions").joinpath("datasource_roles.json").is_file()
    for kind in KINDS:
        assert resources.files("pulumi_dataprotection.datasources").joinpath(f"{kind}.py").is_file()


def test_without_the_emulator_extra_the_emulator_says_what_to_install():
    hide = "import sys; sys.modules['uvicorn'] = None; "
    run_main = "import runpy; runpy.run_module('pulumi_dataprotection.emulator', run_name='__main__')"
    done = subprocess.run(
        [sys.executable, "-c", hide + run_main], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last == (
        "ModuleNotFoundError: the emulator needs the [emulator] extra (uvicorn is not installed): "
        "pip install 'pulumi-dataprotection[emulator]'"
    )


def test_the_cli_page_lists_every_command_with_the_real_help(run_cli):
    """docs/cli.md shows `--help` as it is and counts the commands right (it once said five and left out review)."""
    page = (Path(__file__).parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    shown = page.split("$ pulumi-dataprotection --help\n", 1)[1].split("```", 1)[0]
    real = run_cli("--help").out
    commands = re.findall(r"^    ([a-z][a-z-]+)", real, flags=re.MULTILINE)
    assert len(commands) >= 10, commands
    headings = re.findall(r"^## (.+)$", page, flags=re.MULTILINE)
    for command in commands:
        assert f"\n    {command}" in shown, f"docs/cli.md's --help lacks {command}"
        assert any(re.search(rf"\b{command}\b", h) for h in headings), f"docs/cli.md has no section on {command}"
