"""End to end, what ``pulumi preview --diff`` shows a reviewer: for six everyday changes (a policy's retention, an
AKS instance's namespaces, an ADLS instance's containers, a vault tag, drift found by a refresh, nothing) every line
marked as a change is a change of an input the program set (or of a value it determines, such as a new policy
version's name); nothing Azure computes is shown as removed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pulumi_dataprotection.emulator import EmulatorHandle
from tests.e2e.conftest import clean_env, new_stack
from tests.e2e.estates import deploy_once
from tests.e2e.preview_diff import ShownResource, parse_diff
from tests.e2e.preview_program import PREVIEW_PROGRAM
from tests.e2e.programs import SUBSCRIPTION, vault_path
from tests.e2e.pulumi_stack import Stack
from tests.support.emulator import ArmClient
from tests.support.engine import write_project

pytestmark = pytest.mark.engine


def preview_stack(dp: EmulatorHandle, tmp_path: Path, engine_bin: Path, name: str) -> Stack:
    """A deployed stack of the preview program (deployed once per run, then copied: ``tests/e2e/estates.py``)."""

    def make(name: str) -> Stack:
        project = write_project(tmp_path / name / "project", PREVIEW_PROGRAM, name="e2e-preview")
        config = {"dataprotection:subscriptionId": SUBSCRIPTION}
        return new_stack(project, tmp_path / name / "pulumi-state", engine_bin, name, config, dp)

    return deploy_once("preview", make, dp, tmp_path, lambda state: clean_env(engine_bin, state), name)


def unset_config(stack: Stack, key: str) -> None:
    """Remove a program config key (the program then uses its default)."""
    document = yaml.safe_load(stack.config_path().read_text(encoding="utf-8")) or {}
    document.get("config", {}).pop(f"e2e-preview:{key}", None)
    stack.config_path().write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


def shown(stack: Stack) -> dict[str, ShownResource]:
    """The resources ``pulumi preview --diff`` shows, by logical name; no line may mark a removal."""
    text = stack.pulumi("preview", "--diff").stdout
    resources = {r.name: r for r in parse_diff(text)}
    removed = {name: r.keys("-") for name, r in resources.items() if r.keys("-")}
    assert not removed, f"lines shown as removed: {removed}\n{text}"
    assert "managed_inputs" not in text, "the list of set inputs is hidden (an internal key)"
    return resources


def test_preview_diff_shows_only_the_changes_of_the_program_and_of_azure(
    dp: EmulatorHandle, arm: ArmClient, tmp_path: Path, engine_bin: Path
) -> None:
    stack = preview_stack(dp, tmp_path, engine_bin, "preview-diff")
    dp.clear_request_log()

    assert shown(stack) == {}, "no change"

    stack.set_config("e2e-preview:retention", "P10D")
    resources = shown(stack)
    assert sorted(resources) == ["aks", "aks-0"]
    policy, instance = resources["aks"], resources["aks-0"]
    assert policy.op == "replace" and instance.op == "update"
    # A new policy version: its content-addressed name, id, hash and summary follow the one changed retention.
    assert policy.keys() == [
        "arm_id",
        "content_hash",
        "name",
        "policy_rules",
        "[1]",
        "lifecycles",
        "[0]",
        "delete_after",
        "summary",
    ]
    assert policy.lines[7][2] == '"P7D" => "P10D"'
    assert instance.keys() == ["policy_id"]
    label = stack.pulumi("preview").stdout
    assert "[diff: ~arm_id,content_hash,name,policy_rules,summary]" in label and "[diff: ~policy_id]" in label
    unset_config(stack, "retention")

    stack.set_config("e2e-preview:namespaces", ["default", "apps"])
    resources = shown(stack)
    assert list(resources) == ["aks-0"] and resources["aks-0"].op == "update"
    assert resources["aks-0"].lines == [("~", "included_namespaces", "["), ("+", "[1]", '"apps"')]
    unset_config(stack, "namespaces")

    stack.set_config("e2e-preview:containers", ["raw", "curated"])
    resources = shown(stack)
    assert list(resources) == ["lake1"] and resources["lake1"].op == "update"
    assert resources["lake1"].lines == [("~", "containers", "["), ("+", "[1]", '"curated"')]
    unset_config(stack, "containers")

    stack.set_config("e2e-preview:tags", {"team": "data"})
    resources = shown(stack)
    assert list(resources) == ["vault"] and resources["vault"].op == "update"
    assert resources["vault"].lines == [("~", "tags", "{"), ("~", "team", '"platform" => "data"')]
    assert "[diff: ~tags]" in stack.pulumi("preview").stdout
    unset_config(stack, "tags")
    assert dp.writes() == [], "previews write nothing"

    settings = {"properties": {"securitySettings": {"softDeleteSettings": {"retentionDurationInDays": 30}}}}
    patch = arm.patch(vault_path(), settings)
    assert patch.status_code in (200, 202), patch.text
    if patch.status_code == 202:
        assert arm.wait(patch)["status"] == "Succeeded"
    stack.refresh()
    resources = shown(stack)
    assert list(resources) == ["vault"] and resources["vault"].op == "update"
    assert resources["vault"].lines == [("~", "soft_delete_retention_days", "30 => 14")]
