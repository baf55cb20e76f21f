"""A faithful local emulator of Azure Microsoft.DataProtection (api-version 2026-06-01 and older ones).

Run it with ``python -m pulumi_dataprotection.emulator`` or from Python with ``start_emulator(...)``.
"""

try:
    import starlette  # noqa: F401
    import uvicorn  # noqa: F401
except ModuleNotFoundError as _missing:
    raise ModuleNotFoundError(
        f"the emulator needs the [emulator] extra ({_missing.name} is not installed): "
        "pip install 'pulumi-dataprotection[emulator]'",
        name=_missing.name,
    ) from None

from pulumi_dataprotection.emulator.config import API_VERSION, DEFAULT_TOKEN, EmulatorConfig
from pulumi_dataprotection.emulator.credential import EmulatorCredential
from pulumi_dataprotection.emulator.handle import EmulatorHandle, start_emulator

__all__ = ["API_VERSION", "DEFAULT_TOKEN", "EmulatorConfig", "EmulatorCredential", "EmulatorHandle", "start_emulator"]
