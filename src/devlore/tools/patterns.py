"""The pattern tools: list, read, add, reinforce, re-rate and revise patterns."""

# mypy: disable-error-code="empty-body"
# (a declaration has no body: register calls its service)

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from devlore.model import ConfidenceChange, Level, NewPatternResult, PatternDetail, PatternList, Revision
from devlore.service import patterns, revise
from devlore.tools.declare import READ, REWRITE, WRITE, DateArg, DomainArg, PatternArg, ToolGroup

__all__ = ["PATTERNS", "change_text"]

PATTERNS = ToolGroup("patterns")


def change_text(c: ConfidenceChange) -> str:
    return f"{c.name}: {c.confidence_before} → {c.confidence_after} ({c.examples} examples) in {c.path}"


def _listed(r: PatternList) -> str:
    more = f" ({r.remaining} more: cursor {r.next_cursor})" if r.next_cursor else ""
    names = "; ".join(f"{p.name} ({p.evidence_level})" for p in r.patterns)
    return f"{r.total} patterns{more}: {names}"


@PATTERNS.tool(patterns.list_patterns, READ, text=_listed)
def list_patterns(
    domain: DomainArg = None,
    level: Annotated[Level | None, Field(description="Only this level (written or evidence).")] = None,
    stale_days: Annotated[int | None, Field(description="Only patterns not reinforced for this many days.")] = None,
    mismatched: Annotated[bool, Field(description="Only patterns whose written level differs from evidence.")] = False,
    cursor: Annotated[str | None, Field(description="next_cursor of the previous page.")] = None,
    limit: Annotated[int, Field(description="Patterns per page (1-100).")] = 50,
) -> PatternList:
    """Compact index of patterns: name, written level, evidence level, example count, staleness.
    Paged: when next_cursor is set, call again with it for the rest."""


@PATTERNS.tool(patterns.get_pattern, READ, text=lambda r: r.markdown)
def get_pattern(pattern: PatternArg, domain: DomainArg = None) -> PatternDetail:
    """One pattern in full: levels, examples, sources, and its markdown as written."""


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
    """Record a new LOW-confidence pattern with its first example. Refuses an existing name:
    use add_example for a pattern that exists."""


@PATTERNS.tool(patterns.add_example, WRITE, text=change_text)
def add_example(
    pattern: PatternArg,
    example: Annotated[
        str, Field(description="One line: 'Project - detail (YYYY-MM-DD) - outcome'; the server numbers it.")
    ],
    domain: DomainArg = None,
    date: DateArg = None,
    source_experience: Annotated[str | None, Field(description="Path of the episodic note.")] = None,
    time_saved_minutes: Annotated[int | None, Field(description="Minutes the pattern saved this time.")] = None,
) -> ConfidenceChange:
    """Reinforce a pattern with one more example. The level is recomputed from the examples
    (2 MEDIUM, 5 HIGH); returns the level before and after."""


@PATTERNS.tool(patterns.upgrade_confidence, REWRITE, text=change_text)
def upgrade_confidence(
    pattern: PatternArg,
    level: Annotated[
        Level | None,
        Field(description="Omit to re-rate from the examples; a level the examples do not earn is refused."),
    ] = None,
    domain: DomainArg = None,
) -> ConfidenceChange:
    """Re-rate a pattern from its evidence (repairs hand edits that drifted). Naming a level
    the examples do not support is refused with how many examples are missing."""


def _revised(r: Revision) -> str:
    return "\n".join([r.note, *(change_text(c) for c in r.changes), *([r.redirect] if r.redirect else [])])


@PATTERNS.tool(revise.revise_pattern, WRITE, text=_revised)
def revise_pattern(
    pattern: PatternArg,
    action: Literal["remove_example", "merge_into", "split"],
    example: Annotated[int | None, Field(description="remove_example: its number in get_pattern.")] = None,
    reason: Annotated[str | None, Field(description="remove_example: why it no longer counts.")] = None,
    into: Annotated[list[str] | None, Field(description="merge_into: [pattern to keep]; split: new names.")] = None,
    examples: Annotated[
        list[list[int]] | None, Field(description="split: example numbers for each new name; each exactly once.")
    ] = None,
    domain: DomainArg = None,
) -> Revision:
    """When evidence changes. remove_example: the level may fall. merge_into: pools examples into
    the kept pattern, re-rated; a redirect stays. split: one pattern into several."""
