"""The ARM HTTP client layer: auth, retries, long-running operations, per-vault serialization, readable errors.

Typical use inside a provider method::

    client = get_client(settings)
    vault = vault_id(subscription, resource_group, "my-vault")
    result = client.execute("PUT", vault.child("backupInstances", "bi-1").path, body,
                            operation="create backup instance", resource=str(vault))

The HTTP client (and with it ``requests``) is imported on first use of ``ArmClient`` or ``get_client``, so a
``pulumi preview``, whose checks and diffs send nothing, does not pay for it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pulumi_dataprotection.arm.auth import CredentialTokenSource, Secret, StaticTokenSource, TokenSource
from pulumi_dataprotection.arm.clouds import AZURE_CHINA, AZURE_PUBLIC, AZURE_US_GOVERNMENT, Cloud, resolve_cloud
from pulumi_dataprotection.arm.deadline import Deadline
from pulumi_dataprotection.arm.errors import (
    AmbiguousActionError,
    ArmError,
    AuthenticationError,
    DeadlineExceededError,
    EndpointUnreachableError,
    InvalidNameError,
    NotFoundError,
    OperationFailedError,
    OperationTimeoutError,
    RetriesExhaustedError,
    UnsafeRequestError,
    VaultBusyError,
)
from pulumi_dataprotection.arm.locks import VaultLocks
from pulumi_dataprotection.arm.lro import OperationResult, PollPolicy
from pulumi_dataprotection.arm.paths import ResourceId, check_name, vault_id
from pulumi_dataprotection.arm.retry import RetryPolicy
from pulumi_dataprotection.arm.settings import DEFAULT_API_VERSION, ArmSettings, CredentialMode

if TYPE_CHECKING:
    from pulumi_dataprotection.arm.client import ArmClient, get_client

__all__ = [
    "AZURE_CHINA",
    "AZURE_PUBLIC",
    "AZURE_US_GOVERNMENT",
    "DEFAULT_API_VERSION",
    "AmbiguousActionError",
    "ArmClient",
    "ArmError",
    "ArmSettings",
    "AuthenticationError",
    "Cloud",
    "CredentialMode",
    "CredentialTokenSource",
    "Deadline",
    "DeadlineExceededError",
    "EndpointUnreachableError",
    "InvalidNameError",
    "NotFoundError",
    "OperationFailedError",
    "OperationResult",
    "OperationTimeoutError",
    "PollPolicy",
    "ResourceId",
    "RetriesExhaustedError",
    "RetryPolicy",
    "Secret",
    "StaticTokenSource",
    "TokenSource",
    "UnsafeRequestError",
    "VaultBusyError",
    "VaultLocks",
    "check_name",
    "get_client",
    "resolve_cloud",
    "vault_id",
]


def __getattr__(name: str) -> Any:
    if name in ("ArmClient", "get_client"):
        return getattr(importlib.import_module("pulumi_dataprotection.arm.client"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
