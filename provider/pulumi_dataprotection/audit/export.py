"""Read a ``pulumi stack export`` document into the Data Protection resources it holds, with secrets redacted.

The document is validated with pydantic models of what Pulumi writes (:class:`Deployment`, :class:`RawResource`),
tolerant by design: the deployment may be wrapped (``{"version": 3, "deployment": {...}}``) or not, or be a backend
checkpoint (``checkpoint.latest``); resources of other providers, the pickled ``__provider`` blob and pending
deletions are left out; any output may be missing. Secret values (Pulumi's ``4dabf18193072939515e22adb298388d``
envelope, with ``ciphertext`` or ``plaintext``) are replaced by :data:`REDACTED` as soon as they are read.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

ResourceKind = Literal["vault", "policy", "instance", "adhoc", "guard", "guard_link"]

TYPE_PREFIX = "pulumi-python:dynamic/dataprotection:"
KIND_OF_TYPE: dict[str, ResourceKind] = {
    "BackupVault": "vault",
    "BackupPolicy": "policy",
    "BackupInstance": "instance",
    "AdhocBackup": "adhoc",
    "ResourceGuard": "guard",
    "VaultGuardLink": "guard_link",
}
SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d"
REDACTED = "[secret]"
_PROVIDER_KEY = "__provider"


class ExportError(ValueError):
    """The document is not a stack export."""


class ExportedResource(BaseModel):
    """One Data Protection resource of the export: its kind, URN, logical name, ARM id, outputs and inputs."""

    model_config = ConfigDict(frozen=True)

    kind: ResourceKind
    type: str
    urn: str
    name: str
    id: str | None
    outputs: Mapping[str, Any]
    inputs: Mapping[str, Any]

    def get(self, *keys: str) -> Any:
        """The first of ``keys`` that has a value in the outputs, else in the inputs; None when none has."""
        for source in (self.outputs, self.inputs):
            for key in keys:
                value = source.get(key)
                if value is not None and value != "":
                    return value
        return None

    @property
    def arm_id(self) -> str | None:
        """The resource's ARM id (``arm_id`` / ``id`` output, else the Pulumi id)."""
        value = self.get("arm_id", "id") or self.id
        return value if isinstance(value, str) and value.startswith("/") else None


class StackExport(BaseModel):
    """The Data Protection resources of one stack export and what was skipped."""

    model_config = ConfigDict(frozen=True)

    source: str
    project: str | None
    stack: str | None
    resources: tuple[ExportedResource, ...]
    other_resources: int = 0
    pending_deletion: int = 0
    unknown_types: tuple[str, ...] = ()

    def of_kind(self, kind: ResourceKind) -> list[ExportedResource]:
        """The resources of one kind, in export order."""
        return [r for r in self.resources if r.kind == kind]


def redact(value: Any) -> Any:
    """``value`` with every Pulumi secret envelope replaced by :data:`REDACTED` (recursively)."""
    if isinstance(value, Mapping):
        if SECRET_SIGNATURE in value:
            return REDACTED
        return {k: redact(v) for k, v in value.items() if k != _PROVIDER_KEY}
    if isinstance(value, list):
        return [redact(v) for v in value]
    return value


def _deployment(data: Any) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise ExportError("a stack export is a JSON object (the output of `pulumi stack export`)")
    for path in (("deployment",), ("checkpoint", "latest"), ()):
        node: Any = data
        for key in path:
            node = node.get(key) if isinstance(node, Mapping) else None
        if (
            isinstance(node, Mapping)
            and isinstance(node.get("resources", []), list)
            and ("resources" in node or "manifest" in node)
        ):
            return node
    raise ExportError("no deployment found: expected `deployment.resources` (the output of `pulumi stack export`)")


def _urn_parts(urn: str) -> tuple[str | None, str | None, str]:
    parts = urn.split("::")
    if len(parts) < 4 or not parts[0].startswith("urn:pulumi:"):
        return None, None, urn.rsplit("::", 1)[-1] if urn else ""
    return parts[0][len("urn:pulumi:") :], parts[1], parts[-1]


def _text(value: Any) -> str:
    return str(value or "")


def _mapping(value: Any) -> Any:
    return redact(value) if isinstance(value, Mapping) else {}


class RawResource(BaseModel):
    """One entry of ``deployment.resources`` as Pulumi writes it; malformed values read as absent."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    urn: Annotated[str, BeforeValidator(_text)] = ""
    type: Annotated[str, BeforeValidator(_text)] = ""
    id: Annotated[str | None, BeforeValidator(lambda v: v if isinstance(v, str) and v else None)] = None
    delete: Annotated[bool, BeforeValidator(bool)] = False
    """Pending deletion (a replaced resource not deleted yet)."""
    inputs: Annotated[dict[str, Any], BeforeValidator(_mapping)] = Field(default_factory=dict)
    """Redacted inputs."""
    outputs: Annotated[dict[str, Any], BeforeValidator(_mapping)] = Field(default_factory=dict)
    """Redacted outputs."""


class Deployment(BaseModel):
    """The ``deployment`` of a stack export: its resources (entries that are not objects are left out)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    resources: Annotated[
        list[RawResource],
        BeforeValidator(lambda v: [r for r in v if isinstance(r, Mapping)] if isinstance(v, list) else []),
    ] = Field(default_factory=list)


def parse_export(data: Any, *, source: str = "<export>") -> StackExport:
    """The Data Protection resources of a parsed stack export document."""
    deployment = Deployment.model_validate(_deployment(data))
    project = stack = None
    resources: list[ExportedResource] = []
    others = pending = 0
    unknown: list[str] = []
    for raw in deployment.resources:
        urn_stack, urn_project, name = _urn_parts(raw.urn)
        stack, project = stack or urn_stack, project or urn_project
        if not raw.type.lower().startswith(TYPE_PREFIX.lower()):
            others += 1
            continue
        if raw.delete:
            pending += 1
            continue
        short = raw.type[len(TYPE_PREFIX) :]
        kind = next((k for t, k in KIND_OF_TYPE.items() if t.lower() == short.lower()), None)
        if kind is None:
            unknown.append(raw.type)
            continue
        resources.append(
            ExportedResource(
                kind=kind, type=raw.type, urn=raw.urn, name=name, id=raw.id, outputs=raw.outputs, inputs=raw.inputs
            )
        )
    return StackExport(
        source=source,
        project=project,
        stack=stack,
        resources=tuple(resources),
        other_resources=others,
        pending_deletion=pending,
        unknown_types=tuple(unknown),
    )


def load_export(path: str | Path) -> StackExport:
    """Read and parse a stack export file; ExportError says what is wrong with it."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"cannot read stack export {path}: {exc.strerror or exc}") from exc
    return parse_export_text(text, source=str(path))


def parse_export_text(text: str, *, source: str) -> StackExport:
    """Parse stack export JSON text (``source`` names it in messages and the report)."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ExportError(f"{source} is not JSON ({exc}); produce it with `pulumi stack export`") from exc
    try:
        return parse_export(data, source=source)
    except ExportError as exc:
        raise ExportError(f"{source}: {exc}") from exc
