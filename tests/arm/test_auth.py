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


class CachingCredential:
    """Like azure-identity: hands back its cached token until that expires (so a token with <300 s left comes
    back again), unless asked with claims; counts calls; optionally slow."""

    def __init__(self, name: str, expires_on: float, delay: float = 0.0) -> None:
        self.name = name
        self.expires_on = expires_on
        self.delay = delay
        self.calls: list[dict[str, object]] = []
        self.closed = False

    def get_token(self, *scopes: str, **kwargs: object) -> AccessToken:
        import time

        self.calls.append(kwargs)
        time.sleep(self.delay)
        suffix = "-claims" if kwargs.get("claims") else ""
        return AccessToken(f"{self.name}{suffix}", int(self.expires_on))

    def close(self) -> None:
        self.closed = True


def test_a_token_near_expiry_is_not_fetched_on_every_call():
    """Issue 19: a token with <300 s left was fetched on every call."""
    now = [1_000.0]
    credential = CachingCredential("cached", expires_on=1_200.0)
    source = CredentialTokenSource(credential, "scope", now=lambda: now[0])
    for _ in range(100):
        assert source.token() == "cached"
        now[0] += 0.1
    assert len(credential.calls) == 1, "fetched once, then asked again only after RETRY_REFRESH_SECONDS"
    now[0] += 25
    source.token()
    assert len(credential.calls) == 2


def test_one_refresh_at_a_time_across_threads():
    from concurrent.futures import ThreadPoolExecutor

    credential = CachingCredential("t", expires_on=10_000_000_000, delay=0.2)
    source = CredentialTokenSource(credential, "scope")
    with ThreadPoolExecutor(max_workers=4) as pool:
        tokens = list(pool.map(lambda _: source.token(), range(8)))
    assert tokens == ["t"] * 8 and len(credential.calls) == 1


def test_a_forced_refresh_gets_a_new_token_not_the_cached_copy():
    """Issue 19: after a 401 the refresh got azure-identity's cached token back."""
    built = [CachingCredential("first", 10_000_000_000), CachingCredential("second", 10_000_000_000)]
    source = CredentialTokenSource(built[0], "scope", factory=lambda: built[1])
    assert source.token() == "first"
    assert source.token(force_refresh=True, rejected="first") == "second" and built[0].closed
    assert source.token(force_refresh=True, rejected="first") == "second", "already replaced: no second refresh"
    assert len(built[1].calls) == 1


def test_a_claims_challenge_is_passed_to_the_credential():
    credential = CachingCredential("t", 10_000_000_000)
    source = CredentialTokenSource(credential, "scope", tenant_id="tenant-1")
    claims = '{"access_token":{"nbf":{"essential":true,"value":"1726258122"}}}'
    assert source.token(force_refresh=True, claims=claims) == "t-claims"
    assert credential.calls == [{"tenant_id": "tenant-1", "claims": claims}]


def test_a_401_with_a_claims_challenge_retries_with_a_token_for_those_claims(server, make_client):
    import base64

    from tests.arm.server import Reply

    claims = '{"access_token":{"acrs":{"essential":true,"value":"c1"}}}'
    encoded = base64.b64encode(claims.encode()).decode().rstrip("=")
    challenge = (
        'Bearer authorization_uri="https://login.microsoftonline.com/common", error="insufficient_claims", '
        f'claims="{encoded}"'
    )
    credential = CachingCredential("t", 10_000_000_000)

    def handler(seen):  # type: ignore[no-untyped-def]
        if seen.headers["authorization"] == "Bearer t-claims":
            return Reply(200, {"name": "vault1"})
        return Reply(
            401, {"error": {"code": "InvalidAuthenticationToken", "message": "claims"}}, {"WWW-Authenticate": challenge}
        )

    server.handler = handler
    client = make_client()
    client._token_source = CredentialTokenSource(credential, "scope")
    assert client.get("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg") == {"name": "vault1"}
    assert credential.calls == [{}, {"claims": claims}] and len(server.seen) == 2
