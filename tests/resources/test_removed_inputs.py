"""An input removed from the program is never a removal that silently does not happen: it is sent as its empty
value, or kept as Azure has it (in the checked inputs, so the preview shows no removal) with a preview warning. The
generic test covers every optional input of every resource, derived from the schema declarations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from pulumi_dataprotection.adhoc.resource import AdhocBackupProvider
from pulumi_dataprotection.dynamic import SchemaProvider, engine
from pulumi_dataprotection.dynamic.engine import MANAGED
from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.guard.resource import ResourceGuardProvider
from pulumi_dataprotection.guardlink.resource import GuardLinkProvider
from pulumi_dataprotection.instance.resource import InstanceProvider
from pulumi_dataprotection.policy.resource import PolicyProvider
from pulumi_dataprotection.schema import ListType, MapType
from pulumi_dataprotection.vault.resource import VaultProvider
from tests.resources.helpers import checked, instance_inputs, policy_inputs, up, update, vault_inputs
from tests.resources.test_guard import guard_inputs
from tests.support.emulator import SUBSCRIPTION

VAULT = (
    f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-backup/providers/Microsoft.DataProtection/backupVaults/vault-1"
)
GUARDS = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-security/providers/Microsoft.DataProtection/resourceGuards"


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    seen: list[str] = []
    monkeypatch.setattr(engine, "preview_warning", seen.append)
    yield seen


def test_removing_a_guard_s_exclusions_puts_the_operations_under_mua_again(configured: EmulatorHandle) -> None:
    """Issue 24: the preview showed -excluded_operations, but nothing was sent and the guard still excluded it."""
    provider = ResourceGuardProvider()
    guard_id, outs = up(provider, guard_inputs(excluded_operations=["suspend_backups"]))
    since = int(configured.request_log()[-1]["seq"])

    news = checked(provider, guard_inputs(), outs)
    assert news["excluded_operations"] == []
    outs = update(provider, guard_id, outs, guard_inputs())

    writes = configured.writes(since)
    assert [w["method"] for w in writes] == ["PUT"]
    assert writes[0]["body"]["properties"]["vaultCriticalOperationExclusionList"] == []
    assert outs["excluded_operations"] == []
    assert not provider.diff(guard_id, outs, checked(provider, guard_inputs(), outs)).changes


def test_removing_a_vault_identity_keeps_it_as_azure_has_it_with_a_warning(
    configured: EmulatorHandle, warnings: list[str]
) -> None:
    provider = VaultProvider()
    vault_id, outs = up(provider, vault_inputs(identity_type="SystemAssigned"))
    without = {k: v for k, v in vault_inputs().items() if k != "identity_type"}
    news = checked(provider, without, outs)
    assert news["identity_type"] == "SystemAssigned" and MANAGED not in news, "the list is in the outputs only"
    assert not provider.diff(vault_id, outs, news).changes
    assert len(warnings) == 1 and "identity_type was removed from the program" in warnings[0]
    assert "kept as Azure has it" in warnings[0]


def _sample(f: Any) -> Any:
    if isinstance(f.type, ListType):
        return ["x"]
    if isinstance(f.type, MapType) or "Map" in type(f.type).__name__:
        return {"k": "v"}
    return "x"


PROGRAMS: dict[type[SchemaProvider], Any] = {
    VaultProvider: vault_inputs,
    PolicyProvider: lambda: policy_inputs(VAULT),
    InstanceProvider: lambda: instance_inputs(VAULT, f"{VAULT}/backupPolicies/p"),
    ResourceGuardProvider: guard_inputs,
    GuardLinkProvider: lambda: {"vault_id": VAULT, "resource_guard_id": f"{GUARDS}/guard-1"},
    AdhocBackupProvider: lambda: {"backup_instance_id": f"{VAULT}/backupInstances/bi-1"},
}


@pytest.mark.parametrize(
    ("provider", "name"),
    [
        (p, f.name)
        for p in PROGRAMS
        for f in p.schema.root.input_leaves
        if not f.required and f.diff and not f.plan_only and f.name not in p.identity_fields
    ],
    ids=lambda v: v if isinstance(v, str) else v.title,
)
def test_every_optional_input_removed_from_the_program_is_sent_empty_or_kept_with_a_warning(
    configured: EmulatorHandle, warnings: list[str], provider: type[SchemaProvider], name: str
) -> None:
    """Every optional input the program stops setting: the diff plans the change (it is sent as its empty value or
    its default) or the checked inputs keep Azure's value and the preview warns. Never a planned removal that the
    update leaves out of its request."""
    p = provider()
    program = PROGRAMS[provider]()
    f = p.schema.field(name)
    olds = {**checked(p, program), name: _sample(f)}
    olds[MANAGED] = sorted({*olds.get(MANAGED, []), name})
    result = p.check(olds, {k: v for k, v in program.items() if k != name})
    if result.failures:  # needed by the rest of the program: the preview fails naming it
        assert name in {x.property.split("[")[0].split(".")[0] for x in result.failures}, result.failures
        return
    news = result.inputs
    plan = p.schema.diff(olds, news)
    if name in plan.changed:
        assert f.name in p.body_fields() or not f.path, name
        return
    assert f.computed, f"{name}: a removal the diff does not see"
    if name in p.cleared_when_removed:
        pytest.fail(f"{name}: declared cleared but the diff shows no change")
    assert news[name] == olds[name] and any(f"{name} was removed from the program" in w for w in warnings), name
