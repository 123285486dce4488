"""Declared tools onto an MCP server: the handler the SDK calls, and ``run``, the one place
where ``DevloreError`` becomes ``ToolError``.

A handler wears its declaration's signature and docstring (``functools.wraps``: the SDK reads
both through ``inspect.signature``), binds the call's arguments to the service by name, and
answers with the service's model as ``structuredContent`` plus one line of text.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent
from pydantic import BaseModel

from devlore.errors import Changed, DevloreError
from devlore.service import validate
from devlore.service.brain import Brain
from devlore.tools.declare import Tool

__all__ = ["register", "reply", "run"]

RETRIES = 5  # re-applications when a file changes under a write (see Brain.transaction)


def register(server: MCPServer[Any], tools: Iterable[Tool], brain: Brain, **wiring: Any) -> None:
    """Add ``tools`` to ``server`` in order. ``wiring`` (e.g. ``index=``) reaches every service
    that has a parameter of that name."""
    for tool in tools:
        server.add_tool(handler(tool, brain, wiring), name=tool.name, annotations=tool.annotations)


def handler(tool: Tool, brain: Brain, wiring: dict[str, Any]) -> Callable[..., CallToolResult]:
    takes = inspect.signature(tool.service).parameters
    extra = {name: value for name, value in wiring.items() if name in takes}

    @functools.wraps(tool.declaration)
    def call(**arguments: Any) -> CallToolResult:
        result = run(tool, brain, arguments, extra)
        return reply(result, tool.text(result))

    return call


def reply(model: BaseModel, text: str) -> CallToolResult:
    return CallToolResult(
        content=[TextContent(type="text", text=text)],
        structured_content=model.model_dump(mode="json", by_alias=True),
    )


def run(tool: Tool, brain: Brain, arguments: dict[str, Any], extra: dict[str, Any]) -> BaseModel:
    """``tool``'s service on ``arguments`` (each checked for size, and a write tool's for
    control characters, under the names the client sent), committed in a team brain when the
    tool writes; a ``DevloreError`` reaches the client as a ``ToolError``."""
    try:
        for name, value in arguments.items():
            validate.check_size(name, value)
            if tool.writes:
                validate.check_text(name, value)
        arguments = tool.adapt(arguments) if tool.adapt else arguments
        kwargs = extra | arguments
        if brain.commits is not None and tool.writes:  # devlore serve --git
            return brain.commits.run(tool.name, lambda: _applied(tool.service, brain, kwargs))  # type: ignore[no-any-return]
        return _applied(tool.service, brain, kwargs)
    except DevloreError as exc:
        raise ToolError(str(exc)) from exc


def _applied(fn: Callable[..., BaseModel], brain: Brain, kwargs: dict[str, Any]) -> BaseModel:
    for _ in range(RETRIES):
        try:
            return fn(brain, **kwargs)
        except Changed:
            continue  # an editor saved the file mid-operation: re-read and re-apply
    return fn(brain, **kwargs)
