"""`review` on small preview documents: refused and one-way changes, deleted backups, gating and bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pulumi_dataprotection.cli import main
from pulumi_dataprotection.dynamic import wording
from pulumi_dataprotection.policy.builders import Retention, Schedule, TaggedRetention, aks_policy, first_of

TYPE = "pulumi-python:dynamic/dataprotection:"
VAULT = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.DataProtection/backupVaults/bv"
BASE = {
    "name": "bv",
    "resource_group_name": "rg",
    "location": "westeurope",
    "redundancy": "LocallyRedundant",
    "datastore_type": "VaultStore",
}


def step(op: str, type_: str, name: str, old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, Any]:
    """A step of `pulumi preview --json`."""
    out: dict[str, Any] = {"op": op, "urn": f"urn:pulumi:dev::infra::{TYPE}{type_}::{name}"}
    if old is not None:
        out["oldState"] = {"inputs": old, "outputs": old}
    if new is not None:
        out["newState"] = {"inputs": new, "outputs": {}}
    return out


def run(tmp_path: Path, steps: list[dict[str, Any]], *extra: str) -> tuple[int, dict[str, Any]]:
    preview = tmp_path / "preview.json"
    preview.write_text(json.dumps({"steps": steps}), encoding="utf-8")
    document = tmp_path / "review.json"
    code = main(["review", str(preview), "-o", str(tmp_path / "review.md"), "--json", str(document), *extra])
    return code, json.loads(document.read_text(encoding="utf-8"))


def test_one_way_and_refused_changes_are_warned(tmp_path: Path) -> None:
    old = {**BASE, "arm_id": VAULT, "immutability_state": "Locked"}
    refused = step("update", "BackupVault", "vault", old, {**BASE, "immutability_state": "Disabled"})
    code, document = run(tmp_path, [refused])
    assert code == 1
    assert [w["code"] for w in document["warnings"]] == ["refused"]
    assert "immutability_state cannot change" in document["warnings"][0]["message"]

    entering = step("update", "BackupVault", "vault", {**old, "immutability_state": "Unlocked"}, old)
    code, document = run(tmp_path, [entering])
    assert code == 0, "one-way settings are medium"
    assert [w["code"] for w in document["warnings"]] == ["one-way"]
    assert run(tmp_path, [entering], "--fail-on", "medium")[0] == 1


def test_an_allowed_vault_replacement_refused_for_its_soft_deleted_instances_says_the_two_steps(
    tmp_path: Path,
) -> None:
    """The provider refuses an allowed same-name replacement of a vault with backup instances under soft delete; the
    review says the same two steps, listing the instances when it has them (an export), else without them."""
    old = {**BASE, "arm_id": VAULT, "soft_delete_state": "On", "soft_delete_retention_days": 14.0}
    new = {**BASE, "redundancy": "GeoRedundant", "soft_delete_state": "On", "allow_replace_with_data": True}
    code, document = run(tmp_path, [step("update", "BackupVault", "vault", old, new)])
    [refused] = document["warnings"]
    assert code == 1 and refused["code"] == "refused"
    assert refused["message"] == f"{wording.REFUSED}: {wording.vault_replacement_steps('On', 14, None)}"
    assert "1. set soft_delete_state='Off' on the vault and run `pulumi up`; 2. run this change" in refused["message"]

    code, document = run(
        tmp_path, [step("update", "BackupVault", "vault", old, {**new, "allow_replace_with_data": False})]
    )
    assert "set allow_replace_with_data=True only if losing them is intended" in document["warnings"][0]["message"]


def test_a_deleted_instance_warns_of_its_recovery_points(tmp_path: Path) -> None:
    old = {"name": "bi", "vault_id": VAULT, "on_delete": "Delete", "datasource_kind": "aks"}
    code, document = run(tmp_path, [step("delete", "BackupInstance", "bi", old, None)])
    assert code == 1 and [w["code"] for w in document["warnings"]] == ["backups-deleted"]
    kept = {**old, "on_delete": "StopProtectionRetainData"}
    code, document = run(tmp_path, [step("delete", "BackupInstance", "bi", kept, None)])
    assert code == 0 and document["warnings"] == []


def test_input_that_is_not_a_preview_is_a_usage_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    assert main(["review", str(bad)]) == 2


def test_a_destroy_an_immutable_vault_refuses_is_warned(tmp_path: Path) -> None:
    """Issue 24: instances with on_delete=Delete failed at destroy in an immutable vault; review said nothing."""
    vault = {**BASE, "arm_id": VAULT, "immutability_state": "Locked"}
    old = {"name": "bi", "vault_id": VAULT, "on_delete": "Delete", "datasource_kind": "aks"}
    steps = [step("delete", "BackupInstance", "bi", old, None), step("delete", "BackupVault", "vault", vault, None)]
    code, document = run(tmp_path, steps)
    warned = [w for w in document["warnings"] if w["code"] == "immutable-delete"]
    assert code == 1 and len(warned) == 1 and "its vault is immutable (Locked)" in warned[0]["message"]
    kept = {**old, "on_delete": "StopProtectionRetainData"}
    _, document = run(tmp_path, [step("delete", "BackupInstance", "bi", kept, None), steps[1]])
    assert "immutable-delete" not in [w["code"] for w in document["warnings"]]


def test_a_create_that_resumes_or_undeletes_is_warned(tmp_path: Path) -> None:
    new = {"name": "bi", "vault_id": VAULT, "on_delete": "Retain", "datasource_kind": "aks"}
    for taken in ("resumes the interrupted create of this resource", "undeletes the soft-deleted instance"):
        _, document = run(tmp_path, [step("create", "BackupInstance", "bi", None, {**new, "adoption": taken})])
        warned = [w for w in document["warnings"] if w["code"] == "take-over"]
        assert len(warned) == 1 and taken in warned[0]["message"]
    _, document = run(tmp_path, [step("create", "BackupInstance", "bi", None, new)])
    assert document["warnings"] == []


def test_protection_changes_and_adopted_stopped_instances_are_warned(tmp_path: Path) -> None:
    """Issue 25: review said nothing of an adopted stopped instance nor of a suspended instance being resumed, and a
    take-back of this stack's suspended instance read as an interrupted create."""
    old = {"name": "bi", "vault_id": VAULT, "datasource_kind": "aks", "protection": "suspended", "on_delete": "Retain"}
    _, document = run(tmp_path, [step("update", "BackupInstance", "bi", old, {**old, "protection": "configured"})])
    (warned,) = document["warnings"]
    assert warned["code"] == "protection" and warned["severity"] == "medium"
    assert warned["message"].startswith("protection suspended -> configured: `up` resumes its backups (resumeBackups)")
    note = "its protection is ProtectionStopped in Azure: `up` keeps it stopped"
    adopted = {**old, "protection": None, "adoption": f"adopts the existing resource (destroy: Retain); {note}"}
    _, document = run(tmp_path, [step("create", "BackupInstance", "bi", None, adopted)])
    assert [(w["code"], w["message"]) for w in document["warnings"]] == [("protection", note)]
    back = "takes back this stack's instance, left BackupsSuspended by an earlier destroy"
    _, document = run(tmp_path, [step("create", "BackupInstance", "bi", None, {**old, "adoption": back})])
    assert [w["code"] for w in document["warnings"]] == ["take-over"]


def test_a_retained_resource_reads_as_forget_not_delete(tmp_path: Path) -> None:
    old = {**BASE, "arm_id": VAULT, "on_delete": "Retain", "adopt_existing": True}
    retained = step("delete", "BackupVault", "vault", old, None)
    by_option = step("delete", "BackupVault", "other", {**old, "on_delete": "Delete"}, None)
    by_option["oldState"]["retainOnDelete"] = True
    deleted = step("delete", "BackupVault", "gone", {**old, "on_delete": "Delete"}, None)

    _, document = run(tmp_path, [retained, by_option, deleted])

    actions = {r["name"]: (r["action"], r["reason"]) for r in document["resources"]}
    assert actions["vault"] == ("forget", "on_delete is Retain: only the stack forgets it")
    assert actions["other"] == ("forget", "retain_on_delete is set: only the stack forgets it")
    assert actions["gone"][0] == "delete"
    assert document["counts"] == {"forget": 2, "delete": 1}
    assert [w["resource"] for w in document["warnings"] if w["code"] == "backups-deleted"] == ["BackupVault 'gone'"]
    comment = (tmp_path / "review.md").read_text(encoding="utf-8")
    assert "2 to forget (kept in Azure)" in comment and "BackupVault 'vault': forget \\(kept in Azure\\)" in comment
    assert run(tmp_path, [retained])[1]["audit"]["fixed"] == [], "a resource kept in Azure fixes no finding"


def test_field_paths_index_lists_in_the_programs_order(tmp_path: Path) -> None:
    """Policy rules are compared as a set (sorted); the review names them by their place in the program."""
    daily = [TaggedRetention("Daily", "P7D", first_of("day"))]
    old = {"name": "p", "vault_id": VAULT, **aks_policy(Schedule.hourly(4), Retention("P7D"), tagged=daily)}
    new = {**old, **aks_policy(Schedule.hourly(4), Retention("P14D"), tagged=daily)}
    assert [r["name"] for r in new["policy_rules"]] == ["BackupHourly", "Default", "Daily"]

    _, document = run(tmp_path, [step("update", "BackupPolicy", "aks", old, new)])

    fields = document["resources"][0]["fields"]
    assert [(f["path"], f["old"], f["new"]) for f in fields if f["path"].startswith("policy_rules")] == [
        ("policy_rules[1].lifecycles[0].delete_after", "P7D", "P14D")
    ]
