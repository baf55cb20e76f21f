"""A role assignment (Microsoft.Authorization/roleAssignments) as a resource: RoleAssignment."""
