"""The generic engine on a small declared resource: paths, check, unknown values, mutability and diffs, groups and
conditions, derivations, the raw escape hatch, ids in URLs, secrets and content hashes."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from pulumi_dataprotection.schema import (
    CREATE_ONLY,
    OUTPUT_ONLY,
    UNKNOWN_STRING,
    AnyJson,
    ArmIdType,
    BoolType,
    Constant,
    Derivation,
    EnumType,
    Field,
    IdPart,
    IntType,
    InvalidInputs,
    ListType,
    ObjectType,
    ResourceSchema,
    Rule,
    StringType,
    UnionType,
    When,
    default_is_unknown,
    one_way,
)
from pulumi_dataprotection.schema.iso8601 import (
    canonical_datetime,
    canonical_repeating_interval,
    parse_duration,
    parse_repeating_interval,
)
from pulumi_dataprotection.schema.paths import deep_merge, get_path, parse_path, remainder, set_path

WIDGET_ID = "/subscriptions/6f3c1a52-0d2e-4c0b-9a7e-4d1b2c3d4e5f/resourceGroups/rg/providers/Contoso.Things/widgets/w1"


def _size_rule(values: dict[str, Any]) -> list[tuple[str, str]]:
    if values.get("mode") == "fast" and (values.get("size") or 0) > 10:
        return [("size", "size must be at most 10 when mode is fast")]
    return []


WIDGET = ResourceSchema(
    "Widget",
    ObjectType(
        [
            Field(
                name="name",
                type=StringType(min_length=1),
                doc="Name.",
                mutability=CREATE_ONLY,
                required=True,
                id_part=IdPart("last"),
                read_path="name",
            ),
            Field(
                name="group",
                type=StringType(),
                doc="Resource group.",
                mutability=CREATE_ONLY,
                id_part=IdPart("after", "resourceGroups"),
            ),
            Field(
                name="mode",
                type=EnumType(["fast", "Slow"], aliases={"quick": "fast"}),
                path="properties.mode",
                default="Slow",
            ),
            Field(name="size", type=IntType(minimum=1, maximum=100), path="properties.size"),
            Field(
                name="lock",
                type=EnumType(["Open", "Locked"]),
                path="properties.lock.state",
                mutability=one_way("Locked", reason="locks are permanent"),
                computed=True,
            ),
            Field(name="owner", type=ArmIdType(), path="properties.ownerId", mutability=CREATE_ONLY),
            Field(name="labels", type=ListType(StringType(), ordered=False, unique=True), path="properties.labels"),
            Field(name="password", type=StringType(), path="properties.secret.value", secret=True),
            Field(name="note", type=StringType(), path="properties.note", diff=False),
            Field(
                name="extras",
                type=ObjectType(
                    [
                        Field(name="turbo", type=BoolType(), path="turbo", default=True),
                        Field(name="level", type=IntType(), path="level"),
                    ],
                    constants=[Constant("objectType", "FastExtras")],
                ),
                path="properties.extras[0]",
                flatten=True,
                when=When.of("mode", "fast"),
            ),
            Field(
                name="steps",
                type=ListType(
                    UnionType(
                        {
                            "Wait": ObjectType(
                                [Field(name="seconds", type=IntType(minimum=0), path="seconds", required=True)]
                            ),
                            "Call": ObjectType(
                                [
                                    Field(
                                        name="url", type=StringType(pattern=r"^https://.*"), path="url", required=True
                                    ),
                                    Field(name="status", type=StringType(), path="status", mutability=OUTPUT_ONLY),
                                ]
                            ),
                        }
                    )
                ),
                path="properties.steps",
            ),
            Field(name="raw", type=AnyJson(object_only=True)),
            Field(name="id", type=StringType(), path="id", mutability=OUTPUT_ONLY),
            Field(name="state", type=StringType(), path="properties.provisioningState", mutability=OUTPUT_ONLY),
        ],
        constants=[Constant("properties.objectType", "Widget")],
        rules=[Rule(("mode", "size"), _size_rule)],
    ),
    raw_field="raw",
)

BASE = {"name": "w1", "group": "rg", "mode": "Slow", "size": 3}


def test_paths() -> None:
    assert parse_path("a.b[0].c") == ("a", "b", 0, "c")
    with pytest.raises(ValueError):
        parse_path("a..b[x]")
    body: dict[str, Any] = {}
    set_path(body, "p.list[1].v", 5)
    assert body == {"p": {"list": [{}, {"v": 5}]}}
    assert get_path(body, "p.list[1].v") == 5
    assert get_path(body, "p.list[7].v") is None
    assert deep_merge({"a": [1, {"b": 2}]}, {"a": [None, {"c": 3}], "d": 4}) == {"a": [1, {"b": 2, "c": 3}], "d": 4}
    assert remainder({"a": [{"x": 1, "y": 2}], "b": None}, {"a": [{"x": 1}]}) == {"a": [{"y": 2}]}
    assert remainder({"a": 1}, {"a": 2}) is None


def test_iso8601() -> None:
    assert parse_duration("p7d") is not None and parse_duration("p7d").text == "P7D"  # type: ignore[union-attr]
    assert parse_duration("PT5M").parts == (("m", 5.0),)  # type: ignore[union-attr]
    assert parse_duration("P5M").parts == (("M", 5.0),)  # type: ignore[union-attr]
    assert parse_duration("P") is None and parse_duration("7D") is None and parse_duration("PT") is None
    assert parse_repeating_interval("R/2024-01-01T02:00:00+00:00/P0D") is None
    assert parse_repeating_interval("R5/2024-01-01T02:00:00Z/PT4H").repetitions == 5  # type: ignore[union-attr]
    assert canonical_datetime("2019-03-01T05:00:00-08:00") == canonical_datetime("2019-03-01T13:00:00Z")
    assert canonical_repeating_interval("R/2024-01-01T02:00:00Z/pt4h") == "R/2024-01-01T02:00:00+00:00/PT4H"


def test_check_normalizes_and_applies_defaults() -> None:
    result = WIDGET.check({"name": "w1", "mode": "QUICK", "size": 4.0})
    assert result.failures == []
    assert result.inputs == {"name": "w1", "mode": "fast", "size": 4, "turbo": True}


def test_to_rest_renders_paths_groups_and_constants() -> None:
    body = WIDGET.to_rest({**BASE, "mode": "fast", "level": 2, "labels": ["b", "a"], "owner": WIDGET_ID})
    assert body == {
        "properties": {
            "objectType": "Widget",
            "mode": "fast",
            "size": 3,
            "labels": ["b", "a"],
            "ownerId": WIDGET_ID,
            "extras": [{"turbo": True, "level": 2, "objectType": "FastExtras"}],
        }
    }
    slow = WIDGET.to_rest(BASE)
    assert "extras" not in slow["properties"], "a group whose condition does not hold is not rendered"


def test_conditions_and_rules() -> None:
    failures = {f.property: f.reason for f in WIDGET.check({**BASE, "level": 1, "extra": 1}).failures}
    assert "level applies only when mode is fast" in failures["level"]
    assert "not a known property" in failures["extra"]
    failures = {f.property: f.reason for f in WIDGET.check({**BASE, "mode": "fast", "size": 50}).failures}
    assert failures == {"size": "size must be at most 10 when mode is fast"}
    bad_step = WIDGET.check({**BASE, "steps": [{"object_type": "Call", "url": "http://x"}, {"object_type": "Jump"}]})
    props = [f.property for f in bad_step.failures]
    assert props == ["steps[0].url", "steps[1].object_type"]
    assert "did you mean" in WIDGET.check({**BASE, "sise": 3}).failures[0].reason


def test_unknown_values_never_crash_check_or_diff() -> None:
    unknown = UNKNOWN_STRING
    inputs = {"name": "w1", "mode": unknown, "size": 50, "owner": unknown, "labels": ["a", unknown], "level": 3}
    result = WIDGET.check(inputs)
    assert result.failures == [], "rules and conditions depending on unknown values are skipped"
    old = WIDGET.from_rest(WIDGET.render(WIDGET.check({**BASE, "owner": WIDGET_ID}).inputs))
    diff = WIDGET.diff(old, inputs)
    assert set(diff.maybe_changed) == {"mode", "owner", "labels"}
    assert "owner" in diff.replaces and diff.details["owner"].unknown
    with pytest.raises(ValueError, match="unknown"):
        WIDGET.to_rest(inputs)


def test_unknown_predicate_is_pluggable_and_knows_pulumi() -> None:
    import pulumi.output

    assert default_is_unknown(pulumi.output.UNKNOWN) and default_is_unknown(UNKNOWN_STRING)
    assert not default_is_unknown("04da6b54") and not default_is_unknown(None)
    sentinel = object()
    result = WIDGET.check({**BASE, "size": sentinel}, is_unknown=lambda v: v is sentinel)
    assert result.failures == []
    assert WIDGET.check({**BASE, "size": sentinel}).failures[0].property == "size"
    assert WIDGET.diff(
        WIDGET.check(BASE).inputs, {**BASE, "size": sentinel}, is_unknown=lambda v: v is sentinel
    ).maybe_changed == ["size"]


def test_diff_kinds_replaces_and_canonical_forms() -> None:
    old = WIDGET.from_rest(
        {
            "id": f"{WIDGET_ID}",
            "properties": {
                "mode": "FAST",
                "size": 3.0,
                "labels": ["a", "b"],
                "ownerId": WIDGET_ID.upper().replace("SUBSCRIPTIONS", "subscriptions"),
                "note": "x",
                "extras": [{"turbo": True, "objectType": "FastExtras"}],
            },
        }
    )
    # Azure's spelling of an enum value is kept as read; it compares equal to "fast".
    assert old["name"] == "w1" and old["group"] == "rg" and old["mode"] == "FAST"
    same = {
        "name": "w1",
        "group": "rg",
        "mode": "fast",
        "size": 3,
        "labels": ["b", "a"],
        "owner": WIDGET_ID,
        "note": "y",
    }
    assert WIDGET.diff(old, same).changed == [], "casing of ids, set order, 3 vs 3.0 and request-only fields"
    diff = WIDGET.diff(old, {**same, "size": None, "labels": ["a"], "owner": WIDGET_ID + "x", "password": "s"})
    assert diff.changed == ["size", "owner", "labels", "password"]
    assert diff.replaces == ["owner"]
    assert diff.details["size"].kind == "delete" and diff.details["password"].kind == "add"
    assert diff.details["labels"].kind == "update" and not diff.details["labels"].replace


def test_one_way_and_computed() -> None:
    locked = WIDGET.from_rest({"properties": {"mode": "Slow", "size": 3, "lock": {"state": "Locked"}}, "id": WIDGET_ID})
    assert WIDGET.diff(locked, BASE).changed == [], "an omitted computed input keeps Azure's value"
    diff = WIDGET.diff(locked, {**BASE, "lock": "Open"})
    assert [v.path for v in diff.one_way_violations] == ["lock"]
    assert "locks are permanent" in diff.one_way_violations[0].message
    opened = WIDGET.from_rest({"properties": {"mode": "Slow", "size": 3, "lock": {"state": "Open"}}, "id": WIDGET_ID})
    entering = WIDGET.diff(opened, {**BASE, "lock": "Locked"})
    assert entering.one_way_violations == [] and entering.entering_one_way == ["lock"]


def test_nested_details_and_outputs_in_lists() -> None:
    body = {
        "id": WIDGET_ID,
        "properties": {"mode": "Slow", "steps": [{"objectType": "Call", "url": "https://a", "status": "done"}]},
    }
    values = WIDGET.from_rest(body)
    assert values["steps"] == [{"object_type": "Call", "url": "https://a", "status": "done"}]
    assert WIDGET.render(values, include_outputs=True) == {
        **body,
        "name": "w1",
        "properties": {**body["properties"], "objectType": "Widget"},
    }
    inputs = WIDGET.inputs_of(values)
    assert inputs["steps"] == [{"object_type": "Call", "url": "https://a"}] and "id" not in inputs
    assert WIDGET.outputs_of(values) == {"id": WIDGET_ID}
    diff = WIDGET.diff(values, {**inputs, "steps": [{"object_type": "Call", "url": "https://b"}]})
    assert list(diff.details) == ["steps[0].url"]
    assert (
        WIDGET.check({**inputs, "steps": [{"object_type": "Call", "url": "https://a", "status": "x"}]})
        .failures[0]
        .property
        == "steps[0].status"
    )


def test_raw_escape_hatch_is_lossless_and_guarded() -> None:
    body = {"id": WIDGET_ID, "properties": {"mode": "Slow", "size": 3, "futureFlag": {"on": True}, "labels": ["a"]}}
    values = WIDGET.from_rest(body)
    assert values["raw"] == {"properties": {"futureFlag": {"on": True}}}
    assert WIDGET.render(values, include_outputs=True)["properties"]["futureFlag"] == {"on": True}
    request = WIDGET.to_rest(WIDGET.inputs_of(values))
    assert request["properties"]["futureFlag"] == {"on": True}
    assert WIDGET.diff(values, WIDGET.inputs_of(values)).changed == []
    covered = WIDGET.check({**BASE, "raw": {"properties": {"size": 9, "newThing": 1}}}).failures
    assert [f.property for f in covered] == ["raw.properties.size"]


def test_derivations_render_and_parse() -> None:
    schema = ResourceSchema(
        "Pair",
        ObjectType(
            [
                Field(name="left", type=StringType(), required=True),
                Field(name="right", type=StringType(), required=True),
            ],
            derivations=[
                Derivation(
                    ("left", "right"),
                    lambda v: {"properties.pair": f"{v['left']}:{v['right']}"},
                    lambda body: dict(zip(("left", "right"), body["properties"]["pair"].split(":"), strict=True)),
                )
            ],
        ),
    )
    assert schema.to_rest({"left": "a", "right": "b"}) == {"properties": {"pair": "a:b"}}
    assert schema.from_rest({"properties": {"pair": "x:y"}}) == {"left": "x", "right": "y"}
    assert schema.content_hash({"left": "a", "right": "b"}) != schema.content_hash({"left": "a", "right": "c"})


def test_outputs_that_echo_a_derivation_are_kept_only_when_azure_differs() -> None:
    schema = ResourceSchema(
        "Echo",
        ObjectType(
            [
                Field(name="left", type=StringType(), path="properties.left", required=True),
                Field(name="pair", type=AnyJson(), path="properties.pair", mutability=OUTPUT_ONLY, as_derived=True),
            ],
            derivations=[Derivation(("left",), lambda v: {"properties.pair": {"left": v["left"]}}, lambda body: {})],
        ),
    )
    echoed = {"properties": {"left": "a", "pair": {"left": "a"}}}
    legacy = {"properties": {"left": "a", "pair": {"left": "A"}}}
    unreported = {"properties": {"left": "a"}}
    assert schema.from_rest(echoed) == {"left": "a"}, "an exact echo of the inputs is not stored"
    assert schema.from_rest(legacy) == {"left": "a", "pair": {"left": "A"}}, "Azure's own spelling is kept"
    assert schema.from_rest(unreported) == {"left": "a", "pair": {}}, "so is its silence"
    for body in (echoed, legacy, unreported):
        assert schema.render(schema.from_rest(body), include_outputs=True) == body, "reads back losslessly"


def test_introspection() -> None:
    assert WIDGET.secret_names == ["password"]
    assert WIDGET.create_only_names == ["name", "group", "owner"]
    assert "state" in WIDGET.output_names and "state" not in WIDGET.input_names
    assert "turbo" in WIDGET.input_names and WIDGET.field("turbo").when == When.of("mode", "fast")
    with pytest.raises(InvalidInputs) as error:
        WIDGET.to_rest({"size": 0})
    assert "name is required" in str(error.value) and "size must be an integer from 1 to 100" in str(error.value)


def test_content_hash_is_stable_and_order_insensitive() -> None:
    a = {"name": "w1", "mode": "fast", "labels": ["x", "y"], "size": 3}
    b = {"size": 3.0, "labels": ["y", "x"], "mode": "QUICK", "name": "other-name"}
    assert WIDGET.content_hash(a) == WIDGET.content_hash(b), "URL parts, key order, set order, notation"
    assert WIDGET.content_hash(a) != WIDGET.content_hash({**a, "size": 4})
    code = (
        "from tests.schema.test_engine import WIDGET; "
        "print(WIDGET.content_hash({'name': 'w1', 'mode': 'fast', 'labels': ['x', 'y'], 'size': 3}))"
    )
    other = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": "123"}
    )
    assert other.stdout.strip() == WIDGET.content_hash(a)
