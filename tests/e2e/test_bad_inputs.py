"""End to end, bad configuration of the full example: ``preview`` fails, names the resource and the property (or
the config key) at fault, and writes nothing to Azure (the only requests are the reads that check whether the valid
resources it would create already exist, see docs/adoption.md)."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_dataprotection.emulator import EmulatorHandle
from tests.e2e.conftest import StackFactory
from tests.e2e.helpers import short

pytestmark = pytest.mark.engine

SUB = "11111111-1111-1111-1111-111111111111"

# (config key, bad value, what the error must name: "<type> resource '<name>'" and the property or config key)
CASES: list[tuple[str, Any, str, str]] = [
    ("vaultName", "bv_platform!", "BackupVault resource 'vault'", "property name "),
    ("redundancy", "SuperRedundant", "BackupVault resource 'vault'", "property redundancy "),
    ("location", "mars-north", "BackupVault resource 'vault'", "property location "),
    (
        "databaseRetention",
        "3 months",
        "BackupPolicy resource 'postgresql",  # the policy of either PostgreSQL kind, whichever is checked first
        "has a problem: policy_rules[1].lifecycles[0].delete_after must be",  # a nested path leads the reason
    ),
    ("adlsContainers", [], "BackupInstance resource 'adls'", "property containers "),
    (
        "postgresSecretUri",
        "http://kv-db-secrets.example.com/pg",
        "BackupInstance resource 'postgresql'",
        "property secret_store_uri ",
    ),
    ("aksClusterId", "aks-shop", "BackupInstance resource 'aks'", "property datasource_id "),
    (
        "aksSnapshotResourceGroupId",
        f"/subscriptions/{SUB}/resourceGroups/rg-aks-snapshots/extra",
        "BackupInstance resource 'aks'",
        "property snapshot_resource_group_id ",
    ),
    ("dataprotection:subscriptionId", "", "BackupVault resource 'vault'", "dataprotection:subscriptionId"),
    # Ids and names that break Azure's naming rules fail at preview too (issue 19), not halfway through `up`.
    ("dataprotection:subscriptionId", "prod-sub", "BackupVault resource 'vault'", "dataprotection:subscriptionId"),
    (
        "postgresSecretUri",
        "https://kv-db-secrets.vault.azure.net/secrets/pg-legacy-orders#v2",
        "BackupInstance resource 'postgresql'",
        "property secret_store_uri ",
    ),
    (
        "aksClusterId",
        f"/subscriptions/{SUB}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/managedClusters/..",
        "BackupInstance resource 'aks'",
        "property datasource_id ",
    ),
    (
        "adlsStorageAccountId",
        f"/subscriptions/{SUB}/resourceGroups/rg-data/providers/Microsoft.Storage/storageAccounts/st%2Flake",
        "BackupInstance resource 'adls'",
        "property datasource_id ",
    ),
    ("dataprotection:timeouts", {"create": "soon"}, "BackupVault resource 'vault'", "dataprotection:timeouts.create"),
]


@pytest.mark.parametrize(("key", "value", "resource", "named"), CASES, ids=[c[0].split(":")[-1] for c in CASES])
def test_invalid_configuration_fails_preview_naming_the_property_and_sends_nothing(
    full_stack: StackFactory, dp: EmulatorHandle, key: str, value: Any, resource: str, named: str
) -> None:
    stack = full_stack(f"bad-{key.split(':')[-1].lower()}", **{key: value})

    preview = stack.preview(check=False)

    assert not preview.ok, preview
    matching = [e for e in preview.errors if resource in e and named in e]
    assert matching, f"no error names {resource} and {named!r}: {preview.errors}"
    assert not any("{<nil>}" in e for e in matching), matching
    reads = [e for e in dp.request_log() if e["method"] == "GET"]
    assert dp.request_log() == reads and all(e["status"] == 404 for e in reads), short(dp.request_log())
    assert stack.resources() == []
