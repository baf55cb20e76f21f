"""Backup instances: the declarative schema (and the Pulumi resource built on it)."""
