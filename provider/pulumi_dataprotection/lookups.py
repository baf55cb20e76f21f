"""Lookups: read an existing vault, policy, backup instance (or a vault's instances), resource guard, backup job,
recovery point or soft-deleted vault by ARM id or by name, through the provider's ARM client, and return typed results
whose fields are inputs of this package's resources (jobs, points and deleted vaults: what Azure reports).

    vault = get_backup_vault(name="bv-prod", resource_group_name="rg-backup")
    policy = get_backup_policy(vault_id=vault.arm_id, name="aks-daily")
    BackupInstance("aks", vault_id=vault.arm_id, policy_id=policy.arm_id, ...)

In a Pulumi program they read the stack config (``dataprotection:*``, then ``azure-native:*``, then the environment,
as the resources do) and run while the program runs, so in ``pulumi preview`` as in ``pulumi up``. ``get_*`` take
plain values and return at once; ``get_*_output`` take Pulumi inputs (e.g. another stack's outputs) and return an
Output of the result (unknown in a preview while an input is unknown). ``inputs`` of a result are the keyword
arguments of the resource class that reproduce it (what ``pulumi-dataprotection import`` writes).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

from pulumi_dataprotection import config as config_module
from pulumi_dataprotection.arm import ResourceId, vault_id
from pulumi_dataprotection.arm.paths import (
    BACKUP_INSTANCES,
    BACKUP_JOBS,
    BACKUP_POLICIES,
    DATA_PROTECTION,
    DELETED_BACKUP_INSTANCES,
    deleted_vaults_path,
)
from pulumi_dataprotection.records import (
    DeletedVaultInfo,
    JobInfo,
    RecoveryPointInfo,
    deleted_vault_info,
    job_info,
    point_filter,
    recovery_point_info,
)

if TYPE_CHECKING:
    import pulumi

    from pulumi_dataprotection.dynamic import Context, SchemaProvider

_CONFIG_KEYS = {
    "dataprotection": (
        "subscriptionId",
        "credentials",
        "tenantId",
        "clientId",
        "clientSecret",
        "cloud",
        "endpoint",
        "token",
        "caBundle",
        "timeouts",
        "apiVersion",
        "pollMinInterval",
        "pollMaxInterval",
    ),
    "azure-native": ("subscriptionId", "tenantId", "clientId", "clientSecret", "environment"),
}
T = TypeVar("T")
_NOT_INPUTS = ("adopt_existing", "on_delete", "allow_replace_with_data", "timeouts", "name_prefix")


class ResourceNotFoundError(LookupError):
    """The looked-up resource does not exist (the message names it and where it was looked for)."""


@dataclass(frozen=True)
class Found:
    """What every lookup returns: the ARM id, the name, the resource's ``inputs`` (keyword arguments of its class)
    and every output as the resource would have it."""

    arm_id: str
    name: str
    inputs: Mapping[str, Any] = field(repr=False)
    outputs: Mapping[str, Any] = field(repr=False)


@dataclass(frozen=True)
class VaultInfo(Found):
    """An existing backup vault."""

    subscription_id: str = ""
    resource_group_name: str = ""
    location: str = ""
    redundancy: str | None = None
    principal_id: str | None = None
    owner_mark: str | None = None
    """The ownership tag a Pulumi stack wrote on create (``OWNER_TAG``), when the vault carries one."""


@dataclass(frozen=True)
class PolicyInfo(Found):
    """An existing backup policy."""

    vault_id: str = ""
    datasource_types: tuple[str, ...] = ()
    summary: str = ""


@dataclass(frozen=True)
class InstanceInfo(Found):
    """An existing backup instance."""

    vault_id: str = ""
    policy_id: str = ""
    datasource_kind: str | None = None
    datasource_id: str | None = None
    protection_state: str | None = None
    protection_error: Mapping[str, Any] | None = None
    owner_mark: str | None = None
    """The ownership tag a Pulumi stack wrote on create (``OWNER_TAG``), when the instance carries one."""


@dataclass(frozen=True)
class GuardInfo(Found):
    """An existing resource guard."""


@dataclass(frozen=True)
class GuardLinkInfo(Found):
    """A vault's existing link to a resource guard."""

    vault_id: str = ""
    resource_guard_id: str = ""


@dataclass(frozen=True)
class DeletedInstance:
    """A soft-deleted backup instance of a vault (it cannot be adopted; a create of the same name undeletes it)."""

    name: str
    datasource_id: str | None
    deletion_time: str | None
    purge_time: str | None


# -- reading with an explicit context (the CLI and the program functions) -----------------------------------------


def _owner_mark(body: Mapping[str, Any]) -> str | None:
    from pulumi_dataprotection.dynamic.adoption import OWNER_TAG

    tags = body.get("tags")
    mark = tags.get(OWNER_TAG) if isinstance(tags, Mapping) else None
    return str(mark) if mark else None


def _providers() -> tuple[SchemaProvider, SchemaProvider, SchemaProvider]:
    from pulumi_dataprotection.instance.resource import InstanceProvider
    from pulumi_dataprotection.policy.resource import PolicyProvider
    from pulumi_dataprotection.vault.resource import VaultProvider

    return VaultProvider(), PolicyProvider(), InstanceProvider()


def context() -> Context:
    """A provider context from the configuration in effect in this process."""
    return _providers()[0].context({})


def _result(provider: SchemaProvider, ctx: Context, rid: ResourceId, body: Mapping[str, Any]) -> dict[str, Any]:
    return provider.outputs(ctx, rid, {}, body)


def _inputs(provider: SchemaProvider, outs: Mapping[str, Any]) -> dict[str, Any]:
    values = provider.schema.inputs_of(outs)
    return {k: v for k, v in values.items() if v is not None and k not in _NOT_INPUTS}


def vault_info(ctx: Context, rid: ResourceId, body: Mapping[str, Any]) -> VaultInfo:
    """A VaultInfo from a vault's body."""
    provider = _providers()[0]
    outs = _result(provider, ctx, rid, body)
    return VaultInfo(
        arm_id=str(outs["arm_id"]),
        name=str(outs["name"]),
        inputs=_inputs(provider, outs),
        outputs=outs,
        subscription_id=str(outs.get("subscription_id") or rid.subscription_id),
        resource_group_name=str(outs.get("resource_group_name") or rid.resource_group),
        location=str(outs.get("location") or ""),
        redundancy=outs.get("redundancy"),
        principal_id=outs.get("principal_id"),
        owner_mark=_owner_mark(body),
    )


def policy_info(ctx: Context, rid: ResourceId, body: Mapping[str, Any]) -> PolicyInfo:
    """A PolicyInfo from a policy's body."""
    provider = _providers()[1]
    outs = _result(provider, ctx, rid, body)
    return PolicyInfo(
        arm_id=str(outs["arm_id"]),
        name=str(outs["name"]),
        inputs=_inputs(provider, outs),
        outputs=outs,
        vault_id=str(outs.get("vault_id") or ""),
        datasource_types=tuple(outs.get("datasource_types") or ()),
        summary=str(outs.get("summary") or ""),
    )


def instance_info(ctx: Context, rid: ResourceId, body: Mapping[str, Any]) -> InstanceInfo:
    """An InstanceInfo from a backup instance's body."""
    provider = _providers()[2]
    outs = _result(provider, ctx, rid, body)
    return InstanceInfo(
        arm_id=str(outs["arm_id"]),
        name=str(outs["name"]),
        inputs=_inputs(provider, outs),
        outputs=outs,
        vault_id=str(outs.get("vault_id") or ""),
        policy_id=str(outs.get("policy_id") or ""),
        datasource_kind=outs.get("datasource_kind"),
        datasource_id=outs.get("datasource_id"),
        protection_state=outs.get("protection_state"),
        protection_error=outs.get("protection_error"),
        owner_mark=_owner_mark(body),
    )


def read_guard(ctx: Context, guard: str) -> GuardInfo:
    """The resource guard with ARM id ``guard``."""
    from pulumi_dataprotection.guard.resource import ResourceGuardProvider

    rid = ResourceId.parse(guard)
    provider = ResourceGuardProvider()
    outs = _result(provider, ctx, rid, _get(ctx, rid, "resource guard"))
    return GuardInfo(arm_id=str(outs["arm_id"]), name=str(outs["name"]), inputs=_inputs(provider, outs), outputs=outs)


def list_guard_links(ctx: Context, vault: str) -> list[GuardLinkInfo]:
    """The resource guard links of the vault ``vault`` (an ARM id; Azure allows one)."""
    from pulumi_dataprotection.guard.mua import LINKS
    from pulumi_dataprotection.guardlink.resource import GuardLinkProvider

    provider = GuardLinkProvider()
    out = []
    for rid, body in _children(ctx, vault, LINKS):
        outs = {**_result(provider, ctx, rid, body), "vault_id": vault}
        out.append(
            GuardLinkInfo(
                arm_id=str(outs["arm_id"]),
                name=str(outs["name"]),
                inputs=_inputs(provider, outs),
                outputs=outs,
                vault_id=vault,
                resource_guard_id=str(outs.get("resource_guard_id") or ""),
            )
        )
    return sorted(out, key=lambda link: link.name)


def _get(ctx: Context, rid: ResourceId, what: str) -> dict[str, Any]:
    body = ctx.client.get(rid.path, operation=f"look up {what}", resource=str(rid))
    if body is None:
        raise ResourceNotFoundError(f"{what} {rid.name!r} does not exist ({rid})")
    return body


def read_vault(ctx: Context, vault: str) -> VaultInfo:
    """The vault with ARM id ``vault``."""
    rid = ResourceId.parse(vault)
    return vault_info(ctx, rid, _get(ctx, rid, "backup vault"))


def read_policy(ctx: Context, policy: str) -> PolicyInfo:
    """The policy with ARM id ``policy``."""
    rid = ResourceId.parse(policy)
    return policy_info(ctx, rid, _get(ctx, rid, "backup policy"))


def read_instance(ctx: Context, instance: str) -> InstanceInfo:
    """The backup instance with ARM id ``instance``."""
    rid = ResourceId.parse(instance)
    return instance_info(ctx, rid, _get(ctx, rid, "backup instance"))


def _children(ctx: Context, vault: str, collection: str) -> list[tuple[ResourceId, dict[str, Any]]]:
    rid = ResourceId.parse(vault)
    items = ctx.client.list(rid.collection(collection), operation=f"list {collection}", resource=str(rid))
    return [(rid.child(collection, str(item["name"])), item) for item in items]


def list_policies(ctx: Context, vault: str) -> list[PolicyInfo]:
    """The policies of the vault ``vault`` (an ARM id), by name."""
    found = [policy_info(ctx, rid, body) for rid, body in _children(ctx, vault, BACKUP_POLICIES)]
    return sorted(found, key=lambda p: p.name)


def list_instances(ctx: Context, vault: str) -> list[InstanceInfo]:
    """The backup instances of the vault ``vault`` (an ARM id), by name."""
    found = [instance_info(ctx, rid, body) for rid, body in _children(ctx, vault, BACKUP_INSTANCES)]
    return sorted(found, key=lambda i: i.name)


def list_deleted_instances(ctx: Context, vault: str) -> list[DeletedInstance]:
    """The soft-deleted backup instances of the vault ``vault`` (an ARM id), by name."""
    out = []
    for _, body in _children(ctx, vault, DELETED_BACKUP_INSTANCES):
        props = body.get("properties") or {}
        deletion = props.get("deletionInfo") or {}
        out.append(
            DeletedInstance(
                name=str(body.get("name")),
                datasource_id=(props.get("dataSourceInfo") or {}).get("resourceID"),
                deletion_time=deletion.get("deletionTime"),
                purge_time=deletion.get("scheduledPurgeTime"),
            )
        )
    return sorted(out, key=lambda d: d.name)


def read_job(ctx: Context, job: str) -> JobInfo:
    """The backup job with ARM id ``job``."""
    return job_info(_get(ctx, ResourceId.parse(job), "backup job"))


def list_jobs(ctx: Context, vault: str) -> list[JobInfo]:
    """The backup jobs of the vault ``vault`` (an ARM id), newest first (Azure's Jobs_List takes no filter)."""
    found = [job_info(body) for _, body in _children(ctx, vault, BACKUP_JOBS)]
    return sorted(found, key=lambda j: j.start_time or "", reverse=True)


def read_recovery_point(ctx: Context, point: str) -> RecoveryPointInfo:
    """The recovery point with ARM id ``point``."""
    return recovery_point_info(_get(ctx, ResourceId.parse(point), "recovery point"))


def list_recovery_points(
    ctx: Context, instance: str, *, start: str | None = None, end: str | None = None
) -> list[RecoveryPointInfo]:
    """The recovery points of the backup instance ``instance`` (an ARM id), newest first; ``start``/``end`` (ISO
    date-times) narrow them in Azure (``$filter=startDate eq '...' and endDate eq '...'``)."""
    rid = ResourceId.parse(instance)
    query = point_filter(start, end)
    items = ctx.client.list(
        rid.collection("recoveryPoints"), operation="list recovery points", resource=str(rid), query=query
    )
    found = [recovery_point_info(item) for item in items]
    return sorted(found, key=lambda p: p.time or "", reverse=True)


def read_deleted_vault(ctx: Context, deleted_vault: str) -> DeletedVaultInfo:
    """The soft-deleted vault with ARM id ``deleted_vault`` (``.../locations/<region>/deletedVaults/<name>``)."""
    return deleted_vault_info(_get(ctx, ResourceId.parse(deleted_vault), "deleted backup vault"))


def list_deleted_vaults(ctx: Context, subscription_id: str, location: str) -> list[DeletedVaultInfo]:
    """The soft-deleted vaults of a subscription in a region, by name."""
    path = deleted_vaults_path(subscription_id, location)
    items = ctx.client.list(path, operation="list deleted backup vaults", resource=path)
    return sorted((deleted_vault_info(item) for item in items), key=lambda v: v.name.lower())


def list_vaults(ctx: Context, subscription_id: str, resource_group: str | None = None) -> list[VaultInfo]:
    """The vaults of a subscription (or of one of its resource groups), by name."""
    scope = f"/subscriptions/{subscription_id}" + (f"/resourceGroups/{resource_group}" if resource_group else "")
    items = ctx.client.list(
        f"{scope}/providers/Microsoft.DataProtection/backupVaults", operation="list backup vaults", resource=scope
    )
    found = [vault_info(ctx, ResourceId.parse(str(item["id"])), item) for item in items]
    return sorted(found, key=lambda v: v.arm_id.lower())


# -- the program functions ----------------------------------------------------------------------------------------


def _program_context() -> Context:
    """A context from the stack config of the running program (the environment outside a program)."""
    import pulumi

    stack: dict[str, Any] = {}
    for namespace, keys in _CONFIG_KEYS.items():
        config = pulumi.Config(namespace)
        for key in keys:
            value = config.get(key)
            if value is not None:
                stack[f"{namespace}:{key}"] = value
    config_module.set_stack_config(stack)
    return context()


def _vault_path(
    id: str | None, name: str | None, resource_group_name: str | None, subscription_id: str | None, ctx: Context
) -> str:
    if id:
        return id
    if not name or not resource_group_name:
        raise ValueError("give the vault's id, or its name and resource_group_name")
    subscription = subscription_id or ctx.config.require_subscription()
    return vault_id(subscription, resource_group_name, name).path


def _child_path(kind: str, id: str | None, vault_id: str | None, name: str | None) -> str:
    if id:
        return id
    if not vault_id or not name:
        raise ValueError(f"give the {kind}'s id, or its vault_id and name")
    collection = BACKUP_POLICIES if kind == "policy" else BACKUP_INSTANCES
    return ResourceId.parse(vault_id).child(collection, name).path


def get_backup_vault(
    id: str | None = None,
    *,
    name: str | None = None,
    resource_group_name: str | None = None,
    subscription_id: str | None = None,
) -> VaultInfo:
    """The existing vault with ARM id ``id``, or ``name`` in ``resource_group_name`` (subscription: the stack's)."""
    ctx = _program_context()
    return read_vault(ctx, _vault_path(id, name, resource_group_name, subscription_id, ctx))


def get_backup_policy(id: str | None = None, *, vault_id: str | None = None, name: str | None = None) -> PolicyInfo:
    """The existing policy with ARM id ``id``, or ``name`` in the vault ``vault_id``."""
    return read_policy(_program_context(), _child_path("policy", id, vault_id, name))


def get_backup_instance(id: str | None = None, *, vault_id: str | None = None, name: str | None = None) -> InstanceInfo:
    """The existing backup instance with ARM id ``id``, or ``name`` in the vault ``vault_id``."""
    return read_instance(_program_context(), _child_path("instance", id, vault_id, name))


def get_backup_instances(vault_id: str) -> list[InstanceInfo]:
    """The backup instances of the vault ``vault_id``, by name."""
    return list_instances(_program_context(), vault_id)


def get_resource_guard(
    id: str | None = None,
    *,
    name: str | None = None,
    resource_group_name: str | None = None,
    subscription_id: str | None = None,
) -> GuardInfo:
    """The existing resource guard with ARM id ``id``, or ``name`` in ``resource_group_name`` (subscription: the
    stack's)."""
    ctx = _program_context()
    if not id:
        if not name or not resource_group_name:
            raise ValueError("give the resource guard's id, or its name and resource_group_name")
        subscription = subscription_id or ctx.config.require_subscription()
        id = (
            f"/subscriptions/{subscription}/resourceGroups/{resource_group_name}/providers/{DATA_PROTECTION}"
            f"/resourceGuards/{name}"
        )
    return read_guard(ctx, id)


def get_backup_job(id: str | None = None, *, vault_id: str | None = None, name: str | None = None) -> JobInfo:
    """The backup job with ARM id ``id``, or the job ``name`` (its GUID) of the vault ``vault_id``."""
    if not id:
        if not vault_id or not name:
            raise ValueError("give the job's id, or its vault_id and name")
        id = ResourceId.parse(vault_id).child(BACKUP_JOBS, name).path
    return read_job(_program_context(), id)


def get_backup_jobs(vault_id: str) -> list[JobInfo]:
    """The backup jobs of the vault ``vault_id``, newest first."""
    return list_jobs(_program_context(), vault_id)


def get_recovery_point(
    id: str | None = None, *, backup_instance_id: str | None = None, name: str | None = None
) -> RecoveryPointInfo:
    """The recovery point with ARM id ``id``, or ``name`` of the backup instance ``backup_instance_id``."""
    if not id:
        if not backup_instance_id or not name:
            raise ValueError("give the recovery point's id, or its backup_instance_id and name")
        id = ResourceId.parse(backup_instance_id).child("recoveryPoints", name).path
    return read_recovery_point(_program_context(), id)


def get_recovery_points(
    backup_instance_id: str, *, start: str | None = None, end: str | None = None
) -> list[RecoveryPointInfo]:
    """The recovery points of ``backup_instance_id`` (between ISO date-times ``start`` and ``end``), newest first."""
    return list_recovery_points(_program_context(), backup_instance_id, start=start, end=end)


def get_deleted_backup_vault(
    id: str | None = None, *, name: str | None = None, location: str | None = None, subscription_id: str | None = None
) -> DeletedVaultInfo:
    """The soft-deleted vault with ARM id ``id``, or ``name`` in region ``location`` (subscription: the stack's)."""
    ctx = _program_context()
    if not id:
        if not name or not location:
            raise ValueError("give the deleted vault's id, or its name and location")
        id = f"{deleted_vaults_path(subscription_id or ctx.config.require_subscription(), location)}/{name}"
    return read_deleted_vault(ctx, id)


def get_deleted_backup_vaults(location: str, *, subscription_id: str | None = None) -> list[DeletedVaultInfo]:
    """The soft-deleted vaults in region ``location`` of the subscription (the stack's by default), by name."""
    ctx = _program_context()
    return list_deleted_vaults(ctx, subscription_id or ctx.config.require_subscription(), location)


def _lookup_output(args: list[Any], lookup: Callable[[list[Any]], T]) -> pulumi.Output[T]:
    """``lookup`` of the values of ``args`` as an Output. In a preview, a resource that does not exist yet while an
    argument comes from a resource of this package in the program (Terraform's data-source pattern: a lookup of a
    vault the program creates) gives an unknown, resolved by ``up``, instead of failing the preview."""
    import asyncio

    import pulumi

    from pulumi_dataprotection.dynamic.resource import ArmResource

    combined = pulumi.Output.all(*args)

    def run(values: list[Any]) -> pulumi.Output[T]:
        async def attempt() -> tuple[bool, T | None]:
            try:
                return True, lookup(values)
            except ResourceNotFoundError:
                own = any(isinstance(r, ArmResource) for r in await combined.resources())
                if own and pulumi.runtime.is_dry_run():
                    return False, None
                raise

        task = asyncio.ensure_future(attempt())

        async def value() -> T | None:
            return (await task)[1]

        async def known() -> bool:
            return (await task)[0]

        future = cast("Awaitable[T]", asyncio.ensure_future(value()))
        return pulumi.Output(set(), future, asyncio.ensure_future(known()))

    return combined.apply(run)


def get_backup_vault_output(
    id: pulumi.Input[str] | None = None,
    *,
    name: pulumi.Input[str] | None = None,
    resource_group_name: pulumi.Input[str] | None = None,
    subscription_id: pulumi.Input[str] | None = None,
) -> pulumi.Output[VaultInfo]:
    """:func:`get_backup_vault` with Pulumi inputs."""
    return _lookup_output(
        [id, name, resource_group_name, subscription_id],
        lambda a: get_backup_vault(a[0], name=a[1], resource_group_name=a[2], subscription_id=a[3]),
    )


def get_backup_policy_output(
    id: pulumi.Input[str] | None = None,
    *,
    vault_id: pulumi.Input[str] | None = None,
    name: pulumi.Input[str] | None = None,
) -> pulumi.Output[PolicyInfo]:
    """:func:`get_backup_policy` with Pulumi inputs."""
    return _lookup_output([id, vault_id, name], lambda a: get_backup_policy(a[0], vault_id=a[1], name=a[2]))


def get_backup_instance_output(
    id: pulumi.Input[str] | None = None,
    *,
    vault_id: pulumi.Input[str] | None = None,
    name: pulumi.Input[str] | None = None,
) -> pulumi.Output[InstanceInfo]:
    """:func:`get_backup_instance` with Pulumi inputs."""
    return _lookup_output([id, vault_id, name], lambda a: get_backup_instance(a[0], vault_id=a[1], name=a[2]))


def get_backup_instances_output(vault_id: pulumi.Input[str]) -> pulumi.Output[list[InstanceInfo]]:
    """:func:`get_backup_instances` with a Pulumi input."""
    return _lookup_output([vault_id], lambda a: get_backup_instances(a[0]))


def get_resource_guard_output(
    id: pulumi.Input[str] | None = None,
    *,
    name: pulumi.Input[str] | None = None,
    resource_group_name: pulumi.Input[str] | None = None,
    subscription_id: pulumi.Input[str] | None = None,
) -> pulumi.Output[GuardInfo]:
    """:func:`get_resource_guard` with Pulumi inputs."""
    return _lookup_output(
        [id, name, resource_group_name, subscription_id],
        lambda a: get_resource_guard(a[0], name=a[1], resource_group_name=a[2], subscription_id=a[3]),
    )


def get_backup_job_output(
    id: pulumi.Input[str] | None = None,
    *,
    vault_id: pulumi.Input[str] | None = None,
    name: pulumi.Input[str] | None = None,
) -> pulumi.Output[JobInfo]:
    """:func:`get_backup_job` with Pulumi inputs."""
    return _lookup_output([id, vault_id, name], lambda a: get_backup_job(a[0], vault_id=a[1], name=a[2]))


def get_backup_jobs_output(vault_id: pulumi.Input[str]) -> pulumi.Output[list[JobInfo]]:
    """:func:`get_backup_jobs` with a Pulumi input."""
    return _lookup_output([vault_id], lambda a: get_backup_jobs(a[0]))


def get_recovery_point_output(
    id: pulumi.Input[str] | None = None,
    *,
    backup_instance_id: pulumi.Input[str] | None = None,
    name: pulumi.Input[str] | None = None,
) -> pulumi.Output[RecoveryPointInfo]:
    """:func:`get_recovery_point` with Pulumi inputs."""
    return _lookup_output(
        [id, backup_instance_id, name], lambda a: get_recovery_point(a[0], backup_instance_id=a[1], name=a[2])
    )


def get_recovery_points_output(
    backup_instance_id: pulumi.Input[str],
    *,
    start: pulumi.Input[str] | None = None,
    end: pulumi.Input[str] | None = None,
) -> pulumi.Output[list[RecoveryPointInfo]]:
    """:func:`get_recovery_points` with Pulumi inputs."""
    return _lookup_output([backup_instance_id, start, end], lambda a: get_recovery_points(a[0], start=a[1], end=a[2]))


def get_deleted_backup_vault_output(
    id: pulumi.Input[str] | None = None,
    *,
    name: pulumi.Input[str] | None = None,
    location: pulumi.Input[str] | None = None,
    subscription_id: pulumi.Input[str] | None = None,
) -> pulumi.Output[DeletedVaultInfo]:
    """:func:`get_deleted_backup_vault` with Pulumi inputs."""
    return _lookup_output(
        [id, name, location, subscription_id],
        lambda a: get_deleted_backup_vault(a[0], name=a[1], location=a[2], subscription_id=a[3]),
    )


def get_deleted_backup_vaults_output(
    location: pulumi.Input[str], *, subscription_id: pulumi.Input[str] | None = None
) -> pulumi.Output[list[DeletedVaultInfo]]:
    """:func:`get_deleted_backup_vaults` with Pulumi inputs."""
    return _lookup_output([location, subscription_id], lambda a: get_deleted_backup_vaults(a[0], subscription_id=a[1]))
