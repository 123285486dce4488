"""Lessons from a work log become patterns: a new lesson is a LOW pattern, a lesson with the
same meaning as an existing pattern reinforces it; the source names the log and its version
(docs/FORMAT.md, '6.1 Long-running work logs'). The pattern services do the writing."""

from __future__ import annotations

import re

from devlore.codec.pattern_entry import slugify
from devlore.codec.worklog_summary import parse_summary
from devlore.codec.worklogs import WorkLog
from devlore.errors import DevloreError, InvalidArgument
from devlore.service import patterns, validate
from devlore.service.brain import Brain, PatternRef
from devlore.service.worklog_files import load

__all__ = ["learn_lessons", "lesson_name", "same_meaning"]

SHARED = 0.6  # share of the shorter lesson's words another must hold to mean the same
_WORD = re.compile(r"[a-z0-9][a-z0-9+#-]{2,}")
_STOP = {
    "the", "and", "for", "you", "your", "are", "was", "were", "with", "from", "that", "this", "than",
    "them", "they", "then", "into", "before", "after", "when", "need", "needs", "every", "each", "one",
}  # fmt: skip
_SPLIT = re.compile(r"\s*(?:→|->|: | - )\s*")


def words(text: str) -> set[str]:
    out = set()
    for w in _WORD.findall(text.lower()):
        if w in _STOP:
            continue
        for tail in ("ing", "ed", "es", "s"):
            if w.endswith(tail) and len(w) - len(tail) >= 4:
                w = w[: -len(tail)]
                break
        out.add(w)
    return out


def same_meaning(a: str, b: str) -> bool:
    """Two or more shared words that make up at least 60% of the shorter one's words."""
    wa, wb = words(a), words(b)
    shared = len(wa & wb)
    return shared >= 2 and shared >= SHARED * min(len(wa), len(wb))


def _lessons_of(log: WorkLog) -> list[tuple[int, str]]:
    """(version, lesson) from every entry's Lessons field, then the Lessons Learned lines no
    entry holds (dated to the latest version)."""
    found = [
        (e.version, line.strip()[2:].strip())
        for e in log.entries
        for line in e.lines_of(log.lines, "lessons")
        if line.startswith(("- ", "* "))
    ]
    latest = log.latest.version if log.latest else 1
    section = parse_summary(log).body(log.lines, "Lessons Learned")
    for line in section:
        text = line.strip()[2:].strip() if line.startswith(("- ", "* ")) else ""
        if text and text != "None" and all(text.lower() != t.lower() for _, t in found):
            found.append((latest, text))
    return found


def _match(brain: Brain, name: str) -> PatternRef | None:
    slug = slugify(name)
    refs = list(brain.patterns())
    exact = next((r for r in refs if r.entry.slug == slug), None)
    return exact or next((r for r in refs if same_meaning(name, r.entry.name)), None)


def lesson_name(lesson: str) -> tuple[str, str | None]:
    """A lesson's pattern name (up to its first arrow, ': ' or ' - ') and the rest as why.
    Raises ``InvalidArgument`` when that leaves no usable name."""
    head, *rest = _SPLIT.split(lesson.strip().lstrip("-* ").strip(), maxsplit=1)
    try:
        return validate.name("lessons", head.rstrip(".")[:100]), (rest[0] if rest else None)
    except DevloreError as exc:
        raise InvalidArgument(
            f"Lesson {lesson!r} gives no pattern name: start it with a few words (not '#'), then '→ why'."
        ) from exc


def learn_lessons(brain: Brain, base: str, rel: str, lessons: list[str]) -> list[str]:
    """Each lesson (the given ones, else every lesson of the log) as a pattern; a lesson whose
    source is already on its pattern is skipped, so learning twice changes nothing."""
    log = load(rel, brain.store.read(rel) or "")
    known = _lessons_of(log)
    latest = log.latest.version if log.latest else 1
    chosen = (
        [(next((v for v, t in known if t.lower() == x.lower().lstrip("-* ")), latest), x) for x in lessons]
        if lessons
        else known
    )
    out: list[str] = []
    for version, lesson in chosen[:20]:
        text = lesson.strip().lstrip("-* ").strip()
        try:
            name, why = lesson_name(text)
        except DevloreError:
            out.append(f"skipped {text[:60]!r}: no name to give it")
            continue
        source = f"{rel}#v{version}"
        example = f"{base} v{version}: {text}"
        ref = _match(brain, name)
        if ref is not None and source in ref.entry.sources:
            out.append(f"{ref.entry.name} (already has {base} v{version})")
        elif ref is not None:
            change = patterns.add_example(brain, ref.entry.name, example, ref.domain, source_experience=source)
            out.append(f"{change.name} ({change.confidence_before} → {change.confidence_after})")
        else:
            made = patterns.add_pattern(
                brain,
                name,
                pattern=text,
                context=f"A lesson from the {base} work log, v{version}.",
                example=example,
                why=why,
                source_experience=source,
            )
            out.append(f"{made.name} (new, {made.confidence})")
    return out
