"""`protect suspend|stop|resume` against the emulator: the action that undoes the instance's state is sent
(resumeBackups after a suspend, resumeProtection after a stop), nothing is sent when the instance is there already,
and the note says what a stack managing the instance must set."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pulumi_dataprotection.emulator import EmulatorHandle
from tests.cli.conftest import CliResult
from tests.support.protected import protect


def _actions(emulator: EmulatorHandle, since: int) -> list[str]:
    return [w["path"].rsplit("/", 1)[-1] for w in emulator.writes(since)]


def _seq(emulator: EmulatorHandle) -> int:
    log = emulator.request_log()
    return int(log[-1]["seq"]) if log else 0


def test_suspend_stop_and_resume_send_the_matching_action(
    emulator: EmulatorHandle, run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    instance = protect(emulator, ("disk",)).instances["disk"]
    token = tmp_path / "token"
    token.write_text(emulator.token, encoding="utf-8")
    target = ["--instance", instance, "--endpoint", emulator.url, "--token-file", str(token), "--poll-interval", "0.05"]

    since = _seq(emulator)
    suspended = run_cli("protect", "suspend", *target)
    assert suspended.code == 0, suspended.err
    assert "ProtectionConfigured -> BackupsSuspended (suspendBackups)" in suspended.out
    assert "set protection='suspended' on it" in suspended.err
    again = run_cli("protect", "suspend", *target)
    assert again.code == 0 and "already suspended; nothing sent" in again.out
    resumed = run_cli("protect", "resume", *target)
    assert resumed.code == 0 and "BackupsSuspended -> " in resumed.out
    emulator.advance_clock(60)
    run_cli("protect", "stop", *target)
    run_cli("protect", "resume", *target)
    assert _actions(emulator, since) == ["suspendBackups", "resumeBackups", "stopProtection", "resumeProtection"]

    missing = run_cli("protect", "stop", *target[:1], f"{instance}-gone", *target[2:])
    assert missing.code == 1 and "does not exist" in missing.err
