"""Multi-user authorization: the ResourceGuard resource and a vault's guard link (VaultGuardLink)."""
