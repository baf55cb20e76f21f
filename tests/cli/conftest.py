"""Fixtures of the CLI tests: stack exports (a compliant stack and a weak one) and ``run_cli``."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from pulumi_dataprotection.cli import main
from pulumi_dataprotection.cli.policy_template import recommended_inputs
from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.instance.schema import INSTANCE
from pulumi_dataprotection.policy.builders import Retention, Schedule, blob_operational_policy, disk_policy
from pulumi_dataprotection.policy.schema import POLICY
from pulumi_dataprotection.vault.schema import VAULT
from tests.cli import exports as ex
from tests.support.emulator import ArmClient as TestArmClient

AKS_ID = f"{ex.DATA_RG}/providers/Microsoft.ContainerService/managedClusters/aks-prod"
PG_FLEX_ID = f"{ex.DATA_RG}/providers/Microsoft.DBforPostgreSQL/flexibleServers/pg-orders"
PG_SINGLE_ID = f"{ex.DATA_RG}/providers/Microsoft.DBforPostgreSQL/servers/pg-legacy"
DISK_ID = f"{ex.DATA_RG}/providers/Microsoft.Compute/disks/data-disk-1"
MISSING_PERMISSIONS = {
    "code": "UserErrorMSIMissingPermissions",
    "message": "Appropriate permissions to perform the operation is missing.",
    "recommendedAction": ["Grant the backup vault's managed identity the Disk Backup Reader role on the disk."],
    "isRetryable": False,
    "isUserError": True,
}


@dataclass
class CliResult:
    """Exit code and captured streams of one CLI run."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        """stdout parsed as JSON."""
        return json.loads(self.out)


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run ``main([...])`` and capture what it printed."""

    def run(*argv: str) -> CliResult:
        capsys.readouterr()
        code = main(list(argv))
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def compliant_document() -> dict[str, Any]:
    """A production stack following every recommendation."""
    secure = ex.vault(
        {
            "name": "vault-prod",
            "resource_group_name": "rg-backup",
            "location": "westeurope",
            "redundancy": "GeoRedundant",
            "identity_type": "SystemAssigned",
            "soft_delete_state": "AlwaysOn",
            "soft_delete_retention_days": 30,
            "immutability_state": "Locked",
            "cross_region_restore_state": "Enabled",
            "encryption_key_uri": "https://kv-backup.vault.azure.net/keys/backup-key",
            "tags": {"env": "prod", "owner": "platform"},
        }
    )
    aks_policy = ex.policy("aks-default", "vault-prod", recommended_inputs("aks"))
    pg_policy = ex.policy("pgflex-default", "vault-prod", recommended_inputs("postgresql_flexible"))
    aks_instance = ex.instance(
        "bi-aks-prod",
        "vault-prod",
        aks_policy,
        {
            "datasource_kind": "aks",
            "datasource_id": AKS_ID,
            "datasource_location": "westeurope",
            "snapshot_resource_group_id": ex.SNAPSHOT_RG,
        },
        on_delete="StopProtectionRetainData",
    )
    pg_instance = ex.instance(
        "bi-pg-orders",
        "vault-prod",
        pg_policy,
        {"datasource_kind": "postgresql_flexible", "datasource_id": PG_FLEX_ID, "datasource_location": "westeurope"},
        on_delete="Retain",
    )
    return ex.stack_export(secure, aks_policy, pg_policy, aks_instance, pg_instance)


def weak_document() -> dict[str, Any]:
    """A production stack with most things wrong, missing outputs and a secret."""
    weak = ex.vault(
        {
            "name": "vault-weak",
            "resource_group_name": "rg-backup",
            "location": "westeurope",
            "redundancy": "LocallyRedundant",
            "identity_type": "SystemAssigned",
            "soft_delete_state": "Off",
            "immutability_state": "Disabled",
            "tags": {"environment": "Production", "team": "<b>payments</b>"},
        }
    )
    short = ex.policy("disk-short", "vault-weak", disk_policy(Schedule.hourly(4), Retention("P7D")))
    unused = ex.policy("blob-unused", "vault-weak", blob_operational_policy("P30D"))
    pg_single = ex.policy("pg-legacy", "vault-weak", recommended_inputs("postgresql"))
    disk_instance = ex.instance(
        "bi-disk-1",
        "vault-weak",
        short,
        {"datasource_kind": "disk", "datasource_id": DISK_ID, "snapshot_resource_group_id": ex.SNAPSHOT_RG},
        protection_state="ProtectionError",
        protection_error=MISSING_PERMISSIONS,
    )
    aks_pending = ex.instance(
        "bi-aks-new",
        "vault-weak",
        ex.policy("aks-default", "vault-weak", recommended_inputs("aks")),
        {"datasource_kind": "aks", "datasource_id": AKS_ID, "snapshot_resource_group_id": ex.SNAPSHOT_RG},
        protection_state="ConfiguringProtection",
        on_delete="StopProtectionRetainData",
    )
    outside = ex.instance(
        "bi-disk-2",
        "vault-weak",
        f"{ex.vault_id('vault-weak')}/backupPolicies/shared-disk-policy",
        {
            "datasource_kind": "disk",
            "datasource_id": DISK_ID.replace("data-disk-1", "data-disk-2"),
            "snapshot_resource_group_id": ex.SNAPSHOT_RG,
        },
        on_delete="Suspend",
    )
    pg_legacy = ex.instance(
        "bi-pg-legacy",
        "vault-weak",
        pg_single,
        {
            "datasource_kind": "postgresql",
            "datasource_id": PG_SINGLE_ID,
            "database_name": "orders",
            "secret_store_uri": "https://kv-db.vault.azure.net/secrets/pg-conn",
        },
        on_delete="Retain",
        secret_outputs=("secret_store_uri",),
    )
    job = f"{ex.vault_id('vault-weak')}/backupJobs/3c60cb49-63e8-4b21-b9bd-26277b3fdfae"
    adhoc = ex.adhoc("nightly-extra", disk_instance, job, "Completed")
    orphan = ex.bare("BackupVault", "vault-orphan", ex.vault_id("vault-orphan"))
    gone = ex.policy("disk-old", "vault-weak", disk_policy(Schedule.daily(), Retention("P1D")))
    return ex.stack_export(
        weak,
        short,
        unused,
        pg_single,
        disk_instance,
        aks_pending,
        outside,
        pg_legacy,
        adhoc,
        orphan,
        pending_delete=gone,
    )


def _write(tmp_path: Path, name: str, document: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


@pytest.fixture
def compliant_export(tmp_path: Path) -> Path:
    """The compliant stack export file."""
    return _write(tmp_path, "compliant.json", compliant_document())


@pytest.fixture
def weak_export(tmp_path: Path) -> Path:
    """The weak stack export file."""
    return _write(tmp_path, "weak.json", weak_document())


@pytest.fixture
def disk_template() -> dict[str, Any]:
    """The recommended disk policy inputs."""
    return dict(recommended_inputs("disk"))


EMULATOR_SUB = "00000000-0000-0000-0000-0000000000aa"


@dataclass
class EmulatorStack:
    """A vault with a protected disk (recommended disk policy) and a blob account with an operational policy."""

    handle: EmulatorHandle
    arm: TestArmClient
    vault_id: str
    disk_policy_id: str
    disk_instance_id: str = ""
    blob_instance_id: str = ""

    def args(self) -> list[str]:
        """The target flags of backup-now for this emulator."""
        return ["--endpoint", self.handle.url, "--token", self.handle.token, "--poll-interval", "0.05"]

    def put(self, path: str, body: dict[str, Any]) -> None:
        """PUT a resource and let its long-running operation (and protection configuration) finish at once."""
        response = self.arm.put(path, body)
        assert response.status_code in (200, 201, 202), response.text
        self.handle.advance_clock(5)

    def protect(self, name: str, fields: dict[str, Any], policy_id: str) -> str:
        """Create a backup instance whose protection has settled; returns its id."""
        instance_id = f"{self.vault_id}/backupInstances/{name}"
        inputs = {"name": name, "vault_id": self.vault_id, "policy_id": policy_id, **fields}
        self.put(instance_id, INSTANCE.to_rest(inputs))
        return instance_id


@pytest.fixture
def emulator_stack(emulator: EmulatorHandle, arm: TestArmClient) -> EmulatorStack:
    """Resources in the emulator for backup-now."""
    rg = f"/subscriptions/{EMULATOR_SUB}/resourceGroups"
    vault_id = f"{rg}/rg-cli/providers/Microsoft.DataProtection/backupVaults/vault-cli"
    stack = EmulatorStack(emulator, arm, vault_id, f"{vault_id}/backupPolicies/disk-default")
    vault_inputs = {
        "name": "vault-cli",
        "resource_group_name": "rg-cli",
        "location": "westeurope",
        "redundancy": "LocallyRedundant",
        "identity_type": "SystemAssigned",
        "soft_delete_state": "AlwaysOn",
        "soft_delete_retention_days": 14,
    }
    stack.put(vault_id, VAULT.to_rest(vault_inputs))
    stack.put(
        stack.disk_policy_id,
        POLICY.to_rest({"name": "disk-default", "vault_id": vault_id, **recommended_inputs("disk")}),
    )
    blob_policy_id = f"{vault_id}/backupPolicies/blob-operational"
    blob_inputs = {"name": "blob-operational", "vault_id": vault_id, **blob_operational_policy("P30D")}
    stack.put(blob_policy_id, POLICY.to_rest(blob_inputs))
    stack.disk_instance_id = stack.protect(
        "bi-disk",
        {
            "datasource_kind": "disk",
            "datasource_id": f"{rg}/rg-data/providers/Microsoft.Compute/disks/disk-cli",
            "datasource_location": "westeurope",
            "snapshot_resource_group_id": f"{rg}/rg-snapshots",
        },
        stack.disk_policy_id,
    )
    stack.blob_instance_id = stack.protect(
        "bi-blob",
        {
            "datasource_kind": "blob",
            "datasource_id": f"{rg}/rg-data/providers/Microsoft.Storage/storageAccounts/stcli01",
            "datasource_location": "westeurope",
        },
        blob_policy_id,
    )
    emulator.clear_request_log()
    return stack
