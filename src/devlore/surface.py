"""What every MCP tool shares: annotations, argument types, the one place where
``DevloreError`` becomes ``ToolError``, the structured reply, and schema compaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, ConfigDict, Field

from devlore.errors import Changed, DevloreError
from devlore.model import ConfidenceChange
from devlore.service import validate
from devlore.service.brain import Brain
from devlore.service.commits import WRITES

__all__ = ["READ", "REWRITE", "WRITE", "compact", "reply", "run"]

M = TypeVar("M", bound=BaseModel)

RETRIES = 5  # re-applications when a file changes under a write (see Brain.transaction)

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


def reply(model: M, text: str) -> CallToolResult:
    return CallToolResult(
        content=[TextContent(type="text", text=text)],
        structured_content=model.model_dump(mode="json", by_alias=True),
    )


def run(fn: Callable[..., M], brain: Brain, **kwargs: Any) -> M:
    try:
        for name, value in kwargs.items():
            validate.check_size(name, value)
        if brain.commits is not None and fn.__name__ in WRITES:  # devlore serve --git
            return brain.commits.run(fn.__name__, lambda: _applied(fn, brain, kwargs))  # type: ignore[no-any-return]
        return _applied(fn, brain, kwargs)
    except DevloreError as exc:
        raise ToolError(str(exc)) from exc


def _applied(fn: Callable[..., M], brain: Brain, kwargs: dict[str, Any]) -> M:
    for _ in range(RETRIES):
        try:
            return fn(brain, **kwargs)
        except Changed:
            continue  # an editor saved the file mid-operation: re-read and re-apply
    return fn(brain, **kwargs)


def change_text(c: ConfidenceChange) -> str:
    return f"{c.name}: {c.confidence_before} → {c.confidence_after} ({c.examples} examples) in {c.path}"


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


def compact(schema: Any, output: bool = False) -> None:
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
                    compact(sub, output)
            else:
                compact(value, output)
    elif isinstance(schema, list):
        for item in schema:
            compact(item, output)
