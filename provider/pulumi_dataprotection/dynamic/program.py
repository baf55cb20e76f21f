"""What this provider process has checked of the program's resources, for checks across resources at preview.

Pulumi starts one dynamic-provider process for a program and sends it the check of every dynamic resource, each
after the resources whose outputs it uses: an instance is checked after the policy its ``policy_id`` comes from. So
when a policy of the program is checked, its content is remembered by ARM id, and an instance's check can tell that
the policy protects another kind of datasource before anything exists in Azure. Datasources are remembered with the
instance protecting them, so a second instance of the same datasource fails its check; vaults with their
immutability state, so an instance that destroy would delete from an immutable vault is warned about, and with their
location and identity, so an instance of a datasource in another region, or in a vault without the managed identity
it needs, fails its check; the scopes of the program's role assignments, so a validation in preview that reports
missing permissions on a datasource the program grants roles on is a warning, not a failure. Resources
checked with old inputs are this stack's own, and so is what lies inside one whose diff plans a replacement: when
Pulumi checks them again without old inputs to replace them, the copies still in Azure are not mistaken for somebody
else's resources. A vault whose replacement the program allows (``allow_replace_with_data``) is remembered too: Pulumi
asks the backup instances inside it whether they must be replaced with their inputs of the state (before the program
has sent their new inputs), and the vault's opt-in answers for them then; the instance's own opt-in is checked when
the program sends it. Warnings already given are remembered, so a preview says each once.
Only known values are remembered; nothing here is pickled into state (the provider objects stay stateless).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

_lock = threading.Lock()
_policies: dict[str, dict[str, Any]] = {}
_datasources: dict[tuple[str, str], str] = {}
_own: set[str] = set()
_replaced: set[str] = set()
_grants: set[str] = set()
_vaults: dict[str, dict[str, Any]] = {}
_allowed: set[str] = set()
_warned: set[str] = set()


def remember_vault(arm_id: str, values: Mapping[str, Any]) -> None:
    """Record what the checks of other resources read of the program's vault ``arm_id`` (known values only: its
    location, identity, immutability state and redundancy)."""
    with _lock:
        _vaults[arm_id.lower()] = dict(values)


def vault_values(arm_id: str) -> dict[str, Any] | None:
    """The values recorded for the program's vault ``arm_id``, if this process has checked it."""
    with _lock:
        found = _vaults.get(arm_id.lower())
    return dict(found) if found is not None else None


def remember_own(arm_id: str) -> None:
    """Record that the stack already manages ``arm_id`` (its check had old inputs)."""
    with _lock:
        _own.add(arm_id.lower())


def remember_replaced(arm_id: str) -> None:
    """Record that the stack's resource ``arm_id`` is replaced (with everything inside it) in this operation."""
    with _lock:
        _replaced.add(arm_id.lower())


def remember_allowed(arm_id: str) -> None:
    """Record that the program allows the replacement of its resource ``arm_id`` with the data inside it."""
    with _lock:
        _allowed.add(arm_id.lower())


def replacement_allowed(arm_id: str) -> bool:
    """True when this operation replaces ``arm_id`` and the program allowed that with its data."""
    with _lock:
        return arm_id.rstrip("/").lower() in _allowed


def is_replaced(arm_id: str) -> bool:
    """True when this operation replaces the stack's resource ``arm_id``."""
    with _lock:
        return arm_id.rstrip("/").lower() in _replaced


def is_checked(arm_id: str) -> bool:
    """True when the program has sent its inputs for the stack's resource ``arm_id`` (checked with old inputs)."""
    with _lock:
        return arm_id.lower() in _own


def first_warning(message: str) -> bool:
    """True the first time ``message`` is given as a warning in this process."""
    with _lock:
        if message in _warned:
            return False
        _warned.add(message)
        return True


def is_own(arm_id: str) -> bool:
    """True when ``arm_id`` is a resource the stack manages (checked with old inputs) or lies inside one that this
    operation replaces."""
    key = arm_id.lower()
    with _lock:
        return key in _own or key in _replaced or any(key.startswith(f"{r}/") for r in _replaced)


def remember_policy(arm_id: str, values: Mapping[str, Any]) -> None:
    """Record the checked inputs of the policy ``arm_id``."""
    with _lock:
        _policies[arm_id.lower()] = dict(values)


def policy(arm_id: str) -> dict[str, Any] | None:
    """The checked inputs of the program's policy ``arm_id``, if this process has checked it."""
    with _lock:
        found = _policies.get(arm_id.lower())
    return dict(found) if found is not None else None


def claim_datasource(datasource_id: str, database: str, instance_id: str) -> str | None:
    """Record that backup instance ``instance_id`` protects the datasource; returns the ARM id of another instance
    of the program that already protects it (the datasource is then not claimed again), else None."""
    key = (datasource_id.rstrip("/").lower(), database.lower())
    with _lock:
        holder = _datasources.setdefault(key, instance_id)
    return holder if holder.lower() != instance_id.lower() else None


def remember_grant(scope: str) -> None:
    """Record that the program assigns a role on ``scope``."""
    with _lock:
        _grants.add(scope.rstrip("/").lower())


def grants_on(resource_id: str) -> bool:
    """True when the program assigns a role on ``resource_id`` or on a scope containing it."""
    key = resource_id.rstrip("/").lower()
    with _lock:
        return any(key == g or key.startswith(f"{g}/") for g in _grants)


def forget() -> None:
    """Forget everything (for tests that run several programs in one process)."""
    with _lock:
        _policies.clear()
        _datasources.clear()
        _own.clear()
        _replaced.clear()
        _grants.clear()
        _vaults.clear()
        _allowed.clear()
        _warned.clear()
