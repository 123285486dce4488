"""The composition root: ``build_server`` wires a brain, its search index, change
notifications, the protocol extras, the resources and prompts, and the declared tools
(``devlore.tools``) into one MCP server."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.subscriptions import InMemorySubscriptionBus

from devlore import __version__
from devlore.auth import bearer_auth
from devlore.notifications import Notifier, install_notifications
from devlore.prompts import register_prompts
from devlore.protocol import install_protocol
from devlore.resources import BrainServer, register_resources
from devlore.service.brain import Brain
from devlore.service.index import Index
from devlore.tools import TOOLS, TOOLSETS
from devlore.tools.register import register
from devlore.tools.schema import compact

__all__ = ["build_server"]

INSTRUCTIONS = (
    "devlore is this user's long-term memory, kept as markdown they also edit. Before a task, "
    "call recall with a few keywords and apply HIGH patterns. After a task, call record_experience "
    "(or add_example for one pattern). Confidence is earned by examples: 1 LOW, 2-4 MEDIUM, 5+ HIGH."
)


def build_server(
    brain: Brain,
    tools: str = "all",
    rescan_every: float = 30.0,
    token: str | None = None,
    public_url: str = "http://127.0.0.1:8765",
    index: Index | None = None,
) -> MCPServer[Any]:
    """An MCP server over ``brain`` exposing the ``tools`` set ('patterns', 'worklogs' or 'all').

    While a connection is open it watches the brain (rescanning every ``rescan_every``
    seconds as a safety net) and pushes changes to subscribed clients. With a ``token``, the
    HTTP transport answers 401 to any request without ``Authorization: Bearer <token>``. An
    ``index`` given is shared (the board beside ``serve --http`` reads the same one)."""
    if tools not in TOOLSETS:
        raise ValueError(f"unknown tool set {tools!r}; use one of {', '.join(TOOLSETS)}")
    index = index or Index(brain)
    bus = InMemorySubscriptionBus()
    notifier = Notifier(brain, index, bus, rescan_every)
    auth = bearer_auth(token, public_url) if token else {}
    server = BrainServer(
        "devlore",
        version=__version__,
        instructions=INSTRUCTIONS,
        log_level="WARNING",
        lifespan=notifier.lifespan,
        subscriptions=bus,
        **auth,
    )
    server.brain = brain
    install_notifications(server, notifier)
    install_protocol(server, brain)
    register(server, [t for t in TOOLS if t.name in TOOLSETS[tools]], brain, index=index)
    register_resources(server, brain)
    register_prompts(server)
    for info in server._tool_manager.list_tools():
        info.description = " ".join((info.description or "").split())
        compact(info.parameters)
        if info.output_schema is not None:
            compact(info.output_schema, output=True)
    return server
