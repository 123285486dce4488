"""The pattern tools: list, read, add, reinforce, re-rate and revise patterns."""

# mypy: disable-error-code="empty-body"
# (a declaration has no body: register calls its service)

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from devlore.model import ConfidenceChange, Level, NewPatternResult, PatternDetail, PatternList, Revision
from devlore.service import patterns, revise
from devlore.service.problems import note
from devlore.tools.declare import READ, REWRITE, WRITE, DateArg, DomainArg, PatternArg, ToolGroup

__all__ = ["PATTERNS", "change_text"]

PATTERNS = ToolGroup("patterns")


def change_text(c: ConfidenceChange) -> str:
    if c.unchanged:
        return f"{c.name}: already lists this example; nothing added ({c.confidence_after}, {c.examples} examples)"
    return f"{c.name}: {c.confidence_before} → {c.confidence_after} ({c.examples} examples) in {c.path}"


def _listed(r: PatternList) -> str:
    more = f" ({r.remaining} more: cursor {r.next_cursor})" if r.next_cursor else ""
    names = "; ".join(f"{p.name} ({p.evidence_level}{f', drift: {p.drift}' if p.drift else ''})" for p in r.patterns)
    return f"{r.total} patterns{more}: {names}" + (f"\n{note(r.problems)}" if r.problems else "")


@PATTERNS.tool(patterns.list_patterns, READ, text=_listed)
def list_patterns(
    domain: DomainArg = None,
    level: Annotated[Level | None, Field(description="Written or evidence level.")] = None,
    stale_days: Annotated[int | None, Field(description="Only those not reinforced for this many days.")] = None,
    mismatched: Annotated[bool, Field(description="Only written level != evidence.")] = False,
    cursor: str | None = None,
    limit: Annotated[int, Field(description="1-100.")] = 50,
) -> PatternList:
    """Index of patterns: levels written and earned, examples, counter-examples, staleness, drift.
    Paged: call again with next_cursor."""


@PATTERNS.tool(patterns.get_pattern, READ, text=lambda r: r.markdown)
def get_pattern(pattern: PatternArg, domain: DomainArg = None) -> PatternDetail:
    """One pattern in full: levels, examples, sources, markdown as written."""


@PATTERNS.tool(patterns.add_pattern, WRITE, text=lambda r: f"Added {r.name} (LOW) to {r.path}")
def add_pattern(
    name: Annotated[str, Field(description="Unique title.")],
    pattern: Annotated[str, Field(description="The reusable approach.")],
    context: Annotated[str, Field(description="When it applies.")],
    example: Annotated[str, Field(description="First example: 'Project - detail (YYYY-MM-DD) - outcome'.")],
    domain: Annotated[str, Field(description="Pattern file, e.g. 'pm'.")] = "dev",
    why: Annotated[str | None, Field(description="Why it works.")] = None,
    time_saved: Annotated[str | None, Field(description="e.g. '~20 minutes'.")] = None,
    source_experience: Annotated[str | None, Field(description="Path of the episodic note.")] = None,
) -> NewPatternResult:
    """A new LOW pattern with its first example; an existing name is refused (use add_example)."""


@PATTERNS.tool(patterns.add_example, WRITE, text=change_text)
def add_example(
    pattern: PatternArg,
    example: Annotated[str, Field(description="One line: 'Project - detail (YYYY-MM-DD) - outcome'.")],
    domain: DomainArg = None,
    date: DateArg = None,
    source_experience: Annotated[str | None, Field(description="Path of the episodic note.")] = None,
    time_saved_minutes: Annotated[int | None, Field(description="Minutes saved this time.")] = None,
) -> ConfidenceChange:
    """One more example; the level follows the count (2 MEDIUM, 5 HIGH), before and after."""


@PATTERNS.tool(patterns.upgrade_confidence, REWRITE, text=change_text)
def upgrade_confidence(
    pattern: PatternArg,
    level: Annotated[
        Level | None,
        Field(description="Only the one the examples earn."),
    ] = None,
    domain: DomainArg = None,
) -> ConfidenceChange:
    """Re-rate a pattern from its examples (repairs hand edits that drifted)."""


def _revised(r: Revision) -> str:
    return "\n".join([r.note, *(change_text(c) for c in r.changes)])


@PATTERNS.tool(revise.revise_pattern, WRITE, text=_revised)
def revise_pattern(
    pattern: PatternArg,
    action: Literal["remove_example", "merge_into", "split"],
    example: Annotated[int | None, Field(description="remove_example: its number.")] = None,
    reason: Annotated[str | None, Field(description="remove_example: why.")] = None,
    into: Annotated[list[str] | None, Field(description="merge_into: [pattern to keep]; split: new names.")] = None,
    examples: Annotated[list[list[int]] | None, Field(description="split: example numbers per new name.")] = None,
    domain: DomainArg = None,
) -> Revision:
    """As evidence changes: remove_example (the level may fall), merge_into (examples pooled; a
    redirect stays), split."""
