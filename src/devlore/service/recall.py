"""``recall``: BM25 over titles, fields and bodies of every memory, with SPEC's boosts.

The index is derived: documents are cached per file by (mtime, size) and rebuilt from the
files whenever one changes, so it can never disagree with the markdown for long.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from devlore.codec import episodes, workflows
from devlore.codec.frontmatter import FrontmatterError
from devlore.errors import DevloreError, InvalidArgument
from devlore.layout import EPISODIC, WORKFLOWS, WORKLOGS
from devlore.model import Hit, RecallResult
from devlore.service.brain import Brain
from devlore.store import Stat

__all__ = ["KINDS", "Index", "recall"]

KINDS = ("pattern", "episode", "workflow", "worklog")
_TOKEN = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "a an and are as at be by for from how i in is it of on or that the this to was what when with".split()
)
_K1, _B = 1.2, 0.75
_TITLE_WEIGHT = 3


def tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text.lower()) if t not in _STOP]


@dataclass(frozen=True)
class Document:
    kind: str
    title: str
    path: str
    text: str
    terms: Counter[str]
    length: int
    tier: float  # ranking bonus among comparable hits
    day: str | None = None


def _doc(kind: str, title: str, path: str, text: str, tier: float = 0.0, day: str | None = None) -> Document:
    terms = Counter(tokens(text))
    for t in tokens(title):
        terms[t] += _TITLE_WEIGHT
    return Document(kind, title, path, text, terms, sum(terms.values()), tier, day)


_LEVEL_TIER = {"HIGH": 0.3, "MEDIUM": 0.1, "LOW": 0.05}


class Index:
    """Per-file document cache plus BM25 statistics, rebuilt when any file changed."""

    def __init__(self) -> None:
        self._files: dict[str, tuple[Stat, list[Document]]] = {}
        self._lock = threading.Lock()
        self._stats: tuple[dict[str, int], float, int] | None = None

    def refresh(self, brain: Brain) -> list[Document]:
        paths = {p: "pattern" for p in brain.pattern_paths()}
        paths.update({p: "episode" for p in brain.store.glob(EPISODIC, "*.md", recursive=True)})
        paths.update({p: "workflow" for p in brain.store.glob(WORKFLOWS)})
        paths.update({p: "worklog" for p in brain.store.glob(WORKLOGS)})
        with self._lock:
            changed = set(self._files) != set(paths)
            for rel in list(self._files):
                if rel not in paths:
                    del self._files[rel]
            for rel, kind in paths.items():
                stat = brain.store.stat(rel)
                cached = self._files.get(rel)
                if stat is None or (cached and cached[0] == stat):
                    continue
                self._files[rel] = (stat, _documents(brain, rel, kind))
                changed = True
            if changed or self._stats is None:
                self._stats = None
            return [d for _, docs in self._files.values() for d in docs]

    def statistics(self, docs: list[Document]) -> tuple[dict[str, int], float, int]:
        with self._lock:
            if self._stats is None:
                df: Counter[str] = Counter()
                for d in docs:
                    df.update(d.terms.keys())
                avg = sum(d.length for d in docs) / len(docs) if docs else 1.0
                self._stats = (dict(df), avg or 1.0, len(docs))
            return self._stats


def _documents(brain: Brain, rel: str, kind: str) -> list[Document]:
    try:
        if kind == "pattern":
            pf = brain.pattern_file(rel)
            if pf is None:
                return []
            return [
                _doc(
                    "pattern",
                    e.name,
                    f"{rel}#{e.slug}",
                    "\n".join(pf.lines[e.start + 1 : e.content_end]),
                    _LEVEL_TIER[e.evidence],
                    e.last_reinforced,
                )
                for e in pf.entries
            ]
        text = brain.store.read(rel) or ""
        if kind == "episode":
            ep = episodes.parse(rel, text)
            return [_doc("episode", ep.title, rel, ep.body, 0.0, ep.date)]
        if kind == "workflow":
            wf = workflows.parse(rel, text)
            return [_doc("workflow", wf.title, rel, text)]
        title = next((ln[2:].strip() for ln in text.splitlines() if ln.startswith("# ")), rel)
        return [_doc("worklog", title, rel, text)]
    except (DevloreError, FrontmatterError):
        return []


def _snippet(text: str, terms: set[str], width: int = 160) -> str:
    """The window of ``width`` characters holding the most distinct query words."""
    flat = " ".join(text.replace("**", "").split())
    lower = flat.lower()
    hits = sorted((m.start(), t) for t in terms for m in re.finditer(rf"\b{re.escape(t)}", lower))
    best, best_count = 0, 0
    for i, (pos, _) in enumerate(hits):
        count = len({t for p, t in hits[i:] if p < pos + width * 2 // 3})
        if count > best_count:
            best, best_count = pos, count
    start = max(0, best - width // 3)
    piece = flat[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(flat) else "")


def recall(brain: Brain, index: Index, query: str, kinds: list[str] | None = None, limit: int = 8) -> RecallResult:
    q = tokens(query)
    if not q:
        raise InvalidArgument("recall needs a query with at least one word, e.g. 'flaky tests' or 'cache keys'.")
    if kinds and (bad := [k for k in kinds if k not in KINDS]):
        raise InvalidArgument(f"Unknown kinds {bad}: use any of {', '.join(KINDS)}.")
    if not 1 <= limit <= 50:
        raise InvalidArgument("limit must be between 1 and 50.")
    docs = index.refresh(brain)
    df, avg, n = index.statistics(docs)
    recent = (brain.today() - timedelta(days=30)).isoformat()
    wanted = set(kinds or KINDS)
    scored: list[tuple[float, Document]] = []
    for d in docs:
        if d.kind not in wanted:
            continue
        s = _bm25(d, q, df, avg, n)
        if s <= 0:
            continue
        tier = d.tier + (0.15 if d.kind == "episode" and (d.day or "") >= recent else 0.0)
        tier += 1.0 if d.title.strip().lower() == query.strip().lower() else 0.0
        scored.append((s * (1 + tier), d))
    scored.sort(key=lambda p: (-p[0], p[1].path))
    hits = [
        Hit(kind=d.kind, title=d.title, path=d.path, snippet=_snippet(d.text, set(q)), score=round(s, 3))  # type: ignore[arg-type]
        for s, d in scored[:limit]
    ]
    return RecallResult(hits=hits)


def _bm25(d: Document, q: list[str], df: dict[str, int], avg: float, n: int) -> float:
    score = 0.0
    for t in q:
        f = d.terms.get(t, 0)
        if not f:
            continue
        idf = math.log(1 + (n - df.get(t, 0) + 0.5) / (df.get(t, 0) + 0.5))
        score += idf * f * (_K1 + 1) / (f + _K1 * (1 - _B + _B * d.length / avg))
    return score
