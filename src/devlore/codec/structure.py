"""Where the headings and fenced code blocks are, found by markdown-it-py.

Only the block rules that decide structure are enabled (fences, indented code, ATX
headings, paragraphs), which keeps a 1 MB file to about a tenth of a second. Setext
headings are ignored on purpose: a ``---`` under a line is an entry separator in these
files, never a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

__all__ = ["Heading", "Outline", "outline"]


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


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt  # imported on first use: keeps server start-up lean

    md = MarkdownIt("zero")
    md.enable(["fence", "code", "heading"])
    md.disable(["inline", "text_join"])
    return md


def outline(bodies: list[str]) -> Outline:
    """Outline of a document given as line bodies (no endings)."""
    # A lone "\r" would count as a line break for markdown-it and shift every line number.
    source = "\n".join(b.replace("\r", " ") for b in bodies)
    headings: list[Heading] = []
    code: set[int] = set()
    unclosed: int | None = None
    tokens = _parser().parse(source)
    for i, tok in enumerate(tokens):
        if tok.map is None or tok.level != 0:
            continue
        if tok.type in ("fence", "code_block"):
            code.update(range(tok.map[0], tok.map[1]))
            if tok.type == "fence" and unclosed is None and not _sound(bodies, tok.map, tok.markup):
                unclosed = tok.map[0]
        elif tok.type == "heading_open" and tok.markup.startswith("#"):
            text = tokens[i + 1].content.strip() if i + 1 < len(tokens) else ""
            headings.append(Heading(line=tok.map[0], level=len(tok.markup), text=text))
    return Outline(headings=tuple(headings), code=frozenset(code), unclosed_fence=unclosed)


def _sound(bodies: list[str], span: list[int], markup: str) -> bool:
    """The fence closes, and nothing inside it opens another fence (``\u0060\u0060\u0060python``): such
    a line can only mean the fence before it was left open and a later one closed it."""
    if not _closes(bodies, span, markup):
        return False
    opener = re.compile(rf"^ {{0,3}}{re.escape(markup[0])}{{{len(markup)},}}[^{re.escape(markup[0])}\s]")
    return not any(opener.match(bodies[i]) for i in range(span[0] + 1, span[1] - 1))


def _closes(bodies: list[str], span: list[int], markup: str) -> bool:
    last = span[1] - 1
    if last <= span[0] or last >= len(bodies):
        return False
    closing = bodies[last].strip()
    return closing.startswith(markup) and not closing.strip(markup[0])
