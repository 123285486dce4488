"""``memory_stats``: what the memory holds and what needs care."""

# mypy: disable-error-code="empty-body"
# (a declaration has no body: register calls its service)

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from devlore.model import Stats
from devlore.names import counted
from devlore.service import stats
from devlore.tools.declare import READ, ToolGroup

__all__ = ["STATS"]

STATS = ToolGroup("patterns")


def _counts(r: Stats) -> str:
    return "\n".join([_totals(r), *(f"{s.kind}: {s.text}" for s in r.suggestions)])


def _totals(r: Stats) -> str:
    return (
        f"{counted(r.patterns, 'pattern')} (HIGH {r.by_level['HIGH']}, MEDIUM {r.by_level['MEDIUM']}, "
        f"LOW {r.by_level['LOW']}), {counted(r.experiences, 'experience')}, {counted(r.workflows, 'workflow')}, "
        f"~{r.time_saved_minutes} min saved, {counted(r.problems_total, 'problem file')}"
    )


@STATS.tool(stats.memory_stats, READ, text=_counts)
def memory_stats(
    suggest: Annotated[bool, Field(description="Add ranked suggestions.")] = False,
) -> Stats:
    """Counts, levels, time saved, stale/drifted patterns, blockers, broken files."""
