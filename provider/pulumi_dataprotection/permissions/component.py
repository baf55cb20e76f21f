"""BackupPermissions: a component that creates, in the same ``pulumi up``, the role assignments and AKS trusted-access
bindings the permission plan computes for a vault and its datasources (:func:`pulumi_dataprotection.permissions.plan`).

Make the backup instances depend on it (``opts=pulumi.ResourceOptions(depends_on=[permissions])``) so that
validation runs after the assignments exist; a creating instance then retries validateForBackup while Azure still
reports missing permissions, for up to ``dataprotection:rolePropagationWait`` (default 10 minutes), saying so.
Every grant is a :class:`~pulumi_dataprotection.RoleAssignment`: one that already exists is left as it is and kept
on destroy.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pulumi

from pulumi_dataprotection.permissions.plan import Assignment, Target, plan
from pulumi_dataprotection.roleassignment.api import RoleAssignment
from pulumi_dataprotection.trustedaccess.api import TrustedAccessBinding

_PLACEHOLDER_PRINCIPAL = "00000000-0000-0000-0000-00000000000{}"
_PLACEHOLDER_VAULT = "/subscriptions/{sub}/resourceGroups/placeholder/providers/Microsoft.DataProtection/backupVaults/v"
_IDENTITIES = ("vault", "cluster", "extension")


@dataclass(frozen=True)
class Datasource:
    """One datasource to protect: its kind (``disk``, ``aks``, ...), id and the scopes its roles need."""

    label: str
    kind: str
    datasource_id: str
    snapshot_resource_group_id: str | None = None
    key_vault_id: str | None = None
    extension_storage_account_id: str | None = None
    restore_storage_account_id: str | None = None
    restore_resource_group_id: str | None = None


def _required(principal: str | None, what: str) -> str:
    """``principal``, or an error saying the vault has no managed identity to grant roles to."""
    if not principal:
        raise ValueError(
            f"{what} is empty: the vault has no managed identity to grant roles to; give it one "
            "(identity_type='SystemAssigned', or a user-assigned identity and its principal id)"
        )
    return principal


def _slug(*parts: str) -> str:
    return re.sub(r"[^0-9a-zA-Z]+", "-", "-".join(parts)).strip("-").lower()


class BackupPermissions(pulumi.ComponentResource):
    """The roles a backup vault (and, for AKS, the cluster and its backup extension) needs, assigned as resources.

    ``vault_principal_id`` is the vault's ``principal_id`` (or a user-assigned identity's), ``vault_id`` its
    ``arm_id`` (for AKS trusted access); ``encryption_key_vault_id`` adds the customer-managed-key role;
    ``include_restore`` the roles restores need. Raises ValueError at construction when a scope the plan needs is not
    given (the message names the Datasource field).
    """

    assignments: list[RoleAssignment]
    bindings: list[TrustedAccessBinding]

    def __init__(
        self,
        resource_name: str,
        *,
        vault_principal_id: pulumi.Input[str | None],
        datasources: Sequence[Datasource],
        vault_id: pulumi.Input[str] | None = None,
        cluster_principal_id: pulumi.Input[str] | None = None,
        extension_principal_id: pulumi.Input[str] | None = None,
        encryption_key_vault_id: str | None = None,
        include_restore: bool = False,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("dataprotection:index:BackupPermissions", resource_name, None, opts)
        vault_principal = pulumi.Output.from_input(vault_principal_id).apply(
            lambda found: _required(found, f"BackupPermissions {resource_name!r}: vault_principal_id")
        )
        principals: dict[str, pulumi.Input[str] | None] = {
            "vault": vault_principal,
            "cluster": cluster_principal_id,
            "extension": extension_principal_id,
        }
        targets = [self._target(d, principals, vault_id, encryption_key_vault_id) for d in datasources]
        result = plan(targets, include_restore=include_restore)
        if result.missing:
            needed = ", ".join(f"{label}: {field}" for label, field in result.missing)
            raise ValueError(f"BackupPermissions {resource_name!r}: the plan still needs {needed}")
        child = pulumi.ResourceOptions(parent=self)
        self.assignments = []
        seen: set[tuple[str, str, str]] = set()
        for row in result.assignments:
            key = (row.identity, row.role_guid, str(row.scope).lower())
            if key in seen:
                continue
            seen.add(key)
            self.assignments.append(self._assign(resource_name, row, principals[row.identity], child))
        self.bindings = [
            TrustedAccessBinding(
                _slug(resource_name, b.target, "trusted-access"),
                cluster_id=b.cluster_id,
                source_resource_id=vault_id,  # type: ignore[arg-type]  # checked: the plan needs vault_id for AKS
                roles=list(b.roles),
                opts=child,
            )
            for b in result.trusted_access
        ]
        self.register_outputs({"assignment_ids": [a.arm_id for a in self.assignments]})

    @staticmethod
    def _target(
        source: Datasource,
        principals: dict[str, pulumi.Input[str] | None],
        vault_id: pulumi.Input[str] | None,
        encryption_key_vault_id: str | None,
    ) -> Target:
        """A plan target with placeholders for the values that are outputs (principals, the vault id)."""
        subscription = source.datasource_id.split("/")[2] if source.datasource_id.count("/") > 2 else ""
        known = [
            _PLACEHOLDER_PRINCIPAL.format(i) if principals[name] is not None else None
            for i, name in enumerate(_IDENTITIES)
        ]
        return Target(
            label=source.label,
            kind=source.kind,
            datasource_id=source.datasource_id,
            vault_id=_PLACEHOLDER_VAULT.format(sub=subscription) if vault_id is not None else None,
            snapshot_resource_group_id=source.snapshot_resource_group_id,
            key_vault_id=source.key_vault_id,
            extension_storage_account_id=source.extension_storage_account_id,
            restore_storage_account_id=source.restore_storage_account_id,
            restore_resource_group_id=source.restore_resource_group_id,
            encryption_key_vault_id=encryption_key_vault_id,
            vault_principal=known[0],
            cluster_principal=known[1],
            extension_principal=known[2],
        )

    def _assign(
        self, name: str, row: Assignment, principal: pulumi.Input[str] | None, opts: pulumi.ResourceOptions
    ) -> RoleAssignment:
        return RoleAssignment(
            _slug(name, row.target, row.identity, row.role, "on", row.scope_kind),
            scope=str(row.scope),
            principal_id=principal,  # type: ignore[arg-type]  # the plan has no missing principal
            role_definition_id=row.role_definition_id,
            description=f"Azure Backup ({row.purpose}): {row.reason}",
            opts=opts,
        )
