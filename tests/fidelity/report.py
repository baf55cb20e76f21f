"""Report: the fidelity table (per operation, per source and in total) of replayed exchanges."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from tests.fidelity.replay import Outcome


def _row(name: str, outcomes: list[Outcome], width: int) -> str:
    kinds = Counter(o.verdict.kind for o in outcomes)
    total = len(outcomes)
    pct = 100.0 * kinds["same"] / total if total else 0.0
    return (
        f"{name:<{width}} {kinds['same']:>5} {kinds['differs']:>7} {kinds['unsupported']:>11} {total:>6} {pct:>6.1f}%"
    )


def table(outcomes: Iterable[Outcome], reasons: int = 3) -> str:
    """Per operation (with its most frequent differences), per source directory, and the total."""
    items = list(outcomes)
    by_op: dict[str, list[Outcome]] = defaultdict(list)
    by_source: dict[str, list[Outcome]] = defaultdict(list)
    for o in items:
        by_op[o.operation].append(o)
        by_source[o.source].append(o)
    width = max([len(k) for k in [*by_op, *by_source]] + [10])
    header = f"{'operation':<{width}} {'same':>5} {'differs':>7} {'unsupported':>11} {'total':>6} {'same%':>7}"
    lines = [header, "-" * len(header)]
    for op in sorted(by_op, key=lambda k: (-len(by_op[k]), k)):
        lines.append(_row(op, by_op[op], width))
        why = Counter(f"{o.verdict.kind}: {o.verdict.reason}" for o in by_op[op] if o.verdict.kind != "same")
        lines += [f"    {n:>4} x {r}" for r, n in why.most_common(reasons)]
    lines += ["", f"{'source':<{width}}", "-" * len(header)]
    lines += [_row(s, by_source[s], width) for s in sorted(by_source)]
    lines += ["-" * len(header), _row("TOTAL", items, width)]
    return "\n".join(lines)


def same_ratio(outcomes: Iterable[Outcome]) -> float:
    """The share of exchanges the emulator answers as Azure did."""
    items = list(outcomes)
    return sum(o.verdict.kind == "same" for o in items) / len(items) if items else 0.0
