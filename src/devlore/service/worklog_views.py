"""Read views of work logs: the bounded resume brief, one log with insights, and the board."""

from __future__ import annotations

from datetime import date, datetime

from devlore.codec import worklog_items as items
from devlore.codec.text import Doc
from devlore.codec.worklog_decisions import evolution_block
from devlore.codec.worklogs import FIELDS, WLEntry, WorkLog
from devlore.errors import DevloreError, InvalidArgument
from devlore.layout import WORKLOGS, directly_in
from devlore.model import BoardRow, EntryView, FeatureStatus, Insights, MetricTrend, WorkLogAnswer
from devlore.service import worklog_trends as trends
from devlore.service.brain import Brain
from devlore.service.check import worklog_warnings
from devlore.service.index import Index
from devlore.service.paging import page
from devlore.service.problems import listed, of_kinds
from devlore.service.worklog_files import existing, find_log, load

__all__ = ["age", "board", "brief", "get_worklog", "long_view", "open_hypotheses"]

BRIEF_LIMIT = 2000
FIELD_CAP = 1_200  # one field of one entry, in get_worklog
ENTRIES_BUDGET = 8_000  # characters of entries one get_worklog answer carries
BOARD_PAGE = 30
ANSWER_LIMIT = 19_000  # characters of one get_worklog answer as JSON (the bound is 20,000)
EVOLUTION_STAGES = 8  # the latest stages of a topic an Evolution block shows
_LABELS = {label.lower(): key for key, label in FIELDS.items()}


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def carried(log: WorkLog, text: str) -> int:
    """How many consecutive versions, newest first, list ``text`` among their next items."""
    count = 0
    for entry in reversed(log.entries):
        todo = items.parse_items(entry.lines_of(log.lines, "next"))
        if not any(items.same_item(t.text, text) for t in todo):
            break
        count += 1
    return count


def age(start: str | None, end: str) -> str:
    try:
        delta = datetime.strptime(end, "%Y-%m-%d %H:%M") - datetime.strptime(start or "", "%Y-%m-%d %H:%M")
    except ValueError:
        return "age unknown"
    hours, minutes = divmod(int(delta.total_seconds()) // 60, 60)
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h" if days else f"{hours}h {minutes}m"


def open_hypotheses(log: WorkLog) -> list[items.Hypothesis]:
    """The latest state of every hypothesis across the log, keeping only the open ones."""
    latest: dict[int, items.Hypothesis] = {}
    for e in log.entries:
        for h in items.parse_hypotheses(e.lines_of(log.lines, "hypotheses")):
            latest[h.number] = h
    return [h for _, h in sorted(latest.items()) if h.status == "Open"]


def _open_blockers(log: WorkLog, entry: WLEntry) -> list[items.Blocker]:
    found = items.parse_blockers(entry.inline("blockers"), entry.lines_of(log.lines, "blockers"))
    return [b for b in found if b.open]


def _status_of(brain: Brain, name: str) -> str:
    try:
        _, rel = find_log(brain, name)
        text = brain.store.read(rel)
        if text is None:
            return "no such log"
        log = load(rel, text)
    except DevloreError:
        return "unreadable"
    return f"v{log.version} {log.status}"


def brief(brain: Brain, name: str, log: WorkLog) -> str:
    """What a new session needs, in under 2,000 characters however long the log is."""
    e = log.latest
    if e is None:
        return f"{name}: no entries yet."
    todo = items.parse_items(e.lines_of(log.lines, "next"))
    high = next((t for t in todo if t.priority == "HIGH" and not t.blocked), None)
    parts = [f"{name} v{log.version} ({log.status}): {_cut(e.title, 120)}", *trends.lead(log, brain.today())]
    if e.inline("progress"):
        parts.append(f"Progress: {_cut(e.inline('progress'), 160)}")
    parts.append(_do_now(todo, high))
    for b in _open_blockers(log, e)[:3]:
        who = ", ".join(f"{k} {v}" for k, v in (("owner", b.owner), ("ETA", b.eta), ("since", b.requested)) if v)
        parts.append(f"Blocker: {_cut(b.text, 160)}" + (f" ({who})" if who else ""))
    hyps = open_hypotheses(log)
    for h in hyps[:3]:
        parts.append(f"Open hypothesis H{h.number}: {_cut(h.text, 140)}")
    for d in items.parse_dependencies(e.lines_of(log.lines, "dependencies"))[:3]:
        parts.append(f"Depends on {d.name}: {_cut(d.what, 100)}; it is now {_status_of(brain, d.name)}")
    others = [t for t in todo if t is not high][:3]
    if others:
        parts.append("Then: " + "; ".join(_cut(t.render()[2:], 80) for t in others))
    if high and (n := carried(log, high.text)) >= 3:
        parts.append(
            f"Warning: '{_cut(high.text, 80)}' has been carried for {n} versions; do it, split it, or drop it."
        )
    return _cut_lines(parts, BRIEF_LIMIT)


def _do_now(todo: list[items.NextItem], high: items.NextItem | None) -> str:
    if high is not None:
        return f"Do now: [HIGH] {_cut(high.text, 200)}"
    blocked = next((t for t in todo if t.priority == "HIGH"), None)
    free = next((t for t in todo if not t.blocked), None)
    if blocked is not None:
        then = f"; meanwhile take {_cut(free.render()[2:], 120)}" if free else ""
        return f"Do now: the HIGH item '{_cut(blocked.text, 120)}' is blocked{then}."
    return "Do now: no HIGH item is set; choose one and add it with update_worklog next=['[HIGH] ...']."


def _cut_lines(parts: list[str], limit: int) -> str:
    out: list[str] = []
    size = 0
    for p in parts:
        if size + len(p) + 1 > limit:
            break
        out.append(p)
        size += len(p) + 1
    return "\n".join(out)


def _entry_view(log: WorkLog, e: WLEntry) -> EntryView:
    fields: dict[str, str] = {}
    for key, block in e.fields.items():
        text = "\n".join([block.inline.strip(), *log.lines[block.line + 1 : block.end]]).strip()
        fields[key] = text if len(text) <= FIELD_CAP else text[: FIELD_CAP - 1] + "…"
    return EntryView(version=f"v{e.version}", when=e.when, title=e.title, fields=fields)


def insights(log: WorkLog, today: date) -> Insights:
    progress = [f"v{e.version}: {_cut(e.inline('progress'), 100)}" for e in log.entries if e.inline("progress")]
    decisions = [
        f"v{e.version}: {_cut(line.lstrip('-* '), 160)}"
        for e in log.entries
        for line in e.lines_of(log.lines, "decisions")
        if line.strip()
    ]
    latest: dict[int, items.Hypothesis] = {}
    for e in log.entries:
        for h in items.parse_hypotheses(e.lines_of(log.lines, "hypotheses")):
            latest[h.number] = h
    by_status: dict[str, list[str]] = {}
    for h in latest.values():
        by_status.setdefault(h.status, []).append(_cut(h.render(), 200))
    blockers: dict[str, str] = {}
    for e in log.entries:
        for b in items.parse_blockers(e.inline("blockers"), e.lines_of(log.lines, "blockers")):
            state = f"resolved {b.resolved}, blocked {age(b.requested, b.resolved)}" if b.resolved else "open"
            blockers[b.text] = f"{_cut(b.text, 120)} (owner {b.owner or '?'}, since {b.requested or '?'}, {state})"
    last = log.latest
    counted: list[tuple[int, int, str]] = []
    rank = {"HIGH": 0, "MED": 1, "LOW": 2}
    if last is not None:
        for t in items.parse_items(last.lines_of(log.lines, "next")):
            if (n := carried(log, t.text)) >= 2:
                counted.append((-n, rank.get(t.priority or "", 3), f"{_cut(t.text, 120)} ({n} versions)"))
    carried_items = [text for _, _, text in sorted(counted)[:20]]
    metrics = trends.metric_trends(log)
    return Insights(
        progress=[*trends.overview(log), *progress[-15:]],
        blockers=list(blockers.values())[-10:],
        hypotheses={status: lines[-10:] for status, lines in by_status.items()},
        carried=carried_items[:10],
        decisions=decisions[-15:],
        metrics=[
            _cut(f"{m.name}: {' → '.join(m.points)}" + (f" (target {m.target})" if m.target else ""), 400)
            for m in metrics
        ][:10],
        flags=[_cut(f, 300) for m in metrics for f in m.flags][:10],
        evolution=trends.evolution_lines(log),
        features=[trends.feature_line(f) for f in trends.features(log, today)][:10],
        patterns=trends.patterns(log),
    )


def _latest_entries(log: WorkLog, wanted: int) -> list[EntryView]:
    """Up to ``wanted`` latest entries, newest kept first, within the answer's budget."""
    views: list[EntryView] = []
    size = 0
    for e in reversed(log.entries[-wanted:]):
        view = _entry_view(log, e)
        size += len(view.model_dump_json())
        if views and size > ENTRIES_BUDGET:
            break
        views.append(view)
    return views[::-1]


def get_worklog(
    brain: Brain,
    name: str | None = None,
    entries: int = 3,
    cursor: str | None = None,
    evolution: str | None = None,
    index: Index | None = None,
) -> WorkLogAnswer:
    if not 1 <= entries <= 20:
        raise InvalidArgument("entries must be between 1 and 20.")
    if name is None or not name.strip():
        rows, next_cursor, remaining = page(board(brain), cursor, BOARD_PAGE)
        if index is not None:
            index.current()
        problems = of_kinds(index.problems(), ["worklog"]) if index is not None else []
        problems += listed(worklog_warnings(brain))  # slips: the log is on the board, read as it says
        return WorkLogAnswer(worklogs=rows, next_cursor=next_cursor, remaining=remaining, problems=problems)
    base, rel = existing(brain, name)
    log = brain.derived(rel, "log", load)  # parsed again only when the file changed
    return _fit(
        WorkLogAnswer(
            name=base,
            path=rel,
            version=f"v{log.version}",
            status=log.status,
            title=log.title,
            entries=_latest_entries(log, entries),
            insights=_with_evolution(_insights(brain, rel), log, evolution),
        )
    )


def _insights(brain: Brain, rel: str) -> Insights:
    """Computed again only when the file changed or the day did (features compare targets with
    today), from the text read with the file's stat."""
    today = brain.today()
    return brain.derived(rel, f"insights {today.isoformat()}", lambda r, t: insights(load(r, t), today))


def _fit(answer: WorkLogAnswer) -> WorkLogAnswer:
    """Under ANSWER_LIMIT however the log is written: older entries go first, then the older
    half of every insight list, then the fields of the one entry left are cut shorter."""
    while len(answer.model_dump_json()) > ANSWER_LIMIT:
        if len(answer.entries) > 1:
            smaller = answer.model_copy(update={"entries": answer.entries[1:]})
        elif answer.insights is not None and (halved := _halve(answer.insights)) is not None:
            smaller = answer.model_copy(update={"insights": halved})
        elif answer.entries:
            view = answer.entries[0]
            short = {k: _cut(v, max(40, len(v) // 2)) for k, v in view.fields.items()}
            smaller = answer.model_copy(update={"entries": [view.model_copy(update={"fields": short})]})
        else:
            break
        if smaller == answer:
            break
        answer = smaller
    return answer


def _halve(found: Insights) -> Insights | None:
    """Every insight list keeps its newer half; None when none has two items left."""
    data = found.model_dump()
    lists = {k: v for k, v in data.items() if isinstance(v, list)}
    hyps: dict[str, list[str]] = data["hypotheses"]
    if all(len(v) <= 1 for v in [*lists.values(), *hyps.values()]):
        return None
    data.update({k: v[len(v) // 2 :] for k, v in lists.items()})
    data["hypotheses"] = {k: v[len(v) // 2 :] for k, v in hyps.items()}
    return Insights.model_validate(data)


def long_view(brain: Brain, name: str) -> tuple[list[FeatureStatus], list[MetricTrend]]:
    """A log's features and metric trends as plain models, for a board or a page to show."""
    _, rel = existing(brain, name)
    log = brain.derived(rel, "log", load)
    return trends.features(log, brain.today()), trends.metric_trends(log)


def _with_evolution(found: Insights, log: WorkLog, topic: str | None) -> Insights:
    """With a topic, its ``### <Topic> Evolution`` block, line by line, as the evolution."""
    if not topic:
        return found
    stages = {t.lower(): (t, s) for t, s in trends.evolutions(log).items()}
    if topic.strip().lower() not in stages:
        known = ", ".join(t for t, _ in stages.values()) or "none yet"
        raise InvalidArgument(
            f"No decision topic {topic!r} evolves in this log; topics: {known}. A decision joins a topic "
            "as '[Topic] what: why' or with '(supersedes vN)'."
        )
    name, chain = stages[topic.strip().lower()]
    block = [_cut(line, 400) for line in evolution_block(name, chain[-EVOLUTION_STAGES:])]
    if len(chain) > EVOLUTION_STAGES:
        block[1:1] = [f"({len(chain) - EVOLUTION_STAGES} earlier stages, from v{chain[0].first}, not shown)", ""]
    return found.model_copy(update={"evolution": block})


def board(brain: Brain) -> list[BoardRow]:
    """One row per work log, each re-read only when its file changed (Brain.derived)."""
    rows: list[BoardRow] = []
    for rel, stat in sorted(brain.store.scan(WORKLOGS).items()):
        if not directly_in(WORKLOGS, rel):
            continue
        try:
            row = brain.derived(rel, "board", board_row, stat)
        except DevloreError:
            continue
        if row is not None:
            found = brain.derived(rel, "features", _features, stat)
            rows.append(row.model_copy(update={"features": [_feature_cell(f, brain.today()) for f in found][:5]}))
    return rows


def _features(rel: str, text: str) -> list[FeatureStatus]:
    """The features of a log file as written; whether a target passed is decided per answer."""
    return trends.features_in(Doc.parse(text).bodies(), date.min)


def _feature_cell(f: FeatureStatus, today: date) -> str:
    """'Name 60% → 2026-11-20 (target passed)': the target checked against today, not when cached."""
    try:
        passed = (f.progress or 0) < 100 and date.fromisoformat(f.target) < today
    except ValueError:
        passed = False
    return trends.feature_line(f.model_copy(update={"target_passed": passed, "active": []}))


def board_row(rel: str, text: str) -> BoardRow | None:
    """A work log's line on the board: its latest entry's status, progress and open items."""
    name = rel.rsplit("/", 1)[-1].removesuffix(".md").removesuffix("-WorkLog")
    log = load(rel, text)
    e = log.latest
    if e is None:
        return None
    todo = items.parse_items(e.lines_of(log.lines, "next"))
    top = next((t.text for t in todo if t.priority == "HIGH"), None)
    return BoardRow(
        name=name,
        version=f"v{log.version}",
        status=log.status,
        progress=_cut(e.inline("progress"), 100),
        top_item=_cut(top, 160) if top else None,
        open_blockers=[_cut(b.text, 120) for b in _open_blockers(log, e)],
        depends_on=[d.name for d in items.parse_dependencies(e.lines_of(log.lines, "dependencies"))],
    )
