"""The MCP surface: one short function per tool, no behaviour of its own.

Every tool checks argument sizes, calls its service, and answers with a pydantic model
(``structuredContent``) plus one human-readable line. ``DevloreError`` becomes ``ToolError``
here and nowhere else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.subscriptions import InMemorySubscriptionBus
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

from devlore import __version__
from devlore.edges import StaticToken, install_edges
from devlore.errors import Changed, DevloreError
from devlore.live import Live, install
from devlore.model import (
    ConfidenceChange,
    ExperienceResult,
    NewPatternResult,
    PatternDetail,
    PatternList,
    RecallResult,
    Stats,
    WorkflowResult,
    WorkLogAnswer,
    WorkLogState,
)
from devlore.resources import BrainServer, register_prompts, register_resources
from devlore.service import experiences, patterns, recall, stats, validate, workflows, worklog_views, worklogs
from devlore.service.brain import Brain
from devlore.service.index import Index

__all__ = ["TOOLSETS", "build_server"]

log = logging.getLogger(__name__)
M = TypeVar("M", bound=BaseModel)

RETRIES = 5  # re-applications when a file changes under a write (see Brain.transaction)

TOOLSETS: dict[str, tuple[str, ...]] = {
    "patterns": (
        "recall",
        "list_patterns",
        "get_pattern",
        "add_pattern",
        "add_example",
        "upgrade_confidence",
        "record_experience",
        "promote_to_workflow",
        "memory_stats",
    ),
}
TOOLSETS["worklogs"] = ("open_worklog", "get_worklog", "update_worklog", "record_blocker", "resolve_blocker")
TOOLSETS["all"] = TOOLSETS["patterns"] + TOOLSETS["worklogs"]

INSTRUCTIONS = (
    "devlore is this user's long-term memory, kept as markdown they also edit. Before a task, "
    "call recall with a few keywords and apply HIGH patterns. After a task, call record_experience "
    "(or add_example for one pattern). Confidence is earned by examples: 1 LOW, 2-4 MEDIUM, 5+ HIGH."
)

READ = ToolAnnotations(read_only_hint=True, open_world_hint=False)  # read-only implies the other hints
WRITE = ToolAnnotations(read_only_hint=False, idempotent_hint=False, destructive_hint=False, open_world_hint=False)
REWRITE = ToolAnnotations(read_only_hint=False, idempotent_hint=True, destructive_hint=False, open_world_hint=False)

PatternArg = Annotated[str, Field(description="Pattern name, slug or unambiguous prefix.")]
DomainArg = Annotated[str | None, Field(description="Pattern file: 'dev', 'pm', 'content', 'client', ...")]
DateArg = Annotated[str | None, Field(description="YYYY-MM-DD; default: the date in the example, else today.")]


class NewPatternArg(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    pattern: str = Field(description="The reusable approach.")
    context: str = Field(description="When it applies.")
    example: str | None = Field(default=None, description="Default: derived from the experience.")
    why: str | None = None
    domain: str | None = Field(default=None, description="Default: from work_type.")


def _reply(model: M, text: str) -> CallToolResult:
    return CallToolResult(
        content=[TextContent(type="text", text=text)],
        structured_content=model.model_dump(mode="json", by_alias=True),
    )


def _run(fn: Callable[..., M], brain: Brain, **kwargs: Any) -> M:
    try:
        for name, value in kwargs.items():
            validate.check_size(name, value)
        for _ in range(RETRIES):
            try:
                return fn(brain, **kwargs)
            except Changed:
                continue  # an editor saved the file mid-operation: re-read and re-apply
        return fn(brain, **kwargs)
    except DevloreError as exc:
        raise ToolError(str(exc)) from exc


def _change_text(c: ConfidenceChange) -> str:
    return f"{c.name}: {c.confidence_before} → {c.confidence_after} ({c.examples} examples) in {c.path}"


def build_server(
    brain: Brain,
    tools: str = "all",
    rescan_every: float = 30.0,
    token: str | None = None,
    public_url: str = "http://127.0.0.1:8765",
) -> MCPServer[Any]:
    """An MCP server over ``brain`` exposing the ``tools`` set ('patterns', 'worklogs' or 'all').

    While a connection is open it watches the brain (rescanning every ``rescan_every``
    seconds as a safety net) and pushes changes to subscribed clients. With a ``token``, the
    HTTP transport answers 401 to any request without ``Authorization: Bearer <token>``."""
    if tools not in TOOLSETS:
        raise ValueError(f"unknown tool set {tools!r}; use one of {', '.join(TOOLSETS)}")
    index = Index(brain)
    bus = InMemorySubscriptionBus()
    live = Live(brain, index, bus, rescan_every)
    auth: dict[str, Any] = {}
    if token:
        url = public_url.rstrip("/")
        auth = {
            "token_verifier": StaticToken(token),
            "auth": AuthSettings(
                issuer_url=AnyHttpUrl(url), resource_server_url=AnyHttpUrl(f"{url}/mcp"), validate_token_resource=False
            ),
        }
    server = BrainServer(
        "devlore",
        version=__version__,
        instructions=INSTRUCTIONS,
        log_level="WARNING",
        lifespan=live.lifespan,
        subscriptions=bus,
        **auth,
    )
    server.brain = brain
    install(server, live)
    install_edges(server, brain)
    _read_tools(server, brain, index)
    _write_tools(server, brain)  # memory_stats last: tools are listed in SPEC order
    _worklog_tools(server, brain)
    for info in server._tool_manager.list_tools():
        if info.name not in TOOLSETS[tools]:
            server.remove_tool(info.name)
    register_resources(server, brain)
    register_prompts(server)
    for info in server._tool_manager.list_tools():
        info.description = " ".join((info.description or "").split())
        _compact(info.parameters)
        if info.output_schema is not None:
            _compact(info.output_schema, output=True)
    return server


def _flatten_optional(schema: dict[str, Any], output: bool) -> None:
    """``anyOf: [X, {type: null}]`` -> X. An output keeps ``null`` in its type; an optional
    argument just lists X (leaving it out is how a client says "none")."""
    options = schema.get("anyOf")
    if not (isinstance(options, list) and len(options) == 2 and {"type": "null"} in options):
        return
    other = next(o for o in options if o != {"type": "null"})
    if not isinstance(other.get("type"), str):
        return
    del schema["anyOf"]
    schema.update(other)
    if output:
        schema["type"] = [other["type"], "null"]
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    if "default" in schema and schema["default"] is None:
        del schema["default"]


def _compact(schema: Any, output: bool = False) -> None:
    """Drop pydantic's generated ``title`` keys (they repeat the property names), nullable
    wrappers, and in output schemas the descriptions and defaults the tool's own description
    makes redundant: together a third of the ``tools/list`` answer, which SPEC keeps under
    20,000 characters."""
    if isinstance(schema, dict):
        for key in ("title", *(("description", "default") if output else ())):
            if key in schema and (key != "title" or isinstance(schema[key], str)):
                del schema[key]
        _flatten_optional(schema, output)
        for key, value in schema.items():
            if key in ("properties", "$defs") and isinstance(value, dict):
                for sub in value.values():
                    _compact(sub, output)
            else:
                _compact(value, output)
    elif isinstance(schema, list):
        for item in schema:
            _compact(item, output)


def _read_tools(server: MCPServer[Any], brain: Brain, index: Index) -> None:
    @server.tool(name="recall", annotations=READ)
    def recall_(
        query: Annotated[str, Field(description="A few keywords, e.g. 'flaky tests retry'.")],
        kinds: Annotated[
            list[Literal["pattern", "episode", "workflow", "worklog"]] | None,
            Field(description="Restrict to these kinds."),
        ] = None,
        limit: Annotated[int, Field(description="Hits to return (1-25).")] = 8,
    ) -> Annotated[CallToolResult, RecallResult]:
        """Search all memory (patterns, experiences, workflows, work logs), best first. Call before
        a task; read a hit in full with get_pattern or its resource."""
        r = _run(recall.recall, brain, index=index, query=query, kinds=kinds, limit=limit)
        lines = [f"{h.kind}: {h.title} ({h.path})" for h in r.hits] or ["No matches."]
        return _reply(r, "\n".join(lines))

    @server.tool(name="list_patterns", annotations=READ)
    def list_patterns(
        domain: DomainArg = None,
        level: Annotated[
            Literal["LOW", "MEDIUM", "HIGH"] | None, Field(description="Only this level (written or evidence).")
        ] = None,
        stale_days: Annotated[int | None, Field(description="Only patterns not reinforced for this many days.")] = None,
        mismatched: Annotated[
            bool, Field(description="Only patterns whose written level differs from evidence.")
        ] = False,
        cursor: Annotated[str | None, Field(description="next_cursor of the previous page.")] = None,
        limit: Annotated[int, Field(description="Patterns per page (1-100).")] = 50,
    ) -> Annotated[CallToolResult, PatternList]:
        """Compact index of patterns: name, written level, evidence level, example count, staleness.
        Paged: when next_cursor is set, call again with it for the rest."""
        r = _run(
            patterns.list_patterns,
            brain,
            domain=domain,
            level=level,
            stale_days=stale_days,
            mismatched=mismatched,
            cursor=cursor,
            limit=limit,
        )
        more = f" ({r.remaining} more: cursor {r.next_cursor})" if r.next_cursor else ""
        names = "; ".join(f"{p.name} ({p.evidence_level})" for p in r.patterns)
        return _reply(r, f"{r.total} patterns{more}: {names}")

    @server.tool(name="get_pattern", annotations=READ)
    def get_pattern(pattern: PatternArg, domain: DomainArg = None) -> Annotated[CallToolResult, PatternDetail]:
        """One pattern in full: levels, examples, sources, and its markdown as written."""
        r = _run(patterns.get_pattern, brain, pattern=pattern, domain=domain)
        return _reply(r, r.markdown)


def _write_tools(server: MCPServer[Any], brain: Brain) -> None:
    @server.tool(name="add_pattern", annotations=WRITE)
    def add_pattern(
        name: Annotated[str, Field(description="Title of the new pattern (unique).")],
        pattern: Annotated[str, Field(description="The reusable approach.")],
        context: Annotated[str, Field(description="When it applies.")],
        example: Annotated[str, Field(description="First example: 'Project - detail (YYYY-MM-DD) - outcome'.")],
        domain: Annotated[str, Field(description="Pattern file: 'dev', 'pm', 'content', ...")] = "dev",
        why: Annotated[str | None, Field(description="Why it works.")] = None,
        time_saved: Annotated[str | None, Field(description="e.g. '~20 minutes (skips debugging)'.")] = None,
        source_experience: Annotated[str | None, Field(description="Path of the episodic note.")] = None,
    ) -> Annotated[CallToolResult, NewPatternResult]:
        """Record a new LOW-confidence pattern with its first example. Refuses an existing name:
        use add_example for a pattern that exists."""
        r = _run(
            patterns.add_pattern,
            brain,
            name=name,
            pattern=pattern,
            context=context,
            example=example,
            domain=domain,
            why=why,
            time_saved=time_saved,
            source_experience=source_experience,
        )
        return _reply(r, f"Added {r.name} (LOW) to {r.path}")

    @server.tool(name="add_example", annotations=WRITE)
    def add_example(
        pattern: PatternArg,
        example: Annotated[
            str, Field(description="One line: 'Project - detail (YYYY-MM-DD) - outcome'; the server numbers it.")
        ],
        domain: DomainArg = None,
        date: DateArg = None,
        source_experience: Annotated[str | None, Field(description="Path of the episodic note.")] = None,
        time_saved_minutes: Annotated[int | None, Field(description="Minutes the pattern saved this time.")] = None,
    ) -> Annotated[CallToolResult, ConfidenceChange]:
        """Reinforce a pattern with one more example. The level is recomputed from the examples
        (2 MEDIUM, 5 HIGH); returns the level before and after."""
        r = _run(
            patterns.add_example,
            brain,
            pattern=pattern,
            example=example,
            domain=domain,
            date=date,
            source_experience=source_experience,
            time_saved_minutes=time_saved_minutes,
        )
        return _reply(r, _change_text(r))

    @server.tool(name="upgrade_confidence", annotations=REWRITE)
    def upgrade_confidence(
        pattern: PatternArg,
        level: Annotated[
            Literal["LOW", "MEDIUM", "HIGH"] | None,
            Field(description="Omit to re-rate from the examples; a level the examples do not earn is refused."),
        ] = None,
        domain: DomainArg = None,
    ) -> Annotated[CallToolResult, ConfidenceChange]:
        """Re-rate a pattern from its evidence (repairs hand edits that drifted). Naming a level
        the examples do not support is refused with how many examples are missing."""
        r = _run(patterns.upgrade_confidence, brain, pattern=pattern, level=level, domain=domain)
        return _reply(r, _change_text(r))

    @server.tool(name="record_experience", annotations=WRITE)
    def record_experience(
        title: Annotated[str, Field(description="What the task was, in a few words.")],
        project: str,
        goal: str,
        what_happened: str,
        solution: str,
        work_type: Annotated[
            Literal["code", "client", "content", "research"],
            Field(description="Chooses the episodic folder and default pattern file."),
        ] = "code",
        result: Literal["SUCCESS", "PARTIAL", "BLOCKED"] = "SUCCESS",
        patterns_applied: Annotated[
            list[str] | None, Field(description="Existing patterns this task used; each is reinforced.")
        ] = None,
        new_patterns: Annotated[list[NewPatternArg] | None, Field(description="Patterns learned here.")] = None,
        example: Annotated[str | None, Field(description="Example line for reinforcements; default derived.")] = None,
        duration: str | None = None,
        time_saved_minutes: int | None = None,
        quality: Annotated[int | None, Field(description="1-10.")] = None,
        next_time: str | None = None,
        date: DateArg = None,
    ) -> Annotated[CallToolResult, ExperienceResult]:
        """The /learn step after a task: writes the episodic note and reinforces or creates every
        pattern named, all or nothing. Returns the note's path and the level changes."""
        news = [experiences.NewPatternInput(**p.model_dump()) for p in new_patterns or []]
        r = _run(
            experiences.record_experience,
            brain,
            title=title,
            project=project,
            goal=goal,
            what_happened=what_happened,
            solution=solution,
            work_type=work_type,
            result=result,
            patterns_applied=patterns_applied,
            new_patterns=news,
            example=example,
            duration=duration,
            time_saved_minutes=time_saved_minutes,
            quality=quality,
            next_time=next_time,
            date=date,
        )
        parts = [f"Wrote {r.path}"] + [_change_text(c) for c in r.reinforced]
        parts += [f"New: {c.name} (LOW)" for c in r.created]
        return _reply(r, "\n".join(parts))

    @server.tool(name="promote_to_workflow", annotations=WRITE)
    def promote_to_workflow(
        pattern: PatternArg,
        steps: Annotated[list[str] | None, Field(description="Numbered steps; default: from the pattern.")] = None,
        checklist: list[str] | None = None,
        when_to_use: str | None = None,
        estimated_time: str | None = None,
        domain: DomainArg = None,
    ) -> Annotated[CallToolResult, WorkflowResult]:
        """Turn a HIGH pattern (5+ examples) into a step-by-step workflow file."""
        r = _run(
            workflows.promote_to_workflow,
            brain,
            pattern=pattern,
            steps=steps,
            checklist=checklist,
            when_to_use=when_to_use,
            estimated_time=estimated_time,
            domain=domain,
        )
        return _reply(r, f"Wrote {r.path} ({r.steps} steps) from {r.source_pattern}")

    @server.tool(name="memory_stats", annotations=READ)
    def memory_stats() -> Annotated[CallToolResult, Stats]:
        """Counts, patterns per evidence level, time saved, stale and drifted patterns, open blockers,
        unparsable files."""
        r = _run(stats.memory_stats, brain)
        text = (
            f"{r.patterns} patterns (HIGH {r.by_level['HIGH']}, MEDIUM {r.by_level['MEDIUM']}, "
            f"LOW {r.by_level['LOW']}), {r.experiences} experiences, {r.workflows} workflows, "
            f"~{r.time_saved_minutes} min saved, {len(r.problems)} problem files"
        )
        return _reply(r, text)


LogName = Annotated[str, Field(description="Work log name: 'Auth-Refactor', 'Auth Refactor' or its file name.")]
Lines = list[str] | None


def _state_text(r: WorkLogState) -> str:
    return f"{r.name} {r.version} ({r.status}) in {r.path}"


def _worklog_tools(server: MCPServer[Any], brain: Brain) -> None:
    @server.tool(name="open_worklog", annotations=WRITE)
    def open_worklog(
        name: LogName, title: Annotated[str | None, Field(description="This session's title.")] = None
    ) -> Annotated[CallToolResult, WorkLogState]:
        """Start a session: creates the work log, or appends the next version carrying open next items,
        blockers and hypotheses forward. Returns the resume brief: do its HIGH item first."""
        r = _run(worklogs.open_worklog, brain, name=name, title=title)
        return _reply(r, r.brief or _state_text(r))

    @server.tool(name="get_worklog", annotations=READ)
    def get_worklog(
        name: Annotated[str | None, Field(description="Omit for the board of every workstream.")] = None,
        entries: Annotated[int, Field(description="How many latest entries (1-20).")] = 3,
        cursor: Annotated[str | None, Field(description="Board page: next_cursor of the previous one.")] = None,
    ) -> Annotated[CallToolResult, WorkLogAnswer]:
        """One work log (last entries plus insights: progress, blockers, hypotheses, carried items,
        decisions) or, without a name, the board of every workstream."""
        r = _run(worklog_views.get_worklog, brain, name=name, entries=entries, cursor=cursor)
        if r.name is None:
            rows = [f"{w.name} {w.version} {w.status}: {w.top_item or '-'}" for w in r.worklogs]
            if r.next_cursor:
                rows.append(f"({r.remaining} more: call again with cursor {r.next_cursor})")
            return _reply(r, "\n".join(rows) or "No work logs yet; start one with open_worklog.")
        return _reply(r, f"{r.name} {r.version} ({r.status}), {len(r.entries)} entries shown")

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
        r = _run(
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
        return _reply(r, _state_text(r))

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
        r = _run(
            worklogs.record_blocker,
            brain,
            name=name,
            blocker=blocker,
            owner=owner,
            eta=eta,
            workaround=workaround,
            blocks=blocks,
        )
        return _reply(r, _state_text(r))

    @server.tool(name="resolve_blocker", annotations=WRITE)
    def resolve_blocker(
        name: LogName,
        resolution: Annotated[str, Field(description="How it was resolved.")],
        blocker: Annotated[str | None, Field(description="Part of its text; needed when several are open.")] = None,
    ) -> Annotated[CallToolResult, WorkLogState]:
        """Resolve a blocker: writes the resolution and its age, untags [BLOCKED] items; status
        returns to in_progress when none is open."""
        r = _run(worklogs.resolve_blocker, brain, name=name, resolution=resolution, blocker=blocker)
        return _reply(r, _state_text(r))
