"""Unresolved git conflict markers in a brain file: where they are, and in which entry.

A marker is ``<<<<<<<`` or ``>>>>>>>`` (exactly seven, then a space, a tab or the line's end)
outside code blocks. A bare ``=======`` is never one on its own: it is also a setext heading
underline, and in a real conflict the ``<<<<<<<`` line above it is found first.
"""

from __future__ import annotations

import re

from devlore.codec.patterns import PatternFile
from devlore.codec.structure import outline
from devlore.codec.text import Doc
from devlore.codec.worklogs import WorkLog
from devlore.layout import kind_of
from devlore.model import Problem

__all__ = ["conflict_marker_line", "conflict_problem", "conflict_regions"]

_OPEN = re.compile(r"^<{7}(?:[ \t]|$)")
_CLOSE = re.compile(r"^>{7}(?:[ \t]|$)")


def _marker_lines(text: str) -> list[tuple[int, str]]:
    """``(0-based line, "<" or ">")`` of every marker outside code."""
    lines = Doc.parse(text).bodies()
    code = outline(lines).code
    return [
        (i, line[0])
        for i, line in enumerate(lines)
        if line[:1] in ("<", ">") and i not in code and (_OPEN.match(line) or _CLOSE.match(line))
    ]


def conflict_marker_line(text: str) -> int | None:
    """The 1-based line of the first conflict marker, or None; a half-removed conflict (only its
    ``>>>>>>>`` left) counts."""
    if "<<<<<<<" not in text and ">>>>>>>" not in text:
        return None
    found = _marker_lines(text)
    return found[0][0] + 1 if found else None


def conflict_regions(text: str) -> list[tuple[int, int]]:
    """1-based ``(start, end)`` lines of each ``<<<<<<<`` ... ``>>>>>>>`` block."""
    if "<<<<<<<" not in text:
        return []
    found: list[tuple[int, int]] = []
    start: int | None = None
    for i, side in _marker_lines(text):
        if start is None and side == "<":
            start = i
        elif start is not None and side == ">":
            found.append((start + 1, i + 1))
            start = None
    return found


def conflict_problem(rel: str, text: str) -> Problem | None:
    """An unresolved merge conflict in the brain file ``rel``, named by the pattern or work-log entry
    that holds it; None when there is none."""
    regions = conflict_regions(text)
    if not regions:
        return None
    start, end = regions[0]
    where = ""
    kind = kind_of(rel)
    if kind == "pattern":
        entry = next((e for e in PatternFile.parse(text).entries if e.start < start <= e.end), None)
        where = f" in pattern '{entry.name}'" if entry else ""
    elif kind == "worklog":
        wl = next((e for e in WorkLog.parse(text).entries if e.start < start <= e.end), None)
        where = f" in v{wl.version} ({wl.title})" if wl else ""
    more = f" ({len(regions) - 1} more after it)" if len(regions) > 1 else ""
    return Problem(
        path=rel,
        line=start,
        reason=f"unresolved merge conflict{where}, lines {start}-{end}{more}: keep the right text, delete the "
        "<<<<<<< ======= >>>>>>> lines, then `git add` the file",
    )
