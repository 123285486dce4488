"""How a tool is declared: once, as a function without a body.

The declaration's signature (``Annotated`` pydantic fields) is the tool's input schema, its
docstring the description, its return type the output schema. The service it adapts is named
in the decorator; ``register`` binds each call's arguments to the service's parameters by
name, so no argument is written twice::

    @PATTERNS.tool(patterns.get_pattern, READ, text=lambda r: r.markdown)
    def get_pattern(pattern: PatternArg, domain: DomainArg = None) -> PatternDetail:
        \"\"\"One pattern in full: levels, examples, sources, and its markdown as written.\"\"\"

Whether a tool writes (and so is committed in a team brain) is read from its annotations.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from mcp.types import ToolAnnotations
from pydantic import BaseModel, Field

__all__ = ["READ", "REWRITE", "WRITE", "DateArg", "DomainArg", "PatternArg", "Tool", "ToolGroup"]

M = TypeVar("M", bound=BaseModel)
Adapt = Callable[[dict[str, Any]], dict[str, Any]]

READ = ToolAnnotations(read_only_hint=True, open_world_hint=False)  # read-only implies the other hints
WRITE = ToolAnnotations(read_only_hint=False, idempotent_hint=False, destructive_hint=False, open_world_hint=False)
REWRITE = ToolAnnotations(read_only_hint=False, idempotent_hint=True, destructive_hint=False, open_world_hint=False)

PatternArg = Annotated[str, Field(description="Name, slug or prefix.")]
DomainArg = Annotated[str | None, Field(description="Pattern file, e.g. 'dev'.")]
DateArg = Annotated[str | None, Field(description="YYYY-MM-DD; default: the example's, else today.")]


@dataclass(frozen=True)
class Tool:
    """One declared tool: what the client sees (``declaration``, ``annotations``) and what
    answers it (``service``, called as ``service(brain, **arguments)``; ``adapt`` reshapes the
    arguments first when the service takes them differently; ``text`` is the answer's one
    human-readable block)."""

    declaration: Callable[..., Any]
    service: Callable[..., BaseModel]
    annotations: ToolAnnotations
    text: Callable[[Any], str]
    adapt: Adapt | None = None

    @property
    def name(self) -> str:
        return self.declaration.__name__

    @property
    def writes(self) -> bool:
        """A tool that may change files: its annotations do not promise read-only."""
        return not self.annotations.read_only_hint


class ToolGroup:
    """The tools of one feature module, in the order they are declared, and the ``--tools``
    set they belong to."""

    def __init__(self, toolset: str) -> None:
        self.toolset = toolset
        self.tools: list[Tool] = []

    def tool(
        self,
        service: Callable[..., M],
        annotations: ToolAnnotations,
        text: Callable[[M], str],
        adapt: Adapt | None = None,
    ) -> Callable[[Callable[..., M]], Tool]:
        """Declare the decorated function as a tool answered by ``service``. The decorated name
        becomes the ``Tool``: a declaration is never called itself."""

        def declare(declaration: Callable[..., M]) -> Tool:
            if adapt is None:
                _check_binding(declaration, service)
            tool = Tool(declaration, service, annotations, text, adapt)
            self.tools.append(tool)
            return tool

        return declare


def _check_binding(declaration: Callable[..., Any], service: Callable[..., Any]) -> None:
    """Every argument of the tool must be a parameter of its service, or calls would fail."""
    takes = inspect.signature(service).parameters
    unknown = [name for name in inspect.signature(declaration).parameters if name not in takes]
    if unknown:
        raise TypeError(f"tool {declaration.__name__}: {service.__name__} takes no {', '.join(unknown)}")
