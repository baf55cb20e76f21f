"""On-demand (ad-hoc) backups: the AdhocBackup resource."""
