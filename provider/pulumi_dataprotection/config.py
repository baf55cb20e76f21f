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
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pulumi_dataprotection.arm import DEFAULT_API_VERSION, ArmSettings, CredentialMode, PollPolicy, Secret

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


def _bool(value: Any, what: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off", ""):
        return False
    raise ConfigError(f"{what} must be true or false; got {value!r}")


@dataclass(frozen=True)
class ProviderConfig:
    """Everything the resources need from configuration. Secrets are `Secret` objects (masked, never pickled)."""

    subscription_id: str | None = None
    cloud: str = "AzurePublic"
    endpoint: str | None = None
    credential: CredentialMode = CredentialMode.DEFAULT
    tenant_id: str | None = None
    client_id: str | None = None
    client_secret: Secret | None = None
    token: Secret | None = None
    api_version: str = DEFAULT_API_VERSION
    timeouts: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_TIMEOUTS))
    poll_min_interval: float | None = None
    poll_max_interval: float | None = None
    validate_in_preview: bool = False
    ca_bundle: str | None = None

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
        return self.subscription_id


def load(stack: Mapping[str, Any], env: Mapping[str, str]) -> ProviderConfig:
    """Resolve the configuration: ``dataprotection:`` keys, then ``azure-native:`` keys, then environment variables."""

    def pick(key: str, native: str | None = None, *envs: str) -> Any:
        for name in (f"{NAMESPACE}:{key}", f"azure-native:{native}" if native else None):
            if name is not None and stack.get(name) not in (None, ""):
                return stack[name]
        for var in envs:
            if env.get(var):
                return env[var]
        return None

    def text(value: Any) -> str | None:
        return None if value is None else str(value)

    token = text(pick("token", None, "DATAPROTECTION_TOKEN"))
    client_secret = text(pick("clientSecret", "clientSecret"))
    mode_text = text(pick("credentials", None, "DATAPROTECTION_CREDENTIALS"))
    if mode_text is None:
        mode = CredentialMode.STATIC if token else CredentialMode.CLIENT_SECRET if client_secret else None
    else:
        mode = _CREDENTIALS.get(mode_text.strip().lower())
        if mode is None:
            raise ConfigError(f"{NAMESPACE}:credentials must be default, clientSecret or static; got {mode_text!r}")
    timeouts = dict(DEFAULT_TIMEOUTS)
    timeouts.update(parse_timeouts(pick("timeouts"), f"{NAMESPACE}:timeouts"))
    poll_min = pick("pollMinInterval", None, "DATAPROTECTION_POLL_MIN_INTERVAL")
    poll_max = pick("pollMaxInterval", None, "DATAPROTECTION_POLL_MAX_INTERVAL")
    endpoint = text(pick("endpoint", None, "DATAPROTECTION_ENDPOINT"))
    return ProviderConfig(
        subscription_id=text(pick("subscriptionId", "subscriptionId", "AZURE_SUBSCRIPTION_ID", "ARM_SUBSCRIPTION_ID")),
        cloud=text(pick("cloud", "environment", "DATAPROTECTION_CLOUD")) or "AzurePublic",
        endpoint=endpoint,
        credential=mode or CredentialMode.DEFAULT,
        tenant_id=text(pick("tenantId", "tenantId")),
        client_id=text(pick("clientId", "clientId")),
        client_secret=Secret(client_secret) if client_secret else None,
        token=Secret(token) if token else None,
        api_version=text(pick("apiVersion", None, "DATAPROTECTION_API_VERSION")) or DEFAULT_API_VERSION,
        timeouts=timeouts,
        poll_min_interval=parse_duration(poll_min, f"{NAMESPACE}:pollMinInterval") if poll_min else None,
        poll_max_interval=parse_duration(poll_max, f"{NAMESPACE}:pollMaxInterval") if poll_max else None,
        validate_in_preview=_bool(pick("validateInPreview") or False, f"{NAMESPACE}:validateInPreview"),
        ca_bundle=text(pick("caBundle", None, "DATAPROTECTION_CA_BUNDLE")),
    )


def set_stack_config(raw: Mapping[str, Any]) -> None:
    """Remember the stack config handed to ``configure`` (process-wide; secrets stay out of pickled objects)."""
    global _stack_config
    with _lock:
        _stack_config = dict(raw)


def current() -> ProviderConfig:
    """The configuration in effect for this process (stack config given to ``configure``, then the environment)."""
    with _lock:
        stack = dict(_stack_config)
    return load(stack, os.environ)
