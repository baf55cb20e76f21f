"""The Pulumi programs the benchmarks run: the real stack (V vaults, 2 AKS policies per vault, N AKS instances
spread round-robin over the vaults) and a no-op twin of the same resource count, names, dependencies and input
shape whose dynamic provider does nothing (the engine's own floor).

Both programs read ``bench:vaults`` and ``bench:instances`` from the stack config.
"""

from __future__ import annotations

import json
from typing import Any

from pulumi_dataprotection.policy.builders import PolicyInputs, Retention, Schedule, aks_policy

SUBSCRIPTION = "33333333-3333-3333-3333-333333333333"
RESOURCE_GROUP = "rg-bench"
LOCATION = "westeurope"
POLICIES_PER_VAULT = 2

NOOP_MODULE = "noop_provider.py"
SHAPE_FILE = "shape.json"
"""Beside the shape twin's program: per resource name, its property names (``keys``), the inputs and the outputs
our provider stored for it (``inputs``, ``outputs``; ``__provider`` left out)."""


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
from typing import Any

import pulumi

config = pulumi.Config("bench")
VAULTS = config.require_int("vaults")
INSTANCES = config.require_int("instances")
CHANGED = config.get_int("changed")
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
        policy_id=policies[v][(i // VAULTS + (i == CHANGED)) %% len(POLICIES)].arm_id,
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
from typing import Any

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


SHAPE_PROGRAM = '''\
"""Shape twin of the benchmark stack: a no-op provider, resources with the real ones' properties."""
import json
from typing import Any

import pulumi
from noop_provider import Noop

config = pulumi.Config("bench")
VAULTS = config.require_int("vaults")
INSTANCES = config.require_int("instances")
with open("shape.json", encoding="utf-8") as source:
    SHAPE = json.load(source)


def bag(name, **outputs):
    """Every property name the real resource declares (None where unset), its stored inputs, its dependencies."""
    shape = SHAPE[name]
    return {**dict.fromkeys(shape["keys"]), **shape["inputs"], **outputs}


vaults = [Noop(f"vault-{v}", bag(f"vault-{v}")) for v in range(VAULTS)]
policies = [
    [Noop(f"aks-{p}-{v}", bag(f"aks-{p}-{v}", vault_id=vault.arm_id)) for p in range(2)]
    for v, vault in enumerate(vaults)
]
for i in range(INSTANCES):
    v = i % VAULTS
    Noop(f"aks-{i}", bag(f"aks-{i}", vault_id=vaults[v].arm_id, policy_id=policies[v][(i // VAULTS) % 2].arm_id))
'''

SHAPE_PROVIDER = '''\
"""A dynamic provider whose methods do nothing but return the outputs the real provider stored (found in shape.json
beside this module by the stored ``arm_id`` input), so the state holds the real inputs and outputs."""
import json
from typing import Any
import os

import pulumi
from pulumi.dynamic import CheckResult, CreateResult, DiffResult, Resource, ResourceProvider


def _outputs():
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "shape.json"), encoding="utf-8") as source:
        return {r["outputs"]["arm_id"]: r["outputs"] for r in json.load(source).values()}


def _clean(props):
    return {k: v for k, v in props.items() if not k.startswith("__")}


class NoopProvider(ResourceProvider):
    def check(self, olds, news):
        return CheckResult({k: v for k, v in news.items() if v is not None}, [])

    def diff(self, _id, olds, news):
        return DiffResult(changes=_clean(olds) != _clean(news))

    def create(self, props):
        return CreateResult("noop-" + props["arm_id"].rsplit("/", 1)[-1], _outputs()[props["arm_id"]])

    def delete(self, _id, props):
        return None


class Noop(Resource):
    arm_id: pulumi.Output[str]

    def __init__(self, name, props, opts=None):
        super().__init__(NoopProvider(), name, props, opts)
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


def shape_program() -> str:
    """``__main__.py`` of the shape twin (needs ``SHAPE_PROVIDER`` as ``noop_provider.py`` and ``SHAPE_FILE``)."""
    return SHAPE_PROGRAM


def shape(exported: dict[str, Any]) -> dict[str, Any]:
    """What the shape twin needs (``SHAPE_FILE``) from ``pulumi stack export`` of the real stack: per resource name,
    the property names our resource class declares, and the inputs and outputs stored for it."""
    from pulumi_dataprotection.dynamic.resource import resource_props
    from pulumi_dataprotection.instance.resource import InstanceProvider
    from pulumi_dataprotection.policy.resource import PolicyProvider
    from pulumi_dataprotection.vault.resource import VaultProvider

    providers = {"BackupVault": VaultProvider, "BackupPolicy": PolicyProvider, "BackupInstance": InstanceProvider}
    out: dict[str, Any] = {}
    for resource in exported["deployment"]["resources"]:
        kind = resource["type"].rsplit(":", 1)[-1]
        if kind not in providers:
            continue
        name = resource["urn"].rsplit("::", 1)[-1]
        out[name] = {
            "keys": sorted(resource_props(providers[kind], name, {})),
            "inputs": {k: v for k, v in resource.get("inputs", {}).items() if k != "__provider"},
            "outputs": {k: v for k, v in resource.get("outputs", {}).items() if k != "__provider"},
        }
    return out
