"""Bring an existing work log into ``memory/worklogs/``: ``WorkLog.md``, ``WorkLog vN.md``,
``<Name>-WorkLog-vN.md`` (the highest version of a set) and the older ``DEVLOG.md`` shape."""

from __future__ import annotations

import re
from pathlib import Path

from devlore.codec import worklog_items as items
from devlore.codec.text import Doc, Splice
from devlore.codec.worklogs import TAGS, WorkLog, frontmatter_edits
from devlore.errors import AlreadyExists, InvalidDocument
from devlore.model import WORK_STATUSES, WorkLogState
from devlore.service.brain import Brain
from devlore.service.worklog_files import canonical, find_log, load

__all__ = ["VERSIONED", "import_worklog", "pick_source"]

VERSIONED = re.compile(r"^(?P<stem>.*?)[- ]?v(?P<n>\d+)\.md$", re.I)
_DEVLOG = re.compile(r"^##\s+(\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2})?)\s*\|\s*(.*)$")
_TAG_STATUS = {tag: status for status, tag in TAGS.items()}


def _name_from(filename: str, folder: str, title: str) -> str:
    stem = VERSIONED.sub(lambda m: m.group("stem"), filename).removesuffix(".md")
    stem = re.sub(r"[- _]?work[- _]?log$", "", stem, flags=re.I).strip("- _")
    if stem and stem.lower() not in ("devlog", "worklog"):
        return stem
    heading = re.sub(r"\s*(work\s*log|dev\s*log)\s*$", "", title, flags=re.I).strip()
    return heading or folder


def _from_devlog(text: str) -> str:
    """Number ``## YYYY-MM-DD HH:MM | Title`` entries v1, v2, … in order; nothing else changes."""
    doc = Doc.parse(text)
    edits: list[Splice] = []
    n = 0
    fence = False
    for i, line in enumerate(doc.bodies()):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if not fence and (m := _DEVLOG.match(line)):
            n += 1
            edits.append(Splice(i, i + 1, (f"## v{n} | {m.group(1)} | {m.group(2).strip()}",)))
    return doc.splice(edits).render()


def _status(log: WorkLog) -> str:
    meta = str(log.meta.get("status", "")).strip()
    last = log.latest
    if last is None:
        return meta if meta in WORK_STATUSES else "in_progress"
    if any(b.open for b in items.parse_blockers(last.inline("blockers"), last.lines_of(log.lines, "blockers"))):
        return "blocked"
    if meta in WORK_STATUSES:
        return meta
    for tag in last.tags:
        if tag in _TAG_STATUS:
            return _TAG_STATUS[tag]
    word = last.inline("status").split(" ")[0].strip().lower() if last.inline("status") else ""
    return word if word in WORK_STATUSES else "in_progress"


def import_worklog(brain: Brain, text: str, source: str, name: str | None = None) -> WorkLogState:
    """Import ``text`` read from the file ``source`` (a path, used for messages and the name)."""
    log = load(source, text)
    if not log.entries:
        text = _from_devlog(text)
        log = load(source, text)
    if not log.entries:
        raise InvalidDocument(
            source, 1, "no entries found: expected '## vN | YYYY-MM-DD HH:MM | Title' or '## YYYY-MM-DD HH:MM | Title'"
        )
    filename = source.replace("\\", "/").rsplit("/", 1)[-1]
    folder = source.replace("\\", "/").rsplit("/", 2)[-2] if "/" in source else "worklog"
    base = canonical(name or _name_from(filename, folder, log.title))
    base, rel = find_log(brain, base)
    version = max(e.version for e in log.entries)
    status = _status(log)
    new_text = log.doc.splice(frontmatter_edits(log, version, status)).render()
    with brain.transaction(rel) as files:
        if files[rel] is not None:
            raise AlreadyExists(f"{rel} exists already; import under another --name, or continue it with open_worklog.")
        files[rel] = new_text
    final = load(rel, new_text)
    return WorkLogState(name=base, path=rel, version=f"v{final.version}", status=final.status)


def pick_source(path: Path) -> Path:
    """The file to import: for one file of a ``…vN.md`` set, the set's highest version."""
    m = VERSIONED.match(path.name)
    if not m:
        return path
    best = (int(m.group("n")), path)
    for sibling in path.parent.iterdir():
        s = VERSIONED.match(sibling.name)
        if s and s.group("stem").lower() == m.group("stem").lower() and sibling.is_file():
            best = max(best, (int(s.group("n")), sibling))
    return best[1]
