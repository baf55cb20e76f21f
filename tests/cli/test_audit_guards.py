"""The audit report shows which vaults a resource guard protects, and by which guard (from the stack's
ResourceGuard and VaultGuardLink resources, or the vault's own is_vault_protected_by_resource_guard output)."""

from __future__ import annotations

from typing import Any

from pulumi_dataprotection.audit import build_report, parse_export
from pulumi_dataprotection.audit.render import render
from pulumi_dataprotection.guard.schema import GUARD_LINK, RESOURCE_GUARD
from tests.cli import exports

GUARD_ID = (
    "/subscriptions/00000000-0000-0000-0000-0000000000cc/resourceGroups/rg-security/providers/"
    "Microsoft.DataProtection/resourceGuards/guard-1"
)


def guard(excluded: list[str]) -> dict[str, Any]:
    inputs = {"name": "guard-1", "resource_group_name": "rg-security", "location": "westeurope"}
    values = RESOURCE_GUARD.from_rest(
        {
            **RESOURCE_GUARD.to_rest({**inputs, "excluded_operations": excluded}),
            "id": GUARD_ID,
            "name": "guard-1",
            "properties": {"vaultCriticalOperationExclusionList": excluded, "provisioningState": "Succeeded"},
        }
    )
    return exports.resource("ResourceGuard", "guard", GUARD_ID, inputs, {**values, "arm_id": GUARD_ID})


def link(vault_name: str) -> dict[str, Any]:
    vault_id = exports.vault_id(vault_name)
    link_id = f"{vault_id}/backupResourceGuardProxies/DppResourceGuardProxy"
    inputs = {"vault_id": vault_id, "resource_guard_id": GUARD_ID, "name": "DppResourceGuardProxy"}
    values = GUARD_LINK.from_rest({**GUARD_LINK.to_rest(inputs), "id": link_id, "name": "DppResourceGuardProxy"})
    return exports.resource("VaultGuardLink", "link", link_id, inputs, {**values, **inputs, "arm_id": link_id})


def vault(name: str) -> dict[str, Any]:
    return exports.vault(
        {"name": name, "resource_group_name": "rg-backup", "location": "westeurope", "redundancy": "GRS"}
    )


def test_report_names_the_guard_of_each_vault() -> None:
    excluded = ["Microsoft.DataProtection/backupVaults/backupInstances/suspendBackups/action"]
    document = exports.stack_export(vault("guarded"), vault("open"), guard(excluded), link("guarded"))
    report = build_report(parse_export(document))
    rows = {v.name: v for v in report.vaults}
    assert rows["guarded"].resource_guard_id == GUARD_ID
    assert (
        rows["guarded"].resource_guard == "guard-1 in rg-security, all critical operations but: suspendBackups/action"
    )
    assert rows["open"].resource_guard is None
    assert report.to_dict()["vaults"][0]["resource_guard_id"] == GUARD_ID
    assert "guard-1 in rg-security" in render(report, "markdown")


def test_guard_outside_the_stack_is_reported_from_the_vault_output() -> None:
    outside = vault("outside")
    outside["outputs"]["is_vault_protected_by_resource_guard"] = True
    unguarded = vault("unguarded")
    unguarded["outputs"]["is_vault_protected_by_resource_guard"] = False
    report = build_report(parse_export(exports.stack_export(outside, unguarded)))
    assert [v.resource_guard for v in report.vaults] == ["a resource guard outside this stack", "none"]
