"""Run a brain's MCP server: over stdio for the client that started it, or over streamable
HTTP for clients that share one server (``devlore serve --http``, with the board at ``/board``);
and the board alone (``devlore board``)."""

from __future__ import annotations

import sys
import threading
import webbrowser

import uvicorn
from mcp.server.transport_security import TransportSecuritySettings
from starlette.applications import Starlette

from devlore.board.app import build_board
from devlore.server import build_server
from devlore.service.brain import Brain
from devlore.service.index import Index

__all__ = ["board", "http", "stdio"]


def stdio(brain: Brain, tools: str) -> None:
    build_server(brain, tools=tools).run()


def http(brain: Brain, tools: str, token: str | None, url: str, host: str, port: int, allowed_hosts: list[str]) -> None:
    """Serve until stopped. Loopback names are always allowed in ``Host``/``Origin``;
    ``allowed_hosts`` adds the real hostnames clients use (e.g. behind a TLS proxy)."""
    index = Index(brain)  # one search index for the MCP tools and the board
    server = build_server(brain, tools=tools, token=token, public_url=url, index=index)
    security = None
    if allowed_hosts:
        hosts = [*allowed_hosts, "127.0.0.1", "localhost", "[::1]"]
        security = TransportSecuritySettings(
            allowed_hosts=[h for name in hosts for h in (name, f"{name}:{port}")],
            allowed_origins=[
                f"{scheme}://{h}" for name in hosts for scheme in ("http", "https") for h in (name, f"{name}:{port}")
            ],
        )
    mcp_app = server.streamable_http_app(transport_security=security, host=host)
    app = build_board(
        brain,
        token,
        port,
        allowed_hosts,
        inner=mcp_app,
        inner_lifespan=lambda: mcp_app.router.lifespan_context(mcp_app),
        index=index,
    )
    _run(app, host, port)


def board(brain: Brain, token: str | None, host: str, port: int, allowed_hosts: list[str], open_page: bool) -> None:
    """The board alone, until stopped; ``open_page`` opens it in the default browser."""
    app = build_board(brain, token, port, allowed_hosts)
    url = f"http://{f'[{host}]' if ':' in host and not host.startswith('[') else host}:{port}"  # IPv6
    print(
        f"devlore: the board of {brain.root} is at {url}/board/" + (" (token required)" if token else ""),
        file=sys.stderr,
    )
    if open_page:
        threading.Timer(1.0, webbrowser.open, args=(f"{url}/board/",)).start()
    _run(app, host, port)


def _run(app: Starlette, host: str, port: int) -> None:
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5))
    app.state.board.live.stopping = lambda: server.should_exit  # open pages' event streams end at once
    server.run()
