"""One pattern entry as parsed: where its fields, blocks and examples are, and what they say.

An ``Entry`` is produced by ``devlore.codec.patterns.PatternFile`` and never changes; its line
numbers are those of the file it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from devlore.model import LEVELS, Level, evidence_level
from devlore.names import slugify

__all__ = ["Entry", "ExampleLine", "FieldLine", "minutes", "slugify", "time_saved"]

_MINUTES = re.compile(r"(\d+(?:\.\d+)?)\s*(h|hr|hrs|hours?|m|min|mins|minutes?)\b", re.I)


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


class Entry:
    """One pattern entry: the lines ``start`` (its H2) up to ``end`` (the next H2).

    Immutable. ``moved(d)`` is the same entry ``d`` lines further down, made in O(1): the line
    numbers are shifted only when they are first asked for, so an edit near the top of a
    1,000-entry file does not rebuild every entry below it.
    """

    __slots__ = (
        "_blocks",
        "_d",
        "_examples",
        "_fields",
        "_raw",
        "_slug",
        "_stated",
        "format",
        "name",
        "sources",
        "truncated_sources",
    )
    _raw: tuple[
        int, int, int, int | None, int | None, dict[str, FieldLine], dict[str, tuple[int, int]], tuple[ExampleLine, ...]
    ]
    _d: int
    name: str
    format: Literal["A", "B"]
    sources: tuple[str, ...]
    truncated_sources: bool

    def __init__(
        self,
        name: str,
        format: Literal["A", "B"],
        start: int,
        end: int,
        content_end: int,  # one past the last line before the trailing separator and blanks
        fields: dict[str, FieldLine],
        blocks: dict[str, tuple[int, int]],  # label -> (label line, one past its last line)
        examples: tuple[ExampleLine, ...],
        example_anchor: int | None,  # new examples go after this line
        sources: tuple[str, ...],
        source_anchor: int | None,  # new sources go after this line
        truncated_sources: bool = False,
    ) -> None:
        self.name = name
        self.format = format
        self.sources = sources
        self.truncated_sources = truncated_sources
        self._raw = (start, end, content_end, example_anchor, source_anchor, fields, blocks, examples)
        self._d = 0
        self._fields: dict[str, FieldLine] | None = fields
        self._blocks: dict[str, tuple[int, int]] | None = blocks
        self._examples: tuple[ExampleLine, ...] | None = examples
        self._slug: str | None = None
        self._stated: tuple[str | None] | None = None

    def moved(self, d: int) -> Entry:
        if d == 0:
            return self
        e = object.__new__(Entry)
        e.name, e.format, e.sources, e.truncated_sources = self.name, self.format, self.sources, self.truncated_sources
        e._raw, e._d = self._raw, self._d + d
        e._fields = e._blocks = e._examples = None
        e._slug, e._stated = self._slug, self._stated
        return e

    @property
    def start(self) -> int:
        return self._raw[0] + self._d

    @property
    def end(self) -> int:
        return self._raw[1] + self._d

    @property
    def content_end(self) -> int:
        return self._raw[2] + self._d

    @property
    def example_anchor(self) -> int | None:
        a = self._raw[3]
        return None if a is None else a + self._d

    @property
    def source_anchor(self) -> int | None:
        a = self._raw[4]
        return None if a is None else a + self._d

    @property
    def fields(self) -> dict[str, FieldLine]:
        if self._fields is None:
            d = self._d
            self._fields = {k: FieldLine(f.line + d, f.label, f.value) for k, f in self._raw[5].items()}
        return self._fields

    @property
    def blocks(self) -> dict[str, tuple[int, int]]:
        if self._blocks is None:
            d = self._d
            self._blocks = {k: (a + d, b + d) for k, (a, b) in self._raw[6].items()}
        return self._blocks

    @property
    def examples(self) -> tuple[ExampleLine, ...]:
        if self._examples is None:
            d = self._d
            self._examples = tuple(ExampleLine(x.line + d, x.number, x.text, x.date) for x in self._raw[7])
        return self._examples

    def _key(self) -> tuple[object, ...]:
        return (
            self.name,
            self.format,
            self.start,
            self.end,
            self.content_end,
            self.fields,
            self.blocks,
            self.examples,
            self.example_anchor,
            self.sources,
            self.source_anchor,
            self.truncated_sources,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Entry) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash((self.name, self.start))

    def __repr__(self) -> str:
        return f"Entry({self.name!r}, {self.format}, lines {self.start}-{self.end}, {len(self._raw[7])} examples)"

    @property
    def slug(self) -> str:
        if self._slug is None:
            self._slug = slugify(self.name)
        return self._slug

    @property
    def stated(self) -> str | None:
        if self._stated is None:
            raw = self._raw[5]  # values do not move with the lines
            f = raw.get("confidence") or raw.get("level")
            word = f.value.split()[0].strip("*_").upper() if f is not None and f.value.split() else ""
            self._stated = (word or None,)
        return self._stated[0]

    @property
    def stated_level(self) -> Level | None:
        s = self.stated
        return s if s in LEVELS else None

    @property
    def evidence(self) -> Level:
        return evidence_level(len(self._raw[7]))

    @property
    def example_count(self) -> int:
        return len(self._raw[7])

    @property
    def last_reinforced(self) -> str | None:
        raw = self._raw[5]
        f = raw.get("last reinforced") or raw.get("created")
        return f.value.strip() or None if f else None

    def field_value(self, *labels: str) -> str | None:
        raw = self._raw[5]
        for label in labels:
            if label in raw:
                return raw[label].value
        return None

    def block_text(self, lines: list[str], label: str) -> str:
        if label not in self.blocks:
            return ""
        first, end = self.blocks[label]
        return "\n".join(lines[first + 1 : end]).strip("\n")


def time_saved(entry: Entry) -> int:
    """Minutes this pattern has saved so far: the written total, else per-use x examples."""
    total = minutes(entry.field_value("total saved"))
    if total is not None:
        return total
    per_use = minutes(entry.field_value("time saved per use", "time saved", "estimated"))
    return (per_use or 0) * entry.example_count
