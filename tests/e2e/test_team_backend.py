"""End to end, state kept as infra teams keep it: in Azure Blob Storage through Pulumi's ``azblob://`` backend
(Azurite on 127.0.0.1), with the full example's up, preview and destroy against the emulator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_dataprotection.emulator import EmulatorHandle
from tests.e2e.azurite import Azurite, start_azurite
from tests.e2e.conftest import new_stack
from tests.e2e.helpers import inventory, short
from tests.e2e.pulumi_stack import materialize_example, sample_config
from tests.support.emulator import ArmClient

pytestmark = pytest.mark.engine

CONTAINER = "pulumi-state"
SUBSCRIPTION = "11111111-1111-1111-1111-111111111111"


@pytest.fixture
def azurite(tmp_path: Path) -> Iterator[Azurite]:
    """A fresh Azurite blob service for this test."""
    service = start_azurite(tmp_path / "azurite")
    yield service
    service.stop()


def test_up_preview_destroy_with_state_in_azure_blob_storage(
    dp: EmulatorHandle, arm: ArmClient, azurite: Azurite, tmp_path: Path, engine_bin: Path
) -> None:
    azurite.create_container(CONTAINER)
    project = materialize_example("full", tmp_path / "project")
    backend = {**azurite.env(), "PULUMI_BACKEND_URL": azurite.backend_url(CONTAINER)}
    local = tmp_path / "pulumi-state"
    stack = new_stack(project, local, engine_bin, "team", sample_config("full"), dp, env_extra=backend)

    up = stack.up()

    assert up.summary == {"create": 10}, up
    blobs = azurite.blobs(CONTAINER)
    assert ".pulumi/stacks/dataprotection-full/team.json" in blobs, blobs
    assert not [p for p in (local / "backend").rglob("*") if p.is_file()], "state was written to the local backend"
    assert len(inventory(arm, SUBSCRIPTION)) == 1

    dp.clear_request_log()
    preview = stack.preview("--expect-no-changes")
    assert preview.summary == {"same": 10}, preview
    assert dp.writes() == [], short(dp.writes())

    first = stack.destroy(check=False)
    assert not first.ok and "soft-deleted backup instances" in first.output, first.output[-3000:]
    dp.advance_clock(15 * 86400)  # the vault goes once its soft-deleted instances are purged, as on Azure
    destroy = stack.destroy()

    assert destroy.summary == {"delete": 2}, destroy  # the vault and the stack
    assert inventory(arm, SUBSCRIPTION) == {}
    assert stack.resources() == []
    history = [line for line in azurite.blobs(CONTAINER) if line.startswith(".pulumi/history/")]
    assert history, "no update history in the blob container"
