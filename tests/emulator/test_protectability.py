"""The emulator refuses what Azure cannot protect: a datasource in another region than its vault, a vault without
the managed identity the instance uses, AKS namespaces and label selectors Kubernetes cannot read, and policies
whose retention Azure does not allow (too long operational retention, shorter than the schedule, a short vault
copy)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.instance.schema import INSTANCE
from pulumi_dataprotection.policy.builders import Retention, Schedule, TaggedRetention, aks_policy, first_of
from pulumi_dataprotection.policy.schema import POLICY
from tests.emulator import helpers
from tests.emulator.conftest import CheckedArm

CLUSTER = f"{helpers.rg_path('rg-aks')}/providers/Microsoft.ContainerService/managedClusters/aks-shop"


def code(response: requests.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


def policy_body(**kw: Any) -> dict[str, Any]:
    return POLICY.to_rest({"name": "akspolicy", "vault_id": helpers.vault_path(), **aks_policy(**kw)})


@pytest.fixture
def aks_policy_id(api: CheckedArm, vault: str) -> str:
    path = helpers.policy_path("akspolicy")
    response = api.put(path, policy_body(schedule=Schedule.hourly(4), retention=Retention("P7D")))
    assert response.status_code == 200, response.text
    return path


def instance_body(policy: str, **inputs: Any) -> dict[str, Any]:
    values = {
        "name": "bi1",
        "vault_id": helpers.vault_path(),
        "datasource_kind": "aks",
        "datasource_id": CLUSTER,
        "datasource_location": helpers.LOCATION,
        "policy_id": policy,
        "snapshot_resource_group_id": helpers.rg_path("rg-snapshots"),
        **inputs,
    }
    return INSTANCE.to_rest(values)


def test_an_aks_instance_that_fits_is_accepted(api: CheckedArm, aks_policy_id: str) -> None:
    body = instance_body(aks_policy_id, included_namespaces=["shop"], label_selectors=["app in (a,b)"])
    created = api.put(helpers.instance_path(), body)
    assert created.status_code == 201, created.text


@pytest.mark.parametrize(
    ("key", "value", "target"),
    [
        ("includedNamespaces", ["Shop_NS"], "includedNamespaces[0]"),
        ("excludedNamespaces", ["ok", "-bad"], "excludedNamespaces[1]"),
        ("labelSelectors", ["app in (a,b"], "labelSelectors[0]"),
        ("backupHookReferences", [{"name": "h", "namespace": "Orders"}], "backupHookReferences[0].namespace"),
    ],
)
def test_aks_parameters_kubernetes_cannot_read_are_invalid_input(
    api: CheckedArm, aks_policy_id: str, key: str, value: Any, target: str
) -> None:
    body = instance_body(aks_policy_id)
    body["properties"]["policyInfo"]["policyParameters"]["backupDatasourceParametersList"][0][key] = value
    refused = api.put(helpers.instance_path(), body)
    assert code(refused) == (400, "BMSUserErrorInvalidInput")
    (detail,) = refused.json()["error"]["details"]
    assert detail["target"].endswith(target), detail
    assert api.get(helpers.instance_path()).status_code == 404


def test_a_datasource_in_another_region_is_refused(api: CheckedArm, aks_policy_id: str) -> None:
    refused = api.put(helpers.instance_path(), instance_body(aks_policy_id, datasource_location="eastus"))
    assert code(refused) == (400, "UserErrorDatasourceAndBackupVaultLocationMismatch")
    assert "eastus" in refused.json()["error"]["message"]


def test_a_registered_datasource_is_judged_by_its_own_region(
    emulator: EmulatorHandle, api: CheckedArm, aks_policy_id: str
) -> None:
    emulator.add_datasource(CLUSTER, "northeurope")
    refused = api.put(helpers.instance_path(), instance_body(aks_policy_id, datasource_location=None))
    assert code(refused) == (400, "UserErrorDatasourceAndBackupVaultLocationMismatch")
    assert "northeurope" in refused.json()["error"]["message"]


@pytest.mark.parametrize("identity", [None, {"type": "None"}])
def test_a_vault_without_identity_cannot_protect(api: CheckedArm, identity: dict[str, Any] | None) -> None:
    body = {k: v for k, v in helpers.vault_body().items() if k != "identity"}
    if identity is not None:
        body["identity"] = identity
    api.wait(api.put(helpers.vault_path("bare"), body))
    policy = helpers.policy_path("akspolicy", vault="bare")
    api.put(policy, policy_body(schedule=Schedule.hourly(4), retention=Retention("P7D")))
    instance = instance_body(policy, vault_id=helpers.vault_path("bare"))
    refused = api.put(helpers.instance_path(vault="bare"), instance)
    assert code(refused) == (400, "VaultMSIUnauthorized")
    validation = api.post(f"{helpers.vault_path('bare')}/validateForBackup", {"backupInstance": instance["properties"]})
    assert api.wait(validation)["error"]["code"] == "VaultMSIUnauthorized"


@pytest.mark.parametrize(
    ("kw", "sent", "problem"),
    [
        (
            {"schedule": Schedule.daily("02:00"), "retention": Retention("P300D")},
            "P2Y",
            "exceeds the maximum of 360 days",
        ),
        ({"schedule": Schedule.weekly(["Sunday"]), "retention": Retention("P300D")}, "P1D", "shorter than the backup"),
        (
            {
                "schedule": Schedule.hourly(4),
                "retention": Retention("P30D"),
                "tagged": [TaggedRetention("Daily", "P30D", first_of("day"), vault_copy_keep_for="P300D")],
            },
            "P7D",
            "VaultStore copy is kept shorter",
        ),
    ],
)
def test_retention_azure_does_not_allow_is_invalid_input(
    api: CheckedArm, vault: str, kw: dict[str, Any], sent: str, problem: str
) -> None:
    body = json.loads(json.dumps(policy_body(**kw)).replace('"P300D"', f'"{sent}"'))
    refused = api.put(helpers.policy_path("akspolicy"), body)
    assert code(refused) == (400, "BMSUserErrorInvalidInput")
    assert problem in refused.json()["error"]["message"]
    assert api.get(helpers.policy_path("akspolicy")).status_code == 404
