"""Suggestions, not surprises: what the memory would gain from a person's decision, ranked,
each with its evidence (docs/FORMAT.md, '3.3 Suggestions'). Nothing here writes.

- ``merge``: patterns that say the same thing (the same name once normalised, names or texts
  that share their rare words, the same example cited by both) → merge them?
- ``new_pattern``: a lesson that recurs in two or more experiences no pattern covers.
- ``revalidate``: a HIGH pattern with no example for 90+ days, or with counter-examples.
- ``promote``: a HIGH pattern without a workflow.
- ``almost``: a MEDIUM pattern one or two examples short of HIGH, used in the last 30 days.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import cast

from devlore.codec import episodes
from devlore.errors import DevloreError
from devlore.layout import EPISODIC, domain_of
from devlore.model import Suggestion
from devlore.names import name_key
from devlore.service.brain import Brain, PatternRef
from devlore.service.next_steps import Due, due, last_seen, workflow_slugs

__all__ = ["RECENT_EXPERIENCES", "suggest"]

RECENT_EXPERIENCES = 2_000  # the newest notes read for recurring lessons: bounded on any brain
MAX_GROUP = 5  # patterns in one merge suggestion: a longer chain is several decisions
MAX_TEXT = 300
_KIND_ORDER = ("merge", "new_pattern", "revalidate", "promote", "almost")
_WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*")
_STOP = frozenset(
    """a an and are as at be been before but by can do does each every for from has have how if in into is it
    its keep make more never new no not of on once one only or our out over same so than that the their them
    then there these they this those to too up use used using was we were what when where which while who why
    will with without you your after again all also any because both case cases does done down few first got
    just last less like many most much must need next now off other own part per some still such take time
    under until very way well work would""".split()
)
_LESSON_SECTIONS = ("learnings extracted", "next time", "solution", "lessons", "lesson")


def _stem(word: str) -> str:
    for suffix in ("ing", "ies", "es", "ed", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return word


def _terms(text: str) -> set[str]:
    words = (w.casefold().replace("'", "") for w in _WORD.findall(unicodedata.normalize("NFKC", text)))
    return {_stem(w) for part in words for w in part.split("-") if len(w) > 2 and w not in _STOP and not w.isdigit()}


@dataclass(frozen=True)
class _Ranked:
    suggestion: Suggestion
    score: float


@dataclass
class _Pattern:
    ref: PatternRef
    name_terms: set[str]
    text_terms: set[str]
    examples: set[str]
    last: str | None  # the newest example's date, else Last reinforced


def _patterns(brain: Brain) -> list[_Pattern]:
    """Every pattern's words, kept with its file's parse (a second call reads nothing again)."""
    out: list[_Pattern] = []
    for rel, pf in brain.pattern_files():
        hit = brain.memo.get((rel, "suggest"))
        if hit is not None and hit[0] is pf:
            out += cast(list[_Pattern], hit[2])
            continue
        mine = [_pattern(PatternRef(rel, domain_of(rel), e, pf)) for e in pf.entries]
        brain.memo[(rel, "suggest")] = (pf, None, mine)
        out += mine
    return out


def _pattern(ref: PatternRef) -> _Pattern:
    e, lines = ref.entry, ref.file.lines
    text = " ".join(e.block_text(lines, k) for k in ("context", "pattern", "### description", "### when to use"))
    last = last_seen(e)
    examples = {" ".join(x.text.casefold().split()) for x in e.examples}
    return _Pattern(ref, _terms(e.name), _terms(text), examples, last)


def _plural(n: int) -> str:
    return f"{n} example" if n == 1 else f"{n} examples"


def _label(p: _Pattern) -> str:
    return f"'{p.ref.entry.name}' ({p.ref.domain}, {p.ref.entry.example_count} ex.)"


# -- near-duplicates ---------------------------------------------------------------------------------


def _pair_evidence(a: _Pattern, b: _Pattern, rare: set[str]) -> tuple[float, list[str]]:
    score, why = 0.0, []
    if name_key(a.ref.entry.name) == name_key(b.ref.entry.name):
        score += 3
        why.append(f"same name once normalised: {_label(a)} / {_label(b)}")
    shared_names = a.name_terms & b.name_terms
    union = a.name_terms | b.name_terms
    if len(shared_names) >= 2 and len(shared_names) / len(union) >= 0.6:
        score += 2.5 if shared_names == union else 1.5
        why.append(f"names share: {', '.join(sorted(shared_names))}")
    cited = a.examples & b.examples
    if cited:
        score += 2 + len(cited)
        why.append(f"both cite: {next(iter(sorted(cited)))[:120]}")
    words = sorted((a.text_terms | a.name_terms) & (b.text_terms | b.name_terms) & rare)
    if len(words) >= 3:
        score += 0.2 * len(words)
        why.append(f"rare words in both: {', '.join(words[:8])}")
    return score, why


def _candidates(pats: list[_Pattern], rare: set[str]) -> set[tuple[int, int]]:
    """Pairs worth scoring: those sharing a normalised name, a name word few names have, a rare
    word or an example (never all pairs: 7,500 patterns would be 28 million)."""
    named: Counter[str] = Counter(t for p in pats for t in p.name_terms)
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pats):
        by_key[name_key(p.ref.entry.name)].append(i)
        for t in p.name_terms:
            if named[t] <= max(5, len(pats) // 100):
                by_key["\1" + t].append(i)
        for t in (p.name_terms | p.text_terms) & rare:
            by_key[t].append(i)
        for x in p.examples:
            by_key["\0" + x].append(i)
    return {(i, j) for ids in by_key.values() if len(ids) <= 50 for i in ids for j in ids if i < j}


def _duplicates(pats: list[_Pattern]) -> list[_Ranked]:
    df: Counter[str] = Counter(t for p in pats for t in p.name_terms | p.text_terms)
    rare = {t for t, n in df.items() if n <= max(2, len(pats) // 100)}
    pairs = _candidates(pats, rare)
    parent = list(range(len(pats)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    size = [1] * len(pats)
    evidence: dict[int, list[str]] = defaultdict(list)
    scores: dict[int, float] = defaultdict(float)
    for i, j in sorted(pairs):
        score, why = _pair_evidence(pats[i], pats[j], rare)
        if score >= 2 and size[root(i)] + size[root(j)] <= MAX_GROUP and root(i) != root(j):
            size[root(i)] += size[root(j)]
            parent[root(j)] = root(i)
            evidence[i] += why
            scores[i] += score
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(pats)):
        groups[root(i)].append(i)
    out: list[_Ranked] = []
    for members in groups.values():
        if len(members) < 2:
            continue
        ranked = sorted(members, key=lambda i: (-pats[i].ref.entry.example_count, i))
        keep, rest = pats[ranked[0]], [pats[i] for i in ranked[1:]]
        names = ", ".join(f"'{p.ref.entry.name}' ({p.ref.domain})" for p in rest)
        why = list(dict.fromkeys(w for i in members for w in evidence[i]))
        out.append(
            _Ranked(
                Suggestion(
                    kind="merge",
                    text=f"Merge {names} into '{keep.ref.entry.name}' ({keep.ref.domain})? (revise_pattern merge_into)",
                    evidence=why[:5],
                ),
                round(sum(scores[i] for i in members), 2),
            )
        )
    return out


# -- recurring lessons ---------------------------------------------------------------------------------


def _lesson(rel: str, text: str) -> tuple[str, set[str], bool]:
    """(title, the lesson's terms, whether the note links a pattern)."""
    ep = episodes.parse(rel, text)
    linked = bool(ep.meta.get("patterns")) or "→ Created:" in ep.body or "→ Reinforced:" in ep.body
    sections: list[str] = []
    keep = False
    for line in ep.body.splitlines():
        if line.startswith("## "):
            keep = line[3:].strip().casefold() in _LESSON_SECTIONS
        elif keep and not line.startswith(("- New:", "- Reinforced:", "→")):
            sections.append(line)
    return ep.title, _terms(" ".join(sections)), linked


def _notes(brain: Brain) -> list[tuple[str, str, set[str]]]:
    rels = sorted(brain.store.scan(EPISODIC), key=lambda r: r.rsplit("/", 1)[-1], reverse=True)[:RECENT_EXPERIENCES]
    out: list[tuple[str, str, set[str]]] = []
    for rel in rels:
        try:
            title, terms, linked = brain.derived(rel, "lesson", _lesson)
        except DevloreError:
            continue
        if not linked and terms:
            out.append((rel, title, terms))
    return out


def _lessons(brain: Brain, pats: list[_Pattern]) -> list[_Ranked]:
    notes = _notes(brain)
    df: Counter[str] = Counter(t for _, _, terms in notes for t in terms)
    by_term: dict[str, list[int]] = defaultdict(list)
    for k, (_, _, terms) in enumerate(notes):
        for t in terms:
            if 2 <= df[t] <= max(3, len(notes) // 50):
                by_term[t].append(k)
    shared: dict[tuple[int, ...], set[str]] = defaultdict(set)
    for t, ids in by_term.items():
        shared[tuple(ids)].add(t)
    covered = [p.name_terms | p.text_terms for p in pats]
    out: list[_Ranked] = []
    for group, terms in shared.items():
        if len(terms) < 3 or any(len(terms & c) >= len(terms) * 0.6 for c in covered):
            continue
        words = sorted(terms)[:8]
        examples = [f"{notes[k][1]} ({notes[k][0]})" for k in group]
        out.append(
            _Ranked(
                Suggestion(
                    kind="new_pattern",
                    text=f"{len(group)} experiences share a lesson no pattern covers ({', '.join(words[:4])}): add it?",
                    evidence=[f"shared words: {', '.join(words)}", *examples[:4]],
                ),
                round(len(group) * len(terms) / 2, 2),
            )
        )
    return out


# -- levels: promote, revalidate, almost -----------------------------------------------------------------


def _levels(brain: Brain, pats: list[_Pattern], today: date) -> Iterable[_Ranked]:
    """The facts the footer's next steps come from (``service.next_steps.due``), as suggestions."""
    flows = workflow_slugs(brain)
    for p in pats:
        for d in due(p.ref.file, p.ref.entry, today, flows):
            yield _worded(d)


def _worded(d: Due) -> _Ranked:
    name, n, last = d.name, d.examples, d.last
    if d.kind == "promote":
        text = f"'{name}' is HIGH with no workflow: promote_to_workflow?"
        return _Ranked(Suggestion(kind="promote", text=text, evidence=[f"{n} examples, last {last or 'undated'}"]), 1.0)
    if d.kind == "almost":
        text = f"'{name}' is {_plural(d.short)} short of HIGH and was used on {last}."
        return _Ranked(Suggestion(kind="almost", text=text, evidence=[f"{n} examples: MEDIUM now"]), 1.0 / d.short)
    if d.counters:
        text = f"'{name}' has {len(d.counters)} counter-examples for {n} examples: still true?"
        return _Ranked(Suggestion(kind="revalidate", text=text, evidence=list(d.counters[-3:])), 1.5 + len(d.counters))
    text = f"'{name}' is HIGH but has no example since {last or 'ever'}: still true?"
    evidence = [f"{n} examples, the newest from {last or 'no date'}"]
    return _Ranked(Suggestion(kind="revalidate", text=text, evidence=evidence), 2.0)


def suggest(brain: Brain, limit: int = 10) -> list[Suggestion]:
    """The suggestions, ranked (merges first, then new patterns, revalidations, promotions and
    patterns nearly HIGH; within a kind, the strongest evidence first), at most ``limit``."""
    pats = _patterns(brain)
    found = [*_duplicates(pats), *_lessons(brain, pats), *_levels(brain, pats, brain.today())]
    found.sort(key=lambda r: (_KIND_ORDER.index(r.suggestion.kind), -r.score, r.suggestion.text))
    return [_bounded(r.suggestion) for r in found[:limit]]


def _bounded(s: Suggestion) -> Suggestion:
    """Long names make long suggestions: each stays a few lines (the answer's 20,000 bound)."""
    cut = [e if len(e) <= 200 else e[:197] + "..." for e in s.evidence[:5]]
    text = s.text if len(s.text) <= MAX_TEXT else s.text[: MAX_TEXT - 3] + "..."
    return Suggestion(kind=s.kind, text=text, evidence=cut)
