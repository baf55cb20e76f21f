"""Resources that may find what they would create already there (a role assignment, a trusted-access binding): they
record it as ``preexisting``, never change it and leave it in place on destroy. The base class keeps that mark
through outputs and reads; each provider decides what counts as the same thing when it creates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from pulumi_dataprotection.arm import ResourceId
from pulumi_dataprotection.dynamic.engine import Context, SchemaProvider
from pulumi_dataprotection.schema import OUTPUT_ONLY, BoolType, Field

PREEXISTING = "preexisting"


def preexisting_output(what: str) -> Field:
    """The ``preexisting`` output of a resource whose Azure counterpart is ``what`` (a grant, a binding)."""
    return Field(
        name=PREEXISTING,
        type=BoolType(),
        doc=f"True when the same {what} existed before this resource: it is not changed and not deleted on destroy.",
        mutability=OUTPUT_ONLY,
    )


class KeepsPreexisting(SchemaProvider):
    """A provider whose outputs carry the ``preexisting`` mark and its fixed ``api_version``."""

    api_version: ClassVar[str]

    def outputs(
        self, ctx: Context, rid: ResourceId, base: Mapping[str, Any], body: Mapping[str, Any]
    ) -> dict[str, Any]:
        out = super().outputs(ctx, rid, base, {k: v for k, v in body.items() if k != PREEXISTING})
        out["api_version"] = self.api_version
        out[PREEXISTING] = bool(body.get(PREEXISTING))
        return out

    @staticmethod
    def marked(body: Mapping[str, Any] | None, props: Mapping[str, Any]) -> dict[str, Any] | None:
        """``body`` as read from Azure with the state's ``preexisting`` mark (None when it is gone)."""
        return None if body is None else {**body, PREEXISTING: bool(props.get(PREEXISTING))}
