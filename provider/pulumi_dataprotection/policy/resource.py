"""The BackupPolicy dynamic resource: an immutable, content-addressed policy.

Azure cannot update a backup policy (``UserErrorBMSUpdatePolicyNotSupported``). By default the physical name is
``<name_prefix>-<hash of the canonical body>``, a create-only input: a content change is a new name, so Pulumi
creates the new policy, updates the instances that reference it in place, and deletes the old policy last. With an
explicit fixed ``name`` a content change cannot happen under the same name and fails at preview. An unchanged
policy is never PUT again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi.dynamic import CheckFailure

from pulumi_dataprotection.arm import ArmError, ResourceId
from pulumi_dataprotection.datasources import kind_of_type
from pulumi_dataprotection.dynamic import (
    TIMEOUT_RULE,
    TIMEOUTS,
    Context,
    ResourceFailure,
    SchemaProvider,
    extend,
    has_unknown,
    program,
    wording,
)
from pulumi_dataprotection.dynamic.adoption import ADOPT_EXISTING, ADOPTION_OUTPUT, on_delete_field
from pulumi_dataprotection.policy.schema import POLICY, content_name, summarize
from pulumi_dataprotection.schema import OUTPUT_ONLY, UNKNOWN_STRING, Field, StringType

HASH_LENGTH = 8
_CONTENT = ("datasource_types", "policy_rules", "raw")

SCHEMA = extend(
    POLICY,
    [
        Field(
            name="name_prefix",
            type=StringType(
                min_length=1,
                max_length=150 - HASH_LENGTH - 1,
                pattern=r"^[A-Za-z0-9][-A-Za-z0-9_.]*$",
                pattern_hint="letters, digits, hyphens, underscores or periods, starting with a letter or digit",
            ),
            doc="Prefix of the content-addressed name <name_prefix>-<hash> (default: the Pulumi resource name); "
            "not used when a fixed name is given.",
            diff=False,
        ),
        ADOPT_EXISTING,
        on_delete_field("policy"),
        TIMEOUTS,
    ],
    [TIMEOUT_RULE],
)


def content_hash(values: Mapping[str, Any]) -> str:
    """The short hash of a policy's canonical body (the suffix of its content-addressed name)."""
    return POLICY.content_hash(values, length=HASH_LENGTH)


def _with_tag_ids(rule: Any) -> Any:
    """A policy rule with the tag ids Azure assigns (``tagInfo.id`` = tag name + ``_``) in its tagging criteria."""
    criteria = rule.get("tagging_criteria") if isinstance(rule, Mapping) else None
    if not isinstance(criteria, list):
        return rule
    tagged = [
        {**c, "tag_id": f"{c['tag_name']}_"} if isinstance(c, Mapping) and isinstance(c.get("tag_name"), str) else c
        for c in criteria
    ]
    return {**rule, "tagging_criteria": tagged}


class PolicyProvider(SchemaProvider):
    """Lifecycle of ``Microsoft.DataProtection/backupVaults/backupPolicies``."""

    schema = SCHEMA
    title = "BackupPolicy"
    description = (
        "A backup policy of a vault. Build ``datasource_types`` and ``policy_rules`` with "
        "``pulumi_dataprotection.policy.builders`` (``aks_policy``, ``adls_policy``, ``postgresql_policy``, ...). "
        "Azure cannot update a policy: without ``name``, the policy is named ``<name_prefix>-<content hash>`` and a "
        "content change creates a new version (instances follow it); with a fixed ``name`` a content change is "
        "refused at preview."
    )
    identity_fields = ("vault_id", "name")
    same_id_replace = "refuse"
    named_by = ("name_prefix", "name")
    audit_outputs = (
        Field(
            name="summary",
            type=StringType(),
            doc="The schedule and retention in one line, e.g. `every 4 h to OperationalStore, kept 7 days`.",
            mutability=OUTPUT_ONLY,
        ),
        Field(
            name="content_hash",
            type=StringType(),
            doc="Hash of the policy's canonical body (the suffix of a content-addressed name).",
            mutability=OUTPUT_ONLY,
        ),
        ADOPTION_OUTPUT,
    )
    adoptable = True
    refusal_hint = (
        "Azure cannot update a policy and this one has a fixed `name`; remove `name` (content-addressed versions) or "
        "give the changed policy a new name"
    )

    def complete(self, news: dict[str, Any]) -> list[CheckFailure]:
        prefix = news.get("name_prefix")
        if prefix is None:
            return []
        if news.get("name") is not None:
            return [
                CheckFailure(
                    "name",
                    "set either name (a fixed policy name) or name_prefix (content-addressed names "
                    "<name_prefix>-<hash>), not both",
                )
            ]
        if has_unknown(prefix) or any(has_unknown(news.get(k)) for k in _CONTENT):
            news["name"] = UNKNOWN_STRING
            return []
        news["name"] = content_name(str(prefix), news, length=HASH_LENGTH)
        return []

    def resource_id(self, inputs: Mapping[str, Any]) -> ResourceId:
        return ResourceId.parse(str(inputs["vault_id"])).child("backupPolicies", str(inputs["name"]))

    def check_plan(self, olds: Mapping[str, Any], inputs: Mapping[str, Any]) -> list[CheckFailure]:
        known = self.known_outputs(inputs)
        arm_id = known.get("arm_id")
        if isinstance(arm_id, str) and not any(has_unknown(inputs.get(k)) for k in _CONTENT):
            program.remember_policy(arm_id, {k: inputs.get(k) for k in _CONTENT})
        types = inputs.get("datasource_types")
        kinds = [kind_of_type(t) for t in types if isinstance(t, str)] if isinstance(types, list) else []
        problems = [k.version_problem(str(known["api_version"])) for k in kinds if k and known.get("api_version")]
        return [CheckFailure("datasource_types", p) for p in problems if p]

    def replace_reason(
        self, olds: Mapping[str, Any], news: Mapping[str, Any], replaces: list[str], vault: str | None
    ) -> str:
        new_name = news.get("name")
        if olds.get("name_prefix") and "name" in replaces and isinstance(new_name, str) and not has_unknown(new_name):
            return wording.new_policy_version(olds.get("name"), new_name)
        return super().replace_reason(olds, news, replaces, vault)

    def refuse_message(self, olds: Mapping[str, Any], news: Mapping[str, Any], replaces: list[str]) -> str:
        name = news.get("name")
        return (
            f"BackupPolicy {name!r}: {', '.join(replaces)} changed, but Azure cannot update a backup policy "
            "(UserErrorBMSUpdatePolicyNotSupported) and this policy has the fixed name "
            f"{name!r}, so a new version cannot be created beside it.\n"
            "What to do: remove `name` (the provider then names each version <name_prefix>-<content hash>, creates "
            "the new version, re-points the backup instances to it and deletes the old version), or give the "
            "changed policy a new `name` (same effect, named by you), or revert the change.\n"
            f"Old summary: {olds.get('summary') or summarize(olds)}\n"
            f"New summary: {summarize(news)}"
        )

    def create_resource(self, ctx: Context, rid: ResourceId, inputs: dict[str, Any]) -> dict[str, Any]:
        result = ctx.client.execute(
            "PUT",
            rid.path,
            SCHEMA.to_rest(inputs),
            operation="create backup policy",
            resource=str(rid),
            timeout=ctx.timeout("create"),
        )
        if isinstance(result.body, dict) and result.body.get("id"):
            return result.body
        found = ctx.client.get(rid.path, operation="read backup policy", resource=str(rid))
        if found is None:
            raise ResourceFailure(f"{ctx.label}: Azure reported success but the policy cannot be read ({rid})")
        return found

    def updatable_in_place(self) -> bool:
        return False

    def update_resource(
        self, ctx: Context, rid: ResourceId, olds: Mapping[str, Any], inputs: dict[str, Any], changed: list[str]
    ) -> dict[str, Any]:
        raise ResourceFailure(
            f"{ctx.label}: Azure cannot update a backup policy in place ({', '.join(changed)} changed); this change "
            "should have been planned as a replacement - run `pulumi refresh` and retry"
        )

    def delete_resource(self, ctx: Context, rid: ResourceId, props: Mapping[str, Any]) -> None:
        try:
            ctx.client.execute(
                "DELETE", rid.path, operation="delete backup policy", resource=str(rid), timeout=ctx.timeout("delete")
            )
        except ArmError as exc:
            if exc.code != "UserErrorDppPolicyObjectInUse":
                raise
            raise ResourceFailure(
                f"{ctx.label} cannot be deleted: backup instances still use it.\n{exc}\n"
                "Instances managed by this stack are re-pointed before an old policy version is deleted; point any "
                "other instance (managed elsewhere) to another policy, then run `pulumi up` again. When this is a "
                "destroy that retains its backup instances (on_delete Retain, StopProtectionRetainData or Suspend), "
                "the policy must stay too: set on_delete='Retain' on the policy, `pulumi up`, then destroy again."
            ) from exc

    def audit(self, values: Mapping[str, Any]) -> dict[str, Any]:
        return {"summary": summarize(values), "content_hash": content_hash(values)}

    def predicted_outputs(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        rules = inputs.get("policy_rules")
        if not isinstance(rules, list) or has_unknown(rules):
            return {}
        return {"policy_rules": [_with_tag_ids(rule) for rule in rules]}

    def known_outputs(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        known = super().known_outputs(inputs)
        if known and not any(has_unknown(inputs.get(k)) for k in _CONTENT):
            known.update(self.audit(inputs))
        return known
