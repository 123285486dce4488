"""What a long work log says across its versions: metric trends and their flags, decision
evolution, features, recurring blockers, turnaround times and weekday clusters.

Pure reads of a parsed ``WorkLog`` returning plain models or short strings (docs/FORMAT.md,
'6.1 Long-running work logs'); every list is capped so an answer stays bounded.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from datetime import date, datetime

from devlore.codec import worklog_items as items
from devlore.codec.worklog_decisions import Decision, Stage, evolution, parse_decision, summary_line
from devlore.codec.worklog_features import parse_features
from devlore.codec.worklog_metrics import Metric, Target, Value, parse_metrics, parse_target, parse_target_lines
from devlore.codec.worklog_summary import parse_summary
from devlore.codec.worklogs import WorkLog
from devlore.model import FeatureStatus, MetricTrend

__all__ = [
    "decisions",
    "evolutions",
    "features",
    "features_in",
    "history",
    "metric_trends",
    "patterns",
    "targets",
]

POINTS = 8  # metric values shown per trend
PERCENT_POINTS = 15.0  # a % metric contradicts its trend when it falls back by more than this
RELATIVE = 0.25  # other units: by more than this share of the best earlier value
_WORDS = re.compile(r"[a-z][a-z0-9-]{3,}")
_STOP = {"with", "from", "that", "this", "missing", "needs", "waiting", "still", "have", "been"}
_DAYS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")


def history(log: WorkLog) -> dict[str, list[tuple[int, Metric]]]:
    """Metric name (as first written) -> (version, metric) for every entry that records it."""
    out: dict[str, list[tuple[int, Metric]]] = {}
    names: dict[str, str] = {}
    for e in log.entries:
        for m in parse_metrics(e.lines_of(log.lines, "metrics")):
            name = names.setdefault(m.name.lower(), m.name)
            out.setdefault(name, []).append((e.version, m))
    return out


def targets(log: WorkLog) -> dict[str, Target]:
    """Each metric's target: the latest one an entry gives, else the Performance Targets line."""
    summary = parse_summary(log)
    found = {k: t for k, (_, t, _) in parse_target_lines(summary.body(log.lines, "Performance Targets")).items() if t}
    for name, points in history(log).items():
        for _, m in points:
            if m.target is not None:
                found[name.lower()] = m.target
    return found


def _worse(target: Target, before: Value, after: Value) -> bool:
    assert before.number is not None and after.number is not None
    return after.number > before.number if target.lower_is_better else after.number < before.number


def _flags(name: str, points: list[tuple[int, Metric]], target: Target | None) -> list[str]:
    numeric = [(v, m.value) for v, m in points if m.value.number is not None]
    out: list[str] = []
    for k in range(1, len(numeric)):
        (v0, a), (v1, b) = numeric[k - 1], numeric[k]
        if not a.comparable(b):
            continue
        if target is not None:
            if target.met(b) is False and _worse(target, a, b):
                out.append(f"{name}: {a.text} (v{v0}) → {b.text} (v{v1}) against target {target.text}")
            continue
        earlier = [p for p in numeric[:k] if p[1].comparable(b)]
        if len(earlier) < 2:
            continue
        first, last = earlier[0][1].number, earlier[-1][1].number
        assert first is not None and last is not None and b.number is not None
        if last == first:
            continue
        pick = max if last > first else min
        bv, best = pick(earlier, key=lambda p: p[1].number or 0.0)
        assert best.number is not None
        gap = abs(best.number - b.number)
        limit = PERCENT_POINTS if b.unit == "%" else RELATIVE * abs(best.number)
        if (b.number < best.number if last > first else b.number > best.number) and gap > limit:
            out.append(f"{name} {best.text} (v{bv}) vs {b.text} (v{v1}): what changed?")
    return out


def metric_trends(log: WorkLog) -> list[MetricTrend]:
    known = targets(log)
    out = []
    for name, points in history(log).items():
        target = known.get(name.lower())
        shown = [f"{m.value.text} (v{v})" for v, m in points[-POINTS:]]
        if len(points) > POINTS:
            shown.insert(0, f"… {len(points) - POINTS} earlier")
        current = points[-1][1].value
        met = target.met(current) if target else None
        mark = "" if met is None else " ✅" if met else " ⚠️"
        out.append(
            MetricTrend(
                name=name,
                points=shown,
                target=target.text if target else None,
                current=current.text + mark,
                flags=_flags(name, points, target)[-3:],
            )
        )
    return out


def decisions(log: WorkLog) -> list[Decision]:
    return [
        d
        for e in log.entries
        for line in e.lines_of(log.lines, "decisions")
        if not line.startswith((" ", "\t")) and (d := parse_decision(e.version, line))
    ]


def evolutions(log: WorkLog) -> dict[str, list[Stage]]:
    return evolution(decisions(log))


def features(log: WorkLog, today: date) -> list[FeatureStatus]:
    """Feature blocks anywhere in the log; a name met twice keeps its latest block."""
    return features_in(log.lines, today)


def features_in(lines: list[str], today: date) -> list[FeatureStatus]:
    """``features`` of a file's lines, without parsing its entries (the board's need)."""
    out = []
    for f in parse_features(lines):
        try:
            passed = (f.progress or 0) < 100 and date.fromisoformat(f.target) < today
        except ValueError:
            passed = False
        out.append(
            FeatureStatus(
                name=f.name,
                progress=f.progress,
                started=f.started,
                target=f.target,
                target_passed=passed,
                done=list(f.done),
                active=[a.render().removeprefix("🔄 ") for a in f.active],
                backlog=list(f.backlog),
            )
        )
    return out


def feature_line(f: FeatureStatus) -> str:
    pct = f"{f.progress}%" if f.progress is not None else "?%"
    when = f" → {f.target}" + (" (target passed)" if f.target_passed else "") if f.target else ""
    active = f"; active: {', '.join(f.active)}" if f.active else ""
    return f"{f.name} {pct}{when}{active}"[:300]


def _blockers(log: WorkLog) -> dict[str, tuple[int, items.Blocker]]:
    """Each distinct blocker (by text) with the version it first appears in and its last state."""
    seen: dict[str, tuple[int, items.Blocker]] = {}
    for e in log.entries:
        for b in items.parse_blockers(e.inline("blockers"), e.lines_of(log.lines, "blockers")):
            first = seen.get(b.text.lower(), (e.version, b))[0]
            seen[b.text.lower()] = (first, b)
    return seen


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in _WORDS.findall(text.lower()) if w not in _STOP}


def recurring(log: WorkLog) -> list[str]:
    """Blockers that come back: the same owner, or two or more shared words, across versions."""
    found = list(_blockers(log).values())
    out: list[str] = []
    grouped: set[str] = set()
    owners: dict[str, list[tuple[int, items.Blocker]]] = {}
    for v, b in found:
        if b.owner:
            owners.setdefault(b.owner.lower(), []).append((v, b))
    for group in owners.values():
        if len(group) >= 2:
            grouped |= {b.text for _, b in group}
            out.append(_recurring_line(group[0][1].owner or "", group))
    rest = [(v, b) for v, b in found if b.text not in grouped]
    for k, (v, b) in enumerate(rest):
        same = [(v2, b2) for v2, b2 in rest[k + 1 :] if len(_words(b.text) & _words(b2.text)) >= 2]
        if same and b.text not in grouped:
            grouped |= {b.text, *(b2.text for _, b2 in same)}
            out.append(_recurring_line(" ".join(sorted(_words(b.text) & _words(same[0][1].text))), [(v, b), *same]))
    return out[:5]


def _recurring_line(key: str, group: list[tuple[int, items.Blocker]]) -> str:
    versions = ", ".join(f"v{v}" for v, _ in group)
    texts = "; ".join(b.text[:80] for _, b in group[:4])
    return f"Recurring blocker {key}: {len(group)} times ({versions}): {texts}"


def _hours(start: str | None, end: str | None) -> float | None:
    try:
        delta = datetime.strptime(end or "", "%Y-%m-%d %H:%M") - datetime.strptime(start or "", "%Y-%m-%d %H:%M")
    except ValueError:
        return None
    return delta.total_seconds() / 3600


def _span(hours: float) -> str:
    days, rest = divmod(round(hours), 24)
    return f"{days}d {rest}h" if days else f"{rest}h"


def turnaround(log: WorkLog) -> list[str]:
    """Median and longest time a blocker stayed open, and a review waited for its next session."""
    out = []
    blocked = [(h, b.text) for _, b in _blockers(log).values() if (h := _hours(b.requested, b.resolved)) is not None]
    if blocked:
        longest = max(blocked)
        out.append(
            f"Blockers: {len(blocked)} resolved, median {_span(statistics.median(h for h, _ in blocked))}, "
            f"longest {_span(longest[0])} ({longest[1][:80]})"
        )
    reviews = [
        h
        for a, b in zip(log.entries, log.entries[1:], strict=False)
        if "[NEEDS_REVIEW]" in a.tags and (h := _hours(a.when, b.when)) is not None
    ]
    if reviews:
        out.append(f"Reviews: {len(reviews)}, median turnaround {_span(statistics.median(reviews))}")
    return out


def weekdays(log: WorkLog) -> list[str]:
    """Blockers and failed hypotheses on one weekday, once the log has 8 sessions and one day
    holds at least 3 of 4 or more such events and at least half of them."""
    if len(log.entries) < 8:
        return []
    events: list[tuple[int, int]] = []  # (weekday, version)
    for v, b in _blockers(log).values():
        day = _day(b.requested)
        if day is not None:
            events.append((day, v))
    failed: set[int] = set()
    for e in log.entries:
        for h in items.parse_hypotheses(e.lines_of(log.lines, "hypotheses")):
            if h.status in ("Refuted", "Invalidated") and h.number not in failed and (d := _day(e.when)) is not None:
                failed.add(h.number)
                events.append((d, e.version))
    counts = Counter(d for d, _ in events)
    if len(events) < 4 or not counts:
        return []
    day, n = counts.most_common(1)[0]
    if n < 3 or n * 2 < len(events):
        return []
    versions = ", ".join(f"v{v}" for d, v in events if d == day)
    return [f"Blockers and failed hypotheses cluster on {_DAYS[day]}: {n} of {len(events)} ({versions})"]


def _day(when: str | None) -> int | None:
    try:
        return date.fromisoformat((when or "")[:10]).weekday()
    except ValueError:
        return None


def patterns(log: WorkLog) -> list[str]:
    """The cross-session analysis: recurring blockers, turnaround, weekday clusters."""
    return [*recurring(log), *turnaround(log), *weekdays(log)][:8]


def overview(log: WorkLog) -> list[str]:
    """The log's own overall progress line, when it has one: ``overall: Phase 2/3 - 60% …``."""
    progress = parse_summary(log).overview.progress
    return [f"overall: {progress[:200]}"] if progress else []


def evolution_lines(log: WorkLog, limit: int = 400) -> list[str]:
    """One line per evolving topic (at most 5); a long history keeps its latest stages."""
    out = []
    for topic, stages in list(evolutions(log).items())[:5]:
        shown = stages
        line = summary_line(topic, shown)
        while len(line) > limit and len(shown) > 1:
            shown = shown[1:]
            line = summary_line(topic, shown).replace(": ", ": … ", 1)
        out.append(line[:limit])
    return out


def target_of(text: str | None) -> Target | None:
    return parse_target(text or "")


OFFER_AT = (5, 10)  # versions whose brief offers the summary sections to a log without them
STEPS = {
    "incremental": ("the core happy path", "error handling", "tests and validation", "performance"),
    "spike-and-implement": ("a throwaway spike that proves the approach", "the production version", "polish"),
    "research-and-apply": ("research and a decision record", "implement what the research found", "refine in use"),
}


def _items(lines: list[str]) -> str:
    return "; ".join(line.strip().lstrip("-* ").removeprefix("⏳ ").strip()[:90] for line in lines if line.strip())


def lead(log: WorkLog, today: date) -> list[str]:
    """The brief's first lines for a long piece of work: what the last session deferred and
    named as next priority, a research handoff, the active feature, the implementation step."""
    out: list[str] = []
    for e in reversed(log.entries[-2:]):
        deferred = e.lines_of(log.lines, "deferred_to_next_session")
        priority = e.lines_of(log.lines, "next_session_priority")
        if deferred or priority:
            if deferred:
                out.append(f"Deferred from v{e.version}: {_items(deferred)[:300]}")
            if priority:
                out.append(f"Next session priority (v{e.version}): {_items(priority)[:300]}")
            break
    if len(log.entries) >= 2 and "[NEEDS_REVIEW]" in (prev := log.entries[-2]).tags:
        chosen = [d.what for d in decisions(log) if d.version == prev.version]
        if chosen:
            out.append(
                f"Handoff from v{prev.version} (needs_review): start from its decisions: {'; '.join(chosen)[:300]}"
            )
    found = features(log, today)
    busy = sorted((f for f in found if f.active and (f.progress or 0) < 100), key=lambda f: f.started)
    if busy:
        out.append(f"Active feature: {feature_line(busy[-1])}")
    late = [f"{f.name} ({f.progress or 0}%, target {f.target})" for f in found if f.target_passed]
    if late:
        out.append(f"Target passed: {'; '.join(late)[:300]}")
    summary = parse_summary(log)
    if not summary.long_running and log.latest is not None and log.latest.version in OFFER_AT:
        out.append(f"v{log.latest.version}: open_worklog long_running=true adds summary sections and rollups.")
    pattern = summary.overview.pattern.lower().strip()
    if pattern in STEPS and log.latest is not None:
        steps = STEPS[pattern]
        n = log.latest.version
        step = f"step {n}: {steps[n - 1]}" if n <= len(steps) else f"past its {len(steps)} steps"
        out.append(f"Pattern {pattern}: v{n} is {step}.")
    return out
