"""The review comment step of the pull-request workflow edits only its own comment: the one that starts with the
review marker and was written by the workflow's token; a marked comment by anybody else is left alone (the
step's script run under node against a stand-in GitHub API)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from pulumi_dataprotection.review.render import MARKER

WORKFLOW = Path(__file__).resolve().parents[2] / "examples" / "ci" / "pulumi-preview.yml"
HARNESS = """
const calls = [];
const comments = JSON.parse(process.env.COMMENTS);
const github = {
  paginate: async (fn, args) => comments,
  rest: { issues: {
    listComments: () => {},
    updateComment: async (a) => calls.push(["update", a.comment_id]),
    createComment: async (a) => calls.push(["create", a.issue_number]),
  } },
};
const context = { repo: { owner: "o", repo: "r" }, issue: { number: 7 } };
(async () => {
%s
  console.log(JSON.stringify(calls));
})();
"""


def _post(tmp_path: Path, comments: list[dict[str, Any]]) -> list[list[Any]]:
    job = next(iter(yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["jobs"].values()))
    (step,) = [s for s in job["steps"] if s.get("name") == "Post the backup review"]
    (tmp_path / "infra").mkdir(exist_ok=True)
    (tmp_path / "infra" / "review.md").write_text(f"{MARKER}\n## Backup changes\n", encoding="utf-8")
    script = tmp_path / "post.js"
    script.write_text(HARNESS % step["with"]["script"], encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", **step.get("env", {}), "COMMENTS": json.dumps(comments)}
    node = shutil.which("node")
    assert node is not None
    done = subprocess.run([node, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    calls: list[list[Any]] = json.loads(done.stdout)
    return calls


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to run the workflow's github-script")
def test_only_the_workflows_own_marked_comment_is_edited(tmp_path: Path) -> None:
    forged = {"id": 1, "user": {"login": "mallory"}, "body": f"{MARKER}\nLGTM: no backup changes"}
    quoted = {"id": 2, "user": {"login": "github-actions[bot]"}, "body": f"> {MARKER}"}
    own = {"id": 3, "user": {"login": "github-actions[bot]"}, "body": f"{MARKER}\n## Backup changes"}
    assert _post(tmp_path, [forged, quoted]) == [["create", 7]]
    assert _post(tmp_path, [forged, quoted, own]) == [["update", 3]]
