"""Runs the root Pulumi project (examples/full) against a local emulator, with the emulator's and Pulumi's state
in the git-ignored ``.state/demo`` directory: ``make demo`` is ``python tools/demo.py up``.

    python tools/demo.py up         # start the emulator, pulumi up, print the outputs and a summary, stop
    python tools/demo.py preview    # the same setup, then pulumi preview (also: refresh, destroy)
    python tools/demo.py shell      # a shell with the emulator running and the demo stack selected
    python tools/demo.py summary    # the summary of the last update, from the stack outputs (no emulator)

Arguments after the command go to pulumi (``python tools/demo.py up --expect-no-changes``). Every run starts the
emulator on a free port with the same SQLite database, writes the stack config (the sample values of
``examples/full/Pulumi.emulator.yaml`` and the emulator's token) and gives pulumi the emulator's URL in
``DATAPROTECTION_ENDPOINT``.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from rich.console import Console
from rich.table import Table

from pulumi_dataprotection.emulator import EmulatorHandle, start_emulator

ROOT = Path(__file__).resolve().parents[1]
STATE = ROOT / ".state" / "demo"
STACK = "demo"
PASSPHRASE = "pulumi-dataprotection-demo"
"""The demo stack's secrets passphrase: it only protects the emulator's token (random, kept in ``STATE``), so it is
fixed and public."""
SAMPLE_CONFIG = ROOT / "examples" / "full" / "Pulumi.emulator.yaml"
LRO_SECONDS = 1.0
RETRY_AFTER = 1
PULUMI_COMMANDS = ("up", "preview", "refresh", "destroy")
AUTO_FLAGS = {"up": ["--yes", "--skip-preview"], "refresh": ["--yes"], "destroy": ["--yes"]}
"""Flags the demo adds: no confirmation prompt, and ``up`` shows the update only (not a preview of it first)."""
CHANGE_WORDS = {
    "create": "created",
    "update": "updated",
    "delete": "deleted",
    "replace": "replaced",
    "same": "unchanged",
    "read": "read",
    "refresh": "refreshed",
    "import": "imported",
    "discard": "discarded",
}

console = Console(highlight=False, width=None if sys.stdout.isatty() else 120)


class DemoError(Exception):
    """A setup step failed; the message says what to do."""


def engine_bin() -> Path:
    """The directory of the engine built by ``make engine`` (``$PULUMI_DP_ENGINE_BIN`` or the default cache)."""
    version = (ROOT / "tools" / "pulumi" / "VERSION").read_text(encoding="utf-8").strip()
    default = Path.home() / ".cache" / "pulumi-dataprotection" / f"pulumi-v{version}" / "bin"
    path = Path(os.environ.get("PULUMI_DP_ENGINE_BIN") or default)
    if not os.access(path / "pulumi", os.X_OK):
        raise DemoError(f"the Pulumi engine is not built in {path}: run `make engine` (or `make demo`) first")
    return path


def pulumi_env(bin_dir: Path) -> dict[str, str]:
    """An offline environment: file backend, Pulumi home and passphrase in ``.state/demo``, engine and venv on PATH.

    Pulumi and ``DATAPROTECTION_*`` variables of the calling shell are dropped, so the demo always talks to the
    emulator, whatever the shell is set up for.
    """
    backend, home = STATE / "backend", STATE / "pulumi-home"
    backend.mkdir(parents=True, exist_ok=True)
    home.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PULUMI_", "DATAPROTECTION_"))}
    env.update(
        PULUMI_BACKEND_URL=backend.as_uri(),
        PULUMI_HOME=str(home),
        PULUMI_CONFIG_PASSPHRASE=PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK="true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
        PULUMI_DP_ENGINE_BIN=str(bin_dir),
        PULUMI_PYTHON_CMD=sys.executable,
        PATH=os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent), env.get("PATH", "")]),
    )
    return env


class Pulumi:
    """The engine's CLI run in the repository root (the root project) on the demo stack."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = dict(env)
        self.binary = str(Path(env["PULUMI_DP_ENGINE_BIN"]) / "pulumi")

    def run(self, *args: str, capture: bool = False, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """``pulumi ARGS --non-interactive`` (given ``stdin``); output goes to the terminal unless ``capture``."""
        command = [self.binary, *args, "--non-interactive"]
        result = subprocess.run(
            command, cwd=ROOT, env=self.env, text=True, capture_output=capture, check=False, input=stdin
        )
        if result.returncode != 0:
            detail = f":\n{result.stderr.strip() or result.stdout.strip()}" if capture else " (see the output above)"
            raise DemoError(f"`pulumi {' '.join(args)}` exited {result.returncode}{detail}")
        return result

    def json(self, *args: str) -> Any:
        """The parsed JSON output of ``pulumi ARGS --json``."""
        return json.loads(self.run(*args, "--json", capture=True).stdout or "null")


def stack_config_path() -> Path:
    """The demo stack's config file: ``Pulumi.demo.yaml`` in the root project's ``stackConfigDir``."""
    project = yaml.safe_load((ROOT / "Pulumi.yaml").read_text(encoding="utf-8"))
    return ROOT / str(project.get("stackConfigDir") or ".") / f"Pulumi.{STACK}.yaml"


def sample_config() -> dict[str, Any]:
    """The config of the sample emulator stack of examples/full (datasource ids, names, subscription)."""
    loaded = yaml.safe_load(SAMPLE_CONFIG.read_text(encoding="utf-8")) or {}
    config = loaded.get("config")
    if not isinstance(config, dict):
        raise DemoError(f"{SAMPLE_CONFIG} has no `config:` map")
    return config


def prepare_stack(pulumi: Pulumi, token: str) -> None:
    """Create or select the demo stack and complete its config: sample values for the keys it lacks (values set
    with ``pulumi config set`` stay) and the emulator's token, as a secret (given on stdin, never on a command
    line), and a random ownership key (``dataprotection:ownerKey``) the first time, so an interrupted create of the
    demo resumes as it would in a real stack.

    The emulator's endpoint is not stack config: its port changes with every run, and ``refresh`` and ``destroy``
    configure the provider from the config saved by the last update, so it comes from ``DATAPROTECTION_ENDPOINT``.
    """
    pulumi.run("stack", "select", "--create", STACK, capture=True)
    path = stack_config_path()
    loaded = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
    document: dict[str, Any] = loaded if isinstance(loaded, dict) else {}
    samples = {k: v for k, v in sample_config().items() if k not in ("dataprotection:endpoint", "dataprotection:token")}
    config = {**samples, **(document.get("config") or {})}
    if config != document.get("config"):
        document["config"] = config
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    pulumi.run("config", "set", "--secret", "dataprotection:token", "--stack", STACK, capture=True, stdin=token)
    if "dataprotection:ownerKey" not in config:
        key = secrets.token_urlsafe(32)
        pulumi.run("config", "set", "--secret", "dataprotection:ownerKey", "--stack", STACK, capture=True, stdin=key)


def demo_token(path: Path) -> str:
    """The emulator's token for this demo state: random, made on first use and kept (owner-only) in ``path``, so the
    provider configuration saved by the last update (which ``refresh`` and ``destroy`` use) stays valid."""
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secrets.token_urlsafe(32))
    return path.read_text(encoding="utf-8").strip()


def start() -> EmulatorHandle:
    """Start the emulator in the background on a free loopback port, on the demo's database and token."""
    db = STATE / "emulator" / "state.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    token = demo_token(db.parent / "token")
    try:
        handle = start_emulator(db_path=db, lro_seconds=LRO_SECONDS, retry_after=RETRY_AFTER, token=token)
    except RuntimeError as exc:
        raise DemoError(str(exc)) from exc
    log = (db.parent / "emulator.log").relative_to(ROOT)
    console.print(f"[bold]emulator[/] {handle.url} (database {db.relative_to(ROOT)}, log {log})")
    return handle


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def summary_tables(outputs: Mapping[str, Any]) -> list[Table]:
    """Tables of the vault, the policies (with their one-line summaries) and the instances, from stack outputs."""
    tables: list[Table] = []
    vault = outputs.get("vault")
    if isinstance(vault, Mapping):
        table = Table(title=f"Backup vault {_text(vault.get('name'))}", title_justify="left", show_header=False)
        table.add_column(style="bold")
        table.add_column()
        soft = f"{_text(vault.get('soft_delete_state'))}, {_text(vault.get('soft_delete_retention_days'))} days"
        for label, value in (
            ("location", vault.get("location")),
            ("redundancy", vault.get("redundancy")),
            ("soft delete", soft),
            ("identity principal", vault.get("principal_id")),
        ):
            table.add_row(label, _text(value))
        tables.append(table)
    policies = outputs.get("policies")
    if isinstance(policies, Mapping):
        table = Table(title="Backup policies", title_justify="left")
        for column in ("datasource", "policy", "schedule and retention"):
            table.add_column(column)
        for key, policy in policies.items():
            if isinstance(policy, Mapping):
                table.add_row(key, _text(policy.get("name")), _text(policy.get("summary")))
        tables.append(table)
    instances = outputs.get("instances")
    if isinstance(instances, Mapping):
        table = Table(title="Backup instances", title_justify="left")
        for column in ("datasource", "instance", "policy", "protection"):
            table.add_column(column)
        for key, instance in instances.items():
            if isinstance(instance, Mapping):
                state = _text(instance.get("protection_state"))
                style = "green" if state == "ProtectionConfigured" else "red"
                table.add_row(key, _text(instance.get("name")), _text(instance.get("policy")), f"[{style}]{state}[/]")
        tables.append(table)
    return tables


def change_summary(history: Sequence[Mapping[str, Any]]) -> str:
    """One sentence about the last operation of the stack, e.g. "update: 9 created" or "update: no changes"."""
    if not history:
        return "the stack has no history yet"
    last = history[0]
    changes = last.get("resourceChanges") or {}
    counts = {k: int(v) for k, v in changes.items() if int(v)}
    kind = _text(last.get("kind")) or "operation"
    result = _text(last.get("result"))
    if not any(k != "same" for k in counts):
        text = f"no changes ({counts.get('same', 0)} resources unchanged)"
    else:
        text = ", ".join(f"{n} {CHANGE_WORDS.get(k, k)}" for k, n in counts.items())
    return f"last {kind} {result}: {text}"


def print_summary(pulumi: Pulumi) -> None:
    """The stack outputs as tables, and what the last operation changed."""
    outputs = pulumi.json("stack", "output", "--stack", STACK) or {}
    history = pulumi.json("stack", "history", "--stack", STACK, "--page-size", "1") or []
    console.print()
    for table in summary_tables(outputs):
        console.print(table)
    console.print(f"[bold]{change_summary(history)}[/]")


def run_shell(env: Mapping[str, str], endpoint: str) -> int:
    """An interactive shell in the repository root with the demo environment; the emulator stops when it exits."""
    shell = os.environ.get("SHELL") or "/bin/bash"
    console.print(
        f"Emulator at {endpoint}; stack [bold]{STACK}[/] of the root project is selected.\n"
        "Try: pulumi preview | pulumi refresh | pulumi destroy | pulumi stack export. Exit the shell to stop the "
        "emulator."
    )
    return subprocess.run([shell], cwd=ROOT, env=dict(env), check=False).returncode


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """``COMMAND [PULUMI ARGS...]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("command", nargs="?", default="up", choices=[*PULUMI_COMMANDS, "shell", "summary"])
    parser.add_argument("pulumi_args", nargs=argparse.REMAINDER, help="extra arguments for pulumi")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one demo command; returns the process exit code."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        env = pulumi_env(engine_bin())
        pulumi = Pulumi(env)
        if args.command == "summary":
            print_summary(pulumi)
            return 0
        started = time.monotonic()
        handle = start()
        try:
            pulumi.env["DATAPROTECTION_ENDPOINT"] = handle.url
            prepare_stack(pulumi, handle.token)
            if args.command == "shell":
                return run_shell(pulumi.env, handle.url)
            extra = AUTO_FLAGS.get(args.command, [])
            pulumi.run(args.command, "--stack", STACK, *extra, *args.pulumi_args)
            if args.command != "preview":
                print_summary(pulumi)
        finally:
            handle.stop()
        console.print(
            f"emulator stopped; `{args.command}` took {time.monotonic() - started:.1f}s "
            f"(state in {STATE.relative_to(ROOT)})"
        )
        return 0
    except DemoError as exc:
        console.print(f"[red]demo: {exc}[/]")
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
