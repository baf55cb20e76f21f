"""End to end under the real engine, the guarded-vault example: the preview shows the guard and the link; up
creates them; a protected delete is refused with what to request, then succeeds once the guard's owner grants
access; removing the guard link goes through the guard's unlock."""

from __future__ import annotations

from pathlib import Path

import pytest

from pulumi_dataprotection.emulator import EmulatorHandle
from tests.e2e.conftest import StackFactory, example_stacks
from tests.e2e.helpers import short
from tests.support.emulator import ArmClient

pytestmark = pytest.mark.engine

SUBSCRIPTION = "11111111-1111-1111-1111-111111111111"
GUARD = (
    f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-security/providers/Microsoft.DataProtection/resourceGuards/"
    "rg-backup-guard"
)
VAULT = (
    f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-backup/providers/Microsoft.DataProtection/backupVaults/bv-guarded"
)
LINK = f"{VAULT}/backupResourceGuardProxies/DppResourceGuardProxy"
INSTANCE = f"{VAULT}/backupInstances/aks-shop"


@pytest.fixture
def guarded_stack(dp: EmulatorHandle, tmp_path: Path, engine_bin: Path) -> StackFactory:
    """A stack of examples/guarded-vault (see ``example_stacks``)."""
    return example_stacks("guarded-vault", dp, tmp_path, engine_bin)


def test_preview_shows_the_guard_and_the_link(guarded_stack: StackFactory, dp: EmulatorHandle) -> None:
    preview = guarded_stack("preview").preview()
    ops = preview.ops()
    assert ops[("ResourceGuard", "create")] == 1 and ops[("VaultGuardLink", "create")] == 1, preview.describe()
    assert dp.writes() == [], short(dp.writes())


def test_guarded_delete_is_refused_then_allowed_after_access_and_the_link_is_removed_through_the_guard(
    guarded_stack: StackFactory, dp: EmulatorHandle, arm: ArmClient
) -> None:
    stack = guarded_stack("guarded")
    up = stack.up()
    assert up.summary == {"create": 6}, up
    assert arm.get(VAULT).json()["properties"]["isVaultProtectedByResourceGuard"] is True
    outputs = stack.outputs()
    assert outputs["guard_id"] == GUARD
    assert f"{GUARD}/deleteBackupInstanceRequests/default" in str(outputs["protected_operations"])
    assert stack.preview().changes() == {}

    refused = stack.destroy(check=False)
    assert not refused.ok
    text = refused.output
    assert GUARD in text and "backupInstances/delete" in text and "LinkedAuthorizationFailed" in text, text[-3000:]
    assert f"{GUARD}/deleteBackupInstanceRequests/default" in text and "Backup MUA Operator" in text
    assert arm.get(INSTANCE).status_code == 200 and arm.get(LINK).status_code == 200

    dp.grant_guard_access(GUARD)
    since = dp.request_log()[-1]["seq"]
    done = stack.destroy(check=False)
    # Everything but the vault: it holds the soft-deleted instance until its retention ends (as on Azure).
    assert not done.ok and "soft-deleted backup instances (aks-shop)" in done.output, done.output[-3000:]
    calls = [(e["method"], e["path"]) for e in dp.writes(since)]
    unlocks = [p for m, p in calls if p.endswith("/unlockDelete")]
    assert unlocks == [f"{LINK}/unlockDelete", f"{LINK}/unlockDelete"], short(dp.writes(since))
    assert ("DELETE", LINK) in calls and calls.index(("DELETE", LINK)) > calls.index(("POST", unlocks[-1]))
    assert arm.get(LINK).status_code == 404 and arm.get(GUARD).status_code == 404
    dp.advance_clock(15 * 86400)
    assert stack.destroy().ok
    assert arm.get(VAULT).status_code == 404


def test_guard_in_another_tenant_is_reached_with_the_auxiliary_token_from_config(
    guarded_stack: StackFactory, dp: EmulatorHandle, arm: ArmClient
) -> None:
    security = "22222222-2222-2222-2222-222222222222"
    guard = GUARD.replace(SUBSCRIPTION, security)
    dp.add_tenant(security, "33333333-3333-3333-3333-333333333333", "security-tenant-token")
    stack = guarded_stack("cross-tenant", **{"dataprotection-guarded-vault:guardSubscriptionId": security})
    assert stack.up().summary == {"create": 6}
    dp.grant_guard_access(guard)

    refused = stack.destroy(check=False)
    assert not refused.ok and "auxiliaryTenantIds" in refused.output, refused.output[-3000:]
    assert arm.get(INSTANCE).status_code == 200

    stack.set_config("dataprotection:auxiliaryTokens", "security-tenant-token")
    stack.up()  # destroy uses the configuration saved by the last update
    first = stack.destroy(check=False)
    assert not first.ok and "soft-deleted backup instances (aks-shop)" in first.output, first.output[-3000:]
    dp.advance_clock(15 * 86400)  # past the soft delete retention of the deleted instance
    assert stack.destroy().ok
    assert arm.get(LINK).status_code == 404 and arm.get(guard).status_code == 404
