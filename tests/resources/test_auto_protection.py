"""Blob and ADLS auto-protection (api-version 2026-06-01): the instance inputs render the spec's auto-protection
datasource parameters, converge on the emulator (create, then an empty diff) and are refused where they cannot apply
(with containers, prefixes without auto-protection, an older api-version)."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_dataprotection import config as config_module
from pulumi_dataprotection.datasources import KINDS
from pulumi_dataprotection.datasources.coverage import instance_inputs, policy_inputs
from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.instance.resource import InstanceProvider
from pulumi_dataprotection.instance.schema import INSTANCE
from pulumi_dataprotection.policy.resource import PolicyProvider
from pulumi_dataprotection.vault.resource import VaultProvider
from tests.resources.conftest import stack_config
from tests.resources.helpers import checked, up, vault_inputs
from tests.support.spec import Spec

PREFIXES = ["temp-", "test-"]


def _auto(key: str, policy_id: str | None = None, **extra: Any) -> dict[str, Any]:
    inputs = {k: v for k, v in instance_inputs(KINDS[key], policy_id).items() if k != "containers"}
    return {**inputs, "auto_protection": True, "auto_protection_excluded_prefixes": PREFIXES, **extra}


@pytest.mark.parametrize(("key", "object_type"), [("blob", "Blob"), ("adls", "AdlsBlob")])
def test_auto_protection_renders_the_spec_parameters(key: str, object_type: str, spec: Spec) -> None:
    inputs = _auto(key)
    assert not INSTANCE.check(inputs).failures
    body = INSTANCE.to_rest(inputs)
    spec.assert_valid("BackupInstanceResource", body)
    (params,) = body["properties"]["policyInfo"]["policyParameters"]["backupDatasourceParametersList"]
    assert params == {
        "objectType": f"{object_type}BackupDatasourceParametersForAutoProtection",
        "autoProtectionSettings": {
            "objectType": "BlobBackupRuleBasedAutoProtectionSettings",
            "enabled": True,
            "rules": [
                {"objectType": "BlobBackupAutoProtectionRule", "mode": "Exclude", "type": "Prefix", "pattern": p}
                for p in PREFIXES
            ],
        },
    }


@pytest.mark.parametrize("key", ["blob", "adls"])
def test_auto_protection_converges_on_the_emulator(key: str, configured: EmulatorHandle) -> None:
    vault_id, _ = up(VaultProvider(), vault_inputs(identity_type="SystemAssigned"))
    policy_id, _ = up(PolicyProvider(), {**policy_inputs(KINDS[key]), "vault_id": vault_id})
    provider = InstanceProvider()
    news = {**_auto(key, policy_id), "vault_id": vault_id}
    id_, outs = up(provider, news)
    assert outs["protection_state"] == "ProtectionConfigured", outs
    assert outs["auto_protection"] is True and outs["auto_protection_excluded_prefixes"] == PREFIXES
    read = provider.read(id_, outs)
    diff = provider.diff(id_, read.outs or {}, checked(provider, news, read.outs or {}))
    assert diff.changes is False, diff.__dict__


def test_auto_protection_is_refused_where_it_cannot_apply(configured: EmulatorHandle) -> None:
    with_containers = INSTANCE.check({**_auto("blob"), "containers": ["invoices"]}).failures
    assert [f.property for f in with_containers] == ["auto_protection"]
    prefixes_only = INSTANCE.check({**_auto("adls"), "auto_protection": None}).failures
    assert "auto_protection_excluded_prefixes needs auto_protection=True" in [f.reason for f in prefixes_only]
    config_module.set_stack_config(stack_config(configured, **{"dataprotection:apiVersion": "2025-09-01"}))
    result = InstanceProvider().check({}, _auto("blob"))
    (failure,) = result.failures
    assert failure.property == "auto_protection" and "needs api-version 2026-06-01" in failure.reason
