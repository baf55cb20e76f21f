"""End to end, a change Azure cannot make to a backup instance in place: the preview refuses the replacement and
says what happens to its recovery points, unless the program sets allow_replace_with_data; the opt-in itself is no
change and does not stay in the state."""

from __future__ import annotations

import pytest

from pulumi_dataprotection.emulator import EmulatorHandle
from tests.e2e.conftest import StackFactory
from tests.e2e.helpers import short
from tests.e2e.programs import SUBSCRIPTION

pytestmark = pytest.mark.engine


def test_an_instance_replacement_is_refused_without_the_opt_in_and_done_with_it(
    small_stack: StackFactory, dp: EmulatorHandle
) -> None:
    stack = small_stack("replace-instance")
    stack.up()
    stack.set_config("e2e-small:snapshotResourceGroup", "rg-aks-snapshots-2")
    dp.clear_request_log()

    refused = stack.preview(check=False)

    assert not refused.ok, refused
    [error] = [e for e in refused.errors if "BackupInstance resource 'aks-0'" in e] or [refused.output]
    assert "changing snapshot_resource_group_id replaces the backup instance" in error, error
    assert "soft delete is AlwaysOn" in error and "kept as a soft-deleted backup instance for 14 days" in error, error
    assert "set allow_replace_with_data=True" in error, error
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
