"""The one generic dynamic-provider engine: check, diff, create, read, update and delete derived from a resource's
declarative schema, with small per-resource hooks for the REST calls that differ.

A provider object holds no state at all (no client, lock, secret or config): pulumi pickles it by reference into
every resource's ``__provider`` input. Each method resolves the configuration and the process-wide ARM client when
it runs; ``configure`` hands the stack config to :mod:`pulumi_dataprotection.config`.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from pulumi_dataprotection import config as config_module
from pulumi_dataprotection.arm import ArmError, Deadline, ResourceId
from pulumi_dataprotection.arm.deadline import bounded
from pulumi_dataprotection.config import ConfigError, ProviderConfig
from pulumi_dataprotection.dynamic import adoption, program, wording
from pulumi_dataprotection.dynamic.failures import named_paths, readable
from pulumi_dataprotection.schema import OUTPUT_ONLY, Ctx, Field, ResourceSchema, SchemaDiff, StringType
from pulumi_dataprotection.schema.unknown import contains_unknown, default_is_unknown

if TYPE_CHECKING:
    from pulumi_dataprotection.arm.client import ArmClient

JsonObject = dict[str, Any]
COMMON_OUTPUT_FIELDS = (
    Field(
        name="arm_id", type=StringType(), doc="ARM id of the resource (`id` is Pulumi's own).", mutability=OUTPUT_ONLY
    ),
    Field(
        name="api_version",
        type=StringType(),
        doc="The api-version the resource was written and read with.",
        mutability=OUTPUT_ONLY,
    ),
    Field(name="provisioning_state", type=StringType(), doc="Azure's provisioning state.", mutability=OUTPUT_ONLY),
)
"""The outputs every provider returns (declared on :class:`pulumi_dataprotection.dynamic.ArmResource`)."""
COMMON_OUTPUTS = tuple(f.name for f in COMMON_OUTPUT_FIELDS)
MANAGED = "__managed_inputs"
"""The state's list of the inputs the program set (inputs with a fixed default are always set and not listed): a
refresh keeps only these as inputs, so values Azure fills in for the others never show as removed in the next
preview. Its ``__`` prefix keeps it out of `pulumi preview --diff` (Pulumi hides internal keys), where it took a line
per input in every changed resource."""
LEGACY_MANAGED = "managed_inputs"
"""Where states written before the ``__`` prefix hold that list."""
_CTX = Ctx()
_ALWAYS_SET: dict[type, frozenset[str]] = {}


class PlanError(Exception):
    """Raised from ``review``: the planned change is impossible or would destroy data. The preview still completes
    (the change shows as an update of the properties concerned) and ``up`` refuses it before writing anything;
    when the replacement is forced by values not known yet (a dependency being replaced), the preview stops."""


class ResourceFailure(Exception):
    """An operation reached Azure but did not achieve what was asked; the message says what happened and what to do."""


EXPECTED = (ArmError, ResourceFailure, PlanError, ConfigError)
"""The failures the provider expects: the engine shows their message alone (see :mod:`.failures`)."""


@dataclass(frozen=True)
class Context:
    """What one provider call needs: the resolved configuration, the shared ARM client and timeouts.

    ``started`` is when the provider call began: every step of one create/update/delete (lock waits, requests,
    retries, polling, waits for protection or jobs) draws on the one time limit of that operation.
    """

    config: ProviderConfig
    client: ArmClient
    overrides: Mapping[str, Any]
    label: str
    started: float = field(default_factory=time.monotonic)

    def timeout(self, operation: str) -> Deadline:
        """The deadline of ``operation`` (create/update/delete/read): its limit counted from the start of this
        provider call; ResourceFailure when it has passed."""
        limit = self.config.timeout(operation, self.overrides)
        deadline = Deadline(self.started + limit, limit)
        if deadline.remaining() <= 0:
            raise ResourceFailure(
                f"{self.label}: the {operation} timeout of {limit:g}s ran out before the next step could start; "
                "Azure may still be working on the earlier steps: check the resource, run `pulumi refresh`, and "
                "raise the resource's `timeouts` (or `dataprotection:timeouts`) if this is expected to be slow"
            )
        return deadline

    def api_version(self, path: str) -> str:
        """The api-version requests to ``path`` use."""
        return self.client.settings.api_version_for(path)


def has_unknown(value: Any) -> bool:
    """Whether a value or anything inside it is unknown."""
    return contains_unknown(value, default_is_unknown)


def clean(props: Mapping[str, Any]) -> dict[str, Any]:
    """Properties without pulumi's reserved keys (``__provider``)."""
    return {k: v for k, v in props.items() if not k.startswith("__")}


def managed_list(props: Mapping[str, Any]) -> list[str] | None:
    """The inputs the program set, as the state ``props`` lists them (None in a state that does not)."""
    found = props.get(MANAGED, props.get(LEGACY_MANAGED))
    return [str(n) for n in found] if isinstance(found, list) else None


def managed(inputs: Mapping[str, Any]) -> list[str]:
    """Sorted names of the inputs set in ``inputs`` (defaults applied by check count as set)."""
    return sorted(k for k, v in inputs.items() if v is not None and not k.startswith("__"))


@dataclass(frozen=True)
class Plan:
    """A planned change: the schema diff, the inputs forcing a replacement, whether the old resource goes first
    (None: no replacement or not known yet) and the refusal message of an impossible or destructive change."""

    diff: SchemaDiff
    replaces: list[str]
    delete_first: bool | None
    refusal: str | None


class SchemaProvider(ResourceProvider):
    """Base of every provider: the lifecycle comes from ``schema``; subclasses implement the REST hooks.

    Class attributes: ``schema`` (the resource's fields, including provider-level knobs declared without a REST
    path), ``title`` (the Pulumi type name, for messages), ``identity_fields`` (inputs that make up the ARM id),
    ``same_id_replace`` ("delete_first": a replacement that keeps the ARM id deletes the old resource first;
    "refuse": it is refused like a :class:`PlanError`), ``audit_outputs`` (the extra outputs computed by
    :meth:`audit`, declared as output fields), ``named_by`` (inputs that name the resource: when a program sets
    none of them, the first defaults to the Pulumi resource name), ``description`` (the resource class's
    docstring, for the generated API), ``adoptable`` (an existing resource is taken over only with
    ``adopt_existing``, see :mod:`pulumi_dataprotection.dynamic.adoption`), ``marks_owner`` (creates tag the
    resource with its owner marker, so an interrupted create of the same resource resumes) and
    ``cleared_when_removed`` (optional inputs sent as the given empty value when the program stops setting them;
    any other optional input left out keeps Azure's value, with a preview warning).
    """

    schema: ClassVar[ResourceSchema]
    title: ClassVar[str]
    description: ClassVar[str] = ""
    identity_fields: ClassVar[tuple[str, ...]]
    same_id_replace: ClassVar[str] = "delete_first"
    audit_outputs: ClassVar[tuple[Field, ...]] = ()
    named_by: ClassVar[tuple[str, ...]] = ()
    adoptable: ClassVar[bool] = False
    marks_owner: ClassVar[bool] = False
    cleared_when_removed: ClassVar[Mapping[str, Any]] = {}
    refusal_hint: ClassVar[str] = "revert the change"
    """What to do about a change `up` refuses (the end of its preview warning and of its ``review`` warning)."""

    # -- declared names ----------------------------------------------------------------------------------------

    @classmethod
    def output_names(cls) -> list[str]:
        """Every output of the resource: schema outputs (``id`` becomes ``arm_id``), common and audit outputs."""
        names = [n for n in cls.schema.output_names if n != "id"]
        return list(dict.fromkeys([*names, *COMMON_OUTPUTS, *(f.name for f in cls.audit_outputs)]))

    @classmethod
    def input_names(cls) -> list[str]:
        """Every input of the resource."""
        return cls.schema.input_names

    @classmethod
    def _always_set(cls) -> frozenset[str]:
        """Inputs with a fixed default: check sets them whenever the program does not, so they are always managed."""
        found = _ALWAYS_SET.get(cls)
        if found is None:
            leaves = cls.schema.root.input_leaves
            found = _ALWAYS_SET[cls] = frozenset(
                f.name for f in leaves if f.default is not None and not callable(f.default)
            )
        return found

    @classmethod
    def managed_names(cls, inputs: Mapping[str, Any]) -> list[str]:
        """The state's ``MANAGED`` list: `managed` without the inputs that are always set (`_always_set`), which
        a refresh adds back (so a state written with them still reads the same); shorter in every state file."""
        always = cls._always_set()
        return [n for n in managed(inputs) if n not in always]

    @classmethod
    def _carried_names(cls) -> list[str]:
        """Inputs Azure does not echo back: kept from the inputs in outputs (request-only and provider knobs)."""
        root = cls.schema.root
        derived = {name for d in root.derivations for name in d.fields}
        out = []
        for f in root.input_leaves:
            if f.name == cls.schema.raw_field or f.name in derived or f.plan_only:
                continue
            if not f.diff or (f.path is None and f.id_part is None and f.read_path is None):
                out.append(f.name)
        return out

    # -- hooks --------------------------------------------------------------------------------------------------

    def complete(self, news: dict[str, Any]) -> list[CheckFailure]:
        """Fill in inputs derived from others or from config before validation (e.g. a computed name), in place;
        return failures that validation cannot find."""
        return []

    def resource_id(self, inputs: Mapping[str, Any]) -> ResourceId:
        """The ARM id of the resource the inputs describe."""
        raise NotImplementedError

    def check_plan(self, olds: Mapping[str, Any], inputs: Mapping[str, Any]) -> list[CheckFailure]:
        """Checks of valid inputs that need the old inputs (``{}`` for a new resource) or the other resources of the
        program (:mod:`pulumi_dataprotection.dynamic.program`); no request is sent."""
        return []

    def validate_in_preview(self, ctx: Context, olds: Mapping[str, Any], inputs: dict[str, Any]) -> list[CheckFailure]:
        """Service-side validation run by ``check`` when ``validateInPreview`` is on and inputs are known."""
        return []

    def review(self, olds: Mapping[str, Any], news: Mapping[str, Any], diff: SchemaDiff, replaces: list[str]) -> None:
        """Inspect a planned change; raise PlanError to stop the preview, or extend ``replaces``."""

    def create_resource(self, ctx: Context, rid: ResourceId, inputs: dict[str, Any]) -> JsonObject:
        """Create the resource and return its response body."""
        raise NotImplementedError

    def resume_create(
        self, ctx: Context, rid: ResourceId, inputs: dict[str, Any], existing: Mapping[str, Any]
    ) -> JsonObject:
        """Finish the interrupted create of this very resource (``existing`` carries its owner marker)."""
        return self.create_resource(ctx, rid, inputs)

    def update_resource(
        self, ctx: Context, rid: ResourceId, olds: Mapping[str, Any], inputs: dict[str, Any], changed: list[str]
    ) -> JsonObject:
        """Apply changed REST fields ``changed`` and return the response body."""
        raise NotImplementedError

    def read_resource(self, ctx: Context, rid: ResourceId, props: Mapping[str, Any]) -> JsonObject | None:
        """The resource's body, or None when it is gone."""
        return ctx.client.get(rid.path, operation=f"read {self.title}", resource=str(rid), timeout=ctx.timeout("read"))

    def delete_resource(self, ctx: Context, rid: ResourceId, props: Mapping[str, Any]) -> None:
        """Delete the resource (and wait as long as the resource needs)."""
        raise NotImplementedError

    def audit(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Extra outputs for audits, from the outputs computed so far."""
        return {}

    def observed_outputs(self, ctx: Context, rid: ResourceId, body: Mapping[str, Any]) -> dict[str, Any]:
        """Outputs that take requests beyond the resource's own body (e.g. an instance's newest recovery point),
        read after every update and read (so a refresh updates them) and after a create that found something in
        Azure (adopted, resumed or undeleted; a resource made from nothing has none of them yet), never in a
        preview."""
        return {}

    def known_outputs(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """Outputs the inputs alone determine, added to the checked inputs: the engine shows a dynamic resource's
        planned creation or replacement as its old outputs against its checked inputs, and a planned update as old
        against new checked inputs, so these never show as removed; they also stay known in a preview. {} while any
        identity field is unknown."""
        if not self.identity_fields or any(has_unknown(inputs.get(n)) for n in self.identity_fields):
            return {}
        try:
            rid = self.resource_id(inputs)
        except (KeyError, ValueError):
            return {}
        known: dict[str, Any] = {"arm_id": rid.path, "provisioning_state": "Succeeded"}
        if "resource_type" in self.schema.output_names and rid.resource_type:
            known["resource_type"] = rid.resource_type
        with contextlib.suppress(ConfigError):
            known["api_version"] = config_module.current().arm_settings().api_version_for(rid.path)
        known.update(self.predicted_outputs(inputs))
        return known

    def predicted_outputs(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """Further values of the outputs that Azure derives from the inputs alone (e.g. nested tag ids), for
        :meth:`known_outputs`; may return inputs completed with nested outputs."""
        return {}

    # -- helpers for hooks --------------------------------------------------------------------------------------

    def context(self, props: Mapping[str, Any]) -> Context:
        """Configuration, client and timeouts for one call (nothing is kept on the provider object)."""
        from pulumi_dataprotection.arm.client import get_client  # imports requests: not needed by checks and diffs

        cfg = config_module.current()
        overrides = props.get("timeouts")
        label = f"{self.title} {props.get('name')!r}" if isinstance(props.get("name"), str) else self.title
        return Context(cfg, get_client(cfg.arm_settings()), overrides if isinstance(overrides, Mapping) else {}, label)

    def outputs(
        self, ctx: Context, rid: ResourceId, base: Mapping[str, Any], body: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Outputs from a response ``body`` plus the carried inputs of ``base``, common and audit outputs."""
        out: dict[str, Any] = {n: base[n] for n in self._carried_names() if base.get(n) is not None}
        values = self.schema.from_rest(adoption.strip_marker(body))
        out.update(values)
        arm_id = out.pop("id", None)
        out["arm_id"] = arm_id if isinstance(arm_id, str) and arm_id else body.get("id") or rid.path
        out["api_version"] = ctx.api_version(rid.path)
        if not out.get("provisioning_state"):
            out["provisioning_state"] = "Succeeded"
        out.update(self.audit(out))
        out[MANAGED] = self.managed_names(base)
        for name in [*self.input_names(), *self.output_names()]:
            out.setdefault(name, None)
        return out

    def retained(self, props: Mapping[str, Any]) -> bool:
        """Whether destroy only forgets the resource: ``on_delete`` is Retain, or a state from before the resource
        had ``on_delete`` holds it as adopted (adopted resources default to Retain)."""
        if "on_delete" not in self.input_names():
            return False
        mode = props.get("on_delete")
        return mode == "Retain" or (mode is None and props.get("adopt_existing") is True and not self.adoptable)

    def body_fields(self) -> set[str]:
        """Inputs that are part of the REST body (a change to any other input needs no request)."""
        root = self.schema.root
        derived = {name for d in root.derivations for name in d.fields}
        return {
            f.name
            for f in root.input_leaves
            if f.path is not None or f.name in derived or f.name == self.schema.raw_field
        }

    # -- the ResourceProvider interface -------------------------------------------------------------------------

    def configure(self, req: ConfigureRequest) -> None:
        """Keep the stack config for this process (all namespaces: ``dataprotection:*``, ``azure-native:*``)."""
        config_module.set_stack_config(getattr(req.config, "_props", {}) or {})

    @named_paths
    @readable(EXPECTED)
    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Every schema validation as a check failure; unknown values are skipped, never fatal."""
        report_environment_endpoint()
        raw = clean(news)
        failures: list[CheckFailure] = []
        missing = adoption.missing_on_delete(raw) if self.adoptable else None
        if missing:
            failures.append(CheckFailure("on_delete", missing))
        try:
            failures.extend(self.complete(raw))
        except ConfigError as exc:
            failures.append(CheckFailure("", str(exc)))
        result = self.schema.check(raw)
        inputs = result.inputs
        failures.extend(CheckFailure(f.property, f.reason) for f in result.failures)
        if not failures:
            try:
                failures.extend(self.check_plan(clean(olds), inputs))
            except ConfigError as exc:
                failures.append(CheckFailure("", str(exc)))
        if not failures and not has_unknown(inputs):
            try:
                if config_module.current().validate_in_preview:
                    failures.extend(self.validate_in_preview(self.context(inputs), clean(olds), inputs))
            except ConfigError as exc:
                failures.append(CheckFailure("", str(exc)))
        if not failures:
            inputs.update(self.known_outputs(inputs))
            self._removed_inputs(clean(olds), managed_list(olds), raw, inputs)
        owner = news.get(adoption.OWNER_KEY)
        if self.adoptable and not failures:
            if clean(olds):
                self._remember_own(clean(olds))
                if olds.get(adoption.ADOPTION):
                    inputs[adoption.ADOPTION] = olds[adoption.ADOPTION]
            elif not has_unknown(inputs) and not self._replacing_own(inputs):
                failures.extend(self._preview_existing(inputs, owner))
        if isinstance(owner, str):
            inputs[adoption.OWNER_KEY] = owner
        return CheckResult(inputs, failures)

    def _removed_inputs(
        self, olds: Mapping[str, Any], before: list[str] | None, raw: Mapping[str, Any], inputs: dict[str, Any]
    ) -> None:
        """An optional input the program set before (``before``, from the state) and no longer sets, where an
        unset input means "Azure's value": never a removal that silently does not happen. Inputs named in
        ``cleared_when_removed`` are sent as their empty value (the diff shows the change); any other keeps Azure's
        value, in the checked inputs (so the preview shows no removal) and in a warning that says so."""
        if before is None:
            return
        for f in self.schema.root.input_leaves:
            if not f.computed or f.plan_only or not f.diff or f.name not in before:
                continue
            if raw.get(f.name) is not None or inputs.get(f.name) is not None:  # set, or its default applies
                continue
            old = olds.get(f.name)
            if old is None or old == [] or old == {}:
                continue
            if f.name in self.cleared_when_removed:
                inputs[f.name] = self.cleared_when_removed[f.name]
                continue
            inputs[f.name] = old
            preview_warning(
                f"{self.title} {olds.get('name')!r}: {f.name} was removed from the program, but an unset {f.name} "
                f"means Azure's value, so it is kept as Azure has it ({adoption.show(old)}); set it explicitly to "
                "change it"
            )

    def _remember_own(self, old_inputs: Mapping[str, Any]) -> None:
        """Note the Azure resource this stack already manages under ``old_inputs`` (see :mod:`.program`)."""
        with contextlib.suppress(KeyError, ValueError, ConfigError):
            program.remember_own(str(self.resource_id(old_inputs)))

    def _replacing_own(self, inputs: Mapping[str, Any]) -> bool:
        """True when ``inputs`` name a resource of this stack that this operation replaces: Pulumi checks it again
        without old inputs, and the copy still in Azure (deleted before the new one is created) is not to be
        refused or adopted."""
        try:
            return program.is_own(str(self.resource_id(inputs)))
        except (KeyError, ValueError, ConfigError):
            return False

    def _preview_existing(self, inputs: dict[str, Any], owner: Any) -> list[CheckFailure]:
        """For a resource about to be created: refuse one that exists and is not adopted (a preview error naming
        ``adopt_existing``), or plan the adoption (the ``adoption`` value lists the differences). A failing read
        is left to the create, which looks again."""
        try:
            ctx = self.probe_context(self.context(inputs))
            rid = self.resource_id(inputs)
            existing = self.read_resource(ctx, rid, inputs)
        except (ArmError, ConfigError, ResourceFailure, KeyError, ValueError):
            return []
        if existing is None:
            return self.preview_absent(ctx, rid, inputs)
        plan = self.plan_adoption(ctx, rid, inputs, existing, owner)
        if plan.kind == "refuse":
            return [CheckFailure("adopt_existing", plan.message)]
        if plan.impossible:
            return [CheckFailure(plan.impossible[0].split(":")[0], self._impossible_message(ctx, rid, plan))]
        inputs[adoption.ADOPTION] = plan.summary(inputs.get("on_delete"))
        if plan.kind == "resume":
            preview_warning(
                f"{ctx.label} ({rid}) exists in Azure although this stack's state does not hold it: `up` "
                f"{inputs[adoption.ADOPTION]}"
            )
        return []

    def preview_absent(self, ctx: Context, rid: ResourceId, inputs: dict[str, Any]) -> list[CheckFailure]:
        """Preview of a create where nothing live exists yet: failures, or a note in ``inputs[ADOPTION]`` (and a
        warning) when the create takes something over anyway (e.g. undeletes a soft-deleted instance)."""
        return []

    def mark(self, owner: Any, rid: ResourceId) -> str | None:
        """This stack's keyed ownership mark of the resource ``owner`` at ``rid`` (None: the stack has no
        ``dataprotection:ownerKey``, so nothing is marked and nothing resumes)."""
        if not self.marks_owner:
            return None
        try:
            key = config_module.current().owner_key
        except ConfigError:
            return None
        return adoption.stack_mark(key.reveal() if key is not None else None, owner, rid.path)

    @staticmethod
    def probe_context(ctx: Context) -> Context:
        """``ctx`` with a client that gives up after one quick retry: a preview probe must not wait minutes on an
        unreachable or throttling endpoint (the create looks again with the full retry policy)."""
        from pulumi_dataprotection.arm.client import get_client
        from pulumi_dataprotection.arm.retry import RetryPolicy

        quick = RetryPolicy(max_retries=1, backoff_cap=2.0, budget=10.0, busy_budget=10.0)
        return replace(ctx, client=get_client(replace(ctx.client.settings, retry=quick)))

    def plan_adoption(
        self, ctx: Context, rid: ResourceId, inputs: Mapping[str, Any], existing: Mapping[str, Any], owner: Any
    ) -> adoption.Plan:
        """What creating ``inputs`` over the ``existing`` resource does: resume our own create, adopt it (listing
        what differs, field by field), or refuse."""
        if self.marks_owner and adoption.owned_by(existing, self.mark(owner, rid)):
            return adoption.Plan("resume")
        if not inputs.get("adopt_existing"):
            tagged = adoption.foreign_mark(existing)
            return adoption.Plan(
                "refuse",
                f"{ctx.label} already exists in Azure ({rid}) and was not created by this stack, so it is not taken "
                f"over.{' ' + tagged if tagged else ''} To manage it from this stack set adopt_existing=True and "
                "on_delete ('Retain' leaves it in Azure on destroy, 'Delete' deletes it), or generate the program "
                "with `pulumi-dataprotection import`; otherwise choose another name.",
            )
        found = self.outputs(ctx, rid, inputs, existing)
        diff = self.schema.diff(found, inputs)
        body = self.body_fields()
        differences, impossible = [], []
        for path, detail in diff.details.items():
            top = path.split(".")[0].split("[")[0]
            if top not in body:
                continue
            line = f"{path}: {adoption.show(detail.old)} in Azure -> {adoption.show(detail.new)} in the program"
            differences.append(line)
            if detail.replace or not self.updatable_in_place():
                impossible.append(line)
        changed = [n for n in diff.changed if n in body]
        return adoption.Plan("adopt", differences=differences, changed=changed, impossible=impossible)

    def updatable_in_place(self) -> bool:
        """Whether Azure can change the resource's REST properties in place (policies: no)."""
        return True

    def _impossible_message(self, ctx: Context, rid: ResourceId, plan: adoption.Plan) -> str:
        lines = "\n".join(f"  - {line}" for line in plan.impossible)
        return (
            f"{ctx.label}: the existing resource ({rid}) differs from the program where Azure cannot change an "
            f"existing resource:\n{lines}\nSet these inputs to Azure's values to adopt it (`pulumi-dataprotection "
            "import` writes them), or choose another name to create a new one."
        )

    def completed(self, olds: Mapping[str, Any]) -> dict[str, Any]:
        """Old outputs with the derived inputs that a state written before they existed lacks, read from the
        outputs it holds (e.g. an instance's ``protection`` from its ``current_protection_state``), so an upgrade
        of the provider shows no change. Only derived inputs with a default are looked at: another one may well be
        unset (and the render this takes is skipped for every state written since)."""
        out = clean(olds)
        missing = [n for n in self._defaulted_derived() if out.get(n) is None]
        if not missing or not out.get("arm_id"):
            return out
        found = self.schema.from_rest(self.schema.render(out, include_outputs=True))
        return {**out, **{n: found[n] for n in missing if found.get(n) is not None}}

    @classmethod
    def _defaulted_derived(cls) -> tuple[str, ...]:
        """Derived inputs that have a default (see :meth:`completed`)."""
        root = cls.schema.root
        return tuple(n for d in root.derivations for n in d.fields if root.by_name[n].default is not None)

    def plan(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> Plan:
        """What changing old outputs ``olds`` to new inputs ``news`` takes: the schema diff, the inputs that force
        a replacement, and the refusal message when the change is impossible or would destroy data."""
        olds = self.completed(olds)
        diff = self.schema.diff(olds, clean(news))
        replaces = list(diff.replaces)
        try:
            self.review(olds, news, diff, replaces)
            replaces = list(dict.fromkeys(replaces))
            same = self._same_identity(olds, news) if replaces else None
            if same is True and self.same_id_replace == "refuse":
                raise PlanError(self.refuse_message(olds, news, replaces))
        except PlanError as exc:
            if set(replaces) & set(diff.maybe_changed):
                raise  # forced by values not known yet (a replaced dependency): an update would let that go ahead
            return Plan(diff, list(dict.fromkeys(replaces)), None, str(exc))
        delete_first = None
        if replaces:
            delete_first = same is not False and self.same_id_replace == "delete_first"
        return Plan(diff, replaces, delete_first, None)

    @readable(EXPECTED)
    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Canonical old outputs against new inputs; create-only changes replace. A refused plan shows as an update
        of the properties concerned (nothing depending on the resource is replaced) that ``update`` refuses; the
        refusal, a replacement's reason and the data it puts at risk are preview warnings."""
        plan = self.plan(olds, news)
        changed = bool(plan.diff.changed) or bool(plan.replaces)
        for message in self.plan_warnings(olds, news, plan):
            preview_warning(f"{self.title} {olds.get('name')!r}: {message}")
        if plan.refusal is not None:
            return DiffResult(changes=True, replaces=[], delete_before_replace=False)
        if plan.replaces and self.adoptable:
            self._remember_replaced(olds)
            if news.get("allow_replace_with_data") and isinstance(olds.get("arm_id"), str):
                program.remember_allowed(str(olds["arm_id"]))
        return DiffResult(changes=changed, replaces=plan.replaces, delete_before_replace=plan.delete_first)

    def plan_warnings(self, olds: Mapping[str, Any], news: Mapping[str, Any], plan: Plan) -> list[str]:
        """The preview warnings of a planned change (worded by :mod:`.wording`, as ``review`` words them): the
        refusal `up` will meet, else a replacement's reason and what it deletes or leaves behind."""
        if plan.refusal is not None and news.get("allow_replace_with_data"):
            lead = f"{self.title} {olds.get('name')!r}: "
            return [f"{wording.REFUSED}: {plan.refusal.removeprefix(lead)}"]  # the opt-in is set: a refusal of its own
        if plan.refusal is not None:
            return [wording.refused(plan.diff, plan.replaces, self.refusal_hint)]
        if not plan.replaces:
            return []
        vault = olds.get("vault_id")
        replaced_vault = (
            ResourceId.parse(vault).name
            if isinstance(vault, str) and vault.startswith("/") and program.is_replaced(vault)
            else None
        )
        out = [f"replaced because {self.replace_reason(olds, news, plan.replaces, replaced_vault)}"]
        out.extend(self.replacement_risks(olds))
        if self.adoptable and plan.delete_first is False and olds.get("on_delete") == "Retain":
            out.append(self._kept_message(olds))
        return out

    def replace_reason(
        self, olds: Mapping[str, Any], news: Mapping[str, Any], replaces: list[str], vault: str | None
    ) -> str:
        """Why the resource is replaced (``vault``: the name of its vault when that is replaced too)."""
        return wording.replace_reason(replaces, vault)

    def replacement_risks(self, olds: Mapping[str, Any]) -> list[str]:
        """What replacing the resource described by ``olds`` deletes (its data), for :meth:`plan_warnings`."""
        return []

    def _kept_message(self, olds: Mapping[str, Any]) -> str:
        """The preview warning for the replacement of a resource whose ``on_delete`` is Retain (Pulumi plans the
        old one's delete without asking the provider, so the diff is the one place to say it is kept)."""
        what = self.title.removeprefix("Backup").removeprefix("Resource").lower()
        return (
            f"on_delete is Retain: the old {what} {olds.get('name')!r} stays in Azure ({olds.get('arm_id')}), only "
            "the stack forgets it (read the delete the preview lists as a forget); delete it in Azure if it is not "
            "wanted"
        )

    def _remember_replaced(self, olds: Mapping[str, Any]) -> None:
        """Note that this operation replaces the stack's resource described by the old outputs ``olds``."""
        arm_id = olds.get("arm_id")
        if isinstance(arm_id, str) and arm_id:
            program.remember_replaced(arm_id)

    def refuse_message(self, olds: Mapping[str, Any], news: Mapping[str, Any], replaces: list[str]) -> str:
        """The preview error for a replacement that would reuse the same ARM id (``same_id_replace="refuse"``)."""
        return f"{self.title}: {', '.join(replaces)} cannot change in place and the resource keeps the same ARM id"

    def _same_identity(self, olds: Mapping[str, Any], news: Mapping[str, Any]) -> bool | None:
        """True when the ARM id stays the same, False when it changes, None when it is not known yet."""
        same = bool(self.identity_fields)
        for name in self.identity_fields:
            new = news.get(name)
            if has_unknown(new):
                return None
            f = self.schema.field(name)
            if f.type.canonical(olds.get(name), _CTX) != f.type.canonical(new, _CTX):
                same = False
        return same

    @readable(EXPECTED)
    def create(self, props: dict[str, Any]) -> CreateResult:
        """Create the resource, wait until it is usable, and return its ARM id and outputs."""
        inputs = self.schema.inputs_of(clean(props))
        ctx = self.context(inputs)
        rid = self.resource_id(inputs)
        owner = props.get(adoption.OWNER_KEY) if self.marks_owner else None
        mark = self.mark(owner, rid)
        summary = None
        with bounded(ctx.timeout("create")):
            existing = self.read_resource(ctx, rid, inputs) if self.adoptable else None
            if existing is None:
                body = self.create_resource(ctx, rid, adoption.with_marker(inputs, mark))
                summary = props.get(adoption.ADOPTION)  # planned by preview_absent (e.g. an undelete)
            else:
                plan = self.plan_adoption(ctx, rid, inputs, existing, owner)
                if plan.kind == "refuse":
                    raise ResourceFailure(plan.message)
                if plan.impossible:
                    raise ResourceFailure(self._impossible_message(ctx, rid, plan))
                if plan.kind == "resume":
                    body = self.resume_create(ctx, rid, adoption.with_marker(inputs, mark), existing)
                elif plan.changed:
                    found = self.outputs(ctx, rid, inputs, existing)
                    body = self.update_resource(ctx, rid, found, inputs, plan.changed)
                else:
                    body = dict(existing)
                summary = plan.summary(inputs.get("on_delete"))
            observed = self.observed_outputs(ctx, rid, body) if existing is not None or summary else {}
        outs = {**self.outputs(ctx, rid, inputs, body), **observed}
        if self.adoptable:
            outs[adoption.ADOPTION] = summary
        return CreateResult(str(outs["arm_id"]), outs)

    @readable(EXPECTED)
    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """GET the resource: outputs and inputs that match what the next diff compares; only a 404 saying the
        resource is gone drops it (any other raises, see NotFoundError)."""
        base = self.schema.inputs_of(clean(props))
        ctx = self.context(base)
        rid = self.read_id(id_, base)
        with bounded(ctx.timeout("read")):
            body = self.read_resource(ctx, rid, props)
            observed = self.observed_outputs(ctx, rid, body) if body is not None else {}
        if body is None:
            return ReadResult("", {}, {})
        set_names = managed_list(props)
        if set_names is not None:
            set_names = [*set_names, *self._always_set()]
            base = {k: v for k, v in base.items() if k in set_names}
        outs = {**self.outputs(ctx, rid, base, body), **observed}
        if self.adoptable:
            outs[adoption.ADOPTION] = props.get(adoption.ADOPTION)
        inputs = self.schema.inputs_of(outs)
        if set_names is not None:
            inputs = {k: v for k, v in inputs.items() if k in set_names}
            for f in self.schema.root.input_leaves:
                if f.plan_only and f.name in set_names:
                    inputs[f.name] = f.default
            outs[MANAGED] = self.managed_names(dict.fromkeys(set_names, True))
        inputs.update(self.known_outputs(inputs))
        if outs.get(adoption.ADOPTION):
            inputs[adoption.ADOPTION] = outs[adoption.ADOPTION]
        return ReadResult(id_ or str(outs["arm_id"]), outs, inputs)

    def read_id(self, id_: str, base: Mapping[str, Any]) -> ResourceId:
        """The ARM id to read: the Pulumi id (an ARM id), else the inputs' id."""
        return ResourceId.parse(id_) if id_.startswith("/") else self.resource_id(base)

    @readable(EXPECTED)
    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Apply in-place changes (only REST fields cause a request) and return fresh outputs."""
        plan = self.plan(olds, news)
        if plan.refusal is not None:
            raise ResourceFailure(f"{plan.refusal}\nNothing was changed in Azure.")
        olds = self.completed(olds)
        inputs = self.schema.inputs_of(clean(news))
        ctx = self.context(inputs)
        rid = self.read_id(id_, inputs)
        diff = self.schema.diff(olds, inputs)
        changed = [n for n in diff.changed if n in self.body_fields()]
        with bounded(ctx.timeout("update")):
            found = (
                self.update_resource(ctx, rid, olds, inputs, changed) if changed else self.read_resource(ctx, rid, olds)
            )
            if found is None:
                raise ResourceFailure(
                    f"{ctx.label} no longer exists in Azure ({rid}); run `pulumi refresh` to drop it from the "
                    "state, then `pulumi up` to create it again"
                )
            observed = self.observed_outputs(ctx, rid, found)
        outs = {**self.outputs(ctx, rid, inputs, found), **observed}
        if self.adoptable:
            outs[adoption.ADOPTION] = olds.get(adoption.ADOPTION)
        return UpdateResult(outs)

    @readable(EXPECTED)
    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """Delete the resource the way the resource type (and its inputs) asks."""
        base = clean(props)
        if self.retained(base):
            return
        ctx = self.context(base)
        with bounded(ctx.timeout("delete")):
            self.delete_resource(ctx, self.read_id(id_, self.schema.inputs_of(base)), base)


def preview_warning(message: str) -> None:
    """A preview warning (a refused change, a replacement and what it deletes, a create that takes over something
    that exists, an input kept as Azure has it), shown once per provider process in the preview's diagnostics; a
    take-over is also in the planned ``adoption`` value that the review reads."""
    text = f"dataprotection: {message}"
    if not program.first_warning(text):
        return
    import pulumi

    pulumi.log.warn(text)


_reported_endpoints: set[str] = set()
_report_lock = threading.Lock()


def report_environment_endpoint() -> None:
    """Warn (once per process and endpoint) when the endpoint comes from DATAPROTECTION_ENDPOINT because the stack
    sets none. A dynamic provider has no engine connection, so pulumi.log writes to the provider's stderr, which
    the engine shows in the preview's diagnostics."""
    endpoint = config_module.current_environment_endpoint()
    with _report_lock:
        if endpoint is None or endpoint in _reported_endpoints:
            return
        _reported_endpoints.add(endpoint)
    import pulumi

    pulumi.log.warn(environment_endpoint_message(endpoint))


def environment_endpoint_message(endpoint: str) -> str:
    """The warning for an endpoint taken from the environment."""
    return (
        f"dataprotection: this stack sets no dataprotection:endpoint, so its resources go to {endpoint} from "
        "DATAPROTECTION_ENDPOINT in the environment (with DATAPROTECTION_TOKEN if set), not to Azure. If that is a "
        "leftover of a demo or emulator shell, unset DATAPROTECTION_ENDPOINT and DATAPROTECTION_TOKEN; if it is "
        "intended, make it explicit: pulumi config set dataprotection:endpoint <url>"
    )


def wait_until(
    ctx: Context,
    *,
    what: str,
    probe: Callable[[], tuple[bool, str]],
    timeout: float | Deadline,
    cadence: float | None = None,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], None] | None = None,
) -> str:
    """Call ``probe`` (-> (done, state)) until done, pausing per the poll policy (at the ``cadence`` Azure stated
    for the operation that started the change, else backing off); raise ResourceFailure on timeout."""
    now = clock or time.monotonic
    pause = sleep or time.sleep
    poll = ctx.client.settings.poll
    deadline = timeout.at if isinstance(timeout, Deadline) else now() + timeout
    limit = timeout.limit if isinstance(timeout, Deadline) else timeout
    attempt = 0
    while True:
        done, state = probe()
        if done:
            return state
        if now() >= deadline:
            raise ResourceFailure(
                f"{what} did not finish within {limit:g}s (last state {state!r}); Azure may still complete it: "
                "check the resource in the portal, then run `pulumi refresh` (raise the timeout with the resource's "
                "`timeouts` input or `dataprotection:timeouts` if this is expected to be slow)"
            )
        pause(max(0.0, min(poll.backoff(attempt, cadence), deadline - now())))
        attempt += 1
