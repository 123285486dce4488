"""Read-only ``memory://`` resources over the brain: pattern files and entries, episodes,
workflows, work logs and brain-health."""

from __future__ import annotations

import logging
from typing import Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError
from mcp.shared.exceptions import MCPError
from mcp.types import INVALID_PARAMS, CallToolResult, GetPromptResult, InputRequiredResult, Resource

from devlore.errors import DevloreError
from devlore.layout import (
    EPISODIC,
    HEALTH_CONFIDENCE,
    HEALTH_GROWTH,
    WORKFLOWS,
    WORKLOG_SUFFIX,
    WORKLOGS,
    domain_file,
    domain_of,
    kind_of,
    worklog_name,
)
from devlore.service.brain import Brain
from devlore.service.health import flush
from devlore.service.worklog_files import find_log
from devlore.tools.arguments import checked_call

__all__ = ["BrainServer", "register_resources", "uri_for"]

MD = "text/markdown"


def uri_for(rel: str) -> str | None:
    """The resource URI of a root-relative file, or None for files that are not resources."""
    name = rel.rsplit("/", 1)[-1].removesuffix(".md")
    kind = kind_of(rel)
    if kind == "pattern":
        return f"memory://patterns/{domain_of(rel)}"
    if kind == "episode" and rel.count("/") == 3:  # memory/episodic/<folder>/<name>.md
        return f"memory://episodes/{rel.split('/')[2]}/{name}"
    if kind == "workflow":
        return f"memory://workflows/{name}"
    if kind == "worklog" and rel.endswith(WORKLOG_SUFFIX):
        return f"memory://worklogs/{worklog_name(rel)}"
    if rel in (HEALTH_CONFIDENCE, HEALTH_GROWTH):
        return f"memory://health/{name}"
    return None


logger = logging.getLogger(__name__)


class BrainServer(MCPServer[Any]):
    """``MCPServer`` whose resource list is the brain's files and pattern entries, read live."""

    brain: Brain

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[Any, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        """The SDK's call, with arguments refused in plain words (``tools/arguments.py``)."""
        tool = self._tool_manager.get_tool(name)
        schema = tool.parameters if tool is not None else {}
        return await checked_call(
            lambda n, a: super(BrainServer, self).call_tool(n, a, context), name, arguments, schema
        )

    async def get_prompt(
        self, name: str, arguments: dict[str, Any] | None = None, context: Context[Any, Any] | None = None
    ) -> GetPromptResult | InputRequiredResult:
        """The SDK's prompt, with a missing required argument answered as invalid params (one
        log line) instead of an internal error with tracebacks."""
        prompt = self._prompt_manager.get_prompt(name)
        wanted = prompt.arguments or [] if prompt is not None else []
        missing = [a.name for a in wanted if a.required and a.name not in (arguments or {})]
        if missing:
            logger.warning("Prompt %r called without %s", name, ", ".join(missing))
            raise MCPError(INVALID_PARAMS, f"Prompt '{name}' needs the argument {', '.join(repr(m) for m in missing)}.")
        return await super().get_prompt(name, arguments, context)

    async def list_resources(self) -> list[Resource]:
        out: list[Resource] = []
        store = self.brain.store
        for rel in self.brain.pattern_paths():
            out.append(Resource(uri=f"memory://patterns/{domain_of(rel)}", name=rel, mime_type=MD))
        for ref in self.brain.patterns():
            out.append(
                Resource(
                    uri=f"memory://patterns/{ref.domain}/{ref.entry.slug}",
                    name=ref.entry.name,
                    title=ref.entry.name,
                    mime_type=MD,
                )
            )
        for rel in store.glob(EPISODIC, "*.md", recursive=True) + store.glob(WORKFLOWS) + store.glob(WORKLOGS):
            if (uri := uri_for(rel)) is not None:
                out.append(Resource(uri=uri, name=rel, mime_type=MD))
        return out


def _read(brain: Brain, rel: str) -> str:
    try:
        text = brain.store.read(rel)
    except DevloreError as exc:
        raise ResourceError(str(exc)) from exc
    if text is None:
        raise ResourceNotFoundError(f"No file at {rel}; list resources to see what exists.")
    return text


def register_resources(server: MCPServer[Any], brain: Brain) -> None:
    @server.resource("memory://patterns/{domain}", mime_type=MD)
    def pattern_file(domain: str) -> str:
        """A whole pattern file, e.g. memory://patterns/dev for dev-patterns.md."""
        try:
            rel = domain_file(domain)
        except DevloreError as exc:
            raise ResourceNotFoundError(str(exc)) from exc
        return _read(brain, rel)

    @server.resource("memory://patterns/{domain}/{slug}", mime_type=MD)
    def pattern_entry(domain: str, slug: str) -> str:
        """One pattern entry as written, by its slug."""
        try:
            ref = brain.find(slug, domain)
        except DevloreError as exc:
            raise ResourceNotFoundError(str(exc)) from exc
        return "".join(ref.file.doc.lines[ref.entry.start : ref.entry.content_end])

    @server.resource("memory://episodes/{folder}/{name}", mime_type=MD)
    def episode(folder: str, name: str) -> str:
        """An episodic note, e.g. memory://episodes/code/2026-11-12-cache-fix."""
        return _guarded(brain, f"{EPISODIC}/{folder}/{name.removesuffix('.md')}.md")  # with or without .md

    @server.resource("memory://workflows/{slug}", mime_type=MD)
    def workflow(slug: str) -> str:
        """A procedural workflow."""
        return _guarded(brain, f"{WORKFLOWS}/{slug.removesuffix('.md')}.md")

    @server.resource("memory://worklogs/{name}", mime_type=MD)
    def worklog(name: str) -> str:
        """A work log, e.g. memory://worklogs/Auth-Refactor (subscribe to follow a workstream)."""
        try:
            _, rel = find_log(brain, name)
        except DevloreError as exc:
            raise ResourceNotFoundError(str(exc)) from exc
        return _read(brain, rel)

    @server.resource("memory://health/{name}", mime_type=MD)
    def health(name: str) -> str:
        """brain-health/pattern-confidence or brain-health/growth-log."""
        flush(brain)  # writes gathered for a deferred refresh land before the file is read
        return _guarded(brain, f"brain-health/{name}.md")


def _guarded(brain: Brain, rel: str) -> str:
    if "/.." in rel or "\\" in rel:
        raise ResourceNotFoundError(f"{rel} is not inside the brain.")
    return _read(brain, rel)
