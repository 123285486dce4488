"""``memory_stats`` and ``devlore check``: what the brain holds and what cannot be parsed."""

from __future__ import annotations

from devlore.codec import episodes, workflows
from devlore.codec.frontmatter import FrontmatterError
from devlore.codec.patterns import PatternFile
from devlore.codec.text import Doc
from devlore.codec.worklogs import WorkLog
from devlore.errors import InvalidDocument
from devlore.layout import EPISODIC, HEALTH_CONFIDENCE, HEALTH_GROWTH, PATTERNS, WORKFLOWS, WORKLOGS
from devlore.model import LEVELS, Problem, Stats, is_stale
from devlore.service import health
from devlore.service.brain import Brain, parse_patterns
from devlore.service.patterns import time_saved
from devlore.service.worklog_views import board

__all__ = ["check", "memory_stats"]


def memory_stats(brain: Brain, stale_days: int = 90) -> Stats:
    by_level: dict[str, int] = {level: 0 for level in LEVELS}
    mismatched: list[str] = []
    stale: list[str] = []
    saved = 0
    total = 0
    for ref in brain.patterns():
        e = ref.entry
        total += 1
        by_level[e.evidence] += 1
        saved += time_saved(e)
        if e.stated != e.evidence:
            mismatched.append(f"{e.name} (written {e.stated or 'nothing'}, evidence {e.evidence})")
        if is_stale(e.last_reinforced, brain.today(), stale_days):
            stale.append(e.name)
    n = health.counts(brain)
    problems = check(brain)
    return Stats(
        patterns=total,
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
    )


LIST_CAP = 50  # memory_stats stays bounded on a 50,000-file brain


def _capped(names: list[str]) -> list[str]:
    return names if len(names) <= LIST_CAP else [*names[:LIST_CAP], f"… and {len(names) - LIST_CAP} more"]


def _check_one(rel: str, text: str) -> Problem | None:
    try:
        if rel.startswith(PATTERNS) and rel.endswith("-patterns.md"):
            rendered = PatternFile.parse(text).doc.render()
            parse_patterns(rel, text)
        elif rel.startswith(EPISODIC):
            episodes.parse(rel, text)
            rendered = Doc.parse(text).render()
        elif rel.startswith(WORKLOGS):
            rendered = WorkLog.parse(text).doc.render()
        elif rel.startswith(WORKFLOWS):
            workflows.parse(rel, text)
            rendered = Doc.parse(text).render()
        else:
            rendered = Doc.parse(text).render()
    except InvalidDocument as exc:
        return Problem(path=rel, line=exc.line, reason=exc.reason)
    except FrontmatterError as exc:
        return Problem(path=rel, line=exc.line, reason=exc.reason)
    if rendered != text:
        return Problem(path=rel, line=1, reason="does not round-trip byte for byte (please report this)")
    return None


def check(brain: Brain) -> list[Problem]:
    """Parse and round-trip every memory file; one ``Problem`` per file that fails."""
    store = brain.store
    paths = store.glob(PATTERNS) + store.glob(EPISODIC, "*.md", recursive=True)
    paths += store.glob(WORKFLOWS) + store.glob(WORKLOGS)
    paths += [p for p in (HEALTH_CONFIDENCE, HEALTH_GROWTH) if store.exists(p)]
    problems: list[Problem] = []
    for rel in paths:
        try:
            text = store.read(rel)
        except InvalidDocument as exc:
            problems.append(Problem(path=rel, line=exc.line, reason=exc.reason))
            continue
        if text is not None and (p := _check_one(rel, text)) is not None:
            problems.append(p)
    return problems
