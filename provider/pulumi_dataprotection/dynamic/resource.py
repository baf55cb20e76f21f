"""What every resource class shares: the outputs every provider returns, the property bag (inputs plus every output
as a None placeholder, so each one becomes an attribute) and resource options that keep secret fields secret."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from pulumi_dataprotection.dynamic.engine import SchemaProvider

MODULE = "dataprotection"
"""The module of every type token: ``pulumi-python:dynamic/dataprotection:<Name>``."""


class ArmResource(Resource):
    """Base of the package's resources: the outputs every provider returns (``engine.COMMON_OUTPUTS``)."""

    arm_id: pulumi.Output[str]
    api_version: pulumi.Output[str]
    provisioning_state: pulumi.Output[str]


def resource_props(provider: type[SchemaProvider], resource_name: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """Inputs (None = not set) plus every input and output name, so all are readable as resource attributes; when
    none of the provider's ``named_by`` inputs is set, the first is the Pulumi resource name."""
    props: dict[str, Any] = dict(inputs)
    if provider.named_by and all(props.get(name) is None for name in provider.named_by):
        props[provider.named_by[0]] = resource_name
    for name in [*provider.input_names(), *provider.output_names()]:
        props.setdefault(name, None)
    return props


def resource_options(provider: type[SchemaProvider], opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions:
    """``opts`` plus ``additional_secret_outputs`` for the schema's secret fields."""
    secrets = provider.schema.secret_names
    extra = pulumi.ResourceOptions(additional_secret_outputs=secrets) if secrets else pulumi.ResourceOptions()
    return pulumi.ResourceOptions.merge(opts or pulumi.ResourceOptions(), extra)
