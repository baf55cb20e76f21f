"""A backup vault's link to a resource guard (VaultGuardLink)."""
