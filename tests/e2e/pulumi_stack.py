"""Drive one Pulumi stack of a materialized project through the built CLI and parse what the engine reports.

``Stack`` runs ``preview``/``up``/``refresh``/``destroy`` with ``--json`` and returns an ``Outcome``: the change
summary, one ``Step`` per resource operation (with the properties that caused it) and the error diagnostics.
``materialize_example`` copies an example of ``examples/`` into a test directory so that it runs from this test
run's virtualenv, and ``Stack.write_config`` writes its stack config file.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import yaml

from tests.support.engine import REPO_ROOT, run_pulumi

EXAMPLES = REPO_ROOT / "examples"
TYPE_PREFIX = "pulumi-python:dynamic/dataprotection:"


@dataclass(frozen=True)
class Step:
    """One resource operation the engine planned or performed."""

    op: str
    urn: str
    replaces: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    """Top-level inputs whose old and new values differ: what ``pulumi preview --diff`` shows for the step (the
    dynamic-provider protocol reports only ``replaces``, not which properties an update changes)."""

    @property
    def name(self) -> str:
        """The resource's logical name (last URN segment)."""
        return self.urn.rsplit("::", 1)[-1]

    @property
    def type(self) -> str:
        """The short type name, e.g. ``BackupPolicy`` (or the full token for non-dataprotection types)."""
        token = self.urn.rsplit("::", 2)[-2]
        return token.removeprefix(TYPE_PREFIX)


@dataclass(repr=False)
class Outcome:
    """What one CLI command did: exit code, raw output, change summary, steps and error diagnostics."""

    command: Sequence[str]
    returncode: int
    stdout: str
    stderr: str
    summary: dict[str, int] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the command exited 0."""
        return self.returncode == 0

    @property
    def output(self) -> str:
        """Everything the command printed (for messages and text searches)."""
        return self.stdout + "\n" + self.stderr

    def changes(self) -> dict[str, int]:
        """The change summary without the unchanged resources."""
        return {op: n for op, n in self.summary.items() if op != "same" and n}

    def ops(self) -> Counter[tuple[str, str]]:
        """``(type, op)`` counts of the steps that change something (``same`` and ``read`` left out)."""
        return Counter((s.type, s.op) for s in self.steps if s.op not in ("same", "read"))

    def step(self, type_: str, name: str, *, op: str | None = None) -> Step:
        """The (first) step of the resource ``type_``/``name`` (and ``op`` when given); AssertionError if none."""
        for s in self.steps:
            if s.type == type_ and s.name == name and (op is None or s.op == op):
                return s
        raise AssertionError(f"no {op or ''} step for {type_} {name!r}; steps: {self.describe()}")

    def describe(self) -> str:
        """A compact listing of the steps, for assertion messages."""
        return ", ".join(f"{s.op} {s.type}::{s.name}{list(s.replaces or s.changed) or ''}" for s in self.steps)

    def __repr__(self) -> str:
        return str(self)

    def __str__(self) -> str:
        return (
            f"`pulumi {' '.join(self.command)}` exited {self.returncode}; summary {self.summary}; "
            f"steps: {self.describe()}\nerrors: {self.errors}\n--- stderr ---\n{self.stderr[-4000:]}"
        )


def _changed_inputs(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> tuple[str, ...]:
    olds, news = (old or {}).get("inputs") or {}, (new or {}).get("inputs") or {}
    if not olds or not news:
        return ()
    keys = (set(olds) | set(news)) - {"__provider"}
    return tuple(sorted(k for k in keys if olds.get(k) != news.get(k)))


def parse_preview(command: Sequence[str], result: subprocess.CompletedProcess[str]) -> Outcome:
    """An ``Outcome`` from ``pulumi preview --json`` (one JSON document)."""
    outcome = Outcome(command, result.returncode, result.stdout, result.stderr)
    try:
        document = json.loads(result.stdout or "{}")
    except ValueError:
        outcome.errors.append(result.stdout)
        return outcome
    outcome.summary = {k: int(v) for k, v in (document.get("changeSummary") or {}).items()}
    for raw in document.get("steps") or []:
        outcome.steps.append(
            Step(
                op=raw["op"],
                urn=raw["urn"],
                replaces=tuple(sorted(raw.get("replaceReasons") or ())),
                changed=_changed_inputs(raw.get("oldState"), raw.get("newState")),
            )
        )
    outcome.errors = [d.get("message", "") for d in document.get("diagnostics") or [] if d.get("severity") == "error"]
    return outcome


def parse_events(command: Sequence[str], result: subprocess.CompletedProcess[str]) -> Outcome:
    """An ``Outcome`` from the JSON event stream of ``pulumi up|refresh|destroy --json`` (one event a line)."""
    outcome = Outcome(command, result.returncode, result.stdout, result.stderr)
    for line in result.stdout.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if "resOutputsEvent" in event:
            meta = event["resOutputsEvent"]["metadata"]
            outcome.steps.append(
                Step(
                    op=meta["op"],
                    urn=meta["urn"],
                    replaces=tuple(sorted(meta.get("keys") or ())) if meta["op"] == "replace" else (),
                    changed=_changed_inputs(meta.get("old"), meta.get("new")),
                )
            )
        elif "resOpFailedEvent" in event:
            meta = event["resOpFailedEvent"]["metadata"]
            outcome.steps.append(Step(op=f"failed-{meta['op']}", urn=meta["urn"]))
        elif "diagnosticEvent" in event:
            diag = event["diagnosticEvent"]
            if diag.get("severity") == "error":
                outcome.errors.append(diag.get("message", ""))
        elif "summaryEvent" in event:
            outcome.summary = {k: int(v) for k, v in (event["summaryEvent"].get("resourceChanges") or {}).items()}
    return outcome


class Stack:
    """One stack of a project directory, run with an isolated Pulumi environment."""

    def __init__(self, project: Path, env: Mapping[str, str], name: str) -> None:
        self.project = project
        self.env = dict(env)
        self.name = name

    def pulumi(self, *args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """``pulumi ARGS --stack NAME`` in the project directory."""
        return run_pulumi([*args, "--stack", self.name], cwd=self.project, env=self.env, check=check, timeout=timeout)

    def popen(self, *args: str) -> subprocess.Popen[str]:
        """Start ``pulumi ARGS --stack NAME`` without waiting (output captured)."""
        pulumi = Path(self.env["PULUMI_DP_ENGINE_BIN"]) / "pulumi"
        return subprocess.Popen(
            [str(pulumi), *args, "--stack", self.name, "--non-interactive", "--color=never"],
            cwd=self.project,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def _checked(self, outcome: Outcome, check: bool) -> Outcome:
        if check and not outcome.ok:
            raise AssertionError(str(outcome))
        return outcome

    def preview(self, *extra: str, check: bool = True) -> Outcome:
        """``pulumi preview --json``."""
        args = ["preview", "--json", *extra]
        return self._checked(parse_preview(args, self.pulumi(*args, check=False)), check)

    def up(self, *extra: str, check: bool = True, skip_preview: bool = True) -> Outcome:
        """``pulumi up --yes --json`` (``--skip-preview`` unless ``skip_preview`` is False)."""
        args = ["up", "--yes", "--json", *(["--skip-preview"] if skip_preview else []), *extra]
        return self._checked(parse_events(args, self.pulumi(*args, check=False)), check)

    def refresh(self, *extra: str, check: bool = True) -> Outcome:
        """``pulumi refresh --yes --skip-preview --json``."""
        args = ["refresh", "--yes", "--skip-preview", "--json", *extra]
        return self._checked(parse_events(args, self.pulumi(*args, check=False)), check)

    def destroy(self, *extra: str, check: bool = True) -> Outcome:
        """``pulumi destroy --yes --skip-preview --json``."""
        args = ["destroy", "--yes", "--skip-preview", "--json", *extra]
        return self._checked(parse_events(args, self.pulumi(*args, check=False)), check)

    def export(self) -> dict[str, Any]:
        """``pulumi stack export`` (secrets stay encrypted)."""
        exported: dict[str, Any] = json.loads(self.pulumi("stack", "export").stdout)
        return exported

    def resources(self) -> list[dict[str, Any]]:
        """The resources of the exported state (read from the checkpoint file in a file backend: the same document
        ``pulumi stack export`` prints, without a CLI process)."""
        checkpoint = self._checkpoint_file()
        if checkpoint is None:
            return list(self.export()["deployment"].get("resources") or [])
        latest = json.loads(checkpoint.read_text(encoding="utf-8"))["checkpoint"].get("latest") or {}
        return list(latest.get("resources") or [])

    def _checkpoint_file(self) -> Path | None:
        url = self.env.get("PULUMI_BACKEND_URL", "")
        if not url.startswith("file://"):
            return None
        project = yaml.safe_load((self.project / "Pulumi.yaml").read_text(encoding="utf-8"))["name"]
        path = Path(unquote(urlparse(url).path)) / ".pulumi" / "stacks" / project / f"{self.name}.json"
        return path if path.exists() else None

    def outputs(self) -> dict[str, Any]:
        """``pulumi stack output --json --show-secrets``."""
        shown: dict[str, Any] = json.loads(self.pulumi("stack", "output", "--json", "--show-secrets").stdout)
        return shown

    def config_path(self) -> Path:
        """The stack's config file."""
        return self.project / f"Pulumi.{self.name}.yaml"

    def write_config(self, values: Mapping[str, Any], *, secrets: Mapping[str, str] | None = None) -> None:
        """Replace the stack config with ``values`` (plain) and ``secrets`` (set with ``config set --secret``);
        the rest of the file (the passphrase's ``encryptionsalt``) stays."""
        path = self.config_path()
        document = (yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None) or {}
        document["config"] = dict(values)
        path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        for key, value in (secrets or {}).items():
            self.pulumi("config", "set", "--secret", key, value)

    def set_config(self, key: str, value: Any) -> None:
        """Change one plain config value (structured values are written as YAML, like ``--path`` would)."""
        document = yaml.safe_load(self.config_path().read_text(encoding="utf-8")) or {}
        document.setdefault("config", {})[key] = value
        self.config_path().write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


def materialize_example(example: str, destination: Path) -> Path:
    """Copy ``examples/<example>`` (program and Pulumi.yaml, not its stack files) into ``destination``.

    The copy runs from this test run's virtualenv (which has the ``pulumi_dataprotection`` package) instead of the
    example's
    relative ``virtualenv`` path; nothing else of the project file changes.
    """
    source = EXAMPLES / example
    destination.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        if item.name.startswith("Pulumi.") and item.name != "Pulumi.yaml":
            continue
        if item.is_file() and item.suffix in (".py", ".yaml", ".txt"):
            shutil.copy2(item, destination / item.name)
    project = yaml.safe_load((source / "Pulumi.yaml").read_text(encoding="utf-8"))
    runtime = project.get("runtime")
    if not isinstance(runtime, dict):
        runtime = {"name": runtime or "python"}
    options = runtime.setdefault("options", {})
    if sys.prefix != sys.base_prefix:
        options["virtualenv"] = sys.prefix
    else:  # no virtualenv: make_pulumi_env points PULUMI_PYTHON_CMD at this interpreter
        options.pop("virtualenv", None)
    project["runtime"] = runtime
    (destination / "Pulumi.yaml").write_text(yaml.safe_dump(project, sort_keys=False), encoding="utf-8")
    return destination


def sample_config(example: str) -> dict[str, Any]:
    """The ``config:`` map of ``examples/<example>/Pulumi.emulator.yaml``."""
    loaded = yaml.safe_load((EXAMPLES / example / "Pulumi.emulator.yaml").read_text(encoding="utf-8")) or {}
    config = loaded.get("config")
    assert isinstance(config, dict), f"examples/{example}/Pulumi.emulator.yaml has no config map"
    return dict(config)
