"""Keep ``brain-health/`` true after every write, and compute the brain's statistics."""

from __future__ import annotations

import atexit
import logging
import threading
import weakref
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from devlore.codec.health import confidence_text, growth_text, listed_levels
from devlore.codec.pattern_entry import time_saved
from devlore.errors import DevloreError
from devlore.layout import EPISODIC, HEALTH_CONFIDENCE, HEALTH_GROWTH, WORKFLOWS, WORKLOGS
from devlore.model import LEVELS, ConfidenceChange, Level, NewPatternResult
from devlore.service.brain import Brain

__all__ = ["FILES", "GrowthEvent", "after_write", "counts", "flush", "learned", "refresh", "reinforced"]

FILES = (HEALTH_CONFIDENCE, HEALTH_GROWTH)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class GrowthEvent:
    kind: str  # "learned", "reinforced", "revised" (demoted, merged, split) or "time"
    line: str
    minutes: int = 0


def learned(result: NewPatternResult) -> GrowthEvent:
    return GrowthEvent("learned", f"{result.name} ({result.confidence})")


def reinforced(change: ConfidenceChange, minutes: int = 0, rerated: bool = False) -> GrowthEvent:
    before = change.confidence_before or "?"
    verb = "re-rated " if rerated else ""
    n = change.examples
    return GrowthEvent(
        "reinforced",
        f"{change.name} ({verb}{before} → {change.confidence_after}, {n} example{'s' if n != 1 else ''})",
        minutes,
    )


def counts(brain: Brain) -> dict[str, int]:
    store = brain.store
    return {
        "experiences": len(store.glob(EPISODIC, "*.md", recursive=True)),
        "workflows": len(store.glob(WORKFLOWS)),
        "worklogs": len(store.glob(WORKLOGS)),
    }


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass
class _Pending:
    """Growth events waiting for ``brain-health/`` to be rewritten, and the timer that will."""

    events: list[GrowthEvent] = field(default_factory=list)
    due: bool = False
    timer: threading.Timer | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)
    writing: threading.Lock = field(default_factory=threading.Lock)


_pending: weakref.WeakKeyDictionary[Brain, _Pending] = weakref.WeakKeyDictionary()
_pending_lock = threading.Lock()


def _of(brain: Brain) -> _Pending:
    with _pending_lock:
        p = _pending.get(brain)
        if p is None:
            p = _pending[brain] = _Pending()
        return p


def after_write(brain: Brain, events: list[GrowthEvent]) -> None:
    """Regenerate pattern-confidence.md and add ``events`` to this week's growth-log section.

    With ``brain.health_delay`` set (the server sets it), this is deferred: events gather and
    one rewrite follows ``health_delay`` seconds after the first of them, off the caller's
    path, because it reads every pattern file and counts every experience (whole-brain work
    a 50,000-file brain should not pay on each call). Reads of ``brain-health/`` through the
    server, the server's shutdown and the process's exit all flush first.
    """
    p = _of(brain)
    with p.lock:
        p.events.extend(events)
        p.due = True
        delay = brain.health_delay
        if delay is not None:
            if p.timer is None:
                p.timer = threading.Timer(delay, flush, (brain,))
                p.timer.daemon = True
                p.timer.start()
            return
    flush(brain)


def flush(brain: Brain) -> None:
    """Write what ``after_write`` has gathered for ``brain``, if anything; safe from any thread."""
    p = _pending.get(brain)
    if p is None:
        return
    with p.writing:
        with p.lock:
            if p.timer is not None:
                p.timer.cancel()
                p.timer = None
            events, p.events = p.events, []
            due, p.due = p.due, False
        if due:
            _write(brain, events)


def refresh(brain: Brain) -> list[str]:
    """Rewrite ``brain-health/`` from the brain as it is now (after a git merge, say), with
    whatever events were gathered; the health files this changed."""
    before = {rel: brain.store.read(rel) for rel in FILES}
    p = _of(brain)
    with p.lock:
        p.due = True
    flush(brain)
    return [rel for rel in FILES if brain.store.read(rel) != before[rel]]


@atexit.register
def _flush_all() -> None:
    for brain in list(_pending.keys()):
        flush(brain)


def _write(brain: Brain, events: list[GrowthEvent]) -> None:
    """A health file that cannot be written is logged and reported; the writes that caused
    the refresh have already landed and stay."""
    rows: dict[str, list[str]] = {level: [] for level in LEVELS}
    for ref in brain.patterns():
        e = ref.entry
        rows[e.evidence].append(
            f"- {e.name} ({_plural(e.example_count, 'example')}, ~{time_saved(e)} min saved, "
            f"last: {e.last_reinforced or 'never'})"
        )
    n = counts(brain)
    total = sum(len(r) for r in rows.values())
    by_level = ", ".join(f"{len(rows[level])} {level}" for level in reversed(LEVELS))  # "2 HIGH, 0 MEDIUM, 1 LOW"
    stats = (
        f"{_plural(total, 'pattern')} ({by_level}), {_plural(n['experiences'], 'experience')}, "
        f"{_plural(n['workflows'], 'workflow')}"
    )
    today = brain.today()
    monday = week_of(today)
    try:
        with brain.transaction(HEALTH_CONFIDENCE, HEALTH_GROWTH) as files:
            events = events + _hand_edits(listed_levels(files[HEALTH_CONFIDENCE]), brain, events)
            files[HEALTH_CONFIDENCE] = confidence_text(files[HEALTH_CONFIDENCE], rows)
            files[HEALTH_GROWTH] = growth_text(
                files[HEALTH_GROWTH],
                monday,
                [e.line for e in events if e.kind == "learned"],
                [e.line for e in events if e.kind == "reinforced"],
                stats,
                sum(e.minutes for e in events),
                [e.line for e in events if e.kind == "revised"],
            )
    except DevloreError as exc:
        log.warning("brain-health not updated: %s", exc)


def _hand_edits(before: dict[str, list[Level]], brain: Brain, events: list[GrowthEvent]) -> list[GrowthEvent]:
    """Levels that moved since the last refresh with no tool saying so: a person added or
    deleted examples by hand. Recorded as revisions, demotions as well as promotions. A name
    that several patterns share is left out: which of them moved cannot be told."""
    told = {e.line.split(" (", 1)[0] for e in events}
    refs = list(brain.patterns())
    names = Counter(ref.entry.name for ref in refs)
    out: list[GrowthEvent] = []
    for ref in refs:
        e = ref.entry
        listed = before.get(e.name, [])
        if len(listed) == 1 and names[e.name] == 1 and listed[0] != e.evidence and e.name not in told:
            n = e.example_count
            line = f"{e.name} (hand edit: {listed[0]} → {e.evidence}, {n} example{'s' if n != 1 else ''})"
            out.append(GrowthEvent("revised", line))
            told.add(e.name)
    return out


def week_of(day: date) -> str:
    """The Monday that starts ``day``'s growth-log week."""
    return (day - timedelta(days=day.weekday())).isoformat()
