"""Pulumi dynamic resources for Azure Data Protection, with a local emulator of the service.

``from pulumi_dataprotection import BackupVault, BackupPolicy, BackupInstance, AdhocBackup, ResourceGuard,
VaultGuardLink, RoleAssignment, TrustedAccessBinding, BackupPermissions``; the resources (and the Pulumi SDK) are
imported on first use, so the emulator and the ARM client do not pay for them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from pulumi_dataprotection.adhoc.api import AdhocBackup
    from pulumi_dataprotection.guard.api import ResourceGuard
    from pulumi_dataprotection.guardlink.api import VaultGuardLink
    from pulumi_dataprotection.instance.api import BackupInstance
    from pulumi_dataprotection.permissions.component import BackupPermissions
    from pulumi_dataprotection.policy.api import BackupPolicy
    from pulumi_dataprotection.roleassignment.api import RoleAssignment
    from pulumi_dataprotection.trustedaccess.api import TrustedAccessBinding
    from pulumi_dataprotection.vault.api import BackupVault

_RESOURCES = {
    "BackupVault": "pulumi_dataprotection.vault.api",
    "BackupPolicy": "pulumi_dataprotection.policy.api",
    "BackupInstance": "pulumi_dataprotection.instance.api",
    "AdhocBackup": "pulumi_dataprotection.adhoc.api",
    "ResourceGuard": "pulumi_dataprotection.guard.api",
    "VaultGuardLink": "pulumi_dataprotection.guardlink.api",
    "RoleAssignment": "pulumi_dataprotection.roleassignment.api",
    "TrustedAccessBinding": "pulumi_dataprotection.trustedaccess.api",
    "BackupPermissions": "pulumi_dataprotection.permissions.component",
}

__all__ = [
    "AdhocBackup",
    "BackupInstance",
    "BackupPermissions",
    "BackupPolicy",
    "BackupVault",
    "ResourceGuard",
    "RoleAssignment",
    "TrustedAccessBinding",
    "VaultGuardLink",
    "__version__",
]


def __getattr__(name: str) -> Any:
    module = _RESOURCES.get(name)
    if module is None:
        raise AttributeError(f"module 'pulumi_dataprotection' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
