"""Surgical edits of a parsed pattern file, as ``Splice`` lists over its lines.

Each function returns only the splices for the lines its operation is about; the caller
applies them with ``Doc.splice`` and re-parses when it needs the result.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from devlore.codec.pattern_entry import Entry
from devlore.codec.patterns import _RULE, PatternFile
from devlore.codec.text import Splice
from devlore.model import LEVELS, Level, evidence_level

__all__ = [
    "NEXT_STEP",
    "NewPattern",
    "add_example",
    "footer",
    "insert_entry",
    "levels",
    "new_file",
    "reinforced",
    "rerate",
    "without_next_steps",
]

_COUNT = re.compile(r"\d+\s+examples?\b")
# The footer's Next steps lines devlore owns (docs/FORMAT.md, '3.4 Next steps'); any other is a person's.
NEXT_STEP = re.compile(
    r'^[-*]\s+(?:Consider a workflow for ".+" \(HIGH, \d+ examples\)'
    r'|Check ".+" still holds \(no example since .+\)'
    r'|Review ".+" after \d+ more uses? \(then HIGH\)'
    r'|Validate ".+" \(\d+ counter-examples? for \d+ examples?\))\s*$'
)
_TITLES = {
    "dev": "Development Patterns",
    "pm": "Project Management Patterns",
    "content": "Content Patterns",
    "client": "Client Patterns",
}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _replace_value(pf: PatternFile, line: int, label: str, value: str) -> Splice:
    """Rewrite the value after ``**label:**`` on one line, keeping the line's prefix."""
    old = pf.lines[line]
    marker = f"**{label}:**"
    head = old.split(":**", 1)[0] + ":**" if ":**" in old else marker
    return Splice(line, line + 1, (f"{head} {value}",))


def _level_value(old: str, level: Level) -> str:
    words = old.split(maxsplit=1)
    rest = words[1] if len(words) > 1 and words[0].strip("*_").upper() in LEVELS else ""
    return f"{level} {rest}".rstrip() if rest else level


def _count_value(old: str, count: int) -> str:
    new = _plural(count, "example")
    return _COUNT.sub(new, old, count=1) if _COUNT.search(old) else new


def rerate(pf: PatternFile, entry: Entry, count: int, level: Level | None = None) -> list[Splice]:
    """Rewrite the stated level and ``Based on`` from ``count`` (or to ``level``)."""
    level = level or evidence_level(count)
    edits: list[Splice] = []
    conf = entry.fields.get("confidence") or entry.fields.get("level")
    label = "Confidence" if entry.format == "A" else "Level"
    if conf is not None:
        edits.append(_replace_value(pf, conf.line, label, _level_value(conf.value, level)))
    based = entry.fields.get("based on")
    if based is not None:
        edits.append(_replace_value(pf, based.line, "Based on", _count_value(based.value, count)))
    elif conf is not None:
        prefix = "" if entry.format == "A" else "- "
        edits.append(Splice(conf.line + 1, conf.line + 1, (f"{prefix}**Based on:** {_plural(count, 'example')}",)))
    return edits


def reinforced(pf: PatternFile, entry: Entry, day: str) -> list[Splice]:
    f = entry.fields.get("last reinforced")
    if f is not None:
        return [_replace_value(pf, f.line, "Last reinforced", day)]
    prefix = "" if entry.format == "A" else "- "
    after = entry.fields.get("created") or entry.fields.get("based on") or entry.fields.get("confidence")
    after = after or entry.fields.get("level")
    if after is None:
        return []
    return [Splice(after.line + 1, after.line + 1, (f"{prefix}**Last reinforced:** {day}",))]


def _block_point(entry: Entry, before: tuple[str, ...]) -> tuple[int, bool]:
    """Where a missing block goes: before the first of ``before`` labels, else at the end."""
    lines = [entry.blocks[label][0] for label in before if label in entry.blocks]
    return (min(lines), True) if lines else (entry.content_end, False)


def _insert_block(entry: Entry, head: str, item: str, before: tuple[str, ...]) -> Splice:
    at, ahead = _block_point(entry, before)
    new = (head, item, "") if ahead else ("", head, item)
    return Splice(at, at, new)


def add_example(
    pf: PatternFile, entry: Entry, text: str, day: str, source: str | None = None, latest: str | None = None
) -> list[Splice]:
    """Number and append an example dated ``day``, recount, and set ``Last reinforced`` to
    ``latest`` (default ``day``)."""
    count = len(entry.examples) + 1
    edits = rerate(pf, entry, count) + reinforced(pf, entry, latest or day)
    if entry.format == "A":
        item = f"{count}. {text}"
        if entry.example_anchor is None:
            edits.append(
                _insert_block(entry, "**Examples:**", item, ("code example", "related patterns", "source experiences"))
            )
        else:
            edits.append(Splice(entry.example_anchor + 1, entry.example_anchor + 1, (item,)))
    else:
        plain = re.sub(r"\s*\(\d{4}-\d{2}(?:-\d{2})?\)", "", text, count=1)
        item = f"- Example {count} ({day}): {plain}"
        if entry.example_anchor is None:
            edits.append(_insert_block(entry, "### Examples", item, ("confidence",)))
        else:
            edits.append(Splice(entry.example_anchor + 1, entry.example_anchor + 1, (item,)))
    if source and source not in entry.sources:
        edits.append(add_source(entry, source))
    return edits


def add_source(entry: Entry, source: str) -> Splice:
    if entry.source_anchor is not None:
        return Splice(entry.source_anchor + 1, entry.source_anchor + 1, (f"- {source}",))
    head = "**Source experiences:**" if entry.format == "A" else "### Sources"
    return Splice(entry.content_end, entry.content_end, ("", head, f"- {source}"))


@dataclass(frozen=True)
class NewPattern:
    name: str
    context: str
    pattern: str
    example: str
    day: str
    why: str | None = None
    time_saved: str | None = None
    time_label: str = "Time saved per use"
    source: str | None = None
    related: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        out = [
            f"## {self.name}",
            "",
            "**Confidence:** LOW",
            "**Based on:** 1 example",
            f"**Last reinforced:** {self.day}",
        ]
        if self.time_saved:
            out.append(f"**{self.time_label}:** {self.time_saved}")
        out += ["", "**Context:**", *self.context.splitlines(), "", "**Pattern:**", *self.pattern.splitlines()]
        if self.why:
            out += ["", "**Why it works:**", *self.why.splitlines()]
        out += ["", "**Examples:**", f"1. {self.example}"]
        if self.related:
            out += ["", "**Related patterns:**", *(f"- {r}" for r in self.related)]
        if self.source:
            out += ["", "**Source experiences:**", f"- {self.source}"]
        return out


def insert_entry(pf: PatternFile, new: NewPattern) -> list[Splice]:
    """Right after the last entry and its ``---``; with none, before ``## Pattern Growth
    Tracking`` when present, else at the end."""
    lines = pf.lines
    if pf.entries:
        last = pf.entries[-1]
        at = last.end
        has_rule = any(_RULE.match(lines[j]) for j in range(last.content_end, last.end))
    else:
        growth = [h.line for h in pf.outline.h(2) if h.text.strip().lower() == "pattern growth tracking"]
        at = growth[0] if growth else len(lines)
        has_rule = at > 0 and any(_RULE.match(lines[j]) for j in range(max(0, at - 3), at))
    prefix: list[str] = []
    if at > 0 and lines[at - 1].strip():
        prefix = [""] if has_rule else ["", "---", ""]
    elif not has_rule and at > 0 and pf.entries:
        prefix = ["---", ""]
    tail = ["", "---"] if at >= len(lines) else ["", "---", ""]
    return [Splice(at, at, (*prefix, *new.lines(), *tail))]


def levels(pf: PatternFile) -> list[Level]:
    """Each entry's level for the footer: as written, else what its evidence earns."""
    return [e.stated_level or e.evidence for e in pf.entries]


def footer(pf: PatternFile, today: str, counted: list[Level] | None = None) -> list[Splice]:
    """Recompute ``Total Patterns``, the breakdown and ``Last Updated`` where the file has them.

    ``counted`` gives the levels after the caller's own edit, so the footer's splices can be
    applied together with that edit in one pass (the default: the file as parsed)."""
    if pf.footer is None:
        return []
    counted = levels(pf) if counted is None else counted
    counts = {level: 0 for level in LEVELS}
    for level in counted:
        counts[level] += 1
    total = len(counted)
    edits: list[Splice] = []
    if pf.footer.total is not None:
        edits.append(_replace_value(pf, pf.footer.total, "Total Patterns", str(total)))
    if pf.footer.last_updated is not None:
        edits.append(_replace_value(pf, pf.footer.last_updated, "Last Updated", today))
    if pf.footer.breakdown is not None:
        start, end = pf.footer.breakdown
        rows = tuple(
            f"- {level}: {_plural(counts[level], 'pattern')} ({_percent(counts[level], total)}%)"
            for level in reversed(LEVELS)  # highest first
        )
        edits.append(Splice(start, end, rows))
    return edits


def _percent(part: int, total: int) -> int:
    return (part * 200 + total) // (2 * total) if total else 0


def new_file(domain: str, newline: str = "\n") -> str:
    title = _TITLES.get(domain, f"{domain.replace('-', ' ').title()} Patterns")
    lines = [
        f"# {title}",
        "",
        f"**Purpose:** Reusable {domain} patterns learned from experience",
        "",
        "**Confidence levels:**",
        "- **HIGH** (5+ examples): Battle-tested, apply automatically",
        "- **MEDIUM** (2-4 examples): Promising pattern, apply with consideration",
        "- **LOW** (1 example): Early observation, validate before applying",
        "",
        "---",
        "",
    ]
    return newline.join(lines)


def without_next_steps(pf: PatternFile) -> list[Splice]:
    """Splices that drop devlore's own Next steps lines (a git merge cannot know which are
    due; the file's next write puts back those that are)."""
    last = max((e.end for e in pf.entries), default=0)
    return [
        Splice(i, i + 1, ())
        for i in range(last, len(pf.lines))
        if i not in pf.outline.code and NEXT_STEP.match(pf.lines[i])
    ]
