"""404 means gone only when Azure says the resource itself does not exist (ResourceNotFound, DataProtection's
UserErrorGenericResourceNotFound); any other 404 is an error that names its cause, so no state is dropped on it."""

from __future__ import annotations

import pytest

from pulumi_dataprotection.arm import NotFoundError
from pulumi_dataprotection.arm.paths import vault_id
from tests.arm.server import Reply

SUB = "00000000-0000-0000-0000-000000000000"
VAULT = vault_id(SUB, "rg", "vault1")
INSTANCE = VAULT.child("backupInstances", "bi1")


def _error(code: str, message: str = "details") -> dict[str, object]:
    return {"error": {"code": code, "message": message}}


GONE = [
    Reply(404, _error("ResourceNotFound"), {"x-ms-failure-cause": "gateway"}),
    Reply(404, _error("UserErrorGenericResourceNotFound"), {"x-ms-error-code": "UserErrorGenericResourceNotFound"}),
    Reply(404, None, {"x-ms-error-code": "UserErrorGenericResourceNotFound"}),
]
AMBIGUOUS = [
    (Reply(404, _error("SubscriptionNotFound"), {"x-ms-failure-cause": "gateway"}), "subscription"),
    (Reply(404, _error("ResourceGroupNotFound"), {"x-ms-failure-cause": "gateway"}), "resource group"),
    (Reply(404, _error("InvalidResourceType")), "does not serve this resource type"),
    (Reply(404, _error("NotFound", "The path is not part of the API")), "not say that the resource is gone"),
    (Reply(404, "<html><body>404 Not Found</body></html>", {"Content-Type": "text/html"}), "no ARM error body"),
    (Reply(404, None), "no ARM error body"),
]


@pytest.mark.parametrize("reply", GONE)
def test_the_resources_own_not_found_codes_mean_gone(server, make_client, reply):
    server.handler = lambda seen: reply
    client = make_client()
    assert client.get(INSTANCE.path) is None
    assert client.execute("DELETE", INSTANCE.path, operation="delete backup instance").already_gone


@pytest.mark.parametrize(("reply", "cause"), AMBIGUOUS)
def test_any_other_404_is_an_error_naming_its_cause(server, make_client, reply, cause):
    """Issue 19: every 404 counted as gone, so a refresh under the wrong subscription dropped resources."""
    server.handler = lambda seen: reply
    client = make_client()
    with pytest.raises(NotFoundError) as info:
        client.get(INSTANCE.path, operation="read backup instance")
    assert not info.value.gone and cause in str(info.value)
    assert "Nothing was removed from the Pulumi state" in str(info.value)
    with pytest.raises(NotFoundError) as info:
        client.execute("DELETE", INSTANCE.path, operation="delete backup instance")
    assert not info.value.gone


def test_a_write_polled_while_invisible_tolerates_only_the_resources_not_found(server, make_client):
    base = server.base_url
    replies = [
        Reply(202, None, {"Retry-After": "0"}),
        Reply(404, _error("ResourceNotFound")),
        Reply(200, {"id": VAULT.path, "properties": {"provisioningState": "Succeeded"}}),
    ]
    server.sequence(*replies)
    assert make_client().execute("PUT", VAULT.path, {}, operation="create backup vault").body is not None
    server.sequence(Reply(202, None, {"Retry-After": "0"}), Reply(404, _error("SubscriptionNotFound")))
    with pytest.raises(NotFoundError, match="SubscriptionNotFound"):
        make_client().execute("PUT", VAULT.path, {}, operation="create backup vault")
    assert base
