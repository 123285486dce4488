"""The work-log tools (SPEC §6, §8): thin adapters over ``service.worklogs``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from mcp.server.mcpserver import MCPServer
from mcp.types import CallToolResult
from pydantic import Field

from devlore.model import WorkLogAnswer, WorkLogState
from devlore.service import worklog_views, worklogs
from devlore.service.brain import Brain
from devlore.surface import READ, WRITE, reply, run

__all__ = ["worklog_tools"]


LogName = Annotated[str, Field(description="Work log name: 'Auth-Refactor', 'Auth Refactor' or its file name.")]
Lines = list[str] | None


def _state_text(r: WorkLogState) -> str:
    return f"{r.name} {r.version} ({r.status}) in {r.path}"


def worklog_tools(server: MCPServer[Any], brain: Brain) -> None:
    @server.tool(name="open_worklog", annotations=WRITE)
    def open_worklog(
        name: LogName, title: Annotated[str | None, Field(description="This session's title.")] = None
    ) -> Annotated[CallToolResult, WorkLogState]:
        """Start a session: creates the work log, or appends the next version carrying open next items,
        blockers and hypotheses forward. Returns the resume brief: do its HIGH item first."""
        r = run(worklogs.open_worklog, brain, name=name, title=title)
        return reply(r, r.brief or _state_text(r))

    @server.tool(name="get_worklog", annotations=READ)
    def get_worklog(
        name: Annotated[str | None, Field(description="Omit for the board of every workstream.")] = None,
        entries: Annotated[int, Field(description="How many latest entries (1-20).")] = 3,
        cursor: Annotated[str | None, Field(description="Board page: next_cursor of the previous one.")] = None,
    ) -> Annotated[CallToolResult, WorkLogAnswer]:
        """One work log (last entries plus insights: progress, blockers, hypotheses, carried items,
        decisions) or, without a name, the board of every workstream."""
        r = run(worklog_views.get_worklog, brain, name=name, entries=entries, cursor=cursor)
        if r.name is None:
            rows = [f"{w.name} {w.version} {w.status}: {w.top_item or '-'}" for w in r.worklogs]
            if r.next_cursor:
                rows.append(f"({r.remaining} more: call again with cursor {r.next_cursor})")
            return reply(r, "\n".join(rows) or "No work logs yet; start one with open_worklog.")
        return reply(r, f"{r.name} {r.version} ({r.status}), {len(r.entries)} entries shown")

    @server.tool(name="update_worklog", annotations=WRITE)
    def update_worklog(
        name: LogName,
        now: str | None = None,
        progress: Annotated[str | None, Field(description="e.g. '60% | API ✅ | UI ⏳'.")] = None,
        next: Annotated[Lines, Field(description="Add items: '[HIGH] text', '[MED] [BLOCKED] text'.")] = None,
        done: Annotated[Lines, Field(description="Items finished: moved from Next to Completed.")] = None,
        decisions: Annotated[Lines, Field(description="'what: why (vs alternative)'.")] = None,
        files: Annotated[Lines, Field(description="'`path` (why)'.")] = None,
        work: Annotated[Lines, Field(description="'+: path added', '~: changed', '!: fixed'.")] = None,
        hypotheses: Annotated[Lines, Field(description="'H1: text | Open | evidence', 'H1 | Refuted | why'.")] = None,
        dependencies: Annotated[Lines, Field(description="'Needs Other-Log (v5): what; Status: ...'.")] = None,
        works: str | None = None,
        fails: str | None = None,
        tried: str | None = None,
        dead_ends: str | None = None,
        solution: str | None = None,
        open: Annotated[str | None, Field(description="Open questions.")] = None,
        status: Literal["in_progress", "blocked", "needs_review", "completed"] | None = None,
        reason: Annotated[str | None, Field(description="Why the status changed.")] = None,
        review_checklist: Lines = None,
    ) -> Annotated[CallToolResult, WorkLogState]:
        """Fill the current session's entry: text fields replace, lists append. Earlier entries never
        change. needs_review adds a review checklist."""
        r = run(
            worklogs.update_worklog,
            brain,
            name=name,
            scalars={
                "now": now,
                "progress": progress,
                "works": works,
                "fails": fails,
                "tried": tried,
                "dead_ends": dead_ends,
                "solution": solution,
                "open": open,
            },
            lists={"files": files, "work": work, "decisions": decisions, "dependencies": dependencies},
            next=next,
            done=done,
            hypotheses=hypotheses,
            status=status,
            reason=reason,
            review_checklist=review_checklist,
        )
        return reply(r, _state_text(r))

    @server.tool(name="record_blocker", annotations=WRITE)
    def record_blocker(
        name: LogName,
        blocker: Annotated[str, Field(description="What blocks the work.")],
        owner: Annotated[str | None, Field(description="Who can unblock it, e.g. '@ops-team'.")] = None,
        eta: str | None = None,
        workaround: str | None = None,
        blocks: Annotated[Lines, Field(description="Next items it blocks (text prefixes); tagged [BLOCKED].")] = None,
    ) -> Annotated[CallToolResult, WorkLogState]:
        """Record a blocker with owner, request time and ETA; status becomes blocked."""
        r = run(
            worklogs.record_blocker,
            brain,
            name=name,
            blocker=blocker,
            owner=owner,
            eta=eta,
            workaround=workaround,
            blocks=blocks,
        )
        return reply(r, _state_text(r))

    @server.tool(name="resolve_blocker", annotations=WRITE)
    def resolve_blocker(
        name: LogName,
        resolution: Annotated[str, Field(description="How it was resolved.")],
        blocker: Annotated[str | None, Field(description="Part of its text; needed when several are open.")] = None,
    ) -> Annotated[CallToolResult, WorkLogState]:
        """Resolve a blocker: writes the resolution and its age, untags [BLOCKED] items; status
        returns to in_progress when none is open."""
        r = run(worklogs.resolve_blocker, brain, name=name, resolution=resolution, blocker=blocker)
        return reply(r, _state_text(r))
