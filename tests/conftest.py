"""Shared pytest configuration: fixtures live in tests/support and are registered here."""

from collections.abc import Iterator

import pytest

from pulumi_dataprotection.dynamic import program

pytest_plugins = [
    "tests.support.spec",
    "tests.support.engine",
    "tests.support.emulator",
]


@pytest.fixture(autouse=True)
def _fresh_program() -> Iterator[None]:
    """Every test is a program of its own: the provider's memory of checked resources starts empty."""
    program.forget()
    yield
    program.forget()
