"""Revising patterns when the evidence changes: remove an example (the level may fall), merge
two patterns that are one, split one that is two. Each is all or nothing, keeps the footers
and ``brain-health/`` true, and leaves a redirect where a pattern went (docs/FORMAT.md, '3.2
Revising patterns')."""

from __future__ import annotations

from collections.abc import Sequence

from devlore.codec import pattern_edits as edits
from devlore.codec import pattern_revise as rev
from devlore.codec.pattern_entry import Entry, slugify
from devlore.codec.patterns import PatternFile
from devlore.codec.text import Splice
from devlore.errors import AlreadyExists, Conflict, InvalidArgument
from devlore.model import ConfidenceChange, Level, Revision, evidence_level
from devlore.service import health, validate
from devlore.service.brain import Brain, parse_patterns
from devlore.service.patterns import _named, _with_footer

__all__ = ["counter_text", "merge_patterns", "remove_example", "revise_pattern", "split_pattern"]


def revise_pattern(
    brain: Brain,
    pattern: str,
    action: str,
    example: int | None = None,
    reason: str | None = None,
    into: list[str] | None = None,
    examples: list[list[int]] | None = None,
    domain: str | None = None,
) -> Revision:
    """The ``revise_pattern`` tool: one of the three revisions, by ``action``."""
    if action == "remove_example":
        if example is None or reason is None:
            raise InvalidArgument("remove_example needs example (its place in the list, 1 for the first) and reason.")
        return remove_example(brain, pattern, example, reason, domain)
    if action == "merge_into":
        if not into or len(into) != 1:
            raise InvalidArgument("merge_into needs into: [the name of the pattern to keep].")
        return merge_patterns(brain, into[0], pattern, domain)
    if action == "split":
        if not into or examples is None:
            raise InvalidArgument("split needs into (the new names) and examples (their example numbers).")
        return split_pattern(brain, pattern, into, examples, domain)
    raise InvalidArgument(f"Unknown action {action!r}: use remove_example, merge_into or split.")


def _text(files: dict[str, str | None], rel: str) -> str:
    text = files[rel]
    if text is None:
        raise Conflict(f"{rel} was removed just now; nothing was written. Call list_patterns.")
    return text


def _write(rel: str, pf: PatternFile, splices: list[Splice], today: str, counted: list[Level], brain: Brain) -> str:
    return _with_footer(rel, pf, splices, today, counted, brain)


def _levels(pf: PatternFile, changed: dict[int, Level | None]) -> list[Level]:
    """The footer's levels after an edit: ``changed`` maps an entry's start line to its new
    level, or to None when the entry goes (merged away, or split into new entries)."""
    out: list[Level] = []
    for e, level in zip(pf.entries, edits.levels(pf), strict=True):
        if e.start not in changed:
            out.append(level)
        elif (new := changed[e.start]) is not None:
            out.append(new)
    return out


def _plural(n: int) -> str:
    return f"{n} example" if n == 1 else f"{n} examples"


def _change(entry: Entry, path: str, count: int, before: str | None = None) -> ConfidenceChange:
    return ConfidenceChange(
        name=entry.name,
        path=path,
        examples=count,
        confidence_before=before if before is not None else entry.stated,
        confidence_after=evidence_level(count),
    )


def _event(c: ConfidenceChange, what: str) -> health.GrowthEvent:
    return health.GrowthEvent(
        "revised", f"{c.name} ({what}: {c.confidence_before or '?'} → {c.confidence_after}, {_plural(c.examples)})"
    )


# -- remove an example -------------------------------------------------------------------------


def remove_example(brain: Brain, pattern: str, example: int, reason: str, domain: str | None = None) -> Revision:
    why = validate.one_line("reason", reason, 300)
    ref = brain.find(pattern, domain)
    today = brain.today().isoformat()
    with brain.transaction(ref.path) as files:
        pf = parse_patterns(ref.path, _text(files, ref.path))
        entry = _named(pf, ref.entry.name, ref.path)
        count = entry.example_count
        if not 1 <= example <= count:
            raise InvalidArgument(
                f"'{entry.name}' has {_plural(count)}; example must be 1 to {count} (its place in the list)."
            )
        if count == 1:
            raise InvalidArgument(
                f"'{entry.name}' has only this example. A pattern keeps at least one: merge it into "
                "another with revise_pattern action merge_into, or delete the entry by hand."
            )
        splices, removed = rev.remove_example(pf, entry, example)
        short = removed if len(removed) <= 80 else removed[:77] + "..."
        splices += rev.append_bullets(pf, entry, rev.HISTORY, [f"{today}: removed example {example} ({short}): {why}"])
        change = _change(entry, ref.path, count - 1)
        files[ref.path] = _write(
            ref.path, pf, splices, today, _levels(pf, {entry.start: change.confidence_after}), brain
        )
    health.after_write(brain, [_event(change, "example removed")])
    return Revision(changes=[change], note=f"Removed example {example}: {removed}")


# -- merge ---------------------------------------------------------------------------------------


def _link_file(from_rel: str, to_rel: str) -> str:
    return "" if from_rel == to_rel else to_rel.rsplit("/", 1)[-1]


def merge_patterns(brain: Brain, keep: str, merge: str, domain: str | None = None) -> Revision:
    """Pool ``merge``'s examples, sources, related patterns and counter-examples into ``keep``,
    re-rate it, and leave a redirect where ``merge`` was."""
    k_ref = brain.find(keep)
    m_ref = brain.find(merge, domain)
    if k_ref.path == m_ref.path and k_ref.entry.start == m_ref.entry.start:
        raise InvalidArgument(f"'{k_ref.entry.name}' cannot be merged into itself; name two different patterns.")
    today = brain.today().isoformat()
    with brain.transaction(*sorted({k_ref.path, m_ref.path})) as files:
        kf = parse_patterns(k_ref.path, _text(files, k_ref.path))
        mf = kf if m_ref.path == k_ref.path else parse_patterns(m_ref.path, _text(files, m_ref.path))
        k = _named(kf, k_ref.entry.name, k_ref.path)
        m = _named(mf, m_ref.entry.name, m_ref.path)
        if not k.examples:
            raise InvalidArgument(f"'{k.name}' lists no example yet; add one with add_example, then merge.")
        pooled, count, dups = rev.pool_examples(kf, k, mf, m)
        keep_splices = [*pooled, *rev.merged_extras(kf, k, mf, m)]
        note = f"merged '{m.name}' ({_plural(m.example_count)}, {dups} already here)"
        keep_splices += rev.append_bullets(kf, k, rev.HISTORY, [f"{today}: {note}"])
        target = ((k.name, _link_file(m_ref.path, k_ref.path), k.slug),)
        redirect = rev.redirect_lines(m.name, "merged", target, today)
        gone = [Splice(m.start, m.content_end, redirect)]
        change = _change(k, k_ref.path, count)
        if mf is kf:
            levels = _levels(kf, {k.start: change.confidence_after, m.start: None})
            files[k_ref.path] = _write(k_ref.path, kf, keep_splices + gone, today, levels, brain)
        else:
            files[k_ref.path] = _write(
                k_ref.path, kf, keep_splices, today, _levels(kf, {k.start: change.confidence_after}), brain
            )
            files[m_ref.path] = _write(m_ref.path, mf, gone, today, _levels(mf, {m.start: None}), brain)
    health.after_write(brain, [_event(change, f"merged {m.name}")])
    text = f"Merged '{m.name}' into '{k.name}': {_plural(count)}"
    return Revision(
        changes=[change], note=f"{text} ({dups} duplicate{'s' if dups != 1 else ''} kept once). Left: {redirect[-1]}"
    )


# -- split ---------------------------------------------------------------------------------------


def _check_parts(brain: Brain, entry: Entry, into: Sequence[str], numbers: Sequence[Sequence[int]]) -> list[str]:
    names = [validate.name("into", n) for n in into]
    if len(names) < 2 or len(numbers) != len(names):
        raise InvalidArgument("split needs two or more names in into, and one list of example numbers for each.")
    slugs = [slugify(n) for n in names]
    if len(set(slugs)) < len(slugs):
        raise AlreadyExists("into names the same pattern twice; give each new pattern its own name.")
    for ref in brain.patterns():
        if ref.entry.slug in slugs and ref.entry.slug != entry.slug:
            raise AlreadyExists(
                f"A pattern named '{ref.entry.name}' already exists in {ref.path}; choose another name."
            )
    count = entry.example_count
    flat = [n for part in numbers for n in part]
    missing = sorted(set(range(1, count + 1)) - set(flat))
    if missing or len(flat) != count or any(not 1 <= n <= count for n in flat) or not all(numbers):
        raise InvalidArgument(
            f"'{entry.name}' has {_plural(count)}: give every number from 1 to {count} to exactly one new "
            f"pattern, each at least one (missing: {', '.join(map(str, missing)) or 'none'})."
        )
    return names


def split_pattern(
    brain: Brain, pattern: str, into: list[str], examples: list[list[int]], domain: str | None = None
) -> Revision:
    ref = brain.find(pattern, domain)
    today = brain.today().isoformat()
    with brain.transaction(ref.path) as files:
        pf = parse_patterns(ref.path, _text(files, ref.path))
        entry = _named(pf, ref.entry.name, ref.path)
        names = _check_parts(brain, entry, into, examples)
        bodies = rev.split_bodies(
            pf, entry, list(zip(names, examples, strict=True)), f"{today}: split from '{entry.name}'"
        )
        redirect = rev.redirect_lines(entry.name, "split", [(n, "", slugify(n)) for n in names], today)
        sep = rev.separator(pf, entry)
        block = [*redirect]
        for body in bodies:
            block += ["", sep, "", *body]
        changes = [_change_named(n, ref.path, len(x), entry.stated) for n, x in zip(names, examples, strict=True)]
        counted = [
            level
            for e, level in zip(pf.entries, edits.levels(pf), strict=True)
            for level in ([c.confidence_after for c in changes] if e is entry else [level])
        ]
        files[ref.path] = _write(
            ref.path, pf, [Splice(entry.start, entry.content_end, tuple(block))], today, counted, brain
        )
    health.after_write(brain, [_event(c, f"split from {entry.name}") for c in changes])
    return Revision(
        changes=changes, note=f"Split '{entry.name}' into {', '.join(repr(n) for n in names)}. Left: {redirect[-1]}"
    )


def _change_named(name: str, path: str, count: int, before: str | None) -> ConfidenceChange:
    return ConfidenceChange(
        name=name, path=path, examples=count, confidence_before=before, confidence_after=evidence_level(count)
    )


# -- counter-examples ------------------------------------------------------------------------------


def counter_text(rel: str, text: str, name: str, line: str, today: str, brain: Brain) -> str:
    """The pure step of a counter-example (``record_experience``'s ``patterns_failed``): one
    ``- `` line under the entry's Counter-examples. The level stays what the examples earn
    (docs/FORMAT.md, '3.2 Revising patterns')."""
    pf = parse_patterns(rel, text)
    entry = _named(pf, name, rel)
    return _write(rel, pf, rev.append_bullets(pf, entry, rev.COUNTER, [line]), today, edits.levels(pf), brain)
