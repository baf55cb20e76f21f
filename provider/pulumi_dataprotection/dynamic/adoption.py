"""Explicit adoption: the inputs that take over an existing Azure resource (``adopt_existing``) and say what destroy
does to it (``on_delete``), the owner marker that lets a create interrupted by this stack resume, and the plan (field
by field) for a resource found in Azure before this stack created it.

Nothing that exists is taken over without ``adopt_existing``, except the leftover of this very resource's own
interrupted create: when the stack sets the secret ``dataprotection:ownerKey``, resources with tags are created with
the tag ``OWNER_TAG`` whose value is an HMAC, keyed with that secret, of the resource's identity (``__owner``: a hash of
the Pulumi project, stack, type and resource name, set by the resource class) and its ARM id. Names alone cannot
reproduce it: another backend with the same project and stack names, or anyone who copies a tag, has no key. Tags
written before the key existed (the bare identity hash, :func:`owner_marker`) are still stripped from outputs but never
resume anything. The marker is stripped from outputs and dropped by the next tag change.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pulumi_dataprotection.schema import OUTPUT_ONLY, BoolType, EnumType, Field, StringType

OWNER_KEY = "__owner"
"""Input carrying the owner marker of a resource (reserved: never part of the schema or the REST body)."""
OWNER_TAG = "pulumi-dataprotection-owner"
"""Tag written on create with the owner marker (vaults and backup instances)."""
ADOPTION = "adoption"
"""Output (and planned value in a preview) saying what happened to an existing resource."""

ADOPT_EXISTING = Field(
    name="adopt_existing",
    type=BoolType(),
    doc="Take over the existing resource of this name (created outside this stack) instead of refusing to: the "
    "first `up` writes nothing when it matches the inputs, else only the differences, which the preview lists field "
    "by field (in the `adoption` output). Needs an explicit `on_delete`.",
    default=False,
    diff=False,
)


ADOPTION_OUTPUT = Field(
    name=ADOPTION,
    type=StringType(),
    doc="What the create did with a resource that already existed (adopted it, with the differences it wrote, or "
    "resumed this stack's interrupted create); null for a resource this stack created.",
    mutability=OUTPUT_ONLY,
)


def on_delete_field(what: str) -> Field:
    """The ``on_delete`` input of a resource that can only be deleted or left in Azure."""
    return Field(
        name="on_delete",
        type=EnumType(["Delete", "Retain"]),
        doc=f"What destroying the resource does: Delete (delete the {what} in Azure) or Retain (leave it untouched "
        "and only forget it).",
        default="Delete",
    )


MARK_PREFIX = "k1-"
"""Prefix of keyed marks (a tag value without it is a pre-key identity hash, which never resumes anything)."""


def owner_marker(project: str, stack: str, type_name: str, resource_name: str) -> str:
    """The identity of one resource of one stack (a hash of names: anyone who knows the names can compute it, so
    it is only the message of the keyed mark, see :func:`stack_mark`)."""
    text = "\0".join((project, stack, type_name, resource_name))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def stack_mark(key: str | None, identity: Any, arm_id: str) -> str | None:
    """The owner tag value of the resource ``identity`` at ``arm_id`` for the stack holding the secret ``key``;
    None without a key or identity (then nothing is marked and nothing resumes)."""
    if not key or not isinstance(identity, str) or not identity:
        return None
    message = f"{identity}\0{arm_id.lower()}".encode()
    return MARK_PREFIX + hmac.new(key.encode(), message, hashlib.sha256).hexdigest()[:40]


def with_marker(inputs: dict[str, Any], owner: Any) -> dict[str, Any]:
    """A copy of ``inputs`` whose ``tags`` carry the owner marker; ``inputs`` itself without a marker."""
    if not isinstance(owner, str) or not owner:
        return inputs
    return {**inputs, "tags": {**(inputs.get("tags") or {}), OWNER_TAG: owner}}


def strip_marker(body: Mapping[str, Any]) -> Mapping[str, Any]:
    """``body`` without the owner tag (an empty tag map is dropped)."""
    tags = body.get("tags")
    if not isinstance(tags, Mapping) or OWNER_TAG not in tags:
        return body
    out = dict(body)
    rest = {k: v for k, v in tags.items() if k != OWNER_TAG}
    if rest:
        out["tags"] = rest
    else:
        out.pop("tags")
    return out


def owned_by(body: Mapping[str, Any], mark: str | None) -> bool:
    """Whether ``body`` carries the keyed mark ``mark`` (compared in constant time)."""
    tags = body.get("tags")
    found = tags.get(OWNER_TAG) if isinstance(tags, Mapping) else None
    return bool(mark) and isinstance(found, str) and hmac.compare_digest(found, str(mark))


def foreign_mark(body: Mapping[str, Any]) -> str | None:
    """A sentence about the owner tag ``body`` carries when it is not this stack's mark (for refusal messages)."""
    tags = body.get("tags")
    found = tags.get(OWNER_TAG) if isinstance(tags, Mapping) else None
    if not isinstance(found, str):
        return None
    return (
        f"It carries the ownership tag {OWNER_TAG} of another stack, of another backend with the same project and "
        "stack names, or of this stack from before dataprotection:ownerKey was set (a tag is never proof enough "
        "to take a resource over)."
    )


def missing_on_delete(raw: Mapping[str, Any]) -> str | None:
    """The check failure for ``adopt_existing`` without an explicit ``on_delete``, else None."""
    if raw.get("adopt_existing") is True and raw.get("on_delete") is None:
        return (
            "adopt_existing=True needs an explicit on_delete: what `pulumi destroy` does to the adopted resource "
            "(on_delete='Retain' leaves it in Azure, on_delete='Delete' deletes it)"
        )
    return None


def show(value: Any) -> str:
    """A value as one short line."""
    text = json.dumps(value, sort_keys=True, default=str)
    return text if len(text) <= 160 else text[:157] + "..."


@dataclass(frozen=True)
class Plan:
    """What a create does with a resource that already exists.

    ``kind``: "adopt" (``adopt_existing`` set), "resume" (this resource's own interrupted create) or "refuse";
    ``differences``: one line per property that differs (Azure -> program); ``changed``: the REST inputs the first
    ``up`` writes; ``impossible``: differences Azure cannot apply to an existing resource; ``notes``: what else the
    resource type says about the resource found (e.g. an instance's suspended protection); ``headline``: what a
    "resume" takes back when it is not an interrupted create.
    """

    kind: str
    message: str = ""
    differences: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    impossible: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    headline: str = ""

    def summary(self, on_delete: Any) -> str:
        """The ``adoption`` output: what the create does, and what destroy will do."""
        notes = "".join(f"; {n}" for n in self.notes)
        if self.kind == "resume":
            head = self.headline or (
                "resumes the interrupted create of this resource (it carries this stack's keyed ownership mark)"
            )
            return head + notes
        head = f"adopts the existing resource (destroy: {on_delete or 'Delete'})"
        if not self.differences:
            return f"{head}; it matches the program: nothing is written{notes}"
        return f"{head}; the first update writes: " + "; ".join(self.differences) + notes
