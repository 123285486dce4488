"""``memory_stats``: what the brain holds, and (from ``service.check``) what cannot be parsed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from devlore.codec.pattern_entry import time_saved
from devlore.codec.patterns import PatternFile
from devlore.errors import DevloreError
from devlore.layout import EPISODIC, WORKFLOWS, WORKLOGS
from devlore.model import LEVELS, PatternSummary, Stats, is_stale
from devlore.service import health
from devlore.service.brain import Brain
from devlore.service.check import check
from devlore.service.index import Index
from devlore.service.patterns import list_patterns
from devlore.service.suggest import suggest as suggestions
from devlore.service.worklog_views import board

__all__ = ["every_pattern", "memory_stats", "stale_by_domain"]


@dataclass(frozen=True)
class _FileStats:
    """One pattern file's share of ``memory_stats``, kept while its parse is current."""

    by_level: dict[str, int]
    saved: int
    mismatched: list[str]
    stale: list[str]


def _file_stats(brain: Brain, rel: str, pf: PatternFile, today: date, stale_days: int) -> _FileStats:
    key = (rel, "stats")
    hit = brain.memo.get(key)
    if hit is not None and hit[0] is pf and hit[1] == (today, stale_days):
        return cast(_FileStats, hit[2])
    by_level: dict[str, int] = {level: 0 for level in LEVELS}
    saved = 0
    mismatched: list[str] = []
    stale: list[str] = []
    for e in pf.entries:
        by_level[e.evidence] += 1
        saved += time_saved(e)
        if e.stated != e.evidence:
            mismatched.append(f"{e.name} (written {e.stated or 'nothing'}, evidence {e.evidence})")
        if is_stale(e.last_reinforced, today, stale_days):
            stale.append(e.name)
    fs = _FileStats(by_level, saved, mismatched, stale)
    brain.memo[key] = (pf, (today, stale_days), fs)
    return fs


def memory_stats(brain: Brain, stale_days: int = 90, index: Index | None = None, suggest: bool = False) -> Stats:
    """What the brain holds. With the server's ``index``, nothing is parsed on the call: each
    pattern file's share is kept with its parse, problems and counts come from the index (kept
    current by the watcher), and the board's rows are kept per work log. Without one (the CLI),
    every file is checked. ``suggest`` adds the ranked suggestions of ``service.suggest``."""
    by_level: dict[str, int] = {level: 0 for level in LEVELS}
    mismatched: list[str] = []
    stale: list[str] = []
    saved = 0
    today = brain.today()
    for rel in brain.pattern_paths():
        try:
            pf = brain.pattern_file(rel)
        except DevloreError:
            continue
        if pf is None:
            continue
        fs = _file_stats(brain, rel, pf, today, stale_days)
        for level, count in fs.by_level.items():
            by_level[level] += count
        saved += fs.saved
        mismatched += fs.mismatched
        stale += fs.stale
    if index is not None:
        index.current()
        problems = index.problems()
        n = {
            "experiences": index.count(EPISODIC),
            "workflows": index.count(WORKFLOWS),
            "worklogs": index.count(WORKLOGS),
        }
    else:
        problems = check(brain)
        n = health.counts(brain)
    return Stats(
        patterns=sum(by_level.values()),
        by_level=by_level,
        mismatched=_capped(mismatched),
        stale=_capped(stale),
        experiences=n["experiences"],
        workflows=n["workflows"],
        worklogs=n["worklogs"],
        open_blockers=sum(len(row.open_blockers) for row in board(brain)),
        time_saved_minutes=saved,
        problems=problems[:LIST_CAP],
        problems_total=len(problems),
        last_sync=brain.commits.last_sync if brain.commits is not None else None,
        suggestions=suggestions(brain) if suggest else [],
    )


LIST_CAP = 50  # memory_stats stays bounded on a 50,000-file brain


def _capped(names: list[str]) -> list[str]:
    return names if len(names) <= LIST_CAP else [*names[:LIST_CAP], f"… and {len(names) - LIST_CAP} more"]


def every_pattern(brain: Brain, **filters: Any) -> list[PatternSummary]:
    """Every pattern ``list_patterns`` gives for ``filters``, all pages (people get them all)."""
    rows: list[PatternSummary] = []
    cursor: str | None = None
    while True:
        result = list_patterns(brain, cursor=cursor, limit=100, **filters)
        rows += result.patterns
        if (cursor := result.next_cursor) is None:
            return rows


def stale_by_domain(brain: Brain, days: int = 90) -> dict[str, list[str]]:
    """The patterns not reinforced for ``days`` days, by pattern file's domain."""
    out: dict[str, list[str]] = {}
    for p in every_pattern(brain, stale_days=days):
        out.setdefault(p.domain, []).append(p.name)
    return out
