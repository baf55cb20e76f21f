"""The typed restore request builders reproduce the official restore examples body for body, every body they build
validates against the official spec, and they refuse what cannot be a restore."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from pulumi_dataprotection.restore.requests import (
    ContainerRestore,
    Identity,
    Rehydration,
    aks_target,
    blob_items_target,
    blob_range_target,
    cross_region_body,
    database_target,
    disk_target,
    files_target,
    restore_request,
    validate_body,
)
from tests.support.spec import SPEC_DIR, Example, Spec, load_spec

SOURCE_DB = (
    "/subscriptions/f75d8d8b-6735-4697-82e1-1a7a3ff0d5d4/resourceGroups/viveksipgtest/providers/"
    "Microsoft.DBforPostgreSQL/servers/viveksipgtest/databases/testdb"
)
SERVER = SOURCE_DB.rsplit("/databases/", 1)[0]
SECRET = "https://samplevault.vault.azure.net/secrets/credentials"
UAMI = (
    "/subscriptions/f75d8d8b-6735-4697-82e1-1a7a3ff0d5d4/resourcegroups/rg-name/providers/"
    "Microsoft.ManagedIdentity/userAssignedIdentities/testUami"
)


def _example(spec: Spec, name: str) -> Example:
    found = [e for e in load_spec("2025-09-01").examples() if e.path.name == name]
    if found:
        return found[0]
    # TriggerRestore_ItemLevel.json is in the examples folder but no operation of the spec references it
    path = SPEC_DIR / "examples" / "BackupInstanceOperations" / name
    data = json.loads(path.read_text(encoding="utf-8"))
    return Example(path, "BackupInstances_TriggerRestore", data["parameters"], data["responses"])


def _database_restore() -> dict[str, Any]:
    target = database_target(SERVER, "targetdb", "", secret_store_uri=SECRET, restore_location="southeastasia")
    return restore_request(
        target,
        source_datastore="VaultStore",
        recovery_point_id="hardcodedRP",
        source_resource_id=SOURCE_DB,
        identity=Identity(UAMI),
    )


def test_postgresql_database_restore_is_the_official_example(spec: Spec) -> None:
    assert _database_restore() == _example(spec, "TriggerRestore.json").request_body


def test_validate_restore_is_the_official_example(spec: Spec) -> None:
    assert validate_body(_database_restore()) == _example(spec, "ValidateRestore.json").request_body


@pytest.mark.parametrize("name", ["TriggerCrossRegionRestore.json", "ValidateCrossRegionRestore.json"])
def test_cross_region_restore_is_the_official_example(spec: Spec, name: str) -> None:
    example = _example(spec, name).request_body
    request = restore_request(
        database_target(SERVER, "targetdb", "", secret_store_uri=SECRET, restore_location="southeastasia"),
        source_datastore="VaultStore",
        recovery_point_id="hardcodedRP",
        source_resource_id=SOURCE_DB,
    )
    details = example["crossRegionRestoreDetails"]
    body = cross_region_body(
        request, source_region=details["sourceRegion"], source_instance_id=details["sourceBackupInstanceId"]
    )
    assert body == example


def test_restore_as_files_is_the_official_example(spec: Spec) -> None:
    target = files_target(
        "https://teststorage.blob.core.windows.net/restoretest", "restoredblob", restore_location="southeastasia"
    )
    body = restore_request(
        target, source_datastore="VaultStore", recovery_point_id="hardcodedRP", source_resource_id=SOURCE_DB
    )
    assert body == _example(spec, "TriggerRestoreAsFiles.json").request_body


def test_blob_item_level_restore_is_the_official_example_with_the_declared_target_type(spec: Spec) -> None:
    example = copy.deepcopy(_example(spec, "TriggerRestore_ItemLevel.json").request_body)
    # The example sends restoreCriteria on a RestoreTargetInfo, which does not declare it (ItemLevelRestoreTargetInfo
    # does); the builder uses the declared type, the rest is the example body for body.
    assert spec.validate_request("BackupInstances_TriggerRestore", example) == [
        "$.restoreTargetInfo.restoreCriteria: property not declared by the spec"
    ]
    example["restoreTargetInfo"]["objectType"] = "ItemLevelRestoreTargetInfo"
    account = example["sourceResourceId"]
    target = blob_items_target(
        account,
        "southeastasia",
        [ContainerRestore("container1", rename_to="container1new", prefixes=["abc", "def", "ghi"])],
        secret_store_uri=SECRET,
    )
    body = restore_request(
        target,
        source_datastore="VaultStore",
        recovery_point_id="33fdef0e0e2e4594b63092ae9a56f58d",
        source_resource_id=account,
        identity=Identity(example["identityDetails"]["userAssignedIdentityArmUrl"]),
    )
    assert body == example
    assert spec.validate_request("BackupInstances_TriggerRestore", body) == []


RG = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg"
CLUSTER = f"{RG}/providers/Microsoft.ContainerService/managedClusters/aks1"
ACCOUNT = f"{RG}/providers/Microsoft.Storage/storageAccounts/st1"


@pytest.mark.parametrize(
    "request_body",
    [
        restore_request(
            aks_target(CLUSTER, "westeurope", namespace_mappings={"shop": "shop-drill"}),
            source_datastore="OperationalStore",
            recovery_point_id="rp1",
        ),
        restore_request(
            aks_target(
                CLUSTER,
                "westeurope",
                namespace_mappings={"shop": "shop-drill"},
                vault_tier=True,
                staging_resource_group_id="/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/stage",
                staging_storage_account_id=ACCOUNT,
            ),
            source_datastore="VaultStore",
            recovery_point_id="rp1",
            identity=Identity(),
        ),
        restore_request(
            blob_range_target(ACCOUNT, "westeurope", [("invoices/2024", "invoices/2025")], kind="adls"),
            source_datastore="OperationalStore",
            point_in_time="2025-01-01T00:00:00Z",
        ),
        restore_request(
            disk_target(
                ACCOUNT.replace("Microsoft.Storage/storageAccounts/st1", "Microsoft.Compute/disks/d2"), "westeurope"
            ),
            source_datastore="OperationalStore",
            recovery_point_id="rp1",
        ),
        restore_request(
            database_target(
                f"{RG}/providers/Microsoft.DBforPostgreSQL/servers/pg",
                "orders_drill",
                "westeurope",
                secret_store_uri=SECRET,
            ),
            source_datastore="ArchiveStore",
            recovery_point_id="rp1",
            rehydration=Rehydration("High", "P12D"),
        ),
    ],
    ids=["aks-operational", "aks-vault-tier", "adls-point-in-time", "disk", "postgresql-archive"],
)
def test_every_built_body_validates_against_the_spec(spec: Spec, spec_2025: Spec, request_body: dict[str, Any]) -> None:
    for version_spec in (spec, spec_2025):
        assert version_spec.validate_request("BackupInstances_TriggerRestore", request_body) == []
        assert version_spec.validate_request("BackupInstances_ValidateForRestore", validate_body(request_body)) == []


def test_a_restore_from_the_archive_rehydrates() -> None:
    target = disk_target(CLUSTER, "westeurope")
    body = restore_request(target, source_datastore="ArchiveStore", recovery_point_id="rp1", rehydration=Rehydration())
    assert body["objectType"] == "AzureBackupRestoreWithRehydrationRequest"
    assert (body["rehydrationPriority"], body["rehydrationRetentionDuration"]) == ("Standard", "P10D")
    with pytest.raises(ValueError, match="rehydrat"):
        restore_request(target, source_datastore="ArchiveStore", recovery_point_id="rp1")
    with pytest.raises(ValueError, match="rehydrat"):
        restore_request(target, source_datastore="VaultStore", recovery_point_id="rp1", rehydration=Rehydration())


def test_builders_refuse_what_cannot_be_a_restore() -> None:
    with pytest.raises(ValueError, match="exactly one of"):
        restore_request(disk_target(CLUSTER, "westeurope"), source_datastore="VaultStore")
    with pytest.raises(ValueError, match="namespace_mappings"):
        aks_target(CLUSTER, "westeurope", namespace_mappings={})
    with pytest.raises(ValueError, match="staging"):
        aks_target(CLUSTER, "westeurope", namespace_mappings={"a": "b"}, vault_tier=True)
    with pytest.raises(ValueError, match="at least one container"):
        blob_items_target(ACCOUNT, "westeurope", [])
