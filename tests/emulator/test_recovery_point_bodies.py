"""Recovery point bodies have the shape of Azure's recorded ones (every ``GET .../recoveryPoints`` answer in
``../shared`` at api-version 2025-07-01): every property present, unset ones null (``metaData``,
``rehydrationExpiryTime``, ``rehydrationStatus``, ``policyVersion``, an absent ``expiryTime``), and
``retentionTagVersion`` set, for each datasource kind the emulator backs up."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

import pytest

from pulumi_dataprotection.emulator import EmulatorHandle, recovery
from tests.emulator.conftest import CheckedArm
from tests.support.protected import protect
from tests.support.recordings import answers

DAY = 86400.0


def _kinds(value: dict[str, Any], skip: tuple[str, ...] = ()) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, "null" if v is None else type(v).__name__) for k, v in value.items() if k not in skip))


def shape(point: dict[str, Any]) -> tuple[Any, ...]:
    """Which properties a point and its datastore details have, and which are null (expiry times and the state are
    compared apart: they depend on the policy and on the api-version)."""
    props = point["properties"]
    skip = ("expiryTime", "recoveryPointState")
    details = {_kinds(d, ("expiryTime",)) for d in props["recoveryPointDataStoresDetails"]}
    return _kinds(props, skip), tuple(sorted(details))


@functools.cache
def recorded() -> set[tuple[Any, ...]]:
    return {shape(p) for x, p in answers("recoveryPoints") if x.api_version == "2025-07-01"}


@pytest.mark.parametrize("kind", ["disk", "aks", "adls", "postgresql_flexible"])
def test_recovery_points_have_azures_shape(api: CheckedArm, emulator: EmulatorHandle, kind: str) -> None:
    instance = protect(emulator, (kind,)).instances[kind]
    emulator.advance_clock(8 * DAY)
    points = api.get(f"{instance}/recoveryPoints").json()["value"]
    assert points, "the schedule made recovery points"
    for point in points:
        assert shape(point) in recorded(), f"{shape(point)} is none of {recorded()}"
        props = point["properties"]
        assert props["retentionTagVersion"].isdigit() and props["policyVersion"] is None
        assert all(d["metaData"] is None for d in props["recoveryPointDataStoresDetails"])
    versions = {p["properties"]["retentionTagVersion"] for p in points}
    assert len(versions) == 1, "one version per policy (Azure's is the same on every point of a policy)"


def test_the_recovery_point_state_comes_with_api_version_2023_11_01(api: CheckedArm, emulator: EmulatorHandle) -> None:
    """Azure's points have no ``recoveryPointState`` at 2023-01-01 and 2023-05-01 (57 recorded), one from 2023-11-01."""
    instance = protect(emulator, ("disk",)).instances["disk"]
    emulator.advance_clock(DAY)
    old = api.get(f"{emulator.url}{instance}/recoveryPoints?api-version=2023-05-01").json()["value"]
    new = api.get(f"{emulator.url}{instance}/recoveryPoints?api-version=2025-07-01").json()["value"]
    assert old and all("recoveryPointState" not in p["properties"] for p in old)
    assert all(p["properties"]["recoveryPointState"] == "Completed" for p in new)


@pytest.mark.parametrize(
    ("store", "day", "state"),
    [
        ("OperationalStore", "2024-06-19", None),
        ("OperationalStore", "2024-06-20", "Completed"),
        ("VaultStore", "2024-02-19", "Completed"),
    ],
)
def test_operational_points_before_june_2024_have_no_state(store: str, day: str, state: str | None) -> None:
    """Azure's operational-store points taken before 2024-06-20 say ``recoveryPointState`` null (163 of 164
    recorded, e.g. corpus/azure-cli-extensions-history/test_dataprotection_backup_instance_restore_disk@692bee5e5.yaml
    #0), later ones and vault-store points ``Completed``."""
    at = datetime.fromisoformat(f"{day}T12:00:00+00:00").timestamp()
    point = {
        "id": "/x/recoveryPoints/p",
        "name": "p",
        "time": at,
        "tag": "Default",
        "policy_name": "pol",
        "kind": "Full",
        "copies": [{"id": "c", "type": store, "created": at, "expiry": at + 7 * DAY}],
    }
    assert recovery.render_point(point, at + 60)["properties"]["recoveryPointState"] == state
