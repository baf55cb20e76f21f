"""``python -m tests.fidelity [--reasons N] [FILTER]``: replay the recordings and print the fidelity table."""

from __future__ import annotations

import argparse

from tests.fidelity.recordings import load_all
from tests.fidelity.replay import replay
from tests.fidelity.report import table

parser = argparse.ArgumentParser(prog="python -m tests.fidelity")
parser.add_argument("filter", nargs="?", default="", help="only recordings whose path contains this")
parser.add_argument("--reasons", type=int, default=3, help="differences listed per operation")
parser.add_argument(
    "--each", action="store_true", help="also list every exchange that is not the same, and the seeds refused"
)
args = parser.parse_args()
outcomes = []
seed_errors: list[str] = []
for recording in load_all():
    if args.filter in f"{recording.source}/{recording.name}":
        outcomes += replay(recording, seed_errors)
if args.each:
    for text in seed_errors:
        print(f"seed refused: {text}")
    for o in outcomes:
        if o.verdict.kind != "same":
            print(f"{o.source}/{o.file}#{o.index} {o.operation}: {o.verdict.kind} {o.verdict.reason}")
print(table(outcomes, args.reasons))
