"""What every resource class shares: the outputs every provider returns, the property bag (inputs plus every output
as a None placeholder, so each one becomes an attribute), the owner marker of adoptable resources, a clear error
for ``import_=``, resource options that keep secret fields secret, Pulumi's ``retain_on_delete`` for ``on_delete``
Retain, and the SDK/CLI drift warning."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi.dynamic import Resource

from pulumi_dataprotection.dynamic.adoption import OWNER_KEY, owner_marker
from pulumi_dataprotection.dynamic.engine import SchemaProvider
from pulumi_dataprotection.dynamic.versions import warn_on_drift

MODULE = "dataprotection"
"""The module of every type token: ``pulumi-python:dynamic/dataprotection:<Name>``."""


RETAINED = pulumi.ResourceOptions(retain_on_delete=True)
"""The option of a resource whose ``on_delete`` is Retain: the engine then plans its delete as what it is (the
provider's delete would return at once anyway), and its preview shows it so."""


class ArmResource(Resource):
    """Base of the package's resources: the outputs every provider returns (``engine.COMMON_OUTPUTS``)."""

    arm_id: pulumi.Output[str]
    api_version: pulumi.Output[str]
    provisioning_state: pulumi.Output[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Evaluate the class's output annotations once: the SDK reads them (``typing.get_type_hints``) at every
        registration of a resource, which evaluated each annotation string again (0.6 ms per BackupInstance)."""
        super().__init_subclass__(**kwargs)
        cls.__annotations__ = evaluated_annotations(cls)

    def __init__(
        self,
        provider: SchemaProvider,
        name: str,
        props: Mapping[str, Any],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """Refuse ``import_=`` with a message that says what works; add the owner marker when the provider uses
        it (see :mod:`pulumi_dataprotection.dynamic.adoption`); warn once when the Pulumi SDK is newer than the CLI
        (:mod:`pulumi_dataprotection.dynamic.versions`)."""
        warn_on_drift()
        title = provider.title
        if opts is not None and opts.import_:
            raise ImportNotSupportedError(
                f"{title} {name!r}: ResourceOptions(import_={opts.import_!r}) cannot work: Pulumi cannot import "
                "dynamic resources. Remove import_ and adopt the existing resource instead: set "
                "adopt_existing=True and on_delete ('Retain' or 'Delete') on it, or generate a program that adopts a "
                "whole vault with `pulumi-dataprotection import --vault-id <vault id>`."
                if provider.adoptable
                else f"{title} {name!r}: ResourceOptions(import_=...) cannot work: Pulumi cannot import dynamic "
                "resources, and there is nothing to adopt for this resource; remove import_."
            )
        bag = dict(props)
        if props.get("on_delete") == "Retain":
            opts = pulumi.ResourceOptions.merge(opts or pulumi.ResourceOptions(), RETAINED)
        if provider.marks_owner:
            bag[OWNER_KEY] = owner_marker(pulumi.get_project(), pulumi.get_stack(), title, name)
        super().__init__(provider, name, bag, opts)


def evaluated_annotations(cls: type) -> dict[str, Any]:
    """``cls``'s own annotations with the strings (``from __future__ import annotations``) evaluated in its module;
    when one cannot be evaluated yet they stay strings, which the SDK evaluates then."""
    try:
        return inspect.get_annotations(cls, eval_str=True)
    except NameError:
        return inspect.get_annotations(cls)


class ImportNotSupportedError(ValueError):
    """``import_=`` on a resource of this package (Pulumi cannot import dynamic resources)."""


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
