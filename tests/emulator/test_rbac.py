"""Role assignments and AKS trusted-access bindings in the emulator, and ``--strict-permissions``: validateForBackup
and instance creation fail with UserErrorMSIMissingPermissions until the vault's identity holds the roles (after
the propagation delay)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from pulumi_dataprotection.emulator import EmulatorHandle, start_emulator
from tests.emulator import helpers
from tests.fidelity.recordings import RECORDINGS, _load_yaml
from tests.support.emulator import ArmClient

AUTH = "providers/Microsoft.Authorization"
DISK_BACKUP_READER = "3e5e47e6-65f7-47ef-90b5-e5dd4d455f24"
DISK_SNAPSHOT_CONTRIBUTOR = "7efff54f-a5b4-42b5-a1c5-5411624893ce"
PROPAGATION = 120.0


@pytest.fixture(scope="module")
def _strict() -> Iterator[EmulatorHandle]:
    handle = start_emulator(
        in_process=True, lro_seconds=0.05, retry_after=0, strict_permissions=True, role_propagation_seconds=PROPAGATION
    )
    yield handle
    handle.stop()


@pytest.fixture
def strict(_strict: EmulatorHandle) -> EmulatorHandle:
    _strict.reset()
    return _strict


def role_id(guid: str) -> str:
    return f"/subscriptions/{helpers.SUBSCRIPTION}/{AUTH}/roleDefinitions/{guid}"


def assign(arm: ArmClient, scope: str, role: str, principal: str, name: str | None = None) -> requests.Response:
    props = {"roleDefinitionId": role_id(role), "principalId": principal, "principalType": "ServicePrincipal"}
    body = {"properties": props}
    return arm.put(f"{scope}/{AUTH}/roleAssignments/{name or uuid.uuid4()}", body)


def disk_setup(arm: ArmClient) -> tuple[str, str]:
    """A vault with a disk policy; returns (policy id, the vault's principal id)."""
    response = arm.put(helpers.vault_path(), helpers.vault_body())
    assert response.status_code == 201, response.text
    assert arm.wait(response)["status"] == "Succeeded"
    assert arm.put(helpers.policy_path(), helpers.disk_policy()).status_code == 200
    principal = arm.get(helpers.vault_path()).json()["identity"]["principalId"]
    return helpers.policy_path(), principal


def validate(arm: ArmClient, policy: str) -> dict[str, Any]:
    response = arm.post(f"{helpers.vault_path()}/validateForBackup", {"backupInstance": helpers.disk_instance(policy)})
    assert response.status_code == 202, response.text
    return arm.wait(response)


def test_role_assignment_lifecycle(emulator: EmulatorHandle) -> None:
    arm = ArmClient(emulator)
    principal, name = str(uuid.uuid4()), str(uuid.uuid4())
    group = helpers.rg_path("rg-data")
    created = assign(arm, group, DISK_BACKUP_READER, principal, name)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["id"] == f"{group}/{AUTH}/roleAssignments/{name}"
    assert body["type"] == "Microsoft.Authorization/roleAssignments" and body["name"] == name
    assert body["properties"]["scope"] == group and body["properties"]["principalId"] == principal
    assert assign(arm, group, DISK_BACKUP_READER, principal, name).status_code == 201  # the same again
    duplicate = assign(arm, group, DISK_BACKUP_READER, principal)
    assert (duplicate.status_code, duplicate.json()["error"]["code"]) == (409, "RoleAssignmentExists")
    changed = assign(arm, group, DISK_BACKUP_READER, str(uuid.uuid4()), name)
    assert (changed.status_code, changed.json()["error"]["code"]) == (400, "RoleAssignmentUpdateNotPermitted")
    bad = assign(arm, group, DISK_BACKUP_READER, principal, "not-a-guid")
    assert bad.json()["error"]["code"] == "InvalidRoleAssignmentId"
    below = arm.get(f"{helpers.disk_id()}/{AUTH}/roleAssignments", params={"$filter": "atScope()"}).json()["value"]
    assert [a["name"] for a in below] == [name]  # an assignment on the group applies to the disk in it
    path = f"{group}/{AUTH}/roleAssignments/{name}"
    assert arm.delete(path).status_code == 200
    assert arm.delete(path).status_code == 204
    missing = arm.get(path)
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "RoleAssignmentNotFound")
    assert [w["method"] for w in emulator.writes()] == ["PUT"] * 5 + ["DELETE"] * 2


def test_role_assignment_bodies_have_the_recorded_shape(emulator: EmulatorHandle) -> None:
    """The PUT's 201 body has the keys of Azure's recorded one (az dataprotection update-msi-permissions)."""
    path = (
        RECORDINGS / "corpus/azure-cli-extensions-history/test_dataprotection_update_msi_permissions_oss@8655f76ce.yaml"
    )
    recorded = next(
        e for e in _load_yaml(path) if e.method == "PUT" and "/roleAssignments/" in e.path and e.status == 201
    )
    assert recorded.api_version == "2022-04-01"
    body = assign(ArmClient(emulator), helpers.rg_path("rg-data"), DISK_BACKUP_READER, str(uuid.uuid4())).json()
    assert set(body) == set(recorded.body)
    assert set(body["properties"]) == set(recorded.body["properties"])


def test_trusted_access_binding_lifecycle(emulator: EmulatorHandle) -> None:
    arm = ArmClient(emulator)
    cluster = f"{helpers.rg_path('rg-aks')}/providers/Microsoft.ContainerService/managedClusters/aks1"
    path = f"{cluster}/trustedAccessRoleBindings/backup"
    roles = ["Microsoft.DataProtection/backupVaults/backup-operator"]
    created = arm.put(path, {"properties": {"sourceResourceId": helpers.vault_path(), "roles": roles}})
    assert created.status_code == 201, created.text
    assert created.json()["properties"] == {
        "sourceResourceId": helpers.vault_path(),
        "roles": roles,
        "provisioningState": "Succeeded",
    }
    assert arm.get(path).json()["id"] == path
    assert arm.delete(path).status_code == 200
    assert arm.get(path).status_code == 404


def test_strict_validation_fails_until_the_roles_have_propagated(strict: EmulatorHandle) -> None:
    arm = ArmClient(strict)
    policy, principal = disk_setup(arm)
    failed = validate(arm, policy)
    assert failed["status"] == "Failed"
    assert failed["error"]["code"] == "UserErrorMSIMissingPermissions"
    advice = failed["error"]["additionalInfo"][0]["info"]["recommendedAction"][0]
    assert f"Disk Backup Reader on {helpers.disk_id()}" in advice
    assert f"Disk Snapshot Contributor on {helpers.rg_path('rg-snapshots')}" in advice
    assert principal in advice
    assert assign(arm, helpers.disk_id(), DISK_BACKUP_READER, principal).status_code == 201
    assert assign(arm, helpers.rg_path("rg-snapshots"), DISK_SNAPSHOT_CONTRIBUTOR, principal).status_code == 201
    assert validate(arm, policy)["status"] == "Failed"  # not propagated yet
    put = arm.put(helpers.instance_path(), {"properties": helpers.disk_instance(policy)})
    assert arm.wait(put)["error"]["code"] == "UserErrorMSIMissingPermissions"  # the PUT validates too
    strict.advance_clock(PROPAGATION + 1)
    assert validate(arm, policy)["status"] == "Succeeded"


def test_strict_roles_of_another_principal_or_role_do_not_count(strict: EmulatorHandle) -> None:
    arm = ArmClient(strict)
    policy, principal = disk_setup(arm)
    assign(arm, helpers.rg_path("rg-data"), DISK_SNAPSHOT_CONTRIBUTOR, principal)  # wrong role on the disk
    assign(arm, helpers.rg_path("rg-snapshots"), DISK_SNAPSHOT_CONTRIBUTOR, str(uuid.uuid4()))  # someone else
    strict.advance_clock(PROPAGATION + 1)
    assert validate(arm, policy)["status"] == "Failed"
    assign(arm, f"/subscriptions/{helpers.SUBSCRIPTION}", "b24988ac-6180-42a0-ab88-20f7382dd24c", principal)
    strict.advance_clock(PROPAGATION + 1)
    assert validate(arm, policy)["status"] == "Succeeded"  # Contributor on the subscription covers both
