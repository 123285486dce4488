"""Pattern files: find the entries (formats A and B), read their evidence, edit them in place.

Parsing never changes text: a ``PatternFile`` keeps the ``Doc`` it came from, and every edit
is a list of ``Splice``s over its lines, so an operation touches only the lines it is about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from devlore.codec.frontmatter import span as frontmatter_span
from devlore.codec.structure import Outline, outline
from devlore.codec.text import Doc
from devlore.model import LEVELS, Level, evidence_level

__all__ = ["Entry", "ExampleLine", "Footer", "PatternFile", "slugify"]

_LABEL = re.compile(r"^\*\*([^*\n]+?):\*\*[ \t]*(.*)$")
_B_FIELD = re.compile(r"^[-*]\s+\*\*([^*\n]+?):\*\*[ \t]*(.*)$")
_NUMBERED = re.compile(r"^(\d+)[.)]\s+(.*)$")
_B_EXAMPLE = re.compile(r"^[-*]\s+Example\s+(\d+)\b\s*(?:\(([^)]*)\))?\s*:?\s*(.*)$")
_BULLET = re.compile(r"^[-*]\s+(.*)$")
_RULE = re.compile(r"^ {0,3}(?:-{3,}|\*{3,}|_{3,})\s*$")
_DATE = re.compile(r"\((\d{4}-\d{2}(?:-\d{2})?)\)")
_MARKER = re.compile(r"^\[\.\.\..*\]$")
_MINUTES = re.compile(r"(\d+(?:\.\d+)?)\s*(h|hr|hrs|hours?|m|min|mins|minutes?)\b", re.I)


def slugify(name: str) -> str:
    """SPEC §3.5: lower-case, whitespace to ``-``, keep ``[a-z0-9-]``, collapse and trim ``-``."""
    slug = re.sub(r"\s+", "-", name.lower())
    slug = re.sub(r"[^a-z0-9-]", "", slug)
    return re.sub(r"-{2,}", "-", slug).strip("-")


def minutes(value: str | None) -> int | None:
    """``~30 minutes (why)`` -> 30, ``~1.5 hours`` -> 90; None when no duration is written."""
    if not value:
        return None
    m = _MINUTES.search(value)
    if not m:
        return None
    amount = float(m.group(1))
    return round(amount * 60) if m.group(2).lower().startswith("h") else round(amount)


@dataclass(frozen=True)
class ExampleLine:
    line: int
    number: int | None
    text: str
    date: str | None


@dataclass(frozen=True)
class FieldLine:
    line: int
    label: str
    value: str


@dataclass(frozen=True)
class Entry:
    """One pattern entry: the lines ``start`` (its H2) up to ``end`` (the next H2)."""

    name: str
    format: Literal["A", "B"]
    start: int
    end: int
    content_end: int  # one past the last line before the trailing separator and blanks
    fields: dict[str, FieldLine]
    blocks: dict[str, tuple[int, int]]  # label -> (label line, one past its last line)
    examples: tuple[ExampleLine, ...]
    example_anchor: int | None  # new examples go after this line
    sources: tuple[str, ...]
    source_anchor: int | None  # new sources go after this line
    truncated_sources: bool = False

    @property
    def slug(self) -> str:
        return slugify(self.name)

    @property
    def stated(self) -> str | None:
        f = self.fields.get("confidence") or self.fields.get("level")
        if f is None:
            return None
        word = f.value.split()[0].strip("*_").upper() if f.value.split() else ""
        return word or None

    @property
    def stated_level(self) -> Level | None:
        s = self.stated
        return s if s in LEVELS else None

    @property
    def evidence(self) -> Level:
        return evidence_level(len(self.examples))

    @property
    def last_reinforced(self) -> str | None:
        f = self.fields.get("last reinforced") or self.fields.get("created")
        return f.value.strip() or None if f else None

    def field_value(self, *labels: str) -> str | None:
        for label in labels:
            if label in self.fields:
                return self.fields[label].value
        return None

    def block_text(self, lines: list[str], label: str) -> str:
        if label not in self.blocks:
            return ""
        first, end = self.blocks[label]
        return "\n".join(lines[first + 1 : end]).strip("\n")


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

    @classmethod
    def parse(cls, text: str) -> PatternFile:
        doc = Doc.parse(text)
        lines = doc.bodies()
        span = frontmatter_span(lines)
        pf = cls(
            doc=doc, lines=lines, outline=outline([("" if span and i <= span[1] else x) for i, x in enumerate(lines)])
        )
        h2 = pf.outline.h(2)
        for i, head in enumerate(h2):
            end = h2[i + 1].line if i + 1 < len(h2) else len(lines)
            entry = pf._entry(head.text, head.line, end)
            if entry is not None:
                pf.entries.append(entry)
        pf.footer = pf._footer()
        return pf

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

    def _footer(self) -> Footer | None:
        inside = bytearray(len(self.lines))  # 1 for lines that belong to an entry
        for e in self.entries:
            inside[e.start : e.end] = b"\x01" * (e.end - e.start)
        last = total = None
        breakdown: tuple[int, int] | None = None
        for i, line in enumerate(self.lines):
            if inside[i] or not line.startswith("**") or not self._is_text(i):
                continue
            if line.startswith("**Last Updated:**"):
                last = i
            elif line.startswith("**Total Patterns:**"):
                total = i
            elif line.startswith("**Confidence Breakdown:**"):
                j = i + 1
                while j < len(self.lines) and re.match(r"^[-*]\s+(HIGH|MEDIUM|LOW)\b", self.lines[j]):
                    j += 1
                breakdown = (i + 1, j)
        if total is None and breakdown is None:
            return None
        return Footer(last, total, breakdown)


def _date_in(text: str) -> str | None:
    m = _DATE.search(text)
    return m.group(1) if m else None
