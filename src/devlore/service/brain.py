"""The brain: a root directory, its store, and cached parses of its pattern files.

Caches are keyed by (mtime, size) and only ever save re-parsing; every write re-reads the
file under its lock, so nothing is written from a stale copy.
"""

from __future__ import annotations

import difflib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from devlore.codec.pattern_entry import Entry, slugify
from devlore.codec.pattern_revise import redirects
from devlore.codec.patterns import PatternFile
from devlore.codec.text import Doc, Splice, body
from devlore.errors import Ambiguous, DevloreError, InvalidArgument, InvalidDocument, NotFound
from devlore.layout import PATTERN_SUFFIX, PATTERNS, directly_in, domain_file, domain_of
from devlore.store import Stat, Store

__all__ = ["Brain", "PatternRef", "parse_patterns", "remember_parse"]

T = TypeVar("T")

_MEMO: OrderedDict[tuple[str, str], PatternFile] = OrderedDict()
_MEMO_SIZE = 8
_memo_lock = threading.Lock()


def parse_patterns(rel: str, text: str) -> PatternFile:
    """Parse a pattern file, refusing one whose structure cannot be trusted for edits.

    Memoised on the exact text: a write re-reads its file under the lock, and the text it
    finds is usually the one a read just parsed, or the one the last write produced (which
    ``remember_parse`` put here). Parses are never mutated, so sharing is safe."""
    pf = _remembered(rel, text)
    if pf is not None:
        return pf
    pf = PatternFile.parse(text)
    if pf.outline.unclosed_fence is not None:
        raise InvalidDocument(rel, pf.outline.unclosed_fence + 1, "code fence opened here is never closed")
    remember_parse(rel, text, pf)
    return pf


def _remembered(rel: str, text: str) -> PatternFile | None:
    with _memo_lock:
        pf = _MEMO.get((rel, text))
        if pf is not None:
            _MEMO.move_to_end((rel, text))
        return pf


def remember_parse(rel: str, text: str, pf: PatternFile) -> None:
    """Record that ``text`` parses to ``pf`` (an edit's result: ``PatternFile.edited``)."""
    if pf.outline.unclosed_fence is not None:
        return
    with _memo_lock:
        _MEMO[(rel, text)] = pf
        _MEMO.move_to_end((rel, text))
        while len(_MEMO) > _MEMO_SIZE:
            _MEMO.popitem(last=False)


def _reparsed(rel: str, text: str, old: PatternFile) -> PatternFile:
    """The parse of ``text``, from ``old`` (the file's previous parse) where they agree.

    An editor's save usually changes one stretch of a file: the common head and tail are
    found by comparing slices (C speed, halving), and only the lines between are parsed again
    (``PatternFile.edited``, equal to a full parse)."""
    known = _remembered(rel, text)
    if known is not None:
        return known
    new = Doc.parse(text)
    if new.bom != old.doc.bom:
        return parse_patterns(rel, text)
    a, b = old.doc.lines, new.lines
    head = _common(lambda k: a[:k] == b[:k], min(len(a), len(b)))
    most = min(len(a), len(b)) - head
    tail = _common(lambda k: a[len(a) - k :] == b[len(b) - k :], most)
    splice = Splice(head, len(a) - tail, tuple(body(line) for line in b[head : len(b) - tail]))
    pf = old.edited([splice])
    if pf.doc.lines != b:  # endings the splice would have chosen differently: parse it all
        return parse_patterns(rel, text)
    if pf.outline.unclosed_fence is not None:
        raise InvalidDocument(rel, pf.outline.unclosed_fence + 1, "code fence opened here is never closed")
    remember_parse(rel, text, pf)
    return pf


def _common(same: Callable[[int], bool], most: int) -> int:
    """The largest ``k <= most`` with ``same(k)``, for a ``same`` true up to some point."""
    lo, hi = 0, most
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if same(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def _on_day(today: Callable[[], date]) -> Callable[[], datetime]:
    """A clock that keeps the time of day but stands on the given day (tests, demos)."""
    return lambda: datetime.combine(today(), datetime.now().time())


@dataclass(frozen=True)
class _Failed:
    error: DevloreError


@dataclass(frozen=True)
class PatternRef:
    path: str
    domain: str
    entry: Entry
    file: PatternFile


class Brain:
    def __init__(
        self,
        root: Path,
        today: Callable[[], date] | None = None,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.store = Store(root)
        self._now: Callable[[], datetime] = now or datetime.now
        if now is None and today is not None:
            self._now = _on_day(today)
        self._today: Callable[[], date] = today or self._date_now
        self._parsed: dict[str, tuple[Stat, PatternFile]] = {}
        self._derived: dict[tuple[str, str], tuple[Stat | None, Any]] = {}
        # Figures the services keep with the parse they came from (checked by identity).
        self.memo: dict[tuple[str, str], tuple[object, object, object]] = {}
        self._lock = threading.Lock()
        self.problems: dict[str, InvalidDocument] = {}
        # Seconds to gather writes before brain-health/ is rewritten once for all of them;
        # None rewrites it at once (the CLI, tests). service/health.py explains.
        self.health_delay: float | None = None
        # `devlore serve --decay-days N`: patterns with no example for N days rank one level lower.
        self.decay_days: int | None = None
        # Team brains: service/commits.AutoCommit when `devlore serve --git` commits each write.
        self.commits: Any = None

    @property
    def root(self) -> Path:
        return self.store.root

    def _date_now(self) -> date:
        return self._now().date()

    def today(self) -> date:
        return self._today()

    def now(self) -> str:
        """The current time as work logs write it: ``YYYY-MM-DD HH:MM``."""
        return self._now().strftime("%Y-%m-%d %H:%M")

    def derived(self, rel: str, what: str, make: Callable[[str, str], T], stat: Stat | None = None) -> T:
        """``make(rel, text)`` for the file as it is now, computed again only when the file's
        (mtime, size) changed: a work-log board row, say. What ``make`` raises is cached too
        (a broken file is not re-parsed on every call) and raised again."""
        stat = stat or self.store.stat(rel)
        key = (rel, what)
        with self._lock:
            cached = self._derived.get(key)
        if cached is not None and cached[0] == stat:
            value = cached[1]
        else:
            text = self.store.read(rel) or ""
            try:
                value = make(rel, text)
            except DevloreError as exc:
                value = _Failed(exc)
            with self._lock:
                self._derived[key] = (stat, value)
        if isinstance(value, _Failed):
            raise value.error
        return value  # type: ignore[no-any-return]

    # -- pattern files ---------------------------------------------------------------------

    def pattern_paths(self, domain: str | None = None) -> list[str]:
        if domain is not None:
            rel = domain_file(domain)
            return [rel] if self.store.exists(rel) else []
        # a string scan: a pathlib glob resolved every path, which profiles showed to be slow
        return sorted(rel for rel in self.store.scan(PATTERNS) if directly_in(PATTERNS, rel, PATTERN_SUFFIX))

    def pattern_file(self, rel: str) -> PatternFile | None:
        """The parsed file (None if missing); an unparsable file raises ``InvalidDocument``."""
        stat = self.store.stat(rel)
        if stat is None:
            return None
        with self._lock:
            cached = self._parsed.get(rel)
        if cached and cached[0] == stat:
            return cached[1]
        try:
            text = self.store.read(rel)
            if text is None:
                return None
            pf = _reparsed(rel, text, cached[1]) if cached else parse_patterns(rel, text)
        except InvalidDocument as exc:
            self.problems[rel] = exc
            if cached:  # a file that stops parsing keeps its last good state for readers
                return cached[1]
            raise
        self.problems.pop(rel, None)
        with self._lock:
            self._parsed[rel] = (stat, pf)
        return pf

    def pattern_files(self, domain: str | None = None) -> Iterator[tuple[str, PatternFile]]:
        """Every readable pattern file; unparsable ones are skipped and recorded in ``problems``."""
        for rel in self.pattern_paths(domain):
            try:
                pf = self.pattern_file(rel)
            except DevloreError:
                continue
            if pf is not None:
                yield rel, pf

    def patterns(self, domain: str | None = None) -> Iterator[PatternRef]:
        """Every pattern entry; unparsable files are skipped and recorded in ``problems``."""
        for rel, pf in self.pattern_files(domain):
            name = domain_of(rel)
            for entry in pf.entries:
                yield PatternRef(rel, name, entry, pf)

    def find(self, query: str, domain: str | None = None, _hops: int = 0) -> PatternRef:
        """A pattern by exact name, slug, the redirect left where it was merged (docs/FORMAT.md,
        '3.2 Revising patterns'), or unambiguous case-insensitive prefix."""
        q = query.strip()
        if not q:
            raise InvalidArgument(
                "pattern must not be empty: give a pattern's name, slug or the start of its name (list_patterns "
                "shows them)."
            )
        ql, qs = q.lower(), slugify(q)
        files = list(self.pattern_files(domain))
        # Exact name, then case-insensitive name, then slug: lookups kept with each parse.
        for key, wanted in (("name", q), ("lower", ql), ("slug", qs)):
            if not wanted:
                continue
            hits = [
                PatternRef(rel, domain_of(rel), e, pf)
                for rel, pf in files
                for e in pf.lookup(key).get(wanted, ())  # type: ignore[arg-type]
            ]
            if hits:
                return self._one(query, hits)
        if qs and _hops < 5 and (moved := self._redirect(qs, files)) is not None:
            return self.find(moved[0], moved[1], _hops + 1)
        refs = [PatternRef(rel, domain_of(rel), e, pf) for rel, pf in files for e in pf.entries]
        hits = [r for r in refs if r.entry.name.lower().startswith(ql) or (bool(qs) and r.entry.slug.startswith(qs))]
        if hits:
            return self._one(query, hits)
        raise NotFound(self.not_found(query, refs, domain))

    @staticmethod
    def _redirect(slug: str, files: list[tuple[str, PatternFile]]) -> tuple[str, str] | None:
        """Where a merged pattern went: (its slug, its domain); a split one is ambiguous."""
        for rel, pf in files:
            for r in redirects(pf):
                if slugify(r.name) != slug or not r.targets:
                    continue
                if len(r.targets) > 1:
                    names = ", ".join(f"'{n}'" for n, _, _ in r.targets)
                    raise Ambiguous(f"'{r.name}' was split into {names} on {r.day}: name one of them.")
                _, file, target = r.targets[0]
                return target, domain_of(file) if file else domain_of(rel)
        return None

    @staticmethod
    def _one(query: str, hits: list[PatternRef]) -> PatternRef:
        if len(hits) == 1:
            return hits[0]
        names = ", ".join(f"'{r.entry.name}' ({r.domain})" for r in hits[:10])
        raise Ambiguous(
            f"'{query}' matches {len(hits)} patterns: {names}. Give the full name, or pass domain to choose the file."
        )

    def not_found(self, query: str, refs: list[PatternRef], domain: str | None) -> str:
        """The closest names, and any pattern file that could not be read (it may hold it)."""
        names = [r.entry.name for r in refs]
        close = difflib.get_close_matches(query, names, n=3, cutoff=0.4)
        if not close:
            lowered = {n.lower(): n for n in names}
            close = [lowered[n] for n in difflib.get_close_matches(query.lower(), list(lowered), n=3, cutoff=0.3)]
        where = f" in domain '{domain}'" if domain else ""
        hint = f"; closest: {', '.join(repr(n) for n in close)}" if close else ""
        message = f"No pattern named '{query}'{where}{hint}. Call list_patterns to see every name."
        for problem in list(self.problems.values())[:3]:
            message += f" Note: {problem.path} could not be read ({problem.reason}; line {problem.line})."
        return message

    # -- transactions ------------------------------------------------------------------------

    @contextmanager
    def transaction(self, *rels: str) -> Iterator[dict[str, str | None]]:
        """Lock ``rels``, hand over their current text, and write back what the caller changed.

        The caller mutates the dict it receives; on leaving, changed files are written. If any
        write fails, the files already written are put back as they were: all or nothing.
        """
        with self.store.locked(*rels):
            stats = {rel: self.store.stat(rel) for rel in rels}
            before = {rel: self.store.read(rel) for rel in rels}
            after = dict(before)
            yield after
            written: list[str] = []
            try:
                for rel in rels:
                    text = after.get(rel)
                    if text is not None and text != before[rel]:
                        # A person's editor takes no lock: if it saved since we read, the write
                        # raises Changed and the operation is re-applied to the new text.
                        self.store.write(rel, text, expected=stats[rel])
                        written.append(rel)
            except BaseException:
                for rel in written:
                    old = before[rel]
                    if old is None:
                        self.store.remove(rel)
                    else:
                        self.store.write(rel, old)
                raise
