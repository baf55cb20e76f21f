"""ARM's front door on the emulator: authentication, api-version, routing errors and response headers."""

from __future__ import annotations

import pytest
import requests

from pulumi_dataprotection.emulator import EmulatorHandle
from pulumi_dataprotection.emulator.config import API_VERSIONS
from tests.emulator import helpers
from tests.emulator.conftest import CheckedArm


def _error(response: requests.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


def test_requests_need_the_bearer_token(api: CheckedArm, emulator: EmulatorHandle) -> None:
    url = api.url(helpers.vault_path())
    missing = requests.get(url, timeout=10)
    assert _error(missing) == (401, "AuthenticationFailed")
    assert "missing 'Authorization' header" in missing.headers["WWW-Authenticate"]
    message = "Authentication failed. The 'Authorization' header is missing."
    assert missing.json() == {"error": {"code": "AuthenticationFailed", "message": message}}
    assert _error(requests.get(url, headers={"Authorization": "Basic abc"}, timeout=10)) == (
        401,
        "AuthenticationFailedInvalidHeader",
    )
    assert _error(requests.get(url, headers={"Authorization": "Bearer wrong"}, timeout=10)) == (
        401,
        "InvalidAuthenticationToken",
    )
    assert requests.get(url, headers={"Authorization": f"Bearer {emulator.token}"}, timeout=10).status_code == 404


def test_api_versions_are_checked_like_arm(api: CheckedArm) -> None:
    path = helpers.vault_path()
    base = f"{api.handle.url}{path}"
    assert _error(api.get(base)) == (400, "MissingApiVersionParameter")
    assert _error(api.get(f"{base}?api-version=latest")) == (400, "InvalidApiVersionParameter")
    old = api.get(f"{base}?api-version=2021-02-01")
    assert _error(old) == (400, "NoRegisteredProviderFound")
    message = old.json()["error"]["message"]
    assert "API version '2021-02-01' for type 'backupVaults'" in message
    assert f"The supported api-versions are '{', '.join(API_VERSIONS)}'." in message
    assert old.headers["x-ms-failure-cause"] == "gateway"


@pytest.mark.parametrize("version", ["2022-11-01-preview", "2023-01-01", "2024-04-01", "2025-07-01", "2026-06-01"])
def test_every_version_clients_send_is_served(api: CheckedArm, version: str) -> None:
    """The recordings send 2022-11-01-preview to 2025-07-01; azure-mgmt-dataprotection 2.2.0 sends 2026-06-01."""
    assert version in API_VERSIONS
    response = api.get(f"{api.handle.url}{helpers.vault_path()}?api-version={version}")
    assert _error(response) == (404, "ResourceNotFound")
    created = api.put(f"{api.handle.url}{helpers.vault_path()}?api-version={version}", helpers.vault_body())
    assert created.status_code == 201, created.text
    assert f"api-version={version}" in created.headers["Azure-AsyncOperation"]


def test_response_headers_look_like_arm(api: CheckedArm, vault: str) -> None:
    response = api.get(vault, headers={"x-ms-client-request-id": "abc-123", "x-ms-correlation-request-id": "corr-1"})
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.headers["x-ms-client-request-id"] == "abc-123"
    assert response.headers["x-ms-correlation-request-id"] == "corr-1"
    assert len(response.headers["x-ms-request-id"]) == 36
    assert response.headers["x-ms-ratelimit-remaining-subscription-reads"]
    assert "server" not in response.headers
    empty = api.delete(helpers.instance_path("absent"))
    assert empty.status_code == 204 and "Content-Type" not in empty.headers


def test_routing_and_request_errors(api: CheckedArm) -> None:
    unknown = api.get(f"{helpers.vault_path()}/backupThings")
    assert _error(unknown) == (404, "InvalidResourceType")
    bad_sub = api.get("/subscriptions/not-a-guid/resourceGroups/rg/providers/Microsoft.DataProtection/backupVaults")
    assert _error(bad_sub) == (400, "InvalidSubscriptionId")
    garbage = api.request("PUT", helpers.vault_path(), data=b"{not json", headers={"Content-Type": "application/json"})
    assert _error(garbage) == (400, "InvalidRequestContent")
    method = api.post(helpers.vault_path())
    assert method.status_code == 405


def test_paths_match_case_insensitively(api: CheckedArm, vault: str) -> None:
    lowered = vault.replace("resourceGroups", "resourcegroups").replace("backupVaults", "BackupVaults")
    response = api.get(lowered)
    assert response.status_code == 200
    assert response.json()["id"] == vault
