"""The learning tools: record what a task taught, and turn a proven pattern into a workflow."""

# mypy: disable-error-code="empty-body"
# (a declaration has no body: register calls its service)

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from devlore.model import ExperienceResult, WorkflowResult
from devlore.service import experiences, workflows
from devlore.tools.declare import WRITE, DateArg, DomainArg, PatternArg, ToolGroup
from devlore.tools.patterns import change_text

__all__ = ["LEARNING", "NewPatternArg"]

LEARNING = ToolGroup("patterns")


class NewPatternArg(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    pattern: str = Field(description="The reusable approach.")
    context: str = Field(description="When it applies.")
    example: str | None = None
    why: str | None = None
    domain: str | None = None


def _as_inputs(arguments: dict[str, Any]) -> dict[str, Any]:
    news: list[NewPatternArg] = arguments["new_patterns"] or []
    return arguments | {"new_patterns": [experiences.NewPatternInput(**p.model_dump()) for p in news]}


def _recorded(r: ExperienceResult) -> str:
    done = f"Already recorded as {r.path} (a retried call?); nothing was written" if r.unchanged else f"Wrote {r.path}"
    parts = [done] + [change_text(c) for c in r.reinforced]
    parts += [f"New: {c.name} (LOW)" for c in r.created]
    return "\n".join(parts)


@LEARNING.tool(experiences.record_experience, WRITE, text=_recorded, adapt=_as_inputs)
def record_experience(
    title: str,
    project: str,
    goal: str,
    what_happened: str,
    solution: str,
    work_type: Annotated[
        Literal["code", "client", "content", "research"],
        Field(description="Note folder and pattern file."),
    ] = "code",
    result: Literal["SUCCESS", "PARTIAL", "BLOCKED"] = "SUCCESS",
    patterns_applied: Annotated[list[str] | None, Field(description="Patterns used; each gets one example.")] = None,
    patterns_failed: Annotated[list[str] | None, Field(description="Used but did not work (PARTIAL/BLOCKED).")] = None,
    new_patterns: Annotated[list[NewPatternArg] | None, Field(description="Patterns learned here.")] = None,
    example: str | None = None,
    duration: str | None = None,
    time_saved_minutes: int | None = None,
    quality: Annotated[int | None, Field(description="1-10.")] = None,
    next_time: str | None = None,
    date: DateArg = None,
) -> ExperienceResult:
    """After a task: writes the episodic note and reinforces, counters or creates every pattern
    named, all or nothing."""


@LEARNING.tool(
    workflows.promote_to_workflow,
    WRITE,
    text=lambda r: f"Wrote {r.path} ({r.steps} steps) from {r.source_pattern}",
)
def promote_to_workflow(
    pattern: PatternArg,
    steps: Annotated[list[str] | None, Field(description="Default: from the pattern.")] = None,
    checklist: list[str] | None = None,
    when_to_use: str | None = None,
    estimated_time: str | None = None,
    domain: DomainArg = None,
) -> WorkflowResult:
    """A HIGH pattern (5+ examples) as a step-by-step workflow file."""
