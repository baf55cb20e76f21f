"""What an immutable vault refuses (immutability ``Unlocked`` or ``Locked``): operations that could lose recovery
points before they expire. For a Backup vault: deleting a backup instance (stop protection with delete data) and
moving an instance to a policy that keeps vaulted data for less time. Operational tiers are not immutable, so an
instance whose policy keeps data only in the OperationalStore is not restricted.
"""

from __future__ import annotations

from typing import Any

from pulumi_dataprotection.emulator.errors import ServiceError
from pulumi_dataprotection.emulator.timeutil import duration_seconds

JSON = dict[str, Any]

_IMMUTABLE_STORES = ("VaultStore", "ArchiveStore")
ALL_STORES = ("OperationalStore", "VaultStore", "ArchiveStore")
_DOCS = "https://aka.ms/AB-ImmutableVaults-States"


def immutability(vault: JSON) -> str:
    """The vault's immutability state (``Disabled`` when unset)."""
    state = vault["properties"].get("securitySettings", {}).get("immutabilitySettings", {}).get("state")
    return state if isinstance(state, str) else "Disabled"


def retention_days(policy: JSON | None, stores: tuple[str, ...] = _IMMUTABLE_STORES) -> dict[str, float]:
    """The longest retention, in days, a policy keeps recovery points in each of ``stores``."""
    out: dict[str, float] = {}
    for rule in (policy or {}).get("properties", {}).get("policyRules", []):
        for lifecycle in rule.get("lifecycles", []) if rule.get("objectType") == "AzureRetentionRule" else []:
            store = lifecycle["sourceDataStore"]["dataStoreType"]
            if store in stores:
                out[store] = max(out.get(store, 0.0), duration_seconds(lifecycle["deleteAfter"]["duration"]) / 86400)
    return out


def reduces_retention(
    old_policy: JSON | None, new_policy: JSON | None, stores: tuple[str, ...] = _IMMUTABLE_STORES
) -> bool:
    """Whether moving from ``old_policy`` to ``new_policy`` keeps some datastore's data (of ``stores``) for less
    time."""
    after = retention_days(new_policy, stores)
    return any(after.get(store, 0.0) < days for store, days in retention_days(old_policy, stores).items())


def _refused(vault: JSON, what: str, action: str) -> ServiceError:
    return ServiceError(
        400,
        "UserErrorOperationNotAllowedOnImmutableVault",
        f"The operation to {what} is not allowed because the backup vault {vault['id']} is immutable "
        f"(immutability {immutability(vault)}).",
        recommended=[f"{action} Refer to the documentation to learn more: {_DOCS}"],
    )


def check_delete(vault: JSON, instance: JSON, policy: JSON | None) -> None:
    """Refuse deleting an instance with immutable recovery points from an immutable vault."""
    if immutability(vault) != "Disabled" and retention_days(policy):
        raise _refused(
            vault,
            f"delete the backup instance {instance['name']} and its recovery points",
            "Stop protection and retain data instead; recovery points expire with their retention.",
        )


def check_policy_change(vault: JSON, instance: JSON, old_policy: JSON | None, new_policy: JSON | None) -> None:
    """Refuse moving an instance of an immutable vault to a policy with shorter vaulted retention."""
    if immutability(vault) != "Disabled" and reduces_retention(old_policy, new_policy):
        raise _refused(
            vault,
            f"change the backup policy of the backup instance {instance['name']} to one with a shorter retention",
            "Use a policy that retains recovery points at least as long as the current one.",
        )
