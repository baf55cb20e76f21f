"""Backup and restore job bodies have the shape Azure's recorded jobs have, per datasource type, operation and
status: the same properties, null where Azure sends null, set where Azure sets them (compared with every recorded
``GET .../backupJobs/{id}`` answer in ``../shared``)."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import pytest

from pulumi_dataprotection.emulator import EmulatorHandle
from tests.emulator.conftest import CheckedArm
from tests.emulator.test_restore import aks_request, pg_request
from tests.support.emulator import fresh
from tests.support.protected import protect
from tests.support.recordings import answers

DAY = 86400.0
Shape = tuple[tuple[str, str], ...]


def _kinds(value: dict[str, Any]) -> Shape:
    return tuple(sorted((k, "null" if v is None else type(v).__name__) for k, v in value.items()))


def shape(job: dict[str, Any]) -> tuple[Shape, Shape, Shape]:
    """Which properties a job has and whether each is null, in its properties, extendedInfo and first sub-task."""
    props = job["properties"]
    # warningDetails (null) is absent from the recordings of older api-versions only, so it is not compared.
    extended = {k: v for k, v in (props.get("extendedInfo") or {}).items() if k != "warningDetails"}
    tasks = extended.get("subTasks") or [{}]
    return _kinds(props), _kinds(extended), _kinds(tasks[0])


def _key(props: dict[str, Any]) -> tuple[str, str, str]:
    """Jobs compare by resource type without its namespace (MySQL and PostgreSQL flexible servers answer alike; only
    MySQL's completed backups are recorded), operation and status."""
    return props["dataSourceType"].split("/", 1)[1], props["operation"], props["status"]


@functools.cache
def recorded_shapes() -> dict[tuple[str, str, str], set[tuple[Shape, Shape, Shape]]]:
    found: dict[tuple[str, str, str], set[tuple[Shape, Shape, Shape]]] = defaultdict(set)
    for _, job in answers("backupJobs"):
        found[_key(job["properties"])].add(shape(job))
    return found


def _rule(api: CheckedArm, policy: str) -> str:
    rules = api.get(policy).json()["properties"]["policyRules"]
    return next(r["name"] for r in rules if r["objectType"] == "AzureBackupRule")


def _job(api: CheckedArm, started: Any) -> str:
    assert started.status_code == 202, started.text
    return str(api.wait(started)["properties"]["jobId"])


def _check(api: CheckedArm, job_id: str, recorded: dict[Any, set[Any]]) -> dict[str, Any]:
    job = api.get(job_id).json()
    props = job["properties"]
    key = _key(props)
    assert key in recorded, f"no recorded job to compare with {key}"
    assert shape(job) in recorded[key], f"{key}: {shape(job)} is none of the recorded shapes {recorded[key]}"
    return dict(props)


@pytest.fixture(scope="module")
def _long_jobs_session() -> Iterator[EmulatorHandle]:
    from pulumi_dataprotection.emulator import start_emulator

    with start_emulator(in_process=True, lro_seconds=0.05, retry_after=0, azure_job_durations=True) as handle:
        yield handle


@pytest.fixture
def long_jobs(_long_jobs_session: EmulatorHandle) -> Iterator[EmulatorHandle]:
    """An emulator whose jobs last as long as Azure's (minutes of its clock), so a test sees a job running whatever
    the machine's load, and finishes it by moving the clock."""
    with fresh(_long_jobs_session) as handle:
        yield handle


@pytest.mark.parametrize("kind", ["disk", "aks", "postgresql_flexible", "postgresql"])
def test_backup_jobs_have_azures_shape_running_and_completed(long_jobs: EmulatorHandle, kind: str) -> None:
    emulator, api = long_jobs, CheckedArm(long_jobs, _spec())
    recorded = recorded_shapes()
    protected = protect(emulator, (kind,))
    instance = protected.instances[kind]
    trigger = {"backupRuleOptions": {"ruleName": _rule(api, protected.policies[kind]), "triggerOption": {}}}
    job_id = _job(api, api.post(f"{instance}/backup", trigger))
    running = _check(api, job_id, recorded)
    assert running["extendedInfo"]["subTasks"][0]["taskProgress"] is None, "Azure: null (527/527)"
    assert running["restoreType"] is None and running["duration"] == "PT0S"
    emulator.advance_clock(3600)
    done = _check(api, job_id, recorded)
    assert done["extendedInfo"]["targetRecoverPoint"]["recoveryPointTime"] == "0001-01-01T00:00:00Z"
    assert "%3A" in done["etag"]


@pytest.mark.parametrize("kind", ["aks", "postgresql"])
def test_restore_jobs_have_azures_shape_with_the_source_datastore(long_jobs: EmulatorHandle, kind: str) -> None:
    emulator, api = long_jobs, CheckedArm(long_jobs, _spec())
    recorded = recorded_shapes()
    instance = protect(emulator, (kind,)).instances[kind]
    emulator.advance_clock(8 * DAY)  # the PostgreSQL policy backs up weekly
    point = api.get(f"{instance}/recoveryPoints").json()["value"][0]["properties"]
    point_id = point["recoveryPointId"]
    request = aks_request(point_id, {"shop": "shop-drill"}) if kind == "aks" else pg_request(point_id, "orders-drill")
    job_id = _job(api, api.post(f"{instance}/restore", request))
    running = _check(api, job_id, recorded)
    assert running["sourceDataStoreType"] == request["sourceDataStoreType"], "set on 284/284 recorded restore jobs"
    assert running["restoreType"] is None and running["destinationDataStoreName"] is None
    assert running["status"] == "InProgress"
    emulator.advance_clock(3600)
    _check(api, job_id, recorded)


def test_a_job_list_has_no_extended_info(api: CheckedArm, emulator: EmulatorHandle) -> None:
    protected = protect(emulator, ("disk",))
    instance = protected.instances["disk"]
    trigger = {"backupRuleOptions": {"ruleName": _rule(api, protected.policies["disk"]), "triggerOption": {}}}
    job_id = _job(api, api.post(f"{instance}/backup", trigger))
    listed = api.get(instance.split("/backupInstances/")[0] + "/backupJobs").json()["value"]
    assert [j["id"] for j in listed] == [job_id]
    assert "extendedInfo" in listed[0]["properties"] and listed[0]["properties"]["extendedInfo"] is None


def test_azure_job_durations_last_as_long_as_azures_recorded_jobs() -> None:
    """With ``azure_job_durations`` a job runs as long as Azure's recorded jobs of its kind (disk backups: 185-216 s
    in the recordings), so a replay of a recording sees the job running while Azure's was; by default jobs last two
    long-running-operation periods. The flag also goes through the command line."""
    from pulumi_dataprotection.emulator import start_emulator
    from pulumi_dataprotection.emulator.config import from_args

    assert from_args(["--azure-job-durations"]).azure_job_durations is True
    with start_emulator(in_process=True, lro_seconds=0.05, retry_after=0, azure_job_durations=True) as handle:
        arm = CheckedArm(handle, _spec())
        protected = protect(handle, ("disk",))
        instance = protected.instances["disk"]
        trigger = {"backupRuleOptions": {"ruleName": _rule(arm, protected.policies["disk"]), "triggerOption": {}}}
        job_id = _job(arm, arm.post(f"{instance}/backup", trigger))
        handle.advance_clock(150)
        assert arm.get(job_id).json()["properties"]["status"] == "InProgress"
        handle.advance_clock(60)
        assert arm.get(job_id).json()["properties"]["status"] == "Completed"


def _spec() -> Any:
    from tests.support.spec import load_spec

    return load_spec()


def test_warning_details_come_with_api_version_2023_11_01(api: CheckedArm, emulator: EmulatorHandle) -> None:
    """Azure's jobs have no ``extendedInfo.warningDetails`` at 2023-01-01 and 2023-05-01 (100 recorded answers) and
    a null one from 2023-11-01 on (427)."""
    protected = protect(emulator, ("disk",))
    instance = protected.instances["disk"]
    trigger = {"backupRuleOptions": {"ruleName": _rule(api, protected.policies["disk"]), "triggerOption": {}}}
    job_id = _job(api, api.post(f"{instance}/backup", trigger))
    old = api.get(f"{emulator.url}{job_id}?api-version=2023-05-01").json()["properties"]["extendedInfo"]
    new = api.get(f"{emulator.url}{job_id}?api-version=2025-07-01").json()["properties"]["extendedInfo"]
    assert "warningDetails" not in old and new["warningDetails"] is None
