"""The emulator's token never travels on a command line, and every `start_emulator` run has its own."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import requests

from pulumi_dataprotection.emulator import DEFAULT_TOKEN, start_emulator
from pulumi_dataprotection.emulator.config import EmulatorConfig, from_args

FAST = {"lro_seconds": 0.2, "retry_after": 0}


def _children_cmdlines() -> dict[int, bytes]:
    """The command lines of this process's children, as any local user can read them (/proc/<pid>/cmdline)."""
    found: dict[int, bytes] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid():
                found[int(entry.name)] = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
    return found


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc")
def test_a_spawned_emulator_has_no_token_on_its_command_line():
    """Issue 24: start_emulator passed `--token <token>` to the emulator subprocess."""
    before = set(_children_cmdlines())
    handle = start_emulator(**FAST)
    try:
        spawned = {pid: line for pid, line in _children_cmdlines().items() if pid not in before}
        emulators = [line for line in spawned.values() if b"pulumi_dataprotection.emulator" in line]
        assert len(emulators) == 1, spawned
        assert handle.token.encode() not in emulators[0] and b"--token" not in emulators[0]
        assert handle.health()  # the admin API accepts the token the subprocess got from its environment
    finally:
        handle.stop()


def test_every_start_emulator_run_accepts_only_its_own_random_token():
    """Issue 24: every emulator accepted the published default token."""
    first, second = start_emulator(in_process=True, **FAST), start_emulator(in_process=True, **FAST)
    try:
        assert len({first.token, second.token, DEFAULT_TOKEN}) == 3 and len(first.token) >= 32
        # Safe as a command-line value wherever a user passes it (a token starting with "-" was read as a flag by
        # `pulumi config set --secret KEY VALUE`): hex digits only.
        assert all(re.fullmatch(r"[0-9a-f]{64}", t) for t in (first.token, second.token))
        url = f"{first.url}/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/"
        url += "Microsoft.DataProtection/backupVaults?api-version=2025-09-01"
        for token, status in ((DEFAULT_TOKEN, 401), (second.token, 401), (first.token, 200)):
            answer = requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=10)
            assert answer.status_code == status, (token == first.token, answer.text)
    finally:
        first.stop()
        second.stop()


def test_a_given_token_is_kept():
    handle = start_emulator(in_process=True, token="chosen-by-the-caller", **FAST)
    try:
        assert handle.token == "chosen-by-the-caller"
    finally:
        handle.stop()


def test_the_token_comes_from_a_file_or_the_environment(tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("from-the-file\n")
    assert from_args(["--token-file", str(token_file)], env={}).token == "from-the-file"
    assert from_args([], env={"DP_EMULATOR_TOKEN": "from-the-env"}).token == "from-the-env"
    assert from_args([], env={}).token == DEFAULT_TOKEN
    assert "--token" not in EmulatorConfig(token="t").to_args()
    assert EmulatorConfig(token="t").to_env() == {"DP_EMULATOR_TOKEN": "t"}


def test_the_token_flag_still_works_with_a_warning(capsys):
    assert from_args(["--token", "inline"], env={}).token == "inline"
    assert "--token puts the token on the command line" in capsys.readouterr().err


def test_an_empty_or_conflicting_token_file_is_refused(tmp_path):
    empty = tmp_path / "empty"
    empty.write_text("  \n")
    with pytest.raises(SystemExit, match="is empty"):
        from_args(["--token-file", str(empty)], env={})
    with pytest.raises(SystemExit, match="both give a token"):
        from_args(["--token-file", str(empty), "--token", "x"], env={})
