"""`permissions`: role assignments per datasource kind with scopes spelled out, from flags or a stack export, as a
table, JSON and a Pulumi program (executed here against stand-in pulumi modules)."""

from __future__ import annotations

import json
import sys
import types
from typing import Any

import pytest

from pulumi_dataprotection.datasources import KINDS
from pulumi_dataprotection.permissions import Target, load_table, parse_table, plan
from tests.cli import exports as ex
from tests.cli.conftest import AKS_ID, DISK_ID, PG_FLEX_ID, PG_SINGLE_ID

SUB = ex.SUB
VAULT_PRINCIPAL = "7d1c0b5e-2f4a-4c3b-9e8d-1a2b3c4d5e6f"
CLUSTER_PRINCIPAL = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"
EXTENSION_PRINCIPAL = "1f2e3d4c-5b6a-4978-8f7e-6d5c4b3a2918"
STORAGE_ID = f"{ex.DATA_RG}/providers/Microsoft.Storage/storageAccounts/stprod01"
EXT_STORAGE_ID = f"{ex.DATA_RG}/providers/Microsoft.Storage/storageAccounts/aksbackup01"
RESTORE_STORAGE_ID = f"{ex.DATA_RG}/providers/Microsoft.Storage/storageAccounts/restores01"
KEY_VAULT_ID = f"{ex.DATA_RG}/providers/Microsoft.KeyVault/vaults/kv-db"
MYSQL_ID = f"{ex.DATA_RG}/providers/Microsoft.DBforMySQL/flexibleServers/mysql-shop"
ESAN_ID = f"{ex.DATA_RG}/providers/Microsoft.ElasticSan/elasticSans/esan-shop"
COSMOS_ID = f"{ex.DATA_RG}/providers/Microsoft.DocumentDB/databaseAccounts/cosmos-shop"
COSMOS_TARGET_ID = f"{ex.DATA_RG}/providers/Microsoft.DocumentDB/databaseAccounts/cosmos-shop-restored"

ROLE = {
    "Reader": "acdd72a7-3385-48ef-bd42-f606fba81ae7",
    "Contributor": "b24988ac-6180-42a0-ab88-20f7382dd24c",
    "Disk Backup Reader": "3e5e47e6-65f7-47ef-90b5-e5dd4d455f24",
    "Disk Snapshot Contributor": "7efff54f-a5b4-42b5-a1c5-5411624893ce",
    "Storage Account Backup Contributor": "e5e2a7ff-d759-4cd2-bb51-3152d37e2eb1",
    "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
    "Key Vault Secrets User": "4633458b-17de-408a-b874-0445c86b69e6",
    "PostgreSQL Flexible Server Long Term Retention Backup Role": "c088a766-074b-43ba-90d4-1fb21feae531",
    "MySQL Backup And Export Operator": "d18ad5f3-1baf-4119-b49b-d944edb1f9d0",
    "Disk Restore Operator": "b50d9833-a0cb-478e-945f-707fcc997c13",
    "Key Vault Crypto Service Encryption User": "e147488a-f6f5-4113-8e2d-b22465e65bf6",
    "Elastic SAN Snapshot Exporter": "1c4770c0-34f7-4110-a1ea-a5855cc7a939",
    "Elastic SAN Volume Importer": "90e8b822-3e73-47b5-868a-787dc80c008f",
    "Cosmos DB Operator": "230815da-be43-4aae-9cb4-875f7bd000aa",
}
RESTORE_RG = f"/subscriptions/{SUB}/resourceGroups/rg-restores"
CMK_VAULT_ID = f"{ex.DATA_RG}/providers/Microsoft.KeyVault/vaults/kv-cmk"

# kind -> (datasource id, expected (identity, role, scope) rows incl. restore ones)
EXPECTED = {
    "disk": (
        DISK_ID,
        [
            ("vault", "Disk Backup Reader", DISK_ID),
            ("vault", "Disk Snapshot Contributor", ex.SNAPSHOT_RG),
            ("vault", "Disk Restore Operator", RESTORE_RG),
        ],
    ),
    "blob": (STORAGE_ID, [("vault", "Storage Account Backup Contributor", STORAGE_ID)]),
    "adls": (STORAGE_ID, [("vault", "Storage Account Backup Contributor", STORAGE_ID)]),
    "aks": (
        AKS_ID,
        [
            ("vault", "Reader", AKS_ID),
            ("vault", "Reader", ex.SNAPSHOT_RG),
            ("vault", "Disk Snapshot Contributor", ex.SNAPSHOT_RG),
            ("vault", "Storage Blob Data Reader", EXT_STORAGE_ID),
            ("cluster", "Contributor", ex.SNAPSHOT_RG),
            ("extension", "Storage Blob Data Contributor", EXT_STORAGE_ID),
        ],
    ),
    "postgresql": (
        PG_SINGLE_ID,
        [
            ("vault", "Reader", PG_SINGLE_ID),
            ("vault", "Key Vault Secrets User", KEY_VAULT_ID),
            ("vault", "Storage Blob Data Contributor", RESTORE_STORAGE_ID),
        ],
    ),
    "postgresql_flexible": (
        PG_FLEX_ID,
        [
            ("vault", "Reader", ex.DATA_RG),
            ("vault", "PostgreSQL Flexible Server Long Term Retention Backup Role", PG_FLEX_ID),
            ("vault", "Storage Blob Data Contributor", RESTORE_STORAGE_ID),
        ],
    ),
    "mysql_flexible": (
        MYSQL_ID,
        [
            ("vault", "Reader", ex.DATA_RG),
            ("vault", "MySQL Backup And Export Operator", MYSQL_ID),
            ("vault", "Storage Blob Data Contributor", RESTORE_STORAGE_ID),
        ],
    ),
    "elastic_san": (
        f"{ESAN_ID}/volumeGroups/vg-db",
        [
            ("vault", "Elastic SAN Snapshot Exporter", ESAN_ID),
            ("vault", "Disk Snapshot Contributor", ex.SNAPSHOT_RG),
            ("vault", "Elastic SAN Volume Importer", ESAN_ID),
            ("vault", "Reader", ex.SNAPSHOT_RG),
        ],
    ),
    "cosmos_db": (
        COSMOS_ID,
        [
            ("vault", "Cosmos DB Operator", COSMOS_ID),
            ("vault", "Reader", ex.DATA_RG),
            ("vault", "Cosmos DB Operator", COSMOS_TARGET_ID),
        ],
    ),
}

ALL_FLAGS = (
    "--vault-principal", VAULT_PRINCIPAL,
    "--vault-id", ex.vault_id("vault-prod"),
    "--snapshot-resource-group", ex.SNAPSHOT_RG,
    "--key-vault-id", KEY_VAULT_ID,
    "--cluster-principal", CLUSTER_PRINCIPAL,
    "--extension-principal", EXTENSION_PRINCIPAL,
    "--extension-storage-account", EXT_STORAGE_ID,
    "--restore-storage-account", RESTORE_STORAGE_ID,
    "--restore-resource-group", RESTORE_RG,
    "--restore-target", COSMOS_TARGET_ID,
)  # fmt: skip
PRINCIPALS = {"vault": VAULT_PRINCIPAL, "cluster": CLUSTER_PRINCIPAL, "extension": EXTENSION_PRINCIPAL}


def test_every_kind_has_a_table_entry_and_every_guid_is_the_built_in_one():
    table = load_table()
    assert set(table.datasources) == set(KINDS)
    assert dict(table.roles) == ROLE


@pytest.mark.parametrize("kind", list(KINDS))
def test_json_plan_for_every_kind(run_cli, kind):
    datasource_id, expected = EXPECTED[kind]
    args = ("permissions", "--datasource-type", kind, "--datasource-id", datasource_id, *ALL_FLAGS)
    result = run_cli(*args, "--include-restore", "--format", "json")
    assert result.code == 0, result.err
    data = result.json()
    rows = [(a["identity"], a["role"], a["scope"]) for a in data["assignments"]]
    assert rows == expected
    for a in data["assignments"]:
        assert a["principal_id"] == PRINCIPALS[a["identity"]]
        assert a["role_definition_id"] == (
            f"/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/{ROLE[a['role']]}"
        )
        assert a["missing"] == [] and a["reason"]
    assert data["missing"] == []
    if kind == "aks":
        assert data["trusted_access"] == [
            {
                "target": "aks-prod",
                "cluster_id": AKS_ID,
                "vault_id": ex.vault_id("vault-prod"),
                "roles": ["Microsoft.DataProtection/backupVaults/backup-operator"],
                "missing": [],
            }
        ]
    else:
        assert data["trusted_access"] == []
    without_restore = run_cli(*args, "--format", "json").json()
    assert all(a["purpose"] == "backup" for a in without_restore["assignments"])
    assert len(without_restore["assignments"]) == len([a for a in data["assignments"] if a["purpose"] == "backup"])


def test_customer_managed_key_role_on_the_key_vault_once_per_vault(run_cli):
    """A vault with a customer-managed key needs Key Vault Crypto Service Encryption User on the key's Key Vault:
    planned once for the vault, whatever the datasource kind; unknown Key Vault ids are named as still needed."""
    args = ("permissions", "--datasource-type", "blob", "--datasource-id", STORAGE_ID, *ALL_FLAGS)
    data = run_cli(*args, "--encryption-key-vault", CMK_VAULT_ID, "--format", "json").json()
    rows = [(a["identity"], a["role"], a["scope"]) for a in data["assignments"]]
    assert rows == [
        ("vault", "Storage Account Backup Contributor", STORAGE_ID),
        ("vault", "Key Vault Crypto Service Encryption User", CMK_VAULT_ID),
    ]
    without = run_cli(*args, "--format", "json").json()["assignments"]
    assert [a["role"] for a in without] == ["Storage Account Backup Contributor"]


def test_table_marks_what_is_still_needed(run_cli):
    result = run_cli(
        "permissions", "--datasource-type", "Microsoft.ContainerService/managedClusters", "--datasource-id", AKS_ID,
        "--vault-principal", VAULT_PRINCIPAL,
    )  # fmt: skip
    assert result.code == 0
    out = result.out
    for role in ("Reader", "Disk Snapshot Contributor", "Storage Blob Data Reader", "Contributor"):
        assert role in out
    assert "needs --cluster-principal" in out and "needs --extension-principal" in out
    assert "needs --snapshot-resource-group" in out and "needs --extension-storage-account" in out
    assert "trusted access on cluster" in out and "backupVaults/backup-operator" in out
    assert "Still needed:" in out and "aks-prod: --vault-id" in out


def test_pulumi_program_runs_and_creates_the_planned_assignments(run_cli, monkeypatch):
    result = run_cli(
        "permissions", "--datasource-type", "aks", "--datasource-id", AKS_ID, "--vault-principal", VAULT_PRINCIPAL,
        "--snapshot-resource-group", ex.SNAPSHOT_RG, "--format", "pulumi",
    )  # fmt: skip
    assert result.code == 0
    assert "4 value(s) still needed" in result.err
    created: list[tuple[str, str, dict[str, Any]]] = []
    required: list[str] = []

    class Config:
        def require(self, key):
            required.append(key)
            return f"<{key}>"

    def recorder(kind):
        return lambda name, **kwargs: created.append((kind, name, kwargs))

    pulumi = types.ModuleType("pulumi")
    pulumi.__dict__["Config"] = Config
    native = types.ModuleType("pulumi_azure_native")
    native.__dict__["authorization"] = types.SimpleNamespace(RoleAssignment=recorder("RoleAssignment"))
    native.__dict__["containerservice"] = types.SimpleNamespace(
        TrustedAccessRoleBinding=recorder("TrustedAccessRoleBinding")
    )
    monkeypatch.setitem(sys.modules, "pulumi", pulumi)
    monkeypatch.setitem(sys.modules, "pulumi_azure_native", native)
    exec(compile(result.out, "<permissions.py>", "exec"), {})

    assert sorted(required) == sorted(
        ["aksProdExtensionStorageAccountId", "aksProdClusterPrincipal", "aksProdExtensionPrincipal", "aksProdVaultId"]
    )
    assignments = [(k["principal_id"], k["role_definition_id"].rsplit("/", 1)[1], k["scope"])
                   for kind, _, k in created if kind == "RoleAssignment"]  # fmt: skip
    assert assignments == [
        (VAULT_PRINCIPAL, ROLE["Reader"], AKS_ID),
        (VAULT_PRINCIPAL, ROLE["Reader"], ex.SNAPSHOT_RG),
        (VAULT_PRINCIPAL, ROLE["Disk Snapshot Contributor"], ex.SNAPSHOT_RG),
        (VAULT_PRINCIPAL, ROLE["Storage Blob Data Reader"], "<aksProdExtensionStorageAccountId>"),
        ("<aksProdClusterPrincipal>", ROLE["Contributor"], ex.SNAPSHOT_RG),
        ("<aksProdExtensionPrincipal>", ROLE["Storage Blob Data Contributor"], "<aksProdExtensionStorageAccountId>"),
    ]
    assert all(k["principal_type"] == "ServicePrincipal" for kind, _, k in created if kind == "RoleAssignment")
    names = [name for _, name, _ in created]
    assert len(set(names)) == len(names)
    binding = next(k for kind, _, k in created if kind == "TrustedAccessRoleBinding")
    assert binding == {
        "resource_group_name": "rg-data",
        "resource_name_": "aks-prod",
        "trusted_access_role_binding_name": "aks-prod-backup",
        "source_resource_id": "<aksProdVaultId>",
        "roles": ["Microsoft.DataProtection/backupVaults/backup-operator"],
    }


def test_from_stack_export_uses_recorded_principals_and_scopes(run_cli, weak_export):
    result = run_cli(
        "permissions", "--stack-export", str(weak_export), "--cluster-principal", CLUSTER_PRINCIPAL,
        "--key-vault-id", KEY_VAULT_ID, "--format", "json",
    )  # fmt: skip
    assert result.code == 0, result.err
    data = result.json()
    rows = {(a["target"], a["identity"], a["role"], a["scope"], a["principal_id"]) for a in data["assignments"]}
    assert ("bi-disk-1", "vault", "Disk Backup Reader", DISK_ID, VAULT_PRINCIPAL) in rows
    assert ("bi-disk-1", "vault", "Disk Snapshot Contributor", ex.SNAPSHOT_RG, VAULT_PRINCIPAL) in rows
    assert ("bi-aks-new", "cluster", "Contributor", ex.SNAPSHOT_RG, CLUSTER_PRINCIPAL) in rows
    assert ("bi-pg-legacy", "vault", "Reader", PG_SINGLE_ID, VAULT_PRINCIPAL) in rows
    assert ("bi-pg-legacy", "vault", "Key Vault Secrets User", KEY_VAULT_ID, VAULT_PRINCIPAL) in rows
    assert {(m["target"], m["flag"]) for m in data["missing"]} == {
        ("bi-aks-new", "--extension-storage-account"),
        ("bi-aks-new", "--extension-principal"),
    }
    binding = data["trusted_access"][0]
    assert binding["vault_id"] == ex.vault_id("vault-weak") and binding["missing"] == []
    assert ex.CIPHERTEXT not in result.out + result.err


def test_key_vault_hint_when_only_the_secret_uri_is_known(run_cli, tmp_path):
    document = ex.stack_export(
        ex.vault({"name": "v1", "resource_group_name": "rg-backup", "location": "westeurope", "redundancy": "LRS",
                  "identity_type": "SystemAssigned"}),
        ex.instance(
            "bi-pg", "v1", f"{ex.vault_id('v1')}/backupPolicies/pg",
            {"datasource_kind": "postgresql", "datasource_id": PG_SINGLE_ID, "database_name": "app",
             "secret_store_uri": "https://kv-db.vault.azure.net/secrets/pg-conn"},
        ),
    )  # fmt: skip
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document))
    result = run_cli("permissions", "--stack-export", str(path), "--format", "json")
    kv = next(a for a in result.json()["assignments"] if a["role"] == "Key Vault Secrets User")
    assert kv["scope"] is None and kv["missing"] == ["key_vault_id"]
    assert kv["scope_description"].endswith("(https://kv-db.vault.azure.net/secrets/pg-conn)")


def test_user_assigned_vault_identity_is_used_when_the_instance_names_it():
    uami = f"{ex.RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/backup-msi"
    target = Target("bi", "mysql_flexible", MYSQL_ID, vault_principal="from-uami")
    assert {a.principal_id for a in plan([target]).assignments} == {"from-uami"}
    from pulumi_dataprotection.audit import parse_export
    from pulumi_dataprotection.cli.common import console
    from pulumi_dataprotection.cli.permissions import targets_from_export

    vault = ex.vault({"name": "v1", "resource_group_name": "rg-backup", "location": "westeurope", "redundancy": "LRS",
                      "identity_type": "UserAssigned", "user_assigned_identity_ids": [uami]})  # fmt: skip
    vault["outputs"]["user_assigned_identities"] = {uami: {"principalId": "uami-principal", "clientId": "c"}}
    inst = ex.instance("bi", "v1", f"{ex.vault_id('v1')}/backupPolicies/p",
                       {"datasource_kind": "mysql_flexible", "datasource_id": MYSQL_ID,
                        "user_assigned_identity_id": uami})  # fmt: skip
    targets = targets_from_export(parse_export(ex.stack_export(vault, inst)), {}, console(sys.stderr))
    assert targets[0].vault_principal == "uami-principal"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--datasource-type", "disk", "--datasource-id", DISK_ID), "--datasource-type needs --vault-principal"),
        (("--datasource-type", "disk", "--vault-principal", "p"), "--datasource-type needs --datasource-id"),
        (("--datasource-type", "cosmos", "--datasource-id", DISK_ID, "--vault-principal", "p"), "unknown datasource"),
        (
            ("--datasource-type", "aks", "--datasource-id", DISK_ID, "--vault-principal", "p"),
            "is a Microsoft.Compute/disks id, but a AKS cluster is a Microsoft.ContainerService/managedClusters",
        ),
        (("--datasource-type", "disk", "--datasource-id", "disk1", "--vault-principal", "p"), "not an ARM resource id"),
    ],
)
def test_bad_inputs_are_usage_errors(run_cli, args, message):
    result = run_cli("permissions", *args)
    assert result.code == 2
    assert message in result.err


def test_source_is_required_and_exclusive(run_cli, weak_export):
    assert run_cli("permissions").code == 2
    both = run_cli("permissions", "--stack-export", str(weak_export), "--datasource-type", "disk")
    assert both.code == 2 and "not allowed with argument" in both.err


def test_table_data_is_checked_when_loaded():
    good = json.loads(json.dumps({
        "roles": {"Reader": ROLE["Reader"]}, "identities": {"vault": "v"}, "scopes": {"datasource": "d"},
        "datasources": {k: {"assignments": [{"identity": "vault", "role": "Reader", "scope": "datasource",
                                             "purpose": "backup", "reason": "r"}]} for k in KINDS},
    }))  # fmt: skip
    assert set(parse_table(good).datasources) == set(KINDS)
    bad_role = json.loads(json.dumps(good))
    bad_role["datasources"]["disk"]["assignments"][0]["role"] = "Owner"
    with pytest.raises(ValueError, match=r"datasources.disk.assignments\[0\].role 'Owner'"):
        parse_table(bad_role)
    missing_kind = json.loads(json.dumps(good))
    del missing_kind["datasources"]["aks"]
    with pytest.raises(ValueError, match="no entry for datasource kind"):
        parse_table(missing_kind)
    bad_guid = json.loads(json.dumps(good))
    bad_guid["roles"]["Reader"] = "not-a-guid"
    with pytest.raises(ValueError, match="no valid role definition GUID"):
        parse_table(bad_guid)
