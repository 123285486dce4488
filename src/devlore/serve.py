"""Run a brain's MCP server: over stdio for the client that started it, or over streamable
HTTP for clients that share one server (``devlore serve --http``)."""

from __future__ import annotations

from mcp.server.transport_security import TransportSecuritySettings

from devlore.server import build_server
from devlore.service.brain import Brain

__all__ = ["http", "stdio"]


def stdio(brain: Brain, tools: str) -> None:
    build_server(brain, tools=tools).run()


def http(brain: Brain, tools: str, token: str | None, url: str, host: str, port: int, allowed_hosts: list[str]) -> None:
    """Serve until stopped. Loopback names are always allowed in ``Host``/``Origin``;
    ``allowed_hosts`` adds the real hostnames clients use (e.g. behind a TLS proxy)."""
    server = build_server(brain, tools=tools, token=token, public_url=url)
    security = None
    if allowed_hosts:
        hosts = [*allowed_hosts, "127.0.0.1", "localhost", "[::1]"]
        security = TransportSecuritySettings(
            allowed_hosts=[h for name in hosts for h in (name, f"{name}:{port}")],
            allowed_origins=[
                f"{scheme}://{h}" for name in hosts for scheme in ("http", "https") for h in (name, f"{name}:{port}")
            ],
        )
    server.run("streamable-http", host=host, port=port, transport_security=security)
