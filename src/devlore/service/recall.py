"""``recall``: BM25 over titles, fields and bodies of every memory, with boosts.

Text relevance comes from the FTS5 index (``service/index.py``); among comparable hits an
exact title match ranks first, then HIGH patterns, experiences of the last 30 days, MEDIUM
and LOW patterns, then the rest (the level tiers are ``service.documents.LEVEL_TIER``).
"""

from __future__ import annotations

import re
from datetime import timedelta

from devlore.errors import InvalidArgument
from devlore.layout import KIND_FOLDERS
from devlore.model import Hit, RecallResult
from devlore.service.brain import Brain
from devlore.service.index import Candidate, Index

__all__ = ["recall", "tokens"]

_TOKEN = re.compile(r"\w+", re.UNICODE)
_STOP = frozenset(
    "a an and are as at be by for from how i in is it of on or that the this to was what when with".split()
)
_RECENT_TIER = 0.15
_EXACT_TIER = 1.0
_CANDIDATES = 200
MAX_HITS = 25  # with titles capped, 25 hits keep an answer far under 20,000 characters


def tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text.lower()) if t not in _STOP and t != "_"]


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


def recall(brain: Brain, index: Index, query: str, kinds: list[str] | None = None, limit: int = 8) -> RecallResult:
    q = tokens(query)
    if not q:
        raise InvalidArgument("recall needs a query with at least one word, e.g. 'flaky tests' or 'cache keys'.")
    if kinds and (bad := [k for k in kinds if k not in KIND_FOLDERS]):
        raise InvalidArgument(f"Unknown kinds {bad}: use any of {', '.join(KIND_FOLDERS)}.")
    if not 1 <= limit <= MAX_HITS:
        raise InvalidArgument(f"limit must be between 1 and {MAX_HITS}.")
    index.refresh()
    recent = (brain.today() - timedelta(days=30)).isoformat()
    exact = query.strip().lower()
    scored: list[tuple[float, Candidate]] = []
    for c in index.search(q, kinds or list(KIND_FOLDERS), _CANDIDATES, enough=limit):
        tier = c.tier + (_RECENT_TIER if c.kind == "episode" and (c.day or "") >= recent else 0.0)
        tier += _EXACT_TIER if c.title.strip().lower() == exact else 0.0
        scored.append((c.bm25 * (1 + tier), c))
    scored.sort(key=lambda p: (-p[0], p[1].path))
    top = scored[:limit]
    bodies = index.bodies([c.id for _, c in top])
    hits = [
        Hit(
            kind=c.kind,  # type: ignore[arg-type]  # the index only stores the four kinds
            title=c.title[:120],
            path=c.path,
            snippet=_snippet(bodies.get(c.id, ""), set(q)),
            score=round(score, 3),
        )
        for score, c in top
    ]
    return RecallResult(hits=hits)
