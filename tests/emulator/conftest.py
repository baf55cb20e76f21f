"""Fixtures of the emulator tests: a client that checks every response against the official spec, and setups."""

from __future__ import annotations

import re
from functools import cache
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from pulumi_dataprotection.emulator import EmulatorHandle
from tests.emulator import helpers
from tests.support.emulator import ArmClient
from tests.support.spec import SPEC_VERSIONS, Spec, load_spec

# Paths Azure uses that the spec does not declare, mapped to the operation whose schema they follow
# (the vault DELETE recording polls {RG}/providers/Microsoft.DataProtection/locations/{loc}/operationStatus/{id}).
_UNDECLARED = (
    (
        "GET",
        re.compile(
            r"^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.DataProtection/locations/[^/]+"
            r"/operationStatus/[^/]+$",
            re.I,
        ),
        "OperationStatusResourceGroupContext_Get",
    ),
)


# Paths the spec does not declare but whose bodies it defines: the soft-deleted vaults (the definitions and the
# x-ms-deleted-vault-id header of BackupVaults_CreateOrUpdate are in 2025-09-01 and 2026-06-01; the path is the one of
# the header's example, PutBackupVaultWithUndelete.json).
_UNDECLARED_BODIES = (
    (
        re.compile(r"^/subscriptions/[^/]+/providers/Microsoft\.DataProtection/locations/[^/]+/deletedVaults$", re.I),
        "DeletedBackupVaultResourceListResult",
    ),
    (
        re.compile(
            r"^/subscriptions/[^/]+/providers/Microsoft\.DataProtection/locations/[^/]+/deletedVaults/[^/]+$", re.I
        ),
        "DeletedBackupVaultResource",
    ),
)


@cache
def _templates(spec: Spec) -> list[tuple[str, re.Pattern[str], str, bool]]:
    out = []
    for op_id, op in spec.operations().items():
        generic = "{resourceId}" in op.path
        pattern = re.escape(op.path)
        pattern = pattern.replace(re.escape("{resourceId}"), ".+")
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", pattern)
        out.append((op.method, re.compile(f"^/?{pattern}$", re.I), op_id, generic))
    out.sort(key=lambda t: t[3])
    return out


def operation_id(spec: Spec, method: str, path: str) -> str | None:
    """The spec operation a request is an instance of (None for paths outside the API)."""
    for m, pattern, op_id in _UNDECLARED:
        if m == method and pattern.match(path):
            return op_id
    for m, pattern, op_id, _ in _templates(spec):
        if m == method and pattern.match(path):
            return op_id
    return None


class CheckedArm(ArmClient):
    """An ArmClient that asserts every response conforms to the official spec of the request's api-version (the
    default spec for versions without one under ``../shared``)."""

    def __init__(self, handle: EmulatorHandle, spec: Spec) -> None:
        super().__init__(handle)
        self.spec = spec

    def request(self, method: str, path: str, body: Any = None, **kw: Any) -> requests.Response:
        response = super().request(method, path, body, **kw)
        url = urlsplit(self.url(path))
        version = parse_qs(url.query).get("api-version", [""])[0]
        self.check(method, url.path, response, load_spec(version) if version in SPEC_VERSIONS else self.spec)
        return response

    def check(self, method: str, path: str, response: requests.Response, spec: Spec | None = None) -> None:
        """Assert the response's status is declared for its operation and its body matches the schema."""
        spec = spec or self.spec
        if response.status_code == 406 and not response.content:
            return  # the Accept-charset quirk: Azure answers an empty 406 instead of the error
        op = operation_id(spec, method.upper(), path)
        body = response.json() if response.content else None
        definition = next((d for pattern, d in _UNDECLARED_BODIES if pattern.match(path)), None)
        if definition is not None and method.upper() == "GET" and response.status_code == 200:
            errors = spec.validate(definition, body, "response")
            assert not errors, f"{method} {path} does not conform to {definition}:\n" + "\n".join(errors)
            return
        if op is None:
            assert response.status_code >= 400, f"{method} {path} is outside the API: {response.status_code}"
            errors = spec.validate("CloudError", body, "response")
            assert not errors, f"{method} {path} -> {response.status_code} is not a CloudError:\n" + "\n".join(errors)
            return
        # Azure reports protectionStatus.status "UpdatingProtection" and both states "BackupsSuspended" (recorded),
        # values of the extensible (modelAsString) enums that the spec does not list; every other value must be listed.
        lenient = any(value in response.text for value in ('"UpdatingProtection"', '"BackupsSuspended"'))
        if op == "DppResourceGuardProxy_Delete" and body == {}:
            body = None  # Azure answers {} where the spec declares no body (7/7 recorded guard link removals)
        errors = spec.validate_response(op, response.status_code, as_the_spec_declares(body), lenient_enums=lenient)
        assert not errors, f"{method} {path} -> {response.status_code} does not conform to {op}:\n" + "\n".join(errors)
        if body is not None:
            assert response.headers["Content-Type"].startswith("application/json")


_RECORDED_UNDECLARED = frozenset({"sourceDataStoreType", "isCrossRegionRestore"})
"""Properties Azure sends that the 2025-09-01 spec does not declare: both on every recorded backup job, e.g.
``azure-cli-extensions@8e1899ee/test_dataprotection_backup_and_restore_aks.yaml`` #50."""


def as_the_spec_declares(body: Any) -> Any:
    """``body`` without Azure's explicit nulls (the spec marks no property nullable, Azure sends null for every unset
    one, e.g. in the backup jobs of every recording) and without the recorded properties the spec leaves out."""
    if isinstance(body, dict):
        return {k: as_the_spec_declares(v) for k, v in body.items() if v is not None and k not in _RECORDED_UNDECLARED}
    if isinstance(body, list):
        return [as_the_spec_declares(v) for v in body]
    return body


@pytest.fixture
def api(emulator: EmulatorHandle, spec: Spec) -> CheckedArm:
    """A spec-checking ARM client of the ``emulator`` fixture."""
    return CheckedArm(emulator, spec)


@pytest.fixture
def vault(api: CheckedArm) -> str:
    """A provisioned vault (``vault1``, soft delete AlwaysOn); returns its id."""
    path = helpers.vault_path()
    response = api.put(path, helpers.vault_body())
    assert response.status_code == 201, response.text
    assert api.wait(response)["status"] == "Succeeded"
    return path


@pytest.fixture
def disk_policy(api: CheckedArm, vault: str) -> str:
    """A disk policy in ``vault1``; returns its id."""
    path = helpers.policy_path("diskpolicy")
    response = api.put(path, helpers.disk_policy())
    assert response.status_code == 200, response.text
    return path


@pytest.fixture
def blob_policy(api: CheckedArm, vault: str) -> str:
    """A vaulted blob policy in ``vault1``; returns its id."""
    path = helpers.policy_path("blobpolicy")
    response = api.put(path, helpers.blob_policy())
    assert response.status_code == 200, response.text
    return path
