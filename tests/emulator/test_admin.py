"""Who may call the emulator: the admin API needs the token and JSON, Host headers must be loopback, remote binding
needs an explicit flag, fault patterns match in linear time and bad admin input is a 400 with a message."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from pulumi_dataprotection.emulator import EmulatorHandle, start_emulator
from pulumi_dataprotection.emulator.faults import Fault
from tests.emulator import helpers
from tests.emulator.conftest import CheckedArm

ADMIN_CALLS = [
    ("GET", "health", None),
    ("GET", "requests", None),
    ("DELETE", "requests", None),
    ("GET", "faults", None),
    ("POST", "faults", {"kind": "latency", "seconds": 0.01}),
    ("DELETE", "faults", None),
    ("DELETE", "faults/1", None),
    ("POST", "reset", {}),
    ("GET", "snapshot", None),
    ("POST", "snapshot", {"documents": [], "settings": {}}),
    ("GET", "clock", None),
    ("POST", "clock", {"advanceSeconds": 1}),
    ("POST", "datasources", {"id": "/subscriptions/x/resourceGroups/rg/providers/A.B/c/d"}),
    ("GET", "restored", None),
    ("GET", "guard-access", None),
    ("POST", "guard-access", {"resourceGuardId": "/subscriptions/x/resourceGroups/rg/providers/A.B/resourceGuards/g"}),
    ("DELETE", "guard-access", None),
    ("GET", "tenants", None),
    ("POST", "tenants", {"subscriptionId": "s", "tenantId": "t", "token": "k"}),
]


def _admin(handle: EmulatorHandle, method: str, path: str, **kw: Any) -> requests.Response:
    return requests.request(method, f"{handle.url}/_emulator/{path}", timeout=10, **kw)


def _auth(handle: EmulatorHandle) -> dict[str, str]:
    return {"Authorization": f"Bearer {handle.token}"}


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_CALLS)
def test_every_admin_endpoint_needs_the_token(emulator: EmulatorHandle, method: str, path: str, body: Any) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": emulator.token}):
        refused = _admin(emulator, method, path, json=body, headers=headers)
        assert refused.status_code == 401, (headers, refused.text)
        assert "token" in refused.json()["error"]["message"]
    allowed = _admin(emulator, method, path, json=body, headers=_auth(emulator))
    assert allowed.status_code < 400 or (method, path) == ("DELETE", "faults/1"), allowed.text


def test_a_text_plain_post_cannot_wipe_the_emulator(emulator: EmulatorHandle, api: CheckedArm, vault: str) -> None:
    refused = _admin(emulator, "POST", "reset", data="{}", headers={**_auth(emulator), "Content-Type": "text/plain"})
    assert refused.status_code == 415
    assert "application/json" in refused.json()["error"]["message"]
    assert _admin(emulator, "POST", "reset", data="{}", headers=_auth(emulator)).status_code == 415  # no type
    assert api.get(vault).status_code == 200


def test_the_token_is_required_even_when_any_arm_token_is_accepted() -> None:
    handle = start_emulator(in_process=True, accept_any_token=True, lro_seconds=0.2, retry_after=0)
    try:
        wrong = _admin(handle, "POST", "reset", json={}, headers={"Authorization": "Bearer eyJ.some.jwt"})
        assert wrong.status_code == 401
        handle.reset()
    finally:
        handle.stop()


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example:80", "10.0.0.1"])
def test_non_loopback_host_headers_are_refused(emulator: EmulatorHandle, api: CheckedArm, host: str) -> None:
    for url in (f"{emulator.url}/_emulator/health", api.url(helpers.vault_path())):
        refused = requests.get(url, headers={**_auth(emulator), "Host": host}, timeout=10)
        assert refused.status_code == 403, refused.text
        assert f"Host '{host}'" in refused.json()["error"]["message"]
    port = emulator.url.rsplit(":", 1)[1]
    for good in (f"localhost:{port}", f"127.0.0.1:{port}", "[::1]", "LOCALHOST"):
        assert requests.get(api.url(helpers.vault_path()), headers={"Host": good}, timeout=10).status_code != 403


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        ("GET", "requests?since=abc", None, "since"),
        ("POST", "clock", "{not json", "JSON"),
        ("POST", "clock", "[1]", "advanceSeconds"),
        ("POST", "clock", '{"advanceSeconds": "soon"}', "advanceSeconds"),
        ("POST", "clock", '{"advanceSeconds": NaN}', "advanceSeconds"),
        ("POST", "datasources", "{not json", "JSON"),
        ("POST", "datasources", '{"id": "/subscriptions/x", "location": 3}', "location"),
        ("POST", "faults", "{not json", "JSON"),
        ("POST", "guard-access", "{not json", "JSON"),
        ("POST", "guard-access", '{"resourceGuardId": "/x/resourceGuards/g", "seconds": Infinity}', "seconds"),
        ("POST", "tenants", "{not json", "JSON"),
        ("POST", "tenants", '{"subscriptionId": "s", "tenantId": 3, "token": "k"}', "tenantId"),
        ("POST", "faults", '{"kind": "latency", "seconds": "slow"}', "seconds"),
        ("POST", "faults", '{"kind": "latency", "path": 7}', "path"),
        ("POST", "faults", '{"kind": "latency", "method": ["GET"]}', "method"),
        ("POST", "faults", '{"kind": "latency", "seconds": 1e999}', "seconds"),
        ("POST", "faults", '{"kind": "latency", "count": -1}', "count"),
        ("POST", "snapshot", "{not json", "JSON"),
        ("POST", "snapshot", '{"documents": [{"kind": "vault", "key": "k", "data": 3}], "settings": {}}', "documents"),
        ("POST", "snapshot", '{"documents": [], "settings": {"clock_offset": 5}}', "settings"),
    ],
)
def test_bad_admin_input_is_a_400_with_a_message(
    emulator: EmulatorHandle, method: str, path: str, body: str | None, message: str
) -> None:
    headers = {**_auth(emulator), "Content-Type": "application/json"}
    response = _admin(emulator, method, path, data=body, headers=headers)
    assert response.status_code == 400, response.text
    assert message in response.json()["error"]["message"]


def test_a_snapshot_restores_resources_operations_and_the_clock_but_not_the_log_or_faults(
    emulator: EmulatorHandle, api: CheckedArm, vault: str
) -> None:
    emulator.advance_clock(60)
    saved = emulator.snapshot()
    policy = helpers.policy_path("diskpolicy")
    assert api.put(policy, helpers.disk_policy()).status_code == 200
    assert api.delete(vault).status_code in (200, 202)
    emulator.advance_clock(3600)
    emulator.inject_fault("latency", path="nothing-matches", seconds=0.01)
    logged = len(emulator.request_log())

    emulator.restore(saved)

    assert api.get(vault).json()["properties"]["provisioningState"] == "Succeeded"
    assert api.get(policy).status_code == 404
    assert emulator.clock()["offsetSeconds"] == 60
    assert emulator.snapshot() == saved
    assert len(emulator.request_log()) == logged + 2 and len(emulator.faults()) == 1


def test_fault_patterns_match_in_linear_time() -> None:
    evil = Fault.from_json({"kind": "latency", "path": "*a*a*a*a*a*a*a*a*a*a*a*b"})  # 23 characters
    path = "/subscriptions/" + "a" * 5000
    started = time.perf_counter()
    for _ in range(100):
        assert not evil.matches("GET", path)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    ("pattern", "path", "hit"),
    [
        ("backupVaults", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataProtection/backupVaults/v", True),
        ("BACKUPVAULTS", "/x/backupVaults/v", True),
        ("/backupVaults/v$", "/x/backupVaults/v", True),
        ("/backupVaults/v$", "/x/backupVaults/v/backupPolicies/p", False),
        ("^/x/", "/x/backupVaults/v", True),
        ("^/backupVaults", "/x/backupVaults/v", False),
        ("/backupVaults/*/backupInstances/bi1$", "/x/backupVaults/v/backupInstances/bi1", True),
        ("/backupVaults/*/backupInstances/bi1$", "/x/backupVaults/v/backupPolicies/bi1", False),
        ("Microsoft.DataProtection", "/x/providers/Microsoft.DataProtection/backupVaults", True),
        ("Microsoft.DataProtection", "/x/providers/MicrosoftXDataProtection/backupVaults", False),
        ("", "/anything", True),
    ],
)
def test_fault_patterns(pattern: str, path: str, hit: bool) -> None:
    assert Fault.from_json({"kind": "latency", "path": pattern}).matches("GET", path) is hit


@given(
    start=st.booleans(),
    pieces=st.lists(st.text("ab/", max_size=3), min_size=1, max_size=4),
    end=st.booleans(),
    path=st.text("aAb/", max_size=10),
)
def test_fault_patterns_agree_with_the_equivalent_regular_expression(
    start: bool, pieces: list[str], end: bool, path: str
) -> None:
    pattern = ("^" if start else "") + "*".join(pieces) + ("$" if end else "")
    regex = ("^" if start else "") + ".*".join(map(re.escape, pieces)) + ("$" if end else "")
    expected = re.search(regex, path, re.IGNORECASE | re.DOTALL) is not None
    assert Fault.from_json({"kind": "latency", "path": pattern}).matches("GET", path) is expected


@pytest.mark.parametrize("pattern", ["(", "a+", "vault[12]", "x|y", r"\.", "a{2}", "a?", "^" + "x" * 2000])
def test_regular_expression_syntax_is_refused_with_the_pattern_rules(emulator: EmulatorHandle, pattern: str) -> None:
    with pytest.raises(RuntimeError, match=r"400.*fault path"):
        emulator.inject_fault("latency", path=pattern)


def _run(*args: str, token: str | None = None) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "DP_EMULATOR_TOKEN"}
    return subprocess.Popen(
        [sys.executable, "-m", "pulumi_dataprotection.emulator", "--lro-seconds", "0.2", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env if token is None else {**env, "DP_EMULATOR_TOKEN": token},
    )


def test_non_loopback_binding_needs_the_explicit_flag_and_a_token_of_its_own() -> None:
    refused = _run("--host", "0.0.0.0")
    _, err = refused.communicate(timeout=30)
    assert refused.returncode == 2
    assert "--allow-remote" in err
    default_token = _run("--host", "0.0.0.0", "--allow-remote")
    _, err = default_token.communicate(timeout=30)
    assert default_token.returncode == 2
    assert "--token" in err


def test_a_remote_binding_prints_the_address_it_bound(tmp_path: Path) -> None:
    proc = _run("--host", "0.0.0.0", "--allow-remote", "--db", str(tmp_path / "db"), token="s3cret-for-this-run")
    try:
        assert proc.stdout is not None and proc.stderr is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://0.0.0.0:"), url
        notice = proc.stderr.readline()
        assert "0.0.0.0" in notice and "every interface" in notice and "127.0.0.1" not in notice, notice
        port = url.rsplit(":", 1)[1]
        # Any Host is accepted on an explicit remote binding; the token is still required.
        headers = {"Host": f"backup-emulator.internal:{port}"}
        assert requests.get(f"http://127.0.0.1:{port}/_emulator/health", headers=headers, timeout=10).status_code == 401
        headers["Authorization"] = "Bearer s3cret-for-this-run"
        assert requests.get(f"http://127.0.0.1:{port}/_emulator/health", headers=headers, timeout=10).status_code == 200
    finally:
        proc.terminate()
        proc.communicate(timeout=15)
