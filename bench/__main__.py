"""``python -m bench``: run the benchmarks and write ``bench/results/<date>.json`` and ``<date>.md`` (``<date>-2``, ...
for a later run of the same day)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.report import markdown, targets
from bench.run import SCENARIOS, Settings, Size, run_all

RESULTS_DIR = Path(__file__).resolve().parent / "results"


def _size(text: str) -> Size:
    """``40x4`` -> (40 instances, 4 vaults)."""
    try:
        instances, vaults = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"a size is INSTANCESxVAULTS such as 40x4, not {text!r}") from None
    if instances < 1 or vaults < 1:
        raise argparse.ArgumentTypeError(f"a size needs at least one instance and one vault: {text!r}")
    return instances, vaults


def _sizes(text: str) -> tuple[Size, ...]:
    return tuple(_size(s) for s in text.split(",")) if text else ()


def _scenarios(text: str) -> tuple[str, ...]:
    chosen = tuple(s.strip().lower() for s in text.split(",") if s.strip())
    unknown = [s for s in chosen if s not in SCENARIOS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"scenarios are {', '.join(SCENARIOS)}, not {text!r}")
    return chosen


def parser() -> argparse.ArgumentParser:
    """The command line."""
    defaults = Settings()
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--lro", type=float, default=defaults.lro, help="emulator LRO seconds L (default 2)")
    p.add_argument("--retry-after", type=int, default=defaults.retry_after, help="emulator Retry-After R (default 1)")
    p.add_argument(
        "--sizes",
        type=lambda text: tuple(_size(s) for s in text.split(",")),
        default=defaults.sizes,
        help="S1 sizes, e.g. 1x1,1x4,10x1,10x4,40x4 (the default; INSTANCESxVAULTS)",
    )
    p.add_argument(
        "--tuned-sizes",
        type=lambda text: tuple(_size(s) for s in text.split(",")) if text else (),
        default=defaults.tuned_sizes,
        help="S1 sizes run again with dataprotection:pollMaxInterval = R (default 40x4; '' for none)",
    )
    p.add_argument("--full", action="store_true", help="add 40x1 to the S1 sizes (about 8 more minutes)")
    p.add_argument("--headline", type=_size, default=defaults.headline, help="S1 target, S2 and S4 stack (40x4)")
    p.add_argument(
        "--peer-default",
        type=_size,
        default=defaults.peer_default,
        help="stack compared with the SDK at its default polling (1x1)",
    )
    p.add_argument(
        "--peer-tuned",
        type=_size,
        default=defaults.peer_tuned,
        help="stack compared with the SDK polling every R seconds (10x4)",
    )
    p.add_argument("--repeat", type=int, default=defaults.repeat, help="S2 repetitions (default 3)")
    p.add_argument(
        "--s2-sizes",
        type=_sizes,
        default=defaults.s2_sizes,
        help="S2 stacks, each one of the S1 sizes (default 40x4,1x1)",
    )
    p.add_argument(
        "--scale-sizes",
        type=_sizes,
        default=defaults.scale_sizes,
        help="scale scenario sizes (default 50x5,200x20,500x50)",
    )
    p.add_argument(
        "--scale-lro",
        type=float,
        default=defaults.scale_lro,
        help="the scale scenario's emulator LRO seconds (default 0.1; Retry-After 0)",
    )
    p.add_argument(
        "--scenarios",
        type=_scenarios,
        default=defaults.scenarios,
        help=f"which scenarios run, comma-separated (default all: {','.join(SCENARIOS)}); "
        "S2, S3 and S4 use stacks S1 creates, so S1 runs with any of them",
    )
    p.add_argument("--work-dir", type=Path, default=defaults.work_dir, help="scratch directory (.state/bench)")
    p.add_argument("--out", type=Path, default=RESULTS_DIR, help="where results go (bench/results)")
    return p


def free_stem(out: Path, date: str) -> Path:
    """``out/<date>``, or ``out/<date>-2``, ``-3``, ... when a run of that day is already recorded there."""
    stem, n = out / date, 1
    while stem.with_suffix(".json").exists() or stem.with_suffix(".md").exists():
        n += 1
        stem = out / f"{date}-{n}"
    return stem


def main(argv: list[str] | None = None) -> int:
    """Run everything, write the JSON and Markdown results, print the Markdown."""
    args = parser().parse_args(argv)
    sizes = tuple(args.sizes) + (((40, 1),) if args.full and (40, 1) not in args.sizes else ())
    needs = {"s2": tuple(args.s2_sizes), "s3": (args.peer_default, args.peer_tuned), "s4": (args.headline,)}
    for needed in (size for scenario in args.scenarios for size in needs.get(scenario, ())):
        if needed not in sizes:
            parser().error(f"{needed[0]}x{needed[1]} must be one of the S1 sizes ({sizes})")
    settings = Settings(
        lro=args.lro,
        retry_after=args.retry_after,
        sizes=sizes,
        headline=args.headline,
        peer_default=args.peer_default,
        peer_tuned=args.peer_tuned,
        tuned_sizes=args.tuned_sizes,
        repeat=args.repeat,
        s2_sizes=tuple(args.s2_sizes),
        scale_sizes=tuple(args.scale_sizes),
        scale_lro=args.scale_lro,
        scenarios=tuple(args.scenarios),
        work_dir=args.work_dir,
    )
    results = run_all(settings)
    results["targets"] = targets(results)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = free_stem(args.out, results["date"])
    stem.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    summary = markdown(results)
    stem.with_suffix(".md").write_text(summary, encoding="utf-8")
    print(summary)
    print(f"wrote {stem}.json and {stem}.md", file=sys.stderr)
    failed = any(slot.get("error") for slot in results.values() if isinstance(slot, dict))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
