"""A vault in the emulator protecting one datasource of each kind of the catalog (its example datasource), built from
the library's schemas and recommended policy templates (the bodies a Pulumi program sends)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pulumi_dataprotection.cli.policy_template import template_inputs
from pulumi_dataprotection.datasources import KINDS as CATALOG
from pulumi_dataprotection.datasources.kind import EXAMPLE_SUBSCRIPTION
from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.instance.schema import INSTANCE
from pulumi_dataprotection.policy.schema import POLICY
from pulumi_dataprotection.vault.schema import VAULT
from tests.support.emulator import SUBSCRIPTION, ArmClient

RG = f"/subscriptions/{SUBSCRIPTION}/resourceGroups"
DATA = f"{RG}/rg-data/providers"
LOCATION = "westeurope"
VAULT_ID = f"{RG}/rg-dr/providers/Microsoft.DataProtection/backupVaults/vault-dr"


def _in_test_subscription(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace(EXAMPLE_SUBSCRIPTION, SUBSCRIPTION)
    if isinstance(value, list):
        return [_in_test_subscription(v) for v in value]
    return value


# kind -> (policy inputs, instance inputs): every kind of the catalog, its recommended policy and example datasource
KINDS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    key: (template_inputs(kind), {k: _in_test_subscription(v) for k, v in kind.example.items()})
    for key, kind in CATALOG.items()
}


@dataclass
class Protected:
    """The vault and, per kind, its policy and backup instance ids."""

    handle: EmulatorHandle
    arm: ArmClient
    instances: dict[str, str] = field(default_factory=dict)
    policies: dict[str, str] = field(default_factory=dict)

    def put(self, path: str, body: dict[str, Any]) -> None:
        """PUT and let the long-running operation (and protection configuration) finish."""
        response = self.arm.put(path, body)
        assert response.status_code in (200, 201, 202), response.text
        self.handle.advance_clock(5)


def protect(
    handle: EmulatorHandle,
    kinds: tuple[str, ...] = tuple(KINDS),
    *,
    geo: bool = False,
    inputs: dict[str, dict[str, Any]] | None = None,
    policies: dict[str, dict[str, Any]] | None = None,
) -> Protected:
    """A vault protecting one datasource of each of ``kinds`` (``geo``: GeoRedundant with cross region restore;
    ``inputs``: instance inputs per kind replacing those of KINDS; ``policies``: policy inputs per kind instead of
    the recommended template's)."""
    done = Protected(handle, ArmClient(handle))
    vault: dict[str, Any] = {
        "name": "vault-dr",
        "resource_group_name": "rg-dr",
        "location": LOCATION,
        "redundancy": "GeoRedundant" if geo else "LocallyRedundant",
        "identity_type": "SystemAssigned",
        "soft_delete_state": "AlwaysOn",
        "soft_delete_retention_days": 14,
    }
    if geo:
        vault["cross_region_restore_state"] = "Enabled"
    done.put(VAULT_ID, VAULT.to_rest(vault))
    for kind in kinds:
        policy_inputs, instance_inputs = KINDS[kind]
        policy_inputs = (policies or {}).get(kind, policy_inputs)
        policy_id = f"{VAULT_ID}/backupPolicies/{kind.replace('_', '-')}"
        name = policy_id.rsplit("/", 1)[1]
        done.put(policy_id, POLICY.to_rest({"name": name, "vault_id": VAULT_ID, **policy_inputs}))
        instance_id = f"{VAULT_ID}/backupInstances/bi-{name}"
        inputs = {
            "name": f"bi-{name}",
            "vault_id": VAULT_ID,
            "policy_id": policy_id,
            "datasource_kind": kind,
            "datasource_location": LOCATION,
            **instance_inputs,
            **(inputs or {}).get(kind, {}),
        }
        done.put(instance_id, INSTANCE.to_rest(inputs))
        done.policies[kind] = policy_id
        done.instances[kind] = instance_id
    return done
