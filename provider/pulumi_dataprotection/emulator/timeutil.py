"""Timestamp formats of the DataProtection service (.NET round-trip strings, ticks, ISO-8601 durations)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

NOT_ENDED = "0001-01-01T00:00:00Z"
_TICKS_AT_EPOCH = 621_355_968_000_000_000
_DURATION = re.compile(
    r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)
_UNIT_SECONDS = (365 * 86400, 30 * 86400, 7 * 86400, 86400, 3600, 60, 1)


def iso(t: float) -> str:
    """A .NET round-trip UTC timestamp with seven fractional digits, e.g. ``2025-11-04T08:52:23.5463740Z``."""
    dt = datetime.fromtimestamp(t, UTC)
    return f"{dt:%Y-%m-%dT%H:%M:%S}.{dt.microsecond:06d}0Z"


def iso_seconds(t: float) -> str:
    """A UTC timestamp without fractions, as DataProtection writes operation ``endTime``."""
    return f"{datetime.fromtimestamp(t, UTC):%Y-%m-%dT%H:%M:%S}Z"


def ticks(t: float) -> int:
    """.NET ticks (100 ns since 0001-01-01), the ``t=`` parameter of ARM polling URLs."""
    return _TICKS_AT_EPOCH + int(t * 10_000_000)


def duration(seconds: float) -> str:
    """An ISO-8601 duration such as ``PT3M36.5329977S`` (the ``duration`` of a backup job)."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    frac = seconds - whole
    out = "PT"
    if hours:
        out += f"{hours}H"
    if minutes:
        out += f"{minutes}M"
    if frac:
        out += f"{secs + frac:.7f}".rstrip("0").rstrip(".") + "S"
    elif secs or out == "PT":
        out += f"{secs}S"
    return out


def duration_seconds(text: str) -> float:
    """An ISO-8601 duration in seconds (a month is 30 days, a year 365; 0 when it does not parse)."""
    m = _DURATION.match(text)
    if not m:
        return 0.0
    return sum(float(v) * unit for v, unit in zip(m.groups(), _UNIT_SECONDS, strict=True) if v)
