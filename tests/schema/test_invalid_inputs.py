"""A table of invalid inputs: each gives a check failure that names the property and says what is allowed, with
no network access at all (check is pure)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pulumi_dataprotection.instance.schema import INSTANCE, check_policy_match
from pulumi_dataprotection.policy.schema import POLICY
from pulumi_dataprotection.schema import InputProblem, ResourceSchema
from pulumi_dataprotection.vault.schema import VAULT
from tests.schema.samples import SUB, instance_inputs, policy_inputs, vault_inputs

pytestmark = pytest.mark.usefixtures("no_network")


Edit = Callable[[dict[str, Any]], None]


def _set(**values: Any) -> Edit:
    return lambda inputs: inputs.update(values)


def _drop(*names: str) -> Edit:
    def edit(inputs: dict[str, Any]) -> None:
        for name in names:
            inputs.pop(name, None)

    return edit


def _rule(index: int, **values: Any) -> Edit:
    return lambda inputs: inputs["policy_rules"][index].update(values)


def _tag(rule: int, tag: int, **values: Any) -> Edit:
    return lambda inputs: inputs["policy_rules"][rule]["tagging_criteria"][tag].update(values)


def _life(rule: int, life: int, **values: Any) -> Edit:
    return lambda inputs: inputs["policy_rules"][rule]["lifecycles"][life].update(values)


_OTHER_RG = f"/subscriptions/{SUB}/resourceGroups/other"
_DISK_ID = f"{_OTHER_RG}/providers/Microsoft.Compute/disks/d1"

# (case id, schema, sample, edit, property, words the reason must contain)
CASES: list[tuple[str, ResourceSchema, str, Edit, str, tuple[str, ...]]] = [
    ("vault name pattern", VAULT, "minimal", _set(name="-vault"), "name", ("starting with a letter",)),
    ("vault name too long", VAULT, "minimal", _set(name="v" * 51), "name", ("at most 50",)),
    ("vault name too short", VAULT, "minimal", _set(name="v"), "name", ("at least 2",)),
    ("vault location missing", VAULT, "minimal", _drop("location"), "location", ("required",)),
    ("redundancy", VAULT, "minimal", _set(redundancy="XRS"), "redundancy", ("LocallyRedundant", "GRS")),
    ("soft delete state", VAULT, "minimal", _set(soft_delete_state="Maybe"), "soft_delete_state", ("AlwaysOn",)),
    (
        "soft delete retention below 14",
        VAULT,
        "secure",
        _set(soft_delete_retention_days=7),
        "soft_delete_retention_days",
        ("from 14 to 180",),
    ),
    (
        "soft delete retention above 180",
        VAULT,
        "minimal",
        _set(soft_delete_retention_days=365),
        "soft_delete_retention_days",
        ("to 180",),
    ),
    (
        "retention not whole days",
        VAULT,
        "minimal",
        _set(soft_delete_retention_days=14.5),
        "soft_delete_retention_days",
        ("integer",),
    ),
    ("immutability", VAULT, "minimal", _set(immutability_state="Frozen"), "immutability_state", ("Unlocked", "Locked")),
    (
        "cross region restore",
        VAULT,
        "minimal",
        _set(cross_region_restore_state="Sometimes"),
        "cross_region_restore_state",
        ("Enabled",),
    ),
    (
        "user identity missing",
        VAULT,
        "minimal",
        _set(identity_type="UserAssigned"),
        "user_assigned_identity_ids",
        ("at least one identity",),
    ),
    (
        "user identity not an identity id",
        VAULT,
        "cmk",
        _set(user_assigned_identity_ids=[_DISK_ID]),
        "user_assigned_identity_ids[0]",
        ("Microsoft.ManagedIdentity/userAssignedIdentities",),
    ),
    ("key uri", VAULT, "cmk", _set(encryption_key_uri="http://kv/keys"), "encryption_key_uri", ("Key Vault key URI",)),
    (
        "kek identity missing",
        VAULT,
        "cmk",
        _set(encryption_identity_type="UserAssigned", encryption_identity_id=None),
        "encryption_identity_id",
        ("required",),
    ),
    ("unknown property", VAULT, "minimal", _set(sku="Standard"), "sku", ("not a known property",)),
    ("too many tags", VAULT, "minimal", _set(tags={f"t{i}": "v" for i in range(51)}), "tags", ("at most 50",)),
    (
        "output set by user",
        VAULT,
        "minimal",
        _set(provisioning_state="Succeeded"),
        "provisioning_state",
        ("output only",),
    ),
    (
        "aks hourly interval",
        POLICY,
        "aks_hourly",
        _rule(0, repeating_time_intervals=["R/2024-01-01T00:00:00+00:00/PT3H"]),
        "policy_rules[0].repeating_time_intervals[0]",
        ("PT3H", "PT4H, PT6H, PT8H, PT12H, P1D, P1W"),
    ),
    (
        "aks backup datastore",
        POLICY,
        "aks_hourly",
        _rule(0, data_store="VaultStore"),
        "policy_rules[0].data_store",
        ("OperationalStore",),
    ),
    (
        "empty tag name",
        POLICY,
        "disk_hourly",
        _tag(0, 1, tag_name=""),
        "policy_rules[0].tagging_criteria[1].tag_name",
        ("must not be empty",),
    ),
    (
        "postgresql backup type",
        POLICY,
        "postgresql",
        _rule(0, backup_type="Incremental"),
        "policy_rules[0].backup_type",
        ("Full",),
    ),
    (
        "duration",
        POLICY,
        "disk_daily",
        _life(1, 0, delete_after="7 days"),
        "policy_rules[1].lifecycles[0].delete_after",
        ("ISO-8601 duration",),
    ),
    (
        "day of month",
        POLICY,
        "blob_vaulted",
        lambda p: p["policy_rules"][0]["tagging_criteria"][1]["criteria"][0]["days_of_month"].append({"date": 31}),
        "policy_rules[0].tagging_criteria[1].criteria[0].days_of_month[2].date",
        ("from 0 to 28",),
    ),
    (
        "tag priority reused",
        POLICY,
        "disk_hourly",
        _tag(0, 1, tagging_priority=99),
        "policy_rules[0].tagging_criteria[1].tagging_priority",
        ("already used", "Default"),
    ),
    (
        "default tag priority",
        POLICY,
        "aks_daily",
        _tag(0, 0, tagging_priority=50),
        "policy_rules[0].tagging_criteria[0].tagging_priority",
        ("must be 99",),
    ),
    (
        "retention rule without tag",
        POLICY,
        "disk_hourly",
        _rule(2, name="Daily"),
        "policy_rules[2].name",
        ("must match a tag", "Weekly"),
    ),
    (
        "archive copy not allowed",
        POLICY,
        "adls",
        _life(
            1,
            0,
            target_data_store_copy_settings=[
                {"copy_after": {"object_type": "CopyOnExpiryOption"}, "data_store": "ArchiveStore"}
            ],
        ),
        "policy_rules[1].lifecycles[0].target_data_store_copy_settings[0].data_store",
        ("no copies",),
    ),
    (
        "datasource type",
        POLICY,
        "disk_daily",
        _set(datasource_types=["Microsoft.Compute/virtualMachines"]),
        "datasource_types[0]",
        ("Microsoft.Compute/disks",),
    ),
    (
        "repeating interval syntax",
        POLICY,
        "disk_daily",
        _rule(0, repeating_time_intervals=["every day at 2"]),
        "policy_rules[0].repeating_time_intervals[0]",
        ("repeating interval", "R/2024-01-01T02:00:00+00:00/PT4H"),
    ),
    (
        "schedule time",
        POLICY,
        "postgresql_flexible",
        lambda p: p["policy_rules"][0]["tagging_criteria"][1]["criteria"][0].update(schedule_times=["tomorrow"]),
        "policy_rules[0].tagging_criteria[1].criteria[0].schedule_times[0]",
        ("date-time",),
    ),
    (
        "vaulted retention without backup rule",
        POLICY,
        "blob_operational",
        _life(0, 0, source_data_store="VaultStore"),
        "policy_rules[0].lifecycles[0].source_data_store",
        ("scheduled backup rule",),
    ),
    ("no rules", POLICY, "disk_daily", _set(policy_rules=[]), "policy_rules", ("at least 1",)),
    (
        "rule kind",
        POLICY,
        "disk_daily",
        _rule(0, object_type="AzureCopyRule"),
        "policy_rules[0].object_type",
        ("AzureBackupRule, AzureRetentionRule",),
    ),
    (
        "raw overlay over typed input",
        POLICY,
        "disk_daily",
        _set(raw={"properties": {"datasourceTypes": ["Microsoft.Compute/disks"]}}),
        "raw.properties.datasourceTypes[0]",
        ("typed inputs",),
    ),
    (
        "empty time zone",
        POLICY,
        "aks_daily",
        _rule(0, time_zone=""),
        "policy_rules[0].time_zone",
        ("must not be empty",),
    ),
    ("datasource kind", INSTANCE, "disk", _set(datasource_kind="vm"), "datasource_kind", ("aks", "mysql_flexible")),
    (
        "datasource id type",
        INSTANCE,
        "aks",
        _set(datasource_id=_DISK_ID),
        "datasource_id",
        ("Microsoft.ContainerService/managedClusters", "Microsoft.Compute/disks"),
    ),
    (
        "snapshot resource group missing",
        INSTANCE,
        "aks",
        _drop("snapshot_resource_group_id"),
        "snapshot_resource_group_id",
        ("required",),
    ),
    (
        "aks parameter on a disk",
        INSTANCE,
        "disk",
        _set(included_namespaces=["default"]),
        "included_namespaces",
        ("only when datasource_kind is aks",),
    ),
    ("container name", INSTANCE, "blob_vaulted", _set(containers=["Bad_Name"]), "containers[0]", ("lower-case",)),
    ("adls containers missing", INSTANCE, "adls", _drop("containers"), "containers", ("at least one container",)),
    (
        "database missing",
        INSTANCE,
        "postgresql",
        _drop("database_name"),
        "database_name",
        ("required when datasource_kind is postgresql",),
    ),
    ("secret missing", INSTANCE, "postgresql", _drop("secret_store_uri"), "secret_store_uri", ("required",)),
    (
        "secret uri",
        INSTANCE,
        "postgresql",
        _set(secret_store_uri="https://kv.vault.azure.net/keys/k"),
        "secret_store_uri",
        ("Key Vault secret URI",),
    ),
    (
        "policy from another vault",
        INSTANCE,
        "disk",
        _set(policy_id=f"{_OTHER_RG}/providers/Microsoft.DataProtection/backupVaults/v2/backupPolicies/p"),
        "policy_id",
        ("policy of the instance's vault",),
    ),
    (
        "policy id type",
        INSTANCE,
        "disk",
        _set(policy_id=_DISK_ID),
        "policy_id",
        ("Microsoft.DataProtection/backupVaults/backupPolicies",),
    ),
    (
        "vault name unusable by instances",
        INSTANCE,
        "disk",
        _set(vault_id=f"{_OTHER_RG}/providers/Microsoft.DataProtection/backupVaults/vault_1"),
        "vault_id",
        ("vault names are 2-50",),
    ),
    (
        "volume type",
        INSTANCE,
        "aks",
        _set(included_volume_types=["NFS"]),
        "included_volume_types[0]",
        ("AzureDisk, AzureFileShareSMB",),
    ),
    (
        "hook without namespace",
        INSTANCE,
        "aks",
        _set(backup_hook_references=[{"name": "hook"}]),
        "backup_hook_references[0].namespace",
        ("required",),
    ),
    (
        "snapshot group is not a resource group",
        INSTANCE,
        "disk",
        _set(snapshot_resource_group_id=_DISK_ID),
        "snapshot_resource_group_id",
        ("resource group id",),
    ),
]

SAMPLES = {"BackupVault": vault_inputs, "BackupPolicy": policy_inputs, "BackupInstance": instance_inputs}


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 30
    assert len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize(
    ("schema", "sample", "edit", "prop", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_invalid_input_fails_check_naming_the_property(
    schema: ResourceSchema, sample: str, edit: Edit, prop: str, words: tuple[str, ...]
) -> None:
    inputs = SAMPLES[schema.name](sample)
    assert schema.check(inputs).failures == [], "the unedited sample must be valid"
    edit(inputs)
    failures = schema.check(inputs).failures
    matching = [f for f in failures if f.property == prop]
    assert matching, f"no failure for {prop}: {failures}"
    reason = matching[0].reason
    assert prop.split("[")[0].split(".")[0] in reason
    for word in words:
        assert word in reason, reason


def test_instance_and_policy_of_different_datasources() -> None:
    failures = check_policy_match(instance_inputs("disk"), POLICY.check(policy_inputs("aks_hourly")).inputs)
    assert failures == [InputProblem("policy_id", failures[0].reason)]
    assert "Microsoft.ContainerService/managedClusters" in failures[0].reason
    assert "managed disk" in failures[0].reason


def test_vaulted_blob_policy_needs_containers() -> None:
    instance = instance_inputs("blob_operational")
    failures = check_policy_match(instance, POLICY.check(policy_inputs("blob_vaulted")).inputs)
    assert [f.property for f in failures] == ["containers"]
    assert "vaulted" in failures[0].reason
    assert check_policy_match(instance, POLICY.check(policy_inputs("blob_operational")).inputs) == []


def test_every_sample_instance_matches_its_policy() -> None:
    from tests.schema.samples import INSTANCE_POLICY

    for instance, policy in INSTANCE_POLICY.items():
        assert check_policy_match(instance_inputs(instance), POLICY.check(policy_inputs(policy)).inputs) == []
    ossdb = POLICY.check(policy_inputs("postgresql_ossdb")).inputs
    assert check_policy_match(instance_inputs("postgresql"), ossdb) == []
