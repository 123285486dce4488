"""Revisions of pattern entries as splices: remove an example, pool two entries' examples,
split one entry into several, and the one-line redirects left where an entry was.

Pure, like ``codec.pattern_edits``: each function returns the splices for the lines it is
about. Pooling keys and renumbers examples as the git merge does (``codec.merge``), so an
example line cited by both entries is kept once however it reached them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from devlore.codec.merge import example_text, renumber
from devlore.codec.merge_base import set_merge
from devlore.codec.pattern_edits import add_source, rerate
from devlore.codec.pattern_entry import Entry, ExampleLine, minutes
from devlore.codec.patterns import _BULLET, _RULE, PatternFile
from devlore.codec.text import Splice

__all__ = [
    "Redirect",
    "append_bullets",
    "bullets",
    "merged_extras",
    "pool_examples",
    "redirect_lines",
    "redirects",
    "remove_example",
    "separator",
    "split_bodies",
]

_REDIRECT = re.compile(r"^→ (merged|split) into (.+), (\d{4}-\d{2}-\d{2})\s*$")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)#]*)#([^)]+)\)")
_DATE = re.compile(r"\s*\((\d{4}-\d{2}(?:-\d{2})?)\)")
COUNTER = ("counter-examples", "### counter-examples")
HISTORY = ("history", "### history")


@dataclass(frozen=True)
class Redirect:
    """An H2 left where a merged or split entry was: its name and where it went."""

    name: str
    line: int
    how: str  # "merged" or "split"
    targets: tuple[tuple[str, str, str], ...]  # (name, file or "" for this file, slug)
    day: str


def redirect_lines(name: str, how: str, targets: Sequence[tuple[str, str, str]], day: str) -> tuple[str, ...]:
    links = ", ".join(f"[{n}]({f}#{s})" for n, f, s in targets)
    return (f"## {name}", "", f"→ {how} into {links}, {day}")


def redirects(pf: PatternFile) -> list[Redirect]:
    """Every redirect section of the file (an H2 that is not an entry, whose first line says
    where the entry went: docs/FORMAT.md, '3.2 Revising patterns')."""
    starts = {e.start for e in pf.entries}
    out: list[Redirect] = []
    for h in pf.outline.h(2):
        if h.line in starts:
            continue
        first = next((j for j in range(h.line + 1, min(h.line + 4, len(pf.lines))) if pf.lines[j].strip()), None)
        m = _REDIRECT.match(pf.lines[first]) if first is not None else None
        if m:
            targets = tuple((n, f, s) for n, f, s in _LINK.findall(m.group(2)))
            out.append(Redirect(h.text.strip(), h.line, m.group(1), targets, m.group(3)))
    return out


# -- blocks of bullets: counter-examples, history ----------------------------------------------


def _block(entry: Entry, labels: tuple[str, str]) -> tuple[int, int] | None:
    """A block by label: format A's ``**Label:**`` and format B's ``### Label`` share the key."""
    return entry.blocks.get(labels[0])


def bullets(pf: PatternFile, entry: Entry, labels: tuple[str, str]) -> list[str]:
    """The ``- `` lines of a block (Counter-examples, History, Related patterns), as written."""
    block = _block(entry, labels)
    if block is None:
        return []
    return [m.group(1).strip() for j in range(block[0] + 1, block[1]) if (m := _BULLET.match(pf.lines[j]))]


def append_bullets(pf: PatternFile, entry: Entry, labels: tuple[str, str], items: Sequence[str]) -> list[Splice]:
    """Append ``- item`` lines to a block, creating it (at the end of the entry's content, or
    after Examples in format B) when the entry has none."""
    if not items:
        return []
    new = tuple(f"- {i}" for i in items)
    block = _block(entry, labels)
    if block is not None:
        return [Splice(block[1], block[1], new)]
    if entry.format == "A":
        title = labels[0].capitalize()
        return [Splice(entry.content_end, entry.content_end, ("", f"**{title}:**", *new))]
    title = labels[1].removeprefix("### ").capitalize()
    return [Splice(entry.content_end, entry.content_end, ("", f"### {title}", *new))]


# -- examples ----------------------------------------------------------------------------------


def _items(pf: PatternFile, entry: Entry) -> list[tuple[ExampleLine, tuple[str, ...]]]:
    """Each example with the lines that continue it (up to the next example or the block end)."""
    xs = entry.examples
    if not xs:
        return []
    block = entry.blocks.get("examples") or entry.blocks.get("### examples")
    stop = block[1] if block else xs[-1].line + 1
    out: list[tuple[ExampleLine, tuple[str, ...]]] = []
    for k, x in enumerate(xs):
        end = xs[k + 1].line if k + 1 < len(xs) else stop
        rest = list(pf.lines[x.line : end])
        while len(rest) > 1 and not rest[-1].strip():
            rest.pop()
        out.append((x, tuple(rest)))
    return out


def _key(x: ExampleLine) -> tuple[str, str]:
    """An example's identity across formats: its text without the date, and the date."""
    text = _DATE.sub("", x.text, count=1) if x.date else x.text
    return (" ".join(text.split()).casefold(), x.date or "")


def _as_format(lines: tuple[str, ...], x: ExampleLine, fmt: str) -> tuple[str, ...]:
    """An example's lines in format ``fmt`` (A: ``1. text (date)``; B: ``- Example 1 (date): text``)."""
    first = lines[0]
    is_a = example_text(first) is not None and first[:1].isdigit()
    if (fmt == "A") == is_a:
        return lines
    if fmt == "A":
        text = x.text if not x.date or x.date in x.text else f"{x.text} ({x.date})"
        return (f"1. {text}", *lines[1:])
    plain = _DATE.sub("", x.text, count=1) if x.date else x.text
    return (f"- Example 1 ({x.date}): {plain}" if x.date else f"- Example 1: {plain}", *lines[1:])


def _sorted_lines(items: Sequence[tuple[ExampleLine, tuple[str, ...]]]) -> tuple[str, ...]:
    ordered = sorted(items, key=lambda it: it[0].date or "9999")  # stable: undated ones keep their order, last
    return tuple(line for n, (_, ls) in enumerate(ordered, 1) for line in (renumber(ls[0], n), *ls[1:]))


def _examples_splice(pf: PatternFile, entry: Entry, lines: tuple[str, ...]) -> Splice:
    items = _items(pf, entry)
    first = items[0][0].line
    last = items[-1][0].line + len(items[-1][1])
    return Splice(first, last, lines)


def pool_examples(
    keep_file: PatternFile, keep: Entry, merge_file: PatternFile, merge: Entry
) -> tuple[list[Splice], int, int]:
    """The splice that pools ``merge``'s examples into ``keep``'s (the same example once, all
    numbered by date), the re-rate, and the new count and how many were already there."""
    ours = [(_key(x), (x, ls)) for x, ls in _items(keep_file, keep)]
    theirs = [(_key(x), (x, _as_format(ls, x, keep.format))) for x, ls in _items(merge_file, merge)]
    pooled = set_merge(None, ours, theirs)
    duplicates = len(ours) + len(theirs) - len(pooled)
    splices = [_examples_splice(keep_file, keep, _sorted_lines(pooled)), *rerate(keep_file, keep, len(pooled))]
    return splices, len(pooled), duplicates


def merged_extras(keep_file: PatternFile, keep: Entry, merge_file: PatternFile, merge: Entry) -> list[Splice]:
    """Sources, related patterns, counter-examples and the total time saved of ``merge``, added
    to ``keep`` where it does not have them yet; and the later Last reinforced date."""
    splices: list[Splice] = []
    new_sources = [s for s in merge.sources if s not in keep.sources]
    if new_sources:
        first = add_source(keep, new_sources[0])
        splices.append(Splice(first.start, first.end, (*first.new, *(f"- {s}" for s in new_sources[1:]))))
    names = {keep.name.casefold(), merge.name.casefold()}
    have = set(bullets(keep_file, keep, ("related patterns", "### related patterns")))
    related = [
        r
        for r in bullets(merge_file, merge, ("related patterns", "### related patterns"))
        if r not in have and not any(n in r.casefold() for n in names)
    ]
    splices += append_bullets(keep_file, keep, ("related patterns", "### related patterns"), related)
    counters = bullets(merge_file, merge, COUNTER)
    splices += append_bullets(
        keep_file, keep, COUNTER, [c for c in counters if c not in bullets(keep_file, keep, COUNTER)]
    )
    total = keep.fields.get("total saved")
    if total is not None:
        now = (minutes(total.value) or 0) + (minutes(merge.field_value("total saved")) or 0)
        splices.append(Splice(total.line, total.line + 1, (f"- **Total saved:** {now} min",)))
    ours, theirs = keep.fields.get("last reinforced"), merge.last_reinforced
    if ours is not None and theirs and theirs[:10] > ours.value.strip()[:10]:
        head = keep_file.lines[ours.line].split(":**", 1)[0]
        splices.append(Splice(ours.line, ours.line + 1, (f"{head}:** {theirs[:10]}",)))
    return splices


def remove_example(pf: PatternFile, entry: Entry, number: int) -> tuple[list[Splice], str]:
    """Drop the ``number``-th example (1-based, in file order), renumber the rest and re-rate;
    returns the splices and the removed example's text."""
    items = _items(pf, entry)
    gone = items[number - 1]
    rest = [it for k, it in enumerate(items) if k != number - 1]
    lines = tuple(line for n, (_, ls) in enumerate(rest, 1) for line in (renumber(ls[0], n), *ls[1:]))
    return [_examples_splice(pf, entry, lines), *rerate(pf, entry, len(rest))], gone[0].text


def split_bodies(
    pf: PatternFile, entry: Entry, parts: Sequence[tuple[str, Sequence[int]]], history: str
) -> list[tuple[str, ...]]:
    """The new entries of a split: each a copy of ``entry`` under its new name, with only the
    examples (1-based numbers) assigned to it, re-rated, and ``history`` in its History."""
    body = [pf.lines[entry.start], *pf.lines[entry.start + 1 : entry.content_end]]
    out: list[tuple[str, ...]] = []
    for name, numbers in parts:
        mini = PatternFile.parse("\n".join([f"## {name}", *body[1:]]) + "\n")
        e = mini.entries[0]
        items = _items(mini, e)
        chosen = [items[n - 1] for n in sorted(numbers)]
        lines = tuple(line for n, (_, ls) in enumerate(chosen, 1) for line in (renumber(ls[0], n), *ls[1:]))
        splices = [_examples_splice(mini, e, lines), *rerate(mini, e, len(chosen))]
        splices += append_bullets(mini, e, HISTORY, [history])
        out.append(tuple(mini.doc.splice(splices).bodies()))
    return out


def separator(pf: PatternFile, entry: Entry) -> str:
    """The entry separator the file uses (``---`` when it has none)."""
    return next((pf.lines[j] for j in range(entry.content_end, entry.end) if _RULE.match(pf.lines[j])), "---")
