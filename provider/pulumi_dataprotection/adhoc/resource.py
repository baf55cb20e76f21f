"""The AdhocBackup dynamic resource: trigger an on-demand backup of a backup instance with a backup rule (and
optionally a retention tag), wait for the backup job, and output its id and status. A change of ``triggers`` runs
it again (replacement); destroying it does nothing in Azure (the recovery point follows its retention)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_dataprotection.adhoc.jobs import find_started_job, job_outcome
from pulumi_dataprotection.arm import AmbiguousActionError, NotFoundError, ResourceId
from pulumi_dataprotection.dynamic import (
    TIMEOUT_RULE,
    TIMEOUTS,
    Context,
    ResourceFailure,
    SchemaProvider,
    wait_until,
)
from pulumi_dataprotection.schema import (
    CREATE_ONLY,
    OUTPUT_ONLY,
    AnyJson,
    ArmIdType,
    BoolType,
    Field,
    ObjectType,
    ResourceSchema,
    StringType,
    output_field,
)

SCHEMA = ResourceSchema(
    "AdhocBackup",
    ObjectType(
        [
            Field(
                name="backup_instance_id",
                type=ArmIdType("Microsoft.DataProtection/backupVaults/backupInstances"),
                doc="Id of the backup instance to back up.",
                mutability=CREATE_ONLY,
                required=True,
            ),
            Field(
                name="rule_name",
                type=StringType(min_length=1),
                doc="The policy's backup rule to use (default: the policy's only backup rule).",
                mutability=CREATE_ONLY,
                computed=True,
            ),
            Field(
                name="retention_tag_override",
                type=StringType(min_length=1),
                doc="Retention tag for the recovery point (Default, Daily, Weekly, ...; default: the rule's default).",
                mutability=CREATE_ONLY,
            ),
            Field(
                name="triggers",
                type=AnyJson(),
                doc="Any value; changing it runs a new backup.",
                mutability=CREATE_ONLY,
            ),
            Field(
                name="wait_for_completion",
                type=BoolType(),
                doc="Wait until the backup job completes (else only until Azure accepted it).",
                default=True,
                diff=False,
            ),
            TIMEOUTS,
            output_field("id", "id", "ARM id of the backup job."),
            output_field(
                "job_status", "properties.status", "Status of the backup job (InProgress, Completed, Failed)."
            ),
            output_field("job_start_time", "properties.startTime", "When the job started."),
            output_field("job_end_time", "properties.endTime", "When the job ended."),
            output_field(
                "recovery_point_id",
                "properties.extendedInfo.targetRecoverPoint.recoveryPointID",
                "The recovery point the job created.",
            ),
            output_field("job_error", "properties.errorDetails", "Errors of a failed job.", AnyJson()),
        ],
        rules=[TIMEOUT_RULE],
        description="an ad-hoc backup",
    ),
)


def trigger_body(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The body of ``POST {backupInstance}/backup`` (the spec's ``TriggerBackupRequest``) for inputs whose
    ``rule_name`` is known."""
    option = {"retentionTagOverride": inputs["retention_tag_override"]} if inputs.get("retention_tag_override") else {}
    return {"backupRuleOptions": {"ruleName": inputs["rule_name"], "triggerOption": option}}


class AdhocBackupProvider(SchemaProvider):
    """Triggers ``POST {backupInstance}/backup`` and follows the backup job."""

    schema = SCHEMA
    title = "AdhocBackup"
    description = "An on-demand backup of a backup instance; change ``triggers`` to run another one."
    identity_fields = ()
    audit_outputs = (Field(name="job_id", type=StringType(), doc="Id of the backup job.", mutability=OUTPUT_ONLY),)

    def resource_id(self, inputs: Mapping[str, Any]) -> ResourceId:
        return ResourceId.parse(str(inputs["backup_instance_id"]))

    def _rule_name(self, ctx: Context, rid: ResourceId) -> str:
        instance = ctx.client.get(rid.path, operation="read backup instance", resource=str(rid))
        if instance is None:
            raise ResourceFailure(f"{ctx.label}: the backup instance {rid} does not exist")
        policy_id = ((instance.get("properties") or {}).get("policyInfo") or {}).get("policyId")
        policy = ctx.client.get(ResourceId.parse(str(policy_id)).path, operation="read backup policy")
        rules = [
            str(r.get("name"))
            for r in ((policy or {}).get("properties") or {}).get("policyRules") or []
            if isinstance(r, dict) and r.get("objectType") == "AzureBackupRule"
        ]
        if len(rules) != 1:
            raise ResourceFailure(
                f"{ctx.label}: set rule_name; the instance's policy {policy_id} has "
                f"{len(rules)} backup rules ({', '.join(rules) or 'none'})"
            )
        return rules[0]

    def create_resource(self, ctx: Context, rid: ResourceId, inputs: dict[str, Any]) -> dict[str, Any]:
        if not inputs.get("rule_name"):
            inputs["rule_name"] = self._rule_name(ctx, rid)
        job_id = self._trigger(ctx, rid, trigger_body(inputs))
        job = ResourceId.parse(job_id)
        last: dict[str, Any] = {"id": job_id, "properties": {"status": "InProgress"}}

        def probe() -> tuple[bool, str]:
            found = ctx.client.get(job.path, operation="read backup job", resource=job_id)
            if found is not None:
                last.clear()
                last.update(found)
            status = str((last.get("properties") or {}).get("status") or "")
            if job_outcome(status) == "failed":
                details = (last.get("properties") or {}).get("errorDetails")
                raise ResourceFailure(
                    f"{ctx.label}: the backup job {job_id} ended {status}: {details}; fix the cause and run "
                    "`pulumi up` again (a new backup is triggered)"
                )
            return job_outcome(status) == "completed" or not inputs.get("wait_for_completion", True), status

        wait_until(ctx, what=f"backup job of {ctx.label}", probe=probe, timeout=ctx.timeout("create"))
        return last

    def _trigger(self, ctx: Context, rid: ResourceId, body: dict[str, Any]) -> str:
        """POST the backup once and return its job id; after an ambiguous failure (the request may have reached
        Azure), the job it started is looked up instead of sending the request again."""
        try:
            result = ctx.client.execute(
                "POST",
                rid.action("backup"),
                body,
                operation="trigger ad-hoc backup",
                resource=str(rid),
                timeout=ctx.timeout("create"),
            )
        except AmbiguousActionError as exc:
            job_id = find_started_job(ctx.client, rid, exc.sent_at, ctx.timeout("create"))
            if job_id is None:
                raise ResourceFailure(
                    f"{ctx.label}: {exc}\nNo backup job of the instance started since then, so the backup apparently "
                    "did not start; it was not triggered again. Run `pulumi up` again to trigger it."
                ) from exc
            return job_id
        if not result.job_id:
            raise ResourceFailure(f"{ctx.label}: Azure accepted the backup but returned no job id ({rid})")
        return result.job_id

    def read_resource(self, ctx: Context, rid: ResourceId, props: Mapping[str, Any]) -> dict[str, Any] | None:
        try:
            found = ctx.client.get(rid.path, operation="read backup job", resource=str(rid))
        except NotFoundError as exc:
            if not exc.gone:
                raise
            found = None
        if found is not None:
            return found
        # Jobs expire in Azure; the backup still happened, so keep the recorded outcome instead of re-running it.
        return SCHEMA.render({**props, "id": props.get("arm_id") or str(rid)}, include_outputs=True)

    def delete_resource(self, ctx: Context, rid: ResourceId, props: Mapping[str, Any]) -> None:
        return None

    def audit(self, values: Mapping[str, Any]) -> dict[str, Any]:
        return {"job_id": values.get("arm_id")}
