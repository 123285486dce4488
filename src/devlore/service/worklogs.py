"""Work-log use cases: open the next session, fill it, record and resolve blockers.

Every write re-reads the log under its lock and splices only the latest entry and the
frontmatter's ``version``/``status`` lines; earlier entries are never touched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from devlore.codec import worklog_items as items
from devlore.codec.text import Splice
from devlore.codec.worklogs import FIELDS, TAGS, WLEntry, WorkLog, entry_header, frontmatter_edits, set_field
from devlore.errors import Ambiguous, Conflict, InvalidArgument, InvalidDocument, NotFound
from devlore.model import WORK_STATUSES, WorkLogState
from devlore.service import validate
from devlore.service import worklog_longrun as longrun
from devlore.service.brain import Brain
from devlore.service.near_names import near_log
from devlore.service.worklog_files import existing, find_log, load
from devlore.service.worklog_lessons import learn_lessons, lesson_name
from devlore.service.worklog_views import age, brief, open_hypotheses

__all__ = [
    "open_worklog",
    "record_blocker",
    "resolve_blocker",
    "update_worklog",
]

REVIEW_DEFAULT = ["Tests pass", "Code quality and style", "Documentation updated"]


def _state(name: str, rel: str, log: WorkLog, brief: str | None = None) -> WorkLogState:
    return WorkLogState(name=name, path=rel, version=f"v{log.version}", status=log.status, brief=brief)


def _summaries(rel: str, log: WorkLog, features: list[str] | None, when: str) -> WorkLog:
    """Feature operations, then the summary sections brought in step with the entries."""
    if features:
        log = load(rel, log.doc.splice(longrun.feature_edits(log, features, when)).render())
    if edits := longrun.sync(log):
        log = load(rel, log.doc.splice(edits).render())
    return log


def _edit(
    brain: Brain,
    name: str,
    change: Callable[[WorkLog, WLEntry], tuple[list[Splice], str]],
    features: list[str] | None = None,
) -> WorkLogState:
    """Apply ``change`` to the latest entry of an existing log under its lock."""
    base, rel = existing(brain, name)
    with brain.transaction(rel) as files:
        text = files[rel]
        if text is None:
            raise Conflict(f"{rel} was removed just now; nothing was written.")
        log = load(rel, text)
        if log.latest is None:
            raise InvalidDocument(rel, 1, "no '## vN | date time | title' entry to update; open_worklog adds one")
        splices, status = change(log, log.latest)
        splices += _status_edits(log, log.latest, status)
        new = _summaries(rel, load(rel, log.doc.splice(splices).render()), features, brain.now())
        files[rel] = new.doc.render()
    return _state(base, rel, new)


def _status_edits(log: WorkLog, entry: WLEntry, status: str) -> list[Splice]:
    edits = [] if status == log.status and log.meta_span else frontmatter_edits(log, entry.version, status)
    header = entry_header(entry.version, entry.when, entry.title, status)
    keep = [t for t in entry.tags if t not in TAGS.values()]
    header = " ".join([header, *keep])
    if header != log.lines[entry.start]:
        edits.append(Splice(entry.start, entry.start + 1, (header,)))
    return edits


def _status(value: str) -> str:
    s = value.strip().lower().replace("-", "_").replace(" ", "_")
    if s not in WORK_STATUSES:
        raise InvalidArgument(f"Invalid status {value!r}: use exactly one of {', '.join(WORK_STATUSES)}.")
    return s


def _field(key: str, inline: str = "", rest: list[str] | None = None) -> list[str]:
    head = f"**{FIELDS[key]}:**" + (f" {inline}" if inline else "")
    return [head, *(rest or [])]


def _lines(arg: str, values: list[str] | None) -> list[str]:
    return [validate.one_line(arg, v, 1000) for v in values or []]


def _fill(entry: WLEntry, updates: dict[str, list[str]]) -> list[Splice]:
    """One splice per field, in the field order (docs/FORMAT.md, '6. Work logs'), so fields
    inserted at one point keep that order."""
    order = list(FIELDS)
    return [set_field(entry, k, updates[k]) for k in sorted(updates, key=lambda k: order.index(k))]


def _new_log(base: str, title: str, when: str) -> str:
    lines = [
        "---",
        "version: v1",
        "status: in_progress",
        "---",
        "",
        f"# {base.replace('-', ' ')} Work Log",
        "",
        entry_header(1, when, title, "in_progress"),
        "**Prev:** Starting new work",
        f"**Now:** {title}",
        "**Progress:** 0%",
    ]
    return "\n".join(lines) + "\n"


def _next_entry(log: WorkLog, title: str | None, when: str) -> tuple[list[str], str]:
    last = log.latest
    assert last is not None
    blockers = [
        b for b in items.parse_blockers(last.inline("blockers"), last.lines_of(log.lines, "blockers")) if b.open
    ]
    todo = items.parse_items(last.lines_of(log.lines, "next"))
    status = "blocked" if blockers else "in_progress"
    top = next((i.text for i in todo if i.priority == "HIGH" and not i.blocked), None)
    version = max(log.version, last.version) + 1
    out = [entry_header(version, when, title or last.title, status)]
    out += _field("prev", f"v{last.version}: {last.inline('now') or last.title} ({log.status})")
    if title or top:
        out += _field("now", title or top or "")
    if progress := longrun.without_budget(last.inline("progress")):
        out += _field("progress", progress)
    out += longrun.rollup(log, version)
    if blockers:
        out += items.render_blockers(blockers)
    if hyps := open_hypotheses(log):
        out += _field("hypotheses", "", [h.render() for h in hyps])
    if deps := last.lines_of(log.lines, "dependencies"):
        out += _field("dependencies", last.inline("dependencies"), deps)
    if todo:
        out += _field("next", "", [i.render() for i in todo])
    return out, status


def open_worklog(
    brain: Brain, name: str, title: str | None = None, long_running: bool = False, create: bool = False
) -> WorkLogState:
    base, rel = find_log(brain, name)
    heading = validate.one_line("title", title, 200) if title else None
    if not create and not brain.store.exists(rel) and (near := near_log(brain, base)) is not None:
        raise NotFound(
            f"No work log named '{base}', but '{near}' exists (one letter apart); nothing was written. "
            f"Call open_worklog with name '{near}' to continue it, or with create: true to start '{base}'."
        )
    when = brain.now()
    with brain.transaction(rel) as files:
        text = files[rel]
        if text is None:
            files[rel] = _new_log(base, heading or base.replace("-", " "), when)
        else:
            log = load(rel, text)
            if log.latest is None:
                raise InvalidDocument(rel, 1, "no '## vN | date time | title' entry found; fix the file first")
            entry, status = _next_entry(log, heading, when)
            at = len(log.lines)
            gap = ("",) if log.lines and log.lines[-1].strip() else ()
            splices = [Splice(at, at, (*gap, *entry)), *frontmatter_edits(log, log.latest.version + 1, status)]
            files[rel] = log.doc.splice(splices).render()
        log = load(rel, files[rel] or "")
        if long_running and (made := longrun.create(log)):
            log = load(rel, log.doc.splice(made).render())
        log = _summaries(rel, log, None, when)
        files[rel] = log.doc.render()
    return _state(base, rel, log, brief(brain, base, log))


def _append(log: WorkLog, entry: WLEntry, key: str, new: list[str], bullet: bool = True) -> list[str]:
    old = entry.lines_of(log.lines, key)
    add = [(f"- {v}" if bullet and not v.lstrip().startswith(("- ", "* ")) else v) for v in new]
    return _field(key, entry.inline(key), old + [v for v in add if v not in old])


def _hypotheses(log: WorkLog, entry: WLEntry, lines: list[str]) -> list[str]:
    known: dict[int, items.Hypothesis] = {}
    for e in log.entries:
        for h in items.parse_hypotheses(e.lines_of(log.lines, "hypotheses")):
            known[h.number] = h
    current = entry.lines_of(log.lines, "hypotheses")
    for raw in lines:
        h = items.hypothesis_arg(raw, known)
        known[h.number] = h
        at = next(
            (i for i, x in enumerate(current) if (p := items.parse_hypotheses([x])) and p[0].number == h.number), None
        )
        if at is None:
            current.append(h.render())
        else:
            current[at] = h.render()
    return _field("hypotheses", entry.inline("hypotheses"), current)


def _next_and_done(log: WorkLog, entry: WLEntry, new: list[str], done: list[str]) -> dict[str, list[str]]:
    todo = items.parse_items(entry.lines_of(log.lines, "next"))
    for raw in new:
        item = items.NextItem.parse_arg(raw)
        if not any(items.same_item(item.text, t.text) for t in todo):
            todo.append(item)
    finished = entry.lines_of(log.lines, "completed")
    for raw in done:
        text = items.NextItem.parse_arg(raw).text
        match = _in_next(todo, text)
        if match is not None:
            todo.remove(match)
        finished.append(f"- ✅ {match.text if match else text}")
    out: dict[str, list[str]] = {}
    if new or done:
        out["next"] = _field("next", entry.inline("next"), [t.render() for t in todo]) if todo else []
    if done:
        out["completed"] = _field("completed", entry.inline("completed"), finished)
    return out


def _in_next(todo: list[items.NextItem], text: str) -> items.NextItem | None:
    """The Next item ``text`` names: the same item, else the first that starts with it."""
    match = next((t for t in todo if items.same_item(t.text, text)), None)
    return match or next((t for t in todo if t.text.lower().startswith(text.lower())), None)


def _noted(state: WorkLogState, notes: list[str]) -> WorkLogState:
    return state.model_copy(update={"note": " ".join(notes)}) if notes else state


SCALARS = ("now", "progress", "works", "fails", "tried", "dead_ends", "solution", "open")
LISTS = ("files", "work", "decisions", "dependencies")


def update_worklog(
    brain: Brain,
    name: str,
    *,
    scalars: dict[str, str | None] | None = None,
    lists: dict[str, list[str] | None] | None = None,
    next: list[str] | None = None,
    done: list[str] | None = None,
    hypotheses: list[str] | None = None,
    status: str | None = None,
    reason: str | None = None,
    review_checklist: list[str] | None = None,
    metrics: dict[str, str] | None = None,
    features: list[str] | None = None,
    lessons: list[str] | None = None,
    learn: bool = False,
    blocks: dict[str, list[str]] | None = None,
) -> WorkLogState:
    """Fill the latest entry. ``scalars`` replace a field's text; ``lists`` append lines; the
    long-running arguments are docs/FORMAT.md's '6.1'."""
    plain = {k: validate.one_line(k, v, 2000) for k, v in (scalars or {}).items() if v}
    more = {k: _lines(k, v) for k, v in (lists or {}).items() if v}
    new_status = _status(status) if status else None
    why = validate.one_line("reason", reason, 500) if reason else None
    for key in [*plain, *more]:
        if key not in FIELDS:
            raise InvalidArgument(f"Unknown work-log field {key!r}.")

    notes: list[str] = []

    def change(log: WorkLog, entry: WLEntry) -> tuple[list[Splice], str]:
        todo = items.parse_items(entry.lines_of(log.lines, "next"))
        missing = [d for d in _lines("done", done) if _in_next(todo, items.NextItem.parse_arg(d).text) is None]
        notes[:] = [f"Not in Next, recorded as completed anyway: {'; '.join(missing)}."] if missing else []
        updates = {k: _field(k, v) for k, v in plain.items()}
        for key, values in more.items():
            updates[key] = _append(log, entry, key, values, bullet=key != "work")
        if hypotheses:
            updates["hypotheses"] = _hypotheses(log, entry, _lines("hypotheses", hypotheses))
        updates.update(_next_and_done(log, entry, _lines("next", next), _lines("done", done)))
        final = new_status or log.status
        if new_status:
            updates["status"] = _field("status", f"{final} ({why})" if why else final)
        if final == "needs_review" and "review_checklist" not in entry.fields:
            checks = _lines("review_checklist", review_checklist) or REVIEW_DEFAULT
            updates["review_checklist"] = _field("review_checklist", "", [f"- [ ] {c}" for c in checks])
        more_updates = longrun.entry_updates(log, entry, metrics, taught, blocks)
        if "progress" in more_updates and "progress" in plain:
            budget = (blocks or {}).get("budget", [""])[0]
            more_updates["progress"] = _field("progress", longrun.budget_progress(plain["progress"], budget))
        updates.update(more_updates)
        return _fill(entry, updates), final

    taught = _lines("lessons", lessons)
    if learn:
        for lesson in taught:
            lesson_name(lesson)  # refused before anything is written
    state = _noted(_edit(brain, name, change, _lines("features", features)), notes)
    if not learn:
        return state
    learned = learn_lessons(brain, state.name, state.path, taught)
    return state.model_copy(update={"brief": "Patterns: " + ("; ".join(learned) or "no lesson to learn")})


def _blockers(log: WorkLog, entry: WLEntry) -> list[items.Blocker]:
    return items.parse_blockers(entry.inline("blockers"), entry.lines_of(log.lines, "blockers"))


def _tag_items(log: WorkLog, entry: WLEntry, blocked: bool, which: list[str] | None) -> list[str] | None:
    todo = items.parse_items(entry.lines_of(log.lines, "next"))
    changed = [
        items.NextItem(t.priority, blocked, t.text)
        if which is None or any(t.text.lower().startswith(w.lower()) for w in which)
        else t
        for t in todo
    ]
    if changed == todo:
        return None
    return _field("next", entry.inline("next"), [t.render() for t in changed])


def record_blocker(
    brain: Brain,
    name: str,
    blocker: str,
    owner: str | None = None,
    eta: str | None = None,
    workaround: str | None = None,
    blocks: list[str] | None = None,
) -> WorkLogState:
    what = validate.one_line("blocker", blocker, 500)
    extra = {
        k: validate.one_line(k, v, 200) for k, v in (("owner", owner), ("eta", eta), ("workaround", workaround)) if v
    }
    tagged = _lines("blocks", blocks)
    when = brain.now()

    notes: list[str] = []

    def change(log: WorkLog, entry: WLEntry) -> tuple[list[Splice], str]:
        todo = items.parse_items(entry.lines_of(log.lines, "next"))
        loose = [w for w in tagged if not any(t.text.lower().startswith(w.lower()) for t in todo)]
        named = ", ".join(repr(w) for w in loose)
        notes[:] = [f"No Next item starts with {named}; nothing was tagged [BLOCKED] for it."] if loose else []
        current = _blockers(log, entry)
        current.append(items.Blocker(what, requested=when, **extra))
        updates = {"blockers": items.render_blockers(current), "status": _field("status", f"blocked ({what})")}
        if tagged and (tags := _tag_items(log, entry, True, tagged)):
            updates["next"] = tags
        return _fill(entry, updates), "blocked"

    return _noted(_edit(brain, name, change), notes)


def _choose(open_ones: list[items.Blocker], which: str | None) -> items.Blocker:
    if not open_ones:
        raise NotFound("This work log has no open blocker, so there is nothing to resolve; nothing was changed.")
    hits = [b for b in open_ones if which.lower() in b.text.lower()] if which else open_ones
    listing = "; ".join(b.text for b in open_ones) or "none"
    if not hits:
        raise NotFound(f"No open blocker matches {which!r}. Open blockers: {listing}.")
    if len(hits) > 1:
        raise Ambiguous(f"{len(hits)} open blockers match; name one with 'blocker'. Open blockers: {listing}.")
    return hits[0]


def resolve_blocker(brain: Brain, name: str, resolution: str, blocker: str | None = None) -> WorkLogState:
    how = validate.one_line("resolution", resolution, 1000)
    when = brain.now()

    def change(log: WorkLog, entry: WLEntry) -> tuple[list[Splice], str]:
        current = _blockers(log, entry)
        target = _choose([b for b in current if b.open], blocker)
        current = [replace(b, resolved=when) if b is target else b for b in current]
        note = f"- {target.text}: {how} (blocked {age(target.requested, when)})"
        updates = {
            "blockers": items.render_blockers(current),
            "blocker_resolution": _append(log, entry, "blocker_resolution", [note]),
        }
        still = any(b.open for b in current)
        status = log.status if still or log.status != "blocked" else "in_progress"
        if not still and (tags := _tag_items(log, entry, False, None)):
            updates["next"] = tags
        if status != log.status:
            updates["status"] = _field("status", f"{status} (unblocked: {target.text})")
        return _fill(entry, updates), status

    return _edit(brain, name, change)
