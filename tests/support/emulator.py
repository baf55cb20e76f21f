"""Fixtures for tests (emulator)."""
