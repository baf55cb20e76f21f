"""The scheduled restore-drill workflow example: it runs on a schedule, keeps the evidence even when a drill fails,
and its command lines are valid for the CLI they call (drills with evidence, an audit gate on stale evidence)."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import yaml

from pulumi_dataprotection.cli import build_parser

WORKFLOW = Path(__file__).resolve().parents[2] / "examples" / "ci" / "restore-drills.yml"


def _workflow() -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return loaded


def _commands(workflow: dict[Any, Any]) -> dict[str, list[str]]:
    """The ``pulumi-dataprotection`` command lines of the workflow by subcommand, with $EVIDENCE expanded."""
    job = next(iter(workflow["jobs"].values()))
    evidence = job["env"]["EVIDENCE"]
    out = {}
    for step in job["steps"]:
        for line in str(step.get("run", "")).splitlines():
            line = line.strip().split(" || ")[0]
            if line.startswith("pulumi-dataprotection "):
                argv = shlex.split(line.replace("$EVIDENCE", evidence))[1:]
                out[argv[0]] = argv
    return out


def test_runs_on_a_schedule_and_keeps_the_evidence_of_failed_drills() -> None:
    workflow = _workflow()
    assert workflow[True]["schedule"][0]["cron"]  # YAML 1.1 reads `on` as True
    steps = next(iter(workflow["jobs"].values()))["steps"]
    by_name = {s.get("name"): s for s in steps}
    assert by_name["Restore drills"]["continue-on-error"] is True
    upload = by_name["Keep the evidence for auditors"]
    assert upload["if"] == "always()" and upload["uses"].startswith("actions/upload-artifact@")
    assert by_name["Backup health gate"]["if"] == "always()"
    assert "exit $status" in by_name["Backup health gate"]["run"]


def test_command_lines_are_valid_and_gate_on_stale_evidence() -> None:
    commands = _commands(_workflow())
    parser = build_parser()
    drills = parser.parse_args(commands["restore-test"])
    assert drills.stack_export == "stack.json" and drills.evidence.startswith("evidence/")
    assert drills.max_age == "schedule" and drills.cleanup
    assert drills.suffix is None  # unattended --cleanup: a unique suffix per run, never a fixed one
    audit = parser.parse_args(commands["audit"])
    assert audit.live and audit.evidence == [drills.evidence]
    assert audit.fail_on == "high" and audit.fail_on_rule == ["restore-untested"]
    assert audit.max_restore_age == "P2D"
