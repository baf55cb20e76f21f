"""Azure's region names: the table in ``pulumi_dataprotection/data/regions.json`` (its ``source`` names where it comes
from; the emulator reads the same file itself), looked up the way Azure accepts a location (its name or display name,
case and spaces ignored: ``West Europe``, ``WestEurope`` and ``westeurope`` are one region) and resolved to the name
Azure returns, with the closest names for a typo."""

from __future__ import annotations

import difflib
import functools
import json
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Region:
    """One region as ``az account list-locations`` lists it, and the cloud it belongs to."""

    name: str
    display_name: str
    cloud: str


def lookup_key(value: str) -> str:
    """The form Azure compares locations in: lower case, without whitespace."""
    return "".join(value.split()).lower()


@functools.cache
def regions() -> dict[str, Region]:
    """Every known region by name (loaded once, on first use)."""
    raw = json.loads(resources.files("pulumi_dataprotection").joinpath("data/regions.json").read_text(encoding="utf-8"))
    table = [Region(r["name"], r["displayName"], r["cloud"]) for r in raw["regions"]]
    return {region.name: region for region in table}


def region_name(value: str) -> str | None:
    """The name Azure returns for ``value`` (a region name or display name in any case), or None when unknown."""
    key = lookup_key(value)
    return key if key in regions() else None


def closest(value: str, count: int = 3) -> list[str]:
    """Up to ``count`` region names closest to ``value`` (at least one, however far)."""
    key = lookup_key(value)
    names = list(regions())
    return difflib.get_close_matches(key, names, n=count, cutoff=0.6) or difflib.get_close_matches(
        key, names, n=1, cutoff=0.0
    )
