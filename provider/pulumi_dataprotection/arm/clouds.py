"""Azure clouds: where ARM lives, which token scope it accepts and which authority issues the token."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

PUBLIC_AUTHORITY = "login.microsoftonline.com"


@dataclass(frozen=True)
class Cloud:
    """One Azure cloud (or a custom ARM-compatible endpoint such as the local emulator)."""

    name: str
    arm_endpoint: str
    token_scope: str
    authority_host: str


AZURE_PUBLIC = Cloud(
    "AzurePublic", "https://management.azure.com", "https://management.azure.com/.default", PUBLIC_AUTHORITY
)
AZURE_US_GOVERNMENT = Cloud(
    "AzureUSGovernment",
    "https://management.usgovcloudapi.net",
    "https://management.usgovcloudapi.net/.default",
    "login.microsoftonline.us",
)
AZURE_CHINA = Cloud(
    "AzureChina",
    "https://management.chinacloudapi.cn",
    "https://management.chinacloudapi.cn/.default",
    "login.chinacloudapi.cn",
)

_ALIASES: dict[str, Cloud] = {}
for _cloud, _names in (
    (AZURE_PUBLIC, ("azurepublic", "azurecloud", "public")),
    (AZURE_US_GOVERNMENT, ("azureusgovernment", "azureusgovernmentcloud", "usgovernment")),
    (AZURE_CHINA, ("azurechina", "azurechinacloud", "china")),
):
    for _name in _names:
        _ALIASES[_name] = _cloud


def resolve_cloud(
    name: str = "AzurePublic",
    *,
    endpoint: str | None = None,
    token_scope: str | None = None,
    authority_host: str | None = None,
) -> Cloud:
    """Return the named cloud, or a custom one when `endpoint` is given.

    A custom endpoint keeps the named cloud's authority unless `authority_host` is given, and its token scope
    defaults to `<endpoint>/.default`.
    """
    base = _ALIASES.get(name.replace(" ", "").replace("_", "").replace("-", "").lower())
    if base is None:
        known = ", ".join((AZURE_PUBLIC.name, AZURE_US_GOVERNMENT.name, AZURE_CHINA.name))
        raise ValueError(f"unknown Azure cloud {name!r}; use one of {known} or set a custom endpoint")
    if endpoint is None:
        if token_scope is None and authority_host is None:
            return base
        return Cloud(
            base.name, base.arm_endpoint, token_scope or base.token_scope, authority_host or base.authority_host
        )
    clean = normalize_endpoint(endpoint)
    return Cloud("Custom", clean, token_scope or f"{clean}/.default", authority_host or base.authority_host)


def normalize_endpoint(endpoint: str) -> str:
    """Validate an ARM endpoint (scheme + host [+ port], no path/query) and return it without trailing '/'."""
    parts = urlsplit(endpoint.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"ARM endpoint {endpoint!r} must look like https://host[:port]")
    if parts.path.strip("/") or parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError(f"ARM endpoint {endpoint!r} must not carry a path, query, fragment or credentials")
    return f"{parts.scheme}://{parts.netloc}".lower()


def is_loopback_host(host: str | None) -> bool:
    """True for localhost, 127.0.0.0/8 and ::1: the only hosts a token may reach over plain http."""
    if not host:
        return False
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
