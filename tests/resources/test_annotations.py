"""The resource classes' output annotations are evaluated once, when the class is made: the SDK reads them at every
registration of a resource (``pulumi._types.resource_types``), where strings cost an evaluation each time."""

from __future__ import annotations

import pulumi
from pulumi import _types

import pulumi_dataprotection
from pulumi_dataprotection.dynamic.resource import ArmResource
from pulumi_dataprotection.instance import api as instance_api


def test_the_output_annotations_of_every_resource_class_are_evaluated() -> None:
    for name in pulumi_dataprotection.__all__:
        if name == "__version__":
            continue
        cls = getattr(pulumi_dataprotection, name)
        if not (isinstance(cls, type) and issubclass(cls, ArmResource)):
            continue  # the BackupPermissions component and its Datasource are not dynamic resources
        strings = [k for k, v in cls.__annotations__.items() if isinstance(v, str)]
        assert strings == [], f"{name}: annotations left as strings: {strings}"


def test_the_sdk_still_reads_the_output_types() -> None:
    cls = pulumi_dataprotection.BackupInstance
    assert cls.__annotations__["datasource_kind"] == pulumi.Output[instance_api.DatasourceKind]
    types = _types.resource_types(cls)
    assert types["datasource_kind"] is instance_api.DatasourceKind
    assert types["name"] is str
