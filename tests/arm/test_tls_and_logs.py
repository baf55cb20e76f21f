"""TLS verification failures fail at once with the certificate problem stated; signed operation-status URLs never
reach the logs (ours or urllib3's debug log)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pulumi_dataprotection.arm import ArmClient, ArmError, ArmSettings, VaultLocks
from pulumi_dataprotection.arm.paths import vault_id
from pulumi_dataprotection.emulator.tls import ensure_certificate
from tests.arm.server import Reply, ScriptedServer

SUB = "00000000-0000-0000-0000-000000000000"
VAULT = vault_id(SUB, "rg", "vault1")
INSTANCE = VAULT.child("backupInstances", "bi1")


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[ScriptedServer, Path]]:
    cert, key = ensure_certificate(tmp_path / "tls")
    server = ScriptedServer(tls=(cert, key))
    server.handler = lambda seen: Reply(200, {"name": "vault1"})
    yield server, cert
    server.close()


def test_an_untrusted_certificate_fails_at_once_naming_the_problem(tls_server):
    """Issue 19: TLS verification failures were retried like network errors (18-31 s)."""
    server, cert = tls_server
    client = ArmClient(ArmSettings.emulator(server.base_url), locks=VaultLocks())
    started = time.monotonic()
    with pytest.raises(ArmError) as info:
        client.get(VAULT.path, operation="read backup vault")
    took = time.monotonic() - started
    err = info.value
    assert took < 2.0 and server.seen == [], f"took {took:.1f}s"
    assert err.code == "TlsVerificationFailed"
    text = str(err)
    assert "TLS verification of 127.0.0.1 failed" in text and "certificate" in text and "not retried" in text
    assert "dataprotection:caBundle" in text

    trusted = ArmClient(ArmSettings.emulator(server.base_url, ca_bundle=str(cert)), locks=VaultLocks())
    assert trusted.get(VAULT.path) == {"name": "vault1"}, "the same server is fine with its CA trusted"


def test_signed_status_urls_never_reach_the_logs(server, make_client, caplog):
    """Issue 19: urllib3's debug log printed signed operation-status URLs."""
    signature = "sig-SECRET-value_x"
    signed = f"?api-version=2025-09-01&t=6389&c=MIIH-abc&s={signature}&h=hash-SECRET"
    status_path = f"{VAULT.path}/operationStatus/op1"
    base = server.base_url

    def handler(seen):  # type: ignore[no-untyped-def]
        if seen.method == "PUT":
            return Reply(
                201,
                {"properties": {"provisioningState": "Provisioning"}},
                {"Azure-AsyncOperation": base + status_path + signed},
            )
        if seen.path == status_path:
            return Reply(200, {"status": "Succeeded"})
        return Reply(200, {"id": INSTANCE.path, "properties": {"provisioningState": "Succeeded"}})

    server.handler = handler
    with caplog.at_level(logging.DEBUG):
        make_client().execute("PUT", INSTANCE.path, {}, operation="create backup instance")
    assert any("operationStatus/op1" in r.getMessage() for r in caplog.records if r.name.startswith("urllib3"))
    assert signature not in caplog.text and "hash-SECRET" not in caplog.text
