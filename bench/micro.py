"""Per-process and per-resource costs: the provider's import time in a fresh interpreter (cold start), the
biggest imports, time to the first ARM call, and the bytes each resource takes in ``pulumi stack export``."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

CRUD_MODULES = (
    "pulumi_dataprotection.vault.resource",
    "pulumi_dataprotection.policy.resource",
    "pulumi_dataprotection.instance.resource",
    "pulumi_dataprotection.adhoc.resource",
)
"""What the dynamic-provider process unpickles (by reference) before it can serve a call on any resource."""
HOST_MODULES = ("pulumi.dynamic",)
"""What the dynamic-provider host (``python -m pulumi.dynamic``) imports before the first call, whoever the provider."""
DATAPROTECTION_TYPE = "pulumi-python:dynamic/dataprotection:"
ENGINE_METADATA = ("stackTrace", "sourcePosition")


def _python(code: str, cwd: Path, *flags: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *flags, "-c", code], cwd=cwd, capture_output=True, text=True, check=True, timeout=120, env=env
    )


def _seconds(code: str, cwd: Path, env: dict[str, str] | None = None) -> float:
    return float(_python(code, cwd, env=env).stdout.strip().splitlines()[-1])


def _from_source_env(empty: Path) -> dict[str, str]:
    """An environment whose interpreters find no bytecode (an empty ``PYTHONPYCACHEPREFIX``) and write none."""
    return {**os.environ, "PYTHONPYCACHEPREFIX": str(empty), "PYTHONDONTWRITEBYTECODE": "1"}


def _import_code(before: Sequence[str], measured: Sequence[str]) -> str:
    pre = "".join(f"import {m}\n" for m in before)
    body = "".join(f"import {m}\n" for m in measured)
    return f"{pre}import time\n_t = time.perf_counter()\n{body}print(time.perf_counter() - _t)\n"


def cold_start(cwd: Path, repeat: int = 5) -> dict[str, Any]:
    """Median seconds over ``repeat`` fresh interpreters started in ``cwd`` (which decides where
    ``pulumi_dataprotection`` is imported from): a bare interpreter (wall time of ``python -c pass``), the
    host's imports, our provider's imports after the host's, host + provider from scratch, and our imports after
    the host's with no bytecode at all (compiled from source, as where ``PYTHONDONTWRITEBYTECODE`` meets a source
    tree that was never compiled)."""
    interpreter = []
    for _ in range(repeat):
        started = time.perf_counter()
        _python("pass", cwd)
        interpreter.append(time.perf_counter() - started)
    host = [_seconds(_import_code((), HOST_MODULES), cwd) for _ in range(repeat)]
    marginal = [_seconds(_import_code(HOST_MODULES, CRUD_MODULES), cwd) for _ in range(repeat)]
    total = [_seconds(_import_code((), (*HOST_MODULES, *CRUD_MODULES)), cwd) for _ in range(repeat)]
    with tempfile.TemporaryDirectory() as empty:
        source = _from_source_env(Path(empty))
        from_source = [_seconds(_import_code(HOST_MODULES, CRUD_MODULES), cwd, source) for _ in range(repeat)]
    return {
        "repeat": repeat,
        "interpreter_start_s": round(statistics.median(interpreter), 3),
        "host_import_s": round(statistics.median(host), 3),
        "provider_import_after_host_s": round(statistics.median(marginal), 3),
        "host_plus_provider_import_s": round(statistics.median(total), 3),
        "provider_import_after_host_from_source_s": round(statistics.median(from_source), 3),
        "modules": list(CRUD_MODULES),
    }


def first_call(cwd: Path, endpoint: str, token: str, repeat: int = 3) -> dict[str, Any]:
    """Median seconds, in a fresh interpreter (in ``cwd``) that already imported the host, to import the provider,
    build the ARM client from config and answer one GET (a vault read) against the emulator at ``endpoint``."""
    code = _import_code(HOST_MODULES, ()) + (
        "_t = time.perf_counter()\n"
        "import pulumi_dataprotection.vault.resource\n"
        "from pulumi_dataprotection.arm import get_client\n"
        "from pulumi_dataprotection.config import load\n"
        f"cfg = load({{'dataprotection:endpoint': {endpoint!r}, 'dataprotection:token': {token!r}, "
        "'dataprotection:subscriptionId': '00000000-0000-0000-0000-000000000000'}, {})\n"
        "client = get_client(cfg.arm_settings())\n"
        "client.get('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/"
        "Microsoft.DataProtection/backupVaults/absent', operation='read backup vault')\n"
        "print(time.perf_counter() - _t)\n"
    )
    runs = [_seconds(code, cwd) for _ in range(repeat)]
    return {"repeat": repeat, "import_and_first_get_s": round(statistics.median(runs), 3)}


def top_imports(cwd: Path, limit: int = 8) -> list[dict[str, Any]]:
    """The imports our provider adds after the host's (``python -X importtime``), largest cumulative time first,
    at any nesting depth (so a heavy third-party module shows up under the provider module that pulls it in)."""
    code = "".join(f"import {m}\n" for m in (*HOST_MODULES, *CRUD_MODULES))
    rows: list[tuple[str, int, int]] = []
    for line in _python(code, cwd, "-X", "importtime").stderr.splitlines():
        fields = line.removeprefix("import time:").split("|")
        if not line.startswith("import time:") or len(fields) != 3 or not fields[1].strip().isdigit():
            continue
        name = fields[2].rstrip()
        depth = (len(name) - len(name.lstrip()) - 1) // 2
        rows.append((name.strip(), depth, int(fields[1])))
    host_done = max(i for i, (name, depth, _) in enumerate(rows) if depth == 0 and name in HOST_MODULES)
    ours = sorted(rows[host_done + 1 :], key=lambda row: row[2], reverse=True)
    return [{"module": name, "depth": depth, "cumulative_ms": round(us / 1000, 1)} for name, depth, us in ours[:limit]]


def _size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":")).encode("utf-8"))


def state_sizes(exported: dict[str, Any]) -> dict[str, Any]:
    """Bytes per resource of an exported deployment (compact JSON), per type: mean, max and a breakdown of the
    largest (inputs, outputs, the ``__provider`` blobs, the engine's stackTrace/sourcePosition)."""
    by_type: dict[str, list[dict[str, Any]]] = {}
    for resource in exported["deployment"].get("resources") or []:
        rtype = str(resource["type"])
        if not rtype.startswith(DATAPROTECTION_TYPE):
            continue
        inputs, outputs = resource.get("inputs") or {}, resource.get("outputs") or {}
        blob = _size(inputs.get("__provider")) + _size(outputs.get("__provider"))
        metadata = sum(_size(resource[k]) for k in ENGINE_METADATA if k in resource)
        total = _size(resource)
        by_type.setdefault(rtype.removeprefix(DATAPROTECTION_TYPE), []).append(
            {
                "bytes": total,
                "inputs": _size(inputs),
                "outputs": _size(outputs),
                "provider_blobs": blob,
                "engine_metadata": metadata,
                "without_engine_metadata": total - metadata,
                "null_outputs": sum(1 for v in outputs.values() if v is None),
            }
        )
    out: dict[str, Any] = {}
    for rtype, rows in sorted(by_type.items()):
        largest = max(rows, key=lambda r: r["bytes"])
        out[rtype] = {
            "count": len(rows),
            "mean_bytes": round(statistics.fmean(r["bytes"] for r in rows)),
            "max_bytes": largest["bytes"],
            "largest": largest,
        }
    return out
