"""Writes for long-running work logs: the summary sections kept true, feature operations,
metric lines, the token-budget and review blocks, and the rollup every five versions
(docs/FORMAT.md, '6.1 Long-running work logs').

Each function returns splices of only the lines it is about: a summary section's body, the
Features section, or lines of the latest entry.
"""

from __future__ import annotations

import re

from devlore.codec import worklog_items as items
from devlore.codec.text import Splice
from devlore.codec.worklog_decisions import log_line, logged_versions
from devlore.codec.worklog_features import Feature, apply, parse_features, render_feature
from devlore.codec.worklog_metrics import parse_metrics, parse_target_lines, render_metric, target_line
from devlore.codec.worklog_summary import Summary, create_sections, parse_summary, replace_body
from devlore.codec.worklogs import FIELDS, WLEntry, WorkLog
from devlore.errors import InvalidArgument
from devlore.service import validate
from devlore.service import worklog_trends as trends
from devlore.service.worklog_views import age

__all__ = [
    "block_lines",
    "create",
    "feature_edits",
    "metric_lines",
    "rollup",
    "sync",
]

ROLLUP_EVERY = 5
BLOCKS = {  # update_worklog's `blocks` keys -> (the entry field, the mark a bare line gets)
    "completed": ("completed_this_session", "✅ "),
    "deferred": ("deferred_to_next_session", "⏳ "),
    "priority": ("next_session_priority", ""),
    "reviewer_notes": ("reviewer_notes", ""),
    "feedback": ("review_feedback_applied", "✅ "),
    "lessons": ("lessons", ""),
}
_BUDGET = re.compile(r"(?:\s*\|)?\s*⚠️?\s*Token budget:[^|]*")
_NONE = ["- None"]


def _lessons(log: WorkLog) -> list[str]:
    return [
        line.strip()
        for e in log.entries
        for line in e.lines_of(log.lines, "lessons")
        if line.startswith(("- ", "* ")) and line[2:].strip()
    ]


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.lstrip("-* ").lower().split()) == " ".join(b.lstrip("-* ").lower().split())


def _decisions_body(log: WorkLog, current: list[str]) -> list[str]:
    """The Key Decisions Log with every decision of every entry; lines already there stay."""
    body = [line for line in current if line.strip() and line.strip() != "- None"]
    taken = logged_versions(body)
    for d in trends.decisions(log):
        if taken.claim(d):
            continue
        at = max((i + 1 for i, v in enumerate(taken.versions) if v is not None and v <= d.version), default=0)
        body.insert(at, log_line(d))
        taken.insert(at, d)
    return body or _NONE


def _blockers_body(log: WorkLog) -> list[str]:
    e = log.latest
    if e is None:
        return _NONE
    first: dict[str, int] = {}
    for entry in log.entries:
        for b in items.parse_blockers(entry.inline("blockers"), entry.lines_of(log.lines, "blockers")):
            first.setdefault(b.text.lower(), entry.version)
    out = []
    for b in items.parse_blockers(e.inline("blockers"), e.lines_of(log.lines, "blockers")):
        if b.open:
            who = ", ".join(f"{k}: {v}" if k == "ETA" else v for k, v in (("owner", b.owner), ("ETA", b.eta)) if v)
            out.append(f"- v{first.get(b.text.lower(), e.version)}: {b.text}" + (f" ({who})" if who else ""))
    return out or _NONE


def _targets_body(log: WorkLog, current: list[str]) -> list[str]:
    body = [line for line in current if line.strip() != "- None"]
    written = parse_target_lines(body)
    known = trends.targets(log)
    for name, points in trends.history(log).items():
        target = known.get(name.lower())
        if target is None:
            continue
        value = points[-1][1].value
        if name.lower() in written:
            i, _, as_written = written[name.lower()]
            body[i] = target_line(as_written, target, value)
        else:
            body.append(target_line(name, target, value))
    return body or _NONE


def _lessons_body(log: WorkLog, current: list[str]) -> list[str]:
    body = [line for line in current if line.strip() != "- None"]
    for lesson in _lessons(log):
        if not any(_same_text(lesson, line) for line in body):
            body.append(lesson)
    return body or _NONE


def _bodies(log: WorkLog, summary: Summary) -> dict[str, list[str]]:
    def cur(name: str) -> list[str]:
        return summary.body(log.lines, name)

    return {
        "Performance Targets": _targets_body(log, cur("Performance Targets")),
        "Key Decisions Log": _decisions_body(log, cur("Key Decisions Log")),
        "Current Blockers": _blockers_body(log),
        "Lessons Learned": _lessons_body(log, cur("Lessons Learned")),
    }


def sync(log: WorkLog) -> list[Splice]:
    """Bring the summary sections that exist in step with the entries; add none."""
    summary = parse_summary(log)
    if not summary.sections and not summary.overview.lines:
        return []
    edits = []
    for name, body in _bodies(log, summary).items():
        section = summary.section(name)
        if section is not None and log.lines[section.start : section.end] != body:
            edits.append(replace_body(section, body))
    status = summary.overview.lines.get("status")
    if status is not None and summary.overview.status.split(" ")[0] != log.status:
        edits.append(Splice(status, status + 1, (f"**Status:** {log.status}",)))
    return edits


def create(log: WorkLog) -> list[Splice]:
    """``open_worklog(long_running=true)``: add the summary sections that are missing."""
    summary = parse_summary(log)
    first = log.entries[0].version if log.entries else 1
    bodies: dict[str, list[str]] = {
        "Components Status": [f"**Phase 1** (v{first}+) 🔄 Current"],
        "Features": _NONE,
        **_bodies(log, summary),
    }
    return create_sections(log, summary, bodies)


def _feature_ops(ops: list[str]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for raw in ops:
        name, sep, op = validate.one_line("features", raw, 500).partition(":")
        if not sep or not name.strip() or not op.strip():
            raise InvalidArgument(
                f"Cannot read feature operation {raw!r}: write 'Name: 60%', 'Name: done Item', "
                "'Name: active Item (50%) - Blocker: why', 'Name: backlog Item' or 'Name: target YYYY-MM-DD'."
            )
        grouped.setdefault(name.strip(), []).append(op.strip())
    return grouped


def feature_edits(log: WorkLog, ops: list[str], today: str) -> list[Splice]:
    """Apply ``Name: op`` lines to the Features section (created when missing); a new name
    starts a feature dated today."""
    summary = parse_summary(log)
    section = summary.section("Features")
    inside = parse_features(log.lines, section.start, section.stop) if section else []
    known = {f.name.lower(): f for f in parse_features(log.lines)}
    mine = {f.name.lower(): f for f in inside}
    changed: dict[str, Feature] = {}
    for name, steps in _feature_ops(ops).items():
        f = changed.get(name.lower()) or known.get(name.lower()) or Feature(name=name, progress=0, started=today[:10])
        for step in steps:
            try:
                f = apply(f, step)
            except ValueError as exc:
                raise InvalidArgument(f"Feature operation '{name}: {step}': {exc}.") from exc
        changed[name.lower()] = f
    edits = [Splice(*mine[k].span, tuple(render_feature(f))) for k, f in changed.items() if k in mine]
    new = [line for k, f in changed.items() if k not in mine for line in ["", *render_feature(f)]]
    if not new:
        return edits
    if section is None:
        return create_sections(log, summary, {"Features": new[1:]})
    if log.lines[section.start : section.end] == _NONE:
        return [replace_body(section, new[1:])]
    return [*edits, Splice(section.end, section.end, tuple(new))]


def metric_lines(log: WorkLog, entry: WLEntry, metrics: dict[str, str]) -> list[str]:
    """The latest entry's Metrics field with ``metrics`` set: a name already there is replaced."""
    current = entry.lines_of(log.lines, "metrics")
    for raw_name, raw in metrics.items():
        name = validate.one_line("metrics", raw_name, 80)
        if ":" in name or name.startswith(("-", "*")):
            raise InvalidArgument(f"Metric name {name!r} may not contain ':' or start with a list mark.")
        value = validate.one_line("metrics", raw, 200)
        m = re.match(r"^(.*?)\s*\(\s*target\s+([^)]*)\)\s*$", value, re.I)
        line = render_metric(name, m.group(1), m.group(2)) if m else render_metric(name, value)
        at = next(
            (i for i, x in enumerate(current) if (p := parse_metrics([x])) and p[0].name.lower() == name.lower()), None
        )
        if at is None:
            current.append(line)
        else:
            current[at] = line
    return [f"**{FIELDS['metrics']}:**" + (f" {entry.inline('metrics')}" if entry.inline("metrics") else ""), *current]


def block_lines(log: WorkLog, entry: WLEntry, block: str, values: list[str]) -> list[str]:
    """Append to one of the review or token-budget blocks, marking bare lines (✅, ⏳)."""
    if block not in BLOCKS:
        raise InvalidArgument(f"Unknown block {block!r}: use one of {', '.join([*BLOCKS, 'budget'])}.")
    key, mark = BLOCKS[block]
    old = entry.lines_of(log.lines, key)
    add = []
    for v in values:
        text = v.strip().lstrip("-* ").strip()
        if mark and not text.startswith(("✅", "🔄", "⏳", "❌")):
            text = mark + text
        add.append(f"- {text}")
    return [f"**{FIELDS[key]}:**", *old, *(a for a in add if a not in old)]


def without_budget(progress: str) -> str:
    """Progress carried into a new session drops the last session's token budget."""
    return _BUDGET.sub("", progress).strip()


def budget_progress(progress: str, budget: str) -> str:
    """The Progress text with ``⚠️ Token budget: N% remaining`` set."""
    left = validate.one_line("budget", budget, 40).removesuffix("remaining").strip()
    base = _BUDGET.sub("", progress).strip()
    return f"{base} | ⚠️ Token budget: {left} remaining" if base else f"⚠️ Token budget: {left} remaining"


def rollup(log: WorkLog, version: int) -> list[str]:
    """The ``**Rollup:** vA-vB`` field for the entry ``version`` of a long-running log, when
    the version before it closes a run of five; else nothing."""
    done = version - 1
    if done < ROLLUP_EVERY or done % ROLLUP_EVERY or not parse_summary(log).long_running:
        return []
    first = done - ROLLUP_EVERY + 1
    span = [e for e in log.entries if first <= e.version <= done]
    if not span:
        return []
    out = [f"**Rollup:** v{first}-v{done}"]
    progress = [p.split("|")[0].strip() for e in span if (p := e.inline("progress"))]
    if progress:
        out.append(f"- Progress: {progress[0]} → {progress[-1]}" if len(progress) > 1 else f"- Progress: {progress[0]}")
    chosen = [f"v{d.version} {d.what}" for d in trends.decisions(log) if first <= d.version <= done]
    out.append("- Decisions: " + ("; ".join(chosen)[:400] if chosen else "none"))
    out.append("- Blockers: " + (_rollup_blockers(log, span) or "none opened"))
    moved = []
    for name, points in trends.history(log).items():
        inside = [(v, m) for v, m in points if first <= v <= done]
        if inside:
            ends = [inside[0], inside[-1]] if len(inside) > 1 else inside[:1]
            moved.append(f"{name} " + " → ".join(f"{m.value.text} (v{v})" for v, m in ends))
    if moved:
        out.append("- Metrics: " + "; ".join(moved)[:500])
    return out


def _rollup_blockers(log: WorkLog, span: list[WLEntry]) -> str:
    """Blockers first seen in the span, with owner and how long they blocked."""
    seen: dict[str, items.Blocker] = {}
    earlier = {
        b.text.lower()
        for e in log.entries
        if e.version < span[0].version
        for b in items.parse_blockers(e.inline("blockers"), e.lines_of(log.lines, "blockers"))
    }
    for e in span:
        for b in items.parse_blockers(e.inline("blockers"), e.lines_of(log.lines, "blockers")):
            if b.text.lower() not in earlier:
                seen[b.text.lower()] = b
    parts = []
    for b in seen.values():
        took = age(b.requested, b.resolved) if b.resolved else "still open"
        parts.append(f"{b.text} ({b.owner + ', ' if b.owner else ''}{took})")
    return "; ".join(parts)[:400]


def entry_updates(
    log: WorkLog,
    entry: WLEntry,
    metrics: dict[str, str] | None,
    lessons: list[str],
    blocks: dict[str, list[str]] | None,
) -> dict[str, list[str]]:
    """The latest entry's fields that ``update_worklog``'s long-running arguments set."""
    out: dict[str, list[str]] = {}
    if metrics:
        out["metrics"] = metric_lines(log, entry, metrics)
    if lessons:
        out["lessons"] = block_lines(log, entry, "lessons", lessons)
    given = dict(blocks or {})
    budget = next(iter(given.pop("budget", [])), None)
    for block, values in given.items():
        lines = [validate.one_line(block, v, 1000) for v in values]
        if lines:
            out[BLOCKS[block][0] if block in BLOCKS else block] = block_lines(log, entry, block, lines)
    if budget:
        out["progress"] = [f"**{FIELDS['progress']}:** {budget_progress(entry.inline('progress'), budget)}"]
    return out
