"""BackupVault over a soft-deleted vault's name: the check warns that the create makes a new, empty vault (and
names the ``undelete_from`` that restores it), ``undelete_from`` restores the deleted vault (settings and identity),
and an ``undelete_from`` that does not exist is a check failure."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.vault.resource import VaultProvider
from tests.resources.helpers import checked, up, vault_inputs
from tests.support.emulator import SUBSCRIPTION

DELETED = f"/subscriptions/{SUBSCRIPTION}/providers/Microsoft.DataProtection/locations/westeurope/deletedVaults/vault-1"


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the provider warns (pulumi.log.warn: the preview's diagnostics)."""
    said: list[str] = []
    monkeypatch.setattr(pulumi.log, "warn", lambda message, *a, **k: said.append(message))
    return said


def _deleted_vault(handle: EmulatorHandle) -> dict[str, Any]:
    provider = VaultProvider()
    vault_id, outs = up(provider, vault_inputs(cross_region_restore_state="Disabled", tags={"team": "backup"}))
    provider.delete(vault_id, outs)
    handle.advance_clock(5)
    return outs


def test_create_over_a_deleted_name_warns_and_undelete_from_restores(
    configured: EmulatorHandle, warnings: list[str]
) -> None:
    before = _deleted_vault(configured)
    assert warnings == []

    fresh = checked(VaultProvider(), vault_inputs())
    assert fresh.get("undelete_from") is None
    assert len(warnings) == 1
    assert "BackupVault 'vault-1': a soft-deleted vault of this name exists in westeurope (deleted " in warnings[0]
    assert f"set undelete_from={DELETED!r}" in warnings[0]

    warnings.clear()
    inputs = checked(VaultProvider(), vault_inputs(undelete_from=DELETED))
    assert warnings == [f"BackupVault 'vault-1': the create undeletes the soft-deleted vault {DELETED} (deleted "
                        + warnings[0].split("(deleted ", 1)[1]]  # fmt: skip
    since = configured.request_log()[-1]["seq"]
    created = VaultProvider().create(inputs)
    puts = [e for e in configured.writes(since) if e["method"] == "PUT"]
    assert len(puts) == 1
    outs = created.outs
    assert outs["principal_id"] == before["principal_id"]  # the deleted vault's identity is back
    assert outs.get("undelete_from") is None, outs.get("undelete_from")  # read on create only, not kept
    assert outs["cross_region_restore_state"] == "Disabled"  # the deleted vault's settings are back
    warnings.clear()
    checked(VaultProvider(), vault_inputs())  # the deleted vault is gone once restored
    assert not [w for w in warnings if "soft-deleted" in w], warnings  # (the restored vault may warn of a resume)


def test_undelete_from_that_does_not_exist_fails_the_check(configured: EmulatorHandle, warnings: list[str]) -> None:
    result = VaultProvider().check({}, vault_inputs(undelete_from=DELETED))
    assert [f.property for f in result.failures] == ["undelete_from"]
    assert "does not exist" in result.failures[0].reason
    assert "pulumi-dataprotection deleted-vaults list --location westeurope" in result.failures[0].reason
