"""Access tokens for ARM: a `TokenSource` protocol, azure-identity and static implementations, and a secret holder.

Tokens and secrets never appear in repr/str output and refuse to be pickled, so they cannot leak into logs,
exception messages or Pulumi state.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, Protocol

from pulumi_dataprotection.arm.errors import AuthenticationError

if TYPE_CHECKING:
    from azure.core.credentials import AccessToken, TokenCredential

REFRESH_MARGIN_SECONDS = 300.0
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

    def token(self, force_refresh: bool = False) -> str:
        """Return a valid token; with `force_refresh`, bypass any cache (used once after a 401)."""
        ...


class StaticTokenSource:
    """A fixed token, for the local emulator (which accepts any well-formed bearer token)."""

    def __init__(self, token: Secret) -> None:
        self._token = token

    def token(self, force_refresh: bool = False) -> str:
        return self._token.reveal()

    def __repr__(self) -> str:
        return "StaticTokenSource(token=***)"

    def __reduce__(self) -> NoReturn:
        _refuse_pickle("StaticTokenSource")


class CredentialTokenSource:
    """Tokens from an azure-identity credential, cached and refreshed `refresh_margin` seconds before expiry."""

    def __init__(
        self,
        credential: TokenCredential,
        scope: str,
        *,
        tenant_id: str | None = None,
        refresh_margin: float = REFRESH_MARGIN_SECONDS,
        now: Callable[[], float] = time.time,
    ) -> None:
        self._credential = credential
        self._scope = scope
        self._tenant_id = tenant_id
        self._refresh_margin = refresh_margin
        self._now = now
        self._cached: AccessToken | None = None
        self._lock = threading.Lock()

    def token(self, force_refresh: bool = False) -> str:
        with self._lock:
            cached = self._cached
            if force_refresh or cached is None or cached.expires_on - self._now() < self._refresh_margin:
                cached = self._fetch()
                self._cached = cached
            return cached.token

    def _fetch(self) -> AccessToken:
        from azure.core.exceptions import ClientAuthenticationError

        try:
            if self._tenant_id:
                return self._credential.get_token(self._scope, tenant_id=self._tenant_id)
            return self._credential.get_token(self._scope)
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


def client_secret_credential(authority_host: str, tenant_id: str, client_id: str, secret: Secret) -> TokenCredential:
    """An explicit service principal (tenant + client id + secret)."""
    from azure.identity import ClientSecretCredential

    return ClientSecretCredential(tenant_id, client_id, secret.reveal(), authority=authority_host)
