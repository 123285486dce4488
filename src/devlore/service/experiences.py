"""``record_experience``: the /learn step, written all or nothing.

The episodic note, every reinforced pattern and every new pattern are computed in memory
first under the locks of all the files involved; only then is anything written, and a
failed write puts back what was already written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import count

from devlore.codec import episodes
from devlore.codec.pattern_entry import slugify
from devlore.errors import AlreadyExists, InvalidArgument
from devlore.layout import EPISODIC, WORK_TYPES, domain_file, domain_of
from devlore.model import ConfidenceChange, ExperienceResult, NewPatternResult
from devlore.names import name_key
from devlore.service import health, validate
from devlore.service.brain import Brain, PatternRef, parse_patterns
from devlore.service.patterns import insert_text, new_pattern, reinforce_text
from devlore.service.revise import counter_text

__all__ = ["NewPatternInput", "record_experience"]

RESULTS = ("SUCCESS", "PARTIAL", "BLOCKED")


@dataclass(frozen=True)
class NewPatternInput:
    name: str
    pattern: str
    context: str
    example: str | None = None
    why: str | None = None
    domain: str | None = None


def _episode_paths(folder: str, day: str, title: str) -> Iterator[str]:
    """Where a note goes: ``<day>-<slug>.md``, then ``-2``, ``-3``, … when taken."""
    slug = slugify(title)[:60].strip("-") or "experience"
    base = f"{EPISODIC}/{folder}/{day}-{slug}"
    yield f"{base}.md"
    yield from (f"{base}-{n}.md" for n in count(2))


def _episode_path(brain: Brain, folder: str, day: str, title: str) -> str:
    return next(rel for rel in _episode_paths(folder, day, title) if not brain.store.exists(rel))


def _checks(result: str, work_type: str, quality: int | None, minutes: int | None) -> str:
    if work_type not in WORK_TYPES:
        raise InvalidArgument(f"Invalid work_type {work_type!r}: use one of {', '.join(WORK_TYPES)}.")
    up = result.strip().upper()
    if up not in RESULTS:
        raise InvalidArgument(f"Invalid result {result!r}: use SUCCESS, PARTIAL or BLOCKED.")
    if quality is not None and not 1 <= quality <= 10:
        raise InvalidArgument("quality is a score from 1 to 10.")
    if minutes is not None and not 0 <= minutes <= 100_000:
        raise InvalidArgument("time_saved_minutes must be between 0 and 100000.")
    return up


def record_experience(
    brain: Brain,
    title: str,
    project: str,
    goal: str,
    what_happened: str,
    solution: str,
    work_type: str = "code",
    result: str = "SUCCESS",
    patterns_applied: list[str] | None = None,
    patterns_failed: list[str] | None = None,
    new_patterns: list[NewPatternInput] | None = None,
    example: str | None = None,
    duration: str | None = None,
    time_saved_minutes: int | None = None,
    quality: int | None = None,
    next_time: str | None = None,
    date: str | None = None,
) -> ExperienceResult:
    outcome = _checks(result, work_type, quality, time_saved_minutes)
    title = validate.one_line("title", title, 200)
    project = validate.one_line("project", project, 200)
    day = validate.day(date, brain.today())
    default_domain, folder = WORK_TYPES[work_type]
    story = episodes.EpisodeDraft(
        title=title,
        project=project,
        date=day,
        work_type=work_type,
        goal=validate.one_line("goal", goal, 1000),
        what_happened=validate.text("what_happened", what_happened),
        solution=validate.text("solution", solution),
        result=outcome,
        duration=duration,
        time_saved_minutes=time_saved_minutes,
        quality=quality,
        next_time=validate.text("next_time", next_time, required=False) if next_time else None,
    )
    line = example or f"{project} - {title} ({day}) - {outcome.title()}"
    # Names that resolve to the same pattern count once.
    applied = list({(r.path, r.entry.name): r for r in (brain.find(n) for n in patterns_applied or [])}.values())
    failed = _failed(brain, outcome, patterns_failed)
    before = _recorded_before(brain, folder, story)
    rel = before or _episode_path(brain, folder, day, title)
    drafts = [
        (
            domain_file(p.domain or default_domain),
            new_pattern(
                brain,
                p.name,
                p.pattern,
                p.context,
                p.example or line,
                p.domain or default_domain,
                why=p.why,
                date=day,
                source_experience=rel,
            ),
        )
        for p in new_patterns or []
    ]
    if len({name_key(d.name) for _, d in drafts}) < len(drafts):
        raise AlreadyExists("new_patterns names the same pattern twice; give each new pattern once.")
    touched = sorted({ref.path for ref in applied + failed} | {path for path, _ in drafts})
    today = brain.today().isoformat()
    changes: list[ConfidenceChange] = []
    created: list[NewPatternResult] = []
    with brain.transaction(rel, *touched) as files:
        for ref in applied:
            text = files[ref.path] or ""
            files[ref.path], change = reinforce_text(ref.path, text, ref.entry.name, line, day, today, rel, brain=brain)
            changes.append(change)
        for ref in failed if before is None else []:  # a retry's counter-examples are already there
            counter = f"{project} - {title} ({day}) - {outcome} ({rel})"
            files[ref.path] = counter_text(ref.path, files[ref.path] or "", ref.entry.name, counter, today, brain)
        for path, draft in drafts:
            made = NewPatternResult(name=draft.name, slug=slugify(draft.name), path=path, confidence="LOW")
            if before is None or not _has_pattern(files[path], path, draft.name):
                files[path] = insert_text(path, files[path], draft, domain_of(path), today, brain)
            created.append(made)
        if before is None:
            files[rel] = episodes.render(
                replace(
                    story,
                    applied=tuple(c.name for c in changes),
                    patterns=tuple(
                        [c.name for c in changes] + [c.name for c in created] + [r.entry.name for r in failed]
                    ),
                    learnings=_learnings(changes, created) + tuple(f"Counter-example: {r.entry.name}" for r in failed),
                    links=_links(changes, created),
                )
            )
        repeated = before is not None and all(files[p] == brain.store.read(p) for p in touched)
    if repeated:
        return ExperienceResult(path=rel, created=created, reinforced=changes, unchanged=True)
    events = [health.reinforced(c) for c in changes if not c.unchanged] + [health.learned(c) for c in created]
    events.append(health.GrowthEvent("time", "", time_saved_minutes or 0))
    health.after_write(brain, events)
    return ExperienceResult(path=rel, created=created, reinforced=changes)


def _recorded_before(brain: Brain, folder: str, story: episodes.EpisodeDraft) -> str | None:
    """An episode already written from the same arguments (a client retrying after a timeout):
    the same title, project, date, context, story, solution and result."""
    core = episodes.core(story)
    for rel in _episode_paths(folder, story.date, story.title):
        text = brain.store.read(rel)
        if text is None:
            return None
        if all(part in text.replace("\r\n", "\n") for part in core):
            return rel
    return None  # unreachable: the paths run on until one is free


def _has_pattern(text: str | None, path: str, name: str) -> bool:
    return text is not None and any(e.name == name for e in parse_patterns(path, text).entries)


def _learnings(changes: list[ConfidenceChange], created: list[NewPatternResult]) -> tuple[str, ...]:
    out = [f"Reinforced: {c.name} (confidence: {c.confidence_before} → {c.confidence_after})" for c in changes]
    out += [f"New: {c.name} (confidence: LOW)" for c in created]
    return tuple(out)


def _links(changes: list[ConfidenceChange], created: list[NewPatternResult]) -> tuple[str, ...]:
    out = [f"→ Created: {c.path}#{c.slug}" for c in created]
    for c in changes:
        n = c.examples
        out += [
            f"→ Reinforced: {c.path}#{slugify(c.name)}",
            f"→ Confidence: {c.confidence_before} → {c.confidence_after} ({n} example{'s' if n != 1 else ''})",
        ]
    return tuple(out)


def _failed(brain: Brain, outcome: str, names: list[str] | None) -> list[PatternRef]:
    """The patterns applied without working: a counter-example each (PARTIAL or BLOCKED only)."""
    if names and outcome == "SUCCESS":
        raise InvalidArgument("patterns_failed needs result PARTIAL or BLOCKED: a pattern that failed did not succeed.")
    return list({(r.path, r.entry.name): r for r in (brain.find(n) for n in names or [])}.values())
