"""End to end, what `pulumi preview` itself says of a change a reviewer must not miss, in `review`'s words: the
changes `up` will refuse (an irreversible redundancy change, soft delete AlwaysOn -> Off, an instance's location),
the two steps a vault replacement allowed on the vault and every instance takes when the vault holds backup
instances under soft delete, and a Retain vault's destroy shown as a retain; with soft delete Off (a vault created at
an api-version before always-on soft delete), that replacement is one `pulumi up`."""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_dataprotection.dynamic import wording
from pulumi_dataprotection.emulator import EmulatorHandle
from tests.e2e.conftest import new_stack
from tests.e2e.preview_program import PREVIEW_PROGRAM
from tests.e2e.programs import SUBSCRIPTION
from tests.e2e.pulumi_stack import Stack
from tests.e2e.test_preview_diff import preview_stack, unset_config
from tests.support.engine import write_project

pytestmark = pytest.mark.engine


def warnings(stack: Stack) -> list[str]:
    """The preview's warning lines of this provider (``pulumi preview`` text, diagnostics section)."""
    text = stack.pulumi("preview").stdout
    diagnostics = text.partition("Diagnostics:")[2]
    return [line.strip() for line in diagnostics.splitlines() if "warning: dataprotection:" in line]


def one(lines: list[str], *parts: str) -> str:
    """The single warning line holding every one of ``parts``."""
    found = [line for line in lines if all(p in line for p in parts)]
    assert len(found) == 1, (parts, lines)
    return found[0]


def test_refusals_and_an_allowed_vault_replacement_in_the_preview(
    dp: EmulatorHandle, tmp_path: Path, engine_bin: Path
) -> None:
    stack = preview_stack(dp, tmp_path, engine_bin, "preview-warnings")
    dp.clear_request_log()

    stack.set_config("e2e-preview:redundancy", "GeoRedundant")
    refused = one(warnings(stack), "BackupVault", wording.REFUSED)
    assert "redundancy cannot change in place" in refused and "allow_replace_with_data=True" in refused, refused
    unset_config(stack, "redundancy")

    stack.set_config("e2e-preview:softDelete", "Off")
    refused = one(warnings(stack), "BackupVault", wording.REFUSED)
    assert "soft_delete_state" in refused and "AlwaysOn" in refused, refused
    unset_config(stack, "softDelete")

    stack.set_config("e2e-preview:lakeLocation", "eastus")
    refused = one(warnings(stack), "BackupInstance", wording.REFUSED)
    assert "datasource_location cannot change in place" in refused, refused
    unset_config(stack, "lakeLocation")
    assert dp.writes() == [], "previews write nothing"

    # Allowed on the vault and every instance in one change: Azure refuses to delete a vault that holds backup
    # instances, soft-deleted ones included, so under AlwaysOn soft delete the preview says the two steps instead
    # (`up` used to delete the instances, then fail on the vault).
    stack.set_config("e2e-preview:redundancy", "GeoRedundant")
    stack.set_config("e2e-preview:allowReplace", True)
    preview = stack.preview()
    assert preview.changes() == {"update": 1}, preview
    steps = one(warnings(stack), "BackupVault", wording.REFUSED)
    assert "This replacement takes two steps: 1. remove the backup instances from the program" in steps, steps
    assert "after 14 days, when Azure has purged them, run this change" in steps, steps
    refused_up = stack.up(check=False)
    assert not refused_up.ok and "This replacement takes two steps" in refused_up.output, refused_up
    assert dp.writes() == [], "nothing was deleted"
    unset_config(stack, "redundancy")
    unset_config(stack, "allowReplace")

    # on_delete="Retain" sets Pulumi's retain_on_delete: a destroy's preview says the vault is kept, not deleted.
    stack.set_config("e2e-preview:vaultOnDelete", "Retain")
    assert stack.up().changes() == {"update": 1}
    assert dp.writes() == [], "on_delete needs no request"
    destroy = stack.pulumi("destroy", "--preview-only").stdout
    assert "BackupVault vault delete[retain]" in destroy, destroy
    assert "BackupInstance lake1 delete" in destroy and "lake1 delete[retain]" not in destroy, destroy


def test_a_vault_replacement_allowed_everywhere_is_one_up_when_azure_can_delete_the_vault(
    dp: EmulatorHandle, tmp_path: Path, engine_bin: Path
) -> None:
    """Pulumi asks the instances of a vault replaced under its name whether they go too, with their inputs of the
    state (opt-in unset): the preview used to stop there, asking for the opt-in the program already set."""
    project = write_project(tmp_path / "project", PREVIEW_PROGRAM, name="e2e-preview")
    config = {
        "dataprotection:subscriptionId": SUBSCRIPTION,
        "dataprotection:apiVersion": "2025-07-01",
        "e2e-preview:softDelete": "Off",
    }
    stack = new_stack(project, tmp_path / "pulumi-state", engine_bin, "replace-in-one", config, dp)
    stack.up()

    stack.set_config("e2e-preview:redundancy", "GeoRedundant")
    stack.set_config("e2e-preview:allowReplace", True)
    lines = warnings(stack)
    assert one(lines, "BackupVault", "replaced because redundancy cannot change in place")
    assert one(lines, "BackupInstance 'lake1'", "replaced because its vault 'bv-e2e' is replaced")
    assert not [line for line in lines if wording.REFUSED in line], lines
    done = stack.up()
    assert done.changes() == {"replace": 5}, done
    outputs = {r["type"].rsplit(":", 1)[-1]: r["outputs"] for r in stack.resources() if "dataprotection" in r["type"]}
    assert outputs["BackupVault"]["redundancy"] == "GeoRedundant"
    assert outputs["BackupInstance"]["protection_state"] == "ProtectionConfigured"
