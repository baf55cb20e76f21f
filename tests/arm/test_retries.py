"""Request-level behaviour: headers, retries (429/5xx/connection), Retry-After, budgets, POST safety, 401 refresh."""

from __future__ import annotations

import email.utils
import re
import socket

import pytest

from pulumi_dataprotection.arm import (
    AmbiguousActionError,
    ArmError,
    EndpointUnreachableError,
    RetriesExhaustedError,
    RetryPolicy,
)
from pulumi_dataprotection.arm.auth import Secret, StaticTokenSource
from pulumi_dataprotection.arm.paths import vault_id
from pulumi_dataprotection.arm.retry import ConnectFailure, connect_failure
from tests.arm.conftest import TOKEN
from tests.arm.server import Reply

VAULT = vault_id("00000000-0000-0000-0000-000000000000", "rg", "vault1")
INSTANCE = VAULT.child("backupInstances", "bi1")
POLICY_BODY = {"properties": {"objectType": "BackupPolicy"}}
THROTTLED = {"error": {"code": "TooManyRequests", "message": "throttled"}}
UNAVAILABLE = {"error": {"code": "ServiceUnavailable", "message": "try later"}}


def test_every_call_carries_request_id_user_agent_token_and_api_version(server, make_client):
    server.sequence(*[Reply(200, {"id": VAULT.path})] * 3)
    client = make_client(api_versions={"microsoft.dataprotection/BACKUPVAULTS/backupInstances": "2025-07-01"})
    client.get(INSTANCE.path)
    client.get(INSTANCE.action("validateRestore"))
    client.get(VAULT.path)
    first, second, third = server.seen
    assert first.headers["authorization"] == f"Bearer {TOKEN}"
    assert first.headers["user-agent"].startswith("pulumi-dataprotection/")
    assert re.fullmatch(r"[0-9a-f-]{36}", first.headers["x-ms-client-request-id"])
    assert first.headers["x-ms-client-request-id"] != second.headers["x-ms-client-request-id"]
    assert first.query == second.query == {"api-version": "2025-07-01"}, "most specific type mapping wins"
    assert third.query == {"api-version": "2026-06-01"}, "unmapped types use the default api-version"


def test_429_then_success_waits_for_retry_after(server, make_client, fake_time):
    server.sequence(Reply(429, THROTTLED, {"Retry-After": "7"}), Reply(200, {"name": "vault1"}))
    assert make_client().get(VAULT.path) == {"name": "vault1"}
    assert fake_time.sleeps == [7.0]
    ids = {s.headers["x-ms-client-request-id"] for s in server.seen}
    assert len(server.seen) == 2 and len(ids) == 1, "retries of one call share its request id"


def test_retry_after_as_http_date_is_honoured(server, make_client, fake_time):
    when = email.utils.formatdate(fake_time.wall() + 12, usegmt=True)
    server.sequence(Reply(503, UNAVAILABLE, {"Retry-After": when}), Reply(200, {"name": "vault1"}))
    make_client().get(VAULT.path)
    assert len(fake_time.sleeps) == 1 and 11.0 <= fake_time.sleeps[0] <= 12.0


def test_503_several_times_then_success_uses_capped_exponential_backoff(server, make_client, fake_time):
    server.sequence(*[Reply(503, UNAVAILABLE)] * 4, Reply(200, {"name": "vault1"}))
    assert make_client().get(VAULT.path) == {"name": "vault1"}
    # rng() = 0.5 -> half of min(cap 4, 0.5 * 2^(n-1)).
    assert fake_time.sleeps == [0.25, 0.5, 1.0, 2.0]


def test_retries_exhausted_says_why_and_what_azure_answered(server, make_client):
    server.sequence(*[Reply(503, UNAVAILABLE, {"x-ms-request-id": "svc-req-1"})] * 5)
    with pytest.raises(RetriesExhaustedError) as info:
        make_client().execute("PUT", INSTANCE.path, {"properties": {}}, operation="create backup instance")
    err = info.value
    assert (err.status, err.code, err.attempts, err.kind) == (503, "ServiceUnavailable", 5, "retries_exhausted")
    text = str(err)
    assert text.splitlines()[0] == (
        "create backup instance on backupInstances 'bi1' failed after 5 attempts over 3.75s "
        "(retries exhausted: all 4 retries used): HTTP 503, ServiceUnavailable: try later"
    )
    assert f"x-ms-client-request-id={err.request_id}" in text and "x-ms-request-id=svc-req-1" in text
    assert "call: PUT http://127.0.0.1" in text


def test_retry_after_beyond_the_budget_waits_out_the_budget_and_retries_once(server, make_client, fake_time):
    """Issue 24: a Retry-After over the budget made the client wait out the budget and give up without retrying."""
    server.sequence(Reply(429, THROTTLED, {"Retry-After": "3600"}), Reply(200, {"name": "vault1"}))
    assert make_client().get(VAULT.path) == {"name": "vault1"}
    assert fake_time.sleeps == [60.0] and len(server.seen) == 2


def test_the_retry_after_the_budget_is_the_last_and_the_error_says_why(server, make_client, fake_time):
    server.sequence(Reply(429, THROTTLED, {"Retry-After": "3600"}), Reply(429, THROTTLED, {"Retry-After": "3600"}))
    with pytest.raises(RetriesExhaustedError) as info:
        make_client().get(VAULT.path)
    assert fake_time.sleeps == [60.0] and len(server.seen) == 2
    assert (
        "Azure asked to wait 600s but only 60s of the retry budget remain; "
        "the last retry after waiting that out failed too"
    ) in str(info.value)


def test_connection_reset_is_retried_for_idempotent_calls(server, make_client):
    server.sequence(Reply(drop=True), Reply(200, {"name": "vault1"}))
    assert make_client().get(VAULT.path) == {"name": "vault1"}
    assert len(server.seen) == 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_refused_loopback_endpoint_gives_up_after_two_attempts_and_names_the_endpoint(make_client, fake_time):
    endpoint = f"http://127.0.0.1:{_free_port()}"
    client = make_client(endpoint=endpoint, retry=RetryPolicy(max_retries=5, backoff_base=0.1))
    with pytest.raises(EndpointUnreachableError) as info:
        client.get(VAULT.path, operation="read backup vault")
    err = info.value
    assert isinstance(err, RetriesExhaustedError) and err.kind == "endpoint_unreachable"
    assert (err.attempts, len(fake_time.sleeps), err.endpoint, err.loopback) == (2, 1, endpoint, True)
    text = str(err)
    first = text.splitlines()[0]
    assert f"failed: the configured endpoint {endpoint} could not be reached ([Errno 111] Connection refused)" in first
    assert "?" not in first, "the endpoint is printed without a query string"
    hint = text.split("what to do: ")[1]
    assert "emulator running" in hint and "dataprotection:endpoint" in hint and "DATAPROTECTION_ENDPOINT" in hint
    assert "azure.status.microsoft" not in text and "transient" not in text
    with pytest.raises(EndpointUnreachableError):
        client.execute("POST", INSTANCE.action("backup"), {}, operation="start ad-hoc backup")
    assert len(fake_time.sleeps) == 2, "a refused connection never reached Azure, so even an unsafe POST is retried"


def test_refused_loopback_endpoint_is_tried_as_often_as_configured(make_client, fake_time):
    policy = RetryPolicy(max_retries=2, backoff_base=0.1, loopback_refused_attempts=10)
    client = make_client(endpoint=f"http://localhost:{_free_port()}", retry=policy)
    with pytest.raises(EndpointUnreachableError) as info:
        client.get(VAULT.path)
    assert info.value.attempts == 3 and "all 2 retries used" in str(info.value)


def test_unresolvable_host_reports_the_endpoint_and_network_advice():
    import requests
    import urllib3.exceptions

    dns = socket.gaierror(-2, "Name or service not known")
    inner = urllib3.exceptions.NameResolutionError("arm.example.invalid", None, dns)  # type: ignore[arg-type]
    inner.__cause__ = dns  # as urllib3 raises it
    exc = requests.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/", inner))  # type: ignore[arg-type]
    failure = connect_failure(exc)
    assert failure == ConnectFailure("[Errno -2] Name or service not known", refused=False)
    assert connect_failure(requests.ConnectionError("Connection aborted.", ConnectionResetError(104, "reset"))) is None
    err = EndpointUnreachableError(
        "x",
        endpoint="https://user:pw@arm.example.invalid/?sig=secret#frag",
        loopback=False,
        cause=failure.reason,
        attempts=6,
        elapsed=6.3,
        reason="all 5 retries used",
        operation="read backup vault",
    )
    text = str(err)
    assert text.splitlines()[0] == (
        "read backup vault failed: the configured endpoint https://arm.example.invalid/ could not be reached "
        "([Errno -2] Name or service not known); 6 attempts over 6.3s (all 5 retries used)"
    )
    assert "proxy" in text and "dataprotection:endpoint" in text and "secret" not in text and "pw" not in text


def test_transient_answers_from_a_reachable_service_keep_the_retries_exhausted_advice(server, make_client):
    server.sequence(Reply(503, UNAVAILABLE), Reply(drop=True), *[Reply(503, UNAVAILABLE)] * 3)
    with pytest.raises(RetriesExhaustedError) as info:
        make_client().get(VAULT.path)
    assert type(info.value) is RetriesExhaustedError and info.value.attempts == 5
    assert "azure.status.microsoft" in str(info.value)


def test_unsafe_post_is_not_retried_on_502_or_reset(server, make_client):
    backup = INSTANCE.action("backup")
    server.sequence(Reply(502, {"error": {"code": "BadGateway", "message": "upstream"}}))
    with pytest.raises(AmbiguousActionError) as info:
        make_client().execute("POST", backup, {"backupRuleOptions": {}}, operation="start ad-hoc backup")
    assert len(server.seen) == 1 and info.value.status == 502
    assert str(info.value).startswith(
        "start ad-hoc backup on backupInstances 'bi1' may have reached Azure, but its outcome is unknown "
        "(HTTP 502, BadGateway: upstream); it was not sent again"
    )

    server.sequence(Reply(drop=True))
    with pytest.raises(AmbiguousActionError) as info:
        make_client().execute("POST", backup, {"backupRuleOptions": {}}, operation="start ad-hoc backup")
    assert len(server.seen) == 2 and info.value.code == "ConnectionError"
    assert "could run it twice" in str(info.value)


def test_unsafe_post_is_retried_only_when_azure_did_not_process_it(server, make_client, fake_time):
    backup = INSTANCE.action("backup")
    server.sequence(
        Reply(429, THROTTLED),
        Reply(429, THROTTLED, {"Retry-After": "2"}),
        Reply(200, {"objectType": "OperationJobExtendedInfo", "jobId": "job-1"}),
    )
    result = make_client().execute("POST", backup, {}, operation="start ad-hoc backup")
    assert result.job_id == "job-1" and len(server.seen) == 3
    assert fake_time.sleeps[-1] == 2.0

    server.sequence(Reply(503, UNAVAILABLE, {"Retry-After": "2"}))
    with pytest.raises(AmbiguousActionError):
        make_client().execute("POST", backup, {}, operation="start ad-hoc backup")
    assert len(server.seen) == 4, "a 503 (even with Retry-After) may come after the action started: not resent"


def test_read_only_post_actions_are_retried_like_gets(server, make_client):
    server.sequence(Reply(500, {"error": {"code": "CloudInternalError", "message": "x"}}), Reply(200, {"value": []}))
    result = make_client().execute(
        "POST", INSTANCE.action("findRestorableTimeRanges"), {}, operation="find restorable time ranges"
    )
    assert result.body == {"value": []} and len(server.seen) == 2


def test_401_refreshes_the_token_once_and_retries(server, make_client):
    class Rotating(StaticTokenSource):
        def __init__(self) -> None:
            super().__init__(Secret("old"))
            self.refreshes = 0

        def token(self, force_refresh: bool = False, **_: object) -> str:
            self.refreshes += force_refresh
            return "new" if self.refreshes else "old"

    def handler(seen):
        if seen.headers["authorization"] == "Bearer new":
            return Reply(200, {"name": "vault1"})
        return Reply(401, {"error": {"code": "ExpiredAuthenticationToken", "message": "expired"}})

    server.handler = handler
    source = Rotating()
    client = make_client()
    client._token_source = source
    assert client.get(VAULT.path) == {"name": "vault1"}
    assert source.refreshes == 1 and len(server.seen) == 2


def test_persistent_401_is_reported_with_advice(server, make_client):
    server.handler = lambda seen: Reply(401, {"error": {"code": "InvalidAuthenticationToken", "message": "bad"}})
    with pytest.raises(ArmError) as info:
        make_client().get(VAULT.path)
    assert len(server.seen) == 2
    assert info.value.status == 401 and "has a role allowing this action" in str(info.value)


def test_non_json_success_body_is_an_error(server, make_client):
    server.sequence(Reply(200, "<html>proxy login</html>", {"Content-Type": "text/html"}))
    with pytest.raises(ArmError) as info:
        make_client().get(VAULT.path)
    assert info.value.code == "InvalidResponse" and "proxy login" in str(info.value)


def test_list_follows_next_link(server, make_client):
    def handler(seen):
        if seen.query.get("page") == "2":
            return Reply(200, {"value": [{"name": "b"}]})
        return Reply(200, {"value": [{"name": "a"}], "nextLink": f"{server.base_url}{seen.path}?api-version=x&page=2"})

    server.handler = handler
    assert make_client().list(VAULT.collection("backupInstances")) == [{"name": "a"}, {"name": "b"}]
    assert [s.query for s in server.seen] == [{"api-version": "2026-06-01"}, {"api-version": "x", "page": "2"}]


def test_get_returns_none_on_404(server, make_client):
    server.sequence(Reply(404, {"error": {"code": "ResourceNotFound", "message": "nope"}}))
    assert make_client().get(VAULT.path) is None
