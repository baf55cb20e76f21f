"""Engine smoke test: the built CLI, our language host, the dynamic-provider shim and the venv work together."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.engine import ENGINE_VERSION, run_pulumi, write_project

pytestmark = pytest.mark.engine

# The provider class must live in an importable module: pulumi pickles it by reference, and the provider process
# (started in the project directory) imports it back from there.
NOTEBOOK_PROVIDER = '''
"""Throwaway dynamic provider: a 'notebook' whose create/delete are recorded in a journal file."""
import json
import uuid
from pathlib import Path

from pulumi.dynamic import CreateResult, DiffResult, ResourceProvider


def _record(journal: str, entry: dict) -> None:
    with Path(journal).open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry) + "\\n")


class NotebookProvider(ResourceProvider):
    def create(self, props):
        note_id = uuid.uuid4().hex
        _record(props["journal"], {"op": "create", "id": note_id, "text": props["text"]})
        # Import proves the provider process runs in the project venv where our package is installed.
        import pulumi_dataprotection

        return CreateResult(note_id, {**props, "provider_module": pulumi_dataprotection.__name__})

    def diff(self, _id, olds, news):
        changed = [key for key in ("text", "journal") if olds.get(key) != news.get(key)]
        return DiffResult(changes=bool(changed), replaces=changed)

    def delete(self, _id, props):
        _record(props["journal"], {"op": "delete", "id": _id})
'''

PROGRAM = """
import pulumi
from pulumi.dynamic import Resource

from notebook import NotebookProvider


class Notebook(Resource):
    def __init__(self, name, text, journal):
        super().__init__(NotebookProvider(), name, {"text": text, "journal": journal, "provider_module": None})


config = pulumi.Config()
note = Notebook("smoke-note", text="hello engine", journal=config.require("journal"))
pulumi.export("note_id", note.id)
pulumi.export("provider_module", note.provider_module)
"""


def _journal(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_pulumi_version_is_pinned(pulumi_env: dict[str, str], tmp_path: Path) -> None:
    result = run_pulumi(["version"], cwd=tmp_path, env=pulumi_env)
    assert result.stdout.strip() == f"v{ENGINE_VERSION}"


def test_up_preview_destroy_with_dynamic_provider(pulumi_env: dict[str, str], tmp_path: Path) -> None:
    project = write_project(tmp_path / "project", PROGRAM, modules={"notebook.py": NOTEBOOK_PROVIDER})
    journal = tmp_path / "journal.jsonl"

    run_pulumi(["stack", "init", "smoke"], cwd=project, env=pulumi_env)
    run_pulumi(["config", "set", "journal", str(journal)], cwd=project, env=pulumi_env)

    up = run_pulumi(["up", "--yes", "--skip-preview"], cwd=project, env=pulumi_env)
    created = _journal(journal)
    assert [entry["op"] for entry in created] == ["create"], up.stdout
    outputs = json.loads(run_pulumi(["stack", "output", "--json"], cwd=project, env=pulumi_env).stdout)
    assert outputs == {"note_id": created[0]["id"], "provider_module": "pulumi_dataprotection"}

    preview = run_pulumi(["preview", "--json", "--expect-no-changes"], cwd=project, env=pulumi_env)
    summary = json.loads(preview.stdout)["changeSummary"]
    assert summary == {"same": 2}, preview.stdout

    run_pulumi(["destroy", "--yes", "--skip-preview"], cwd=project, env=pulumi_env)
    assert _journal(journal)[1:] == [{"op": "delete", "id": created[0]["id"]}]
    exported = json.loads(run_pulumi(["stack", "export"], cwd=project, env=pulumi_env).stdout)
    assert exported["deployment"].get("resources") in (None, [])


def test_program_error_reaches_the_user(pulumi_env: dict[str, str], tmp_path: Path) -> None:
    # No stack config at all: the language host must still hand the SDK a config object.
    project = write_project(tmp_path / "broken", "raise ValueError('boom from the program')\n", name="broken")
    run_pulumi(["stack", "init", "smoke"], cwd=project, env=pulumi_env)

    up = run_pulumi(["up", "--yes", "--skip-preview"], cwd=project, env=pulumi_env, check=False)

    assert up.returncode != 0
    assert "ValueError: boom from the program" in up.stdout, up.stdout
    # Exit code 32 from the exec shim means "already reported": no generic exit-code error on top of it.
    assert "non-zero exit code" not in up.stdout + up.stderr
