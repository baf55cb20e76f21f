"""The ``azure`` timing profile: durations per operation, and per datasource kind where the recordings differ."""

from __future__ import annotations

import pytest

from pulumi_dataprotection.emulator import timing
from pulumi_dataprotection.emulator.config import from_args

AZURE = from_args(["--lro-profile", "azure"], env={})


@pytest.mark.parametrize("action", ["validate", "validate-restore"])
@pytest.mark.parametrize(
    ("kind", "done_by_30s"),
    [
        ("Microsoft.Storage/storageAccounts/blobServices", True),
        ("Microsoft.Storage/storageAccounts/adlsBlobServices", True),
        ("Microsoft.DBforPostgreSQL/servers/databases", True),
        ("Microsoft.Compute/disks", False),
        ("Microsoft.ContainerService/managedClusters", False),
        ("Microsoft.DBforMySQL/flexibleServers", False),
    ],
)
def test_validations_of_blobs_and_single_server_databases_end_sooner(action: str, kind: str, done_by_30s: bool) -> None:
    """Recorded: every poll of a blob, ADLS or PostgreSQL database validation says Succeeded at 30 s (e.g.
    corpus/azure-cli-extensions-head/test_dataprotection_backup_instance_restore_blob.yaml #5), a disk's, a
    cluster's or a flexible server's still Inprogress at 34 s."""
    seconds = timing.operation_seconds(AZURE, action, kind)
    assert (seconds <= 30) == done_by_30s and seconds > 2


def test_the_fixed_profile_ignores_the_kind() -> None:
    fixed = from_args(["--lro-seconds", "3"], env={})
    assert timing.operation_seconds(fixed, "validate", "Microsoft.Storage/storageAccounts/blobServices") == 3


def test_a_policy_change_runs_about_a_minute() -> None:
    """Recorded: a policy change still Inprogress at 32 s, Succeeded at 63 s (azure-cli-extensions/
    test_dataprotection_backup_instance_update_policy.yaml #4, #5)."""
    assert 32 < timing.operation_seconds(AZURE, "instance-update") <= 63


def test_a_vault_with_user_assigned_identities_is_written_longer() -> None:
    """Recorded: 5 of 6 polls of such vaults 1-2 s after the PUT say Inprogress, most others are done at 1 s (e.g.
    corpus/azure-cli-extensions-head/test_dataprotection_backup_vault_create_with_uami_update_and_delete.yaml)."""
    plain = timing.operation_seconds(AZURE, "vault-create", "SystemAssigned")
    assert plain <= 1 < 2 < timing.operation_seconds(AZURE, "vault-create", "SystemAssigned,UserAssigned")
