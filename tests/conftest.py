"""Shared pytest configuration: fixtures live in tests/support and are registered here."""

import os
from collections.abc import Iterator

import pytest

from pulumi_dataprotection.dynamic import program

pytest_plugins = [
    "tests.support.spec",
    "tests.support.engine",
    "tests.support.emulator",
]


def pytest_configure(config: pytest.Config) -> None:
    """Output widths as in a run without a terminal, whoever started it: pytest-xdist workers inherit COLUMNS=80
    and LINES=24, which would make the CLI's tables (200 columns wide without a terminal) wrap."""
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)


@pytest.fixture(autouse=True)
def _fresh_program() -> Iterator[None]:
    """Every test is a program of its own: the provider's memory of checked resources starts empty."""
    program.forget()
    yield
    program.forget()
