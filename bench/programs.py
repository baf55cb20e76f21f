"""The Pulumi programs the benchmarks run: the real stack (V vaults, 2 AKS policies per vault, N AKS instances
spread round-robin over the vaults) and a no-op twin of the same resource count, names, dependencies and input
shape whose dynamic provider does nothing (the engine's own floor).

Both programs read ``bench:vaults`` and ``bench:instances`` from the stack config.
"""

from __future__ import annotations

import json

from pulumi_dataprotection.policy.builders import PolicyInputs, Retention, Schedule, aks_policy

SUBSCRIPTION = "33333333-3333-3333-3333-333333333333"
RESOURCE_GROUP = "rg-bench"
LOCATION = "westeurope"
POLICIES_PER_VAULT = 2

NOOP_MODULE = "noop_provider.py"


def policy_inputs() -> list[PolicyInputs]:
    """The two AKS policies every vault gets (4-hourly kept 7 days, 8-hourly kept 14 days)."""
    return [
        aks_policy(Schedule.hourly(4), Retention("P7D")),
        aks_policy(Schedule.hourly(8), Retention("P14D")),
    ]


def cluster_id(index: int) -> str:
    """The AKS cluster protected by instance ``index``."""
    return (
        f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/"
        f"managedClusters/aks-{index}"
    )


def resource_count(vaults: int, instances: int) -> int:
    """How many resources (stack resource excluded) either program declares."""
    return vaults * (1 + POLICIES_PER_VAULT) + instances


_HEADER = '''\
"""Benchmark stack: V vaults, 2 AKS policies per vault, N AKS backup instances round-robin (bench/programs.py)."""
import json

import pulumi

config = pulumi.Config("bench")
VAULTS = config.require_int("vaults")
INSTANCES = config.require_int("instances")
SUBSCRIPTION = %(subscription)r
LOCATION = %(location)r
POLICIES = json.loads(%(policies)r)


def cluster_id(index):
    return (
        f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-aks/providers/Microsoft.ContainerService/"
        f"managedClusters/aks-{index}"
    )

'''

REAL_PROGRAM = (
    _HEADER
    + """
from pulumi_dataprotection import BackupInstance, BackupPolicy, BackupVault

vaults = [
    BackupVault(
        f"vault-{v}",
        name=f"bv-bench-{v}",
        resource_group_name=%(group)r,
        location=LOCATION,
        redundancy="LocallyRedundant",
        soft_delete_state="AlwaysOn",
        soft_delete_retention_days=14,
    )
    for v in range(VAULTS)
]
policies = [
    [BackupPolicy(f"aks-{p}-{v}", vault_id=vault.arm_id, **POLICIES[p]) for p in range(len(POLICIES))]
    for v, vault in enumerate(vaults)
]
for i in range(INSTANCES):
    v = i %% VAULTS
    BackupInstance(
        f"aks-{i}",
        vault_id=vaults[v].arm_id,
        policy_id=policies[v][(i // VAULTS) %% len(POLICIES)].arm_id,
        datasource_kind="aks",
        datasource_id=cluster_id(i),
        datasource_location=LOCATION,
        snapshot_resource_group_id=f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-aks-snapshots",
    )
"""
)

NOOP_PROGRAM = (
    _HEADER
    + """
from noop_provider import Noop

vaults = [
    Noop(
        f"vault-{v}",
        {
            "name": f"bv-bench-{v}",
            "resource_group_name": %(group)r,
            "location": LOCATION,
            "redundancy": "LocallyRedundant",
            "soft_delete_state": "AlwaysOn",
            "soft_delete_retention_days": 14,
        },
    )
    for v in range(VAULTS)
]
policies = [
    [Noop(f"aks-{p}-{v}", {"vault_id": vault.arm_id, **POLICIES[p]}) for p in range(len(POLICIES))]
    for v, vault in enumerate(vaults)
]
for i in range(INSTANCES):
    v = i %% VAULTS
    Noop(
        f"aks-{i}",
        {
            "vault_id": vaults[v].arm_id,
            "policy_id": policies[v][(i // VAULTS) %% len(POLICIES)].arm_id,
            "datasource_kind": "aks",
            "datasource_id": cluster_id(i),
            "datasource_location": LOCATION,
            "snapshot_resource_group_id": f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-aks-snapshots",
        },
    )
"""
)

NOOP_PROVIDER = '''\
"""A dynamic provider whose methods do nothing: the engine's floor for a stack of the same shape."""
import hashlib
import json

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, Resource, ResourceProvider


def _clean(props):
    return {k: v for k, v in props.items() if not k.startswith("__") and k != "arm_id"}


class NoopProvider(ResourceProvider):
    def check(self, olds, news):
        return CheckResult(news, [])

    def diff(self, _id, olds, news):
        return DiffResult(changes=_clean(olds) != _clean(news))

    def create(self, props):
        key = hashlib.sha256(json.dumps(_clean(props), sort_keys=True).encode()).hexdigest()[:16]
        return CreateResult(f"noop-{key}", {**props, "arm_id": f"/noop/{key}"})

    def delete(self, _id, props):
        return None


class Noop(Resource):
    arm_id: pulumi.Output[str]

    def __init__(self, name, props, opts=None):
        super().__init__(NoopProvider(), name, {**props, "arm_id": None}, opts)
'''


def _render(template: str) -> str:
    return template % {
        "subscription": SUBSCRIPTION,
        "location": LOCATION,
        "policies": json.dumps(policy_inputs()),
        "group": RESOURCE_GROUP,
    }


def real_program() -> str:
    """``__main__.py`` of the real stack."""
    return _render(REAL_PROGRAM)


def noop_program() -> str:
    """``__main__.py`` of the no-op twin (needs ``NOOP_PROVIDER`` written as ``noop_provider.py`` beside it)."""
    return _render(NOOP_PROGRAM)
