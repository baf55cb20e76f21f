"""The protection seam of BackupInstance: what an instance's ``protection`` input asks (configured, suspended,
stopped) and the instance actions that get it there (suspendBackups, stopProtection, resumeBackups,
resumeProtection, each confirmed after an ambiguous failure), the wait for protection to be configured, the message
when Azure could not configure it, and the preview's warnings about protection changes.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from typing import Any

from pulumi_dataprotection.arm import AmbiguousActionError, Deadline, ResourceId
from pulumi_dataprotection.dynamic import Context, ResourceFailure, wait_until
from pulumi_dataprotection.dynamic.engine import preview_warning
from pulumi_dataprotection.guard import mua, operations
from pulumi_dataprotection.instance import states
from pulumi_dataprotection.instance.schema import protection_of
from pulumi_dataprotection.schema import OUTPUT_ONLY, Field, ListType, ObjectType, SchemaDiff, StringType

CONFIRM_FOR = 60.0
"""How long the state an ambiguous action should have produced is looked for (within the operation's deadline)."""

_TOOK_EFFECT: dict[str, Callable[[str], bool]] = {
    "stopProtection": lambda state: states.meaning(state) == "stopped",
    "suspendBackups": lambda state: states.meaning(state) == "suspended",
    "resumeProtection": lambda state: states.meaning(state) in ("configured", "busy"),
    "resumeBackups": lambda state: states.meaning(state) in ("configured", "busy"),
}
"""Per instance action, whether the instance's currentProtectionState shows the action took effect."""


def _title(action: str) -> str:
    """``suspend backups`` for ``suspendBackups``: how operations and messages name an action."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", action).lower()


_CRITICAL = {"suspended": operations.SUSPEND_BACKUPS, "stopped": operations.STOP_PROTECTION}
_PROTECTION_ACTIONS = {p: (a, _title(a), _CRITICAL[p]) for p, a in states.ACTIONS.items()}
"""The action that takes an instance to a ``protection`` value, its title, and the critical operation it is under a
resource guard."""
_RESUME_FROM = {p: (a, _title(a)) for p, a in states.RESUMES.items()}
"""The action that takes a suspended or stopped instance back to configured, and its title."""

PROTECTION_ERROR = ObjectType(
    [
        Field(name="code", type=StringType(), doc="Azure's error code.", mutability=OUTPUT_ONLY),
        Field(name="message", type=StringType(), doc="Azure's message.", mutability=OUTPUT_ONLY),
        Field(
            name="recommended_action", type=ListType(StringType()), doc="What Azure recommends.", mutability=OUTPUT_ONLY
        ),
    ],
    description="a protection error",
)
"""The ``protection_error`` output (see :func:`protection_error`)."""


def protection_error(details: Any) -> dict[str, Any] | None:
    """``{code, message, recommended_action}`` from ``protectionErrorDetails`` (a UserFacingError), or None."""
    if not isinstance(details, Mapping) or not (details.get("code") or details.get("message")):
        return None
    actions = details.get("recommendedAction")
    if isinstance(actions, str):
        actions = [actions]
    return {
        "code": details.get("code"),
        "message": details.get("message"),
        "recommended_action": [str(a) for a in actions or [] if a],
    }


class Protection:
    """The instance provider's protection actions and waits (mixed into ``InstanceProvider``)."""

    @staticmethod
    def _warn_protection(olds: Mapping[str, Any], news: Mapping[str, Any], diff: SchemaDiff) -> None:
        """A preview warning for every change of protection: what Azure has, what the program wants, what `up`
        sends and what it does to recovery points; and for a PUT of an instance that stays suspended or stopped."""
        label = f"BackupInstance {olds.get('name')!r}"
        before, wanted = olds.get("protection"), news.get("protection")
        state = olds.get("current_protection_state") or before
        effect = states.EFFECTS.get((str(before), str(wanted)))
        if "protection" in diff.changed and effect is not None:
            keep = f"; set protection={before!r} to keep it {before}" if wanted == "configured" else ""
            preview_warning(
                f"{label}: protection is {before} ({state} when last read from Azure) and {wanted} in the program: "
                f"`up` {effect}{keep}"
            )
        written = [n for n in diff.changed if n != "protection"]
        kept = wanted or before
        if written and kept in _PROTECTION_ACTIONS and before in _PROTECTION_ACTIONS:
            action = _PROTECTION_ACTIONS[str(kept)][0]
            preview_warning(
                f"{label}: changing {', '.join(written)} sends the instance's PUT while its protection is {before}; "
                f"a PUT configures protection again (the emulator does; Azure's answer is not recorded), so `up` "
                f"sends {action} right after it to keep the instance {kept}"
            )

    @staticmethod
    def _vault(inputs: Mapping[str, Any]) -> ResourceId:
        return ResourceId.parse(str(inputs["vault_id"]))

    def _get(self, ctx: Context, rid: ResourceId) -> dict[str, Any] | None:
        return ctx.client.get(rid.path, operation="read backup instance", resource=str(rid))

    def _wait_protection(
        self,
        ctx: Context,
        rid: ResourceId,
        inputs: Mapping[str, Any],
        timeout: Deadline,
        *,
        settled: bool = False,
        written: Mapping[str, Any] | None = None,
        cadence: float | None = None,
        after_put: bool = False,
    ) -> dict[str, Any]:
        """The instance body once protection is configured (at once when ``wait_for_protection`` is off); with
        ``settled``, once Azure is no longer configuring or updating it (whatever the outcome). ``written`` is the
        body the write's operation ended with (the first state, without a GET); ``cadence`` its Retry-After;
        ``after_put``: a suspended or stopped state ends the wait too (a PUT may leave the instance so; the caller
        resumes it when the program wants it configured)."""
        last: dict[str, Any] = {}
        own = written is not None and str(written.get("id", "")).lower() == str(rid).lower()
        first = [dict(written)] if own and written and isinstance(written.get("properties"), Mapping) else []

        def probe() -> tuple[bool, str]:
            body = first.pop() if first else self._get(ctx, rid)
            if body is None:
                raise ResourceFailure(f"{ctx.label} disappeared while its protection was being configured ({rid})")
            last.clear()
            last.update(body)
            props = body.get("properties") or {}
            state = str(props.get("currentProtectionState") or "")
            if settled:
                return not states.is_busy(state), state
            if states.meaning(state) == "failed":
                raise ResourceFailure(self._protection_message(ctx, rid, props))
            if after_put and states.meaning(state) in ("suspended", "stopped"):  # the caller resumes it if wanted
                return True, state
            return states.meaning(state) == "configured" or not inputs.get("wait_for_protection", True), state

        wait_until(ctx, what=f"protection of {ctx.label}", probe=probe, timeout=timeout, cadence=cadence)
        return dict(last)

    @staticmethod
    def _protection_message(ctx: Context, rid: ResourceId, props: Mapping[str, Any]) -> str:
        error = protection_error(props.get("protectionErrorDetails")) or protection_error(
            (props.get("protectionStatus") or {}).get("errorDetails")
        )
        state = props.get("currentProtectionState")
        lines = [f"{ctx.label}: Azure could not configure protection (currentProtectionState {state})"]
        if error:
            lines.append(f"  {error['code']}: {error['message']}")
            lines.extend(f"  recommended action: {a}" for a in error["recommended_action"])
        lines.append(f"  resource: {rid}")
        lines.append(
            "  what to do: fix the cause (often a missing role of the vault's managed identity on the datasource or "
            "snapshot resource group), then run `pulumi up` again: the instance was left in Azure and is updated "
            "in place on the next run."
        )
        return "\n".join(lines)

    def _act(
        self,
        ctx: Context,
        rid: ResourceId,
        path: str,
        operation: str,
        deadline: Deadline,
        *,
        body: Any = None,
        auxiliary: bool = False,
    ) -> None:
        """POST an instance action once (``body``: its request, e.g. a resource guard's operation request;
        ``auxiliary``: send the auxiliary tenants' tokens). After an ambiguous failure (it may have reached Azure)
        the action is not sent again: the instance is read until it shows the action's effect, else
        ResourceFailure."""
        try:
            ctx.client.execute(
                "POST", path, body, operation=operation, resource=str(rid), timeout=deadline, auxiliary=auxiliary
            )
        except AmbiguousActionError as exc:
            self._confirm(ctx, rid, path.rsplit("/", 1)[-1], exc, deadline)

    def _confirm(
        self, ctx: Context, rid: ResourceId, action: str, exc: AmbiguousActionError, deadline: Deadline
    ) -> None:
        took_effect = _TOOK_EFFECT.get(action)
        until = min(deadline.at, time.monotonic() + CONFIRM_FOR)
        attempt, state = 0, "not found"
        while True:
            body = self._get(ctx, rid)
            if body is not None:
                state = str((body.get("properties") or {}).get("currentProtectionState") or "")
                if took_effect is None or took_effect(state):  # undelete: the live instance is back
                    return
            if time.monotonic() >= until:
                raise ResourceFailure(
                    f"{ctx.label}: {exc}\nThe instance is {state!r} since then, so the {action} apparently did not "
                    f"take effect; it was not sent again. Check the instance in Azure, then run the same `pulumi` "
                    "command again to retry."
                ) from exc
            time.sleep(max(0.0, min(ctx.client.settings.poll.backoff(attempt), until - time.monotonic())))
            attempt += 1

    @staticmethod
    def _wanted(inputs: Mapping[str, Any], found: Mapping[str, Any] | None = None) -> str | None:
        """The protection the program wants: its input, else (adopted without it) what Azure has in ``found``."""
        wanted = inputs.get("protection")
        if wanted is None and found is not None:
            wanted = protection_of((found.get("properties") or {}).get("currentProtectionState"))
        return str(wanted) if wanted is not None else None

    def _set_protection(
        self, ctx: Context, rid: ResourceId, inputs: Mapping[str, Any], body: Mapping[str, Any], operation: str
    ) -> dict[str, Any]:
        """Take the instance (as ``body`` shows it) to the protection the inputs want: suspendBackups,
        stopProtection, or resumeBackups / resumeProtection (then wait for protection); the instance's body after."""
        wanted = inputs.get("protection")
        current = protection_of((body.get("properties") or {}).get("currentProtectionState"))
        if wanted is None or current is None or current == wanted:
            return dict(body)
        deadline = ctx.timeout(operation)
        if wanted == "configured":
            action, title = _RESUME_FROM[current]
            self._act(ctx, rid, rid.action(action), title, deadline)
            return self._wait_protection(ctx, rid, inputs, deadline)
        action, title, critical = _PROTECTION_ACTIONS[str(wanted)]

        def send(requests: list[str]) -> None:
            request = {"resourceGuardOperationRequests": requests} if requests else None
            self._act(ctx, rid, rid.action(action), title, deadline, body=request, auxiliary=bool(requests))

        mua.run_guarded(ctx, critical, self._vault(inputs), send)
        found = self._get(ctx, rid)
        if found is None:
            raise ResourceFailure(f"{ctx.label} disappeared after {title} ({rid})")
        return found
