"""Provider configuration: stack config keys, azure-native and environment fallbacks, credentials, timeouts."""

from __future__ import annotations

import pytest

from pulumi_dataprotection.arm import CredentialMode
from pulumi_dataprotection.config import ConfigError, load, parse_duration


def test_dataprotection_keys_win_over_azure_native_and_env() -> None:
    cfg = load(
        {"dataprotection:subscriptionId": "sub-dp", "azure-native:subscriptionId": "sub-native"},
        {"AZURE_SUBSCRIPTION_ID": "sub-env"},
    )
    assert cfg.subscription_id == "sub-dp"
    assert load({"azure-native:subscriptionId": "sub-native"}, {"AZURE_SUBSCRIPTION_ID": "e"}).subscription_id == (
        "sub-native"
    )
    assert load({}, {"ARM_SUBSCRIPTION_ID": "sub-arm"}).subscription_id == "sub-arm"
    assert load({}, {"AZURE_SUBSCRIPTION_ID": "a", "ARM_SUBSCRIPTION_ID": "b"}).subscription_id == "a"
    with pytest.raises(ConfigError, match="pulumi config set dataprotection:subscriptionId"):
        load({}, {}).require_subscription()


def test_credential_modes() -> None:
    emulator = load({"dataprotection:endpoint": "http://127.0.0.1:1", "dataprotection:token": "tok-SECRET-42"}, {})
    assert emulator.credential is CredentialMode.STATIC and emulator.arm_settings().static_token is not None
    assert "tok-SECRET-42" not in repr(emulator)

    env_token = load({}, {"DATAPROTECTION_ENDPOINT": "http://127.0.0.1:2", "DATAPROTECTION_TOKEN": "x"})
    assert env_token.endpoint == "http://127.0.0.1:2" and env_token.credential is CredentialMode.STATIC

    sp = load({"azure-native:tenantId": "ten", "azure-native:clientId": "cli", "azure-native:clientSecret": "sec"}, {})
    assert sp.credential is CredentialMode.CLIENT_SECRET and sp.arm_settings().tenant_id == "ten"

    assert load({"dataprotection:credentials": "default"}, {}).credential is CredentialMode.DEFAULT
    with pytest.raises(ConfigError, match="credentials must be default, clientSecret or static"):
        load({"dataprotection:credentials": "magic"}, {})
    with pytest.raises(ConfigError, match="static_token"):
        load({"dataprotection:credentials": "static"}, {}).arm_settings()


def test_cloud_api_version_ca_bundle_and_preview_validation() -> None:
    cfg = load(
        {
            "azure-native:environment": "usgovernment",
            "dataprotection:apiVersion": "2025-07-01",
            "dataprotection:caBundle": "/tmp/ca.pem",
            "dataprotection:validateInPreview": "true",
        },
        {},
    )
    settings = cfg.arm_settings()
    assert settings.resolved_cloud.arm_endpoint.startswith("https://management.usgovcloudapi.net")
    assert settings.default_api_version == "2025-07-01" and settings.ca_bundle == "/tmp/ca.pem"
    assert cfg.validate_in_preview is True
    with pytest.raises(ConfigError, match="validateInPreview must be true or false"):
        load({"dataprotection:validateInPreview": "maybe"}, {})


def test_timeouts_from_config_and_resource_inputs() -> None:
    cfg = load({"dataprotection:timeouts": '{"create": "90m", "delete": "PT30M"}'}, {})
    assert cfg.timeout("create") == 5400 and cfg.timeout("delete") == 1800 and cfg.timeout("update") == 3600
    assert cfg.timeout("create", {"create": "10s"}) == 10
    assert cfg.arm_settings().operation_timeout == 5400
    with pytest.raises(ConfigError, match="unknown operation 'destroy'"):
        load({"dataprotection:timeouts": {"destroy": "1m"}}, {})


def test_poll_interval_bounds() -> None:
    poll = (
        load({"dataprotection:pollMinInterval": "2s", "dataprotection:pollMaxInterval": "5s"}, {}).arm_settings().poll
    )
    assert (poll.min_interval, poll.max_interval) == (2, 5)
    assert poll.interval(None, first=False) == 5 and poll.interval(0, first=True) == 2


@pytest.mark.parametrize(("text", "seconds"), [("90s", 90), ("60m", 3600), ("1h30m", 5400), ("PT2H", 7200), (5, 5)])
def test_durations(text: object, seconds: float) -> None:
    assert parse_duration(text, "x") == seconds


@pytest.mark.parametrize("text", ["soon", "0", "-5", "", "1d"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ConfigError, match="x must be"):
        parse_duration(text, "x")


def test_an_endpoint_from_the_environment_is_known_as_such() -> None:
    from pulumi_dataprotection.config import environment_endpoint

    env = {"DATAPROTECTION_ENDPOINT": "http://127.0.0.1:8443"}
    assert environment_endpoint({}, env) == "http://127.0.0.1:8443"
    assert environment_endpoint({"dataprotection:endpoint": ""}, env) == "http://127.0.0.1:8443"
    assert environment_endpoint({"dataprotection:endpoint": "https://management.azure.com"}, env) is None
    assert environment_endpoint({}, {}) is None


@pytest.mark.parametrize("version", ["2025-07-01", "2025-09-01", "2022-11-01-preview"])
def test_api_version_is_any_dated_version(version: str) -> None:
    assert load({"dataprotection:apiVersion": version}, {}).api_version == version


def test_a_malformed_api_version_names_the_key() -> None:
    with pytest.raises(ConfigError) as error:
        load({"dataprotection:apiVersion": "latest"}, {})
    assert "apiVersion" in str(error.value) and "2025-07-01" in str(error.value)


def test_every_bad_setting_is_named_with_the_key_it_was_read_from() -> None:
    with pytest.raises(ConfigError) as caught:
        load(
            {"azure-native:subscriptionId": {"not": "text"}, "dataprotection:pollMinInterval": "soon"},
            {"DATAPROTECTION_CREDENTIALS": "magic"},
        )
    lines = str(caught.value).splitlines()
    assert lines == [
        "azure-native:subscriptionId must be text; got {'not': 'text'}",
        "DATAPROTECTION_CREDENTIALS must be default, clientSecret or static; got 'magic'",
        "dataprotection:pollMinInterval must be a duration such as 90s, 60m, 1h30m or PT1H (or seconds); got 'soon'",
    ]
    assert load({"dataprotection:subscriptionId": 42, "dataprotection:validateInPreview": "Yes"}, {}) == load(
        {"dataprotection:subscriptionId": "42", "dataprotection:validateInPreview": True}, {}
    )


def test_the_current_configuration_is_resolved_again_only_when_config_or_environment_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pulumi_dataprotection import config as config_module

    monkeypatch.delenv("AZURE_SUBSCRIPTION_ID", raising=False)
    monkeypatch.delenv("ARM_SUBSCRIPTION_ID", raising=False)
    config_module.set_stack_config({"dataprotection:subscriptionId": "sub-1"})
    try:
        first = config_module.current()
        assert config_module.current() is first and first.subscription_id == "sub-1"
        config_module.set_stack_config({})
        monkeypatch.setenv("ARM_SUBSCRIPTION_ID", "sub-env")
        assert config_module.current().subscription_id == "sub-env"
        monkeypatch.setenv("ARM_SUBSCRIPTION_ID", "sub-env-2")
        assert config_module.current().subscription_id == "sub-env-2"
    finally:
        config_module.set_stack_config({})
