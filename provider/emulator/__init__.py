"""A faithful local emulator of Azure Microsoft.DataProtection (api-version 2025-09-01).

Run it with ``python -m provider.emulator`` or from Python with ``start_emulator(...)``.
"""

from provider.emulator.config import API_VERSION, DEFAULT_TOKEN, EmulatorConfig
from provider.emulator.credential import EmulatorCredential
from provider.emulator.handle import EmulatorHandle, start_emulator

__all__ = ["API_VERSION", "DEFAULT_TOKEN", "EmulatorConfig", "EmulatorCredential", "EmulatorHandle", "start_emulator"]
