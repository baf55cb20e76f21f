"""Run the benchmark scenarios (S1 create, S2 no-change, S3 peer, S4 per operation) and collect their figures.

Every stack gets its own emulator subprocess (``python -m pulumi_dataprotection.emulator``) with LRO time L and
Retry-After R,
its own Pulumi file backend under the work directory, and the provider's default configuration (only the
endpoint, the token and the subscription are set), so the figures are what a user gets out of the box.
"""

from __future__ import annotations

import compileall
import hashlib
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bench import analysis, micro, programs
from bench.bound import FORMULA, create_bound
from bench.peer import PURGE_SECONDS, SDK_DEFAULT_POLLING_INTERVAL, Plan, run_peer
from bench.programs import POLICIES_PER_VAULT, resource_count
from bench.stack import BenchStack, Timed
from pulumi_dataprotection.emulator import EmulatorHandle, start_emulator
from tests.support.engine import ENGINE_VERSION, engine_bin_dir

REPO_ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DIR = REPO_ROOT / "provider" / "pulumi_dataprotection"
Size = tuple[int, int]
"""(instances, vaults)."""
SCENARIOS = ("s1", "s2", "s3", "s4", "scale")
SCALE_CONFIG = {"dataprotection:pollMinInterval": "0.1", "dataprotection:pollMaxInterval": "0.5"}
"""The scale scenario's provider configuration: its emulator answers ``Retry-After: 0``, so polls are bounded here."""


@dataclass(frozen=True)
class Settings:
    """What to run: emulator timings, the S1 sizes (and those run again with ``pollMaxInterval`` = R), which sizes
    S2/S3 use and how often S2 repeats, the scale sizes and their emulator's LRO time, and which scenarios run."""

    lro: float = 2.0
    retry_after: int = 1
    sizes: tuple[Size, ...] = ((1, 1), (1, 4), (10, 1), (10, 4), (40, 4))
    headline: Size = (40, 4)
    peer_default: Size = (1, 1)
    peer_tuned: Size = (10, 4)
    tuned_sizes: tuple[Size, ...] = ((40, 4),)
    s2_sizes: tuple[Size, ...] = ((40, 4), (1, 1))
    repeat: int = 3
    scale_sizes: tuple[Size, ...] = ((50, 5), (200, 20), (500, 50))
    scale_lro: float = 0.1
    scenarios: tuple[str, ...] = ("s1", "s2", "s3", "s4", "scale")
    work_dir: Path = REPO_ROOT / ".state" / "bench"


def log(message: str) -> None:
    """Progress on stderr, with the time of day."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def machine() -> dict[str, Any]:
    """The machine and the code the figures come from."""
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        first = meminfo.read_text(encoding="utf-8").splitlines()[0]
        memory = round(int(first.split()[1]) / 1024 / 1024, 1)

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    return {
        "os": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": memory,
        "python": platform.python_version(),
        "pulumi": ENGINE_VERSION,
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes": bool(git("status", "--porcelain")),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


@dataclass
class Case:
    """One S1 size with its emulator and stack (kept alive while S2/S3 still need them)."""

    size: Size
    handle: EmulatorHandle
    stack: BenchStack
    create: Timed
    create_log: list[dict[str, Any]]
    results: dict[str, Any] = field(default_factory=dict)

    @property
    def resources(self) -> int:
        """Resources of the stack."""
        return resource_count(self.size[1], self.size[0])


class Bench:
    """One benchmark run: settings, the engine, live cases and the results being collected."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.bin_dir = engine_bin_dir()
        self.cases: dict[Size, Case] = {}
        self.tuned_headline: Case | None = None
        self.results: dict[str, Any] = {}
        self.work = settings.work_dir
        if self.work.exists():
            shutil.rmtree(self.work)
        self.work.mkdir(parents=True)
        self.snapshot, self.snapshot_digest = snapshot_provider(self.work / "snapshot")
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(self.snapshot), os.environ.get("PYTHONPATH")) if p)

    def check_snapshot(self, timed: Timed) -> None:
        """Fail unless the dynamic-provider process imported ``pulumi_dataprotection`` from the run's snapshot."""
        strays = [p for p in timed.provider_packages if not Path(p).is_relative_to(self.snapshot)]
        if strays or not timed.provider_packages:
            raise RuntimeError(
                f"`pulumi {timed.command}`: the provider process imported pulumi_dataprotection "
                f"from {strays or 'nowhere'}, "
                f"not from the snapshot {self.snapshot}"
            )

    def emulator(self, name: str, *, tls: bool = False) -> EmulatorHandle:
        """A fresh emulator subprocess with the run's L and R, its database under the work directory."""
        db = self.work / "emulators" / name / "state.db"
        db.parent.mkdir(parents=True, exist_ok=True)
        return start_emulator(lro_seconds=self.settings.lro, retry_after=self.settings.retry_after, db_path=db, tls=tls)

    @contextmanager
    def scenario(self, key: str) -> Iterator[dict[str, Any]]:
        """Collect one scenario's results under ``key``; an exception is recorded there and the run goes on."""
        slot: dict[str, Any] = self.results.setdefault(key, {})
        started = time.monotonic()
        log(f"{key}: start")
        try:
            yield slot
        except Exception as exc:
            slot["error"] = f"{type(exc).__name__}: {exc}"[-4000:]
            log(f"{key}: FAILED\n{traceback.format_exc()}")
        slot["scenario_seconds"] = round(time.monotonic() - started, 1)
        log(f"{key}: done in {slot['scenario_seconds']}s")

    # -- S1 ------------------------------------------------------------------------------------------------------

    def s1(self) -> None:
        """``pulumi up`` creating each size on a fresh emulator; wall time against the critical-path bound. Then
        the ``tuned_sizes`` again with ``dataprotection:pollMaxInterval`` = R, to separate polling from the rest."""
        keep = {self.settings.headline, self.settings.peer_default, self.settings.peer_tuned, *self.settings.s2_sizes}
        with self.scenario("s1_create") as slot:
            slot["formula"] = FORMULA
            slot["runs"] = runs = []
            for size in self.settings.sizes:
                case, row = self._create(size, f"s1-{size[0]}x{size[1]}", {})
                runs.append(row)
                if size in keep:
                    self.cases[size] = case
                else:
                    case.handle.stop()
            slot["tuned_runs"] = tuned = []
            poll = self.tuned_config()
            for size in self.settings.tuned_sizes:
                case, row = self._create(size, f"s1-tuned-{size[0]}x{size[1]}", poll)
                tuned.append(row)
                if size == self.settings.headline:
                    self.tuned_headline = case
                else:
                    case.handle.stop()

    def tuned_config(self) -> dict[str, Any]:
        """The provider config of the tuned runs: poll at most every R seconds (a documented setting)."""
        return {"dataprotection:pollMaxInterval": f"{self.settings.retry_after}s"}

    def _create(self, size: Size, name: str, config: dict[str, Any]) -> tuple[Case, dict[str, Any]]:
        """Create one stack of ``size`` on a fresh emulator with extra provider ``config``; its S1 figures."""
        instances, vaults = size
        log(f"s1: N={instances} over V={vaults} {config or ''}")
        handle = self.emulator(name)
        stack = BenchStack(self.work / name, self.bin_dir, kind="real", vaults=vaults, instances=instances)
        stack.configure(handle.url, handle.token, config)
        handle.clear_request_log()
        create = stack.up()
        self.check_snapshot(create)
        entries = handle.request_log()
        case = Case(size, handle, stack, create, entries)
        (self.work / name / "create-requests.json").write_text(json.dumps(entries), encoding="utf-8")
        timelines = analysis.instance_timelines(entries, analysis.operations(_db(handle)))
        bound = create_bound(instances, vaults, self.settings.lro)
        row = {
            "instances": instances,
            "vaults": vaults,
            "policies": vaults * POLICIES_PER_VAULT,
            "resources": case.resources,
            "config": config,
            "wall_s": round(create.seconds, 2),
            "bound_s": bound.seconds,
            "bound_limited_by": bound.limited_by,
            "bound_terms_s": {"vaults": bound.vault_term, "engine": bound.engine_term, "service": bound.service_term},
            "ratio": round(create.seconds / bound.seconds, 2),
            "requests": analysis.RequestCounts.of(entries).to_json(),
            "provider_cpu_s": _round(create.provider_cpu),
            "provider_cpu_ms_per_resource": _per(create.provider_cpu, case.resources),
            "instance_timelines": timelines.to_json(),
        }
        log(f"s1: N={instances} V={vaults}: {row['wall_s']}s, bound {bound.seconds}s, x{row['ratio']}")
        return case, row

    # -- S2 ------------------------------------------------------------------------------------------------------

    def s2(self) -> None:
        """No-change ``pulumi preview`` and ``pulumi up`` of the S2 stacks (the headline stack first) against their
        no-op twin and their shape twin, alternating, ``repeat`` times."""
        with self.scenario("s2_no_change") as slot:
            slot["repeat"] = self.settings.repeat
            slot["runs"] = runs = []
            for size in self.settings.s2_sizes:
                case = self.cases.get(size)
                if case is None:
                    raise RuntimeError(f"the S1 stack {size} was not created")
                runs.append(self._no_change(case))

    def _no_change(self, case: Case) -> dict[str, Any]:
        """S2 on one stack: wall time, requests and CPU per process of ours, the no-op twin and the shape twin."""
        instances, vaults = case.size
        log(f"s2: N={instances} V={vaults}")
        name = f"s2-{instances}x{vaults}"
        twins = {
            "noop": BenchStack(
                self.work / f"{name}-noop", self.bin_dir, kind="noop", vaults=vaults, instances=instances
            ),
            "shape": BenchStack(
                self.work / f"{name}-shape",
                self.bin_dir,
                kind="shape",
                vaults=vaults,
                instances=instances,
                shape=programs.shape(case.stack.export()),
            ),
        }
        row: dict[str, Any] = {"size": {"instances": instances, "vaults": vaults, "resources": case.resources}}
        for kind, twin in twins.items():
            twin.configure(None, None)
            row[f"{kind}_create_s"] = round(twin.up().seconds, 2)
        samples: dict[str, list[Timed]] = {}
        counts: dict[str, list[analysis.RequestCounts]] = {"preview": [], "up": []}
        for _ in range(self.settings.repeat):
            for command in ("preview", "up"):
                mark = _last_seq(case.handle)
                samples.setdefault(f"real {command}", []).append(getattr(case.stack, command)())
                counts[command].append(analysis.RequestCounts.of(case.handle.request_log(mark)))
                for kind, twin in twins.items():
                    samples.setdefault(f"{kind} {command}", []).append(getattr(twin, command)())
        for command in ("preview", "up"):
            medians = {kind: _medians(samples[f"{kind} {command}"]) for kind in ("real", "noop", "shape")}
            row[command] = {
                "real_s": [round(t.seconds, 2) for t in samples[f"real {command}"]],
                "noop_s": [round(t.seconds, 2) for t in samples[f"noop {command}"]],
                "shape_s": [round(t.seconds, 2) for t in samples[f"shape {command}"]],
                "real_median_s": medians["real"]["wall_s"],
                "noop_median_s": medians["noop"]["wall_s"],
                "shape_median_s": medians["shape"]["wall_s"],
                "ratio": round(medians["real"]["wall_s"] / medians["noop"]["wall_s"], 2),
                "shape_ratio": round(medians["shape"]["wall_s"] / medians["noop"]["wall_s"], 2),
                "cpu_ratio": _cpu_ratio(medians["real"], medians["noop"]),
                "shape_cpu_ratio": _cpu_ratio(medians["shape"], medians["noop"]),
                "cpu_s": medians,
                "requests": max(c.total for c in counts[command]),
                "writes": max(c.writes for c in counts[command]),
                "provider_cpu_s": medians["real"]["provider_cpu_s"],
                "provider_cpu_ms_per_resource": _per(medians["real"]["provider_cpu_s"], case.resources),
            }
        return row

    # -- Scale ---------------------------------------------------------------------------------------------------

    def scale(self) -> None:
        """How a no-change preview and a one-instance change grow with the stack: per size, a fresh emulator at the
        scale timings, a create, a no-change ``pulumi preview`` (and the no-op twin's), then one instance moved to
        its vault's other policy: ``pulumi preview`` and ``pulumi up`` of that change. Time, requests, CPU and peak
        memory of the provider, the program and the CLI."""
        with self.scenario("scale") as slot:
            slot["lro_seconds"] = self.settings.scale_lro
            slot["retry_after_seconds"] = 0
            slot["provider_config"] = SCALE_CONFIG
            slot["runs"] = [self._scale(size) for size in self.settings.scale_sizes]

    def _scale(self, size: Size) -> dict[str, Any]:
        instances, vaults = size
        resources = resource_count(vaults, instances)
        name = f"scale-{instances}x{vaults}"
        log(f"scale: N={instances} over V={vaults}")
        db = self.work / "emulators" / name / "state.db"
        db.parent.mkdir(parents=True, exist_ok=True)
        handle = start_emulator(lro_seconds=self.settings.scale_lro, retry_after=0, db_path=db)
        try:
            stack = BenchStack(self.work / name, self.bin_dir, kind="real", vaults=vaults, instances=instances)
            stack.configure(handle.url, handle.token, SCALE_CONFIG)
            row: dict[str, Any] = {"instances": instances, "vaults": vaults, "resources": resources}

            def measured(key: str, run: Callable[[], Timed]) -> None:
                mark = _last_seq(handle)
                timed = run()
                self.check_snapshot(timed)
                row[key] = {
                    **_figures(timed, resources),
                    "requests": analysis.RequestCounts.of(handle.request_log(mark)).to_json(),
                }
                log(f"scale: N={instances} {key}: {row[key]['wall_s']} s, {row[key]['requests']['total']} requests")

            measured("create", stack.up)
            measured("no_change_preview", stack.preview)
            noop = BenchStack(self.work / f"{name}-noop", self.bin_dir, kind="noop", vaults=vaults, instances=instances)
            noop.configure(None, None)
            noop.up()
            row["noop_no_change_preview"] = _figures(noop.preview(), resources)
            row["no_change_preview_ratio"] = round(
                row["no_change_preview"]["wall_s"] / row["noop_no_change_preview"]["wall_s"], 2
            )
            stack.set_config("bench:changed", "0")
            measured("change_preview", stack.preview)
            measured("change_up", stack.up)
            state = micro.state_sizes(stack.export())
            row["state_bytes"] = sum(int(t["count"]) * float(t["mean_bytes"]) for t in state.values())
            return row
        finally:
            handle.stop()

    # -- S3 ------------------------------------------------------------------------------------------------------

    def s3(self) -> None:
        """Our create + destroy against the SDK doing the same sequentially (default pollers, and tuned)."""
        with self.scenario("s3_peer") as slot:
            slot["comparisons"] = rows = []
            peers = ((self.settings.peer_default, None), (self.settings.peer_tuned, float(self.settings.retry_after)))
            for size, interval in peers:
                case = self.cases.get(size)
                if case is None:
                    raise RuntimeError(f"the S1 stack {size} was not created")
                ours = self._destroy(case)
                log(f"s3: SDK on N={size[0]} V={size[1]}, polling_interval={interval or 'default'}")
                peer_handle = self.emulator(f"s3-sdk-{size[0]}x{size[1]}", tls=True)
                try:
                    peer = run_peer(
                        peer_handle,
                        Plan.from_log(case.create_log),
                        polling_interval=interval,
                        protection_poll=float(self.settings.retry_after),
                    )
                    peer_log = peer_handle.request_log()
                    peer_ops = analysis.operations(_db(peer_handle))
                finally:
                    peer_handle.stop()
                sdk_total = peer.create_seconds + peer.delete_seconds
                instances, vaults = self.settings.headline
                rows.append(
                    {
                        "instances": size[0],
                        "vaults": size[1],
                        "ours": ours,
                        "sdk": {
                            "polling_interval_s": interval if interval is not None else SDK_DEFAULT_POLLING_INTERVAL,
                            "polling_interval_is_default": interval is None,
                            "create_s": round(peer.create_seconds, 2),
                            "delete_s": round(peer.delete_seconds, 2),
                            "total_s": round(sdk_total, 2),
                            "requests": analysis.RequestCounts.of(peer_log).to_json(),
                            "mean_step_s": {k: round(peer.mean_step(k), 2) for k in sorted(peer.steps)},
                            "lro": [s.to_json() for s in analysis.lro_stats(peer_log, peer_ops)],
                        },
                        "ratio_ours_to_sdk": round(ours["total_s"] / sdk_total, 3),
                        "sdk_extrapolated_to_headline_s": round(
                            peer.extrapolate(vaults, vaults * POLICIES_PER_VAULT, instances), 1
                        ),
                    }
                )
            headline = self.cases.get(self.settings.headline)
            if headline is None:
                raise RuntimeError(f"the S1 stack {self.settings.headline} was not created")
            slot["headline"] = ours = self._destroy(headline)
            if self.tuned_headline is not None:
                slot["headline_tuned"] = {**self._destroy(self.tuned_headline), "config": self.tuned_config()}
            for row in rows:
                row["headline_ratio_ours_to_sdk_extrapolated"] = round(
                    ours["total_s"] / row["sdk_extrapolated_to_headline_s"], 3
                )
                if "headline_tuned" in slot:
                    row["headline_tuned_ratio_ours_to_sdk_extrapolated"] = round(
                        slot["headline_tuned"]["total_s"] / row["sdk_extrapolated_to_headline_s"], 3
                    )

    def _destroy(self, case: Case) -> dict[str, Any]:
        """``pulumi destroy`` of a case (once): times and requests of its create and of the destroy."""
        if "destroy" in case.results:
            return dict(case.results["destroy"])
        log(f"destroy N={case.size[0]} V={case.size[1]}")
        mark = _last_seq(case.handle)
        destroy = case.stack.destroy(check=False)
        runs = 1
        if "UserErrorBackupVaultHasBackupInstances" in destroy.stdout + destroy.stderr:
            # The vaults hold the soft-deleted instances until they are purged (Azure's rule): move the emulator's
            # clock past the retention and run destroy again, as a user would two weeks later; times are summed.
            case.handle.advance_clock(PURGE_SECONDS)
            again = case.stack.destroy()
            runs = 2
            cpu = (
                None
                if destroy.provider_cpu is None or again.provider_cpu is None
                else destroy.provider_cpu + again.provider_cpu
            )
            destroy = replace(again, seconds=destroy.seconds + again.seconds, provider_cpu=cpu)
        entries = case.handle.request_log(mark)
        (case.stack.root / "destroy-requests.json").write_text(json.dumps(entries), encoding="utf-8")
        created = analysis.RequestCounts.of(case.create_log)
        deleted = analysis.RequestCounts.of(entries)
        case.results["destroy"] = {
            "instances": case.size[0],
            "vaults": case.size[1],
            "create_s": round(case.create.seconds, 2),
            "delete_s": round(destroy.seconds, 2),
            "destroy_runs": runs,
            "total_s": round(case.create.seconds + destroy.seconds, 2),
            "requests": created.total + deleted.total,
            "create_requests": created.to_json(),
            "delete_requests": deleted.to_json(),
            "destroy_provider_cpu_s": _round(destroy.provider_cpu),
            "destroy_provider_cpu_ms_per_resource": _per(destroy.provider_cpu, case.resources),
            "destroy_log": entries,
        }
        out = dict(case.results["destroy"])
        out.pop("destroy_log")
        return out

    # -- S4 ------------------------------------------------------------------------------------------------------

    def s4(self) -> None:
        """Polls per operation, noticing delays, cold start and state size, from the headline stack's create."""
        with self.scenario("s4_per_operation") as slot:
            case = self.cases.get(self.settings.headline)
            if case is None:
                raise RuntimeError(f"the S1 stack {self.settings.headline} was not created")
            db = _db(case.handle)
            ops = analysis.operations(db)
            destroy_log = case.results.get("destroy", {}).get("destroy_log", [])
            slot["lro"] = [s.to_json() for s in analysis.lro_stats([*case.create_log, *destroy_log], ops)]
            slot["polls_target"] = math.ceil(self.settings.lro / self.settings.retry_after) + 1
            slot["notice_target_s"] = self.settings.retry_after
            slot["protection_notice_s"] = analysis.protection_notice(
                case.create_log, self._protection_ready(case)
            ).to_json()
            slot["state"] = self._state_sizes(case)
            slot["cold_start"] = micro.cold_start(self.snapshot)
            slot["top_imports_after_host"] = micro.top_imports(self.snapshot)
            slot["first_call"] = micro.first_call(self.snapshot, case.handle.url, case.handle.token)

    def _protection_ready(self, case: Case) -> dict[str, float]:
        ready = case.results.get("protection_ready")
        if ready is None:
            ready = case.results["protection_ready"] = analysis.protection_ready(_db(case.handle))
        return dict(ready)

    def _state_sizes(self, case: Case) -> dict[str, Any]:
        sizes = case.results.get("state")
        if sizes is None:
            sizes = case.results["state"] = micro.state_sizes(case.stack.export())
        return dict(sizes)

    def snapshot_before_destroy(self) -> None:
        """Read what S4 needs from the headline stack before S3 destroys it (protection times, state export)."""
        case = self.cases.get(self.settings.headline)
        if case is not None:
            self._protection_ready(case)
            self._state_sizes(case)

    def close(self) -> None:
        """Stop every emulator still running."""
        for case in self.cases.values():
            case.handle.stop()
        self.cases.clear()
        if self.tuned_headline is not None:
            self.tuned_headline.handle.stop()
            self.tuned_headline = None


def snapshot_provider(target: Path) -> tuple[Path, str]:
    """Copy the ``pulumi_dataprotection`` package to ``target`` (put first on PYTHONPATH for every process the
    run starts) so
    that the whole run measures one version of it even if the working tree changes meanwhile; return the directory
    and a digest of the copied files. The copy is compiled to bytecode, as ``pip install`` does: otherwise, where
    ``PYTHONDONTWRITEBYTECODE`` is set, every process of the run would compile the package from source again."""
    shutil.copytree(PACKAGE_DIR, target / PACKAGE_DIR.name, ignore=shutil.ignore_patterns("__pycache__"))
    digest = hashlib.sha256()
    for path in sorted((target / PACKAGE_DIR.name).rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(target).as_posix().encode())
            digest.update(path.read_bytes())
    if not compileall.compile_dir(target / PACKAGE_DIR.name, quiet=1):
        raise RuntimeError(f"could not compile the provider snapshot in {target}")
    return target, digest.hexdigest()[:16]


def _db(handle: EmulatorHandle) -> Path:
    if handle.db_path is None:
        raise RuntimeError("the emulator has no database path")
    return Path(handle.db_path)


def _last_seq(handle: EmulatorHandle) -> int:
    entries = handle.request_log()
    return int(entries[-1]["seq"]) if entries else 0


def _figures(timed: Timed, resources: int) -> dict[str, Any]:
    """Wall seconds, CPU seconds and peak memory (MiB) per process of one command."""
    return {
        "wall_s": round(timed.seconds, 2),
        "provider_cpu_s": _round(timed.provider_cpu),
        "provider_cpu_ms_per_resource": _per(timed.provider_cpu, resources),
        "program_cpu_s": _round(timed.program_cpu),
        "engine_cpu_s": _round(timed.engine_cpu),
        "provider_rss_mib": _mib(timed.provider_rss_kib),
        "program_rss_mib": _mib(timed.program_rss_kib),
        "engine_rss_mib": _mib(timed.engine_rss_kib),
    }


def _medians(samples: list[Timed]) -> dict[str, Any]:
    """Median wall and CPU seconds per process over repeated runs of one command."""

    def median(values: list[float | None]) -> float | None:
        known = [v for v in values if v is not None]
        return round(statistics.median(known), 3) if known else None

    return {
        "wall_s": None if not samples else round(statistics.median(t.seconds for t in samples), 2),
        "provider_cpu_s": median([t.provider_cpu for t in samples]),
        "program_cpu_s": median([t.program_cpu for t in samples]),
        "engine_cpu_s": median([t.engine_cpu for t in samples]),
    }


def _cpu_ratio(ours: dict[str, Any], floor: dict[str, Any]) -> float | None:
    """Ratio of the CPU seconds of every process of a command (steadier than wall time on a shared machine)."""
    keys = ("provider_cpu_s", "program_cpu_s", "engine_cpu_s")
    if any(ours[k] is None or floor[k] is None for k in keys):
        return None
    return round(float(sum(ours[k] for k in keys)) / float(sum(floor[k] for k in keys)), 2)


def _mib(kib: int | None) -> float | None:
    return None if kib is None else round(kib / 1024, 1)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _per(cpu: float | None, resources: int) -> float | None:
    return None if cpu is None or not resources else round(cpu * 1000 / resources, 1)


def run_all(settings: Settings) -> dict[str, Any]:
    """Run S1, S2, S3 and S4 and return every figure (JSON-ready)."""
    started = time.monotonic()
    info = machine()
    bench = Bench(settings)
    chosen = set(settings.scenarios)
    try:
        if chosen & {"s1", "s2", "s3", "s4"}:
            bench.s1()
        if "s2" in chosen:
            bench.s2()
        bench.snapshot_before_destroy()
        if "s3" in chosen:
            bench.s3()
        if "s4" in chosen:
            bench.s4()
        if "scale" in chosen:
            bench.scale()
    finally:
        bench.close()
    info["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    info["provider_snapshot_sha256"] = bench.snapshot_digest
    return {
        "date": time.strftime("%Y-%m-%d"),
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": info,
        "settings": {
            "lro_seconds": settings.lro,
            "retry_after_seconds": settings.retry_after,
            "sizes": [{"instances": n, "vaults": v} for n, v in settings.sizes],
            "tuned_sizes": [{"instances": n, "vaults": v} for n, v in settings.tuned_sizes],
            "headline": {"instances": settings.headline[0], "vaults": settings.headline[1]},
            "s2_repeat": settings.repeat,
            "s2_sizes": [{"instances": n, "vaults": v} for n, v in settings.s2_sizes],
            "scale_sizes": [{"instances": n, "vaults": v} for n, v in settings.scale_sizes],
            "scenarios": list(settings.scenarios),
            "provider_config": "defaults (only endpoint, token and subscriptionId set)",
        },
        **bench.results,
        "total_seconds": round(time.monotonic() - started, 1),
    }
