"""Loaded through PYTHONPATH by the benchmarks only: in the dynamic-provider process (``python -m pulumi.dynamic``)
and in the Pulumi program process (the language host's ``pulumi-language-python-exec``) it records, when the
process ends, its CPU time, its peak resident memory and where it imported ``pulumi_dataprotection`` from, as one
JSON file in ``$BENCH_PROVIDER_CPU_DIR``. It does nothing in any other process."""

import atexit
import json
import os
import resource
import signal
import sys
import time

_DIR = os.environ.get("BENCH_PROVIDER_CPU_DIR")
_ARGV = getattr(sys, "orig_argv", [])
_KIND = (
    "provider"
    if "pulumi.dynamic" in _ARGV
    else "program"
    if any(arg.endswith("pulumi-language-python-exec") for arg in _ARGV)
    else None
)


def _record() -> None:
    times = os.times()
    package = getattr(sys.modules.get("pulumi_dataprotection"), "__file__", None)
    path = os.path.join(_DIR or ".", f"{_KIND}-{os.getpid()}.json")
    record = {
        "kind": _KIND,
        "pid": os.getpid(),
        "user": times.user,
        "system": times.system,
        "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "wall": time.time(),
        "package": package,
    }
    with open(path, "w", encoding="utf-8") as out:
        json.dump(record, out)


def _on_term(signum: int, frame: object) -> None:
    _record()
    os._exit(0)


if _DIR and _KIND:
    atexit.register(_record)
    if _KIND == "provider":
        signal.signal(signal.SIGTERM, _on_term)
