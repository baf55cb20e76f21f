"""The official azure-mgmt-dataprotection SDK, with its own LRO pollers, against the emulator over TLS."""

from __future__ import annotations

import time
from typing import Any, TypeVar

import pytest
from azure.core.exceptions import HttpResponseError
from azure.mgmt.dataprotection import DataProtectionMgmtClient
from azure.mgmt.dataprotection import models as m

from pulumi_dataprotection.emulator import EmulatorCredential, EmulatorHandle
from pulumi_dataprotection.emulator.config import API_VERSIONS
from tests.emulator import helpers
from tests.support.emulator import SUBSCRIPTION

RG = helpers.RG
VAULT = "sdkvault"
T = TypeVar("T")


def some(value: T | None) -> T:
    """The value, asserting the SDK model field is set."""
    assert value is not None
    return value


@pytest.fixture
def client(emulator_tls: EmulatorHandle) -> DataProtectionMgmtClient:
    return DataProtectionMgmtClient(
        EmulatorCredential(emulator_tls.token),
        SUBSCRIPTION,
        base_url=emulator_tls.url,
        api_version="2025-09-01",
        connection_verify=str(some(emulator_tls.ca_cert)),
        polling_interval=0.05,
    )


def _code(exc: pytest.ExceptionInfo[HttpResponseError]) -> str:
    return str(some(exc.value.error).code)


def _vault(client: DataProtectionMgmtClient, soft_delete: str = "AlwaysOn") -> m.BackupVaultResource:
    body = m.BackupVaultResource(helpers.vault_body(soft_delete=soft_delete))
    return client.backup_vaults.begin_create_or_update(RG, VAULT, body).result()


def _policy(client: DataProtectionMgmtClient, name: str, body: dict[str, Any]) -> str:
    return some(client.backup_policies.create_or_update(RG, VAULT, name, m.BaseBackupPolicyResource(body)).id)


def _instance(client: DataProtectionMgmtClient, name: str, props: dict[str, Any]) -> m.BackupInstanceResource:
    body = m.BackupInstanceResource({"properties": props})
    return client.backup_instances.begin_create_or_update(RG, VAULT, name, body).result()


def _validate(client: DataProtectionMgmtClient, props: dict[str, Any]) -> m.OperationJobExtendedInfo:
    request = m.ValidateForBackupRequest({"backupInstance": props})
    return client.backup_instances.begin_validate_for_backup(RG, VAULT, request).result()


def _wait_configured(client: DataProtectionMgmtClient, name: str) -> None:
    deadline = time.monotonic() + 5
    while some(client.backup_instances.get(RG, VAULT, name).properties).current_protection_state != (
        "ProtectionConfigured"
    ):
        assert time.monotonic() < deadline, f"{name} never reached ProtectionConfigured"
        time.sleep(0.05)


def test_sdk_lifecycle_with_its_own_pollers(client: DataProtectionMgmtClient, emulator_tls: EmulatorHandle) -> None:
    assert some(_vault(client).properties).provisioning_state == "Succeeded"
    assert some(client.backup_vaults.get(RG, VAULT).properties).secure_score == "Adequate"
    disk_policy = _policy(client, "diskpolicy", helpers.disk_policy())
    blob_policy = _policy(client, "blobpolicy", helpers.blob_policy())
    assert client.backup_policies.get(RG, VAULT, "diskpolicy").name == "diskpolicy"

    assert _validate(client, helpers.disk_instance(disk_policy)).object_type == "OperationJobExtendedInfo"
    disk = _instance(client, "disk-bi", helpers.disk_instance(disk_policy))
    assert some(disk.properties).provisioning_state == "Succeeded"
    blob = _instance(client, "blob-bi", helpers.blob_instance(blob_policy))
    assert some(blob.properties).provisioning_state == "Succeeded"
    _wait_configured(client, "disk-bi")

    trigger = m.TriggerBackupRequest({"backupRuleOptions": {"ruleName": "BackupHourly", "triggerOption": {}}})
    backup = client.backup_instances.begin_adhoc_backup(RG, VAULT, "disk-bi", trigger).result()
    job = client.jobs.get(RG, VAULT, some(backup.job_id).rsplit("/", 1)[1])
    assert some(job.properties).operation == "Backup"

    client.backup_instances.begin_delete(RG, VAULT, "disk-bi").result()
    client.backup_instances.begin_delete(RG, VAULT, "blob-bi").result()
    deleted = sorted(some(d.name) for d in client.deleted_backup_instances.list(RG, VAULT))
    assert deleted == ["blob-bi", "disk-bi"]
    client.backup_policies.delete(RG, VAULT, "diskpolicy")
    with pytest.raises(HttpResponseError) as soft_deleted_left:
        client.backup_vaults.begin_delete(RG, VAULT).result()
    assert _code(soft_deleted_left) == "UserErrorBackupVaultHasBackupInstances"
    emulator_tls.advance_clock(15 * 86400)
    client.backup_vaults.begin_delete(RG, VAULT).result()
    with pytest.raises(HttpResponseError) as missing:
        client.backup_vaults.get(RG, VAULT)
    assert missing.value.status_code == 404


def test_sdk_receives_azure_error_codes(client: DataProtectionMgmtClient) -> None:
    _vault(client)
    disk_policy = _policy(client, "diskpolicy", helpers.disk_policy())
    blob_policy = _policy(client, "blobpolicy", helpers.blob_policy())

    with pytest.raises(HttpResponseError) as soft_delete:
        _vault(client, soft_delete="On")
    assert _code(soft_delete) == "UserErrorDisableSoftDeleteNotAllowed"

    changed = helpers.disk_policy()
    changed["properties"]["policyRules"][1]["lifecycles"][0]["deleteAfter"]["duration"] = "P30D"
    with pytest.raises(HttpResponseError) as update:
        _policy(client, "diskpolicy", changed)
    assert _code(update) == "UserErrorBMSUpdatePolicyNotSupported"

    with pytest.raises(HttpResponseError) as mismatch:
        _validate(client, helpers.disk_instance(blob_policy))
    assert "UserErrorPolicyDatasourceTypeMismatch" in str(mismatch.value)

    _instance(client, "bi1", helpers.disk_instance(disk_policy))
    with pytest.raises(HttpResponseError) as busy:
        _instance(client, "bi1", helpers.disk_instance(disk_policy))
    assert busy.value.status_code == 409 and _code(busy) == "UserErrorAnotherOperationInProgress"

    with pytest.raises(HttpResponseError) as twice:
        _instance(client, "bi2", helpers.disk_instance(disk_policy))
    assert _code(twice) == "UserErrorDppDatasourceAlreadyHasBackupInstance"

    with pytest.raises(HttpResponseError) as in_use:
        client.backup_policies.delete(RG, VAULT, "diskpolicy")
    assert _code(in_use) == "UserErrorDppPolicyObjectInUse"

    with pytest.raises(HttpResponseError) as vault_in_use:
        client.backup_vaults.begin_delete(RG, VAULT).result()
    assert _code(vault_in_use) == "UserErrorBackupVaultHasBackupInstances"


def test_sdk_at_its_default_api_version(emulator_tls: EmulatorHandle) -> None:
    """azure-mgmt-dataprotection as users construct it (no api_version): its default (2026-06-01 in 2.2.0) is served,
    its pollers follow the emulator's links at that version, and every request it sent carried that version."""
    client = DataProtectionMgmtClient(
        EmulatorCredential(emulator_tls.token),
        SUBSCRIPTION,
        base_url=emulator_tls.url,
        connection_verify=str(some(emulator_tls.ca_cert)),
        polling_interval=0.05,
    )
    default = client._config.api_version
    assert default in API_VERSIONS
    assert some(_vault(client).properties).provisioning_state == "Succeeded"
    disk_policy = _policy(client, "diskpolicy", helpers.disk_policy())
    disk = _instance(client, "disk-bi", helpers.disk_instance(disk_policy))
    assert some(disk.properties).provisioning_state == "Succeeded"
    assert [v.name for v in client.backup_vaults.get_in_resource_group(RG)] == [VAULT]
    _wait_configured(client, "disk-bi")
    client.backup_instances.begin_delete(RG, VAULT, "disk-bi").result()
    emulator_tls.advance_clock(15 * 86400)  # past the soft-deleted instance's retention, which holds the vault
    client.backup_vaults.begin_delete(RG, VAULT).result()
    sent = {e["query"] for e in emulator_tls.request_log()}
    assert sent and all(f"api-version={default}" in q for q in sent), sent
