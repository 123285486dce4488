"""``recall``: BM25 over the fields of every memory, with tie-breakers among comparable hits.

Text relevance comes from the FTS5 index (``service/index.py``): a document's BM25 with the
field weights there. The convention's priorities (an exact title, then HIGH patterns,
experiences of the last 30 days, MEDIUM and LOW patterns, older experiences, the latest
work-log entry) multiply it by at most 1.08, so they order comparably relevant hits and never
lift a weak match over a strong one. Hits under ``FLOOR`` of the best score are dropped.
The formula is in ``docs/FORMAT.md`` §9, "How recall searches and ranks".
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, replace
from datetime import timedelta

from devlore.errors import InvalidArgument
from devlore.layout import EPISODIC, KIND_FOLDERS, PATTERN_SUFFIX, WORK_TYPES, domain_file
from devlore.model import Hit, RecallResult
from devlore.service import validate
from devlore.service.brain import Brain
from devlore.service.documents import LEVEL_TIER
from devlore.service.index import Candidate, Index, Scope
from devlore.service.problems import of_kinds
from devlore.service.thesaurus import alternatives

__all__ = ["FLOOR", "recall", "tokens"]

# Words a natural question carries that say nothing about its topic. Short code words (io,
# db, ci, n+1, c#, k8s) are never here.
_STOP = frozenset(
    """a about after all also am an and any are as at be been being but by can could did do does doing
    for from get got had has have having he her his how i if in into is it its it's just me my no not
    of on or our please she should so some than that the their them then there these they this those
    to was we were what what's when where which while who why will with would you your""".split()
)
_WORD = re.compile(r"\w+", re.UNICODE)
_RAW = re.compile(r'"([^"]*)"|(\S+)')
_EDGE = re.compile(r"^[^\w]+|[^\w+#]+$", re.UNICODE)
_EXACT = 0.05
_RECENT_EPISODE = 0.025
_OLDER_EPISODE = 0.005
_STEP = LEVEL_TIER["HIGH"] - LEVEL_TIER["MEDIUM"]  # one level of a pattern's lift
FLOOR = 0.3
_TYPO_MIN = 4  # shorter words are more often code words than typos
_RELAXED = "No memory has all of the words; showing those with most of them."
_CANDIDATES = 200
_COMMON = 0.05  # the question in other words leaves out words in more memories than this
_ALSO = 0.6  # a hit found only through the thesaurus counts this much of its BM25 (tuned)
MAX_HITS = 25  # with titles capped, 25 hits keep an answer far under 20,000 characters


@dataclass(frozen=True)
class Term:
    text: str  # as the caller wrote it, lower case: a word, an identifier or a quoted phrase
    parts: tuple[str, ...]  # its words
    phrase: bool  # quoted by the caller: its words must stand together
    also: tuple[str, ...] = ()  # FTS5 phrases that mean the same (``thesaurus``)

    def all(self) -> str:
        """The FTS5 expression a document holding this term matches."""
        whole = '"' + " ".join(self.parts) + '"'
        if self.phrase or len(self.parts) == 1:
            return _either(whole, self.also)
        return _either(f"({whole} OR ({' AND '.join(_quote(p) for p in self.parts)}))", self.also)

    def any(self) -> str:
        """The same, loosened to any of its words (short ones only as part of the whole)."""
        whole = '"' + " ".join(self.parts) + '"'
        loose = [_quote(p) for p in self.parts if len(p) > 1 and p not in _STOP]
        if self.phrase or len(self.parts) == 1:
            return _either(whole, self.also)
        return "(" + " OR ".join([whole, *loose, *self.also]) + ")"


def _either(expression: str, also: tuple[str, ...]) -> str:
    return "(" + " OR ".join([expression, *also]) + ")" if also else expression


def _quote(word: str) -> str:
    return '"' + word + '"'


def parse(query: str) -> list[Term]:
    """Quoted phrases, then words and identifiers (``N+1``, ``select_related``, ``v2.3``), stop
    words dropped unless quoted."""
    terms: list[Term] = []
    for quoted, raw in _RAW.findall(query.lower()):
        if quoted:
            if words := _WORD.findall(quoted):
                terms.append(Term(quoted.strip(), tuple(words), True))
            continue
        text = _EDGE.sub("", raw)
        words = [w for w in _WORD.findall(text) if w != "_"]
        if words and text not in _STOP and not (len(words) == 1 and words[0] in _STOP):
            terms.append(Term(text, tuple(words), False, _also(text)))
    return list({t.text: t for t in _pairs(terms)}.values())  # each term once, in the caller's order


def _also(text: str) -> tuple[str, ...]:
    return tuple(_quote(" ".join(_WORD.findall(a))) for a in alternatives(text))


def _pairs(terms: list[Term]) -> list[Term]:
    """Two neighbouring words the thesaurus knows as one (``thundering herd``) become one
    phrase with its alternatives."""
    out: list[Term] = []
    for t in terms:
        if out and not t.phrase and not out[-1].phrase and (also := _also(f"{out[-1].text} {t.text}")):
            out[-1] = Term(f"{out[-1].text} {t.text}", out[-1].parts + t.parts, True, also)
        else:
            out.append(t)
    return out


def tokens(text: str) -> list[str]:
    """The words of ``text`` that a search looks for (stop words dropped)."""
    return [w for t in parse(text) for w in t.parts]


def _snippet(text: str, terms: set[str], width: int = 160) -> str:
    """The window of ``width`` characters holding the most distinct query words."""
    flat = " ".join(text.replace("**", "").split())
    lower = flat.lower()
    hits = sorted((m.start(), t) for t in terms for m in re.finditer(rf"\b{re.escape(t)}", lower))
    best, best_count = 0, 0
    span = width * 2 // 3
    inside: dict[str, int] = {}  # the words in hits[i:j], the window starting at hit i
    j = 0
    for pos, term in hits:
        while j < len(hits) and hits[j][0] < pos + span:
            inside[hits[j][1]] = inside.get(hits[j][1], 0) + 1
            j += 1
        if len(inside) > best_count:
            best, best_count = pos, len(inside)
        inside[term] -= 1
        if not inside[term]:
            del inside[term]
    start = max(0, best - width // 3)
    piece = flat[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(flat) else "")


def _stem(word: str) -> str:
    """A prefix that the word's inflections share, to find them in a snippet."""
    for suffix in ("ies", "ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _lift(c: Candidate, exact: str, recent: str, faded: str | None = None) -> float:
    lift = c.tier
    if faded is not None and c.kind == "pattern" and (c.day or "") < faded:  # decay: one level lower
        lift = max(min(LEVEL_TIER.values()), lift - _STEP)
    if c.kind == "episode":
        lift += _RECENT_EPISODE if (c.day or "") >= recent else _OLDER_EPISODE
    return lift + (_EXACT if c.title.strip().lower() == exact else 0.0)


def scope(brain: Brain, kinds: list[str] | None, domain: str | None, since: str | None) -> Scope:
    """The documents a recall may return. A ``domain`` keeps the patterns of its pattern file
    and the experiences of the work types that write to it (workflows and work logs have no
    domain); ``since`` keeps memories dated on or after it (a pattern by its last example)."""
    if kinds and (bad := [k for k in kinds if k not in KIND_FOLDERS]):
        raise InvalidArgument(f"Unknown kinds {bad}: use any of {', '.join(KIND_FOLDERS)}.")
    files: tuple[str, ...] = ()
    if domain:
        domain_file(domain)  # refuses a path-like domain
        folders = [folder for mine, folder in WORK_TYPES.values() if mine == domain]
        files = (f"%/{domain}{PATTERN_SUFFIX}", *(f"{EPISODIC}/{f}/%" for f in folders))
    day = validate.day(since, brain.today(), "since") if since else None
    return Scope(tuple(kinds or KIND_FOLDERS), files, day)


def recall(
    brain: Brain,
    index: Index,
    query: str,
    kinds: list[str] | None = None,
    limit: int = 8,
    domain: str | None = None,
    since: str | None = None,
) -> RecallResult:
    terms = parse(query)
    if not terms:
        raise InvalidArgument("recall needs a query with at least one word, e.g. 'flaky tests' or 'cache keys'.")
    if not 1 <= limit <= MAX_HITS:
        raise InvalidArgument(f"limit must be between 1 and {MAX_HITS}.")
    wanted = scope(brain, kinds, domain, since)
    index.refresh()
    notes: list[str] = []
    asked = terms
    found, every, terms, respelled = _matches(index, [replace(t, also=()) for t in terms], wanted, limit)
    if not every and len(terms) > 1 and found:
        notes.append(_RELAXED)
    if every < limit and any(t.also for t in asked):  # the question answered poorly in its own words
        found, otherwise = _otherwise(index, asked, found, wanted, limit)
        notes += otherwise
    recent = (brain.today() - timedelta(days=30)).isoformat()
    exact = query.strip().strip('"').lower()
    days = brain.decay_days
    faded = (brain.today() - timedelta(days=days)).isoformat() if days is not None else None
    scored = sorted(
        ((c.bm25 * (1 + _lift(c, exact, recent, faded)), c) for c in found), key=lambda p: (-p[0], p[1].path)
    )
    best = scored[0][0] if scored else 0.0
    top = [(s, c) for s, c in scored if s > 0 and s >= FLOOR * best][:limit]
    bodies = index.bodies([c.id for _, c in top])
    words = {_stem(w) for t in terms for w in t.parts}
    words |= {_stem(w) for t in asked for a in t.also for w in _WORD.findall(a)}  # found in other words
    hits = [
        Hit(
            kind=c.kind,  # type: ignore[arg-type]  # the index only stores the four kinds
            title=c.title[:120],
            path=c.path,
            snippet=_snippet(bodies.get(c.id, "") or c.title, words),
            score=float(f"{score:.4g}"),
            entry=c.entry,
        )
        for score, c in top
    ]
    text = " ".join([*bodies.values(), *(c.title for _, c in top)]).lower()
    spelling = []
    for typed, stem in respelled:  # the index knows stems: name a word the hits hold
        said = re.search(rf"\b{re.escape(stem)}[^\W_]*", text)
        spelling.append(f"No memory says '{typed}'; searched for '{said[0] if said else stem}' instead.")
    notes = spelling + notes
    return RecallResult(hits=hits, note=" ".join(notes) or None, problems=of_kinds(index.problems(), wanted.kinds))


def _otherwise(
    index: Index, asked: list[Term], found: list[Candidate], wanted: Scope, limit: int
) -> tuple[list[Candidate], list[str]]:
    """``found`` joined by the hits of the question asked in other words (``thesaurus``), each
    counting ``_ALSO`` of its score there; and a note when only those words matched."""
    kept = {c.id: c for c in found}
    # Words most memories hold weigh next to nothing in BM25 but cost the most to rank: the
    # question in other words leaves them out, its own and the alternatives.
    asked = [replace(t, also=tuple(a for a in t.also if index.share(a) <= _COMMON)) for t in asked]
    if not any(t.also for t in asked):
        return found, []
    otherwise = []
    for t in asked:
        own = replace(t, also=()).any()
        parts = ([own] if index.share(own) <= _COMMON else []) + list(t.also)
        if parts:
            otherwise.append("(" + " OR ".join(parts) + ")")
    for c in index.search(" OR ".join(otherwise), wanted, _CANDIDATES):
        other = replace(c, bm25=c.bm25 * _ALSO)
        if c.id not in kept or kept[c.id].bm25 < other.bm25:
            kept[c.id] = other
    if not kept or found:
        return list(kept.values()), []
    said = ", ".join(a.strip('"') for t in asked for a in t.also[:3])
    return list(kept.values()), [f"No memory has these words; showing memories that say the same otherwise ({said})."]


def _matches(
    index: Index, terms: list[Term], wanted: Scope, limit: int
) -> tuple[list[Candidate], int, list[Term], list[tuple[str, str]]]:
    """Documents holding every term first; when fewer than asked for do, misspelt words are
    respelled, then documents holding any term are ranked too (BM25 puts those with more of
    the terms first). Also how many held every term, the terms searched and the respellings."""
    respelled: list[tuple[str, str]] = []
    found = index.search(" AND ".join(t.all() for t in terms), wanted, _CANDIDATES)
    if len(found) < limit:
        terms, respelled = _spelled(index, terms)
        if respelled:
            found = index.search(" AND ".join(t.all() for t in terms), wanted, _CANDIDATES)
    every = len(found)
    if len(found) < limit and len(terms) > 1:
        # A word most memories hold adds nothing to BM25 (FTS5 floors its idf) and costs the
        # most to rank: any-word matching leaves it out while a rarer word finds something.
        ors = [t.any() for t in terms]
        rare = [e for e in ors if index.share(e) <= 0.5]
        found = index.search(" OR ".join(rare), wanted, _CANDIDATES) if rare and rare != ors else []
        found = found or index.search(" OR ".join(ors), wanted, _CANDIDATES)
    return found, every, terms, respelled


def _spelled(index: Index, terms: list[Term]) -> tuple[list[Term], list[tuple[str, str]]]:
    """The terms with each word no memory holds replaced by the closest word the index knows
    (same first letter), and each replacement as (typed, indexed stem)."""
    out: list[Term] = []
    notes: list[tuple[str, str]] = []
    for t in terms:
        word = t.parts[0]
        if t.phrase or len(t.parts) > 1 or len(word) < _TYPO_MIN or not word.isalpha() or index.known(word):
            out.append(t)
            continue
        swapped = [word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)]
        close = [w for w in swapped if index.known(w)][:1]  # the commonest typo: two letters swapped
        close = close or difflib.get_close_matches(word, index.words(word[0]), n=1, cutoff=0.75)
        if close:
            notes.append((t.text, close[0]))
            t = replace(t, text=close[0], parts=(close[0],))
        out.append(t)
    return out, notes
