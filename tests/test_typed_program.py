"""A user's Pulumi program type-checked with mypy: the generated API catches a misspelled enum value, a misspelled
attribute and a wrong key of a nested input, each on its line, and the correct program is clean under --strict, as are
the example programs users start from."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PROGRAM = '''\
"""A user program."""

import pulumi

from pulumi_dataprotection import BackupInstance, BackupPolicy, BackupVault
from pulumi_dataprotection.policy.builders import Retention, Schedule, TaggedRetention, aks_policy, first_of

vault = BackupVault(
    "vault",
    resource_group_name="rg-backup",
    location="westeurope",
    redundancy="GeoRedundant",
    soft_delete_state="AlwaysOn",
    tags={"team": "platform"},
)
policy = BackupPolicy(
    "aks",
    vault_id=vault.arm_id,
    **aks_policy(Schedule.hourly(4), Retention("P7D"), tagged=[TaggedRetention("Daily", "P30D", first_of("day"))]),
)
instance = BackupInstance(
    "aks",
    vault_id=vault.arm_id,
    policy_id=policy.arm_id,
    datasource_kind="aks",
    datasource_id="/subscriptions/x/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c",
    snapshot_resource_group_id="/subscriptions/x/resourceGroups/rg-snapshots",
    included_volume_types=["AzureDisk"],
    backup_hook_references=[{"name": "freeze", "namespace": "db"}],
    on_delete="StopProtectionRetainData",
)
pulumi.export("tags", vault.tags)
pulumi.export("principal", vault.principal_id)
pulumi.export("redundancy", vault.redundancy.apply(lambda r: r.lower()))
pulumi.export("rules", policy.policy_rules.apply(lambda rules: [r["object_type"] for r in rules]))
pulumi.export("error", instance.protection_error.apply(lambda e: e.get("code") if e else None))
'''

MISTAKES = {
    'redundancy="GeoRedundant"': ('redundancy="GeoRedundnat"', "GeoRedundnat"),
    "vault.tags)": ("vault.tagz)", '"BackupVault" has no attribute "tagz"'),
    '"namespace": "db"': ('"namespce": "db"', "BackupHookReferenceArgs"),
}


def mypy(directory: Path, files: list[str]) -> tuple[list[tuple[str, str, str]], subprocess.CompletedProcess[str]]:
    """``(file stem, line, message)`` of each error mypy --strict reports on ``files`` (in ``directory``)."""
    command = [str(Path(sys.executable).parent / "mypy"), "--strict", "--no-error-summary"]
    done = subprocess.run(
        [*command, "--cache-dir", str(directory / ".mypy_cache"), *files],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return re.findall(r"^(\w+)\.py:(\d+): error: (.*)$", done.stdout, re.M), done


def test_mypy_reports_each_planted_mistake_on_its_line(tmp_path: Path) -> None:
    wrong = PROGRAM
    expected: dict[int, str] = {}
    for right, (typo, message) in MISTAKES.items():
        assert PROGRAM.count(right) == 1
        wrong = wrong.replace(right, typo)
        expected[PROGRAM[: PROGRAM.index(right)].count("\n") + 1] = message
    (tmp_path / "clean.py").write_text(PROGRAM, encoding="utf-8")
    (tmp_path / "mistakes.py").write_text(wrong, encoding="utf-8")
    errors, done = mypy(tmp_path, ["clean.py", "mistakes.py"])
    assert done.stderr == ""
    assert [e for e in errors if e[0] == "clean"] == [], done.stdout
    found = {int(line): message for name, line, message in errors if name == "mistakes"}
    assert sorted(found) == sorted(expected), done.stdout
    for line, message in expected.items():
        assert message in found[line], (line, found[line])


def module(program: Path) -> str:
    return program.parent.name.replace("-", "_")


def test_example_programs_type_check(tmp_path: Path) -> None:
    programs = sorted((REPO / "examples").glob("*/__main__.py"))
    assert len(programs) >= 5
    for program in programs:  # each is a __main__ module: copied under its project's name to check them together
        (tmp_path / f"{module(program)}.py").write_text(program.read_text("utf-8"), encoding="utf-8")
    errors, done = mypy(tmp_path, [f"{module(p)}.py" for p in programs])
    assert errors == [] and done.returncode == 0, done.stdout + done.stderr
