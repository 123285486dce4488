"""Claude Code hooks: what devlore tells the assistant at session start, before compaction, at
session end and (optionally) on each prompt. Fast and fail-open; nothing here imports the MCP SDK."""

from devlore.hooks.events import BUDGET, EVENTS, run_hook

__all__ = ["BUDGET", "EVENTS", "run_hook"]
