"""Inputs for the resource tests and a driver that calls provider methods the way the Pulumi engine does."""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import ResourceProvider

from pulumi_dataprotection.dynamic import program
from pulumi_dataprotection.dynamic.adoption import OWNER_KEY
from pulumi_dataprotection.policy.builders import aks_policy
from tests.support.emulator import SUBSCRIPTION

RG = "rg-backup"
LOCATION = "westeurope"
SNAPSHOT_RG = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-snapshots"


def aks_id(name: str) -> str:
    """The id of an AKS cluster (the emulator accepts any datasource unless its registry is strict)."""
    group = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-aks"
    return f"{group}/providers/Microsoft.ContainerService/managedClusters/{name}"


def vault_inputs(name: str = "vault-1", **extra: Any) -> dict[str, Any]:
    """Program inputs of a vault (with a system-assigned identity: Azure protects nothing from a vault without one)."""
    base = {"name": name, "resource_group_name": RG, "location": LOCATION, "redundancy": "LRS"}
    return {**base, "identity_type": "SystemAssigned", **extra}


def policy_inputs(vault_id: str, *, prefix: str | None = "aks-policy", **extra: Any) -> dict[str, Any]:
    """Program inputs of a content-addressed AKS policy (fixed name when ``name`` is in ``extra``)."""
    inputs: dict[str, Any] = {"vault_id": vault_id, **aks_policy(), **extra}
    if prefix is not None and "name" not in extra:
        inputs["name_prefix"] = prefix
    return inputs


def instance_inputs(
    vault_id: str, policy_id: str, name: str = "bi-1", cluster: str = "aks-1", **extra: Any
) -> dict[str, Any]:
    """Program inputs of an AKS backup instance."""
    return {
        "name": name,
        "vault_id": vault_id,
        "policy_id": policy_id,
        "datasource_kind": "aks",
        "datasource_id": aks_id(cluster),
        "datasource_location": LOCATION,
        "snapshot_resource_group_id": SNAPSHOT_RG,
        "included_namespaces": ["default"],
        **extra,
    }


def checked(provider: ResourceProvider, news: dict[str, Any], olds: dict[str, Any] | None = None) -> dict[str, Any]:
    """``check`` must pass; returns the checked inputs (what the engine hands to diff/create/update)."""
    marker = {OWNER_KEY: "test-owner"} if getattr(provider, "marks_owner", False) else {}
    result = provider.check(olds or {}, {**news, "__provider": "serialized-provider", **marker})
    assert result.failures == [], [(f.property, f.reason) for f in result.failures]
    return result.inputs


def up(provider: ResourceProvider, news: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """check + create, as ``pulumi up`` does for a new resource in a program of its own: (id, outputs)."""
    program.forget()
    result = provider.create(checked(provider, news))
    program.forget()
    assert result.outs is not None
    return result.id, result.outs


def update(provider: ResourceProvider, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
    """check + diff (must be an in-place change) + update: the new outputs."""
    inputs = checked(provider, news, olds)
    diff = provider.diff(id_, olds, inputs)
    assert diff.changes and not diff.replaces, diff.__dict__
    result = provider.update(id_, olds, inputs)
    assert result.outs is not None
    return result.outs


def refused(provider: ResourceProvider, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> str:
    """A refused change: the preview plans it as an update that replaces nothing, and ``update`` refuses it (before
    any request); returns the refusal message."""
    from pulumi_dataprotection.dynamic import ResourceFailure

    diff = provider.diff(id_, olds, news)
    assert diff.changes and not diff.replaces and not diff.delete_before_replace, diff.__dict__
    try:
        provider.update(id_, olds, news)
    except ResourceFailure as exc:
        assert "Nothing was changed in Azure" in str(exc)
        return str(exc)
    raise AssertionError("update did not refuse the change")
