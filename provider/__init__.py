"""Pulumi dynamic resources for Azure Data Protection, with a local emulator of the service.

``from provider import BackupVault, BackupPolicy, BackupInstance, AdhocBackup``; the resources (and the Pulumi SDK)
are imported on first use, so the emulator and the ARM client do not pay for them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from provider.adhoc.resource import AdhocBackup
    from provider.instance.resource import BackupInstance
    from provider.policy.resource import BackupPolicy
    from provider.vault.resource import BackupVault

_RESOURCES = {
    "BackupVault": "provider.vault.resource",
    "BackupPolicy": "provider.policy.resource",
    "BackupInstance": "provider.instance.resource",
    "AdhocBackup": "provider.adhoc.resource",
}

__all__ = ["AdhocBackup", "BackupInstance", "BackupPolicy", "BackupVault", "__version__"]


def __getattr__(name: str) -> Any:
    module = _RESOURCES.get(name)
    if module is None:
        raise AttributeError(f"module 'provider' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
