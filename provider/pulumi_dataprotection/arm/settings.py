"""`ArmSettings`: everything that configures the ARM client (endpoint, cloud, credential, versions, time limits)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from pulumi_dataprotection.arm.auth import Secret
from pulumi_dataprotection.arm.clouds import Cloud, is_loopback_host, resolve_cloud
from pulumi_dataprotection.arm.errors import UnsafeRequestError
from pulumi_dataprotection.arm.lro import PollPolicy
from pulumi_dataprotection.arm.paths import resource_type_candidates
from pulumi_dataprotection.arm.retry import RetryPolicy

DEFAULT_API_VERSION = "2026-06-01"


class CredentialMode(StrEnum):
    """Where tokens come from."""

    DEFAULT = "default"
    """azure-identity DefaultAzureCredential (env service principal, workload/managed identity, Azure CLI, ...)."""
    CLIENT_SECRET = "client_secret"
    """An explicit service principal: tenant_id + client_id + client_secret."""
    STATIC = "static"
    """A fixed bearer token (the local emulator)."""


@dataclass(frozen=True)
class ArmSettings:
    """Immutable, hashable client configuration. Secrets are `Secret` objects, which refuse to be pickled.

    `api_versions` maps a resource type (`Microsoft.DataProtection/backupVaults/backupInstances`) or namespace
    (`Microsoft.Storage`) to an api-version, case-insensitively; the most specific match wins, else
    `default_api_version`.
    """

    cloud: str = "AzurePublic"
    endpoint: str | None = None
    token_scope: str | None = None
    authority_host: str | None = None
    subscription_id: str | None = None
    credential: CredentialMode = CredentialMode.DEFAULT
    tenant_id: str | None = None
    client_id: str | None = None
    client_secret: Secret | None = None
    static_token: Secret | None = None
    default_api_version: str = DEFAULT_API_VERSION
    api_versions: Mapping[str, str] = field(default_factory=dict)
    connect_timeout: float = 10.0
    read_timeout: float = 120.0
    operation_timeout: float = 3600.0
    poll: PollPolicy = field(default_factory=PollPolicy)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    verify_tls: bool = True
    ca_bundle: str | None = None
    user_agent_suffix: str | None = None
    auxiliary_tenant_ids: tuple[str, ...] = ()
    """Tenants (e.g. of a resource guard) whose tokens go in ``x-ms-authorization-auxiliary`` on calls that ask."""
    auxiliary_tokens: tuple[Secret, ...] = ()
    """Fixed tokens sent in ``x-ms-authorization-auxiliary`` on calls that ask (static credentials, the emulator)."""

    def __post_init__(self) -> None:
        versions = {k.strip("/").lower(): v for k, v in dict(self.api_versions).items()}
        object.__setattr__(self, "api_versions", versions)
        object.__setattr__(self, "credential", CredentialMode(self.credential))
        cloud = self.resolved_cloud
        parts = urlsplit(cloud.arm_endpoint)
        if parts.scheme != "https" and not is_loopback_host(parts.hostname):
            raise UnsafeRequestError(
                f"endpoint {cloud.arm_endpoint} uses plain http on a non-loopback host, which would expose the "
                "access token; use https (plain http is only allowed for 127.0.0.1/localhost)",
                operation="configure the ARM client",
            )
        if self.credential is CredentialMode.STATIC and self.static_token is None:
            raise ValueError("credential mode 'static' needs static_token")
        if self.credential is CredentialMode.CLIENT_SECRET and not (
            self.tenant_id and self.client_id and self.client_secret
        ):
            raise ValueError("credential mode 'client_secret' needs tenant_id, client_id and client_secret")
        if min(self.connect_timeout, self.read_timeout, self.operation_timeout) <= 0:
            raise ValueError("timeouts must be positive")

    @classmethod
    def emulator(cls, endpoint: str, *, token: str = "emulator-token", **overrides: Any) -> ArmSettings:
        """Settings for a local emulator at `endpoint` (e.g. http://127.0.0.1:8443) with a static token."""
        return cls(endpoint=endpoint, credential=CredentialMode.STATIC, static_token=Secret(token), **overrides)

    @property
    def resolved_cloud(self) -> Cloud:
        """The cloud (endpoint, token scope, authority) these settings point at."""
        return resolve_cloud(
            self.cloud, endpoint=self.endpoint, token_scope=self.token_scope, authority_host=self.authority_host
        )

    def api_version_for(self, path: str) -> str:
        """The api-version to use for a request path."""
        for candidate in resource_type_candidates(path):
            if candidate in self.api_versions:
                return self.api_versions[candidate]
        return self.default_api_version

    def __hash__(self) -> int:
        values = []
        for f in fields(self):
            value = getattr(self, f.name)
            values.append(tuple(sorted(value.items())) if f.name == "api_versions" else value)
        return hash(tuple(values))
