"""How our resources meet multi-user authorization: find a vault's guard, unlock a protected delete, and explain a
refusal (which guard, which operation, what to request) with Azure's code and message."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pulumi_dataprotection.arm import ArmError, ResourceId
from pulumi_dataprotection.dynamic import Context, ResourceFailure
from pulumi_dataprotection.guard.operations import CriticalOperation

LINKS = "backupResourceGuardProxies"
REFUSAL_CODES = frozenset({"linkedauthorizationfailed", "usererrorcriticaloperationunauthorized"})
"""Azure codes of a critical operation refused by a resource guard (ARM's linked access check; the service)."""


@dataclass(frozen=True)
class GuardLink:
    """A vault's link to its resource guard."""

    link_id: str
    guard_id: str


T = TypeVar("T")


def is_refusal(exc: ArmError) -> bool:
    """Whether an error is a resource guard refusing a critical operation."""
    return (exc.code or "").lower() in REFUSAL_CODES


def find_link(ctx: Context, vault: ResourceId) -> GuardLink | None:
    """The vault's guard link, or None when no guard protects the vault."""
    found = ctx.client.list(vault.collection(LINKS), operation="list resource guard links", resource=str(vault))
    for item in found:
        props: Mapping[str, Any] = item.get("properties") or {}
        guard = props.get("resourceGuardResourceId")
        if isinstance(guard, str) and guard and isinstance(item.get("id"), str):
            return GuardLink(str(item["id"]), guard)
    return None


def refusal(ctx: Context, exc: ArmError, op: CriticalOperation, vault: str, guard_id: str | None) -> ResourceFailure:
    """A failure that says which guard refused which operation, and what to request, with Azure's error."""
    guard = guard_id or "the vault's resource guard"
    request = op.request_id(guard_id) if guard_id else f"<guard id>/{op.request_type}/default"
    tenant = ""
    if exc.code == "LinkedAuthorizationFailed" and "auxiliary" in (exc.message or ""):
        tenant = (
            " The guard is in another tenant: configure dataprotection:auxiliaryTenantIds (or "
            "dataprotection:auxiliaryTokens) so its token is sent in x-ms-authorization-auxiliary."
        )
    return ResourceFailure(
        f"{ctx.label}: resource guard {guard} refused the protected operation '{op.action}' ({op.title}) on the "
        f"backup vault {vault}: {exc.code}: {exc.message}\n"
        f"What to do: ask the guard's owner (security admin) to approve your access to the request {request} on "
        "the resource guard (the Backup MUA Operator role, e.g. as a time-bound PIM assignment), then run again; "
        f"the provider sends the request itself.{tenant}"
    )


def unlock_delete(ctx: Context, link: GuardLink, op: CriticalOperation, target: str, vault: str) -> None:
    """POST unlockDelete on the link for ``target`` (the guard's linked access check), or explain the refusal."""
    body = {"resourceGuardOperationRequests": [op.request_id(link.guard_id)], "resourceToBeDeleted": target}
    try:
        ctx.client.execute(
            "POST",
            f"{ResourceId.parse(link.link_id).path}/unlockDelete",
            body,
            operation=f"unlock {op.title}",
            resource=target,
            timeout=ctx.timeout("delete"),
            auxiliary=True,
        )
    except ArmError as exc:
        if is_refusal(exc) or (exc.status or 0) in (400, 403):
            raise refusal(ctx, exc, op, vault, link.guard_id) from exc
        raise


def run_guarded(
    ctx: Context,
    op: CriticalOperation | tuple[CriticalOperation, ...],
    vault: ResourceId,
    call: Callable[[list[str]], T],
    *,
    unlock_target: str | None = None,
) -> T:
    """Run ``call`` (given the resource guard operation requests to send, none at first); when a guard refuses it,
    authorize it the way Azure asks (unlock ``unlock_target`` for a delete, else send the guard's request) and run it
    once more. A refusal that remains is explained (which guard, which operation, what to request). With several
    operations (a vault update may be any of them) the requests of all are sent; the first names the refusal."""
    ops = op if isinstance(op, tuple) else (op,)
    op = ops[0]
    try:
        return call([])
    except ArmError as exc:
        if not is_refusal(exc):
            raise
        link = find_link(ctx, vault)
        if link is None or exc.code == "LinkedAuthorizationFailed":
            raise refusal(ctx, exc, op, str(vault), link.guard_id if link else None) from exc
    if unlock_target is not None:
        unlock_delete(ctx, link, op, unlock_target, str(vault))
    try:
        return call([o.request_id(link.guard_id) for o in ops])
    except ArmError as exc:
        if is_refusal(exc):
            raise refusal(ctx, exc, op, str(vault), link.guard_id) from exc
        raise
