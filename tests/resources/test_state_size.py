"""What a resource keeps in Pulumi state: a representative backup instance's inputs and outputs stay small (every
byte is read and written by each preview and update of the stack), with no null outputs, and a refresh and a
no-change diff still work from them."""

from __future__ import annotations

import json
from typing import Any

from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.instance.resource import InstanceProvider
from pulumi_dataprotection.policy.resource import PolicyProvider
from pulumi_dataprotection.vault.resource import VaultProvider
from tests.resources.helpers import checked, instance_inputs, policy_inputs, up, vault_inputs

OUTPUTS_MAX_BYTES = 1900
"""Outputs of the instance below (2,350 bytes while every unset output was kept as null)."""
STATE_MAX_BYTES = 3500
"""Its checked inputs plus outputs (3,957 bytes with the nulls): with ``__provider`` and the engine's own metadata
(about 2,300 bytes), under the 6 KiB per resource of ``bench/``."""


def _size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":")).encode())


def test_a_backup_instance_keeps_no_null_outputs_and_stays_small(configured: EmulatorHandle) -> None:
    _, vault = up(VaultProvider(), vault_inputs("vault-with-a-realistic-name"))
    _, policy = up(PolicyProvider(), policy_inputs(vault["arm_id"], name="aks-policy-4h-7d"))
    news = instance_inputs(vault["arm_id"], policy["arm_id"], name="bi-aks-cluster-1", cluster="aks-cluster-1")
    provider = InstanceProvider()
    inputs = checked(provider, news)
    id_, outputs = up(provider, news)

    assert [k for k, v in outputs.items() if v is None] == []
    assert _size(outputs) <= OUTPUTS_MAX_BYTES, _size(outputs)
    assert _size(inputs) + _size(outputs) <= STATE_MAX_BYTES, (_size(inputs), _size(outputs))

    again = checked(provider, news, inputs)
    assert provider.diff(id_, outputs, again).changes is False
    refreshed = provider.read(id_, {**inputs, **outputs})
    assert refreshed.outs == outputs
    assert provider.diff(id_, refreshed.outs, checked(provider, news, refreshed.inputs)).changes is False
