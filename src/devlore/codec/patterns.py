"""Pattern files: find the entries (formats A and B), read their evidence, edit them in place.

Parsing never changes text: a ``PatternFile`` keeps the ``Doc`` it came from, and every edit
is a list of ``Splice``s over its lines, so an operation touches only the lines it is about.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from devlore.codec.frontmatter import span as frontmatter_span
from devlore.codec.pattern_entry import Entry, ExampleLine, FieldLine
from devlore.codec.structure import Heading, Outline, outline
from devlore.codec.text import Doc, Splice, bodies
from devlore.model import LEVELS

__all__ = ["Footer", "PatternFile"]

_LABEL = re.compile(r"^\*\*([^*\n]+?):\*\*[ \t]*(.*)$")
_B_FIELD = re.compile(r"^[-*]\s+\*\*([^*\n]+?):\*\*[ \t]*(.*)$")
_NUMBERED = re.compile(r"^(\d+)[.)]\s+(.*)$")
_B_EXAMPLE = re.compile(r"^[-*]\s+Example\s+(\d+)\b\s*(?:\(([^)]*)\))?\s*:?\s*(.*)$")
_BULLET = re.compile(r"^[-*]\s+(.*)$")
_RULE = re.compile(r"^ {0,3}(?:-{3,}|\*{3,}|_{3,})\s*$")
_DATE = re.compile(r"\((\d{4}-\d{2}(?:-\d{2})?)\)")
_MARKER = re.compile(r"^\[\.\.\..*\]$")
_BREAKDOWN = re.compile(rf"^[-*]\s+({'|'.join(LEVELS)})\b")  # a footer line such as "- HIGH: 3"


@dataclass(frozen=True)
class Footer:
    last_updated: int | None
    total: int | None
    breakdown: tuple[int, int] | None  # the span of "- HIGH: …" lines


@dataclass
class PatternFile:
    doc: Doc
    lines: list[str]
    outline: Outline
    entries: list[Entry] = field(default_factory=list)
    footer: Footer | None = None
    _lookup: dict[str, dict[str, list[Entry]]] | None = field(default=None, compare=False, repr=False)

    def lookup(self, key: Literal["name", "lower", "slug"]) -> dict[str, list[Entry]]:
        """Entries by exact name, lower-cased name or slug (built once per parse)."""
        if self._lookup is None:
            table: dict[str, dict[str, list[Entry]]] = {"name": {}, "lower": {}, "slug": {}}
            for e in self.entries:
                table["name"].setdefault(e.name, []).append(e)
                table["lower"].setdefault(e.name.lower(), []).append(e)
                table["slug"].setdefault(e.slug, []).append(e)
            self._lookup = table
        return self._lookup[key]

    @classmethod
    def parse(cls, text: str) -> PatternFile:
        doc = Doc.parse(text)
        lines = doc.bodies()
        span = frontmatter_span(lines)
        scanned = [("" if i <= span[1] else x) for i, x in enumerate(lines)] if span else lines
        pf = cls(doc=doc, lines=lines, outline=outline(scanned))
        pf.entries = list(pf._entries(pf.outline.h(2)))
        pf.footer = pf._footer()
        return pf

    def _entries(self, heads: Sequence[Heading], stop: int | None = None) -> Iterator[Entry]:
        """The entries under ``heads`` (H2s in order); the last one runs to ``stop``."""
        for i, head in enumerate(heads):
            end = heads[i + 1].line if i + 1 < len(heads) else len(self.lines) if stop is None else stop
            entry = self._entry(head.text, head.line, end)
            if entry is not None:
                yield entry

    def edited(self, edits: Sequence[Splice]) -> PatternFile:
        """This file after ``edits``, parsed again only where the edits are.

        Equal to ``PatternFile.parse`` of the new text (property-tested), but only the H2
        sections that hold an edit are scanned; everything between them moves by the lines the
        edits before it added. An edit that could change structure further away (a fence left
        open, a frontmatter, a file already unsound) takes the full parse.
        """
        if not edits:
            return self
        doc = self.doc.splice(edits)
        if self.outline.unclosed_fence is not None or frontmatter_span(self.lines):
            return PatternFile.parse(doc.render())
        old = self.outline
        lines: list[str] = []
        heads: list[Heading] = []
        code: set[int] = set()
        kept: list[tuple[int, int, int]] = []  # old lines [start, stop) that moved by a shift
        scanned: list[tuple[list[Heading], int]] = []  # a region's new H2s and its new end
        at = delta = 0
        for lo, hi, grown in self._regions(edits):
            kept.append((at, lo, delta))
            lines += self.lines[at:lo]
            heads += (Heading(h.line + delta, h.level, h.text) for h in old.headings if at <= h.line < lo)
            code.update(c + delta for c in old.code if at <= c < lo)
            base = lo + delta
            region = bodies(doc.lines[base : hi + delta + grown])
            part = outline(region)
            if part.unclosed_fence is not None:
                return PatternFile.parse(doc.render())
            new = [Heading(h.line + base, h.level, h.text) for h in part.headings]
            scanned.append(([h for h in new if h.level == 2], base + len(region)))
            lines += region
            heads += new
            code.update(c + base for c in part.code)
            at, delta = hi, delta + grown
        kept.append((at, len(self.lines), delta))
        lines += self.lines[at:]
        heads += (Heading(h.line + delta, h.level, h.text) for h in old.headings if h.line >= at)
        code.update(c + delta for c in old.code if c >= at)
        if frontmatter_span(lines):  # the edit made the first line a frontmatter fence
            return PatternFile.parse(doc.render())
        pf = PatternFile(doc=doc, lines=lines, outline=Outline(headings=tuple(heads), code=frozenset(code)))
        for i, (start, stop, shift) in enumerate(kept):
            pf.entries += (e.moved(shift) for e in self.entries if start <= e.start < stop)
            if i < len(scanned):
                pf.entries += pf._entries(*scanned[i])
        pf.footer = pf._footer()
        return pf

    def _regions(self, edits: Sequence[Splice]) -> list[tuple[int, int, int]]:
        """The H2 sections ``[lo, hi)`` that hold the edits, merged where they overlap, each
        with the lines its edits add. ``lo`` is an untouched H2 (or 0), so a scan from it
        starts fresh; ``hi`` is the next untouched H2 (or the end)."""
        bounds = [h.line for h in self.outline.headings if h.level == 2]
        regions: list[list[int]] = []
        for e in sorted(edits, key=lambda e: (e.start, e.end)):
            k = bisect_right(bounds, e.start - 1)
            lo = bounds[k - 1] if e.start > 0 and k else 0
            j = bisect_left(bounds, e.end)
            hi = bounds[j] if j < len(bounds) else len(self.lines)
            grown = len(e.new) - (e.end - e.start)
            if regions and lo < regions[-1][1]:
                regions[-1][1] = max(regions[-1][1], hi)
                regions[-1][2] += grown
            else:
                regions.append([lo, hi, grown])
        return [(lo, hi, grown) for lo, hi, grown in regions]

    # -- reading ---------------------------------------------------------------------------

    def _is_text(self, i: int) -> bool:
        return i not in self.outline.code

    def _content_end(self, start: int, end: int) -> int:
        j = end
        while j > start + 1 and (not self.lines[j - 1].strip() or _RULE.match(self.lines[j - 1])):
            if _RULE.match(self.lines[j - 1]) and not self._is_text(j - 1):
                break
            j -= 1
        return j

    def _entry(self, name: str, start: int, end: int) -> Entry | None:
        end = self._entry_end(start, end)
        labels = [
            (i, m.group(1).strip().lower(), m.group(2))
            for i in range(start + 1, end)
            if self._is_text(i) and (m := _LABEL.match(self.lines[i]))
        ]
        if any(label == "confidence" for _, label, _ in labels):
            return self._entry_a(name, start, end, labels)
        h3 = {h.text.strip().lower(): h.line for h in self.outline.h(3, start + 1, end)}
        if "confidence" in h3:
            return self._entry_b(name, start, end, h3)
        return None

    def _entry_end(self, start: int, end: int) -> int:
        """An entry ends with its ``---`` separator and the blank lines after it; whatever follows
        before the next heading (a footer, say) belongs to the file, not to the entry."""
        rule = next((j for j in range(start + 1, end) if self._is_text(j) and _RULE.match(self.lines[j])), None)
        if rule is None:
            return end
        stop = rule + 1
        while stop < end and not self.lines[stop].strip():
            stop += 1
        return stop

    def _block_end(self, first: int, stop: int) -> int:
        """One past the last non-blank line of a block that runs from ``first`` to ``stop``."""
        j = stop
        while j > first + 1 and not self.lines[j - 1].strip():
            j -= 1
        return j

    def _entry_a(self, name: str, start: int, end: int, labels: list[tuple[int, str, str]]) -> Entry:
        content_end = self._content_end(start, end)
        fields: dict[str, FieldLine] = {}
        blocks: dict[str, tuple[int, int]] = {}
        for k, (i, label, value) in enumerate(labels):
            if value.strip():
                fields.setdefault(label, FieldLine(i, label, value))
            stop = labels[k + 1][0] if k + 1 < len(labels) else content_end
            stop = next((j for j in range(i + 1, stop) if self._is_text(j) and _RULE.match(self.lines[j])), stop)
            blocks.setdefault(label, (i, self._block_end(i, stop)))
        examples: list[ExampleLine] = []
        anchor: int | None = None
        if "examples" in blocks:
            first, stop = blocks["examples"]
            for j in range(first + 1, stop):
                if self._is_text(j) and (m := _NUMBERED.match(self.lines[j])):
                    text = m.group(2).strip()
                    examples.append(ExampleLine(j, int(m.group(1)), text, _date_in(text)))
            anchor = stop - 1
        sources, source_anchor, truncated = self._sources(blocks.get("source experiences"), _BULLET)
        return Entry(
            name,
            "A",
            start,
            end,
            content_end,
            fields,
            blocks,
            tuple(examples),
            anchor,
            sources,
            source_anchor,
            truncated,
        )

    def _sources(
        self, block: tuple[int, int] | None, pattern: re.Pattern[str]
    ) -> tuple[tuple[str, ...], int | None, bool]:
        if block is None:
            return (), None, False
        first, stop = block
        sources: list[str] = []
        anchor = first
        truncated = False
        for j in range(first + 1, stop):
            m = pattern.match(self.lines[j]) if self._is_text(j) else None
            if not m:
                continue
            text = m.group(1).strip()
            if _MARKER.match(text):
                truncated = True
                continue
            sources.append(text)
            if not truncated:
                anchor = j
        return tuple(sources), anchor, truncated

    def _entry_b(self, name: str, start: int, end: int, h3: dict[str, int]) -> Entry:
        content_end = self._content_end(start, end)
        heads = sorted(h3.values())
        sections: dict[str, tuple[int, int]] = {}
        for title, line in h3.items():
            stop = next((h for h in heads if h > line), content_end)
            sections[title] = (line, self._block_end(line, min(stop, content_end)))
        fields: dict[str, FieldLine] = {}
        for title in ("confidence", "time savings"):
            if title in sections:
                first, stop = sections[title]
                for j in range(first + 1, stop):
                    if self._is_text(j) and (m := _B_FIELD.match(self.lines[j])):
                        label = m.group(1).strip().lower()
                        fields.setdefault(label, FieldLine(j, label, m.group(2)))
        examples: list[ExampleLine] = []
        anchor: int | None = None
        if "examples" in sections:
            first, stop = sections["examples"]
            for j in range(first + 1, stop):
                if self._is_text(j) and (m := _B_EXAMPLE.match(self.lines[j])):
                    examples.append(ExampleLine(j, int(m.group(1)), m.group(3).strip(), m.group(2)))
            anchor = stop - 1
        sources, source_anchor, truncated = self._sources(sections.get("sources"), _BULLET)
        return Entry(
            name,
            "B",
            start,
            end,
            content_end,
            fields,
            sections,
            tuple(examples),
            anchor,
            sources,
            source_anchor,
            truncated,
        )

    def _outside(self) -> Iterator[int]:
        """The lines that belong to no entry."""
        at = 0
        for e in self.entries:
            yield from range(at, e.start)
            at = e.end
        yield from range(at, len(self.lines))

    def _footer(self) -> Footer | None:
        last = total = None
        breakdown: tuple[int, int] | None = None
        for i in self._outside():
            line = self.lines[i]
            if not line.startswith("**") or not self._is_text(i):
                continue
            if line.startswith("**Last Updated:**"):
                last = i
            elif line.startswith("**Total Patterns:**"):
                total = i
            elif line.startswith("**Confidence Breakdown:**"):
                j = i + 1
                while j < len(self.lines) and _BREAKDOWN.match(self.lines[j]):
                    j += 1
                breakdown = (i + 1, j)
        if total is None and breakdown is None:
            return None
        return Footer(last, total, breakdown)


def _date_in(text: str) -> str | None:
    m = _DATE.search(text)
    return m.group(1) if m else None
