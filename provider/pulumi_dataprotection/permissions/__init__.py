"""The permission planner: which identity needs which built-in role on which scope for each datasource kind.

Typical use::

    from pulumi_dataprotection.permissions import Target, plan, pulumi_program
    result = plan([Target("bi-disk", "disk", disk_id, vault_principal=pid, snapshot_resource_group_id=rg_id)])
"""

from pulumi_dataprotection.permissions.plan import Assignment, Plan, Target, TrustedAccess, plan, scope_of
from pulumi_dataprotection.permissions.snippets import pulumi_program
from pulumi_dataprotection.permissions.table import DatasourceRoles, RoleRule, RoleTable, load_table, parse_table

__all__ = [
    "Assignment",
    "DatasourceRoles",
    "Plan",
    "RoleRule",
    "RoleTable",
    "Target",
    "TrustedAccess",
    "load_table",
    "parse_table",
    "plan",
    "pulumi_program",
    "scope_of",
]
