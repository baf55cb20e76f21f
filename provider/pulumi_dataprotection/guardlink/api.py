"""Typed inputs and outputs of VaultGuardLink, generated from its schema by tools/gen_api.py (do not edit:
run ``python tools/gen_api.py --write``)."""

from __future__ import annotations

from typing import Literal

OnDelete = Literal["Delete", "Retain"]
"""What destroying the resource does: Delete (delete it in Azure) or Retain (leave it untouched and only forget it).
Default: Retain when adopt_existing is set (it was made outside this stack), else Delete.
"""
