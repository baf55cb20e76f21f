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
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

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
_stack_version = 0
_loaded: tuple[tuple[int, tuple[str | None, ...]], ProviderConfig] | None = None
"""The last configuration `current` resolved, with the stack config version and environment it came from."""


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


def _text(value: Any) -> str:
    """A text setting (numbers are taken as their text, as YAML config may give them)."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"must be text; got {value!r}")


def _duration(what: str) -> Callable[[Any], float]:
    return lambda value: parse_duration(value, what)


def _secret(value: Any) -> Secret:
    if isinstance(value, Secret):
        return value
    if isinstance(value, str | int) and not isinstance(value, bool) and value != "":
        return Secret(str(value))
    raise ValueError(f"must be text; got a {type(value).__name__}")


def _credential(value: Any) -> CredentialMode:
    if isinstance(value, CredentialMode):
        return value
    mode = _CREDENTIALS.get(str(value).strip().lower())
    if mode is None:
        raise ValueError(f"must be default, clientSecret or static; got {value!r}")
    return mode


_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower() if isinstance(value, str) else None
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise ValueError(f"must be true or false; got {value!r}")


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


def _api_version(value: Any) -> str:
    """An api-version such as 2025-07-01 (Azure's rules differ by version: soft delete AlwaysOn from 2025-09-01)."""
    text = str(value).strip()
    if not _API_VERSION.match(text):
        raise ValueError(f"must be an api-version such as 2026-06-01 or 2025-07-01; got {value!r}")
    return text


def _secrets(value: Any) -> tuple[Secret, ...]:
    if isinstance(value, tuple) and all(isinstance(v, Secret) for v in value):
        return value
    return tuple(Secret(t) for t in _strings(value))


def _timeouts(value: Any) -> dict[str, float]:
    return {**DEFAULT_TIMEOUTS, **parse_timeouts(value, f"{NAMESPACE}:timeouts")}


@dataclass(frozen=True)
class _Setting:
    """Where one `ProviderConfig` field is read from (first wins: ``dataprotection:<key>``,
    ``azure-native:<native>``, then environment variables) and how its value is parsed."""

    field: str
    key: str
    native: str | None
    envs: tuple[str, ...]
    parse: Callable[[Any], Any]

    @property
    def sources(self) -> tuple[str, ...]:
        return (f"{NAMESPACE}:{self.key}", *([f"azure-native:{self.native}"] if self.native else []), *self.envs)


def _setting(field: str, parse: Callable[[Any], Any], key: str, native: str | None = None, *envs: str) -> _Setting:
    return _Setting(field, key, native, envs, parse)


_SETTINGS = (
    _setting(
        "subscription_id",
        _text,
        "subscriptionId",
        "subscriptionId",
        "AZURE_SUBSCRIPTION_ID",
        "ARM_SUBSCRIPTION_ID",
    ),
    _setting("cloud", _text, "cloud", "environment", "DATAPROTECTION_CLOUD"),
    _setting("endpoint", _text, "endpoint", None, "DATAPROTECTION_ENDPOINT"),
    _setting("credentials", _credential, "credentials", None, "DATAPROTECTION_CREDENTIALS"),
    _setting("tenant_id", _text, "tenantId", "tenantId"),
    _setting("client_id", _text, "clientId", "clientId"),
    _setting("client_secret", _secret, "clientSecret", "clientSecret"),
    _setting("token", _secret, "token", None, "DATAPROTECTION_TOKEN"),
    _setting("api_version", _api_version, "apiVersion", None, "DATAPROTECTION_API_VERSION"),
    _setting("timeouts", _timeouts, "timeouts"),
    _setting(
        "poll_min_interval",
        _duration(f"{NAMESPACE}:pollMinInterval"),
        "pollMinInterval",
        None,
        "DATAPROTECTION_POLL_MIN_INTERVAL",
    ),
    _setting(
        "poll_max_interval",
        _duration(f"{NAMESPACE}:pollMaxInterval"),
        "pollMaxInterval",
        None,
        "DATAPROTECTION_POLL_MAX_INTERVAL",
    ),
    _setting("validate_in_preview", _bool, "validateInPreview"),
    _setting("ca_bundle", _text, "caBundle", None, "DATAPROTECTION_CA_BUNDLE"),
    _setting("auxiliary_tenant_ids", _strings, "auxiliaryTenantIds", "auxiliaryTenantIds"),
    _setting("auxiliary_tokens", _secrets, "auxiliaryTokens", None, "DATAPROTECTION_AUXILIARY_TOKENS"),
    _setting("owner_key", _secret, "ownerKey"),
)


_ENVIRONMENT = tuple(name for setting in _SETTINGS for name in setting.envs)
"""The environment variables the configuration is read from."""


@dataclass(frozen=True)
class ProviderConfig:
    """Everything the resources need from configuration, read from the stack config and the environment by
    :func:`load` (``_SETTINGS`` says where each field comes from). Secrets are `Secret` objects (masked, never
    pickled)."""

    subscription_id: str | None = None
    cloud: str = "AzurePublic"
    endpoint: str | None = None
    credentials: CredentialMode | None = None
    """The credential mode as configured (None: inferred, see :attr:`credential`)."""
    tenant_id: str | None = None
    client_id: str | None = None
    client_secret: Secret | None = None
    token: Secret | None = None
    api_version: str = DEFAULT_API_VERSION
    """The api-version of every request, and the version whose rules the preview applies (soft delete)."""
    timeouts: Mapping[str, float] = dataclass_field(default_factory=lambda: dict(DEFAULT_TIMEOUTS))
    poll_min_interval: float | None = None
    poll_max_interval: float | None = None
    validate_in_preview: bool = False
    ca_bundle: str | None = None
    auxiliary_tenant_ids: tuple[str, ...] = ()
    """Tenants (e.g. of a resource guard) whose tokens go in ``x-ms-authorization-auxiliary``."""
    auxiliary_tokens: tuple[Secret, ...] = ()
    """Fixed tokens for ``x-ms-authorization-auxiliary`` (static credentials, the emulator)."""
    owner_key: Secret | None = None
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
    (empty values count as unset); ConfigError names every key that is wrong and what it must be."""
    values = {k: v for k, v in env.items() if v}
    values.update({k: v for k, v in stack.items() if v not in (None, "")})
    fields: dict[str, Any] = {}
    problems: list[str] = []
    for setting in _SETTINGS:
        source = next((name for name in setting.sources if name in values), None)
        if source is None:
            continue
        try:
            fields[setting.field] = setting.parse(values[source])
        except ConfigError as exc:
            problems.append(str(exc))
        except ValueError as exc:
            problems.append(f"{source} {exc}")
    if problems:
        raise ConfigError("\n".join(problems))
    return ProviderConfig(**fields)


def set_stack_config(raw: Mapping[str, Any]) -> None:
    """Remember the stack config handed to ``configure`` (process-wide; secrets stay out of pickled objects)."""
    global _stack_config, _stack_version
    with _lock:
        _stack_config = dict(raw)
        _stack_version += 1


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
    """The configuration in effect for this process (stack config given to ``configure``, then the environment);
    resolved again only when either has changed (every check and diff asks for it)."""
    global _loaded
    environment = tuple(os.environ.get(name) for name in _ENVIRONMENT)
    with _lock:
        stack = dict(_stack_config)
        key = (_stack_version, environment)
        if _loaded is not None and _loaded[0] == key:
            return _loaded[1]
    cfg = load(stack, os.environ)
    with _lock:
        _loaded = (key, cfg)
    return cfg
