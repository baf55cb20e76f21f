"""Long-running operations: Azure-AsyncOperation, Location, provisioningState, DELETE, failures and timeouts."""

from __future__ import annotations

import pytest

from pulumi_dataprotection.arm import (
    ArmError,
    NotFoundError,
    OperationFailedError,
    OperationTimeoutError,
    PollPolicy,
)
from pulumi_dataprotection.arm.paths import vault_id
from tests.arm.server import Reply, Seen

SUB = "00000000-0000-0000-0000-000000000000"
VAULT = vault_id(SUB, "rg", "vault1")
INSTANCE = VAULT.child("backupInstances", "bi1")
POLICY = VAULT.child("backupPolicies", "daily")
OP_PATH = f"{VAULT.path}/operationStatus/b3A6MTIz=="
RESULT_PATH = f"/subscriptions/{SUB}/providers/Microsoft.DataProtection/locations/westus/operationResults/b3A6MTIz=="
SIGNED = "?api-version=2025-09-01&t=6389&c=MIIH-abc_def&s=sig-_x&h=hash"


def op_status(status: str, **extra):
    return {"id": OP_PATH, "name": "b3A6MTIz==", "status": status, "startTime": "2025-11-04T08:52:23Z", **extra}


def route(server, table):
    """Answer by (method, path): each entry is a list of replies served in order (the last one repeats)."""

    def handler(seen: Seen) -> Reply:
        replies = table.get((seen.method, seen.path))
        if not replies:
            return Reply(599, {"error": {"code": "Unrouted", "message": f"{seen.method} {seen.target}"}})
        return replies.pop(0) if len(replies) > 1 else replies[0]

    server.handler = handler


def test_put_via_azure_async_operation_then_get_of_the_resource(server, make_client, fake_time):
    base = server.base_url
    route(
        server,
        {
            ("PUT", INSTANCE.path): [
                Reply(
                    201,
                    {"properties": {"provisioningState": "Provisioning"}},
                    {"Azure-AsyncOperation": base + OP_PATH + SIGNED, "Retry-After": "3"},
                )
            ],
            ("GET", OP_PATH): [
                Reply(200, op_status("Inprogress")),
                Reply(200, op_status("InProgress")),
                Reply(200, op_status("SUCCEEDED")),
            ],
            ("GET", INSTANCE.path): [Reply(200, {"name": "bi1", "properties": {"provisioningState": "Succeeded"}})],
        },
    )
    result = make_client().execute("PUT", INSTANCE.path, {"properties": {}}, operation="create backup instance")
    assert result.status_code == 200 and result.body["properties"]["provisioningState"] == "Succeeded"
    assert result.operation_status["status"] == "SUCCEEDED" and result.polls == 4
    assert server.calls()[:2] == [("PUT", INSTANCE.path), ("GET", OP_PATH)]
    polled = [s for s in server.seen if s.path == OP_PATH]
    assert all(s.target == OP_PATH + SIGNED for s in polled), "the status URL is used exactly as returned"
    # Retry-After 3 before the first poll; the status GETs state none, so the service's cadence of 3 s is kept
    # (not the default interval) and the provider notices completion within one Retry-After.
    assert fake_time.sleeps == [3.0, 3.0, 3.0]


def test_retry_after_is_clamped_to_the_poll_limits(server, make_client, fake_time):
    base = server.base_url
    route(
        server,
        {
            ("POST", INSTANCE.action("stopProtection")): [
                Reply(202, None, {"Azure-AsyncOperation": base + OP_PATH, "Retry-After": "600"})
            ],
            ("GET", OP_PATH): [
                Reply(200, op_status("Inprogress"), {"Retry-After": "0"}),
                Reply(200, op_status("Succeeded")),
            ],
        },
    )
    client = make_client(poll=PollPolicy(min_interval=0.25, max_interval=2.0, default_interval=1.0))
    client.execute(
        "POST",
        INSTANCE.action("stopProtection"),
        {},
        operation="stop protection",
        final_state_via="azure-async-operation",
    )
    assert fake_time.sleeps == [2.0, 0.25]


def test_delete_via_async_operation_then_final_get_of_location(server, make_client):
    base = server.base_url
    route(
        server,
        {
            ("DELETE", INSTANCE.path): [
                Reply(
                    202,
                    None,
                    {"Azure-AsyncOperation": base + OP_PATH + SIGNED, "Location": base + RESULT_PATH + SIGNED},
                )
            ],
            ("GET", OP_PATH): [Reply(200, op_status("Inprogress")), Reply(200, op_status("Succeeded"))],
            ("GET", RESULT_PATH): [Reply(200, {"objectType": "OperationJobExtendedInfo"})],
        },
    )
    result = make_client().execute("DELETE", INSTANCE.path, operation="delete backup instance")
    assert server.calls() == [("DELETE", INSTANCE.path), ("GET", OP_PATH), ("GET", OP_PATH), ("GET", RESULT_PATH)]
    assert result.body == {"objectType": "OperationJobExtendedInfo"} and not result.already_gone


def test_post_action_returns_job_id_from_operation_status(server, make_client):
    base = server.base_url
    job = f"{VAULT.path}/backupJobs/3c9f"
    route(
        server,
        {
            ("POST", INSTANCE.action("backup")): [
                Reply(202, None, {"Azure-AsyncOperation": base + OP_PATH, "Location": base + RESULT_PATH})
            ],
            ("GET", OP_PATH): [
                Reply(200, op_status("Succeeded", properties={"jobId": job, "objectType": "OperationJobExtendedInfo"}))
            ],
            ("GET", RESULT_PATH): [Reply(200, {"jobId": job, "objectType": "OperationJobExtendedInfo"})],
        },
    )
    result = make_client().execute("POST", INSTANCE.action("backup"), {}, operation="start ad-hoc backup")
    assert result.job_id == job


def test_location_polling_202_until_200(server, make_client, fake_time):
    base = server.base_url
    second = RESULT_PATH + "-2"
    route(
        server,
        {
            ("PATCH", VAULT.path): [Reply(202, None, {"Location": base + RESULT_PATH, "Retry-After": "2"})],
            ("GET", RESULT_PATH): [Reply(202, None, {"Location": base + second})],
            ("GET", second): [Reply(202, None), Reply(200, {"name": "vault1", "tags": {"a": "b"}})],
        },
    )
    result = make_client().execute("PATCH", VAULT.path, {"tags": {"a": "b"}}, operation="update backup vault")
    assert result.status_code == 200 and result.body == {"name": "vault1", "tags": {"a": "b"}}
    assert server.calls() == [("PATCH", VAULT.path), ("GET", RESULT_PATH), ("GET", second), ("GET", second)]
    assert fake_time.sleeps == [2.0, 2.0, 2.0]  # the cadence Azure stated on the 202 is kept
    assert result.cadence == 2.0, "the result carries the cadence, for waits that follow the operation"


def test_provisioning_state_polling_on_the_resource(server, make_client):
    route(
        server,
        {
            ("PUT", VAULT.path): [Reply(201, {"properties": {"provisioningState": "Provisioning"}})],
            ("GET", VAULT.path): [
                Reply(200, {"properties": {"provisioningState": "Updating"}}),
                Reply(200, {"properties": {"provisioningState": "succeeded"}, "name": "vault1"}),
            ],
        },
    )
    result = make_client().execute("PUT", VAULT.path, {"location": "westus"}, operation="create backup vault")
    assert result.body["name"] == "vault1" and result.polls == 2


def test_failed_provisioning_state_is_an_operation_failure(server, make_client):
    route(
        server,
        {
            ("PUT", VAULT.path): [Reply(201, {"properties": {"provisioningState": "Provisioning"}})],
            ("GET", VAULT.path): [Reply(200, {"properties": {"provisioningState": "Failed"}})],
        },
    )
    with pytest.raises(OperationFailedError) as info:
        make_client().execute("PUT", VAULT.path, {}, operation="create backup vault")
    assert info.value.terminal_status == "Failed" and "provisioningState is Failed" in str(info.value)


def test_synchronous_policy_put_and_delete_go_through_the_same_api(server, make_client):
    route(
        server,
        {
            ("PUT", POLICY.path): [Reply(200, {"name": "daily", "properties": {"objectType": "BackupPolicy"}})],
            ("DELETE", POLICY.path): [Reply(200, None)],
        },
    )
    client = make_client()
    created = client.execute("PUT", POLICY.path, {"properties": {}}, operation="create backup policy")
    deleted = client.execute("DELETE", POLICY.path, operation="delete backup policy")
    assert created.body["name"] == "daily" and created.polls == 0
    assert deleted.status_code == 200 and deleted.body is None and not deleted.already_gone
    assert len(server.seen) == 2


@pytest.mark.parametrize("status", [204, 404])
def test_delete_of_a_missing_resource_is_already_gone(server, make_client, status):
    server.sequence(Reply(status, {"error": {"code": "ResourceNotFound", "message": "x"}} if status == 404 else None))
    result = make_client().execute("DELETE", INSTANCE.path, operation="delete backup instance")
    assert result.already_gone and result.status_code == status and len(server.seen) == 1


def test_delete_202_location_then_204(server, make_client):
    base = server.base_url
    route(
        server,
        {
            ("DELETE", VAULT.path): [Reply(202, None, {"Location": base + RESULT_PATH})],
            ("GET", RESULT_PATH): [Reply(202, None), Reply(204, None)],
        },
    )
    result = make_client().execute("DELETE", VAULT.path, operation="delete backup vault")
    assert result.status_code == 204 and result.polls == 2 and not result.already_gone


def test_delete_202_without_headers_waits_until_the_resource_is_gone(server, make_client):
    route(
        server,
        {
            ("DELETE", VAULT.path): [Reply(202, None)],
            ("GET", VAULT.path): [
                Reply(200, {"properties": {"provisioningState": "Deleting"}}),
                Reply(404, {"error": {"code": "ResourceNotFound", "message": "gone"}}),
            ],
        },
    )
    result = make_client().execute("DELETE", VAULT.path, operation="delete backup vault")
    assert result.status_code == 404 and result.polls == 2


def test_failed_operation_reports_azure_error_and_recommended_action(server, make_client):
    base = server.base_url
    error = {
        "additionalInfo": [
            {
                "type": "UserFacingError",
                "info": {
                    "message": "The storage account does not support key based authentication",
                    "recommendedAction": ["Please ensure that storage account key access is enabled and then retry."],
                    "code": "UserErrorStorageAccountKeyAccessDisallowed",
                    "isRetryable": False,
                },
            }
        ],
        "code": "UserErrorStorageAccountKeyAccessDisallowed",
        "message": "The storage account does not support key based authentication",
        "details": [{"code": "Inner", "message": "key access disabled", "target": "storageAccount"}],
    }
    route(
        server,
        {
            ("POST", VAULT.action("validateForBackup")): [
                Reply(
                    202,
                    None,
                    {
                        "Azure-AsyncOperation": base + OP_PATH + SIGNED,
                        "Location": base + RESULT_PATH,
                        "x-ms-request-id": "svc-1",
                    },
                )
            ],
            ("GET", OP_PATH): [
                Reply(200, op_status("Inprogress")),
                Reply(200, op_status("Failed", error=error), {"x-ms-failure-cause": "client"}),
            ],
        },
    )
    with pytest.raises(OperationFailedError) as info:
        make_client().execute(
            "POST", VAULT.action("validateForBackup"), {}, operation="validate backup instance", resource=INSTANCE.path
        )
    err = info.value
    assert (err.code, err.kind, err.terminal_status) == (
        "UserErrorStorageAccountKeyAccessDisallowed",
        "operation_failed",
        "Failed",
    )
    text = str(err)
    assert text.splitlines()[0] == (
        "validate backup instance on backupInstances 'bi1' ended with status Failed in Azure: "
        "UserErrorStorageAccountKeyAccessDisallowed: The storage account does not support key based authentication"
    )
    assert "recommended action: Please ensure that storage account key access is enabled" in text
    assert "detail: Inner: key access disabled (target storageAccount)" in text
    assert f"operation status: GET {base}{OP_PATH}?api-version=2025-09-01" in text, "signature params dropped"
    assert "x-ms-request-id=svc-1" in text and "x-ms-failure-cause): client" in text
    assert ("GET", RESULT_PATH) not in server.calls(), "no result is read after a failure"


def test_transient_errors_while_polling_are_retried_not_reported_as_failure(server, make_client):
    base = server.base_url
    route(
        server,
        {
            ("PUT", POLICY.path + "x"): [],
            ("DELETE", INSTANCE.path): [Reply(202, None, {"Azure-AsyncOperation": base + OP_PATH})],
            ("GET", OP_PATH): [
                Reply(503, {"error": {"code": "ServiceUnavailable", "message": "x"}}),
                Reply(500, None),
                Reply(200, op_status("Succeeded")),
            ],
        },
    )
    result = make_client().execute("DELETE", INSTANCE.path, operation="delete backup instance")
    assert result.operation_status["status"] == "Succeeded" and len(server.seen) == 4


def test_a_failed_status_read_is_not_an_operation_failure(server, make_client):
    base = server.base_url
    route(
        server,
        {
            ("DELETE", INSTANCE.path): [Reply(202, None, {"Azure-AsyncOperation": base + OP_PATH})],
            ("GET", OP_PATH): [Reply(403, {"error": {"code": "AuthorizationFailed", "message": "no read"}})],
        },
    )
    with pytest.raises(ArmError) as info:
        make_client().execute("DELETE", INSTANCE.path, operation="delete backup instance")
    err = info.value
    assert not isinstance(err, OperationFailedError) and err.phase == "polling"
    assert "failed while reading the operation status: HTTP 403, AuthorizationFailed: no read" in str(err)
    assert "not necessarily a failure of the operation" in str(err)


def test_a_malformed_status_body_is_read_again_within_the_deadline(server, make_client, fake_time):
    """Issue 19: one malformed status body failed an operation that may still be running."""
    base = server.base_url
    route(
        server,
        {
            ("DELETE", INSTANCE.path): [Reply(202, None, {"Azure-AsyncOperation": base + OP_PATH})],
            ("GET", OP_PATH): [
                Reply(200, {"id": OP_PATH}),
                Reply(200, "<html>oops"),
                Reply(200, op_status("Succeeded")),
            ],
        },
    )
    result = make_client().execute("DELETE", INSTANCE.path, operation="delete backup instance")
    assert result.polls == 3 and result.operation_status == op_status("Succeeded")

    route(
        server,
        {
            ("DELETE", INSTANCE.path): [Reply(202, None, {"Azure-AsyncOperation": base + OP_PATH})],
            ("GET", OP_PATH): [Reply(200, {"id": OP_PATH})],
        },
    )
    waited = sum(fake_time.sleeps)
    with pytest.raises(OperationTimeoutError) as info:
        make_client().execute("DELETE", INSTANCE.path, operation="delete backup instance", timeout=2.0)
    assert "last status 'unreadable status body" in str(info.value)
    assert sum(fake_time.sleeps) - waited == pytest.approx(2.0)


def test_operation_timeout_names_the_operation_and_the_status_url(server, make_client, fake_time):
    base = server.base_url
    route(
        server,
        {
            ("PUT", INSTANCE.path): [
                Reply(
                    201,
                    {"properties": {"provisioningState": "Provisioning"}},
                    {"Azure-AsyncOperation": base + OP_PATH + SIGNED},
                )
            ],
            ("GET", OP_PATH): [Reply(200, op_status("Inprogress"))],
        },
    )
    with pytest.raises(OperationTimeoutError) as info:
        make_client().execute("PUT", INSTANCE.path, {}, operation="create backup instance", timeout=3.0)
    err = info.value
    text = str(err)
    assert text.splitlines()[0] == (
        "create backup instance on backupInstances 'bi1' did not finish within 3s "
        "(last status 'Inprogress' after 7 status checks; ran out while waiting for the operation to end)"
    )
    assert f"operation status: GET {base}{OP_PATH}?api-version=2025-09-01" in text
    assert "Azure may still complete it: check the operation status URL above" in text
    assert err.kind == "timeout" and sum(fake_time.sleeps) <= 3.0


def test_put_404_is_not_found(server, make_client):
    server.sequence(
        Reply(
            404,
            {"error": {"code": "ResourceGroupNotFound", "message": "Resource group 'rg' could not be found."}},
            {"x-ms-failure-cause": "gateway"},
        )
    )
    with pytest.raises(NotFoundError) as info:
        make_client().execute("PUT", VAULT.path, {}, operation="create backup vault")
    text = str(info.value)
    assert "create backup vault on backupVaults 'vault1' failed: HTTP 404, ResourceGroupNotFound" in text
    assert "x-ms-failure-cause): gateway" in text


def test_backoff_for_states_without_retry_after_doubles_up_to_the_default_interval():
    policy = PollPolicy(min_interval=0.5, max_interval=60.0, default_interval=10.0, first_interval=1.0)
    assert [policy.backoff(n) for n in range(6)] == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    assert policy.backoff(10_000) == 10.0
    tight = PollPolicy(min_interval=0.0, max_interval=0.5, default_interval=10.0, first_interval=0.1)
    assert [tight.backoff(n) for n in range(4)] == [0.1, 0.2, 0.4, 0.5]


def test_waits_after_an_operation_keep_its_stated_cadence_within_the_default_interval():
    policy = PollPolicy(min_interval=0.5, max_interval=60.0, default_interval=10.0, first_interval=1.0)
    assert [policy.backoff(n, 3.0) for n in range(4)] == [3.0, 3.0, 3.0, 3.0]
    assert policy.backoff(0, 60.0) == 10.0 and policy.backoff(0, 0.0) == 0.5
