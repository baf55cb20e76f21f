"""Recovery points on the policy's schedule, ad-hoc points, retention expiry and restorable time ranges; every
response is checked against the official spec by the ``api`` client."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.emulator.recovery import parse_time
from tests.emulator.conftest import CheckedArm
from tests.support.protected import protect

DAY = 86400.0


def _points(api: CheckedArm, instance: str, query: str = "") -> list[dict[str, Any]]:
    response = api.get(f"{instance}/recoveryPoints{query}")
    assert response.status_code == 200, response.text
    return [p["properties"] for p in response.json()["value"]]


def _time(text: str) -> float:
    value = parse_time(text)
    assert value is not None
    return value


def test_points_follow_the_schedule_and_expire_with_retention(api: CheckedArm, emulator: EmulatorHandle) -> None:
    instance = protect(emulator, ("disk",)).instances["disk"]
    assert _points(api, instance) == []
    emulator.advance_clock(DAY)
    day_one = _points(api, instance)
    assert 5 <= len(day_one) <= 7  # every 4 hours
    times = [_time(p["recoveryPointTime"]) for p in day_one]
    assert times == sorted(times, reverse=True)
    assert all(round(t) % (4 * 3600) == 0 for t in times)  # on the schedule's ticks (R/2024-01-01T00:00/PT4H)
    keep = {"Default": 7 * DAY, "Daily": 30 * DAY, "Weekly": 12 * 7 * DAY}  # the disk template's retention
    for point in day_one:
        (copy,) = point["recoveryPointDataStoresDetails"]
        assert copy["type"] == "OperationalStore" and point["recoveryPointType"] == "Incremental"
        kept = _time(point["expiryTime"]) - _time(point["recoveryPointTime"])
        assert kept == pytest.approx(keep[point["retentionTagName"]], abs=1)
    tags = [p["retentionTagName"] for p in day_one]
    assert tags.count("Default") == len(day_one) - 1  # the first of the day is tagged Daily (or Weekly)
    emulator.advance_clock(10 * DAY)
    later = _points(api, instance)
    assert 34 <= sum(p["retentionTagName"] == "Default" for p in later) <= 36  # 7 days of 5 untagged a day
    survived = {p["recoveryPointId"] for p in day_one} & {p["recoveryPointId"] for p in later}
    assert survived == {p["recoveryPointId"] for p in day_one if p["retentionTagName"] != "Default"}
    one = api.get(f"{instance}/recoveryPoints/{later[0]['recoveryPointId']}")
    assert one.status_code == 200 and one.json()["properties"] == later[0]
    gone = api.get(f"{instance}/recoveryPoints/{day_one[0]['recoveryPointId']}")
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "UserErrorGenericResourceNotFound"


def test_tagged_points_get_the_vault_copy_the_retention_rule_says(api: CheckedArm, emulator: EmulatorHandle) -> None:
    instance = protect(emulator, ("aks",)).instances["aks"]
    emulator.advance_clock(3 * DAY)
    points = _points(api, instance)
    daily = [p for p in points if p["retentionTagName"] == "Daily"]
    assert len(daily) in (3, 4)
    for point in daily:
        assert datetime.fromtimestamp(_time(point["recoveryPointTime"]), UTC).hour == 0  # first of the day
        stores = {d["type"]: d for d in point["recoveryPointDataStoresDetails"]}
        assert set(stores) == {"OperationalStore", "VaultStore"}
        vault_keep = _time(stores["VaultStore"]["expiryTime"]) - _time(stores["VaultStore"]["creationTime"])
        assert vault_keep == pytest.approx(30 * DAY, abs=1)
    others = [p for p in points if p["retentionTagName"] == "Default"]
    assert others and all(len(p["recoveryPointDataStoresDetails"]) == 1 for p in others)
    emulator.advance_clock(8 * DAY)  # operational copies expire, vault copies of daily points stay
    survivors = [
        p for p in _points(api, instance) if _time(p["recoveryPointTime"]) < _time(points[0]["recoveryPointTime"]) + 1
    ]
    assert survivors and all(p["retentionTagName"] == "Daily" for p in survivors)
    assert all([d["type"] for d in p["recoveryPointDataStoresDetails"]] == ["VaultStore"] for p in survivors)


def test_filter_narrows_points_by_time(api: CheckedArm, emulator: EmulatorHandle) -> None:
    instance = protect(emulator, ("disk",)).instances["disk"]
    emulator.advance_clock(2 * DAY)
    points = _points(api, instance)
    middle = points[len(points) // 2]["recoveryPointTime"]
    newer = _points(api, instance, f"?$filter=startDate eq '{middle}'")
    assert 0 < len(newer) < len(points)
    assert all(_time(p["recoveryPointTime"]) >= _time(middle) for p in newer)
    bad = api.get(f"{instance}/recoveryPoints?$filter=startDate eq 'yesterday'")
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "BMSUserErrorInvalidInput"


def test_adhoc_backup_adds_a_point_when_its_job_completes(api: CheckedArm, emulator: EmulatorHandle) -> None:
    instance = protect(emulator, ("postgresql_flexible",)).instances["postgresql_flexible"]
    assert _points(api, instance) == []  # weekly schedule: no tick yet in the first seconds
    started = api.post(f"{instance}/backup", {"backupRuleOptions": {"ruleName": "BackupWeekly", "triggerOption": {}}})
    assert started.status_code == 202, started.text
    job_id = api.wait(started)["properties"]["jobId"]
    emulator.advance_clock(5)
    job = api.get(job_id).json()["properties"]
    assert job["status"] == "Completed"
    (point,) = _points(api, instance)
    assert point["recoveryPointId"] == job["extendedInfo"]["targetRecoverPoint"]["recoveryPointID"]
    assert point["recoveryPointDataStoresDetails"][0]["type"] == "VaultStore"
    # Azure files a backup that names no retention tag under "default", kept with no expiry (7 of 7 recorded
    # points, e.g. azure-cli-extensions@d195c728/test_dataprotection_backup_and_restore_oss.yaml #27).
    assert point["retentionTagName"] == "default" and point["recoveryPointType"] == "Full"
    assert point["expiryTime"] is None and point["recoveryPointDataStoresDetails"][0]["expiryTime"] is None
    tagged = api.post(
        f"{instance}/backup",
        {"backupRuleOptions": {"ruleName": "BackupWeekly", "triggerOption": {"retentionTagOverride": "Default"}}},
    )
    api.wait(tagged)
    emulator.advance_clock(5)
    newest = _points(api, instance)[0]
    assert newest["retentionTagName"] == "Default" and newest["expiryTime"] is not None


def test_continuous_operational_backup_has_a_restorable_time_range(api: CheckedArm, emulator: EmulatorHandle) -> None:
    instance = protect(emulator, ("blob",)).instances["blob"]
    emulator.advance_clock(40 * DAY)
    url = f"{instance}/findRestorableTimeRanges"
    found = api.post(url, {"sourceDataStoreType": "OperationalStore"})
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["type"] == "Microsoft.DataProtection/backupVaults/backupInstances/findRestorableTimeRanges"
    (window,) = body["properties"]["restorableTimeRanges"]
    assert _time(window["endTime"]) - _time(window["startTime"]) == pytest.approx(30 * DAY, abs=5)  # 30 days kept
    narrowed = api.post(url, {"sourceDataStoreType": "OperationalStore", "startTime": window["endTime"]})
    assert len(narrowed.json()["properties"]["restorableTimeRanges"]) == 1
    # A start without an end is read only in the round-trip form (azure-cli-extensions/
    # test_dataprotection_restorable_time_range_find.yaml #8 accepted, #9 and #14 refused).
    for start, status in (
        ("2023-06-16T01:00:00.0000000Z", 200),
        ("2023-06-16T01:00:00.000Z", 400),
        ("2023-06-16T01:00:00", 400),
    ):
        answer = api.post(url, {"sourceDataStoreType": "OperationalStore", "startTime": start})
        assert answer.status_code == status, (start, answer.text)
        if status == 400:
            assert answer.json()["error"]["code"] == "DppPluginInvalidInputParameters"
    with_end = {
        "sourceDataStoreType": "OperationalStore",
        "startTime": "2023-06-16T01:00:00",
        "endTime": window["endTime"],
    }
    assert api.post(url, with_end).status_code == 200
    vaulted = api.post(url, {"sourceDataStoreType": "VaultStore"}).json()["properties"]["restorableTimeRanges"]
    assert vaulted and all(r["startTime"] == r["endTime"] for r in vaulted)  # one instant per daily point
    inverted = api.post(
        url, {"sourceDataStoreType": "OperationalStore", "startTime": window["endTime"], "endTime": window["startTime"]}
    )
    assert inverted.status_code == 400 and inverted.json()["error"]["code"] == "UserErrorInvalidRestorableTimeRange"
    # A window wholly before the backups: Azure answers the range clipped to it, inverted
    # (azure-cli-extensions/test_dataprotection_restorable_time_range_find.yaml #1).
    before = {
        "sourceDataStoreType": "OperationalStore",
        "startTime": "2001-02-27T12:00:00Z",
        "endTime": "2002-05-14T14:00:00Z",
    }
    (clipped,) = api.post(url, before).json()["properties"]["restorableTimeRanges"]
    assert _time(clipped["startTime"]) == pytest.approx(_time(window["startTime"]), abs=5)
    assert clipped["endTime"].startswith("2002-05-14")


def test_points_of_a_purged_instance_go_with_it(api: CheckedArm, emulator: EmulatorHandle) -> None:
    instance = protect(emulator, ("disk",)).instances["disk"]
    emulator.advance_clock(DAY)
    assert _points(api, instance)
    assert api.delete(instance).status_code == 202
    emulator.advance_clock(5)
    deleted = instance.replace("backupInstances", "deletedBackupInstances")
    assert api.get(deleted).status_code == 200
    emulator.advance_clock(15 * DAY)
    assert api.get(deleted).status_code == 404
    assert emulator.restored() == []
