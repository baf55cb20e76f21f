"""The recipe "Add a datasource kind" of docs/architecture.md, kept honest: in a copy of the package (a test tree), the
recipe's first module (the catalog entry alone) is registered by being there and fails the coverage guards naming
each missing piece; completed as the recipe says (policy, roles, restore target, example, emulator entry) it passes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pulumi_dataprotection

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(pulumi_dataprotection.__file__).parent

COMPLETION = '''

def default_policy() -> PolicyInputs:
    """Recommended widget backup policy: a daily backup kept 30 days."""
    from pulumi_dataprotection.policy.builders import Retention, Schedule, build_policy

    return build_policy("widget", schedule=Schedule.daily(), retention=Retention("P30D"))


def _drill(source: Source, ctx: DrillContext) -> DrillTarget:
    """Restore as files, as the flexible servers do."""
    from pulumi_dataprotection.restore.drill import as_files

    return as_files(source, ctx)


KIND = replace(
    KIND,
    default_policy=default_policy,
    roles=(RoleRow(identity="vault", role="Reader", scope="datasource", purpose="backup", reason="read the widget"),),
    restore_target=_drill,
    example={"datasource_id": f"{EXAMPLE_GROUPS}/rg-data/providers/Microsoft.Example/widgets/w1"},
)
'''
COMPLETION_IMPORTS = """from dataclasses import replace
from typing import TYPE_CHECKING

from pulumi_dataprotection.datasources.kind import EXAMPLE_GROUPS, DrillContext, RoleRow

if TYPE_CHECKING:
    from pulumi_dataprotection.policy.builders import PolicyInputs
    from pulumi_dataprotection.restore.drill import DrillTarget, Source
"""
EMULATOR_ENTRY = (
    '    DatasourceKind("Microsoft.Example/widgets", "Microsoft.Example/widgets", *_GENERIC_MISSING),\n)\n\n# Legacy'
)


def _recipe_module() -> str:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    recipe = text.split("## Add a datasource kind", 1)[1]
    match = re.search(r"```python\n(.*?)```", recipe, re.S)
    assert match, "docs/architecture.md: the recipe shows no kind module"
    return match.group(1)


def _problems(tree: Path) -> list[str]:
    code = "import json; from pulumi_dataprotection.datasources.coverage import problems; print(json.dumps(problems()))"
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    found: list[str] = json.loads(done.stdout)
    return found


def test_a_kind_added_by_the_recipe_fails_the_guards_naming_what_is_missing_then_passes(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(PACKAGE, tree / "pulumi_dataprotection", ignore=shutil.ignore_patterns("__pycache__"))
    module = tree / "pulumi_dataprotection" / "datasources" / "widget.py"
    module.write_text(_recipe_module(), encoding="utf-8")

    missing = _problems(tree)
    assert all(line.startswith("widget: ") for line in missing), missing
    for piece in (
        "no recommended policy",
        "no backup role rows",
        "no restore drill target",
        "no example datasource",
        "the emulator does not serve datasource type Microsoft.Example/widgets",
    ):
        assert any(piece in line for line in missing), f"{piece!r} not in {missing}"

    head, _, body = _recipe_module().partition("\nKIND = ")
    module.write_text(f"{head}\n{COMPLETION_IMPORTS}\nKIND = {body}{COMPLETION}", encoding="utf-8")
    emulator = tree / "pulumi_dataprotection" / "emulator" / "datasources.py"
    text = emulator.read_text(encoding="utf-8")
    assert ")\n\n# Legacy" in text
    emulator.write_text(text.replace(")\n\n# Legacy", EMULATOR_ENTRY, 1), encoding="utf-8")
    assert _problems(tree) == []
