"""An azure-core TokenCredential for Azure SDK clients pointed at the emulator (it accepts one static token)."""

from __future__ import annotations

import time
from typing import Any

from azure.core.credentials import AccessToken, AccessTokenInfo


class EmulatorCredential:
    """Hands out the emulator's bearer token, valid for an hour from each call."""

    def __init__(self, token: str) -> None:
        self.token = token

    def get_token(self, *scopes: str, **kwargs: Any) -> AccessToken:
        """The token (``scopes`` are ignored: the emulator has one audience)."""
        return AccessToken(self.token, int(time.time()) + 3600)

    def get_token_info(self, *scopes: str, options: Any = None) -> AccessTokenInfo:
        """The token, in the newer TokenInfo protocol."""
        return AccessTokenInfo(self.token, int(time.time()) + 3600)
