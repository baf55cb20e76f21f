"""Safety: names and paths checked before any request, tokens only to the endpoint, no secrets in output/pickles."""

from __future__ import annotations

import copy
import logging
import pickle
import threading

import pytest

from pulumi_dataprotection.arm import (
    ArmClient,
    ArmError,
    ArmSettings,
    CredentialMode,
    InvalidNameError,
    ResourceId,
    Secret,
    UnsafeRequestError,
    get_client,
    resolve_cloud,
    vault_id,
)
from pulumi_dataprotection.arm.auth import StaticTokenSource
from pulumi_dataprotection.arm.clouds import AZURE_CHINA, AZURE_PUBLIC, AZURE_US_GOVERNMENT, is_loopback_host
from pulumi_dataprotection.arm.paths import (
    instance_write_vault,
    is_idempotent,
    resource_of,
    resource_type_candidates,
    vault_of,
)
from tests.arm.conftest import TOKEN
from tests.arm.server import Reply

SUB = "00000000-0000-0000-0000-000000000000"


@pytest.mark.parametrize("bad", ["a/b", "a?b", "a#b", "100%", "a..b", "..", "back\\slash", "", " lead", "tab\tx"])
def test_unsafe_names_are_rejected_before_any_request(server, make_client, bad):
    client = make_client()
    with pytest.raises(InvalidNameError) as info:
        client.execute(
            "PUT",
            vault_id(SUB, "rg", "vault").child("backupInstances", bad).path,
            {},
            operation="create backup instance",
        )
    assert server.seen == []
    assert info.value.kind == "invalid_name" and "no request was sent" in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    "path", ["relative/path", "/subscriptions/x/../y", "/subscriptions/x?$filter=a", "/a/%2e%2e/b"]
)
def test_unsafe_request_paths_are_rejected(server, make_client, path):
    with pytest.raises(InvalidNameError):
        make_client().get(path)
    assert server.seen == []


def test_resource_ids_escape_and_parse():
    vault = vault_id(SUB, "rg (prod)", "vault-1")
    instance = vault.child("backupInstances", "disk:1")
    assert instance.path == (
        f"/subscriptions/{SUB}/resourceGroups/rg%20%28prod%29/providers/Microsoft.DataProtection/"
        "backupVaults/vault-1/backupInstances/disk%3A1"
    )
    assert instance.action("backup").endswith("/backupInstances/disk%3A1/backup")
    assert vault.collection("backupPolicies").endswith("/backupVaults/vault-1/backupPolicies")
    assert instance.resource_type == "Microsoft.DataProtection/backupVaults/backupInstances"
    assert instance.name == "disk:1"
    parsed = ResourceId.parse(
        f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.DataProtection/backupVaults/v/backupPolicies/p"
    )
    assert parsed == vault_id(SUB, "rg", "v").child("backupPolicies", "p")
    for bad in ("/subscriptions", "/foo/bar", f"/subscriptions/{SUB}/resourceGroups/rg/providers/NS/type"):
        with pytest.raises(InvalidNameError):
            ResourceId.parse(bad)
    with pytest.raises(InvalidNameError):
        ResourceId.parse(f"/subscriptions/{SUB}/resourceGroups/r%2Fg")


def test_typed_ids_know_their_vault_and_parent():
    vault = vault_id(SUB, "rg", "v")
    point = ResourceId.parse(f"{vault.path}/backupInstances/bi/recoveryPoints/rp")
    assert point.vault == vault == vault.vault
    assert point.parent == vault.child("backupInstances", "bi")
    assert vault.parent == ResourceId(SUB, "rg")
    assert ResourceId(SUB, "rg").parent == ResourceId(SUB)
    assert ResourceId(SUB).parent is None
    for outside in (ResourceId(SUB, "rg"), ResourceId(SUB, "rg", "Microsoft.Compute", (("disks", "d"),))):
        with pytest.raises(InvalidNameError, match="not a backup vault id"):
            _ = outside.vault


def test_which_requests_are_instance_writes_and_which_are_idempotent():
    vault = vault_id(SUB, "RG", "Vault1")
    instance = vault.child("backupInstances", "bi")
    key = vault.path
    assert instance_write_vault("PUT", instance.path) == key
    assert instance_write_vault("delete", "https://management.azure.com" + instance.path + "?api-version=x") == key
    assert instance_write_vault("POST", instance.action("backup")) == key
    assert instance_write_vault("POST", vault.child("deletedBackupInstances", "bi").action("undelete")) == key
    assert instance_write_vault("POST", instance.action("validateRestore")) is None
    assert instance_write_vault("GET", instance.path) is None
    assert instance_write_vault("PUT", vault.path) is None
    assert instance_write_vault("PUT", vault.child("backupPolicies", "p").path) is None
    assert vault_of(vault.child("backupPolicies", "p").path) == key
    assert resource_of(instance.action("backup")) == resource_of(instance.path + "/") == instance.path
    assert resource_of(vault.collection("backupInstances")) == vault.path
    assert is_idempotent("PUT", instance.path) and is_idempotent("POST", instance.action("findRestorableTimeRanges"))
    assert not is_idempotent("POST", instance.action("backup"))
    assert resource_type_candidates(instance.action("backup")) == [
        "microsoft.dataprotection/backupvaults/backupinstances/backup",
        "microsoft.dataprotection/backupvaults/backupinstances",
        "microsoft.dataprotection/backupvaults",
        "microsoft.dataprotection",
    ]


def test_plain_http_endpoint_must_be_loopback():
    with pytest.raises(UnsafeRequestError) as info:
        ArmSettings.emulator("http://example.com:8080")
    assert "would expose the access token" in str(info.value)
    with pytest.raises(UnsafeRequestError):
        ArmSettings.emulator("http://10.1.2.3")
    for ok in ("http://127.0.0.1:1234", "http://localhost:1", "http://[::1]:8", "https://example.com"):
        ArmSettings.emulator(ok)
    assert is_loopback_host("127.8.9.10") and not is_loopback_host("127.0.0.1.nip.io")


def test_token_is_never_sent_to_another_host(server, make_client):
    foreign = "http://localhost:1/subscriptions/x/operationStatus/1?api-version=1"
    server.sequence(Reply(202, None, {"Azure-AsyncOperation": foreign}))
    with pytest.raises(UnsafeRequestError) as info:
        make_client().execute("DELETE", vault_id(SUB, "rg", "v").path, operation="delete backup vault")
    assert len(server.seen) == 1 and "is not on the configured ARM endpoint" in str(info.value)
    with pytest.raises(UnsafeRequestError):
        make_client().list("https://evil.example/subscriptions/x")
    assert len(server.seen) == 1


def test_token_never_appears_in_logs_errors_or_reprs(server, make_client, caplog):
    caplog.set_level(logging.DEBUG)
    server.sequence(
        *[Reply(503, {"error": {"code": "Unavailable", "message": "x"}})] * 5,
        Reply(400, {"error": {"code": "Bad", "message": "bad"}}),
    )
    client = make_client()
    errors = []
    for _ in range(2):
        with pytest.raises(ArmError) as info:
            client.execute("PUT", vault_id(SUB, "rg", "v").path, {}, operation="create backup vault")
        errors.append(info.value)
    assert "Bearer" not in caplog.text and TOKEN not in caplog.text
    assert "retrying in" in caplog.text, "retries are logged"
    for text in (
        *map(str, errors),
        *map(repr, errors),
        repr(client),
        repr(client.settings),
        repr(StaticTokenSource(Secret(TOKEN))),
    ):
        assert TOKEN not in text


def test_clients_tokens_and_secrets_refuse_pickling(make_client):
    client = make_client()
    for obj in (client, client.settings, Secret("s3cret"), StaticTokenSource(Secret("s3cret"))):
        with pytest.raises(TypeError, match="never pickled"):
            pickle.dumps(obj)
    assert copy.deepcopy(Secret("a")) == Secret("a") and Secret("a") != Secret("b")
    plain = ArmSettings(subscription_id=SUB)
    assert pickle.loads(pickle.dumps(plain)) == plain, "settings without secrets stay picklable"


def test_get_client_returns_one_client_per_settings_across_threads():
    settings = ArmSettings.emulator("http://127.0.0.1:9", api_versions={"Microsoft.Storage": "2025-01-01"})
    same = ArmSettings.emulator("http://127.0.0.1:9", api_versions={"microsoft.storage": "2025-01-01"})
    found: list[ArmClient] = []
    threads = [threading.Thread(target=lambda: found.append(get_client(settings))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({id(c) for c in found}) == 1 and get_client(same) is found[0]
    assert get_client(ArmSettings.emulator("http://127.0.0.1:10")) is not found[0]


def test_clouds_and_custom_endpoints():
    assert resolve_cloud("AzureUSGovernment") is AZURE_US_GOVERNMENT
    assert resolve_cloud("azurechinacloud") is AZURE_CHINA and resolve_cloud() is AZURE_PUBLIC
    assert AZURE_US_GOVERNMENT.token_scope == "https://management.usgovcloudapi.net/.default"
    assert AZURE_CHINA.authority_host == "login.chinacloudapi.cn"
    custom = resolve_cloud("AzurePublic", endpoint="https://ARM.Contoso.example:8443/")
    assert (custom.arm_endpoint, custom.token_scope) == (
        "https://arm.contoso.example:8443",
        "https://arm.contoso.example:8443/.default",
    )
    with pytest.raises(ValueError, match="unknown Azure cloud"):
        resolve_cloud("Mars")
    with pytest.raises(ValueError, match="must not carry a path"):
        resolve_cloud(endpoint="https://host/path")
    settings = ArmSettings(cloud="AzureChina", subscription_id=SUB)
    assert settings.resolved_cloud is AZURE_CHINA and settings.credential is CredentialMode.DEFAULT


def test_settings_validation():
    with pytest.raises(ValueError, match="needs static_token"):
        ArmSettings(credential=CredentialMode.STATIC)
    with pytest.raises(ValueError, match="needs tenant_id, client_id and client_secret"):
        ArmSettings(credential="client_secret", tenant_id="t")
    with pytest.raises(ValueError, match="timeouts must be positive"):
        ArmSettings(read_timeout=0)
