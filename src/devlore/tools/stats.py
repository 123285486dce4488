"""``memory_stats``: what the memory holds and what needs care."""

# mypy: disable-error-code="empty-body"
# (a declaration has no body: register calls its service)

from __future__ import annotations

from devlore.model import Stats
from devlore.names import counted
from devlore.service import stats
from devlore.tools.declare import READ, ToolGroup

__all__ = ["STATS"]

STATS = ToolGroup("patterns")


def _counts(r: Stats) -> str:
    return (
        f"{counted(r.patterns, 'pattern')} (HIGH {r.by_level['HIGH']}, MEDIUM {r.by_level['MEDIUM']}, "
        f"LOW {r.by_level['LOW']}), {counted(r.experiences, 'experience')}, {counted(r.workflows, 'workflow')}, "
        f"~{r.time_saved_minutes} min saved, {counted(r.problems_total, 'problem file')}"
    )


@STATS.tool(stats.memory_stats, READ, text=_counts)
def memory_stats() -> Stats:
    """Counts, patterns per evidence level, time saved, stale and drifted patterns, open blockers,
    unparsable files."""
