"""The recipe "Add a vault field" of docs/architecture.md, kept honest: in a copy of the package (a test tree) from
which the vault's cost management granularity and the emulator's model of it are removed, the recipe's field is
inserted as it says; without a sample setting it the every-input-leaf guard names it, with the sample its body
validates against the official spec and the vault converges on the in-process emulator (which keeps the property
because the spec defines it), and the same field with a misspelled REST path fails the spec naming the path."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pulumi_dataprotection

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(pulumi_dataprotection.__file__).parent
NAME = "cost_management_granularity"
EMULATOR_MODEL = '    "costManagementSettings": opt(COST_MANAGEMENT_SETTINGS),\n'

CHECK = """
import json, os
from pulumi_dataprotection import config
from pulumi_dataprotection.emulator import schema as emulated, start_emulator
from pulumi_dataprotection.schema.coverage import unset_inputs
from pulumi_dataprotection.vault.resource import VaultProvider
from pulumi_dataprotection.vault.schema import PATCHABLE_INPUTS, VAULT
from tests.resources.conftest import stack_config
from tests.resources.helpers import checked, up
from tests.schema.samples import VAULTS, vault_inputs
from tests.support.spec import load_spec

spec = load_spec("2026-06-01")
sample = vault_inputs("costed")
report = {
    "emulator_models_it": "costManagementSettings" in emulated.BACKUP_VAULT.props,
    "unset_without_sample": unset_inputs(VAULT, [vault_inputs(k) for k in VAULTS if k != "costed"]),
    "unset_with_sample": unset_inputs(VAULT, [vault_inputs(k) for k in VAULTS]),
    "spec": spec.validate("BackupVaultResource", VAULT.to_rest(sample)),
    "patch_spec": spec.validate("PatchResourceRequestInput", VAULT.to_rest(sample, only=PATCHABLE_INPUTS)),
}
if os.environ.get("CONVERGE"):
    handle = start_emulator(in_process=True, lro_seconds=0.05, retry_after=0)
    config.set_stack_config(stack_config(handle))
    provider = VaultProvider()
    id_, outs = up(provider, sample)
    read = provider.read(id_, outs).outs or {}
    report["read_back"] = read.get("cost_management_granularity")
    report["changes"] = provider.diff(id_, read, checked(provider, sample, read)).changes
    handle.stop()
print(json.dumps(report))
"""


def _recipe_field() -> str:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    recipe = text.split("## Add a vault field", 1)[1]
    match = re.search(r"```python\n(.*?)```", recipe, re.S)
    assert match, "docs/architecture.md: the recipe shows no field"
    return match.group(1)


def _without_the_field(tree: Path) -> Path:
    """The copy's vault schema without the field, and its emulator without a model of the property: as before the
    field was added. Returns the vault schema's path."""
    schema = tree / "pulumi_dataprotection" / "vault" / "schema.py"
    text = schema.read_text(encoding="utf-8")
    block = re.compile(rf" {{12}}Field\(\n {{16}}name=\"{NAME}\",\n.*?\n {{12}}\),\n", re.S)
    assert len(block.findall(text)) == 1, "vault/schema.py: the field under test is not declared as expected"
    schema.write_text(block.sub("", text), encoding="utf-8")
    emulator = tree / "pulumi_dataprotection" / "emulator" / "schema.py"
    model = emulator.read_text(encoding="utf-8")
    assert EMULATOR_MODEL in model
    emulator.write_text(model.replace(EMULATOR_MODEL, ""), encoding="utf-8")
    return schema


def _add(schema: Path, field: str) -> None:
    """Step 2 of the recipe: the field among the vault's inputs, before the outputs."""
    text = schema.read_text(encoding="utf-8")
    anchor = '            output_field("id", "id", "ARM id of the vault."),\n'
    assert anchor in text
    indented = "".join(f"            {line}" if line.strip() else line for line in field.splitlines(keepends=True))
    schema.write_text(text.replace(anchor, f"{indented.rstrip()},\n{anchor}", 1), encoding="utf-8")


def _check(tree: Path, *, converge: bool) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "ARM_", "DATAPROTECTION_"))}
    env.update(PYTHONPATH=os.pathsep.join([str(tree), str(ROOT)]), CONVERGE="1" if converge else "")
    done = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return report


def test_a_field_added_by_the_recipe_is_guarded_validated_and_converges(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(PACKAGE, tree / "pulumi_dataprotection", ignore=shutil.ignore_patterns("__pycache__"))
    schema = _without_the_field(tree)
    pristine = schema.read_text(encoding="utf-8")
    _add(schema, _recipe_field())

    report = _check(tree, converge=True)
    assert report["emulator_models_it"] is False  # kept only because the request's spec defines it
    assert report["unset_without_sample"] == [NAME]
    assert report["unset_with_sample"] == []
    assert report["spec"] == [] and report["patch_spec"] == []
    assert report["read_back"] == "ProtectedItemWithParentTag"
    assert report["changes"] is False, "the vault does not converge on the emulator"

    schema.write_text(pristine, encoding="utf-8")
    wrong = _recipe_field().replace("properties.costManagementSettings.", "properties.costManagementSetting.")
    _add(schema, wrong)
    report = _check(tree, converge=False)
    assert report["spec"] == ["$.properties.costManagementSetting: property not declared by the spec"]
