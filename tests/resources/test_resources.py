"""The Pulumi resource classes: type tokens, constructor inputs, every output registered as an attribute."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

import pulumi_dataprotection
from pulumi_dataprotection.adhoc.resource import AdhocBackupProvider
from pulumi_dataprotection.guard.resource import ResourceGuardProvider
from pulumi_dataprotection.guardlink.resource import GuardLinkProvider
from pulumi_dataprotection.instance.resource import InstanceProvider
from pulumi_dataprotection.policy.builders import aks_policy
from pulumi_dataprotection.policy.resource import PolicyProvider
from pulumi_dataprotection.vault.resource import VaultProvider


class Mocks(pulumi.runtime.Mocks):
    """Records every registered resource; outputs echo the inputs."""

    def __init__(self) -> None:
        self.created: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.created.append(args)
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


@pytest.fixture
def mocks() -> Mocks:
    found = Mocks()
    pulumi.runtime.set_mocks(found, preview=False)
    return found


def test_package_exports_the_resources() -> None:
    from pulumi_dataprotection import (
        AdhocBackup,
        BackupInstance,
        BackupPolicy,
        BackupVault,
        ResourceGuard,
        VaultGuardLink,
    )

    classes = (AdhocBackup, BackupInstance, BackupPolicy, BackupVault, ResourceGuard, VaultGuardLink)
    assert {c.__name__ for c in classes} == {
        "AdhocBackup",
        "BackupInstance",
        "BackupPolicy",
        "BackupVault",
        "ResourceGuard",
        "VaultGuardLink",
    }
    assert pulumi_dataprotection.__version__
    with pytest.raises(AttributeError):
        _ = pulumi_dataprotection.Nothing


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_constructors_register_stable_types_and_inputs(mocks: Mocks) -> Any:
    vault = pulumi_dataprotection.BackupVault(
        "vault", resource_group_name="rg", location="westeurope", redundancy="LRS"
    )
    policy = pulumi_dataprotection.BackupPolicy("aks", vault_id=vault.id, **aks_policy())
    fixed = pulumi_dataprotection.BackupPolicy("fixed", name="daily", vault_id=vault.id, **aks_policy())
    instance = pulumi_dataprotection.BackupInstance(
        "bi",
        vault_id=vault.id,
        policy_id=policy.id,
        datasource_kind="aks",
        datasource_id="/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerService/managedClusters/c",
        on_delete="StopProtectionRetainData",
    )
    backup = pulumi_dataprotection.AdhocBackup("now", backup_instance_id=instance.id, triggers={"run": 1})
    guard = pulumi_dataprotection.ResourceGuard(
        "guard", resource_group_name="rg-security", location="westeurope", excluded_operations=["suspend_backups"]
    )
    link = pulumi_dataprotection.VaultGuardLink("link", vault_id=vault.id, resource_guard_id=guard.id)
    for resource, cls in (
        (guard, ResourceGuardProvider),
        (link, GuardLinkProvider),
        (vault, VaultProvider),
        (policy, PolicyProvider),
        (instance, InstanceProvider),
        (backup, AdhocBackupProvider),
    ):
        for name in [*cls.input_names(), *cls.output_names()]:
            assert isinstance(getattr(resource, name), pulumi.Output), name

    def verify(_: Any) -> None:
        by_name = {a.name: a for a in mocks.created}
        assert {n: by_name[n].typ for n in by_name} == {
            "vault": "pulumi-python:dynamic/dataprotection:BackupVault",
            "aks": "pulumi-python:dynamic/dataprotection:BackupPolicy",
            "fixed": "pulumi-python:dynamic/dataprotection:BackupPolicy",
            "bi": "pulumi-python:dynamic/dataprotection:BackupInstance",
            "now": "pulumi-python:dynamic/dataprotection:AdhocBackup",
            "guard": "pulumi-python:dynamic/dataprotection:ResourceGuard",
            "link": "pulumi-python:dynamic/dataprotection:VaultGuardLink",
        }
        assert by_name["guard"].inputs["name"] == "guard" and "name" not in by_name["link"].inputs
        assert by_name["vault"].inputs["name"] == "vault"
        assert by_name["aks"].inputs["name_prefix"] == "aks" and "name" not in by_name["aks"].inputs
        assert by_name["fixed"].inputs["name"] == "daily" and "name_prefix" not in by_name["fixed"].inputs
        assert by_name["bi"].inputs["name"] == "bi" and by_name["bi"].inputs["on_delete"] == "StopProtectionRetainData"
        assert by_name["now"].inputs["triggers"] == {"run": 1}
        assert all("__provider" in a.inputs for a in mocks.created)

    return pulumi.Output.all(vault.id, policy.id, fixed.id, instance.id, backup.id, guard.id, link.id).apply(verify)
