"""What this provider process has checked of the program's resources, for checks across resources at preview.

Pulumi starts one dynamic-provider process for a program and sends it the check of every dynamic resource, each
after the resources whose outputs it uses: an instance is checked after the policy its ``policy_id`` comes from. So
when a policy of the program is checked, its content is remembered by ARM id, and an instance's check can tell that
the policy protects another kind of datasource before anything exists in Azure. Datasources are remembered with the
instance protecting them, so a second instance of the same datasource fails its check; vaults with their
immutability state, so an instance that destroy would delete from an immutable vault is warned about. Resources
checked with old inputs are this stack's own, and so is what lies inside one whose diff plans a replacement: when
Pulumi checks them again without old inputs to replace them, the copies still in Azure are not mistaken for somebody
else's resources.
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
_immutability: dict[str, str] = {}
_redundancy: dict[str, str] = {}


def remember_vault(arm_id: str, immutability: Any, redundancy: Any = None) -> None:
    """Record the immutability state and storage redundancy of the program's vault ``arm_id`` (from its inputs, else
    its state)."""
    with _lock:
        if isinstance(immutability, str):
            _immutability[arm_id.lower()] = immutability
        if isinstance(redundancy, str):
            _redundancy[arm_id.lower()] = redundancy


def vault_redundancy(arm_id: str) -> str | None:
    """The storage redundancy of the program's vault ``arm_id``, if this process has checked it."""
    with _lock:
        return _redundancy.get(arm_id.lower())


def vault_immutability(arm_id: str) -> str | None:
    """The immutability state of the program's vault ``arm_id``, if this process has checked it."""
    with _lock:
        return _immutability.get(arm_id.lower())


def remember_own(arm_id: str) -> None:
    """Record that the stack already manages ``arm_id`` (its check had old inputs)."""
    with _lock:
        _own.add(arm_id.lower())


def remember_replaced(arm_id: str) -> None:
    """Record that the stack's resource ``arm_id`` is replaced (with everything inside it) in this operation."""
    with _lock:
        _replaced.add(arm_id.lower())


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


def forget() -> None:
    """Forget everything (for tests that run several programs in one process)."""
    with _lock:
        _policies.clear()
        _datasources.clear()
        _own.clear()
        _replaced.clear()
        _immutability.clear()
        _redundancy.clear()
