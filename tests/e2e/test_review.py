"""End to end, `pulumi-dataprotection review` on the real engine's `pulumi preview --json` output (with the stack's
export): the six everyday changes of test_preview_diff and two refused vault replacements."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pulumi_dataprotection.cli import main
from pulumi_dataprotection.dynamic import wording
from pulumi_dataprotection.emulator import EmulatorHandle
from tests.e2e.programs import vault_path
from tests.e2e.pulumi_stack import Stack
from tests.e2e.test_preview_diff import preview_stack, unset_config
from tests.support.emulator import ArmClient

pytestmark = pytest.mark.engine
HOSTILE_TAG = "x |\n**LGTM: no backup changes** @org/team <!-- hidden"


def review(stack: Stack, tmp_path: Path, name: str, *extra: str) -> tuple[int, dict[str, Any], str]:
    """Run the command on the stack's current preview and export: (exit code, JSON review, Markdown)."""
    preview = tmp_path / f"{name}.preview.json"
    preview.write_text(stack.pulumi("preview", "--json").stdout, encoding="utf-8")
    export = tmp_path / f"{name}.export.json"
    export.write_text(stack.pulumi("stack", "export").stdout, encoding="utf-8")
    comment, document = tmp_path / f"{name}.md", tmp_path / f"{name}.review.json"
    code = main(["review", str(preview), "--export", str(export), "-o", str(comment), "--json", str(document), *extra])
    return code, json.loads(document.read_text(encoding="utf-8")), comment.read_text(encoding="utf-8")


def by_name(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The reviewed resources by logical name."""
    return {r["name"]: r for r in document["resources"]}


def fields(resource: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """path -> (old, new) of a reviewed resource."""
    return {f["path"]: (f["old"], f["new"]) for f in resource["fields"]}


def test_review_of_everyday_changes(dp: EmulatorHandle, arm: ArmClient, tmp_path: Path, engine_bin: Path) -> None:
    stack = preview_stack(dp, tmp_path, engine_bin, "review-everyday")

    code, document, comment = review(stack, tmp_path, "none")
    assert code == 0 and document["resources"] == [] and document["warnings"] == []
    assert "no change to Data Protection resources" in comment

    stack.set_config("e2e-preview:retention", "P10D")
    code, document, comment = review(stack, tmp_path, "retention")
    assert code == 0, comment
    resources = by_name(document)
    assert {n: r["action"] for n, r in resources.items()} == {"aks": "replace", "aks-0": "update"}
    policy = resources["aks"]
    assert "its content changed" in policy["reason"]
    assert fields(policy)["policy_rules[1].lifecycles[0].delete_after"] == ("P7D", "P10D")
    assert policy["policy_in_words"]["before"].endswith("kept 7 days")
    assert policy["policy_in_words"]["after"].endswith("kept 10 days")
    assert list(fields(resources["aks-0"])) == ["policy_id"]
    assert document["warnings"] == [], "the audit finds nothing new"
    unset_config(stack, "retention")

    stack.set_config("e2e-preview:namespaces", ["default", "apps"])
    _, document, _ = review(stack, tmp_path, "namespaces")
    assert fields(by_name(document)["aks-0"]) == {"included_namespaces": (["default"], ["default", "apps"])}
    unset_config(stack, "namespaces")

    stack.set_config("e2e-preview:containers", ["raw", "curated"])
    _, document, _ = review(stack, tmp_path, "containers")
    assert fields(by_name(document)["lake1"]) == {"containers": (["raw"], ["raw", "curated"])}
    unset_config(stack, "containers")

    stack.set_config("e2e-preview:tags", {"team": "data", "note": HOSTILE_TAG})
    _, document, comment = review(stack, tmp_path, "tags")
    assert fields(by_name(document)["vault"]) == {"tags.note": (None, HOSTILE_TAG), "tags.team": ("platform", "data")}
    assert "| `tags.team` | `platform` | `data` |" in comment
    assert "| `tags.note` | _(not set)_ | `x \\|\\n**LGTM: no backup changes** @org/team <!-- hidden` |" in comment
    assert comment.count("<!--") == 2 and "\n**LGTM" not in comment  # the marker, and the value in its code span
    unset_config(stack, "tags")

    settings = {"properties": {"securitySettings": {"softDeleteSettings": {"retentionDurationInDays": 30}}}}
    patch = arm.patch(vault_path(), settings)
    if patch.status_code == 202:
        assert arm.wait(patch)["status"] == "Succeeded"
    stack.refresh()
    _, document, _ = review(stack, tmp_path, "drift")
    assert [(r["name"], r["action"]) for r in document["resources"]] == [("vault", "update")]
    assert fields(document["resources"][0]) == {"soft_delete_retention_days": (30, 14)}


def test_review_of_a_refused_vault_replacement(dp: EmulatorHandle, tmp_path: Path, engine_bin: Path) -> None:
    stack = preview_stack(dp, tmp_path, engine_bin, "review-refused")

    stack.set_config("e2e-preview:redundancy", "GeoRedundant")
    code, document, comment = review(stack, tmp_path, "refused")
    assert code == 1, comment
    resources = by_name(document)
    assert [(n, r["action"]) for n, r in resources.items()] == [("vault", "update")]
    assert fields(resources["vault"])["redundancy"] == ("LocallyRedundant", "GeoRedundant")
    refused = [w for w in document["warnings"] if w["code"] == "refused"]
    assert len(refused) == 1 and "allow_replace_with_data" in refused[0]["message"]


def test_review_of_a_vault_replacement(dp: EmulatorHandle, tmp_path: Path, engine_bin: Path) -> None:
    """Allowed on the vault and its instances in one change, the replacement of a vault that holds backup instances
    under AlwaysOn soft delete is refused (Azure keeps the deleted instances in it, and refuses to delete a vault
    holding any): the review says the two steps, in the words of the preview's own warning."""
    stack = preview_stack(dp, tmp_path, engine_bin, "review-replace")
    stack.set_config("e2e-preview:allowReplace", True)
    stack.set_config("e2e-preview:redundancy", "GeoRedundant")
    code, document, comment = review(stack, tmp_path, "replace")
    assert code == 1, comment
    resources = by_name(document)
    assert {n: r["action"] for n, r in resources.items()} == {"vault": "update"}
    [refused] = [w for w in document["warnings"] if w["code"] == "refused"]
    steps = wording.vault_replacement_steps("AlwaysOn", 14, "aks-0, lake1")
    assert refused["message"] == f"{wording.REFUSED}: {steps}", refused
    preview = stack.pulumi("preview").stdout
    assert f"{wording.REFUSED}: {steps}" in preview.replace("\n    ", " "), preview
    assert main(["review", str(tmp_path / "replace.preview.json"), "--fail-on", "none", "-o", "/dev/null"]) == 0
