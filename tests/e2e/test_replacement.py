"""End to end, a change Azure cannot make to a backup instance in place: without allow_replace_with_data the
preview shows it as an update and `up` refuses it before any request, saying what happens to the recovery points;
with the opt-in it is a replacement; the opt-in itself is no change and does not stay in the state."""

from __future__ import annotations

import pytest

from pulumi_dataprotection.emulator import EmulatorHandle
from tests.e2e.conftest import StackFactory
from tests.e2e.helpers import short
from tests.e2e.programs import SUBSCRIPTION

pytestmark = pytest.mark.engine


def test_an_instance_replacement_is_refused_without_the_opt_in_and_done_with_it(
    deployed_small_stack: StackFactory, dp: EmulatorHandle
) -> None:
    stack = deployed_small_stack("replace-instance")
    stack.set_config("e2e-small:snapshotResourceGroup", "rg-aks-snapshots-2")
    dp.clear_request_log()

    preview = stack.preview()

    # The rest of the program is still previewed: the refused change shows as an update of what it changes.
    assert preview.changes() == {"update": 1}, preview
    assert "snapshot_resource_group_id" in preview.step("BackupInstance", "aks-0", op="update").changed
    refused = stack.up(check=False)

    assert not refused.ok, refused
    [error] = [e for e in refused.errors if "aks-0" in e] or [refused.output]
    assert "changing snapshot_resource_group_id replaces the backup instance" in error, error
    assert "soft delete is AlwaysOn" in error and "kept as a soft-deleted backup instance for 14 days" in error, error
    assert "set allow_replace_with_data=True" in error and "Nothing was changed in Azure" in error, error
    assert dp.writes() == [], short(dp.writes())

    stack.set_config("e2e-small:allowReplace", True)
    replaced = stack.up()

    assert replaced.changes() == {"replace": 1}, replaced
    instance = next(r for r in stack.resources() if r["type"].endswith(":BackupInstance"))
    expected = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-aks-snapshots-2"
    assert instance["outputs"]["snapshot_resource_group_id"] == expected
    assert instance["outputs"].get("allow_replace_with_data") is None, "the opt-in is not kept in outputs"

    stack.set_config("e2e-small:allowReplace", False)
    again = stack.up()

    assert again.changes() == {}, again
    instance = next(r for r in stack.resources() if r["type"].endswith(":BackupInstance"))
    assert not instance["inputs"].get("allow_replace_with_data"), instance["inputs"]
    assert instance["outputs"].get("allow_replace_with_data") is None
