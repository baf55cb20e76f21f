"""What a resource keeps in Pulumi state: a representative backup instance's inputs and outputs stay small (every
byte is read and written by each preview and update of the stack), and a refresh and a no-change diff still work
from them, also from a state written before the list of the inputs the program set left out the inputs that are
always set, and before it moved from ``managed_inputs`` (in inputs and outputs) to ``__managed_inputs`` (outputs only,
hidden from `pulumi preview --diff`)."""

from __future__ import annotations

import json
from typing import Any

from pulumi_dataprotection.dynamic.engine import MANAGED
from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.instance.resource import InstanceProvider
from pulumi_dataprotection.policy.resource import PolicyProvider
from pulumi_dataprotection.vault.resource import VaultProvider
from tests.resources.helpers import checked, instance_inputs, policy_inputs, up, vault_inputs

STATE_MAX_BYTES = 3050
"""Checked inputs plus outputs of the instance below as Pulumi stores them (3,368 bytes when ``managed_inputs``
listed every input with a default, 2,938 since that list is kept in the outputs only, 3,003 with ``protection``,
whose default depends on ``adopt_existing``, kept as input and output); with ``__provider`` and the engine's own
metadata (about 2,600 bytes in ``bench/``) under its 6 KiB per resource."""


def _stored_size(values: dict[str, Any]) -> int:
    """Bytes of ``values`` as the state keeps them: Pulumi's SDK sends no property whose value is None."""
    return len(json.dumps({k: v for k, v in values.items() if v is not None}, separators=(",", ":")).encode())


def test_a_backup_instance_state_stays_small_and_refreshes_the_same(configured: EmulatorHandle) -> None:
    _, vault = up(VaultProvider(), vault_inputs("vault-with-a-realistic-name"))
    _, policy = up(PolicyProvider(), policy_inputs(vault["arm_id"], name="aks-policy-4h-7d"))
    news = instance_inputs(vault["arm_id"], policy["arm_id"], name="bi-aks-cluster-1", cluster="aks-cluster-1")
    provider = InstanceProvider()
    inputs = checked(provider, news)
    id_, outputs = up(provider, news)

    size = _stored_size(inputs) + _stored_size(outputs)
    assert size <= STATE_MAX_BYTES, size
    assert "on_delete" not in outputs[MANAGED] and outputs["on_delete"] == "Delete", "implied: a default"
    assert MANAGED not in inputs and "managed_inputs" not in outputs, "kept once, under the hidden key"

    again = checked(provider, news, inputs)
    assert provider.diff(id_, outputs, again).changes is False
    refreshed = provider.read(id_, {**inputs, **outputs})
    assert refreshed.outs == outputs
    assert refreshed.inputs is not None and refreshed.inputs["on_delete"] == "Delete"
    assert provider.diff(id_, refreshed.outs, checked(provider, news, refreshed.inputs)).changes is False
    written_before = sorted({*outputs[MANAGED], "on_delete", "wait_for_protection", "adopt_existing"})
    legacy = {k: v for k, v in outputs.items() if k != MANAGED}
    assert provider.read(id_, {**legacy, "managed_inputs": written_before}).outs == outputs
