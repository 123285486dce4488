"""The work-log tools: open a session, read a log or the board, fill the session's entry, and
record or resolve blockers."""

# mypy: disable-error-code="empty-body"
# (a declaration has no body: register calls its service)

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from devlore.model import WorkLogAnswer, WorkLogState, WorkStatus
from devlore.service import worklog_views, worklogs
from devlore.service.problems import note
from devlore.tools.declare import READ, WRITE, ToolGroup

__all__ = ["WORKLOGS"]

WORKLOGS = ToolGroup("worklogs")

LogName = Annotated[str, Field(description="Work log name: 'Auth-Refactor', 'Auth Refactor' or its file name.")]
Lines = list[str] | None


def _state_text(r: WorkLogState) -> str:
    return f"{r.name} {r.version} ({r.status}) in {r.path}" + (f"\nNote: {r.note}" if r.note else "")


def _answer_text(r: WorkLogAnswer) -> str:
    if r.name is None:
        rows = [f"{w.name} {w.version} {w.status}: {w.top_item or '-'}" for w in r.worklogs]
        if r.next_cursor:
            rows.append(f"({r.remaining} more: call again with cursor {r.next_cursor})")
        rows += [note(r.problems)] if r.problems else []
        return "\n".join(rows) or "No work logs yet; start one with open_worklog."
    return f"{r.name} {r.version} ({r.status}), {len(r.entries)} entries shown"


def _grouped(arguments: dict[str, Any]) -> dict[str, Any]:
    """The entry's text fields and list fields as the service takes them: two groups."""
    rest = {k: v for k, v in arguments.items() if k not in (*worklogs.SCALARS, *worklogs.LISTS)}
    name = rest.pop("name")
    scalars = {k: arguments[k] for k in worklogs.SCALARS}
    lists = {k: arguments[k] for k in worklogs.LISTS}
    return {"name": name, "scalars": scalars, "lists": lists, **rest}


@WORKLOGS.tool(worklogs.open_worklog, WRITE, text=lambda r: r.brief or _state_text(r))
def open_worklog(
    name: LogName,
    title: Annotated[str | None, Field(description="This session's title.")] = None,
    create: Annotated[bool, Field(description="Confirm a near name.")] = False,
) -> WorkLogState:
    """Start a session: creates the work log, or appends the next version carrying open next items,
    blockers and hypotheses forward. Returns the resume brief: do its HIGH item first."""


@WORKLOGS.tool(worklog_views.get_worklog, READ, text=_answer_text)
def get_worklog(
    name: Annotated[str | None, Field(description="Omit for the board of every workstream.")] = None,
    entries: Annotated[int, Field(description="How many latest entries (1-20).")] = 3,
    cursor: Annotated[str | None, Field(description="Board page: next_cursor of the previous one.")] = None,
) -> WorkLogAnswer:
    """One work log (last entries plus insights: progress, blockers, hypotheses, carried items,
    decisions) or, without a name, the board of every workstream."""


@WORKLOGS.tool(worklogs.update_worklog, WRITE, text=_state_text, adapt=_grouped)
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
    status: WorkStatus | None = None,
    reason: Annotated[str | None, Field(description="Why the status changed.")] = None,
    review_checklist: Lines = None,
) -> WorkLogState:
    """Fill the current session's entry: text fields replace, lists append. Earlier entries never
    change. needs_review adds a review checklist."""


@WORKLOGS.tool(worklogs.record_blocker, WRITE, text=_state_text)
def record_blocker(
    name: LogName,
    blocker: Annotated[str, Field(description="What blocks the work.")],
    owner: Annotated[str | None, Field(description="Who can unblock it, e.g. '@ops-team'.")] = None,
    eta: str | None = None,
    workaround: str | None = None,
    blocks: Annotated[Lines, Field(description="Next items it blocks (text prefixes); tagged [BLOCKED].")] = None,
) -> WorkLogState:
    """Record a blocker with owner, request time and ETA; status becomes blocked."""


@WORKLOGS.tool(worklogs.resolve_blocker, WRITE, text=_state_text)
def resolve_blocker(
    name: LogName,
    resolution: Annotated[str, Field(description="How it was resolved.")],
    blocker: Annotated[str | None, Field(description="Part of its text; needed when several are open.")] = None,
) -> WorkLogState:
    """Resolve a blocker: writes the resolution and its age, untags [BLOCKED] items; status
    returns to in_progress when none is open."""
