"""Fixtures for tests (engine)."""
