"""End to end under the real engine, against an emulator with ``--strict-permissions``: a backup instance whose vault
lacks the roles fails validation; with BackupPermissions in the same ``pulumi up`` it is created (after waiting for
the assignments to propagate, saying so); destroy removes only the assignments the stack created."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from string import Template

import pytest

from pulumi_dataprotection.emulator import EmulatorHandle, start_emulator
from tests.e2e.conftest import LRO_SECONDS, new_stack
from tests.support.emulator import ArmClient, fresh
from tests.support.engine import write_project

pytestmark = pytest.mark.engine

SUBSCRIPTION = "33333333-3333-3333-3333-333333333333"
DATA = f"/subscriptions/{SUBSCRIPTION}/resourceGroups"
CLUSTER = f"{DATA}/rg-aks/providers/Microsoft.ContainerService/managedClusters/aks-shop"
SNAPSHOTS = f"{DATA}/rg-aks-snapshots"
VAULT = f"{DATA}/rg-backup/providers/Microsoft.DataProtection/backupVaults/bv-roles"
ROLES = f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions"
READER = f"{ROLES}/acdd72a7-3385-48ef-bd42-f606fba81ae7"
AUTH = "providers/Microsoft.Authorization/roleAssignments"

PROGRAM = Template("""
import pulumi

from pulumi_dataprotection import BackupInstance, BackupPermissions, BackupPolicy, BackupVault
from pulumi_dataprotection.permissions.component import Datasource
from pulumi_dataprotection.policy.builders import Retention, Schedule, aks_policy

config = pulumi.Config()
vault = BackupVault(
    "vault",
    name="bv-roles",
    resource_group_name="rg-backup",
    location="westeurope",
    redundancy="LocallyRedundant",
    identity_type="SystemAssigned",
    soft_delete_state="AlwaysOn",
    soft_delete_retention_days=14,
    on_delete="Retain",  # Azure keeps a vault holding a soft-deleted instance for 14 days: leave it
)
policy = BackupPolicy("aks", vault_id=vault.arm_id, **aks_policy(Schedule.hourly(4), Retention("P7D")))
depends = []
if config.get_bool("grant"):
    permissions = BackupPermissions(
        "roles",
        vault_principal_id=vault.principal_id,
        vault_id=vault.arm_id,
        cluster_principal_id="$cluster_principal",
        extension_principal_id="$extension_principal",
        datasources=[
            Datasource(
                "aks-shop",
                "aks",
                "$cluster",
                snapshot_resource_group_id="$snapshots",
                extension_storage_account_id="$data/rg-aks/providers/Microsoft.Storage/storageAccounts/aksbackup",
            )
        ],
    )
    depends = [permissions]
BackupInstance(
    "aks-shop",
    vault_id=vault.arm_id,
    policy_id=policy.arm_id,
    datasource_kind="aks",
    datasource_id="$cluster",
    datasource_location="westeurope",
    snapshot_resource_group_id="$snapshots",
    included_namespaces=["shop"],
    opts=pulumi.ResourceOptions(depends_on=depends),
)
pulumi.export("principal", vault.principal_id)
""").substitute(
    cluster=CLUSTER,
    snapshots=SNAPSHOTS,
    data=DATA,
    cluster_principal="9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
    extension_principal="1f2e3d4c-5b6a-4978-8f7e-6d5c4b3a2918",
)


@pytest.fixture(scope="module")
def _strict(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorHandle]:
    handle = start_emulator(
        in_process=False,
        lro_seconds=LRO_SECONDS,
        retry_after=0,
        db_path=tmp_path_factory.mktemp("strict") / "state.db",
        strict_permissions=True,
        role_propagation_seconds=2.0,
    )
    yield handle
    handle.stop()


@pytest.fixture
def strict(_strict: EmulatorHandle) -> Iterator[EmulatorHandle]:
    with fresh(_strict) as handle:
        yield handle


def _assignments(arm: ArmClient, scope: str) -> list[str]:
    listed = arm.get(f"{scope}/{AUTH}", params={"$filter": "atScope()"}).json()["value"]
    return sorted(a["id"] for a in listed if a["properties"]["scope"].lower() == scope.lower())


def test_component_assigns_the_roles_in_the_same_up_and_destroy_removes_only_its_own(
    strict: EmulatorHandle, tmp_path: Path, engine_bin: Path
) -> None:
    project = write_project(tmp_path / "project", PROGRAM, name="e2e-roles")
    config = {"dataprotection:subscriptionId": SUBSCRIPTION, "dataprotection:rolePropagationWait": "2s"}
    stack = new_stack(project, tmp_path / "pulumi-state", engine_bin, "roles", config, strict)
    arm = ArmClient(strict)

    refused = stack.up(check=False)
    assert not refused.ok
    assert "UserErrorMSIMissingPermissions" in refused.output and f"Reader on {CLUSTER}" in refused.output, refused
    assert "still reported missing permissions after" in refused.output
    principal = arm.get(VAULT).json()["identity"]["principalId"]
    existing = f"{CLUSTER}/{AUTH}/0f0e0d0c-0b0a-4908-8706-050403020100"  # granted outside the stack beforehand
    body = {"properties": {"roleDefinitionId": READER, "principalId": principal, "principalType": "ServicePrincipal"}}
    assert arm.put(existing, body).status_code == 201

    stack.set_config("e2e-roles:grant", True)
    stack.set_config("dataprotection:rolePropagationWait", "60s")
    up = stack.up()
    created = Counter(s.type.rsplit(":", 1)[-1] for s in up.steps if s.op == "create")  # children: parent$type
    assert created == {"RoleAssignment": 6, "TrustedAccessBinding": 1, "BackupPermissions": 1, "BackupInstance": 1}
    assert "role assignments can take minutes to propagate" in up.output, up.output[-3000:]
    kept = [r for r in stack.resources() if r["type"].endswith(":RoleAssignment") and r["outputs"]["preexisting"]]
    assert [r["outputs"]["arm_id"] for r in kept] == [existing]
    assert len(_assignments(arm, SNAPSHOTS)) == 3  # vault Reader and Disk Snapshot Contributor, cluster Contributor

    destroyed = stack.destroy()
    assert destroyed.ok, destroyed
    assert _assignments(arm, CLUSTER) == [existing]  # left alone
    assert _assignments(arm, SNAPSHOTS) == []
    bindings = [w for w in strict.writes() if "trustedAccessRoleBindings" in w["path"]]
    assert [w["method"] for w in bindings] == ["PUT", "DELETE"]
