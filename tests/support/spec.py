"""Fixtures for tests (spec)."""
