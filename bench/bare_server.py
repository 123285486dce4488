"""The baseline: a bare ``MCPServer`` with one trivial tool, started the way devlore is.

    python bench/bare_server.py      # speaks MCP over stdio

Whatever devlore costs beyond this is devlore's own start-up and per-call work.
"""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer

server = MCPServer("bare", log_level="WARNING")


@server.tool()
def ping() -> str:
    """Answer 'pong'."""
    return "pong"


if __name__ == "__main__":
    server.run()
