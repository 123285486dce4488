"""Pydantic types shared by services and the MCP surface, and the pure confidence rules.

Field descriptions are the assistant's manual: they appear in the tools' output schemas.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, Field

__all__ = [
    "LEVELS",
    "WORK_STATUSES",
    "Level",
    "decayed",
    "evidence_level",
    "examples_needed",
    "is_stale",
    "lower",
]

Level = Literal["LOW", "MEDIUM", "HIGH"]
LEVELS: tuple[Level, ...] = ("LOW", "MEDIUM", "HIGH")
_THRESHOLD: dict[Level, int] = {"LOW": 1, "MEDIUM": 2, "HIGH": 5}
STALE_DAYS = 90


def evidence_level(examples: int) -> Level:
    """1 example is LOW, 2–4 MEDIUM, 5+ HIGH (none at all is still LOW)."""
    if examples >= _THRESHOLD["HIGH"]:
        return "HIGH"
    if examples >= _THRESHOLD["MEDIUM"]:
        return "MEDIUM"
    return "LOW"


def decayed(last_seen: str | None, today: date, days: int | None) -> bool:
    """Optional decay (``serve --decay-days N``): no example for more than ``days`` days."""
    return days is not None and is_stale(last_seen, today, days)


def lower(level: Level) -> Level:
    """One level down (LOW stays LOW): how a decayed pattern is ranked."""
    return LEVELS[max(0, LEVELS.index(level) - 1)]


def examples_needed(level: Level) -> int:
    return _THRESHOLD[level]


def is_stale(last_reinforced: str | None, today: date, days: int = STALE_DAYS) -> bool:
    """Not reinforced for ``days`` days (a pattern with no date is stale too)."""
    if not last_reinforced:
        return True
    try:
        when = date.fromisoformat(last_reinforced[:10])
    except ValueError:
        return True
    return today - when > timedelta(days=days)


class PatternSummary(BaseModel):
    name: str
    slug: str
    domain: str = Field(description="Pattern file's domain: 'dev' for dev-patterns.md.")
    path: str = Field(description="File path relative to the brain root.")
    confidence: str | None = Field(description="Level as written in the file.")
    evidence_level: Level = Field(description="Level the listed examples earn (1 LOW, 2-4 MEDIUM, 5+ HIGH).")
    examples: int = Field(description="Number of examples listed.")
    last_reinforced: str | None
    stale: bool = Field(description="Not reinforced within the staleness window (90 days by default).")
    drift: str | None = Field(default=None, description="What a hand edit left contradicting the examples.")
    counter_examples: int = 0
    decayed: bool = False


class PatternList(BaseModel):
    patterns: list[PatternSummary]
    total: int = Field(description="Patterns matching the filters, on all pages.")
    remaining: int = Field(default=0, description="Patterns after this page.")
    next_cursor: str | None = Field(default=None, description="Pass as cursor for the next page.")
    problems: list[str] = Field(
        default_factory=list, description="Unreadable files left out: fix, or run devlore check."
    )


class PatternDetail(BaseModel):
    name: str
    slug: str
    domain: str
    path: str
    confidence: str | None = Field(description="Level as written in the file.")
    evidence_level: Level
    examples: list[str] = Field(description="The listed examples, in order, without their numbers.")
    last_reinforced: str | None
    stale: bool
    format: Literal["A", "B"] = Field(description="A: bold header fields; B: ### subsections.")
    sources: list[str] = Field(description="Source experience paths.")
    counter_examples: list[str] = Field(default_factory=list, description="Where it was applied and did not work.")
    markdown: str = Field(description="The entry exactly as written in the file.")
    truncated: bool = Field(
        default=False, description="markdown or examples were shortened; read the pattern's resource for all."
    )


class ConfidenceChange(BaseModel):
    name: str
    path: str
    examples: int = Field(description="Examples listed after the change.")
    confidence_before: str | None = Field(description="Level written before the call.")
    confidence_after: Level
    unchanged: bool = Field(default=False, description="The same example was already listed; nothing added.")


class Revision(BaseModel):
    changes: list[ConfidenceChange] = Field(description="Each pattern revised, its level before and after.")
    note: str = Field(description="What was done, and the redirect left where a pattern went.")


class NewPatternResult(BaseModel):
    name: str
    slug: str
    path: str
    confidence: Level


class Hit(BaseModel):
    kind: Literal["pattern", "episode", "workflow", "worklog"]
    title: str
    path: str
    snippet: str
    score: float
    entry: str | None = Field(default=None, description="A work log's entry, e.g. 'v7'.")


class RecallResult(BaseModel):
    hits: list[Hit]
    note: str | None = Field(default=None, description="How the query was relaxed or respelled, if it was.")
    problems: list[str] = Field(
        default_factory=list, description="Unreadable files left out: fix, or run devlore check."
    )


class ExperienceResult(BaseModel):
    path: str = Field(description="The episodic note written.")
    created: list[NewPatternResult]
    reinforced: list[ConfidenceChange]
    unchanged: bool = Field(default=False, description="Already recorded (a retry); nothing was written.")


class WorkflowResult(BaseModel):
    name: str
    path: str
    source_pattern: str
    steps: int


class Problem(BaseModel):
    path: str
    line: int
    reason: str


class Suggestion(BaseModel):
    kind: Literal["merge", "new_pattern", "revalidate", "promote", "almost"]
    text: str = Field(description="The decision to offer the user.")
    evidence: list[str]


class Stats(BaseModel):
    patterns: int
    by_level: dict[str, int] = Field(description="Patterns per evidence level (HIGH, MEDIUM, LOW).")
    mismatched: list[str] = Field(description="Patterns whose written level differs from their evidence.")
    stale: list[str] = Field(description="Patterns not reinforced in 90 days.")
    experiences: int
    workflows: int
    worklogs: int
    open_blockers: int
    time_saved_minutes: int = Field(description="Estimated minutes saved by all patterns so far.")
    problems: list[Problem] = Field(description="Files that could not be parsed (the first 50); left untouched.")
    problems_total: int = 0
    last_sync: str | None = Field(default=None, description="devlore serve --git --sync-every: the last sync.")
    suggestions: list[Suggestion] = Field(default_factory=list, description="With suggest: ranked, with evidence.")


WorkStatus = Literal["in_progress", "blocked", "needs_review", "completed"]
WORK_STATUSES: tuple[WorkStatus, ...] = ("in_progress", "blocked", "needs_review", "completed")


class WorkLogState(BaseModel):
    name: str = Field(description="Canonical work-log name, e.g. 'Auth-Refactor'.")
    path: str
    version: str = Field(description="Latest entry, e.g. 'v3'.")
    status: WorkStatus
    brief: str | None = Field(
        default=None, description="open_worklog: the resume brief; update_worklog learn: the patterns."
    )
    note: str | None = Field(default=None, description="What the call could not do as asked.")


class EntryView(BaseModel):
    version: str
    when: str
    title: str
    fields: dict[str, str] = Field(description="Field name -> its text as written.")


class Insights(BaseModel):
    progress: list[str] = Field(description="'vN: progress' per version.")
    blockers: list[str] = Field(description="Each blocker with owner, age and state.")
    hypotheses: dict[str, list[str]] = Field(description="Latest hypothesis lines by status.")
    carried: list[str] = Field(description="Next items carried over several versions.")
    decisions: list[str] = Field(description="'vN: decision' for every version.")
    metrics: list[str]
    flags: list[str]
    evolution: list[str]
    features: list[str]
    patterns: list[str]


class FeatureStatus(BaseModel):
    """A ``### Feature:`` block as the board and insights show it."""

    name: str
    progress: int | None
    started: str
    target: str
    target_passed: bool
    done: list[str]
    active: list[str]
    backlog: list[str]


class MetricTrend(BaseModel):
    """One metric across the versions of a work log."""

    name: str
    points: list[str]  # '180ms (v3)', oldest first; unparsable values kept as written
    target: str | None
    current: str
    flags: list[str]  # regressions against the target and contradictions


class BoardRow(BaseModel):
    name: str
    version: str
    status: WorkStatus
    progress: str
    top_item: str | None = Field(description="First open HIGH next item.")
    open_blockers: list[str]
    depends_on: list[str]
    features: list[str] = Field(default_factory=list, description="'Name 60% → target (passed)' per feature.")


class WorkLogAnswer(BaseModel):
    name: str | None = None
    path: str | None = None
    version: str | None = None
    status: WorkStatus | None = None
    title: str | None = None
    entries: list[EntryView] = Field(default_factory=list, description="The last N entries, oldest first.")
    insights: Insights | None = None
    worklogs: list[BoardRow] = Field(default_factory=list, description="Without a name: the workstreams (paged).")
    remaining: int = 0
    next_cursor: str | None = None
    problems: list[str] = Field(
        default_factory=list, description="Unreadable files left out: fix, or run devlore check."
    )
