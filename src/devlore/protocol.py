"""The requests ``MCPServer`` leaves unanswered: ``completion/complete`` (names of patterns,
episodes, workflows, work logs, levels and statuses) and ``logging/setLevel``."""

from __future__ import annotations

import logging
from typing import Any

from mcp import types
from mcp.server.mcpserver import MCPServer

from devlore.errors import DevloreError
from devlore.layout import EPISODIC, WORKFLOWS, WORKLOGS, domain_of, worklog_name
from devlore.model import LEVELS, WORK_STATUSES
from devlore.service.brain import Brain

__all__ = ["complete", "install_protocol"]

_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "notice": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
    "critical": logging.CRITICAL,
    "alert": logging.CRITICAL,
    "emergency": logging.CRITICAL,
}
_MAX = 100  # the protocol's cap on completion values


def _names(brain: Brain, argument: str, context: dict[str, str]) -> list[str]:
    """Candidate values for a prompt or resource-template argument."""
    store = brain.store
    if argument == "domain":
        return [domain_of(p) for p in brain.pattern_paths()]
    if argument in ("slug", "topic", "pattern"):
        domain = context.get("domain")
        refs = brain.patterns(domain if domain and argument == "slug" else None)
        return [r.entry.slug if argument == "slug" else r.entry.name for r in refs]
    if argument == "folder":
        return sorted({p.split("/")[2] for p in store.glob(EPISODIC, "*.md", recursive=True) if p.count("/") == 3})
    if argument == "episode":
        folder = context.get("folder", "")
        found = store.glob(f"{EPISODIC}/{folder}") if folder else store.glob(EPISODIC, "*.md", recursive=True)
        return [p.rsplit("/", 1)[-1].removesuffix(".md") for p in found]
    if argument == "name":
        return [worklog_name(p) for p in store.glob(WORKLOGS)]
    if argument == "level":
        return list(LEVELS)
    if argument == "status":
        return list(WORK_STATUSES)
    if argument == "slug_workflow":
        return [p.rsplit("/", 1)[-1].removesuffix(".md") for p in store.glob(WORKFLOWS)]
    return []


def complete(brain: Brain, ref: Any, argument: str, value: str, context: dict[str, str]) -> types.Completion:
    key = argument
    uri = ref.uri if isinstance(ref, types.ResourceTemplateReference) else ""
    if uri.startswith("memory://workflows/"):
        key = "slug_workflow"
    elif uri.startswith("memory://episodes/") and argument == "name":
        key = "episode"
    if uri.startswith("memory://health/"):
        found = ["pattern-confidence", "growth-log"]
    else:
        try:
            found = _names(brain, key, context)
        except DevloreError:
            found = []
    wanted = value.lower()
    hits = sorted({v for v in found if v.lower().startswith(wanted)} or {v for v in found if wanted in v.lower()})
    return types.Completion(values=hits[:_MAX], total=len(hits), has_more=len(hits) > _MAX)


def install_protocol(server: MCPServer[Any], brain: Brain) -> None:
    @server.completion()  # type: ignore[no-untyped-call,untyped-decorator]  # untyped in the SDK
    async def on_complete(ref: Any, argument: types.CompletionArgument, context: Any) -> types.Completion:
        known = dict(context.arguments or {}) if context is not None else {}
        if isinstance(ref, types.PromptReference) and ref.name not in {p.name for p in await server.list_prompts()}:
            return types.Completion(values=[], total=0, has_more=False)
        return complete(brain, ref, argument.name, argument.value or "", known)

    async def on_set_level(_ctx: Any, params: types.SetLevelRequestParams) -> types.EmptyResult:
        logging.getLogger("devlore").setLevel(_LEVELS.get(str(params.level), logging.INFO))
        return types.EmptyResult()

    server._lowlevel_server.add_request_handler("logging/setLevel", types.SetLevelRequestParams, on_set_level)
