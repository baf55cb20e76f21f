"""Every id and name input is checked at preview against Azure's naming rules: each bad id below fails ``check``
naming the property and the bad part, without any request; ids that pass can always be turned into a request path."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pulumi_dataprotection.adhoc.resource import SCHEMA as ADHOC
from pulumi_dataprotection.arm import ResourceId
from pulumi_dataprotection.instance.resource import InstanceProvider
from pulumi_dataprotection.instance.schema import INSTANCE
from pulumi_dataprotection.policy.schema import POLICY
from pulumi_dataprotection.schema import ArmIdType, Ctx, ResourceSchema
from pulumi_dataprotection.vault.resource import SCHEMA as VAULT_RESOURCE
from pulumi_dataprotection.vault.schema import VAULT
from tests.schema.samples import RG, SUB, VAULT_ID, instance_inputs, policy_inputs, vault_inputs

DP = "providers/Microsoft.DataProtection"
LONG = "v" * 20_000


pytestmark = pytest.mark.usefixtures("no_network")


def _vault_with_subscription(value: str) -> dict[str, Any]:
    return {**vault_inputs("minimal"), "subscription_id": value}


def _adhoc(backup_instance_id: str) -> dict[str, Any]:
    return {"backup_instance_id": backup_instance_id}


# (case, schema, inputs, property, words the reason must contain)
CASES: list[tuple[str, ResourceSchema, dict[str, Any], str, tuple[str, ...]]] = [
    (
        "subscription id not a GUID",
        VAULT_RESOURCE,
        _vault_with_subscription("my-subscription"),
        "subscription_id",
        ("GUID",),
    ),
    (
        "subscription id GUID with extra text",
        VAULT_RESOURCE,
        _vault_with_subscription(f"{SUB}/../x"),
        "subscription_id",
        ("GUID",),
    ),
    (
        "resource group name ..",
        VAULT,
        {**vault_inputs("minimal"), "resource_group_name": ".."},
        "resource_group_name",
        ("period",),
    ),
    ("vault name .", VAULT, {**vault_inputs("minimal"), "name": "."}, "name", ("starting with a letter",)),
    (
        "instance vault_id with .. as the vault",
        INSTANCE,
        {**instance_inputs("disk"), "vault_id": f"{RG}/{DP}/backupVaults/.."},
        "vault_id",
        ("backup vault name '..'", "2-50 letters"),
    ),
    (
        "instance vault_id with .. as the resource group",
        INSTANCE,
        {**instance_inputs("disk"), "vault_id": f"/subscriptions/{SUB}/resourceGroups/../{DP}/backupVaults/vault-1"},
        "vault_id",
        ("resource group name '..'",),
    ),
    (
        "instance vault_id with %",
        INSTANCE,
        {**instance_inputs("disk"), "vault_id": f"{RG}/{DP}/backupVaults/vault%2e1"},
        "vault_id",
        ("backup vault name 'vault%2e1'",),
    ),
    (
        "instance vault_id with ?",
        INSTANCE,
        {**instance_inputs("disk"), "vault_id": f"{RG}/{DP}/backupVaults/vault-1?x=1"},
        "vault_id",
        ("backup vault name 'vault-1?x=1'",),
    ),
    (
        "instance vault_id with a subscription that is not a GUID",
        INSTANCE,
        {**instance_inputs("disk"), "vault_id": f"/subscriptions/prod/resourceGroups/rg/{DP}/backupVaults/vault-1"},
        "vault_id",
        ("subscription id 'prod'", "GUID"),
    ),
    ("instance named .", INSTANCE, {**instance_inputs("disk"), "name": "."}, "name", ("not . or ..",)),
    ("instance named ..", INSTANCE, {**instance_inputs("disk"), "name": ".."}, "name", ("not . or ..",)),
    ("instance name with %", INSTANCE, {**instance_inputs("disk"), "name": "bi%2F1"}, "name", ("%",)),
    ("instance name with #", INSTANCE, {**instance_inputs("disk"), "name": "bi#1"}, "name", ("#",)),
    ("instance name too long", INSTANCE, {**instance_inputs("disk"), "name": "b" * 261}, "name", ("at most 260",)),
    (
        "policy vault_id with a 20,000-character vault name",
        POLICY,
        {**policy_inputs("disk_daily"), "vault_id": f"{RG}/{DP}/backupVaults/{LONG}"},
        "vault_id",
        ("backup vault name", "2-50", "it has 20000"),
    ),
    (
        "policy named ..",
        POLICY,
        {**policy_inputs("disk_daily"), "name": ".."},
        "name",
        ("starting with a letter or digit",),
    ),
    (
        "policy_id with a policy named ..",
        INSTANCE,
        {**instance_inputs("disk"), "policy_id": f"{VAULT_ID}/backupPolicies/.."},
        "policy_id",
        ("backup policy name '..'",),
    ),
    (
        "policy_id with # in the vault name",
        INSTANCE,
        {**instance_inputs("disk"), "policy_id": f"{RG}/{DP}/backupVaults/vault#1/backupPolicies/p"},
        "policy_id",
        ("backup vault name 'vault#1'",),
    ),
    (
        "datasource_id with ..",
        INSTANCE,
        {**instance_inputs("disk"), "datasource_id": f"{RG}/providers/Microsoft.Compute/disks/.."},
        "datasource_id",
        ("disk name '..'",),
    ),
    (
        "datasource_id with an empty segment",
        INSTANCE,
        {**instance_inputs("disk"), "datasource_id": f"{RG}/providers/Microsoft.Compute//disks/d1"},
        "datasource_id",
        ("an Azure resource id",),
    ),
    (
        "datasource_id of a storage account with ?",
        INSTANCE,
        {
            **instance_inputs("blob_operational"),
            "datasource_id": f"{RG}/providers/Microsoft.Storage/storageAccounts/st?1",
        },
        "datasource_id",
        ("storage account name 'st?1'", "3-24"),
    ),
    (
        "datasource_id with a bad namespace",
        INSTANCE,
        {**instance_inputs("disk"), "datasource_id": f"{RG}/providers/%2e%2e/disks/d1"},
        "datasource_id",
        ("resource provider namespace",),
    ),
    (
        "snapshot_resource_group_id with ..",
        INSTANCE,
        {**instance_inputs("disk"), "snapshot_resource_group_id": f"/subscriptions/{SUB}/resourceGroups/.."},
        "snapshot_resource_group_id",
        ("resource group name '..'",),
    ),
    (
        "snapshot_resource_group_id with a subscription that is not a GUID",
        INSTANCE,
        {**instance_inputs("disk"), "snapshot_resource_group_id": "/subscriptions/x/resourceGroups/rg-snap"},
        "snapshot_resource_group_id",
        ("subscription id 'x'",),
    ),
    (
        "user_assigned_identity_id with %",
        INSTANCE,
        {
            **instance_inputs("disk"),
            "user_assigned_identity_id": f"{RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id%20",
        },
        "user_assigned_identity_id",
        ("user-assigned identity name 'id%20'",),
    ),
    (
        "vault identity id with ..",
        VAULT,
        {
            **vault_inputs("cmk"),
            "encryption_identity_id": f"{RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/..",
        },
        "encryption_identity_id",
        ("user-assigned identity name '..'",),
    ),
    (
        "vault user-assigned identities with #",
        VAULT,
        {
            **vault_inputs("cmk"),
            "user_assigned_identity_ids": [f"{RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/a#b"],
        },
        "user_assigned_identity_ids[0]",
        ("user-assigned identity name 'a#b'",),
    ),
    (
        "key URI with a query",
        VAULT,
        {**vault_inputs("cmk"), "encryption_key_uri": "https://kv-backup.vault.azure.net/keys/backup-key?api=1"},
        "encryption_key_uri",
        ("Key Vault key URI",),
    ),
    (
        "key URI with ..",
        VAULT,
        {**vault_inputs("cmk"), "encryption_key_uri": "https://kv-backup.vault.azure.net/keys/../secrets/x"},
        "encryption_key_uri",
        ("Key Vault key URI",),
    ),
    (
        "secret URI with %",
        INSTANCE,
        {**instance_inputs("postgresql"), "secret_store_uri": "https://kv-db.vault.azure.net/secrets/pg%2Fx"},
        "secret_store_uri",
        ("Key Vault secret URI",),
    ),
    (
        "secret URI with a fragment",
        INSTANCE,
        {**instance_inputs("postgresql"), "secret_store_uri": "https://kv-db.vault.azure.net/secrets/pg#x"},
        "secret_store_uri",
        ("Key Vault secret URI",),
    ),
    (
        "adhoc backup_instance_id with an instance named .",
        ADHOC,
        _adhoc(f"{VAULT_ID}/backupInstances/."),
        "backup_instance_id",
        ("backup instance name '.'",),
    ),
    (
        "adhoc backup_instance_id with a 20,000-character vault name",
        ADHOC,
        _adhoc(f"{RG}/{DP}/backupVaults/{LONG}/backupInstances/bi"),
        "backup_instance_id",
        ("backup vault name", "it has 20000"),
    ),
]


@pytest.mark.parametrize(("schema", "inputs", "prop", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_id_fails_check_naming_the_property(
    schema: ResourceSchema, inputs: dict[str, Any], prop: str, words: tuple[str, ...]
) -> None:
    failures = schema.check(inputs).failures
    matching = [f for f in failures if f.property == prop]
    assert matching, f"no failure for {prop}: {failures}"
    reason = matching[0].reason
    assert reason.startswith(prop.split("[")[0]), reason
    for word in words:
        assert word in reason, reason
    assert len(reason) < 1000, "a long bad value is shortened in the message"


@pytest.mark.parametrize(
    "good",
    [
        f"{RG}/{DP}/backupVaults/vault-1",
        f"/subscriptions/{SUB.upper()}/resourcegroups/RG_(x).1/{DP}/backupVaults/V1",
        f"{RG}/{DP}/backupVaults/{'v' * 50}",
    ],
)
def test_good_vault_ids_pass(good: str) -> None:
    assert ArmIdType("Microsoft.DataProtection/backupVaults").validate(good, "vault_id", Ctx()) == []


def test_good_names_of_other_tools_pass() -> None:
    ids = ArmIdType()
    for good in (
        f"{VAULT_ID}/backupPolicies/Daily Policy (az)",  # policies made in the portal may hold spaces
        f"{VAULT_ID}/backupInstances/stprod01-stprod01-6a1f7b1e-2c3d-4e5f-8a9b-0c1d2e3f4a5b",
        f"{RG}/providers/Microsoft.Storage/storageAccounts/STPROD01",  # ids compare case-insensitively
        f"{RG}/providers/Microsoft.Compute/disks/os_disk.v2_",
        f"{RG}/providers/Microsoft.Web/sites/any-other.type",  # other types follow ARM's rule
    ):
        assert ids.validate(good, "id", Ctx()) == [], good


_SEGMENT = st.text(st.sampled_from([*"aZ09-_.() %?#&:*\\<>~", "\x00", "é"]), min_size=0, max_size=6)


@given(sub=st.sampled_from([SUB, "x", ""]), rg=_SEGMENT, vault=_SEGMENT, child=_SEGMENT)
def test_every_id_that_passes_check_makes_a_valid_request_path(sub: str, rg: str, vault: str, child: str) -> None:
    arm_id = f"/subscriptions/{sub}/resourceGroups/{rg}/{DP}/backupVaults/{vault}/backupInstances/{child}"
    if ArmIdType("Microsoft.DataProtection/backupVaults/backupInstances").validate(arm_id, "id", Ctx()):
        return
    rid = ResourceId.parse(arm_id)  # raises InvalidNameError for anything the client would refuse to send
    assert (rid.subscription_id, rid.resource_group, rid.segments[-1][1]) == (sub, rg, child)
    assert "%" not in rid.path and ".." not in rid.path.split("/")


def test_a_datasource_id_that_does_not_parse_fails_check_and_so_never_skips_the_protection_lookup() -> None:
    inputs = {**instance_inputs("disk"), "datasource_id": f"{RG}/providers/Microsoft.Compute/disks/d%1"}
    result = InstanceProvider().check({}, inputs)
    assert [f.property for f in result.failures] == ["datasource_id"]
