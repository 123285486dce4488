"""The two brain-health files, updated section by section so a person's notes in them stay.

``pattern-confidence.md``: the bodies of the three level sections are regenerated.
``growth-log.md``: one ``## Week of <Monday>`` section per week, newest first; each write
adds its events to the current week and refreshes the stats line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from devlore.codec.structure import outline
from devlore.codec.text import Doc, Splice
from devlore.model import Level

__all__ = ["SECTIONS", "confidence_text", "growth_text", "listed_levels"]

SECTIONS: dict[Level, str] = {  # highest first, as the file lists them
    "HIGH": "High Confidence (5+ examples)",
    "MEDIUM": "Medium Confidence (2-4 examples)",
    "LOW": "Low Confidence (1 example)",
}
_NONE = "- None this week"
_SAVED = re.compile(r"~?\s*(\d+)\s*min")
_ROW = re.compile(r"^- (.+) \(\d+ examples?, ")


def _sections(doc: Doc) -> list[tuple[int, int, str]]:
    lines = doc.bodies()
    heads = outline(lines).h(2)
    return [
        (h.line, heads[i + 1].line if i + 1 < len(heads) else len(lines), h.text.strip()) for i, h in enumerate(heads)
    ]


def confidence_text(old: str | None, rows: dict[str, list[str]]) -> str:
    """Regenerate the three level sections; everything else in the file stays as it was."""
    if old is None:
        old = "# Pattern Confidence\n"
    doc = Doc.parse(old)
    found = {title.lower(): (start, end) for start, end, title in _sections(doc)}
    splices: list[Splice] = []
    missing: list[str] = []
    for level, title in SECTIONS.items():
        body = rows.get(level) or ["- None"]
        key = next((k for k in found if k.startswith(title.split(" (")[0].lower())), None)
        if key is None:
            missing += ["", f"## {title}", *body]
            continue
        start, end = found[key]
        tail = [""] if end < len(doc.lines) else []
        splices.append(Splice(start + 1, end, (*body, *tail)))
    if missing:
        at = len(doc.lines)
        splices.append(Splice(at, at, tuple(missing[1:] if not doc.lines else missing)))
    return doc.splice(splices).render()


def listed_levels(text: str | None) -> dict[str, list[Level]]:
    """Each pattern name ``pattern-confidence.md`` lists, with the levels it is listed under
    (two files may hold patterns of one name)."""
    if not text:
        return {}
    doc = Doc.parse(text)
    lines = doc.bodies()
    out: dict[str, list[Level]] = {}
    for start, end, title in _sections(doc):
        level = next((lv for lv, t in SECTIONS.items() if title.lower().startswith(t.split(" (")[0].lower())), None)
        for line in lines[start + 1 : end] if level else ():
            if m := _ROW.match(line):
                out.setdefault(m.group(1), []).append(level)  # type: ignore[arg-type]
    return out


def _week_section(monday: str) -> list[str]:
    return [
        f"## Week of {monday}",
        "",
        "**Patterns learned:**",
        _NONE,
        "",
        "**Patterns reinforced:**",
        _NONE,
        "",
        "**Brain stats:** -",
        "**Time saved:** ~0 min this week",
        "",
    ]


def _ensure_week(old: str | None, monday: str) -> Doc:
    doc = Doc.parse(old if old is not None else "# Growth Log\n\n")
    weeks = [(s, e, t) for s, e, t in _sections(doc) if t.startswith("Week of")]
    if any(t == f"Week of {monday}" for _, _, t in weeks):
        return doc
    at = weeks[0][0] if weeks else len(doc.lines)
    section = _week_section(monday)
    if not weeks:
        lines = doc.bodies()
        if lines and lines[-1].strip():
            section = ["", *section]
        section = section[:-1]
    return doc.splice([Splice(at, at, tuple(section))])


def growth_text(
    old: str | None,
    monday: str,
    learned: Sequence[str],
    reinforced: Sequence[str],
    stats: str,
    minutes: int,
    revised: Sequence[str] = (),
) -> str:
    """Add this write's events to the week of ``monday`` (creating it) and refresh its stats.
    ``revised`` (demotions, merges, splits) goes under ``**Patterns revised:**``, a label added
    after the reinforced ones the first time a week has such an event."""
    doc = _ensure_week(old, monday)
    lines = doc.bodies()
    start, end = next((s, e) for s, e, t in _sections(doc) if t == f"Week of {monday}")
    splices: list[Splice] = []
    for label, items in (("**Patterns learned:**", learned), ("**Patterns reinforced:**", reinforced)):
        if items:
            splices += _append_items(lines, start, end, label, [f"- {i}" for i in items])
    if revised:
        splices += _append_items(
            lines, start, end, "**Patterns revised:**", [f"- {i}" for i in revised], _after(lines, start, end)
        )
    for j in range(start, end):
        if lines[j].startswith("**Brain stats:**"):
            splices.append(Splice(j, j + 1, (f"**Brain stats:** {stats}",)))
        elif lines[j].startswith("**Time saved:**") and minutes:
            m = _SAVED.search(lines[j])
            total = (int(m.group(1)) if m else 0) + minutes
            splices.append(Splice(j, j + 1, (f"**Time saved:** ~{total} min this week",)))
    return doc.splice(splices).render()


def _after(lines: list[str], start: int, end: int) -> int:
    """The line after the week's reinforced items (else after its heading)."""
    head = next((j for j in range(start, end) if lines[j].startswith("**Patterns reinforced:**")), None)
    if head is None:
        return start + 1
    j = head + 1
    while j < end and lines[j].startswith("- "):
        j += 1
    return j


def _append_items(
    lines: list[str], start: int, end: int, label: str, items: list[str], missing: int | None = None
) -> list[Splice]:
    head = next((j for j in range(start, end) if lines[j].startswith(label)), None)
    if head is None:
        at = start + 1 if missing is None else missing
        return [Splice(at, at, ("", label, *items))]
    j = head + 1
    while j < end and lines[j].startswith("- "):
        j += 1
    if j == head + 2 and lines[head + 1].strip() == _NONE:
        return [Splice(head + 1, head + 2, tuple(items))]
    return [Splice(j, j, tuple(items))]
