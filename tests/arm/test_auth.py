"""Token sources: caching and refresh before expiry, forced refresh, readable auth failures, credential selection."""

from __future__ import annotations

import pytest
from azure.core.credentials import AccessToken
from azure.core.exceptions import ClientAuthenticationError

from pulumi_dataprotection.arm import ArmSettings, AuthenticationError, CredentialMode, CredentialTokenSource, Secret
from pulumi_dataprotection.arm.client import build_token_source


class FakeCredential:
    def __init__(self, lifetime: float, now: list[float]) -> None:
        self.lifetime = lifetime
        self.now = now
        self.calls: list[tuple[tuple[str, ...], dict[str, object]]] = []

    def get_token(self, *scopes: str, **kwargs: object) -> AccessToken:
        self.calls.append((scopes, kwargs))
        return AccessToken(f"token-{len(self.calls)}", int(self.now[0] + self.lifetime))


def test_tokens_are_cached_and_refreshed_before_expiry():
    now = [1_000.0]
    credential = FakeCredential(lifetime=3600, now=now)
    source = CredentialTokenSource(credential, "https://management.azure.com/.default", now=lambda: now[0])
    assert source.token() == source.token() == "token-1"
    now[0] += 3600 - 301
    assert source.token() == "token-1"
    now[0] += 2
    assert source.token() == "token-2", "refreshed within the 5-minute margin"
    assert source.token(force_refresh=True) == "token-3"
    assert credential.calls[0] == (("https://management.azure.com/.default",), {})


def test_explicit_tenant_is_passed_to_the_credential():
    now = [0.0]
    credential = FakeCredential(lifetime=3600, now=now)
    CredentialTokenSource(credential, "scope", tenant_id="tenant-1", now=lambda: now[0]).token()
    assert credential.calls == [(("scope",), {"tenant_id": "tenant-1"})]


def test_credential_failures_become_authentication_errors():
    class Failing:
        def get_token(self, *scopes: str, **kwargs: object) -> AccessToken:
            raise ClientAuthenticationError("DefaultAzureCredential failed to retrieve a token")

    with pytest.raises(AuthenticationError) as info:
        CredentialTokenSource(Failing(), "https://management.azure.com/.default").token()
    text = str(info.value)
    assert text.startswith("could not get an Azure access token: DefaultAzureCredential failed")
    assert "az login" in text and info.value.kind == "authentication"


def test_settings_choose_the_credential():
    static = build_token_source(ArmSettings.emulator("http://127.0.0.1:1", token="abc"))
    assert static.token() == "abc"
    explicit = build_token_source(
        ArmSettings(
            credential=CredentialMode.CLIENT_SECRET,
            tenant_id="t",
            client_id="c",
            client_secret=Secret("s"),
            cloud="AzureUSGovernment",
        )
    )
    assert "ClientSecretCredential" in repr(explicit) and "usgovcloudapi" in repr(explicit)
    default = build_token_source(ArmSettings(client_id="mi-client"))
    assert "DefaultAzureCredential" in repr(default) and "management.azure.com/.default" in repr(default)
