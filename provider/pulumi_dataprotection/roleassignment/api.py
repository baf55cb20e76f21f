"""Typed inputs and outputs of RoleAssignment, generated from its schema by tools/gen_api.py (do not edit:
run ``python tools/gen_api.py --write``)."""

from __future__ import annotations

from typing import Literal

PrincipalType = Literal["ServicePrincipal", "User", "Group", "ForeignGroup", "Device"]
"""Kind of principal (ServicePrincipal for managed identities: Azure then does not wait for the directory to replicate a
new identity).
"""
