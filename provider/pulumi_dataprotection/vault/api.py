"""Typed inputs and outputs of BackupVault, generated from its schema by tools/gen_api.py (do not edit:
run ``python tools/gen_api.py --write``)."""

from __future__ import annotations

from typing import Literal, TypeAlias

DatastoreType = Literal["VaultStore", "OperationalStore", "ArchiveStore"]
"""Datastore the storage setting applies to."""


Redundancy = Literal["LocallyRedundant", "ZoneRedundant", "GeoRedundant"]
"""Storage redundancy; Azure allows no change once items are protected, so a change replaces the vault."""


IdentityType = Literal["None", "SystemAssigned", "UserAssigned", "SystemAssigned,UserAssigned"]
"""Managed identity of the vault (its principal id is needed for role assignments)."""


SoftDeleteState = Literal["Off", "On", "AlwaysOn"]
"""Soft delete: Off, On or AlwaysOn (AlwaysOn is irreversible)."""


ImmutabilityState = Literal["Disabled", "Unlocked", "Locked"]
"""Immutability: Disabled, Unlocked or Locked (Locked is irreversible)."""


CrossRegionRestoreState = Literal["Disabled", "Enabled"]
"""Cross-region restore (needs GeoRedundant storage; cannot be disabled once enabled)."""


CrossSubscriptionRestoreState = Literal["Disabled", "PermanentlyDisabled", "Enabled"]
"""Cross-subscription restore (PermanentlyDisabled is irreversible)."""


AlertsForAllJobFailures = Literal["Enabled", "Disabled"]
"""Azure Monitor alerts for every failed job."""


CostManagementGranularity = Literal["VaultLevel", "ProtectedItemLevel", "ProtectedItemWithParentTag"]
"""Granularity of the vault's costs in Cost Management: VaultLevel, ProtectedItemLevel or ProtectedItemWithParentTag
(api-version 2026-06-01 and later).
"""


EncryptionState = Literal["Enabled", "Disabled"]
"""Customer-managed-key encryption (Enabled when a key is given; cannot be disabled once enabled)."""


EncryptionIdentityType = Literal["SystemAssigned", "UserAssigned"]
"""Identity the vault uses to reach the key."""


InfrastructureEncryption = Literal["Enabled", "Disabled"]
"""Double encryption; only settable when the vault is created."""


OnDelete = Literal["Delete", "Retain"]
"""What destroying the resource does: Delete (delete the vault in Azure) or Retain (leave it untouched and only forget
it).
"""


RedundancyInput: TypeAlias = Redundancy | Literal["LRS", "ZRS", "GRS"]
"""Redundancy or another spelling Azure accepts."""


IdentityTypeInput: TypeAlias = IdentityType | Literal["SystemAssigned, UserAssigned"]
"""IdentityType or another spelling Azure accepts."""


SoftDeleteStateInput: TypeAlias = SoftDeleteState | Literal["Enabled", "Disabled"] | bool
"""SoftDeleteState or another spelling Azure accepts."""


CrossRegionRestoreStateInput: TypeAlias = CrossRegionRestoreState | bool
"""CrossRegionRestoreState or another spelling Azure accepts."""


CrossSubscriptionRestoreStateInput: TypeAlias = CrossSubscriptionRestoreState | bool
"""CrossSubscriptionRestoreState or another spelling Azure accepts."""


AlertsForAllJobFailuresInput: TypeAlias = AlertsForAllJobFailures | bool
"""AlertsForAllJobFailures or another spelling Azure accepts."""


EncryptionStateInput: TypeAlias = EncryptionState | bool
"""EncryptionState or another spelling Azure accepts."""


InfrastructureEncryptionInput: TypeAlias = InfrastructureEncryption | bool
"""InfrastructureEncryption or another spelling Azure accepts."""
