"""Tokens reach the commands from $DATAPROTECTION_TOKEN or --token-file; --token (visible to every local user in
the process list) still works for old scripts, with a warning."""

from __future__ import annotations

import pytest

from tests.cli.test_backup_now import INSTANCE_ID

COMMANDS = [["import"], ["restore-test"], ["audit"], ["backup-now"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_every_command_offers_a_token_file_and_hides_the_token_flag(run_cli, command):
    """Issue 24: import, restore-test and audit took the token only on the command line."""
    result = run_cli(*command, "--help")
    assert "--token-file" in result.out and "--token TOKEN" not in result.out


def test_the_token_flag_warns_that_it_is_visible(run_cli):
    result = run_cli("backup-now", "--instance", INSTANCE_ID, "--endpoint", "http://example.com", "--token", "t")
    assert "--token puts the token on the command line" in result.err


def test_a_token_file_is_read_without_a_warning(run_cli, tmp_path):
    token = tmp_path / "token"
    token.write_text("t\n")
    result = run_cli(
        "backup-now", "--instance", INSTANCE_ID, "--endpoint", "http://example.com", "--token-file", str(token)
    )
    assert result.code == 2 and "plain http on a non-loopback host" in result.err
    assert "--token puts" not in result.err


def test_an_unreadable_token_file_is_a_usage_error(run_cli, tmp_path):
    result = run_cli(
        "backup-now", "--instance", INSTANCE_ID, "--endpoint", "http://127.0.0.1:9", "--token-file", str(tmp_path / "x")
    )
    assert result.code == 2 and "cannot read --token-file" in result.err
