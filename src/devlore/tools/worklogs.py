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

LogName = Annotated[str, Field(description="Work log name, e.g. 'Auth-Refactor'.")]
Lines = list[str] | None


def _state_text(r: WorkLogState) -> str:
    return f"{r.name} {r.version} ({r.status}) in {r.path}" + (f"\nNote: {r.note}" if r.note else "")


def _update_text(r: WorkLogState) -> str:
    return _state_text(r) + (f"\n{r.brief}" if r.brief else "")


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
    title: str | None = None,
    long_running: Annotated[bool, Field(description="Add the summary sections.")] = False,
    create: Annotated[bool, Field(description="Confirm a near name.")] = False,
) -> WorkLogState:
    """Start a session: creates the log or its next version, carrying open items forward.
    Returns the resume brief: do its HIGH item first."""


@WORKLOGS.tool(worklog_views.get_worklog, READ, text=_answer_text)
def get_worklog(
    name: Annotated[str | None, Field(description="Omit for the board.")] = None,
    entries: Annotated[int, Field(description="Latest entries (1-20).")] = 3,
    cursor: str | None = None,
    evolution: Annotated[str | None, Field(description="Topic: its Evolution block.")] = None,
) -> WorkLogAnswer:
    """A work log's last entries and insights (metric trends, flags, decisions, features,
    blockers); no name: the board."""


@WORKLOGS.tool(worklogs.update_worklog, WRITE, text=_update_text, adapt=_grouped)
def update_worklog(
    name: LogName,
    now: str | None = None,
    progress: Annotated[str | None, Field(description="e.g. '60% | API ✅ | UI ⏳'.")] = None,
    next: Annotated[Lines, Field(description="'[HIGH] text', '[MED] [BLOCKED] text'.")] = None,
    done: Annotated[Lines, Field(description="Next items finished.")] = None,
    decisions: Annotated[Lines, Field(description="'[Topic] what: why (supersedes v3)'.")] = None,
    files: Annotated[Lines, Field(description="'`path` (why)'.")] = None,
    work: Annotated[Lines, Field(description="'+: added', '~: changed', '!: fixed'.")] = None,
    hypotheses: Annotated[Lines, Field(description="'H1: text | Open | why', 'H1 | Refuted | why'.")] = None,
    dependencies: Annotated[Lines, Field(description="'Needs Log (v5): what'.")] = None,
    works: str | None = None,
    fails: str | None = None,
    tried: str | None = None,
    dead_ends: str | None = None,
    solution: str | None = None,
    open: Annotated[str | None, Field(description="Open questions.")] = None,
    status: WorkStatus | None = None,
    reason: Annotated[str | None, Field(description="Why.")] = None,
    review_checklist: Lines = None,
    metrics: Annotated[dict[str, str] | None, Field(description="{'Latency': '180ms (target <200ms)'}")] = None,
    features: Annotated[Lines, Field(description="'Auth: 60%', 'Auth: done|active|backlog Item'.")] = None,
    lessons: Annotated[Lines, Field(description="'lesson → why'; learn: make them patterns.")] = None,
    learn: bool = False,
    blocks: Annotated[
        dict[str, list[str]] | None,
        Field(description="completed, deferred, priority, budget ['40%'], reviewer_notes, feedback."),
    ] = None,
) -> WorkLogState:
    """Fill this session's entry (text replaces, lists append); only it and the summary
    sections change."""


@WORKLOGS.tool(worklogs.record_blocker, WRITE, text=_state_text)
def record_blocker(
    name: LogName,
    blocker: str,
    owner: Annotated[str | None, Field(description="e.g. '@ops-team'.")] = None,
    eta: str | None = None,
    workaround: str | None = None,
    blocks: Annotated[Lines, Field(description="Next items it blocks (prefixes).")] = None,
) -> WorkLogState:
    """Record a blocker (owner, ETA); status becomes blocked."""


@WORKLOGS.tool(worklogs.resolve_blocker, WRITE, text=_state_text)
def resolve_blocker(
    name: LogName,
    resolution: str,
    blocker: Annotated[str | None, Field(description="Part of its text, when several are open.")] = None,
) -> WorkLogState:
    """Resolve a blocker, with how long it blocked; items and status unblock when none is open."""
