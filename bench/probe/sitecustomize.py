"""Loaded through PYTHONPATH by the benchmarks only: in the dynamic-provider process (``python -m pulumi.dynamic``)
it records the process's CPU time when the process ends, and where it imported ``pulumi_dataprotection`` from,
as one JSON file
in ``$BENCH_PROVIDER_CPU_DIR``."""

import atexit
import json
import os
import signal
import sys
import time

_DIR = os.environ.get("BENCH_PROVIDER_CPU_DIR")
_ARGV = getattr(sys, "orig_argv", [])


def _record() -> None:
    times = os.times()
    package = getattr(sys.modules.get("pulumi_dataprotection"), "__file__", None)
    path = os.path.join(_DIR or ".", f"provider-{os.getpid()}.json")
    record = {"pid": os.getpid(), "user": times.user, "system": times.system, "wall": time.time(), "package": package}
    with open(path, "w", encoding="utf-8") as out:
        json.dump(record, out)


def _on_term(signum: int, frame: object) -> None:
    _record()
    os._exit(0)


if _DIR and "pulumi.dynamic" in _ARGV:
    atexit.register(_record)
    signal.signal(signal.SIGTERM, _on_term)
