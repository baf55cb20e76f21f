"""The regions the emulator offers: Azure's region table (``pulumi_dataprotection/data/regions.json``, a data file the
provider reads too; the emulator reads it itself, importing nothing of the provider), looked up as Azure accepts a
location: by name or display name, case and whitespace ignored."""

from __future__ import annotations

import functools
import json
from importlib import resources

_PACKAGE = __package__.rpartition(".")[0]  # the distribution's top package, which holds data/


def lookup_key(value: str) -> str:
    """The form Azure compares locations in: lower case, without whitespace."""
    return "".join(value.split()).lower()


@functools.cache
def regions() -> tuple[str, ...]:
    """Every region name Azure returns, in the table's order (loaded once, on first use)."""
    raw = json.loads(resources.files(_PACKAGE).joinpath("data/regions.json").read_text(encoding="utf-8"))
    return tuple(str(region["name"]) for region in raw["regions"])


def region_name(value: str) -> str | None:
    """The name Azure returns for ``value`` (a region name or display name in any case), or None when unknown."""
    key = lookup_key(value)
    return key if key in regions() else None
