"""A faithful local emulator of Azure Microsoft.DataProtection (api-version 2025-09-01).

Run it with ``python -m pulumi_dataprotection.emulator`` or from Python with ``start_emulator(...)``.
"""

from pulumi_dataprotection.emulator.config import API_VERSION, DEFAULT_TOKEN, EmulatorConfig
from pulumi_dataprotection.emulator.credential import EmulatorCredential
from pulumi_dataprotection.emulator.handle import EmulatorHandle, start_emulator

__all__ = ["API_VERSION", "DEFAULT_TOKEN", "EmulatorConfig", "EmulatorCredential", "EmulatorHandle", "start_emulator"]
