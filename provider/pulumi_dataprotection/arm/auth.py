"""Access tokens for ARM: a `TokenSource` protocol, azure-identity and static implementations, and a secret holder.

Tokens and secrets never appear in repr/str output and refuse to be pickled, so they cannot leak into logs,
exception messages or Pulumi state.
"""

from __future__ import annotations

import base64
import hmac
import re
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, Protocol

from pulumi_dataprotection.arm.errors import AuthenticationError

if TYPE_CHECKING:
    from azure.core.credentials import AccessToken, TokenCredential

REFRESH_MARGIN_SECONDS = 300.0
USABLE_MARGIN_SECONDS = 30.0
"""A token with less left than this is not sent (it could expire on the way)."""
RETRY_REFRESH_SECONDS = 30.0
"""How soon a credential that handed back an almost-expired (cached) token is asked again."""
_MAX_AUTH_MESSAGE = 2000


def _refuse_pickle(kind: str) -> NoReturn:
    raise TypeError(f"{kind} holds a credential and is never pickled; rebuild it inside the provider process")


class Secret:
    """A string that must not leak: masked in repr/str, compared in constant time, never pickled."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        if not value:
            raise ValueError("a secret must not be empty")
        self._value = value

    def reveal(self) -> str:
        """The secret value; use it only to build a credential or an Authorization header."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and hmac.compare_digest(self._value, other._value)

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __reduce__(self) -> NoReturn:
        _refuse_pickle("Secret")

    def __copy__(self) -> Secret:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Secret:
        return self


class TokenSource(Protocol):
    """Something that hands out bearer tokens for ARM."""

    def token(self, force_refresh: bool = False, *, claims: str | None = None, rejected: str | None = None) -> str:
        """Return a valid token. After a 401: `force_refresh` asks for a new one (not a cached copy), `claims` is
        the claims challenge Azure sent (decoded JSON), `rejected` the token Azure refused (when another thread has
        already replaced it, its replacement is returned without a second refresh)."""
        ...


class StaticTokenSource:
    """A fixed token, for the local emulator (which accepts any well-formed bearer token)."""

    def __init__(self, token: Secret) -> None:
        self._token = token

    def token(self, force_refresh: bool = False, *, claims: str | None = None, rejected: str | None = None) -> str:
        return self._token.reveal()

    def __repr__(self) -> str:
        return "StaticTokenSource(token=***)"

    def __reduce__(self) -> NoReturn:
        _refuse_pickle("StaticTokenSource")


class CredentialTokenSource:
    """Tokens from an azure-identity credential: one token is reused by every thread until `refresh_margin` seconds
    before it expires, and one thread at a time refreshes it (the others keep using the current token while it is
    still valid). A credential that hands back a token already inside the margin (its own cache) is asked again at
    most every RETRY_REFRESH_SECONDS. A forced refresh (after a 401) gets a really new token: with Azure's claims
    challenge passed as `claims` (azure-identity then bypasses its cache), else from a new credential built by
    `factory` (a fresh, empty cache)."""

    def __init__(
        self,
        credential: TokenCredential,
        scope: str,
        *,
        tenant_id: str | None = None,
        refresh_margin: float = REFRESH_MARGIN_SECONDS,
        now: Callable[[], float] = time.time,
        factory: Callable[[], TokenCredential] | None = None,
    ) -> None:
        self._credential = credential
        self._factory = factory
        self._scope = scope
        self._tenant_id = tenant_id
        self._refresh_margin = refresh_margin
        self._now = now
        self._cached: AccessToken | None = None
        self._refresh_at = 0.0
        self._refreshing = False
        self._guard = threading.Lock()
        self._refresh_lock = threading.Lock()

    def token(self, force_refresh: bool = False, *, claims: str | None = None, rejected: str | None = None) -> str:
        forced = force_refresh or claims is not None
        with self._guard:
            cached, now = self._cached, self._now()
            if cached is not None and not forced:
                if now < self._refresh_at:
                    return cached.token
                if self._refreshing and cached.expires_on - now > USABLE_MARGIN_SECONDS:
                    return cached.token
        with self._refresh_lock:
            with self._guard:
                cached, now = self._cached, self._now()
                if cached is not None:
                    if not forced and now < self._refresh_at:
                        return cached.token  # another thread refreshed while this one waited
                    if forced and rejected is not None and cached.token != rejected:
                        return cached.token  # the refused token was already replaced
                self._refreshing = True
            try:
                fresh = self._fetch(forced, claims)
            finally:
                with self._guard:
                    self._refreshing = False
            with self._guard:
                now = self._now()
                self._cached = fresh
                self._refresh_at = max(
                    fresh.expires_on - self._refresh_margin,
                    min(now + RETRY_REFRESH_SECONDS, fresh.expires_on - USABLE_MARGIN_SECONDS),
                )
            return fresh.token

    def _fetch(self, forced: bool, claims: str | None) -> AccessToken:
        from azure.core.exceptions import ClientAuthenticationError

        if forced and claims is None and self._factory is not None:
            old, self._credential = self._credential, self._factory()
            close = getattr(old, "close", None)
            if callable(close):
                close()
        kwargs: dict[str, Any] = {}
        if self._tenant_id:
            kwargs["tenant_id"] = self._tenant_id
        if claims is not None:
            kwargs["claims"] = claims
        try:
            return self._credential.get_token(self._scope, **kwargs)
        except ClientAuthenticationError as exc:
            text = (exc.message or type(exc).__name__).strip()[:_MAX_AUTH_MESSAGE]
            raise AuthenticationError(f"{text} (scope {self._scope})") from None

    def __repr__(self) -> str:
        return f"CredentialTokenSource(credential={type(self._credential).__name__}, scope={self._scope!r})"

    def __reduce__(self) -> NoReturn:
        _refuse_pickle("CredentialTokenSource")


def default_credential(
    authority_host: str, *, tenant_id: str | None = None, client_id: str | None = None
) -> TokenCredential:
    """azure-identity's DefaultAzureCredential (env service principal, workload identity, managed identity, CLI...)."""
    from azure.identity import DefaultAzureCredential

    kwargs: dict[str, Any] = {"authority": authority_host}
    if client_id:
        kwargs["managed_identity_client_id"] = client_id
        kwargs["workload_identity_client_id"] = client_id
    if tenant_id:
        kwargs["workload_identity_tenant_id"] = tenant_id
        kwargs["additionally_allowed_tenants"] = [tenant_id]
    return DefaultAzureCredential(**kwargs)


def claims_challenge(www_authenticate: str | None) -> str | None:
    """The claims of a `WWW-Authenticate: Bearer ..., claims="<base64 JSON>"` challenge (decoded), if any."""
    if not www_authenticate:
        return None
    match = re.search(r'claims="([^"]+)"', www_authenticate)
    if match is None:
        return None
    raw = match.group(1)
    try:
        return base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return raw


def client_secret_credential(authority_host: str, tenant_id: str, client_id: str, secret: Secret) -> TokenCredential:
    """An explicit service principal (tenant + client id + secret)."""
    from azure.identity import ClientSecretCredential

    return ClientSecretCredential(tenant_id, client_id, secret.reveal(), authority=authority_host)
