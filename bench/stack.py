"""One benchmark stack: a throwaway Pulumi project and file backend, timed CLI commands, the CPU time and peak
memory of the dynamic-provider and program processes (through ``bench/probe/sitecustomize.py``) and of the CLI,
and the size of the exported state."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bench.programs import (
    NOOP_MODULE,
    NOOP_PROVIDER,
    SHAPE_FILE,
    SHAPE_PROVIDER,
    SUBSCRIPTION,
    noop_program,
    real_program,
    shape_program,
)
from tests.support.engine import make_pulumi_env, run_pulumi, write_project

PROBE_DIR = Path(__file__).resolve().parent / "probe"
_LEAKY_ENV = ("DATAPROTECTION_", "AZURE_", "ARM_")
COMMAND_TIMEOUT = 1800.0


@dataclass(frozen=True)
class Timed:
    """One CLI command: wall seconds, the provider processes' CPU seconds (None when not recorded), the files they
    imported the ``pulumi_dataprotection`` package from, the program process's CPU seconds, peak resident memory
    (KiB) of the provider process, the program process and the ``pulumi`` CLI process (the engine), the output,
    and the CPU seconds of every process of the command (the CLI's children reaped by it included)."""

    command: str
    seconds: float
    provider_cpu: float | None
    provider_packages: tuple[str, ...]
    stdout: str
    stderr: str
    program_cpu: float | None = None
    provider_rss_kib: int | None = None
    program_rss_kib: int | None = None
    engine_rss_kib: int | None = None
    tree_cpu: float | None = None

    @property
    def engine_cpu(self) -> float | None:
        """CPU seconds of the command's processes other than the provider and the program: the CLI and the
        language host (the engine)."""
        if self.tree_cpu is None:
            return None
        return self.tree_cpu - (self.provider_cpu or 0.0) - (self.program_cpu or 0.0)


def _peak_rss_kib(pid: int) -> int | None:
    """``VmHWM`` (peak resident set, KiB) of a live process, or None."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None


def run_sampled(command: list[str], cwd: Path, env: dict[str, str], timeout: float) -> tuple[str, str, int, int | None]:
    """Run ``command``; its stdout, stderr, exit code and peak resident memory in KiB (``VmHWM`` read every 20 ms
    while it runs; None where ``/proc`` is missing)."""
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak: list[int] = []
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            value = _peak_rss_kib(process.pid)
            if value is not None:
                peak.append(value)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    finally:
        done.set()
        sampler.join()
    return stdout, stderr, process.returncode, max(peak) if peak else None


class BenchStack:
    """A project (real, no-op or shape-twin program; the shape twin needs ``shape``, see ``programs.SHAPE_FILE``)
    with one stack ``bench`` whose config points at an emulator."""

    def __init__(
        self,
        root: Path,
        bin_dir: Path,
        *,
        kind: str,
        vaults: int,
        instances: int,
        shape: Mapping[str, Any] | None = None,
    ) -> None:
        if kind not in ("real", "noop", "shape"):
            raise ValueError(f"kind must be real, noop or shape, not {kind!r}")
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
        elif kind == "noop":
            write_project(self.project, noop_program(), name="bench-noop", modules={NOOP_MODULE: NOOP_PROVIDER})
        else:
            if shape is None:
                raise ValueError("the shape twin needs the real stack's shape")
            modules = {NOOP_MODULE: SHAPE_PROVIDER, SHAPE_FILE: json.dumps(shape)}
            write_project(self.project, shape_program(), name="bench-shape", modules=modules)
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
        command = [str(Path(self.env["PULUMI_DP_ENGINE_BIN"]) / "pulumi"), *args, "--stack", "bench"]
        command += ["--non-interactive", "--color=never"]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        stdout, stderr, code, engine_rss = run_sampled(command, self.project, self.env, COMMAND_TIMEOUT)
        seconds = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        tree_cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        if check and code != 0:
            raise AssertionError(
                f"`pulumi {' '.join(args)}` exited {code}\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}"
            )
        records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(self.cpu_dir.glob("*.json"))]
        providers = [r for r in records if r.get("kind", "provider") == "provider"]
        programs = [r for r in records if r.get("kind") == "program"]
        return Timed(
            " ".join(args),
            seconds,
            _cpu(providers),
            tuple(sorted({str(r["package"]) for r in providers if r.get("package")})),
            stdout,
            stderr,
            program_cpu=_cpu(programs),
            provider_rss_kib=_rss(providers),
            program_rss_kib=_rss(programs),
            engine_rss_kib=engine_rss,
            tree_cpu=tree_cpu,
        )

    def up(self) -> Timed:
        """``pulumi up --yes --skip-preview`` (the create/no-change run itself, without its preview)."""
        return self.pulumi("up", "--yes", "--skip-preview")

    def preview(self) -> Timed:
        """``pulumi preview`` (no refresh)."""
        return self.pulumi("preview")

    def destroy(self, *, check: bool = True) -> Timed:
        """``pulumi destroy --yes --skip-preview``."""
        return self.pulumi("destroy", "--yes", "--skip-preview", check=check)

    def set_config(self, key: str, value: str) -> None:
        """``pulumi config set KEY VALUE``."""
        self.pulumi("config", "set", key, value)

    def export(self) -> dict[str, Any]:
        """``pulumi stack export``."""
        exported: dict[str, Any] = json.loads(self.pulumi("stack", "export").stdout)
        return exported


def _cpu(records: list[dict[str, Any]]) -> float | None:
    return float(sum(r["user"] + r["system"] for r in records)) if records else None


def _rss(records: list[dict[str, Any]]) -> int | None:
    return max(int(r["max_rss_kib"]) for r in records) if records else None
