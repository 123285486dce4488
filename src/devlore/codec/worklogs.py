"""Work logs: frontmatter, H1, one ``## vN | date time | Title [TAG]`` entry per session (see
docs/FORMAT.md, '6. Work logs').

Parsing keeps the ``Doc``; edits are splices of single fields of the *latest* entry and of
the frontmatter's ``version:``/``status:`` lines, so earlier entries stay byte-identical.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from devlore.codec import frontmatter
from devlore.codec.structure import outline
from devlore.codec.text import Doc, Splice
from devlore.model import WORK_STATUSES, WorkStatus

__all__ = [
    "FIELDS",
    "WLEntry",
    "WorkLog",
    "entry_header",
    "field_key",
    "frontmatter_edits",
    "set_field",
]

TAGS: dict[str, str] = {"blocked": "[BLOCKED]", "needs_review": "[NEEDS_REVIEW]", "completed": "[COMPLETED]"}

# The order of docs/FORMAT.md, '6. Work logs'; devlore adds Status (after Now, as people write
# it), Completed/Deferred, and the long-running fields of '6.1'.
FIELDS: dict[str, str] = {
    "prev": "Prev",
    "now": "Now",
    "status": "Status",
    "progress": "Progress",
    "rollup": "Rollup",
    "files": "Files",
    "work": "Work",
    "decisions": "Decisions",
    "metrics": "Metrics",
    "works": "Works",
    "fails": "Fails",
    "blockers": "Blockers",
    "blocker_resolution": "Blocker Resolution",
    "hypotheses": "Hypotheses",
    "tried": "Tried",
    "dead_ends": "Dead ends",
    "solution": "Solution",
    "dependencies": "Dependencies",
    "review_checklist": "Review Checklist",
    "reviewer_notes": "Reviewer Notes",
    "review_feedback_applied": "Review Feedback Applied",
    "lessons": "Lessons",
    "next": "Next",
    "completed": "Completed",
    "completed_this_session": "Completed This Session",
    "deferred": "Deferred",
    "deferred_to_next_session": "Deferred to Next Session",
    "next_session_priority": "Next Session Priority",
    "open": "Open",
}
_KEYS = {label.lower(): key for key, label in FIELDS.items()}
_LABEL = re.compile(r"^\*\*([^*\n]+?):\*\*[ \t]*(.*)$")
_HEADER = re.compile(
    r"^##\s+v(\d+)\s*\|\s*(\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2})?)\s*\|\s*(.*?)\s*((?:\[[A-Z_]+\]\s*)*)$"
)


def field_key(label: str) -> str:
    low = label.strip().lower()
    return _KEYS.get(low, low)


@dataclass(frozen=True)
class Block:
    """A field: its label line, one past its last line, and the text after the label."""

    line: int
    end: int
    inline: str


@dataclass(frozen=True)
class WLEntry:
    version: int
    when: str
    title: str
    tags: tuple[str, ...]
    start: int
    end: int
    content_end: int
    fields: dict[str, Block]

    def lines_of(self, doc_lines: list[str], key: str) -> list[str]:
        """The block's lines after the label line (continuation and list lines)."""
        b = self.fields.get(key)
        return doc_lines[b.line + 1 : b.end] if b else []

    def inline(self, key: str) -> str:
        b = self.fields.get(key)
        return b.inline.strip() if b else ""


@dataclass
class WorkLog:
    doc: Doc
    lines: list[str]
    meta: dict[str, object]
    meta_span: tuple[int, int] | None
    title: str
    entries: list[WLEntry] = field(default_factory=list)

    @property
    def latest(self) -> WLEntry | None:
        return self.entries[-1] if self.entries else None

    @property
    def version(self) -> int:
        v = str(self.meta.get("version", "")).lstrip("v")
        if v.isdigit():
            return int(v)
        return self.latest.version if self.latest else 0

    @property
    def status(self) -> WorkStatus:
        s = str(self.meta.get("status", "")).strip()
        return s if s in WORK_STATUSES else "in_progress"

    @classmethod
    def parse(cls, text: str) -> WorkLog:
        """Raises ``frontmatter.FrontmatterError`` for a broken frontmatter block."""
        doc = Doc.parse(text)
        lines = doc.bodies()
        span = frontmatter.span(lines)
        meta = frontmatter.read(text)[0] if span else {}
        out = outline([("" if span and i <= span[1] else line) for i, line in enumerate(lines)])
        title = next((h.text for h in out.headings if h.level == 1), "")
        log = cls(doc=doc, lines=lines, meta=meta, meta_span=span, title=title)
        heads = [h for h in out.h(2) if _HEADER.match(lines[h.line])]
        for i, h in enumerate(heads):
            end = heads[i + 1].line if i + 1 < len(heads) else len(lines)
            log.entries.append(_entry(lines, out.code, h.line, end))
        return log


def _entry(lines: list[str], code: frozenset[int], start: int, end: int) -> WLEntry:
    m = _HEADER.match(lines[start])
    assert m is not None
    tags = tuple(re.findall(r"\[[A-Z_]+\]", m.group(4) or ""))
    content_end = end
    while content_end > start + 1 and (not lines[content_end - 1].strip() or lines[content_end - 1].strip() == "---"):
        content_end -= 1
    labels = [
        (i, lab.group(1), lab.group(2))
        for i in range(start + 1, content_end)
        if i not in code and (lab := _LABEL.match(lines[i]))
    ]
    fields: dict[str, Block] = {}
    for k, (i, label, inline) in enumerate(labels):
        stop = labels[k + 1][0] if k + 1 < len(labels) else content_end
        while stop > i + 1 and not lines[stop - 1].strip():
            stop -= 1
        fields.setdefault(field_key(label), Block(i, stop, inline))
    return WLEntry(int(m.group(1)), m.group(2), m.group(3).strip(), tags, start, end, content_end, fields)


def entry_header(version: int, when: str, title: str, status: str) -> str:
    tag = TAGS.get(status)
    return f"## v{version} | {when} | {title}" + (f" {tag}" if tag else "")


def set_field(entry: WLEntry, key: str, new: list[str]) -> Splice:
    """Replace the field ``key`` of ``entry`` with ``new`` lines (label line first), or insert it
    at its place in the field order. An empty ``new`` removes the field."""
    if key in entry.fields:
        b = entry.fields[key]
        return Splice(b.line, b.end, tuple(new))
    order = list(FIELDS)
    rank = order.index(key) if key in order else len(order)
    before = [b.end for k, b in entry.fields.items() if k in order and order.index(k) < rank]
    after = [b.line for k, b in entry.fields.items() if k in order and order.index(k) > rank]
    if before:
        at = max(before)
    elif after:
        at = min(after)
    else:
        at = entry.content_end
    return Splice(at, at, tuple(new))


def frontmatter_edits(log: WorkLog, version: int, status: str) -> list[Splice]:
    """Rewrite only the ``version:`` and ``status:`` lines (adding them, or a block, if missing)."""
    if log.meta_span is None:
        return [Splice(0, 0, ("---", f"version: v{version}", f"status: {status}", "---", ""))]
    start, end = log.meta_span
    edits: list[Splice] = []
    for key, value in (("version", f"v{version}"), ("status", status)):
        line = next((i for i in range(start + 1, end) if re.match(rf"^{key}\s*:", log.lines[i])), None)
        if line is None:
            edits.append(Splice(end, end, (f"{key}: {value}",)))
        else:
            edits.append(Splice(line, line + 1, (f"{key}: {value}",)))
    return edits
