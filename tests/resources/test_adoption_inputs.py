"""Adoption inputs on the resource classes: ``import_=`` is refused with a message that says what works."""

from __future__ import annotations

import pulumi
import pytest

from pulumi_dataprotection import BackupInstance, BackupPolicy, BackupVault
from pulumi_dataprotection.dynamic import ImportNotSupportedError
from pulumi_dataprotection.dynamic.adoption import owner_marker

IMPORT = pulumi.ResourceOptions(import_="/subscriptions/x/resourceGroups/rg/providers/Microsoft.DataProtection/v")


def test_import_option_names_adopt_existing_and_the_import_command_instead_of_a_key_error() -> None:
    attempts = [
        lambda: BackupVault("vault", resource_group_name="rg", location="westeurope", redundancy="LRS", opts=IMPORT),
        lambda: BackupPolicy("p", vault_id="/v", datasource_types=[], policy_rules=[], opts=IMPORT),
        lambda: BackupInstance(
            "i", vault_id="/v", policy_id="/p", datasource_kind="aks", datasource_id="/d", opts=IMPORT
        ),
    ]
    for attempt, title in zip(attempts, ("BackupVault 'vault'", "BackupPolicy 'p'", "BackupInstance 'i'"), strict=True):
        with pytest.raises(ImportNotSupportedError) as err:
            attempt()
        message = str(err.value)
        assert message.startswith(title) and "Pulumi cannot import dynamic resources" in message
        assert "adopt_existing=True" in message and "pulumi-dataprotection import" in message


def test_owner_markers_differ_per_stack_and_resource() -> None:
    base = owner_marker("proj", "dev", "BackupVault", "vault")
    assert base == owner_marker("proj", "dev", "BackupVault", "vault") and len(base) == 24
    others = {
        owner_marker(*args) for args in [("proj", "prod", "BackupVault", "vault"), ("p", "dev", "BackupVault", "v")]
    }
    assert base not in others
