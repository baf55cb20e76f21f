"""End to end, an endpoint taken from the environment: a stack without ``dataprotection:endpoint`` that picks up
DATAPROTECTION_ENDPOINT/_TOKEN from the shell (a leftover of the demo) is told so in the preview."""

from __future__ import annotations

import pytest
import yaml

from pulumi_dataprotection.emulator import EmulatorHandle
from tests.e2e.conftest import StackFactory

pytestmark = pytest.mark.engine


def test_an_endpoint_from_the_environment_is_reported_in_the_preview(
    small_stack: StackFactory, dp: EmulatorHandle
) -> None:
    """Issue 19: leftover DATAPROTECTION_ENDPOINT/_TOKEN silently sent a stack without its own endpoint there."""
    stack = small_stack("env-endpoint", instances=0)
    explicit = stack.pulumi("preview", "--color=never")
    assert "DATAPROTECTION_ENDPOINT" not in explicit.stdout + explicit.stderr, "the stack's own endpoint: no warning"

    document = yaml.safe_load(stack.config_path().read_text(encoding="utf-8"))
    assert "dataprotection:endpoint" in document["config"]
    config = {
        k: v for k, v in document["config"].items() if k not in ("dataprotection:endpoint", "dataprotection:token")
    }
    stack.write_config(config)
    stack.env = {**stack.env, "DATAPROTECTION_ENDPOINT": dp.url, "DATAPROTECTION_TOKEN": dp.token}

    preview = stack.pulumi("preview", "--color=never")

    text = preview.stdout
    assert "Diagnostics:" in text and "warning: dataprotection: this stack sets no dataprotection:endpoint" in text
    assert f"its resources go to {dp.url} from DATAPROTECTION_ENDPOINT" in text
    assert "pulumi config set dataprotection:endpoint" in text
