"""Three-way merge of the two brain-health files, for ``devlore.codec.merge``.

The server recomputes both files from the pattern files after a merge anyway, so these
merges never conflict and never drop a line someone wrote: sections, items and rows are
unioned, and where both sides changed one value, ours wins (a sum, for minutes saved).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from devlore.codec.health import SECTIONS, confidence_text
from devlore.codec.merge_base import Merged, Part, Piece, apply, assemble, interleave, pick, split_parts, trivial
from devlore.codec.structure import outline
from devlore.codec.text import Doc
from devlore.model import LEVELS, Level, evidence_level

__all__ = ["merge_confidence", "merge_growth"]

_WEEK = re.compile(r"^Week of (\d{4}-\d{2}-\d{2})")
_LABEL = re.compile(r"^\*\*([^*\n]+?):\*\*")
_MINUTES = re.compile(r"(\d+)(\s*min)")
_ITEM = re.compile(r"^[-*]\s+")
_NONE = "- None this week"
_ROW = re.compile(r"^[-*]\s+(.+?)\s+\((\d+)\s+examples?\b")


@dataclass(frozen=True)
class _File:
    doc: Doc
    lines: list[str]
    pre: int  # one past the preamble: the first H2, or the end
    sections: dict[str, tuple[int, int]]  # heading -> (its line, one past its last non-blank line)

    @classmethod
    def parse(cls, text: str) -> _File:
        doc = Doc.parse(text)
        lines = doc.bodies()
        heads = outline(lines).h(2)
        sections: dict[str, tuple[int, int]] = {}
        for i, h in enumerate(heads):
            end = heads[i + 1].line if i + 1 < len(heads) else len(lines)
            while end > h.line + 1 and not lines[end - 1].strip():
                end -= 1
            key, n = h.text.strip(), 1
            while key in sections:
                n += 1
                key = f"{h.text.strip()}#{n}"
            sections[key] = (h.line, end)
        return cls(doc, lines, heads[0].line if heads else len(lines), sections)

    def section(self, key: str) -> tuple[str, ...] | None:
        if key not in self.sections:
            return None
        start, end = self.sections[key]
        return tuple(self.lines[start:end])


# -- growth-log.md ----------------------------------------------------------------------------------


def merge_growth(base: str, ours: str, theirs: str) -> Merged:
    """``## Week of`` sections unioned (newest first), and within a week the items of each list;
    ``Time saved`` adds up what each side added."""
    if (same := trivial(base, ours, theirs)) is not None:
        return Merged(same)
    b, o, t = _File.parse(base), _File.parse(ours), _File.parse(theirs)
    pieces: list[Piece] = []
    if pick(b.lines[: b.pre], o.lines[: o.pre], t.lines[: t.pre]) == "theirs":
        pieces.append(Piece(0, o.pre, tuple(t.lines[: t.pre])))
    for key, (start, end) in o.sections.items():
        mine, yours, old = o.section(key), t.section(key), b.section(key)
        choice = pick(old, mine, yours)
        if yours is None or choice == "ours":
            continue
        new = yours if choice == "theirs" else _merge_week(b, o, t, key)
        pieces.append(Piece(start, end, new))
    return Merged(apply(o.doc, [*pieces, *_new_sections(o, t)])[0].render())


def _new_sections(o: _File, t: _File) -> list[Piece]:
    """Theirs' sections ours lacks: a week before the first older week of ours, others at the end."""
    weeks = [(m.group(1), start) for key, (start, _) in o.sections.items() if (m := _WEEK.match(key))]
    runs: dict[int, list[tuple[str, ...]]] = {}
    for key in t.sections:
        if key in o.sections:
            continue
        m = _WEEK.match(key)
        older = [start for day, start in weeks if m and day < m.group(1)]
        runs.setdefault(older[0] if older else len(o.lines), []).append(t.section(key) or ())
    pieces = []
    for at, sections in runs.items():
        if at < len(o.lines):
            pieces.append(Piece(at, at, tuple(line for s in sections for line in (*s, ""))))
        else:
            lead = ("",) if o.lines and o.lines[-1].strip() else ()
            joined = [line for n, s in enumerate(sections) for line in (*(("",) if n else ()), *s)]
            pieces.append(Piece(at, at, (*lead, *joined)))
    return pieces


def _week_parts(f: _File, key: str) -> dict[str, Part]:
    if key not in f.sections:
        return {}
    start, end = f.sections[key]
    bounds = [(start, "#heading", "heading")]
    bounds += [
        (i, m.group(1).strip().lower(), m.group(1)) for i in range(start + 1, end) if (m := _LABEL.match(f.lines[i]))
    ]
    return split_parts(f.lines, bounds, end)


def _merge_week(b: _File, o: _File, t: _File, key: str) -> tuple[str, ...]:
    bp, op, tp = _week_parts(b, key), _week_parts(o, key), _week_parts(t, key)
    order = interleave(list(op), list(tp), lambda k: k not in bp and k not in tp)
    merged = {k: (out, False) for k in order if (out := _week_part(k, bp.get(k), op.get(k), tp.get(k))) is not None}
    return tuple(assemble(op, tp, merged, order, lambda _: "")[0])


def _week_part(key: str, b: Part | None, o: Part | None, t: Part | None) -> tuple[str, ...] | None:
    if o is None or t is None:
        one = o or t
        return one.body if one else None
    if o.body == t.body:
        return o.body
    if key == "time saved":
        return _minutes(b, o, t)
    if any(_ITEM.match(line) for line in (*o.body[1:], *t.body[1:])):
        return _union(o, t)
    return t.body if b is not None and b.body == o.body else o.body


def _union(o: Part, t: Part) -> tuple[str, ...]:
    items = list(o.body[1:])
    items += [x for x in t.body[1:] if x.strip() not in {y.strip() for y in items}]
    if any(x.strip() and x.strip() != _NONE for x in items):
        items = [x for x in items if x.strip() != _NONE]
    return (o.body[0], *items)


def _count(p: Part | None) -> int:
    m = _MINUTES.search(p.body[0]) if p and p.body else None
    return int(m.group(1)) if m else 0


def _minutes(b: Part | None, o: Part, t: Part) -> tuple[str, ...]:
    total = max(_count(o) + _count(t) - _count(b), 0)
    return (_MINUTES.sub(rf"{total}\g<2>", o.body[0], count=1), *o.body[1:])


# -- pattern-confidence.md ----------------------------------------------------------------------


Rows = dict[str, tuple[str, Level]]  # pattern name -> (row line, the level section it is in)


def _rows(text: str) -> tuple[list[str], Rows]:
    """The file's lines other than rows, and its rows keyed by pattern name."""
    lines = Doc.parse(text).bodies()
    heads = outline(lines).h(2)
    prefixes = {SECTIONS[level].split(" (")[0].lower(): level for level in LEVELS}
    rows: Rows = {}
    rest: list[str] = []
    spans = [(h, heads[i + 1].line if i + 1 < len(heads) else len(lines)) for i, h in enumerate(heads)]
    levels = {
        j: lv
        for h, end in spans
        for j in range(h.line + 1, end)
        for p, lv in prefixes.items()
        if h.text.lower().startswith(p)
    }
    for j, line in enumerate(lines):
        level = levels.get(j)
        if level is None or not _ITEM.match(line) or _ITEM.sub("", line).strip().lower() == "none":
            rest.append(line)
            continue
        m = _ROW.match(line)
        key, n = (m.group(1) if m else _ITEM.sub("", line).strip()), 1
        while f"{key}#{n}" in rows or (n == 1 and key in rows):
            n += 1
        rows[key if n == 1 else f"{key}#{n}"] = (line, level)
    return rest, rows


def merge_confidence(base: str, ours: str, theirs: str) -> Merged:
    """Rows keyed by pattern name: changed on one side takes that side, on both ours; each row
    goes to the level section its own example count says."""
    if (same := trivial(base, ours, theirs)) is not None:
        return Merged(same)
    (b_rest, b_rows), (o_rest, o_rows), (_, t_rows) = _rows(base), _rows(ours), _rows(theirs)
    skeleton = theirs if o_rest == b_rest else ours
    order = interleave(list(o_rows), list(t_rows), lambda k: k not in b_rows and k not in t_rows)
    merged: dict[str, list[str]] = {level: [] for level in LEVELS}
    for key in order:
        row = _row(b_rows.get(key), o_rows.get(key), t_rows.get(key))
        if row is not None:
            m = _ROW.match(row[0])
            merged[evidence_level(int(m.group(2))) if m else row[1]].append(row[0])
    current = {level: [line for line, lv in _rows(skeleton)[1].values() if lv == level] for level in LEVELS}
    return Merged(skeleton if merged == current else confidence_text(skeleton, merged))


def _row(
    b: tuple[str, Level] | None, o: tuple[str, Level] | None, t: tuple[str, Level] | None
) -> tuple[str, Level] | None:
    if o is None or t is None:
        one = o or t
        return None if one is None or (b is not None and b[0] == one[0]) else one
    return t if pick(b[0] if b else None, o[0], t[0]) == "theirs" else o
