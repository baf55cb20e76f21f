"""Resource guard and guard link bodies as Azure writes them, compared with the newest recorded ones in
``../shared`` (``corpus/azure-cli-extensions-head/test_dataprotection_resource_guard_create_and_delete.yaml`` #1 and
``test_dataprotection_resource_guard_mapping.yaml`` #4, #7)."""

from __future__ import annotations

from typing import Any

from pulumi_dataprotection.emulator import EmulatorHandle
from tests.emulator import helpers
from tests.emulator.conftest import CheckedArm
from tests.emulator.test_guards import GUARD, PROXY
from tests.support.recordings import Exchange, exchanges


def _newest(kind: str, method: str = "PUT") -> tuple[Exchange, dict[str, Any]]:
    found = [
        x
        for x in exchanges()
        if x.method == method and x.status < 300 and x.path.rsplit("/", 2)[-2].lower() == kind.lower()
    ]
    newest = max(found, key=lambda x: (x.api_version or "", x.file))
    return newest, newest.body


def test_a_guard_is_created_with_200_and_azures_operation_list(api: CheckedArm) -> None:
    recorded, body = _newest("resourceGuards")
    created = api.put(GUARD, {"location": helpers.LOCATION})
    assert created.status_code == recorded.status == 200, recorded.where
    props = created.json()["properties"]
    assert props["resourceGuardOperations"] == body["properties"]["resourceGuardOperations"], recorded.where
    assert len(props["resourceGuardOperations"]) == 19
    assert sorted(props) == sorted(body["properties"]), "no invented description"
    assert props["allowAutoApprovals"] is body["properties"]["allowAutoApprovals"]


def test_a_guard_link_lists_azures_operations_and_default_requests(api: CheckedArm, vault: str) -> None:
    recorded, body = _newest("backupResourceGuardProxies")
    recorded_guard = body["properties"]["resourceGuardResourceId"]
    assert api.put(GUARD, {"location": helpers.LOCATION}).status_code == 200
    linked = api.put(PROXY, {"properties": {"resourceGuardResourceId": GUARD}})
    assert linked.status_code == recorded.status == 200
    props = linked.json()["properties"]
    expected = [
        {**d, "defaultResourceRequest": d["defaultResourceRequest"].replace(recorded_guard, GUARD)}
        for d in body["properties"]["resourceGuardOperationDetails"]
    ]
    assert props["resourceGuardOperationDetails"] == expected, recorded.where
    assert sorted(props) == sorted(body["properties"]), "no invented description"


def test_unlock_delete_without_the_resource_answers_200(api: CheckedArm, emulator: EmulatorHandle, vault: str) -> None:
    recorded, body = _newest(PROXY.rsplit("/", 1)[1], "POST")
    assert recorded.request.keys() == {"resourceGuardOperationRequests"}, "Azure's CLI names no resource"
    assert api.put(GUARD, {"location": helpers.LOCATION}).status_code == 200
    assert api.put(PROXY, {"properties": {"resourceGuardResourceId": GUARD}}).status_code == 200
    emulator.grant_guard_access(GUARD)
    request_type = recorded.request["resourceGuardOperationRequests"][0].split("/")[-2]
    unlocked = api.post(
        f"{PROXY}/unlockDelete", {"resourceGuardOperationRequests": [f"{GUARD}/{request_type}/default"]}
    )
    assert unlocked.status_code == recorded.status == 200, recorded.where
    assert unlocked.json().keys() == body.keys()
