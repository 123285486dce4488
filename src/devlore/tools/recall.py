"""``recall``: search every kind of memory before a task."""

# mypy: disable-error-code="empty-body"
# (a declaration has no body: register calls its service)

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from devlore.model import RecallResult
from devlore.service.problems import note
from devlore.service.recall import recall as search
from devlore.tools.declare import READ, ToolGroup

__all__ = ["RECALL"]

RECALL = ToolGroup("patterns")


def _hits(r: RecallResult) -> str:
    lines = [f"{h.kind}: {h.title} ({h.path})" for h in r.hits] or ["No matches."]
    return "\n".join([*([r.note] if r.note else []), *lines, *([note(r.problems)] if r.problems else [])])


@RECALL.tool(search, READ, text=_hits)
def recall(
    query: Annotated[str, Field(description="A few keywords, e.g. 'flaky tests retry'.")],
    kinds: Annotated[
        list[Literal["pattern", "episode", "workflow", "worklog"]] | None,
        Field(description="Restrict to these kinds."),
    ] = None,
    limit: Annotated[int, Field(description="Hits to return (1-25).")] = 8,
    domain: Annotated[str | None, Field(description="Only its patterns and experiences: 'dev', 'pm', ...")] = None,
    since: Annotated[str | None, Field(description="Only memories dated from YYYY-MM-DD on.")] = None,
) -> RecallResult:
    """Search all memory (patterns, experiences, workflows, work logs), best first. Call before
    a task; read a hit with get_pattern."""
