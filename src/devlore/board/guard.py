"""The board's door: foreign ``Host``/``Origin`` refused, the bearer token (or the short-lived
session cookie the page gets for it) required, and strict security headers on every answer.

A pure ASGI wrapper, so the event stream is never buffered."""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any

__all__ = ["COOKIE", "CSP", "Guard", "allowed_hosts"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "devlore_board"
SESSION_SECONDS = 8 * 3600
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


def allowed_hosts(port: int, extra: list[str]) -> set[str]:
    """The ``Host`` values accepted: loopback names and ``extra`` names, with and without the port."""
    return {h for name in (*LOOPBACK, *extra) for h in (name, f"{name}:{port}")}


class Guard:
    """Wraps the board's ASGI app. ``public`` paths (the stylesheet and script, the token form's
    POST) need no token; everything else does when a token is set."""

    def __init__(self, app: App, hosts: set[str], token: str | None, prefix: str, login_page: bytes) -> None:
        self.app = app
        self.hosts = hosts
        self.token = token
        self.prefix = prefix
        self.login_page = login_page
        self.sessions: dict[str, float] = {}

    # -- the token ------------------------------------------------------------------------

    def token_ok(self, presented: str) -> bool:
        return self.token is not None and hmac.compare_digest(presented.encode(), self.token.encode())

    def new_session(self) -> str:
        now = time.monotonic()
        self.sessions = {k: v for k, v in self.sessions.items() if v > now}
        sid = secrets.token_urlsafe(32)
        self.sessions[sid] = now + SESSION_SECONDS
        return sid

    def _authorized(self, headers: dict[bytes, bytes]) -> bool:
        if self.token is None:
            return True
        auth = headers.get(b"authorization", b"").decode("latin-1")
        if auth[:7].lower() == "bearer " and self.token_ok(auth[7:].strip()):
            return True
        jar = SimpleCookie(headers.get(b"cookie", b"").decode("latin-1"))
        sid = jar[COOKIE].value if COOKIE in jar else ""
        return bool(sid) and self.sessions.get(sid, 0.0) > time.monotonic()

    # -- the door -------------------------------------------------------------------------

    def _foreign(self, headers: dict[bytes, bytes]) -> bool:
        host = headers.get(b"host", b"").decode("latin-1").lower()
        if host not in self.hosts:
            return True
        origin = headers.get(b"origin", b"").decode("latin-1").lower()
        if not origin:
            return False
        scheme, _, rest = origin.partition("://")
        return scheme not in ("http", "https") or rest not in self.hosts

    def _public(self, path: str, method: str) -> bool:
        return path.startswith(f"{self.prefix}/static/") or (path == f"{self.prefix}/session" and method == "POST")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        if self._foreign(headers):
            await _answer(secured, 421, b"text/plain", b"Misdirected request: this Host or Origin is not allowed.\n")
            return
        path, method = scope["path"], scope["method"]
        if scope.get("root_path"):
            path = scope["root_path"] + path if not path.startswith(scope["root_path"]) else path
        if not self._public(path, method) and not self._authorized(headers):
            wants_page = (
                method == "GET" and b"text/html" in headers.get(b"accept", b"") and b"x-board-fragment" not in headers
            )
            body, kind = (
                (self.login_page, b"text/html; charset=utf-8")
                if wants_page
                else (b"401: send the board's bearer token.\n", b"text/plain")
            )
            await _answer(secured, 401, kind, body, [(b"www-authenticate", b'Bearer realm="devlore board"')])
            return
        await self.app(scope, receive, secured)


async def _answer(
    send: Send, status: int, kind: bytes, body: bytes, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    headers = [
        (b"content-type", kind),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        *(extra or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
