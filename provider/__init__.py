"""Pulumi dynamic resources for Azure Data Protection, with a local emulator of the service."""

__version__ = "0.1.0"
