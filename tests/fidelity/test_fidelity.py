"""The fidelity tier: every recorded Microsoft.DataProtection exchange replayed against the emulator.

Prints the per-operation table (run ``python -m tests.fidelity --each`` for every difference) and fails when the
share of exchanges the emulator answers as Azure did falls under ``THRESHOLD``; raise it as fidelity improves.
"""

from __future__ import annotations

import pytest

from tests.fidelity.recordings import RECORDINGS, load_all
from tests.fidelity.replay import Outcome, replay
from tests.fidelity.report import same_ratio, table

# 1956/2057 (95.1 %): Azure-shaped jobs, recovery points and guards, rules per api-version, Azure timing (quicker
# validations of blobs, ADLS and PostgreSQL databases, minute-long policy changes, slower user-identity vaults);
# seeded instances protected since the recording's earliest backup data, or seeded from their jobs (vaulted blob
# ones protecting the containers the corpus restores); untagged ad hoc points kept as "default"; operational points'
# state null before 2024-06-20; a guard in the vault's resource group passed by the vault's owner; unset AKS
# parameters and secret values null; stand-in policies have the backup rules the recording's ad hoc backups name;
# restorable windows clipped, inverted; instances and policies a vault list shows seeded (as listed), and the vaults
# a resource group list shows; the JavaScript recordings' sanitised subscription a subscription of its own;
# caller-chosen names not mapped as generated ids. The replay is deterministic (frozen clock): 1,955 is 95.0 %.
THRESHOLD = 0.95


@pytest.fixture(scope="module")
def outcomes() -> list[Outcome]:
    if not RECORDINGS.is_dir():
        pytest.skip(f"the recordings are not at {RECORDINGS}")
    return [o for recording in load_all() for o in replay(recording)]


def test_every_recording_is_replayed(outcomes: list[Outcome]) -> None:
    files = {f"{r.source}/{r.name}" for r in load_all() if r.dataprotection}
    assert {f"{o.source}/{o.file}" for o in outcomes} == files
    assert len(files) >= 110 and len(outcomes) >= 2000


def test_fidelity_meets_threshold(outcomes: list[Outcome], capsys: pytest.CaptureFixture[str]) -> None:
    report = table(outcomes)
    with capsys.disabled():
        print("\n" + report)
    assert same_ratio(outcomes) >= THRESHOLD, report
