"""The emulator is the oracle of every test: it imports nothing from the provider it tests (shared data files, such
as ``pulumi_dataprotection/data/regions.json``, are read as files)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import pulumi_dataprotection.emulator as emulator_package

TOP = "pulumi_dataprotection"
EMULATOR = f"{TOP}.emulator"


def _within(module: str) -> bool:
    return module == EMULATOR or module.startswith(EMULATOR + ".")


def provider_imports(source: str, package: str) -> list[str]:
    """The provider modules a module of ``package`` imports (absolute or relative, through ``import``, ``from`` or
    a module name given to ``importlib``), as ``line: module``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = parts[: len(parts) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            names = [f"{base}.{alias.name}" for alias in node.names] if base == TOP else [base]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith(TOP + "."):
            names = [node.value] if " " not in node.value and "/" not in node.value else []
        found += [
            f"{node.lineno}: {name}"
            for name in names
            if (name == TOP or name.startswith(TOP + ".")) and not _within(name)
        ]
    return found


def test_no_emulator_module_imports_the_provider() -> None:
    root = Path(emulator_package.__file__).parent
    modules = sorted(root.rglob("*.py"))
    assert len(modules) >= 25
    offending = {
        str(path.relative_to(root)): hits
        for path in modules
        if (hits := provider_imports(path.read_text(encoding="utf-8"), EMULATOR))
    }
    assert offending == {}, f"emulator modules importing the provider: {offending}"


@pytest.mark.parametrize(
    "source",
    [
        "from pulumi_dataprotection.schema.regions import region_name",
        "import pulumi_dataprotection.vault.schema",
        "from ..schema import regions",
        "from .. import vault",
        "from pulumi_dataprotection import BackupVault",
        "importlib.import_module('pulumi_dataprotection.policy.resource')",
    ],
)
def test_the_check_finds_each_way_of_importing_the_provider(source: str) -> None:
    assert provider_imports(source, EMULATOR) != []


@pytest.mark.parametrize(
    "source",
    [
        "from pulumi_dataprotection.emulator import ids",
        "from pulumi_dataprotection import emulator",
        "from . import render",
        "from .errors import ArmError",
        "import json",
    ],
)
def test_the_check_allows_the_emulator_and_the_standard_library(source: str) -> None:
    assert provider_imports(source, EMULATOR) == []
