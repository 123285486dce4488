"""A small markdown renderer for pattern entries and notes: headings, paragraphs, lists, code
blocks, ``**bold**`` and `` `code` ``. Every piece of text is escaped first; links are shown as
their text and address, never made clickable, so a ``javascript:`` link stays words."""

from __future__ import annotations

import re

from devlore.board.markup import Html, esc, h, join

__all__ = ["render_markdown"]

_HEAD = re.compile(r"^(#{1,6})\s+(.*)$")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_CODE = re.compile(r"`([^`]+)`")


def _inline(text: str) -> Html:
    """Escape, then mark up: the patterns match escaped text, so no raw character survives."""
    out = str(esc(text))
    out = _CODE.sub(lambda m: f"<code>{m.group(1)}</code>", out)
    out = _BOLD.sub(lambda m: f"<strong>{m.group(1)}</strong>", out)
    return Html(out)


class _Renderer:
    def __init__(self, top: int) -> None:
        self.top = top
        self.parts: list[Html] = []
        self.para: list[str] = []
        self.items: list[Html] = []
        self.code: list[str] | None = None

    def flush(self) -> None:
        if self.para:
            self.parts.append(h("<p>{t}</p>", t=_inline(" ".join(self.para))))
            self.para.clear()
        if self.items:
            self.parts.append(h("<ul>{i}</ul>", i=list(self.items)))
            self.items.clear()

    def end_code(self) -> None:
        self.parts.append(h("<pre><code>{c}</code></pre>", c="\n".join(self.code or [])))
        self.code = None

    def line(self, line: str) -> None:
        fence = line.lstrip().startswith("```")
        if self.code is not None:
            self.end_code() if fence else self.code.append(line)
        elif fence:
            self.flush()
            self.code = []
        elif m := _HEAD.match(line):
            self.flush()
            level = min(len(m.group(1)) + self.top - 1, 6)
            self.parts.append(Html(f"<h{level}>{_inline(m.group(2))}</h{level}>"))
        elif m := _ITEM.match(line):
            if self.para:
                self.flush()
            self.items.append(h("<li>{t}</li>", t=_inline(m.group(1))))
        elif not line.strip() or line.strip() == "---":
            self.flush()
        else:
            if self.items:
                self.flush()
            self.para.append(line.strip())


def render_markdown(text: str, top: int = 3) -> Html:
    """``text`` as HTML; headings start at ``<h{top}>`` so the page keeps one ``<h1>``."""
    r = _Renderer(top)
    for line in text.splitlines():
        r.line(line)
    r.flush()
    if r.code is not None:
        r.end_code()
    return join(r.parts)
