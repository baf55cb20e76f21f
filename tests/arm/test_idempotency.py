"""Actions that are not idempotent (POST backup, stopProtection, suspendBackups, resume*, undelete) are sent once:
resent only when the request provably did not reach the service; an ambiguous failure is reported as such."""

from __future__ import annotations

import socket

import pytest

from pulumi_dataprotection.arm import AmbiguousActionError, ArmError, RetryPolicy
from pulumi_dataprotection.arm.paths import vault_id
from tests.arm.server import Reply

SUB = "00000000-0000-0000-0000-000000000000"
VAULT = vault_id(SUB, "rg", "vault1")
INSTANCE = VAULT.child("backupInstances", "bi1")
DELETED = VAULT.child("deletedBackupInstances", "bi1")
ACTIONS = [
    INSTANCE.action("backup"),
    INSTANCE.action("stopProtection"),
    INSTANCE.action("suspendBackups"),
    INSTANCE.action("resumeProtection"),
    INSTANCE.action("resumeBackups"),
    DELETED.action("undelete"),
    VAULT.action("someFutureAction"),
]
INTERNAL = {"error": {"code": "InternalServerError", "message": "try later"}}


@pytest.mark.parametrize("path", ACTIONS)
@pytest.mark.parametrize(
    "reply",
    [
        Reply(500, INTERNAL, {"Retry-After": "1"}),
        Reply(503, INTERNAL, {"Retry-After": "1"}),
        Reply(502, INTERNAL),
        Reply(504, INTERNAL),
        Reply(408, INTERNAL),
        Reply(drop=True),
    ],
)
def test_an_ambiguous_failure_of_an_action_is_never_resent(server, make_client, path, reply):
    """Issue 19: a 500 with Retry-After on POST .../backup was sent twice (two backup jobs possible)."""
    server.handler = lambda seen: reply if seen.method == "POST" else Reply(599)
    with pytest.raises(AmbiguousActionError) as info:
        make_client().execute("POST", path, {}, operation="act", timeout=60)
    assert [s.method for s in server.seen] == ["POST"], "sent exactly once"
    err = info.value
    assert err.kind == "ambiguous" and err.sent_at is not None
    assert "may have reached Azure" in str(err) and "was not sent again" in str(err)


@pytest.mark.parametrize("path", ACTIONS[:2])
def test_an_action_is_resent_when_azure_says_it_did_not_process_it(server, make_client, path):
    server.sequence(
        Reply(429, {"error": {"code": "TooManyRequests", "message": "throttled"}}, {"Retry-After": "1"}),
        Reply(409, {"error": {"code": "UserErrorAnotherOperationInProgress", "message": "in progress"}}),
        Reply(200, {"jobId": "job-1"}),
    )
    result = make_client().execute("POST", path, {}, operation="act", timeout=600)
    assert result.status_code == 200 and len(server.seen) == 3


def test_an_action_is_resent_when_the_connection_was_refused(make_client, fake_time):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = make_client(
        endpoint=f"http://127.0.0.1:{port}",
        retry=RetryPolicy(max_retries=2, backoff_base=0.1, loopback_refused_attempts=3),
    )
    with pytest.raises(ArmError) as info:
        client.execute("POST", INSTANCE.action("backup"), {}, operation="act", timeout=600)
    assert not isinstance(info.value, AmbiguousActionError) and len(fake_time.sleeps) == 2


def test_read_only_actions_and_idempotent_writes_are_still_retried(server, make_client):
    server.sequence(Reply(500, INTERNAL), Reply(200, {"ok": True}))
    make_client().execute("POST", INSTANCE.action("validateForModifyBackup"), {}, operation="validate")
    server.sequence(Reply(500, INTERNAL), Reply(200, {"id": INSTANCE.path}))
    make_client().execute("PUT", INSTANCE.path, {}, operation="create")
    assert len(server.seen) == 4
