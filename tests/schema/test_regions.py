"""Regions: the data table, the spellings Azure accepts, the name Azure returns as the one sent, read and compared,
and a typo named with its closest regions at check time."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from pulumi_dataprotection.instance.schema import INSTANCE
from pulumi_dataprotection.schema import Ctx, LocationType
from pulumi_dataprotection.schema.regions import closest, region_name, regions
from pulumi_dataprotection.vault.schema import VAULT
from tests.schema.samples import instance_inputs, vault_inputs


def test_the_table_names_its_source_and_every_name_is_its_display_name_compacted() -> None:
    raw = json.loads(resources.files("pulumi_dataprotection").joinpath("data/regions.json").read_text())
    assert "az account list-locations" in raw["source"]
    names = [r["name"] for r in raw["regions"]]
    assert len(names) == len(set(names)) == len(regions()) >= 60
    for region in regions().values():
        assert region.name == region.display_name.replace(" ", "").lower()
    clouds = {r.cloud for r in regions().values()}
    assert clouds == {"AzureCloud", "AzureUSGovernment", "AzureChinaCloud"}


@pytest.mark.parametrize(
    ("spelling", "name"),
    [
        ("westeurope", "westeurope"),
        ("West Europe", "westeurope"),
        ("WestEurope", "westeurope"),
        ("WESTEUROPE", "westeurope"),
        ("  west   europe ", "westeurope"),
        ("East US 2", "eastus2"),
        ("US Gov Virginia", "usgovvirginia"),
        ("China North 3", "chinanorth3"),
        ("centraluseuap", "centraluseuap"),
    ],
)
def test_azure_spellings_resolve_to_the_name_azure_returns(spelling: str, name: str) -> None:
    assert region_name(spelling) == name
    checked = VAULT.check({**vault_inputs("minimal"), "location": spelling})
    assert checked.failures == []
    assert checked.inputs["location"] == name
    assert VAULT.to_rest({**vault_inputs("minimal"), "location": spelling})["location"] == name


@pytest.mark.parametrize("spelling", ["mars-north", "west-europe", "westeurop", "europe", "Germany Central", "", 7])
def test_unknown_regions_fail_check_on_the_property(spelling: object) -> None:
    failures = VAULT.check({**vault_inputs("minimal"), "location": spelling}).failures
    assert [f.property for f in failures] == ["location"]


def test_a_typo_names_the_closest_regions() -> None:
    (failure,) = VAULT.check({**vault_inputs("minimal"), "location": "westeurop"}).failures
    assert "'westeurop' is not an Azure region" in failure.reason
    assert "did you mean 'westeurope'" in failure.reason
    (failure,) = VAULT.check({**vault_inputs("minimal"), "location": "mars-north"}).failures
    assert "'mars-north' is not an Azure region (did you mean '" in failure.reason
    assert closest("mars-north")[0] in failure.reason
    assert closest("West-Europe")[0] == "westeurope"


def test_instance_datasource_location_is_checked_and_sent_as_the_name() -> None:
    inputs = instance_inputs("disk")
    (failure,) = INSTANCE.check({**inputs, "datasource_location": "mars-north"}).failures
    assert failure.property == "datasource_location"
    assert "not an Azure region" in failure.reason
    body = INSTANCE.to_rest({**inputs, "datasource_location": "North Europe"})
    assert body["properties"]["dataSourceInfo"]["resourceLocation"] == "northeurope"


def test_display_name_input_against_name_output_is_no_change() -> None:
    old = VAULT.check({**vault_inputs("minimal"), "location": "westeurope"}).inputs
    for spelling in ("West Europe", "WestEurope", "westeurope"):
        assert VAULT.diff(old, {**vault_inputs("minimal"), "location": spelling}).changed == []
    moved = VAULT.diff(old, {**vault_inputs("minimal"), "location": "North Europe"})
    assert moved.changed == moved.replaces == ["location"]


def test_read_back_uses_the_name_and_canonical_form_is_idempotent() -> None:
    body = {**VAULT.to_rest(vault_inputs("minimal")), "location": "West Europe"}
    assert VAULT.from_rest(body)["location"] == "westeurope"
    location = LocationType()
    ctx = Ctx()
    for value in ("West Europe", "westeurope", "Some New Region"):
        once = location.canonical(value, ctx)
        assert location.canonical(once, ctx) == once
    assert location.canonical("Some New Region", ctx) == "somenewregion"
