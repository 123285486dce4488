"""Where the headings and code blocks are: the document structure every codec relies on.

Setext headings are ignored on purpose: a ``---`` under a line is an entry separator in
these files, never a heading. markdown-it-py (restricted to the same block rules) was the
first implementation and is now the test oracle; this scanner does the same work several
times faster, which matters because every write parses its whole file (docs/DECISIONS.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Heading", "Outline", "outline"]

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t](.*))?$")
_CLOSING = re.compile(r"(?:^|[ \t])#+[ \t]*$")


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    text: str


@dataclass(frozen=True)
class Outline:
    """ATX headings outside code, and which lines are code (fenced or indented)."""

    headings: tuple[Heading, ...]
    code: frozenset[int]
    unclosed_fence: int | None = None  # line of a fence that never closes (or closes too late)

    def h(self, level: int, start: int = 0, end: int | None = None) -> list[Heading]:
        return [h for h in self.headings if h.level == level and h.line >= start and (end is None or h.line < end)]


def _indent(line: str) -> int:
    """Columns of leading whitespace, tabs stopping at multiples of four (CommonMark)."""
    col = 0
    for ch in line:
        if ch == " ":
            col += 1
        elif ch == "\t":
            col += 4 - col % 4
        else:
            break
    return col


def _blank(line: str) -> bool:
    return not line.strip(" \t")


def _heading_text(rest: str | None) -> str:
    text = (rest or "").strip(" \t")
    m = _CLOSING.search(text)
    if m:
        text = text[: m.start()]
    return text.strip(" \t")


def outline(bodies: list[str]) -> Outline:
    """Outline of a document given as line bodies (no endings).

    A line scanner for the CommonMark block rules that decide structure here: fenced code,
    indented code (which cannot interrupt a paragraph), ATX headings and paragraphs. Lists,
    quotes, HTML and setext headings are not structure in these files.
    """
    headings: list[Heading] = []
    code: set[int] = set()
    unclosed: int | None = None
    in_paragraph = False
    i, n = 0, len(bodies)
    while i < n:
        line = bodies[i]
        if _blank(line):
            in_paragraph = False
            i += 1
        elif _indent(line) >= 4:
            i = i + 1 if in_paragraph else _indented_code(bodies, i, code)
        elif (fence := _FENCE.match(line)) and not (fence.group(2)[0] == "`" and "`" in fence.group(3)):
            stop = min(_fence_end(bodies, i, fence.group(2)) + 1, n)
            code.update(range(i, stop))
            if unclosed is None and not _sound(bodies, i, stop, fence.group(2)):
                unclosed = i
            in_paragraph = False
            i = stop
        else:
            heading = _ATX.match(line)
            if heading:
                headings.append(Heading(line=i, level=len(heading.group(1)), text=_heading_text(heading.group(2))))
            in_paragraph = heading is None
            i += 1
    return Outline(headings=tuple(headings), code=frozenset(code), unclosed_fence=unclosed)


def _indented_code(bodies: list[str], start: int, code: set[int]) -> int:
    """Mark an indented code block from ``start``; returns the line after its last code line."""
    last = j = start
    while j < len(bodies) and (_blank(bodies[j]) or _indent(bodies[j]) >= 4):
        if not _blank(bodies[j]):
            last = j
        j += 1
    code.update(range(start, last + 1))
    return last + 1


def _fence_end(bodies: list[str], start: int, markup: str) -> int:
    """Index of the closing fence line, or ``len(bodies)`` when the fence never closes."""
    closing = re.compile(rf"^ {{0,3}}{re.escape(markup[0])}{{{len(markup)},}}[ \t]*$")
    for j in range(start + 1, len(bodies)):
        if closing.match(bodies[j]):
            return j
    return len(bodies)


def _sound(bodies: list[str], start: int, stop: int, markup: str) -> bool:
    """The fence closes, and nothing inside it opens another fence (three backticks and a
    language): such a line means the fence before it was left open and a later one closed it."""
    if stop - 1 <= start or stop > len(bodies) or _fence_end(bodies, start, markup) >= len(bodies):
        return False
    char = re.escape(markup[0])
    opener = re.compile(rf"^ {{0,3}}{char}{{{len(markup)},}}[^{char}\s]")
    return not any(opener.match(bodies[i]) for i in range(start + 1, stop - 1))
