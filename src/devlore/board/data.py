"""What the board shows, gathered through the services: the overview's figures and the pattern
rows. Counts come from ``memory_stats`` itself, so the page and the tool can never disagree."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import cast

from devlore.board.growth import read_growth
from devlore.codec.pattern_entry import Entry, minutes
from devlore.layout import HEALTH_GROWTH, domain_of
from devlore.model import LEVELS, Problem, Stats, is_stale
from devlore.service.brain import Brain
from devlore.service.index import Index
from devlore.service.stats import memory_stats

__all__ = ["WEEKS", "Overview", "PatternRow", "monday", "overview", "pattern_rows"]

WEEKS = 26  # six months of weekly bars
LIST_CAP = 50  # names listed per overview section; the rest is counted


@dataclass(frozen=True)
class PatternRow:
    name: str
    slug: str
    domain: str
    path: str
    stated: str | None
    evidence: str
    examples: int
    last_reinforced: str | None
    stale: bool
    sources: tuple[str, ...]


@dataclass
class Overview:
    stats: Stats
    by_domain: dict[str, dict[str, int]]
    weeks: list[str]  # Mondays, oldest first
    examples: list[int]
    learned: list[int]
    promoted: list[int]
    saved: list[int]  # cumulative minutes saved by dated examples, per week
    stale_high: list[PatternRow] = field(default_factory=list)
    stale_high_total: int = 0
    drifted: list[PatternRow] = field(default_factory=list)
    drifted_total: int = 0
    problems: list[Problem] = field(default_factory=list)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _day(text: str | None) -> date | None:
    """``2026-03`` (the 1st of the month) or ``2026-03-14``; None when it is not a date."""
    if not text:
        return None
    try:
        return date.fromisoformat(text if len(text) == 10 else f"{text[:7]}-01")
    except ValueError:
        return None


def row(rel: str, e: Entry, today: date) -> PatternRow:
    return PatternRow(
        name=e.name,
        slug=e.slug,
        domain=domain_of(rel),
        path=rel,
        stated=e.stated,
        evidence=e.evidence,
        examples=e.example_count,
        last_reinforced=e.last_reinforced,
        stale=is_stale(e.last_reinforced, today),
        sources=e.sources,
    )


def pattern_rows(brain: Brain) -> list[PatternRow]:
    """Every readable pattern, file by file in path order, each row kept with its file's parse."""
    today = brain.today()
    rows: list[PatternRow] = []
    for rel, pf in brain.pattern_files():
        key = (rel, "board-rows")
        hit = brain.memo.get(key)
        if hit is not None and hit[0] is pf and hit[1] == today:
            rows += cast(list[PatternRow], hit[2])
            continue
        made = [row(rel, e, today) for e in pf.entries]
        brain.memo[key] = (pf, today, made)
        rows += made
    return rows


_WEEK_FMT = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def overview(brain: Brain, index: Index | None) -> Overview:
    stats = memory_stats(brain, index=index)
    today = brain.today()
    first = monday(today) - timedelta(weeks=WEEKS - 1)
    weeks = [first + timedelta(weeks=i) for i in range(WEEKS)]
    by_domain: dict[str, dict[str, int]] = {}
    examples: Counter[date] = Counter()
    saved: Counter[date] = Counter()
    saved_before = 0
    stale_high: list[PatternRow] = []
    drifted: list[PatternRow] = []
    for rel, pf in brain.pattern_files():
        counts = by_domain.setdefault(domain_of(rel), {level: 0 for level in LEVELS})
        for e in pf.entries:
            counts[e.evidence] += 1
            per_use = minutes(e.field_value("time saved per use", "time saved", "estimated")) or 0
            for ex in e.examples:
                day = _day(ex.date)
                if day is None:
                    continue
                week = monday(day)
                if week < first:
                    saved_before += per_use
                elif week <= weeks[-1]:
                    examples[week] += 1
                    saved[week] += per_use
            if e.evidence == "HIGH" and is_stale(e.last_reinforced, today):
                stale_high.append(row(rel, e, today))
            if e.stated != e.evidence:
                drifted.append(row(rel, e, today))
    learned, promoted = _growth(brain, weeks)
    running = saved_before
    cumulative = []
    for week in weeks:
        running += saved[week]
        cumulative.append(running)
    return Overview(
        stats=stats,
        by_domain=dict(sorted(by_domain.items())),
        weeks=[w.isoformat() for w in weeks],
        examples=[examples[w] for w in weeks],
        learned=learned,
        promoted=promoted,
        saved=cumulative,
        stale_high=stale_high[:LIST_CAP],
        stale_high_total=len(stale_high),
        drifted=drifted[:LIST_CAP],
        drifted_total=len(drifted),
        problems=stats.problems,
    )


def _growth(brain: Brain, weeks: list[date]) -> tuple[list[int], list[int]]:
    """Patterns learned and promotions per week, from the brain-health growth log."""
    text = brain.store.read(HEALTH_GROWTH) or ""
    learned: Counter[date] = Counter()
    promoted: Counter[date] = Counter()
    for w in read_growth(text):
        day = _day(w.monday) if _WEEK_FMT.match(w.monday) else None
        if day is not None:
            learned[monday(day)] += len(w.learned)
            promoted[monday(day)] += len(w.promoted)
    return [learned[w] for w in weeks], [promoted[w] for w in weeks]
