"""The REST paths the reference pages show come from the schemas: a flattened group's inputs sit under the group's
path, a derivation declares the paths it renders, and it renders nothing else for any datasource kind."""

from __future__ import annotations

import pytest

from pulumi_dataprotection.datasources import KINDS
from pulumi_dataprotection.instance.schema import INSTANCE
from pulumi_dataprotection.vault.schema import VAULT

SUB = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"


def test_flattened_inputs_sit_under_their_group_and_url_parts_have_no_body_path() -> None:
    paths = INSTANCE.root.rest_paths()
    assert paths["snapshot_volumes"] == (
        "properties.policyInfo.policyParameters.backupDatasourceParametersList[0].snapshotVolumes",
    )
    assert paths["policy_id"] == ("properties.policyInfo.policyId",)
    assert "name" not in paths and "vault_id" not in paths
    assert VAULT.root.rest_paths()["tags"] == ("tags",)


@pytest.mark.parametrize("key", sorted(KINDS))
def test_the_datasource_derivation_writes_only_the_paths_it_declares(key: str) -> None:
    kind = KINDS[key]
    (derivation,) = [d for d in INSTANCE.root.derivations if "datasource_id" in d.fields]
    values = {
        "datasource_kind": key,
        "datasource_id": f"{SUB}/providers/{kind.id_type}/ds1",
        "datasource_location": "westeurope",
        "database_name": "db1",
    }
    rendered = derivation.render(values)
    assert rendered and set(rendered) <= set(derivation.paths), (set(rendered), derivation.paths)
    for name in derivation.fields:
        assert INSTANCE.root.rest_paths()[name] == derivation.paths
