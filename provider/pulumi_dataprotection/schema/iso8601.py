"""Parse, validate and canonicalize the ISO-8601 strings Azure Data Protection uses (durations, date-times,
repeating intervals such as ``R/2024-01-01T02:00:00+00:00/PT4H``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

_DURATION = re.compile(
    r"^P(?!$)(?:(?P<Y>\d+)Y)?(?:(?P<M>\d+)M)?(?:(?P<W>\d+)W)?(?:(?P<D>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
_UNIT_NAMES = {"Y": "year", "M": "month", "W": "week", "D": "day", "h": "hour", "m": "minute", "s": "second"}


@dataclass(frozen=True)
class Duration:
    """A parsed ISO-8601 duration; ``parts`` maps unit letters (Y, M, W, D, h, m, s) to their amounts."""

    text: str
    parts: tuple[tuple[str, float], ...]

    @property
    def is_zero(self) -> bool:
        """True when every component is zero."""
        return all(amount == 0 for _, amount in self.parts)

    def human(self) -> str:
        """A short English rendering: ``P12W`` -> ``12 weeks``, ``PT4H`` -> ``4 hours``."""
        words = []
        for unit, amount in self.parts:
            number = int(amount) if amount == int(amount) else amount
            name = _UNIT_NAMES[unit]
            words.append(f"{number} {name}" + ("" if number == 1 else "s"))
        return " ".join(words) if words else "0 days"


_DAYS_PER_UNIT = {"Y": 365.0, "M": 30.0, "W": 7.0, "D": 1.0, "h": 1 / 24, "m": 1 / 1440, "s": 1 / 86400}


def approximate_days(duration: Duration) -> float:
    """The length of ``duration`` in days, a month counted as 30 days and a year as 365 (for comparisons)."""
    return sum(amount * _DAYS_PER_UNIT[unit] for unit, amount in duration.parts)


def parse_duration(text: str) -> Duration | None:
    """The parsed duration, or None when ``text`` is not an ISO-8601 duration such as ``P7D`` or ``PT4H``."""
    candidate = text.strip().upper()
    match = _DURATION.match(candidate)
    if not match:
        return None
    parts = tuple((unit, float(match.group(unit))) for unit in "YMWDhms" if match.group(unit) is not None)
    return Duration(candidate, parts)


def canonical_duration(text: str) -> str:
    """Upper-cased, trimmed duration text (the form Azure echoes back); unparseable text is returned as is."""
    parsed = parse_duration(text)
    return parsed.text if parsed else text


def parse_datetime(text: str) -> datetime | None:
    """The parsed ISO-8601 date-time (``Z`` or an offset, or naive), or None when it is not one."""
    candidate = text.strip()
    if "T" not in candidate.upper():
        return None
    try:
        return datetime.fromisoformat(candidate.replace("z", "Z"))
    except ValueError:
        return None


def canonical_datetime(text: str) -> str:
    """A comparison form: aware date-times in UTC (``2019-03-01T13:00:00+00:00``), naive ones as written."""
    parsed = parse_datetime(text)
    if parsed is None:
        return text
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC)
    return parsed.isoformat()


@dataclass(frozen=True)
class RepeatingInterval:
    """A parsed ``R[n]/<start>/<period>`` interval."""

    repetitions: int | None
    start: datetime
    period: Duration


def parse_repeating_interval(text: str) -> RepeatingInterval | None:
    """The parsed repeating interval, or None when ``text`` is not ``R[n]/<date-time>/<duration>``."""
    pieces = text.strip().split("/")
    if len(pieces) != 3 or not pieces[0].upper().startswith("R"):
        return None
    count = pieces[0][1:]
    if count and not count.isdigit():
        return None
    start = parse_datetime(pieces[1])
    period = parse_duration(pieces[2])
    if start is None or period is None or period.is_zero:
        return None
    return RepeatingInterval(int(count) if count else None, start, period)


def canonical_repeating_interval(text: str) -> str:
    """A comparison form with the start in UTC and the period upper-cased; unparseable text is returned as is."""
    parsed = parse_repeating_interval(text)
    if parsed is None:
        return text
    head = "R" if parsed.repetitions is None else f"R{parsed.repetitions}"
    start = parsed.start.astimezone(UTC) if parsed.start.tzinfo is not None else parsed.start
    return f"{head}/{start.isoformat()}/{parsed.period.text}"
