"""A static bearer token for the HTTP transport (``DEVLORE_TOKEN`` or ``--token-file``)."""

from __future__ import annotations

import hmac
from typing import Any

from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings
from pydantic import AnyHttpUrl

__all__ = ["StaticToken", "bearer_auth"]


class StaticToken:
    """Accept exactly one bearer token (``DEVLORE_TOKEN`` or ``--token-file``)."""

    def __init__(self, token: str) -> None:
        self._token = token

    async def verify_token(self, token: str) -> AccessToken | None:
        if hmac.compare_digest(token.encode("utf-8"), self._token.encode("utf-8")):
            return AccessToken(token=token, client_id="devlore-client", scopes=[])
        return None


def bearer_auth(token: str, public_url: str) -> dict[str, Any]:
    """``MCPServer`` arguments that answer 401 to a request without ``Authorization: Bearer
    <token>``; ``public_url`` is where clients reach the server."""
    url = public_url.rstrip("/")
    return {
        "token_verifier": StaticToken(token),
        "auth": AuthSettings(
            issuer_url=AnyHttpUrl(url), resource_server_url=AnyHttpUrl(f"{url}/mcp"), validate_token_resource=False
        ),
    }
