"""Tests of the schema engine and the vault, policy and instance schemas."""
