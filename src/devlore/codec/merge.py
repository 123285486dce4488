"""Semantic three-way merge of brain files, for the git merge driver: two clones that each
edited the same file merge by meaning (entries, fields, examples), not by lines.

Pure: text in, text out. Ours is the skeleton: every line that needed no merging keeps ours'
bytes. A real conflict (both sides rewrote the same field differently) gets git-style markers
around that field only and is listed in ``Merged.conflicts``. An input that cannot be parsed
raises ``MergeError``; the caller then merges by lines (``git merge-file``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from devlore.codec.conflicts import conflict_regions
from devlore.codec.merge_base import (
    MergeConflict,
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
    set_merge,
    split_parts,
    trivial,
)
from devlore.codec.merge_health import merge_confidence, merge_growth
from devlore.codec.merge_worklogs import merge_worklog
from devlore.codec.pattern_edits import footer, rerate, without_next_steps
from devlore.codec.pattern_entry import Entry, minutes
from devlore.codec.patterns import _B_EXAMPLE, _B_FIELD, _LABEL, _MARKER, _NUMBERED, _RULE, PatternFile
from devlore.codec.text import Doc

__all__ = [
    "MergeConflict",
    "MergeError",
    "Merged",
    "conflict_regions",
    "example_text",
    "merge_confidence",
    "merge_growth",
    "merge_patterns",
    "merge_worklog",
    "renumber",
]

_EXAMPLES = ("examples", "### examples")
_SOURCES = ("source experiences", "### sources")
_RERATED = ("confidence", "level", "based on")  # rewritten from the merged count afterwards
_VALUE = re.compile(r"^(.*?:\*\*)[ \t]*(.*)$")


def merge_patterns(base: str, ours: str, theirs: str) -> Merged:
    """Merge a ``*-patterns.md`` file entry by entry (matched by slug), field by field."""
    if (same := trivial(base, ours, theirs)) is not None:
        return Merged(same)
    b, o, t = (_parse(text, side) for text, side in ((base, "base"), (ours, "ours"), (theirs, "theirs")))
    b, o, t = (pf.edited(without_next_steps(pf)) for pf in (b, o, t))
    pieces = [*_preamble(b, o, t), *_entries(b, o, t), *_tail(b, o, t)]
    doc, found = apply(o.doc, pieces)
    bom = t.doc.bom if pick(b.doc.bom, o.doc.bom, t.doc.bom) == "theirs" else o.doc.bom
    doc, found = _footer(Doc(bom=bom, lines=doc.lines), found, _later(_updated(o), _updated(t)))
    return finish(doc, found)


def _parse(text: str, side: str) -> PatternFile:
    pf = PatternFile.parse(text)
    if pf.outline.unclosed_fence is not None:
        raise MergeError(f"{side}: a code fence opened on line {pf.outline.unclosed_fence + 1} never closes")
    slugs = [e.slug for e in pf.entries]
    if len(set(slugs)) != len(slugs):
        dup = next(s for s in slugs if slugs.count(s) > 1)
        raise MergeError(f"{side}: two pattern entries share the slug '{dup}'")
    return pf


# -- text around the entries ------------------------------------------------------------------


def _bounds(pf: PatternFile) -> tuple[int, int]:
    """Where the preamble ends and the tail starts; with no entry, the point a new one goes."""
    if pf.entries:
        return pf.entries[0].start, pf.entries[-1].end
    growth = [h.line for h in pf.outline.h(2) if h.text.strip().lower() == "pattern growth tracking"]
    feet = sorted(_footer_lines(pf))
    at = growth[0] if growth else feet[0] if feet else len(pf.lines)
    return at, at


def _footer_lines(pf: PatternFile) -> dict[int, str]:
    """The footer lines every write recomputes, masked so they never count as a change."""
    f = pf.footer
    if f is None:
        return {}
    masked = {i: "**Last Updated:**" for i in [f.last_updated] if i is not None}
    masked |= {i: "**Total Patterns:**" for i in [f.total] if i is not None}
    if f.breakdown is not None:
        masked |= {i: "- <breakdown>" for i in range(*f.breakdown)}
    return masked


def _trimmed(pf: PatternFile, end: int) -> int:
    while end > 0 and not pf.lines[end - 1].strip() and end - 1 not in pf.outline.code:
        end -= 1
    return end


def _region(pf: PatternFile, start: int, end: int) -> Region:
    masked = _footer_lines(pf)
    return region(pf.lines, start, end, pf.outline.code, lambda i, s: masked.get(i, s))


def _preamble(b: PatternFile, o: PatternFile, t: PatternFile) -> list[Piece]:
    """Up to the first entry, leaving out the blank lines right before it (they separate, and a
    file without entries has none there)."""
    b_r, o_r, t_r = (_region(pf, 0, _trimmed(pf, _bounds(pf)[0])) for pf in (b, o, t))
    return merge_region(b_r, o_r, t_r, lambda _: "preamble")


def _tail(b: PatternFile, o: PatternFile, t: PatternFile) -> list[Piece]:
    b_r, o_r, t_r = (_region(pf, _bounds(pf)[1], len(pf.lines)) for pf in (b, o, t))

    def where(line: int) -> str:
        heads = [h.text for h in o.outline.h(2) if h.line <= line]
        return f"section '{heads[-1]}'" if heads else "end of file"

    return merge_region(b_r, o_r, t_r, where)


def _updated(pf: PatternFile) -> str | None:
    if pf.footer is None or pf.footer.last_updated is None:
        return None
    m = _VALUE.match(pf.lines[pf.footer.last_updated])
    return m.group(2).strip() or None if m else None


def _later(a: str | None, b: str | None) -> str | None:
    return max(x for x in (a, b) if x is not None) if a or b else None


def _footer(doc: Doc, found: list[tuple[int, str]], updated: str | None) -> tuple[Doc, list[tuple[int, str]]]:
    """Recount ``Total Patterns`` and the breakdown over the merged entries, unless the footer
    itself sits inside a conflict."""
    pf = PatternFile.parse(doc.render())
    lines = _footer_lines(pf)
    regions = conflict_regions(doc.render()) if found else []
    if not lines or any(s - 1 <= i < e for i in lines for s, e in regions):
        return doc, found
    now = updated or _updated(pf) or ""
    return apply(doc, [Piece(s.start, s.end, s.new) for s in footer(pf, now)], found)


# -- entries ------------------------------------------------------------------------------------


def _content(pf: PatternFile, e: Entry) -> tuple[str, ...]:
    return tuple(pf.lines[e.start : e.content_end])


def _entries(b: PatternFile, o: PatternFile, t: PatternFile) -> list[Piece]:
    bi, oi, ti = ({e.slug: e for e in pf.entries} for pf in (b, o, t))

    def gone(slug: str, pf: PatternFile, side: dict[str, Entry]) -> bool:
        """Only one side has it, and it is as in base: the other side deleted it."""
        return slug in bi and _content(b, bi[slug]) == _content(pf, side[slug])

    pieces: list[Piece] = []
    for e in o.entries:
        if e.slug not in ti:
            if gone(e.slug, o, oi):
                pieces.append(Piece(e.start, e.end, ()))
            continue
        pieces += _both(b, bi.get(e.slug), o, e, t, ti[e.slug])
    order = interleave(list(oi), list(ti), lambda s: s not in bi and s not in ti)
    runs: dict[str | None, list[tuple[str, ...]]] = {}
    after: str | None = None
    for slug in order:
        if slug in oi:
            after = slug
        elif not gone(slug, t, ti):
            runs.setdefault(after, []).append(_content(t, ti[slug]))
    pieces += [_insert(o, oi[a] if a else None, bodies) for a, bodies in runs.items()]
    return pieces


def _both(b: PatternFile, be: Entry | None, o: PatternFile, oe: Entry, t: PatternFile, te: Entry) -> list[Piece]:
    choice = pick(_content(b, be) if be else None, _content(o, oe), _content(t, te))
    if choice == "ours":
        return []
    if choice == "theirs":
        return [Piece(oe.start, oe.content_end, _content(t, te))]
    if oe.format != te.format:  # one side rewrote the entry in the other format: nothing to pair up
        where = f"pattern '{oe.name}'"
        return [Piece(oe.start, oe.content_end, conflict_lines(_content(o, oe), _content(t, te)), ((0, where),))]
    lines, found = _merge_entry(b, be, o, oe, t, te)
    return [Piece(oe.start, oe.content_end, tuple(lines), tuple(found))]


def _separator(pf: PatternFile) -> str:
    rules = (pf.lines[j] for e in pf.entries for j in range(e.content_end, e.end) if _RULE.match(pf.lines[j]))
    return next(rules, "---")


def _insert(o: PatternFile, after: Entry | None, bodies: list[tuple[str, ...]]) -> Piece:
    """Theirs' new entries as one run, with ``---`` separators as ``insert_entry`` writes them."""
    sep = _separator(o)
    block = [line for k, body in enumerate(bodies) for line in ((*(("", sep, "") if k else ()), *body))]
    lines = o.lines
    if after is None and o.entries:
        at = o.entries[0].start
        return Piece(at, at, (*block, "", sep, ""))
    if after is not None:
        at = after.end
        has_rule = any(_RULE.match(lines[j]) for j in range(after.content_end, after.end))
    else:
        at = _bounds(o)[0]
        has_rule = any(_RULE.match(lines[j]) for j in range(max(0, at - 3), at))
    prefix: tuple[str, ...] = ()
    if at > 0 and lines[at - 1].strip():
        prefix = ("",) if has_rule else ("", sep, "")
    elif not has_rule and after is not None:
        prefix = (sep, "")
    tail = ("", sep) if at >= len(lines) else ("", sep, "")
    return Piece(at, at, (*prefix, *block, *tail))


# -- one entry changed on both sides: field by field --------------------------------------------


def _parts(pf: PatternFile, e: Entry) -> dict[str, Part]:
    """Heading, intro, then one part per ``**Label:**`` block (A) or per ``### Section`` and
    ``- **Field:**`` line (B)."""
    code = pf.outline.code
    bounds = [(e.start, "#heading", "heading"), (e.start + 1, "#intro", "intro")]
    if e.format == "A":
        for i in range(e.start + 1, e.content_end):
            if i not in code and (m := _LABEL.match(pf.lines[i])):
                bounds.append((i, m.group(1).strip().lower(), m.group(1).strip()))
    else:
        for h in pf.outline.h(3, e.start + 1, e.content_end):
            bounds.append((h.line, f"### {h.text.strip().lower()}", h.text.strip()))
        for f in e.fields.values():
            m = _B_FIELD.match(pf.lines[f.line])
            bounds.append((f.line, f.label, m.group(1).strip() if m else f.label))
    bounds.sort(key=lambda x: x[0])
    return split_parts(pf.lines, bounds, e.content_end)


def _merge_entry(
    b: PatternFile, be: Entry | None, o: PatternFile, oe: Entry, t: PatternFile, te: Entry
) -> tuple[list[str], list[tuple[int, str]]]:
    bp = _parts(b, be) if be else {}
    op, tp = _parts(o, oe), _parts(t, te)
    order = interleave(list(op), list(tp), lambda k: k not in bp and k not in tp)
    merged = {k: out for k in order if (out := _resolve(k, bp.get(k), op.get(k), tp.get(k))) is not None}
    labels = {**tp, **op}
    lines, found = assemble(op, tp, merged, order, lambda k: f"pattern '{oe.name}', {labels[k].label}")
    # Confidence and Based on follow the merged examples (docs/FORMAT.md, '2.4 Confidence is
    # evidence'), as add_example does.
    mini = PatternFile.parse("\n".join(lines) + "\n")
    entry = mini.entries[0] if mini.entries and mini.entries[0].start == 0 else None
    if entry is None:
        return lines, found
    splices = rerate(mini, entry, len(entry.examples))
    doc, found = apply(mini.doc, [Piece(s.start, s.end, s.new) for s in splices], found)
    return doc.bodies(), found


def _resolve(key: str, b: Part | None, o: Part | None, t: Part | None) -> Outcome | None:
    if o is None or t is None:
        one = o or t
        if one is None or (b is not None and b.body == one.body):
            return None  # absent on both, or deleted on one side and untouched on the other
        return one.body, False  # new on one side, or changed there and deleted on the other: kept
    choice = pick(b.body if b else None, o.body, t.body)
    if choice == "ours" or (choice == "conflict" and key == "#heading"):
        return o.body, False
    if choice == "theirs":
        return t.body, False
    if (field_rule := _FIELD_RULES.get(re.sub(r"#\d+$", "", key))) is not None:
        return field_rule(b, o, t), False
    if b is None:  # added on both sides under one label: it merges, keeping both texts
        return _both_texts(o, t, labelled=key != "#intro"), False
    return conflict_lines(o.body, t.body), True


def _both_texts(o: Part, t: Part, labelled: bool) -> tuple[str, ...]:
    if not labelled:
        return (*o.body, "", *t.body)
    first = _VALUE.match(t.body[0]) if t.body else None
    value = first.group(2).strip() if first else ""
    if len(o.body) == 1 and len(t.body) == 1 and value:
        return (f"{o.body[0].rstrip()} / {value}",)
    return (*o.body, "", *((value,) if value else ()), *t.body[1:])


def _items(body: tuple[str, ...], start: Callable[[str], str | None]) -> tuple[list[str], list[tuple[str, ...]]]:
    """Lines before the first item (the label), and the items, each with its own lines."""
    head: list[str] = []
    items: list[list[str]] = []
    for line in body:
        if start(line) is not None:
            items.append([line])
        elif items:
            items[-1].append(line)
        else:
            head.append(line)
    return head, [tuple(_strip(x)) for x in items]


def _strip(lines: list[str]) -> list[str]:
    while len(lines) > 1 and not lines[-1].strip():
        lines.pop()
    return lines


def example_text(line: str) -> str | None:
    if m := _NUMBERED.match(line):
        return m.group(2).strip()
    if m := _B_EXAMPLE.match(line):
        return m.group(3).strip()
    return None


def renumber(line: str, n: int) -> str:
    if _NUMBERED.match(line):
        return re.sub(r"^\d+", str(n), line, count=1)
    return re.sub(r"^([-*]\s+Example\s+)\d+", rf"\g<1>{n}", line, count=1)


def _examples(b: Part | None, o: Part, t: Part) -> tuple[str, ...]:
    """The union of both sides' examples (ours' order, then theirs' new), numbered 1..n."""

    def keyed(p: Part) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        items = _items(p.body, example_text)[1]
        return [((example_text(x[0]) or "", *(s.strip() for s in x[1:])), x) for x in items]

    merged = set_merge(keyed(b) if b else None, keyed(o), keyed(t))
    lines = [line for n, item in enumerate(merged, 1) for line in (renumber(item[0], n), *item[1:])]
    return (*_items(o.body, example_text)[0], *lines)


def _source(line: str) -> str | None:
    return line.strip() or None


def _sources(b: Part | None, o: Part, t: Part) -> tuple[str, ...]:
    """The union of the source lines; a ``[... and N more ...]`` marker stays last."""

    def keyed(p: Part) -> list[tuple[str, str]]:
        return [(x[0].strip(), x[0]) for x in _items(p.body[1:], _source)[1]]

    merged = set_merge(keyed(b) if b else None, keyed(o), keyed(t))
    marker = [x for x in merged if _MARKER.match(x.strip().lstrip("-* ").strip())]
    return (o.body[0], *(x for x in merged if x not in marker), *marker)


def _value(p: Part | None) -> str:
    m = _VALUE.match(p.body[0]) if p and p.body else None
    return m.group(2).strip() if m else ""


def _reinforced(b: Part | None, o: Part, t: Part) -> tuple[str, ...]:
    return t.body if _value(t) > _value(o) else o.body


def _saved(b: Part | None, o: Part, t: Part) -> tuple[str, ...]:
    """``Total saved``: what each side added to the base total, both kept."""
    total = (minutes(_value(o)) or 0) + (minutes(_value(t)) or 0) - (minutes(_value(b)) or 0)
    m = _VALUE.match(o.body[0])
    head = m.group(1) if m else "- **Total saved:**"
    return (f"{head} {max(total, 0)} min", *o.body[1:])


def _rerated(b: Part | None, o: Part, t: Part) -> tuple[str, ...]:
    return o.body


_FIELD_RULES: dict[str, Callable[[Part | None, Part, Part], tuple[str, ...]]] = {
    **dict.fromkeys(_EXAMPLES, _examples),
    **dict.fromkeys(_SOURCES, _sources),
    **dict.fromkeys(_RERATED, _rerated),
    "last reinforced": _reinforced,
    "total saved": _saved,
}
