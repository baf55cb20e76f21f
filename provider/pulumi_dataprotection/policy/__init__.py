"""Backup policies: the declarative schema, datasource-aware builders (and the Pulumi resource built on them)."""
