"""The MCP tools, one module per feature; each tool is declared once (``tools.declare``).

Everything about the set of tools is derived here from those declarations: the order clients
see in ``tools/list``, the ``--tools`` sets, and which tools write.
"""

from __future__ import annotations

from devlore.tools.declare import Tool, ToolGroup
from devlore.tools.learning import LEARNING
from devlore.tools.patterns import PATTERNS
from devlore.tools.recall import RECALL
from devlore.tools.stats import STATS
from devlore.tools.worklogs import WORKLOGS

__all__ = ["NAMES", "TOOLS", "TOOLSETS", "WRITES", "Tool"]

# The groups in the order clients list them (and each group in the order it declares its tools).
GROUPS: tuple[ToolGroup, ...] = (RECALL, PATTERNS, LEARNING, STATS, WORKLOGS)
TOOLS: tuple[Tool, ...] = tuple(tool for group in GROUPS for tool in group.tools)
NAMES: tuple[str, ...] = tuple(tool.name for tool in TOOLS)
TOOLSETS: dict[str, tuple[str, ...]] = {
    **{
        toolset: tuple(tool.name for group in GROUPS if group.toolset == toolset for tool in group.tools)
        for toolset in dict.fromkeys(group.toolset for group in GROUPS)
    },
    "all": NAMES,
}
WRITES: frozenset[str] = frozenset(tool.name for tool in TOOLS if tool.writes)
