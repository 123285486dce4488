"""The pattern tools: list, read, add, reinforce and re-rate patterns."""

# mypy: disable-error-code="empty-body"
# (a declaration has no body: register calls its service)

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from devlore.model import ConfidenceChange, Level, NewPatternResult, PatternDetail, PatternList
from devlore.service import patterns
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
    level: Annotated[Level | None, Field(description="Only this level (written or evidence).")] = None,
    stale_days: Annotated[int | None, Field(description="Only patterns not reinforced for this many days.")] = None,
    mismatched: Annotated[bool, Field(description="Only drifted levels.")] = False,
    cursor: Annotated[str | None, Field(description="next_cursor of the previous page.")] = None,
    limit: Annotated[int, Field(description="Patterns per page (1-100).")] = 50,
) -> PatternList:
    """Patterns with written and evidence levels, example counts, staleness and drift. Paged:
    pass next_cursor for more."""


@PATTERNS.tool(patterns.get_pattern, READ, text=lambda r: r.markdown)
def get_pattern(pattern: PatternArg, domain: DomainArg = None) -> PatternDetail:
    """One pattern in full: levels, examples, sources and its markdown."""


@PATTERNS.tool(patterns.add_pattern, WRITE, text=lambda r: f"Added {r.name} (LOW) to {r.path}")
def add_pattern(
    name: Annotated[str, Field(description="Title of the new pattern (unique).")],
    pattern: Annotated[str, Field(description="The reusable approach.")],
    context: Annotated[str, Field(description="When it applies.")],
    example: Annotated[str, Field(description="First example: 'Project - detail (YYYY-MM-DD) - outcome'.")],
    domain: Annotated[str, Field(description="Pattern file: 'dev', 'pm', 'content', ...")] = "dev",
    why: Annotated[str | None, Field(description="Why it works.")] = None,
    time_saved: Annotated[str | None, Field(description="e.g. '~20 minutes (skips debugging)'.")] = None,
    source_experience: Annotated[str | None, Field(description="Path of the episodic note.")] = None,
) -> NewPatternResult:
    """Record a new LOW pattern with its first example; an existing name is refused (use
    add_example)."""


@PATTERNS.tool(patterns.add_example, WRITE, text=change_text)
def add_example(
    pattern: PatternArg,
    example: Annotated[str, Field(description="One line: 'Project - detail (YYYY-MM-DD) - outcome'.")],
    domain: DomainArg = None,
    date: DateArg = None,
    source_experience: Annotated[str | None, Field(description="Path of the episodic note.")] = None,
    time_saved_minutes: Annotated[int | None, Field(description="Minutes the pattern saved this time.")] = None,
) -> ConfidenceChange:
    """Reinforce a pattern with one more example; its level follows the count (2 MEDIUM, 5 HIGH)."""


@PATTERNS.tool(patterns.upgrade_confidence, REWRITE, text=change_text)
def upgrade_confidence(
    pattern: PatternArg,
    level: Annotated[
        Level | None,
        Field(description="Omit to re-rate from the examples; a level the examples do not earn is refused."),
    ] = None,
    domain: DomainArg = None,
) -> ConfidenceChange:
    """Re-rate a pattern from its examples (repairs hand-edit drift); an unearned level is refused."""
