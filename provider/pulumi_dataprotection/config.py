"""Provider settings: Pulumi stack config (``dataprotection:*``, then the ``azure-native:*`` keys users already have)
and environment variables, turned into `ArmSettings`, per-operation timeouts and preview options.

The dynamic-provider host passes the whole stack config to ``ResourceProvider.configure`` (namespaced keys such as
``dataprotection:subscriptionId``); it is kept here, per process, and never on the pickled provider objects.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Callable, Mapping
from typing import Annotated, Any

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from pulumi_dataprotection.arm import DEFAULT_API_VERSION, ArmSettings, CredentialMode, PollPolicy, Secret
from pulumi_dataprotection.schema import names

NAMESPACE = "dataprotection"
OPERATIONS = ("create", "update", "delete", "read")
DEFAULT_TIMEOUTS: dict[str, float] = {"create": 3600.0, "update": 3600.0, "delete": 3600.0, "read": 300.0}

_DURATION = re.compile(r"^(?:(?P<h>\d+(?:\.\d+)?)h)?(?:(?P<m>\d+(?:\.\d+)?)m)?(?:(?P<s>\d+(?:\.\d+)?)s)?$")
_ISO = re.compile(r"^PT(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?$")
_CREDENTIALS = {
    "default": CredentialMode.DEFAULT,
    "clientsecret": CredentialMode.CLIENT_SECRET,
    "client_secret": CredentialMode.CLIENT_SECRET,
    "static": CredentialMode.STATIC,
}

_lock = threading.Lock()
_stack_config: dict[str, Any] = {}


class ConfigError(ValueError):
    """A configuration value is missing or malformed; the message names the key and what to set."""


def parse_duration(value: Any, what: str) -> float:
    """Seconds from ``"90s"``, ``"60m"``, ``"1h30m"``, ``"PT1H"`` or a number of seconds; ConfigError otherwise."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    text = str(value).strip()
    try:
        seconds = float(text)
    except ValueError:
        match = _DURATION.match(text.lower()) or _ISO.match(text.upper())
        if match is None or not any(match.groupdict().values()):
            raise ConfigError(
                f"{what} must be a duration such as 90s, 60m, 1h30m or PT1H (or seconds); got {value!r}"
            ) from None
        parts = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
        seconds = parts["h"] * 3600 + parts["m"] * 60 + parts["s"]
    if seconds <= 0:
        raise ConfigError(f"{what} must be positive; got {value!r}")
    return seconds


def parse_timeouts(value: Any, what: str) -> dict[str, float]:
    """A ``{"create": "60m", ...}`` mapping (or its JSON text) as seconds per operation."""
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise ConfigError(f'{what} must be a JSON object such as {{"create": "60m"}}; got {value!r}') from exc
    if not isinstance(value, Mapping):
        raise ConfigError(f'{what} must be an object such as {{"create": "60m", "delete": "30m"}}; got {value!r}')
    out: dict[str, float] = {}
    for key, item in value.items():
        if key not in OPERATIONS:
            raise ConfigError(f"{what} has an unknown operation {key!r}; use {', '.join(OPERATIONS)}")
        out[key] = parse_duration(item, f"{what}.{key}")
    return out


def _duration_or_none(what: str) -> Callable[[Any], float | None]:
    return lambda value: None if value is None else parse_duration(value, what)


def _secret(value: Any) -> Any:
    return Secret(str(value)) if isinstance(value, str | int) and value != "" else value


def _credential(value: Any) -> Any:
    if isinstance(value, CredentialMode) or value is None:
        return value
    mode = _CREDENTIALS.get(str(value).strip().lower())
    if mode is None:
        raise ValueError(f"must be default, clientSecret or static; got {value!r}")
    return mode


def _strings(value: Any) -> tuple[str, ...]:
    """A list setting: a list, a JSON list, or comma-separated text."""
    if isinstance(value, str) and value.strip().startswith("["):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise ValueError(f"must be a list of strings; got {value!r}") from exc
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise ValueError(f"must be a list of strings; got {value!r}")
    return tuple(i.strip() for i in items if i.strip())


_API_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}(?:-preview)?$")


def _api_version(value: Any) -> Any:
    """An api-version such as 2025-07-01 (Azure's rules differ by version: soft delete AlwaysOn from 2025-09-01)."""
    text = str(value).strip()
    if not _API_VERSION.match(text):
        raise ValueError(f"must be an api-version such as 2025-09-01 or 2025-07-01; got {value!r}")
    return text


def _secrets(value: Any) -> tuple[Secret, ...]:
    if isinstance(value, tuple) and all(isinstance(v, Secret) for v in value):
        return value
    return tuple(Secret(t) for t in _strings(value))


def _timeouts(value: Any) -> Any:
    return {**DEFAULT_TIMEOUTS, **parse_timeouts(value, f"{NAMESPACE}:timeouts")}


def _sources(key: str, native: str | None = None, *envs: str) -> AliasChoices:
    """Where a setting is read from, first wins: ``dataprotection:<key>``, ``azure-native:<native>``, ``envs``."""
    names = [f"{NAMESPACE}:{key}", *([f"azure-native:{native}"] if native else []), *envs]
    return AliasChoices(*names)


def _setting(default: Any, key: str, native: str | None = None, *envs: str) -> Any:
    return Field(default, validation_alias=_sources(key, native, *envs))


class ProviderConfig(BaseModel):
    """Everything the resources need from configuration, validated from the stack config and the environment (see
    :func:`load`; each field names where it is read from). Secrets are `Secret` objects (masked, never pickled)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True, coerce_numbers_to_str=True)

    subscription_id: str | None = _setting(
        None, "subscriptionId", "subscriptionId", "AZURE_SUBSCRIPTION_ID", "ARM_SUBSCRIPTION_ID"
    )
    cloud: str = _setting("AzurePublic", "cloud", "environment", "DATAPROTECTION_CLOUD")
    endpoint: str | None = _setting(None, "endpoint", None, "DATAPROTECTION_ENDPOINT")
    credentials: Annotated[CredentialMode | None, BeforeValidator(_credential)] = _setting(
        None, "credentials", None, "DATAPROTECTION_CREDENTIALS"
    )
    """The credential mode as configured (None: inferred, see :attr:`credential`)."""
    tenant_id: str | None = _setting(None, "tenantId", "tenantId")
    client_id: str | None = _setting(None, "clientId", "clientId")
    client_secret: Annotated[Secret | None, BeforeValidator(_secret)] = _setting(None, "clientSecret", "clientSecret")
    token: Annotated[Secret | None, BeforeValidator(_secret)] = _setting(None, "token", None, "DATAPROTECTION_TOKEN")
    api_version: Annotated[str, BeforeValidator(_api_version)] = _setting(
        DEFAULT_API_VERSION, "apiVersion", None, "DATAPROTECTION_API_VERSION"
    )
    """The api-version of every request, and the version whose rules the preview applies (soft delete)."""
    timeouts: Annotated[dict[str, float], BeforeValidator(_timeouts)] = Field(
        default_factory=lambda: dict(DEFAULT_TIMEOUTS), validation_alias=_sources("timeouts")
    )
    poll_min_interval: Annotated[float | None, BeforeValidator(_duration_or_none(f"{NAMESPACE}:pollMinInterval"))] = (
        _setting(None, "pollMinInterval", None, "DATAPROTECTION_POLL_MIN_INTERVAL")
    )
    poll_max_interval: Annotated[float | None, BeforeValidator(_duration_or_none(f"{NAMESPACE}:pollMaxInterval"))] = (
        _setting(None, "pollMaxInterval", None, "DATAPROTECTION_POLL_MAX_INTERVAL")
    )
    validate_in_preview: bool = _setting(False, "validateInPreview")
    ca_bundle: str | None = _setting(None, "caBundle", None, "DATAPROTECTION_CA_BUNDLE")
    auxiliary_tenant_ids: Annotated[tuple[str, ...], BeforeValidator(_strings)] = _setting(
        (), "auxiliaryTenantIds", "auxiliaryTenantIds"
    )
    """Tenants (e.g. of a resource guard) whose tokens go in ``x-ms-authorization-auxiliary``."""
    auxiliary_tokens: Annotated[tuple[Secret, ...], BeforeValidator(_secrets)] = _setting(
        (), "auxiliaryTokens", None, "DATAPROTECTION_AUXILIARY_TOKENS"
    )
    """Fixed tokens for ``x-ms-authorization-auxiliary`` (static credentials, the emulator)."""
    owner_key: Annotated[Secret | None, BeforeValidator(_secret)] = _setting(None, "ownerKey")
    """The stack's secret for the keyed ownership mark (see :mod:`pulumi_dataprotection.dynamic.adoption`)."""

    @property
    def credential(self) -> CredentialMode:
        """The configured credential mode, else static with a token, a service principal with a client secret, else
        azure-identity's default chain."""
        if self.credentials is not None:
            return self.credentials
        if self.token is not None:
            return CredentialMode.STATIC
        return CredentialMode.CLIENT_SECRET if self.client_secret is not None else CredentialMode.DEFAULT

    def arm_settings(self) -> ArmSettings:
        """The ARM client settings (equal configs give equal settings, so `get_client` reuses one client)."""
        poll = PollPolicy()
        if self.poll_min_interval is not None or self.poll_max_interval is not None:
            low = self.poll_min_interval if self.poll_min_interval is not None else poll.min_interval
            high = self.poll_max_interval if self.poll_max_interval is not None else max(low, poll.max_interval)
            poll = PollPolicy(
                min_interval=low,
                max_interval=high,
                default_interval=min(high, max(low, poll.default_interval)),
                first_interval=min(high, max(low, poll.first_interval)),
            )
        try:
            return ArmSettings(
                cloud=self.cloud,
                endpoint=self.endpoint,
                subscription_id=self.subscription_id,
                credential=self.credential,
                tenant_id=self.tenant_id,
                client_id=self.client_id,
                client_secret=self.client_secret,
                static_token=self.token,
                default_api_version=self.api_version,
                operation_timeout=max(self.timeouts.values()),
                poll=poll,
                ca_bundle=self.ca_bundle,
                auxiliary_tenant_ids=self.auxiliary_tenant_ids,
                auxiliary_tokens=self.auxiliary_tokens,
            )
        except ValueError as exc:
            raise ConfigError(f"the {NAMESPACE} provider configuration is invalid: {exc}") from exc

    def timeout(self, operation: str, overrides: Mapping[str, Any] | None = None) -> float:
        """Seconds allowed for ``operation`` (a resource's ``timeouts`` input wins over the stack config)."""
        if overrides and overrides.get(operation) is not None:
            return parse_duration(overrides[operation], f"timeouts.{operation}")
        return float(self.timeouts.get(operation, DEFAULT_TIMEOUTS[operation]))

    def require_subscription(self) -> str:
        """The subscription id, or a ConfigError saying how to set it."""
        if not self.subscription_id:
            raise ConfigError(
                f"no Azure subscription is configured: run `pulumi config set {NAMESPACE}:subscriptionId <id>` "
                "(or set azure-native:subscriptionId, AZURE_SUBSCRIPTION_ID or ARM_SUBSCRIPTION_ID)"
            )
        problem = names.SUBSCRIPTION.problem(self.subscription_id)
        if problem is not None:
            raise ConfigError(
                f"the configured subscription {self.subscription_id!r} ({NAMESPACE}:subscriptionId, or "
                f"azure-native:subscriptionId, AZURE_SUBSCRIPTION_ID or ARM_SUBSCRIPTION_ID) is not valid: {problem}"
            )
        return self.subscription_id


def load(stack: Mapping[str, Any], env: Mapping[str, str]) -> ProviderConfig:
    """Resolve the configuration: ``dataprotection:`` keys, then ``azure-native:`` keys, then environment variables
    (empty values count as unset); ConfigError names the key that is wrong and what it must be."""
    values = {k: v for k, v in env.items() if v}
    values.update({k: v for k, v in stack.items() if v not in (None, "")})
    try:
        return ProviderConfig.model_validate(values)
    except ValidationError as exc:
        raise ConfigError("\n".join(_problem(error) for error in exc.errors())) from None


def _problem(error: ErrorDetails) -> str:
    """One sentence naming the setting (the key it was read from) and what it must be."""
    key = ".".join(str(part) for part in error["loc"])
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, ConfigError):
        return str(cause)
    if error["type"] == "bool_parsing":
        return f"{key} must be true or false; got {error['input']!r}"
    reason = str(cause) if isinstance(cause, ValueError) else error["msg"]
    return f"{key} {reason}" if isinstance(cause, ValueError) else f"{key}: {reason}; got {error['input']!r}"


def set_stack_config(raw: Mapping[str, Any]) -> None:
    """Remember the stack config handed to ``configure`` (process-wide; secrets stay out of pickled objects)."""
    global _stack_config
    with _lock:
        _stack_config = dict(raw)


def environment_endpoint(stack: Mapping[str, Any], env: Mapping[str, str]) -> str | None:
    """The endpoint taken from DATAPROTECTION_ENDPOINT because the stack config sets none (else None): a leftover
    from a demo or emulator shell would silently send the stack's resources there."""
    if stack.get(f"{NAMESPACE}:endpoint") not in (None, ""):
        return None
    return env.get("DATAPROTECTION_ENDPOINT") or None


def current_environment_endpoint() -> str | None:
    """`environment_endpoint` for this process's stack config and environment."""
    with _lock:
        stack = dict(_stack_config)
    return environment_endpoint(stack, os.environ)


def current() -> ProviderConfig:
    """The configuration in effect for this process (stack config given to ``configure``, then the environment)."""
    with _lock:
        stack = dict(_stack_config)
    return load(stack, os.environ)
