"""Pattern use cases: list, get, add, reinforce and re-rate, each write re-applied under lock."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import cast

from devlore.codec import pattern_edits as edits
from devlore.codec.pattern_entry import Entry, minutes, slugify
from devlore.codec.pattern_revise import COUNTER, bullets
from devlore.codec.patterns import PatternFile
from devlore.codec.text import Splice
from devlore.errors import AlreadyExists, Conflict, InvalidArgument, InvalidTransition
from devlore.layout import domain_file, domain_of
from devlore.model import (
    ConfidenceChange,
    Level,
    NewPatternResult,
    PatternDetail,
    PatternList,
    PatternSummary,
    decayed,
    evidence_level,
    examples_needed,
    is_stale,
)
from devlore.names import name_key
from devlore.service import health, validate
from devlore.service.brain import Brain, PatternRef, parse_patterns, remember_parse
from devlore.service.next_steps import last_seen, with_steps
from devlore.service.paging import page
from devlore.service.pattern_summary import kept, summary
from devlore.service.problems import in_patterns

__all__ = [
    "add_example",
    "add_pattern",
    "get_pattern",
    "list_patterns",
    "upgrade_confidence",
]

ANSWER_BUDGET = 16_000  # characters of pattern summaries per page: an answer stays under 20,000
MAX_MARKDOWN = 5_000  # get_pattern answers stay bounded; the resource has the whole entry
MAX_EXAMPLES = 30  # the most recent ones
MAX_COUNTERS = 10  # likewise; with the examples, sources and markdown an answer stays under 20,000
_NUMBER = re.compile(r"^\s*\d+[.)]\s+")
_TIME_LABELS = {"pm": "Time saved", "content": "Avg engagement"}


def list_patterns(
    brain: Brain,
    domain: str | None = None,
    level: str | None = None,
    stale_days: int | None = None,
    mismatched: bool = False,
    cursor: str | None = None,
    limit: int = 50,
) -> PatternList:
    wanted = validate.level(level)
    if stale_days is not None and stale_days < 0:
        raise InvalidArgument("stale_days must be 0 or more (days since the pattern was last reinforced).")
    today = brain.today()
    days = stale_days if stale_days is not None else 90
    # Filter on the parsed entries and build models for one page only: a 50,000-file brain
    # holds thousands of patterns, and a pydantic model each was most of the answer's time.
    files = list(brain.pattern_files(domain))
    # The filtered list is kept while every file's parse is the same one: paging through a
    # 7,500-pattern brain does not walk it again for each page.
    key = ("list_patterns", f"{domain}|{wanted}|{stale_days}|{mismatched}|{brain.decay_days}")
    token = (tuple(pf for _, pf in files), today)
    hit = brain.memo.get(key)
    out = cast(list[PatternRef], hit[2]) if hit is not None and _same(hit[0], token[0]) and hit[1] == today else None
    if out is None:
        out = []
        for rel, pf in files:
            name = domain_of(rel)
            out += (
                PatternRef(rel, name, e, pf)
                for e in pf.entries
                if kept(e, wanted, stale_days, mismatched, today, brain.decay_days)
            )
        if len(brain.memo) > 256:  # filters are open-ended (stale_days): keep the memo small
            brain.memo.clear()
        brain.memo[key] = (token[0], today, out)
    chunk, next_cursor, remaining = page(out, cursor, limit)
    shown: list[PatternSummary] = []
    used = 0
    for ref in chunk:  # long names can make a full page too big: it stops early, and says where
        s = summary(ref, days, today, brain.decay_days)
        used += len(s.model_dump_json()) + 1
        if shown and used > ANSWER_BUDGET:
            break
        shown.append(s)
    if len(shown) < len(chunk):
        end = int(cursor or 0) + len(shown)
        next_cursor, remaining = str(end), len(out) - end
    problems = in_patterns(brain.problems, brain.pattern_paths(domain))
    return PatternList(patterns=shown, total=len(out), remaining=remaining, next_cursor=next_cursor, problems=problems)


def _same(kept: object, now: tuple[PatternFile, ...]) -> bool:
    """The same parses, object for object (a file re-parsed is a new object)."""
    return isinstance(kept, tuple) and len(kept) == len(now) and all(a is b for a, b in zip(kept, now, strict=True))


def get_pattern(brain: Brain, pattern: str, domain: str | None = None) -> PatternDetail:
    ref = brain.find(pattern, domain)
    e = ref.entry
    markdown = "".join(ref.file.doc.lines[e.start : e.content_end])
    examples = [x.text for x in e.examples]
    counters = bullets(ref.file, e, COUNTER)
    truncated = len(markdown) > MAX_MARKDOWN or len(examples) > MAX_EXAMPLES or len(counters) > MAX_COUNTERS
    return PatternDetail(
        name=e.name,
        slug=e.slug,
        domain=ref.domain,
        path=ref.path,
        confidence=e.stated,
        evidence_level=e.evidence,
        examples=[x[:200] for x in examples[-MAX_EXAMPLES:]],
        last_reinforced=e.last_reinforced,
        stale=is_stale(e.last_reinforced, brain.today()),
        format=e.format,
        sources=list(e.sources)[-MAX_EXAMPLES:],
        counter_examples=[x[:200] for x in counters[-MAX_COUNTERS:]],
        markdown=markdown[:MAX_MARKDOWN],
        truncated=truncated,
    )


def _named(pf: PatternFile, name: str, rel: str) -> Entry:
    for entry in pf.entries:
        if entry.name == name:
            return entry
    raise Conflict(
        f"Pattern '{name}' is no longer in {rel} (renamed or removed by an edit just now); "
        "nothing was written. Call list_patterns and try again."
    )


def _with_footer(
    rel: str, pf: PatternFile, splices: list[Splice], today: str, counted: list[Level], brain: Brain | None = None
) -> str:
    """Apply an edit and the footer it implies in one pass over the original lines, then (given
    the brain, for its workflows) the footer's next steps.

    The new text's parse comes from re-reading only the edited sections, and is remembered,
    so the reads after the write (health, search, the next call) do not parse the file again."""
    after = with_steps(pf.edited([*splices, *edits.footer(pf, today, counted)]), today, brain)
    text = after.doc.render()
    remember_parse(rel, text, after)
    return text


def _levels_with(pf: PatternFile, entry: Entry, level: Level) -> list[Level]:
    return [level if e is entry else current for e, current in zip(pf.entries, edits.levels(pf), strict=True)]


def _full_date(line: str) -> str | None:
    """The example's own ``(YYYY-MM-DD)``, which becomes its Last reinforced date (docs/FORMAT.md,
    '3. How the tools edit pattern files')."""
    m = re.search(r"\((\d{4}-\d{2}-\d{2})\)", line)
    return m.group(1) if m else None


def _example_line(example: str) -> str:
    return _NUMBER.sub("", validate.one_line("example", example), count=1)


def _iso(value: str | None) -> str | None:
    """The ``YYYY-MM-DD`` a written date starts with, if it is one."""
    m = re.match(r"\d{4}-\d{2}-\d{2}", value or "")
    return m.group(0) if m else None


def listed(entry: Entry, example: str, day: str) -> bool:
    """The entry already lists this example line: as written (format A), or as format B writes
    it (the date in its own brackets, left out of the text)."""
    plain = re.sub(r"\s*\(\d{4}-\d{2}(?:-\d{2})?\)", "", example, count=1).strip()
    return any(x.text == example or (entry.format == "B" and x.text == plain and x.date == day) for x in entry.examples)


def reinforce_text(
    rel: str,
    text: str,
    name: str,
    example: str,
    day: str,
    today: str,
    source: str | None = None,
    minutes_saved: int | None = None,
    brain: Brain | None = None,
) -> tuple[str, ConfidenceChange]:
    """The pure step of ``add_example``: the file's new text and the level change."""
    pf = parse_patterns(rel, text)
    entry = _named(pf, name, rel)
    if listed(entry, example, day):  # a retried call: the evidence is counted once
        count = len(entry.examples)
        level = evidence_level(count)
        return text, ConfidenceChange(
            name=name, path=rel, examples=count, confidence_before=entry.stated, confidence_after=level, unchanged=True
        )
    # A back-filled example never moves Last reinforced backwards: it is the latest date.
    latest = max(day, _iso(entry.last_reinforced) or day)
    splices = edits.add_example(pf, entry, example, day, source, latest=latest)
    total = entry.fields.get("total saved")
    if minutes_saved and total is not None:
        now = (minutes(total.value) or 0) + minutes_saved
        splices.append(Splice(total.line, total.line + 1, (f"- **Total saved:** {now} min",)))
    count = len(entry.examples) + 1
    new_text = _with_footer(rel, pf, splices, today, _levels_with(pf, entry, evidence_level(count)), brain)
    return new_text, ConfidenceChange(
        name=name,
        path=rel,
        examples=count,
        confidence_before=entry.stated,
        confidence_after=evidence_level(count),
    )


def add_example(
    brain: Brain,
    pattern: str,
    example: str,
    domain: str | None = None,
    date: str | None = None,
    source_experience: str | None = None,
    time_saved_minutes: int | None = None,
) -> ConfidenceChange:
    line = _example_line(example)
    day = validate.day(date or _full_date(line), brain.today(), "date" if date else "date in the example")
    source = validate.source(source_experience)
    if time_saved_minutes is not None and not 0 <= time_saved_minutes <= 100_000:
        raise InvalidArgument("time_saved_minutes must be between 0 and 100000.")
    ref = brain.find(pattern, domain)
    with brain.transaction(ref.path) as files:
        text = files[ref.path]
        if text is None:
            raise Conflict(f"{ref.path} was removed just now; nothing was written. Call list_patterns.")
        files[ref.path], change = reinforce_text(
            ref.path, text, ref.entry.name, line, day, brain.today().isoformat(), source, time_saved_minutes, brain
        )
    if not change.unchanged:
        health.after_write(brain, [health.reinforced(change, time_saved_minutes or 0)])
    return change


def upgrade_confidence(
    brain: Brain, pattern: str, level: str | None = None, domain: str | None = None
) -> ConfidenceChange:
    target = validate.level(level)
    ref = brain.find(pattern, domain)
    with brain.transaction(ref.path) as files:
        text = files[ref.path]
        if text is None:
            raise Conflict(f"{ref.path} was removed just now; nothing was written. Call list_patterns.")
        pf = parse_patterns(ref.path, text)
        entry = _named(pf, ref.entry.name, ref.path)
        count = len(entry.examples)
        _check_target(entry, count, target)
        rerated = edits.rerate(pf, entry, count)
        if decayed(last_seen(entry), brain.today(), brain.decay_days):  # re-checked by hand: fresh again
            rerated += edits.reinforced(pf, entry, brain.today().isoformat())
        if pf.doc.splice(rerated).render() != text:  # the footer alone is no reason to write
            counted = _levels_with(pf, entry, target or evidence_level(count))
            files[ref.path] = _with_footer(ref.path, pf, rerated, brain.today().isoformat(), counted, brain)
    change = ConfidenceChange(
        name=entry.name,
        path=ref.path,
        examples=count,
        confidence_before=entry.stated,
        confidence_after=evidence_level(count),
    )
    if files[ref.path] != text:
        health.after_write(brain, [health.reinforced(change, 0, rerated=True)])
    return change


def _check_target(entry: Entry, count: int, target: Level | None) -> None:
    if target is None or target == evidence_level(count):
        return
    need = examples_needed(target)
    if count < need:
        missing = need - count
        raise InvalidTransition(
            f"'{entry.name}' has {count} example{'s' if count != 1 else ''}; {target} needs {need}, "
            f"so {missing} more {'is' if missing == 1 else 'are'} missing. Nothing was changed: "
            "add examples with add_example as the pattern proves itself again."
        )
    raise InvalidTransition(
        f"'{entry.name}' has {count} examples, which is {evidence_level(count)} evidence; confidence follows "
        f"evidence, so it cannot be set to {target}. Nothing was changed. Call upgrade_confidence without "
        "a level to re-rate it from its examples."
    )


def add_pattern(
    brain: Brain,
    name: str,
    pattern: str,
    context: str,
    example: str,
    domain: str = "dev",
    why: str | None = None,
    time_saved: str | None = None,
    date: str | None = None,
    source_experience: str | None = None,
) -> NewPatternResult:
    rel = domain_file(domain)
    new = new_pattern(brain, name, pattern, context, example, domain, why, time_saved, date, source_experience)
    with brain.transaction(rel) as files:
        files[rel] = insert_text(rel, files[rel], new, domain, brain.today().isoformat(), brain)
    result = NewPatternResult(name=new.name, slug=slugify(new.name), path=rel, confidence="LOW")
    health.after_write(brain, [health.learned(result)])
    return result


def new_pattern(
    brain: Brain,
    name: str,
    pattern: str,
    context: str,
    example: str,
    domain: str,
    why: str | None = None,
    time_saved: str | None = None,
    date: str | None = None,
    source_experience: str | None = None,
) -> edits.NewPattern:
    return edits.NewPattern(
        name=validate.name("name", name),
        context=validate.text("context", context),
        pattern=validate.text("pattern", pattern),
        example=_example_line(example),
        day=validate.day(date or _full_date(example), brain.today(), "date" if date else "date in the example"),
        why=validate.text("why", why, required=False) or None if why else None,
        time_saved=validate.one_line("time_saved", time_saved) if time_saved else None,
        time_label=_TIME_LABELS.get(domain, "Time saved per use"),
        source=validate.source(source_experience),
    )


def insert_text(rel: str, text: str | None, new: edits.NewPattern, domain: str, today: str, brain: Brain) -> str:
    """The pure step of ``add_pattern``: refuse a duplicate anywhere, then insert the entry."""
    if text is None:
        text = edits.new_file(domain_of(rel) or domain)
    pf = parse_patterns(rel, text)
    others = ((ref.path, ref.entry) for ref in brain.patterns() if ref.path != rel)
    refuse_duplicate(new.name, [*others, *((rel, entry) for entry in pf.entries)])
    return _with_footer(rel, pf, edits.insert_entry(pf, new), today, [*edits.levels(pf), "LOW"], brain)


def refuse_duplicate(name: str, known: Iterable[tuple[str, Entry]]) -> None:
    """``AlreadyExists`` when ``name`` is an existing pattern's name: the same slug, or the same
    after Unicode folding, punctuation dropped and look-alike letters mapped (``names.name_key``)."""
    slug, key = slugify(name), name_key(name)
    for path, entry in known:
        if entry.slug == slug:
            raise AlreadyExists(
                f"A pattern named '{entry.name}' already exists in {path}; "
                "reinforce it with add_example instead of adding it again."
            )
        if name_key(entry.name) == key:
            raise AlreadyExists(
                f"{name!r} is a near-duplicate of the pattern '{entry.name}' in {path} (the same letters and "
                "digits once case, spaces, punctuation and look-alike letters are set aside). Reinforce it "
                "with add_example, or choose a name that differs in letters or digits."
            )
