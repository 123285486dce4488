"""The MCP surface: one short function per tool, no behaviour of its own.

Every tool checks argument sizes, calls its service, and answers with a pydantic model
(``structuredContent``) plus one human-readable line; ``surface.run`` is the one place where
``DevloreError`` becomes ``ToolError``. The work-log tools live in ``worklog_tools``.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any, Literal

from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver import MCPServer
from mcp.server.subscriptions import InMemorySubscriptionBus
from mcp.types import CallToolResult
from pydantic import AnyHttpUrl, Field

from devlore import __version__
from devlore.edges import StaticToken, install_edges
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
)
from devlore.resources import BrainServer, register_prompts, register_resources
from devlore.service import experiences, patterns, recall, stats, workflows
from devlore.service.brain import Brain
from devlore.service.index import Index
from devlore.surface import (
    READ,
    REWRITE,
    WRITE,
    DateArg,
    DomainArg,
    NewPatternArg,
    PatternArg,
    change_text,
    compact,
    reply,
    run,
)
from devlore.worklog_tools import worklog_tools

__all__ = ["TOOLSETS", "build_server"]

log = logging.getLogger(__name__)
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
    _write_tools(server, brain, index)  # memory_stats last: tools are listed in SPEC order
    worklog_tools(server, brain)
    for info in server._tool_manager.list_tools():
        if info.name not in TOOLSETS[tools]:
            server.remove_tool(info.name)
    register_resources(server, brain)
    register_prompts(server)
    for info in server._tool_manager.list_tools():
        info.description = " ".join((info.description or "").split())
        compact(info.parameters)
        if info.output_schema is not None:
            compact(info.output_schema, output=True)
    return server


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
        r = run(recall.recall, brain, index=index, query=query, kinds=kinds, limit=limit)
        lines = [f"{h.kind}: {h.title} ({h.path})" for h in r.hits] or ["No matches."]
        return reply(r, "\n".join(lines))

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
        r = run(
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
        return reply(r, f"{r.total} patterns{more}: {names}")

    @server.tool(name="get_pattern", annotations=READ)
    def get_pattern(pattern: PatternArg, domain: DomainArg = None) -> Annotated[CallToolResult, PatternDetail]:
        """One pattern in full: levels, examples, sources, and its markdown as written."""
        r = run(patterns.get_pattern, brain, pattern=pattern, domain=domain)
        return reply(r, r.markdown)


def _write_tools(server: MCPServer[Any], brain: Brain, index: Index) -> None:
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
        r = run(
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
        return reply(r, f"Added {r.name} (LOW) to {r.path}")

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
        r = run(
            patterns.add_example,
            brain,
            pattern=pattern,
            example=example,
            domain=domain,
            date=date,
            source_experience=source_experience,
            time_saved_minutes=time_saved_minutes,
        )
        return reply(r, change_text(r))

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
        r = run(patterns.upgrade_confidence, brain, pattern=pattern, level=level, domain=domain)
        return reply(r, change_text(r))

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
        r = run(
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
        parts = [f"Wrote {r.path}"] + [change_text(c) for c in r.reinforced]
        parts += [f"New: {c.name} (LOW)" for c in r.created]
        return reply(r, "\n".join(parts))

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
        r = run(
            workflows.promote_to_workflow,
            brain,
            pattern=pattern,
            steps=steps,
            checklist=checklist,
            when_to_use=when_to_use,
            estimated_time=estimated_time,
            domain=domain,
        )
        return reply(r, f"Wrote {r.path} ({r.steps} steps) from {r.source_pattern}")

    @server.tool(name="memory_stats", annotations=READ)
    def memory_stats() -> Annotated[CallToolResult, Stats]:
        """Counts, patterns per evidence level, time saved, stale and drifted patterns, open blockers,
        unparsable files."""
        r = run(stats.memory_stats, brain, index=index)
        text = (
            f"{r.patterns} patterns (HIGH {r.by_level['HIGH']}, MEDIUM {r.by_level['MEDIUM']}, "
            f"LOW {r.by_level['LOW']}), {r.experiences} experiences, {r.workflows} workflows, "
            f"~{r.time_saved_minutes} min saved, {len(r.problems)} problem files"
        )
        return reply(r, text)
