"""Property-based tests: canonicalization is idempotent, what Azure echoes back diffs as no change, content hashes
ignore order, and neither arbitrary nor partly unknown inputs crash check or diff."""

from __future__ import annotations

import os
import random
from collections.abc import Mapping
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pulumi_dataprotection.datasources import KINDS
from pulumi_dataprotection.instance.schema import INSTANCE
from pulumi_dataprotection.policy.builders import (
    ArchiveTier,
    Criteria,
    Retention,
    Schedule,
    TaggedRetention,
    build_policy,
    first_of,
)
from pulumi_dataprotection.policy.schema import POLICY
from pulumi_dataprotection.schema import UNKNOWN_STRING, ResourceSchema
from pulumi_dataprotection.vault.schema import VAULT
from tests.schema.samples import RG, SUB, UAMI, VAULT_ID, echo_instance, echo_policy, echo_vault
from tests.support.spec import load_spec

SETTINGS = settings(
    max_examples=int(os.environ.get("SCHEMA_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
"""Fast by default; ``SCHEMA_EXAMPLES=2000`` explores much more."""

names = st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]", fullmatch=True)
name_sets = st.lists(names, min_size=1, max_size=4, unique=True)
resource_names = st.from_regex(r"[a-z][a-z0-9]{2,11}", fullmatch=True)
"""Datasource names valid for every kind (storage accounts allow only 3-24 lower-case letters and digits)."""


@st.composite
def vault_inputs(draw: st.DrawFn) -> dict[str, Any]:
    inputs: dict[str, Any] = {
        "name": draw(st.from_regex(r"[A-Za-z][-A-Za-z0-9]{0,20}[A-Za-z0-9]", fullmatch=True)),
        "resource_group_name": draw(st.from_regex(r"[A-Za-z0-9_]{1,20}", fullmatch=True)),
        "location": draw(st.sampled_from(["westeurope", "West Europe", "WestEurope", "eastus2", "East US 2"])),
        "redundancy": draw(st.sampled_from(["LRS", "GRS", "ZRS", "LocallyRedundant", "geoRedundant"])),
    }
    if draw(st.booleans()):
        inputs["soft_delete_state"] = draw(st.sampled_from(["Off", "On", "AlwaysOn", "on", True, "Enabled"]))
        inputs["soft_delete_retention_days"] = draw(st.integers(14, 180) | st.integers(14, 180).map(float))
    optional = {
        "immutability_state": st.sampled_from(["Disabled", "unlocked", "Locked"]),
        "cross_region_restore_state": st.booleans() | st.sampled_from(["Enabled", "disabled"]),
        "cross_subscription_restore_state": st.sampled_from(["Disabled", "Enabled", "PermanentlyDisabled"]),
        "alerts_for_all_job_failures": st.booleans(),
        "tags": st.dictionaries(names, st.text(max_size=10), max_size=3),
        "replicated_regions": st.lists(
            st.sampled_from(["westus", "northeurope", "japaneast"]), unique=True, max_size=2
        ),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            inputs[key] = draw(strategy)
    identity = draw(st.sampled_from(["", "SystemAssigned", "UserAssigned", "SystemAssigned, UserAssigned"]))
    if identity:
        inputs["identity_type"] = identity
    if "UserAssigned" in identity:
        inputs["user_assigned_identity_ids"] = [UAMI]
        if draw(st.booleans()):
            inputs.update(encryption_key_uri="https://kv.vault.azure.net/keys/k1/abc", encryption_identity_id=UAMI)
    return inputs


@st.composite
def instance_inputs(draw: st.DrawFn) -> dict[str, Any]:
    kind = KINDS[draw(st.sampled_from(sorted(KINDS)))]
    provider, *segments = kind.id_type.split("/")
    resource = draw(resource_names)
    parents = "".join(f"{segment}/{draw(resource_names)}/" for segment in segments[:-1])
    inputs: dict[str, Any] = {
        "name": f"bi-{resource}",
        "vault_id": VAULT_ID,
        "datasource_kind": kind.key,
        "datasource_id": f"{RG}/providers/{provider}/{parents}{segments[-1]}/{resource}",
        "policy_id": f"{VAULT_ID}/backupPolicies/{draw(names)}",
    }
    if draw(st.booleans()):
        inputs["datasource_location"] = draw(st.sampled_from(["westeurope", "West Europe"]))
    if draw(st.booleans()):
        inputs["tags"] = draw(st.dictionaries(names, st.text(max_size=8), max_size=2))
    if kind.needs_snapshot_resource_group or draw(st.booleans()):
        inputs["snapshot_resource_group_id"] = f"/subscriptions/{SUB}/resourceGroups/{draw(names)}"
    if kind.needs_database:
        inputs["database_name"] = draw(names)
        inputs["secret_store_uri"] = f"https://kv.vault.azure.net/secrets/{draw(names)}"
    auto = bool(kind.container_parameters) and draw(st.booleans())
    if auto:
        inputs["auto_protection"] = True
        if draw(st.booleans()):
            inputs["auto_protection_excluded_prefixes"] = draw(
                st.lists(st.from_regex(r"[a-z0-9-]{1,10}", fullmatch=True), min_size=1, max_size=3, unique=True)
            )
    elif kind.container_parameters and (kind.needs_containers or draw(st.booleans())):
        inputs["containers"] = draw(
            st.lists(st.from_regex(r"[a-z0-9]{3,10}", fullmatch=True), min_size=1, max_size=3, unique=True)
        )
    if kind.instance_parameters is not None:  # the kind's own inputs, as its example sets them
        inputs.update({f.name: kind.example[f.name] for f in kind.instance_parameters.leaves if f.name in kind.example})
    if kind.key == "aks":
        for key in ("included_namespaces", "excluded_namespaces", "label_selectors", "excluded_resource_types"):
            if draw(st.booleans()):
                inputs[key] = draw(name_sets)
        if draw(st.booleans()):
            inputs["snapshot_volumes"] = draw(st.booleans())
        if draw(st.booleans()):
            inputs["backup_hook_references"] = [{"name": draw(names), "namespace": draw(names)}]
    if draw(st.booleans()):
        inputs["user_assigned_identity_id"] = UAMI
    return inputs


durations = st.sampled_from(["P7D", "P14D", "P30D", "P4W", "p12w"])
vault_durations = st.sampled_from(["P30D", "P12W", "P6M", "P1Y", "P3Y"])


@st.composite
def policy_inputs(draw: st.DrawFn) -> dict[str, Any]:
    kind = KINDS[draw(st.sampled_from(sorted(KINDS)))]
    period = draw(st.sampled_from(kind.periods))
    start = draw(st.sampled_from(["2024-01-01T02:00:00+00:00", "2023-06-28T07:30:00Z", "2024-03-10T22:15:00-05:00"]))
    schedule = Schedule.custom(
        f"R/{start}/{period}", time_zone=draw(st.sampled_from([None, "UTC", "Coordinated Universal Time"]))
    )
    operational = kind.backup_datastores[0] == "OperationalStore"
    archive = draw(st.booleans()) and "ArchiveStore" in kind.copy_targets.get("VaultStore", ())
    retention = Retention(
        draw(durations if operational else vault_durations),
        archive=ArchiveTier(draw(vault_durations), after=draw(st.sampled_from([None, "P30D"]))) if archive else None,
        vault_copy_keep_for=draw(st.sampled_from([None, "P84D"])) if kind.key == "aks" else None,
    )
    tagged = []
    usual = ("Daily", "Weekly", "Monthly", "Yearly")
    for tag in draw(st.lists(st.sampled_from(usual), unique=True, max_size=len(usual))):
        criteria = draw(
            st.sampled_from(
                [
                    first_of({"Daily": "day", "Weekly": "week", "Monthly": "month", "Yearly": "year"}[tag]),
                    Criteria(days_of_week=("Sunday", "Monday"), weeks_of_month=("First",)),
                    Criteria(days_of_month=(1, 15, "Last"), months_of_year=("March", "January")),
                ]
            )
        )
        tagged.append(TaggedRetention(tag, draw(durations if operational else vault_durations), criteria))
    if kind.key == "blob" and draw(st.booleans()):
        built = build_policy("blob", schedule=None, retention=None, operational_retention=Retention(draw(durations)))
    else:
        built = build_policy(kind.key, schedule=schedule, retention=retention, tagged=tagged)
    return {"name": f"pol-{draw(names)}", "vault_id": VAULT_ID, **built}


def _echo(schema: ResourceSchema, inputs: Mapping[str, Any]) -> dict[str, Any]:
    body = schema.to_rest(inputs)
    if schema is VAULT:
        return echo_vault(body, inputs["name"], inputs["resource_group_name"])
    if schema is POLICY:
        return echo_policy(body, inputs["vault_id"], inputs["name"])
    return echo_instance(body, inputs["vault_id"], inputs["name"])


any_resource = st.one_of(
    vault_inputs().map(lambda i: (VAULT, i)),
    policy_inputs().map(lambda i: (POLICY, i)),
    instance_inputs().map(lambda i: (INSTANCE, i)),
)


DEFINITIONS = {
    "BackupVault": "BackupVaultResource",
    "BackupPolicy": "BaseBackupPolicyResource",
    "BackupInstance": "BackupInstanceResource",
}


@SETTINGS
@given(any_resource)
def test_generated_inputs_are_valid_and_canonicalization_is_idempotent(
    case: tuple[ResourceSchema, dict[str, Any]],
) -> None:
    schema, inputs = case
    result = schema.check(inputs)
    assert result.failures == []
    assert load_spec().validate(DEFINITIONS[schema.name], schema.to_rest(inputs), "request") == []
    assert schema.normalize(result.inputs) == result.inputs
    canonical = schema.canonicalize(inputs)
    assert schema.canonicalize(canonical) == canonical
    assert schema.canonicalize(result.inputs) == canonical
    assert schema.to_rest(result.inputs) == schema.to_rest(inputs)


@SETTINGS
@given(any_resource)
def test_server_shaped_read_back_diffs_as_no_change(case: tuple[ResourceSchema, dict[str, Any]]) -> None:
    schema, inputs = case
    values = schema.from_rest(_echo(schema, inputs))
    diff = schema.diff(values, inputs)
    assert diff.changed == [], diff.details
    read_inputs = schema.inputs_of(values)
    assert schema.diff(values, read_inputs).changed == []
    assert schema.canonicalize(read_inputs) == schema.canonicalize({**inputs, **read_inputs})


def _shuffled(value: Any, rng: random.Random) -> Any:
    if isinstance(value, dict):
        items = list(value.items())
        rng.shuffle(items)
        return {k: _shuffled(v, rng) for k, v in items}
    if isinstance(value, list):
        return [_shuffled(v, rng) for v in value]
    return value


@SETTINGS
@given(policy_inputs(), st.integers(0, 2**32))
def test_policy_content_hash_ignores_order_and_notation(inputs: dict[str, Any], seed: int) -> None:
    rng = random.Random(seed)
    shuffled = _shuffled(inputs, rng)
    rules = shuffled["policy_rules"]
    rng.shuffle(rules)
    for rule in rules:
        if "tagging_criteria" in rule:
            rng.shuffle(rule["tagging_criteria"])
    assert POLICY.content_hash(shuffled) == POLICY.content_hash(inputs)
    changed = {
        **inputs,
        "policy_rules": [*inputs["policy_rules"][:-1], {**inputs["policy_rules"][-1], "name": "Other"}],
    }
    assert POLICY.content_hash(changed) != POLICY.content_hash(inputs)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.just(UNKNOWN_STRING),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=8,
)


@SETTINGS
@given(st.sampled_from([VAULT, POLICY, INSTANCE]), st.data())
def test_arbitrary_inputs_never_crash(schema: ResourceSchema, data: st.DataObject) -> None:
    names = [*schema.input_names, "unexpected"]
    inputs = data.draw(st.dictionaries(st.sampled_from(names), json_values, max_size=6))
    result = schema.check(inputs)
    assert all(f.property and f.reason for f in result.failures)
    canonical = schema.canonicalize(inputs)
    assert schema.canonicalize(canonical) == canonical
    schema.diff(data.draw(st.dictionaries(st.sampled_from(names), json_values, max_size=6)), inputs)


def _with_unknown(value: Any, rng: random.Random) -> tuple[Any, bool]:
    """``value`` with one leaf replaced by Pulumi's unknown marker."""
    if isinstance(value, dict) and value:
        key = rng.choice(sorted(value))
        inner, _ = _with_unknown(value[key], rng)
        return {**value, key: inner}, True
    if isinstance(value, list) and value:
        i = rng.randrange(len(value))
        inner, _ = _with_unknown(value[i], rng)
        return [*value[:i], inner, *value[i + 1 :]], True
    return UNKNOWN_STRING, True


@SETTINGS
@given(any_resource, st.integers(0, 2**32))
def test_unknown_anywhere_is_maybe_changed_never_an_error(
    case: tuple[ResourceSchema, dict[str, Any]], seed: int
) -> None:
    schema, inputs = case
    rng = random.Random(seed)
    field = rng.choice(sorted(inputs))
    partial, _ = _with_unknown(inputs[field], rng)
    preview = {**inputs, field: partial}
    assert schema.check(preview).failures == []
    values = schema.from_rest(_echo(schema, inputs))
    diff = schema.diff(values, preview)
    if schema.field(field).diff:
        assert field in diff.maybe_changed
        assert diff.details[field].unknown
