"""One benchmark stack: a throwaway Pulumi project and file backend, timed CLI commands, the dynamic-provider
process's CPU time (through ``bench/probe/sitecustomize.py``) and the size of the exported state."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench.programs import NOOP_MODULE, NOOP_PROVIDER, SUBSCRIPTION, noop_program, real_program
from tests.support.engine import make_pulumi_env, run_pulumi, write_project

PROBE_DIR = Path(__file__).resolve().parent / "probe"
_LEAKY_ENV = ("DATAPROTECTION_", "AZURE_", "ARM_")
COMMAND_TIMEOUT = 1800.0


@dataclass(frozen=True)
class Timed:
    """One CLI command: wall seconds, the provider process's CPU seconds (None when not recorded), the files it
    imported the ``pulumi_dataprotection`` package from, and the output."""

    command: str
    seconds: float
    provider_cpu: float | None
    provider_packages: tuple[str, ...]
    stdout: str
    stderr: str


class BenchStack:
    """A project (real or no-op program) with one stack ``bench`` whose config points at an emulator."""

    def __init__(self, root: Path, bin_dir: Path, *, kind: str, vaults: int, instances: int) -> None:
        if kind not in ("real", "noop"):
            raise ValueError(f"kind must be real or noop, not {kind!r}")
        self.root = root
        self.kind = kind
        self.vaults = vaults
        self.instances = instances
        self.project = root / "project"
        self.cpu_dir = root / "provider-cpu"
        if root.exists():
            shutil.rmtree(root)
        self.cpu_dir.mkdir(parents=True)
        env = make_pulumi_env(bin_dir, root / "pulumi-state")
        env = {k: v for k, v in env.items() if not k.startswith(_LEAKY_ENV)}
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROBE_DIR), env.get("PYTHONPATH", "")) if p)
        env["BENCH_PROVIDER_CPU_DIR"] = str(self.cpu_dir)
        self.env = env
        if kind == "real":
            write_project(self.project, real_program(), name="bench")
        else:
            write_project(self.project, noop_program(), name="bench-noop", modules={NOOP_MODULE: NOOP_PROVIDER})
        run_pulumi(["stack", "init", "bench"], cwd=self.project, env=self.env)

    def configure(self, endpoint: str | None, token: str | None, extra: Mapping[str, Any] | None = None) -> None:
        """Write the stack config: size, and for the real program the emulator's endpoint and token (a secret)."""
        config: dict[str, Any] = {"bench:vaults": self.vaults, "bench:instances": self.instances}
        if self.kind == "real":
            config.update({"dataprotection:endpoint": endpoint, "dataprotection:subscriptionId": SUBSCRIPTION})
        config.update(extra or {})
        path = self.project / "Pulumi.bench.yaml"
        document = (yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None) or {}
        document["config"] = config
        path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        if self.kind == "real" and token is not None:
            self.pulumi("config", "set", "--secret", "dataprotection:token", token)

    def pulumi(self, *args: str, check: bool = True) -> Timed:
        """Run ``pulumi ARGS --stack bench`` and time it."""
        for stale in self.cpu_dir.glob("*.json"):
            stale.unlink()
        started = time.monotonic()
        result = run_pulumi(
            [*args, "--stack", "bench"], cwd=self.project, env=self.env, check=check, timeout=COMMAND_TIMEOUT
        )
        seconds = time.monotonic() - started
        records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(self.cpu_dir.glob("*.json"))]
        cpu = float(sum(r["user"] + r["system"] for r in records)) if records else None
        packages = tuple(sorted({str(r["package"]) for r in records if r.get("package")}))
        return Timed(" ".join(args), seconds, cpu, packages, result.stdout, result.stderr)

    def up(self) -> Timed:
        """``pulumi up --yes --skip-preview`` (the create/no-change run itself, without its preview)."""
        return self.pulumi("up", "--yes", "--skip-preview")

    def preview(self) -> Timed:
        """``pulumi preview`` (no refresh)."""
        return self.pulumi("preview")

    def destroy(self, *, check: bool = True) -> Timed:
        """``pulumi destroy --yes --skip-preview``."""
        return self.pulumi("destroy", "--yes", "--skip-preview", check=check)

    def export(self) -> dict[str, Any]:
        """``pulumi stack export``."""
        exported: dict[str, Any] = json.loads(self.pulumi("stack", "export").stdout)
        return exported
