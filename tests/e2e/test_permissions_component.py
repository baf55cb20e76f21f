"""End to end under the real engine, examples/aks against an emulator with ``--strict-permissions``: without the
identities configured the example assigns no roles and its backup instance fails validation; with them, its
BackupPermissions assigns every role in the same ``pulumi up`` and the instance is created (after waiting for the
assignments to propagate, saying so); destroy removes only the assignments the stack created."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_dataprotection.emulator import EmulatorHandle, start_emulator
from tests.e2e.conftest import LRO_SECONDS, example_stacks
from tests.e2e.pulumi_stack import sample_config
from tests.support.emulator import ArmClient, fresh

pytestmark = pytest.mark.engine

CONFIG = sample_config("aks")
SUBSCRIPTION = CONFIG["dataprotection:subscriptionId"]
CLUSTER = CONFIG["dataprotection-aks:aksClusterId"]
SNAPSHOTS = CONFIG["dataprotection-aks:aksSnapshotResourceGroupId"]
VAULT = (
    f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{CONFIG['dataprotection-aks:resourceGroupName']}/providers/"
    f"Microsoft.DataProtection/backupVaults/{CONFIG['dataprotection-aks:vaultName']}"
)
ROLES = f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.Authorization/roleDefinitions"
READER = f"{ROLES}/acdd72a7-3385-48ef-bd42-f606fba81ae7"
AUTH = "providers/Microsoft.Authorization/roleAssignments"


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
    stack = example_stacks("aks", strict, tmp_path, engine_bin)(
        "roles", aksClusterPrincipalId="", **{"dataprotection:rolePropagationWait": "2s"}
    )
    arm = ArmClient(strict)

    refused = stack.up(check=False)
    assert not refused.ok
    assert "UserErrorMSIMissingPermissions" in refused.output and f"Reader on {CLUSTER}" in refused.output, refused
    assert "still reported missing permissions after" in refused.output
    principal = arm.get(VAULT).json()["identity"]["principalId"]
    existing = f"{CLUSTER}/{AUTH}/0f0e0d0c-0b0a-4908-8706-050403020100"  # granted outside the stack beforehand
    body = {"properties": {"roleDefinitionId": READER, "principalId": principal, "principalType": "ServicePrincipal"}}
    assert arm.put(existing, body).status_code == 201

    stack.set_config("dataprotection-aks:aksClusterPrincipalId", CONFIG["dataprotection-aks:aksClusterPrincipalId"])
    stack.set_config("dataprotection:rolePropagationWait", "60s")
    up = stack.up()
    created = Counter(s.type.rsplit(":", 1)[-1] for s in up.steps if s.op == "create")  # children: parent$type
    assert created == {"RoleAssignment": 6, "TrustedAccessBinding": 1, "BackupPermissions": 1, "BackupInstance": 1}
    assert "role assignments can take minutes to propagate" in up.output, up.output[-3000:]
    kept = [r for r in stack.resources() if r["type"].endswith(":RoleAssignment") and r["outputs"]["preexisting"]]
    assert [r["outputs"]["arm_id"] for r in kept] == [existing]
    assert len(_assignments(arm, SNAPSHOTS)) == 3  # vault Reader and Disk Snapshot Contributor, cluster Contributor

    destroyed = stack.destroy(check=False)  # the vault stays: Azure keeps it while it holds the soft-deleted instance
    assert destroyed.errors and "UserErrorBackupVaultHasBackupInstances" in destroyed.errors[0], destroyed
    assert not [s for s in destroyed.steps if s.op == "failed-delete" and not s.type.endswith("BackupVault")]
    assert _assignments(arm, CLUSTER) == [existing]  # left alone
    assert _assignments(arm, SNAPSHOTS) == []
    bindings = [w for w in strict.writes() if "trustedAccessRoleBindings" in w["path"]]
    assert [w["method"] for w in bindings] == ["PUT", "DELETE"]
