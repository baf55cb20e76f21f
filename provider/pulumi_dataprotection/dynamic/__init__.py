"""The generic dynamic-provider engine shared by every resource (see :mod:`pulumi_dataprotection.dynamic.engine`)."""

from pulumi_dataprotection.dynamic.engine import (
    COMMON_OUTPUT_FIELDS,
    COMMON_OUTPUTS,
    Context,
    PlanError,
    ResourceFailure,
    SchemaProvider,
    clean,
    has_unknown,
    wait_until,
)
from pulumi_dataprotection.dynamic.fields import TIMEOUT_RULE, TIMEOUTS, extend
from pulumi_dataprotection.dynamic.resource import (
    MODULE,
    ArmResource,
    ImportNotSupportedError,
    resource_options,
    resource_props,
)

__all__ = [
    "COMMON_OUTPUTS",
    "COMMON_OUTPUT_FIELDS",
    "MODULE",
    "TIMEOUTS",
    "TIMEOUT_RULE",
    "ArmResource",
    "Context",
    "ImportNotSupportedError",
    "PlanError",
    "ResourceFailure",
    "SchemaProvider",
    "clean",
    "extend",
    "has_unknown",
    "resource_options",
    "resource_props",
    "wait_until",
]
