"""The board's experiences and work logs, read through the services and the pure codecs."""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass, field

from devlore.board.data import PatternRow
from devlore.codec import worklog_items as items
from devlore.codec.episodes import Episode
from devlore.codec.episodes import parse as parse_episode
from devlore.codec.worklogs import TAGS, WorkLog
from devlore.errors import DevloreError
from devlore.layout import EPISODIC, WORKLOGS, directly_in
from devlore.model import BoardRow, Insights
from devlore.service.brain import Brain
from devlore.service.worklog_files import existing, load
from devlore.service.worklog_views import age, board, insights, long_view

__all__ = ["BlockerView", "Experience", "LogView", "VersionView", "experiences", "log_view", "work_board"]

_STATUS_OF_TAG = {tag: status for status, tag in TAGS.items()}
_PERCENT = re.compile(r"(\d{1,3})\s*%")


@dataclass(frozen=True)
class Experience:
    path: str
    date: str
    month: str
    work_type: str
    title: str
    patterns: list[tuple[PatternRow, str]]  # (pattern, "created" | "reinforced")


def experiences(brain: Brain, rows: list[PatternRow]) -> list[Experience]:
    """Every episodic note, newest first, with the patterns that cite it as a source."""
    cited: dict[str, list[tuple[PatternRow, str]]] = {}
    for r in rows:
        for i, src in enumerate(r.sources):
            cited.setdefault(src.strip("` "), []).append((r, "created" if i == 0 else "reinforced"))
    out: list[Experience] = []
    for rel, stat in brain.store.scan(EPISODIC).items():
        if not rel.endswith(".md"):
            continue
        try:
            ep: Episode = brain.derived(rel, "board-episode", parse_episode, stat)
        except (DevloreError, ValueError):
            continue
        when = (ep.date or "")[:10]
        folder = rel.split("/")[2] if rel.count("/") > 2 else "other"
        kind = str(ep.meta.get("work_type") or folder)
        out.append(Experience(rel, when, when[:7] or "undated", kind, ep.title, cited.get(rel, [])))
    out.sort(key=lambda e: (e.date, e.path), reverse=True)
    return out


@dataclass(frozen=True)
class BlockerView:
    text: str
    owner: str
    since: str
    age: str


@dataclass
class BoardLine:
    row: BoardRow
    blockers: list[BlockerView] = field(default_factory=list)


def _open_blockers(log: WorkLog, now: str) -> list[BlockerView]:
    e = log.latest
    if e is None:
        return []
    found = items.parse_blockers(e.inline("blockers"), e.lines_of(log.lines, "blockers"))
    return [
        BlockerView(b.text, b.owner or "no owner", b.requested or "?", age(b.requested, now)) for b in found if b.open
    ]


def work_board(brain: Brain) -> list[BoardLine]:
    """The service's board rows, each with its open blockers' owners and ages."""
    now = brain.now()
    lines: list[BoardLine] = []
    paths = {
        rel.rsplit("/", 1)[-1].removesuffix(".md").removesuffix("-WorkLog"): rel
        for rel in brain.store.scan(WORKLOGS)
        if directly_in(WORKLOGS, rel)
    }
    for row in board(brain):
        line = BoardLine(row)
        rel = paths.get(row.name)
        if rel is not None:
            with suppress(DevloreError):
                line.blockers = _open_blockers(brain.derived(rel, "log", load), now)
        lines.append(line)
    return lines


@dataclass(frozen=True)
class VersionView:
    version: str
    when: str
    title: str
    status: str
    changed: bool  # the status differs from the version before
    progress: int | None
    progress_text: str


@dataclass
class LogView:
    name: str
    path: str
    title: str
    status: str
    versions: list[VersionView]
    insights: Insights
    extra: dict[str, list[str]] = field(default_factory=dict)
    """Sections long-running logs add (metric trends, feature status): title -> lines."""


def log_view(brain: Brain, name: str) -> LogView:
    """One work log; raises ``NotFound`` (a ``DevloreError``) with the closest names."""
    base, rel = existing(brain, name)
    log = brain.derived(rel, "log", load)
    versions: list[VersionView] = []
    before = ""
    for e in log.entries:
        status = next((_STATUS_OF_TAG[t] for t in e.tags if t in _STATUS_OF_TAG), "in_progress")
        progress = e.inline("progress")
        pct = _PERCENT.search(progress)
        versions.append(
            VersionView(
                f"v{e.version}",
                e.when,
                e.title,
                status,
                bool(before) and status != before,
                int(pct.group(1)) if pct else None,
                progress,
            )
        )
        before = status
    features, metrics = long_view(brain, base)
    extra = {
        "Metric trends": [
            f"{m.name}: {' → '.join(m.points)}"
            + (f" (target {m.target})" if m.target else "")
            + "".join(f"; {flag}" for flag in m.flags)
            for m in metrics
        ],
        "Features": [
            f"{f.name}: "
            + (f"{f.progress}%" if f.progress is not None else "progress not written")
            + f", started {f.started or '?'}, target {f.target or 'none'}"
            + (" (passed)" if f.target_passed else "")
            + f"; {len(f.done)} done, {len(f.active)} active, {len(f.backlog)} in the backlog"
            for f in features
        ],
    }
    view = insights(log, brain.today())
    return LogView(base, rel, log.title or base, log.status, versions, view, {k: v for k, v in extra.items() if v})
