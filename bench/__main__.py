"""``python -m bench``: run the benchmarks and write ``bench/results/<date>.json`` and ``<date>.md``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.report import markdown, targets
from bench.run import Settings, Size, run_all

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
    p.add_argument("--work-dir", type=Path, default=defaults.work_dir, help="scratch directory (.state/bench)")
    p.add_argument("--out", type=Path, default=RESULTS_DIR, help="where results go (bench/results)")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run everything, write the JSON and Markdown results, print the Markdown."""
    args = parser().parse_args(argv)
    sizes = tuple(args.sizes) + (((40, 1),) if args.full and (40, 1) not in args.sizes else ())
    for needed in (args.headline, args.peer_default, args.peer_tuned):
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
        work_dir=args.work_dir,
    )
    results = run_all(settings)
    results["targets"] = targets(results)
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / results["date"]
    stem.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    summary = markdown(results)
    stem.with_suffix(".md").write_text(summary, encoding="utf-8")
    print(summary)
    print(f"wrote {stem}.json and {stem}.md", file=sys.stderr)
    failed = any(slot.get("error") for slot in results.values() if isinstance(slot, dict))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
