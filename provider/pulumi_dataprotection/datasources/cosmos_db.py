"""The Cosmos DB account kind (api-version 2026-06-01): its catalog entry, recommended policy, roles and restore drill
target.

Evidence (the 2026-06-01 spec has no Cosmos DB example; its bodies are the generic ones):

- Azure Backup's "Support matrix for Azure Cosmos DB vaulted backup": NoSQL and MongoDB (RU) accounts in continuous
  backup mode; daily incremental backups with one weekly full backup (incremental-only policies are refused);
  restores to an empty single-region account of the same API type (alternate location only);
- Terraform azurerm's ``data_protection_backup_instance_cosmosdb_account`` and
  ``data_protection_backup_policy_cosmosdb_account`` (api-version 2026-06-01): ``dataSourceInfo`` of type
  ``Microsoft.DocumentDB/databaseAccounts`` without datasource parameters or datasource set; the policy's backup rule
  ``BackupWeekly`` (Full, VaultStore, ``P1W``) and, when daily backups are on, ``BackupWeeklyIncremental``
  (Incremental, VaultStore) on the six other days, retention in VaultStore only;
- Azure PowerShell's Az.DataProtection ``AzureCosmosDB`` manifest: the roles (Cosmos DB Operator on the account,
  Reader on its resource group, Cosmos DB Operator on the restore target), VaultStore only, alternate-location
  restores only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pulumi_dataprotection.datasources.kind import EXAMPLE_GROUPS, DatasourceKind, DrillContext, RoleRow

if TYPE_CHECKING:
    from pulumi_dataprotection.policy.builders import PolicyInputs
    from pulumi_dataprotection.restore.drill import DrillTarget, Source

ACCOUNT_API_VERSION = "2024-11-15"
"""The Microsoft.DocumentDB api-version drills delete their scratch accounts with."""

ACCOUNT_NAME_LIMIT = 44
"""Cosmos DB account names: 3-44 lower-case letters, digits and hyphens."""


def default_policy() -> PolicyInputs:
    """Recommended Cosmos DB backup policy: a full backup every Sunday at 02:00 UTC and an incremental backup on the
    other days, kept 3 months in the vault, and the first backup of each month kept 1 year.
    """
    from pulumi_dataprotection.policy.builders import Retention, TaggedRetention, cosmos_db_policy, first_of

    return cosmos_db_policy(
        "Sunday",
        "02:00",
        Retention("P3M"),
        tagged=[TaggedRetention("Monthly", "P1Y", first_of("month"))],
    )


def _drill(source: Source, ctx: DrillContext) -> DrillTarget:
    """A new account ``<account>-<suffix>`` beside the source account, or ``target_account`` when that is a Cosmos DB
    account (an empty one: Azure restores Cosmos DB backups to an empty account only, never over the source; a storage
    account given for the blob instances of the same run is not one). The ``RestoreTargetInfo`` naming the target
    account is a documented guess: neither the spec nor Terraform (which has no restore) shows a Cosmos DB restore."""
    from pulumi_dataprotection.datasources.kind import datasource_blocks
    from pulumi_dataprotection.restore.drill import Cleanup, DrillTarget, refuse_protected, scratch_name

    parent, _, account = source.datasource_id.rstrip("/").rpartition("/")
    given = ctx.options.target_account
    if given and f"/providers/{KIND.id_type.lower()}/" not in given.lower():
        given = None
    target_id = given or f"{parent}/{scratch_name(account, ctx.options.suffix, limit=ACCOUNT_NAME_LIMIT)}"
    refuse_protected("Cosmos DB account", [target_id], [source.datasource_id])
    info, _ = datasource_blocks(KIND, target_id, source.location)
    target = {
        "objectType": "RestoreTargetInfo",
        "recoveryOption": "FailIfExists",
        "datasourceInfo": info,
        "restoreLocation": ctx.options.restore_region or source.location,
    }
    cleanup = () if given else (Cleanup(target_id, ACCOUNT_API_VERSION),)
    return DrillTarget("VaultStore", target, target_id, cleanup)


KIND = DatasourceKind(
    key="cosmos_db",
    title="Cosmos DB account",
    datasource_type="Microsoft.DocumentDB/databaseAccounts",
    resource_type="Microsoft.DocumentDB/databaseAccounts",
    id_type="Microsoft.DocumentDB/databaseAccounts",
    backup_datastores=("VaultStore",),
    retention_datastores=("VaultStore",),
    backup_types=("Full", "Incremental"),
    periods=("P1W",),
    max_backup_rules=2,
    required_backup_type="Full",
    geo_redundant_vault=True,
    since="2026-06-01",
    order=9,
    default_policy=default_policy,
    roles=(
        RoleRow(
            identity="vault",
            role="Cosmos DB Operator",
            scope="datasource",
            purpose="backup",
            reason="take the account's backups",
        ),
        RoleRow(
            identity="vault",
            role="Reader",
            scope="datasource_resource_group",
            purpose="backup",
            reason="discover the account",
        ),
        RoleRow(
            identity="vault",
            role="Cosmos DB Operator",
            scope="restore_target",
            purpose="restore",
            reason="write the restored data into the empty target account",
        ),
    ),
    restore_target=_drill,
    example={
        "datasource_id": f"{EXAMPLE_GROUPS}/rg-data/providers/Microsoft.DocumentDB/databaseAccounts/cosmos-orders"
    },
)
