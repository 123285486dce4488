"""Three-way merge of work logs (docs/FORMAT.md, '6. Work logs'), for ``devlore.codec.merge``.

Entries base already had are merged in place, field by field. Entries either side added are
all kept, in time order, numbered on from base's last version; the frontmatter's ``version``
and ``status`` then follow the last entry.
"""

from __future__ import annotations

import re

from devlore.codec import frontmatter
from devlore.codec.merge_base import (
    Found,
    Merged,
    MergeError,
    Outcome,
    Part,
    Piece,
    Region,
    apply,
    assemble,
    conflict_lines,
    finish,
    interleave,
    merge_region,
    pick,
    region,
    split_parts,
    trivial,
)
from devlore.codec.structure import outline
from devlore.codec.text import Doc
from devlore.codec.worklogs import _LABEL, TAGS, WLEntry, WorkLog, frontmatter_edits

__all__ = ["merge_worklog"]

_STATUS = {tag: status for status, tag in TAGS.items()}
_META = re.compile(r"^(version|status)\s*:\s*(.*?)\s*$")
_WHEN = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2}))?")

Final = tuple[int, tuple[str, ...], bool]  # last version, its tags, whether its header moved


def merge_worklog(base: str, ours: str, theirs: str) -> Merged:
    """Merge ``memory/worklogs/<Name>-WorkLog.md``."""
    if (same := trivial(base, ours, theirs)) is not None:
        return Merged(same)
    b, o, t = (_parse(text, side) for text, side in ((base, "base"), (ours, "ours"), (theirs, "theirs")))
    known = _versions(b, "base", None)
    old, last = _existing(b, o, t, known)
    new, final = _new(o, t, known)
    doc, found = apply(o.doc, [*_head(b, o, t), *old, *new])
    bom = t.doc.bom if pick(b.doc.bom, o.doc.bom, t.doc.bom) == "theirs" else o.doc.bom
    doc, found = _frontmatter(Doc(bom=bom, lines=doc.lines), found, final or last, (b, o, t))
    return finish(doc, found)


def _parse(text: str, side: str) -> WorkLog:
    try:
        return WorkLog.parse(text)
    except frontmatter.FrontmatterError as exc:
        raise MergeError(f"{side}: line {exc.line}: {exc.reason}") from exc


def _versions(log: WorkLog, side: str, only: dict[int, WLEntry] | None) -> dict[int, WLEntry]:
    found: dict[int, WLEntry] = {}
    for e in log.entries:
        if only is not None and e.version not in only:
            continue
        if e.version in found:
            raise MergeError(f"{side}: two entries are numbered v{e.version}")
        found[e.version] = e
    return found


def _content(log: WorkLog, e: WLEntry) -> tuple[str, ...]:
    return tuple(log.lines[e.start : e.content_end])


# -- frontmatter and title ----------------------------------------------------------------------


def _head(b: WorkLog, o: WorkLog, t: WorkLog) -> list[Piece]:
    """Line by line inside the frontmatter (``version``/``status`` masked: they are recomputed),
    block by block below it."""

    def head(log: WorkLog) -> Region:
        span = log.meta_span
        inside = (lambda i: span[0] <= i <= span[1]) if span else (lambda _: False)

        def mask(i: int, s: str) -> str:
            m = _META.match(s) if inside(i) else None
            return f"{m.group(1)}:" if m else s

        end = log.entries[0].start if log.entries else len(log.lines)
        while end > 0 and not log.lines[end - 1].strip():  # the blank lines before v1 separate
            end -= 1
        return region(log.lines, 0, end, outline(log.lines).code, mask, inside)

    span = o.meta_span

    def where(line: int) -> str:
        return "frontmatter" if span and line <= span[1] else "title"

    return merge_region(head(b), head(o), head(t), where)


def _meta(log: WorkLog, key: str) -> str | None:
    if log.meta_span is None:
        return None
    for i in range(log.meta_span[0] + 1, log.meta_span[1]):
        if (m := _META.match(log.lines[i])) and m.group(1) == key:
            return m.group(2)
    return None


def _frontmatter(doc: Doc, found: Found, final: Final | None, logs: tuple[WorkLog, ...]) -> tuple[Doc, Found]:
    """``version`` from the last entry; ``status`` from its tag when that entry is new or its
    header changed, else the three-way value (a hand-set status stays)."""
    lines = doc.bodies()
    span = frontmatter.span(lines)
    if final is None or span is None:
        return doc, found
    version, tags, moved = final
    status = next((_STATUS[tag] for tag in tags if tag in _STATUS), "in_progress")
    if not moved:
        b, o, t = (_meta(log, "status") for log in logs)
        status = (t if pick(b, o, t) == "theirs" else o) or status
    log = WorkLog(doc=doc, lines=lines, meta={}, meta_span=span, title="")
    edits = [s for s in frontmatter_edits(log, version, status) if s.new != tuple(lines[s.start : s.end])]
    return apply(doc, [Piece(s.start, s.end, s.new) for s in edits], found)


# -- entries base had -----------------------------------------------------------------------------


def _existing(b: WorkLog, o: WorkLog, t: WorkLog, known: dict[int, WLEntry]) -> tuple[list[Piece], Final | None]:
    oe, te = _versions(o, "ours", known), _versions(t, "theirs", known)
    last = max(oe.values(), key=lambda e: e.start, default=None)
    pieces: list[Piece] = []
    final: Final | None = None
    for v, be in known.items():
        x, y = oe.get(v), te.get(v)
        base = _content(b, be)
        if y is None:  # theirs removed it: gone if ours left it as it was
            if x is not None and _content(o, x) == base:
                pieces.append(Piece(x.start, x.content_end if x is last else x.end, ()))
            continue
        if x is None:
            if _content(t, y) != base:
                raise MergeError(f"v{v} was removed on one side and changed on the other")
            continue
        choice = pick(base, _content(o, x), _content(t, y))
        header = pick(b.lines[be.start], o.lines[x.start], t.lines[y.start])
        if x is last:
            final = (v, y.tags if header == "theirs" else x.tags, header != "ours" or x.tags != be.tags)
        if choice == "theirs":
            pieces.append(Piece(x.start, x.content_end, _content(t, y)))
        elif choice == "conflict":
            lines, found = _merge_entry(b, be, o, x, t, y)
            pieces.append(Piece(x.start, x.content_end, tuple(lines), tuple(found)))
    return pieces, final


def _parts(log: WorkLog, e: WLEntry) -> dict[str, Part]:
    bounds = [(e.start, "#header", "header"), (e.start + 1, "#intro", "intro")]
    for key, block in e.fields.items():
        m = _LABEL.match(log.lines[block.line])
        bounds.append((block.line, key, m.group(1).strip() if m else key))
    bounds.sort(key=lambda x: x[0])
    return split_parts(log.lines, bounds, e.content_end)


def _merge_entry(b: WorkLog, be: WLEntry, o: WorkLog, x: WLEntry, t: WorkLog, y: WLEntry) -> tuple[list[str], Found]:
    bp, op, tp = _parts(b, be), _parts(o, x), _parts(t, y)
    order = interleave(list(op), list(tp), lambda k: k not in bp and k not in tp)
    merged = {k: out for k in order if (out := _resolve(bp.get(k), op.get(k), tp.get(k))) is not None}
    labels = {**tp, **op}
    return assemble(op, tp, merged, order, lambda k: f"v{x.version}, {labels[k].label}")


def _resolve(b: Part | None, o: Part | None, t: Part | None) -> Outcome | None:
    if o is None or t is None:
        one = o or t
        if one is None or (b is not None and b.body == one.body):
            return None
        return one.body, False
    choice = pick(b.body if b else None, o.body, t.body)
    if choice == "conflict":
        return conflict_lines(o.body, t.body), True
    return (o.body if choice == "ours" else t.body), False


# -- entries either side added ---------------------------------------------------------------------


def _when(when: str) -> tuple[str, int, int]:
    m = _WHEN.match(when)
    if m is None:
        return when, -1, -1
    return m.group(1), int(m.group(2) or -1), int(m.group(3) or -1)


def _renumbered(lines: tuple[str, ...], version: int) -> tuple[str, ...]:
    return (re.sub(r"^(##\s+v)\d+", rf"\g<1>{version}", lines[0], count=1), *lines[1:])


def _separator(*logs: WorkLog) -> tuple[str, ...]:
    for log in logs:
        for e, nxt in zip(log.entries, log.entries[1:], strict=False):
            if e.end == nxt.start and e.end > e.content_end:
                return tuple(log.lines[e.content_end : e.end])
    return ("",)


def _new(o: WorkLog, t: WorkLog, known: dict[int, WLEntry]) -> tuple[list[Piece], Final | None]:
    first = max(known, default=0) + 1
    mine = [e for e in o.entries if e.version not in known]
    seen = {_content(o, e) for e in mine}
    items = [(e, _content(o, e)) for e in mine]
    items += [(e, c) for e in t.entries if e.version not in known and (c := _content(t, e)) not in seen]
    items.sort(key=lambda item: _when(item[0].when))  # stable: ours first on a tie
    bodies = [_renumbered(c, first + n) for n, (_, c) in enumerate(items)]
    final = (first + len(items) - 1, items[-1][0].tags, True) if items else None
    if bodies == [_content(o, e) for e in mine]:
        return [], final
    anchor = max((e for e in o.entries if e.version in known), key=lambda e: e.start, default=None)
    if anchor is not None and any(e.start < anchor.start for e in mine):
        raise MergeError("ours has a new entry above an older one")
    sep = _separator(o, t)
    if anchor is not None:
        start, lead = anchor.content_end, sep
    elif mine:
        start, lead = mine[0].start, ()
    else:
        start, lead = len(o.lines), ("",) if o.lines and o.lines[-1].strip() else ()
    trailer = tuple(o.lines[o.entries[-1].content_end :]) if o.entries else ()
    joined = [line for n, body in enumerate(bodies) for line in (*(sep if n else ()), *body)]
    return [Piece(start, len(o.lines), (*lead, *joined, *trailer))], final
