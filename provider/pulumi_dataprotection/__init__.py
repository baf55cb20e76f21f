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
    from pulumi_dataprotection.adhoc.resource import AdhocBackup
    from pulumi_dataprotection.guard.resource import ResourceGuard
    from pulumi_dataprotection.guardlink.resource import VaultGuardLink
    from pulumi_dataprotection.instance.resource import BackupInstance
    from pulumi_dataprotection.permissions.component import BackupPermissions
    from pulumi_dataprotection.policy.resource import BackupPolicy
    from pulumi_dataprotection.roleassignment.resource import RoleAssignment
    from pulumi_dataprotection.trustedaccess.resource import TrustedAccessBinding
    from pulumi_dataprotection.vault.resource import BackupVault

_RESOURCES = {
    "BackupVault": "pulumi_dataprotection.vault.resource",
    "BackupPolicy": "pulumi_dataprotection.policy.resource",
    "BackupInstance": "pulumi_dataprotection.instance.resource",
    "AdhocBackup": "pulumi_dataprotection.adhoc.resource",
    "ResourceGuard": "pulumi_dataprotection.guard.resource",
    "VaultGuardLink": "pulumi_dataprotection.guardlink.resource",
    "RoleAssignment": "pulumi_dataprotection.roleassignment.resource",
    "TrustedAccessBinding": "pulumi_dataprotection.trustedaccess.resource",
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
