"""Resource groups: lenient by default, strict once one is registered; ARM's 404 ResourceGroupNotFound."""

from __future__ import annotations

import requests

from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.emulator.config import from_args
from tests.emulator import helpers
from tests.emulator.conftest import CheckedArm
from tests.support.emulator import SUBSCRIPTION

GROUP = f"/subscriptions/{SUBSCRIPTION}/resourcegroups"
RG_API = "?api-version=2021-04-01"


def _group(api: CheckedArm, method: str, name: str, body: object = None) -> requests.Response:
    return api.session.request(method, f"{api.handle.url}{GROUP}/{name}{RG_API}", json=body, timeout=10)


def test_every_group_exists_until_one_is_registered(api: CheckedArm) -> None:
    assert api.put(helpers.vault_path(rg="rg-anything"), helpers.vault_body()).status_code == 201
    shown = _group(api, "GET", "rg-anything")
    assert shown.status_code == 200 and shown.json()["location"] == helpers.vault_body()["location"]
    assert api.handle.health()["strictResourceGroups"] is False


def test_a_vault_in_a_group_that_does_not_exist_is_refused_as_azure_does(
    api: CheckedArm, emulator: EmulatorHandle
) -> None:
    emulator.add_resource_group(SUBSCRIPTION, helpers.RG, "westeurope")
    typo = api.put(helpers.vault_path(rg="rg-emulatr"), helpers.vault_body())
    # Recorded: corpus/azure-cli-extensions-head/test_dataprotection_backup_instance_create_and_delete_disk.yaml #0.
    assert typo.status_code == 404
    assert typo.json() == {
        "error": {"code": "ResourceGroupNotFound", "message": "Resource group 'rg-emulatr' could not be found."}
    }
    assert typo.headers["x-ms-failure-cause"] == "gateway"
    assert api.get(f"{helpers.vault_path('v', rg='rg-emulatr')}/backupInstances/bi").json()["error"]["code"] == (
        "ResourceGroupNotFound"
    )
    assert api.put(helpers.vault_path(), helpers.vault_body()).status_code == 201
    assert emulator.health()["strictResourceGroups"] is True


def test_arm_resource_group_endpoints(api: CheckedArm) -> None:
    created = _group(api, "PUT", "rg-new", {"location": "westeurope", "tags": {"team": "backup"}})
    assert created.status_code == 201
    assert created.json()["id"] == f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-new"
    assert created.json()["properties"] == {"provisioningState": "Succeeded"}
    assert _group(api, "PUT", "rg-new", {"location": "westeurope"}).status_code == 200
    assert _group(api, "HEAD", "rg-new").status_code == 204
    assert _group(api, "HEAD", "rg-other").status_code == 404
    listed = api.session.get(f"{api.handle.url}{GROUP}{RG_API}", timeout=10).json()["value"]
    assert [g["name"] for g in listed] == ["rg-new"]
    assert _group(api, "PUT", "rg-bad", {}).json()["error"]["code"] == "LocationRequired"

    assert api.put(helpers.vault_path(rg="rg-new"), helpers.vault_body()).status_code == 201
    assert _group(api, "DELETE", "rg-new").status_code == 409
    assert api.delete(helpers.vault_path(rg="rg-new")).status_code in (200, 202, 204)
    api.handle.advance_clock(60)
    assert _group(api, "DELETE", "rg-new").status_code == 200
    assert api.put(helpers.vault_path(rg="rg-new"), helpers.vault_body()).json()["error"]["code"] == (
        "ResourceGroupNotFound"
    )


def test_resource_groups_from_the_command_line() -> None:
    config = from_args(["--resource-group", "rg-a", "--resource-group", "rg-b"], env={})
    assert config.resource_groups == ["rg-a", "rg-b"]
    assert from_args(config.to_args(), env={}).resource_groups == ["rg-a", "rg-b"]
