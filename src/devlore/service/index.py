"""The derived search index: SQLite FTS5 (BM25) over the fields of every memory.

Words are stemmed (Porter) and folded (case, diacritics); a title weighs most, then what a
memory is about, its prose, its examples and its code (``WEIGHTS``, in ``FIELDS`` order).

It lives in ``<root>/.devlore/index.sqlite`` and is validated against file mtimes and sizes,
so a server starts on a 10,000-file brain without re-reading it, and any file changed while
no server ran is re-indexed on the first search. Deleting the database loses nothing.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from devlore.layout import KIND_FOLDERS, kind_of
from devlore.model import Problem
from devlore.service.brain import Brain
from devlore.service.documents import documents
from devlore.store import Stat

__all__ = ["Candidate", "Index", "Scope"]

log = logging.getLogger(__name__)
SCHEMA = 3  # a new schema drops the old tables: an index is never a mix of two analyses
WEIGHTS = (5.0, 2.0, 1.0, 0.7, 0.5)  # title, then FIELDS
_BM25 = f"bm25(fts, {', '.join(map(str, WEIGHTS))})"


@dataclass(frozen=True)
class Candidate:
    id: int
    kind: str
    title: str
    path: str
    tier: float
    day: str | None
    entry: str | None
    bm25: float  # higher is better (FTS5's sign flipped)


@dataclass(frozen=True)
class Scope:
    """Which documents a search may return: of these ``kinds``; with ``files`` (SQL ``LIKE``
    patterns of the files that hold them: one domain's) when set; dated on or after ``since``
    when set (a document without a date is then out)."""

    kinds: tuple[str, ...] = tuple(KIND_FOLDERS)
    files: tuple[str, ...] = ()
    since: str | None = None

    def where(self) -> tuple[str, list[str]]:
        """The SQL condition on ``docs d`` and its parameters ("" when nothing is filtered)."""
        conds: list[str] = []
        args: list[str] = []
        if set(self.kinds) < set(KIND_FOLDERS):
            conds.append(f"d.kind IN ({','.join('?' for _ in self.kinds)})")
            args += self.kinds
        if self.files:
            conds.append("(" + " OR ".join("d.file LIKE ?" for _ in self.files) + ")")
            args += self.files
        if self.since:
            conds.append("d.day >= ?")
            args.append(self.since)
        return " AND ".join(conds), args


_DDL = """
CREATE TABLE IF NOT EXISTS files(path TEXT PRIMARY KEY, mtime INTEGER NOT NULL, size INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS docs(id INTEGER PRIMARY KEY, file TEXT NOT NULL, kind TEXT NOT NULL,
    title TEXT NOT NULL, path TEXT NOT NULL, tier REAL NOT NULL, day TEXT, entry TEXT);
CREATE INDEX IF NOT EXISTS docs_file ON docs(file);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(title, lead, body, examples, code,
    tokenize='porter unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE IF NOT EXISTS vocab USING fts5vocab(fts, 'row');
CREATE TABLE IF NOT EXISTS problems(path TEXT PRIMARY KEY, line INTEGER NOT NULL, reason TEXT NOT NULL);
"""


class Index:
    """BM25 search over the brain. ``touch`` marks a file dirty; ``refresh`` brings the index up
    to date (every file when nothing watches the brain, else only the dirty ones)."""

    def __init__(self, brain: Brain, in_memory: bool = False) -> None:
        self.brain = brain
        self.watching = False
        self._lock = threading.Lock()
        self._dirty: set[str] = set()
        self._generation = 0  # bumped by every change to the index: keys the kept counts
        self._counts: dict[str, tuple[int, int]] = {}
        self._shares: tuple[int, dict[str, float]] = (0, {})
        self._validated = False
        self._validating = threading.RLock()  # one validation at a time; later callers reuse it
        self._db = self._open(in_memory)
        # An index left by an earlier run answers at once while the start-up validation runs.
        self._warm = self._db.execute("SELECT 1 FROM files LIMIT 1").fetchone() is not None
        brain.store.on_write.append(self.touch)  # the server's own writes are searchable at once

    def _open(self, in_memory: bool) -> sqlite3.Connection:
        target = ":memory:"
        if not in_memory:
            with contextlib.suppress(OSError):
                target = str(self.brain.store.state_file("index.sqlite"))
        try:
            return self._connect(target)
        except sqlite3.DatabaseError as exc:  # a damaged cache: start it again
            log.warning("rebuilding the search index (%s)", exc)
            if target != ":memory:":
                with contextlib.suppress(OSError):
                    self.brain.store.state_file("index.sqlite").unlink()
            return self._connect(target)

    @staticmethod
    def _connect(target: str) -> sqlite3.Connection:
        db = sqlite3.connect(target, check_same_thread=False, timeout=10.0, isolation_level=None)
        if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:
            db.executescript(
                "DROP TABLE IF EXISTS files; DROP TABLE IF EXISTS docs; DROP TABLE IF EXISTS vocab; "
                "DROP TABLE IF EXISTS fts; DROP TABLE IF EXISTS problems;"
            )
        if target != ":memory:":
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(_DDL)
        db.execute(f"PRAGMA user_version={SCHEMA}")
        return db

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def touch(self, rel: str) -> None:
        with self._lock:
            self._dirty.add(rel)

    def refresh(self) -> None:
        if self.watching and (self._validated or self._warm):
            with self._lock:
                dirty, self._dirty = self._dirty, set()
            dirty = {rel for rel in dirty if kind_of(rel)}
            if not dirty:
                return
            current = {rel: stat for rel in dirty if (stat := self.brain.store.stat(rel)) is not None}
            self._apply(current, dirty)
            return
        with self._validating:
            if not (self.watching and self._validated):
                self.validate()

    def current(self) -> None:
        """Up to date with the files, validated at least once: what ``refresh`` gives a search,
        minus the warm start (a warm index may answer a search before the start-up check, but
        figures about the whole brain wait for it)."""
        if not self._validated:
            with self._validating:  # the start-up check may be running: wait for it, not redo it
                if not self._validated:
                    self._validate(None)
        self.refresh()

    def validate(self, scanned: dict[str, Stat] | None = None) -> None:
        """Compare every memory file's (mtime, size) with the index and re-index the differences.

        ``scanned`` is a scan of the brain the caller already made (the watcher's, at start)."""
        with self._validating:
            self._validate(scanned)

    def _validate(self, scanned: dict[str, Stat] | None) -> None:
        store = self.brain.store
        current: dict[str, Stat] = {}
        if scanned is None:
            scanned = {}
            for folder in KIND_FOLDERS.values():
                scanned.update(store.scan(folder))
        current = {rel: st for rel, st in scanned.items() if kind_of(rel)}
        with self._lock:
            self._dirty.clear()
        self._apply(current, None)
        self._validated = True

    def _apply(self, current: dict[str, Stat], only: Iterable[str] | None) -> None:
        with self._lock:
            known = {p: (m, s) for p, m, s in self._db.execute("SELECT path, mtime, size FROM files")}
        scope = set(only) if only is not None else set(current) | set(known)
        changed = [rel for rel in scope if rel in current and known.get(rel) != tuple(current[rel])]
        gone = [rel for rel in scope if rel not in current and rel in known]
        if not changed and not gone:
            return
        parsed = {rel: documents(self.brain, rel, kind_of(rel) or "") for rel in changed}

        with self._lock:
            db = self._db
            db.execute("BEGIN IMMEDIATE")
            try:
                for rel in [*changed, *gone]:
                    ids = [row[0] for row in db.execute("SELECT id FROM docs WHERE file = ?", (rel,))]
                    db.executemany("DELETE FROM fts WHERE rowid = ?", [(i,) for i in ids])
                    db.execute("DELETE FROM docs WHERE file = ?", (rel,))
                    db.execute("DELETE FROM files WHERE path = ?", (rel,))
                    db.execute("DELETE FROM problems WHERE path = ?", (rel,))
                for rel, (docs, problem) in parsed.items():
                    if problem is not None:
                        db.execute(
                            "INSERT INTO problems(path, line, reason) VALUES (?, ?, ?)",
                            (rel, problem.line, problem.reason),
                        )
                    for d in docs:
                        cur = db.execute(
                            "INSERT INTO docs(file, kind, title, path, tier, day, entry) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            (rel, d.kind, d.title, d.path, d.tier, d.day, d.entry),
                        )
                        db.execute(
                            "INSERT INTO fts(rowid, title, lead, body, examples, code) VALUES (?, ?, ?, ?, ?, ?)",
                            (cur.lastrowid, d.title, *d.fields),
                        )
                    mtime, size = current[rel]
                    db.execute("INSERT OR REPLACE INTO files(path, mtime, size) VALUES (?, ?, ?)", (rel, mtime, size))
                db.execute("COMMIT")
                self._generation += 1
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def search(self, match: str, scope: Scope, limit: int) -> list[Candidate]:
        """The ``limit`` best BM25 matches of an FTS5 ``match`` expression within ``scope``,
        without bodies."""
        cols = "d.id, d.kind, d.title, d.path, d.tier, d.day, d.entry"
        where, args = scope.where()
        if not where:
            # Every document: rank inside FTS5 and join only the best (a third faster when an
            # OR over common words matches most of the brain).
            sql = (
                f"SELECT {cols}, r.rank FROM (SELECT rowid, {_BM25} AS rank FROM fts WHERE fts MATCH ? "
                "ORDER BY rank LIMIT ?) r JOIN docs d ON d.id = r.rowid ORDER BY r.rank"
            )
        else:
            sql = (
                f"SELECT {cols}, {_BM25} AS rank FROM fts JOIN docs d ON d.id = fts.rowid "
                f"WHERE fts MATCH ? AND {where} ORDER BY rank LIMIT ?"
            )
        with self._lock:
            rows = self._db.execute(sql, (match, *args, limit)).fetchall()
        return [Candidate(i, k, t, p, tier, day, e, -rank) for i, k, t, p, tier, day, e, rank in rows]

    def known(self, word: str) -> bool:
        """Whether ``word`` (one token, as the index stems it) occurs anywhere in the brain."""
        with self._lock:
            row = self._db.execute("SELECT 1 FROM fts WHERE fts MATCH ? LIMIT 1", (f'"{word}"',)).fetchone()
        return row is not None

    def words(self, first: str) -> list[str]:
        """The index's vocabulary (stemmed terms) starting with ``first``."""
        with self._lock:
            rows = self._db.execute("SELECT term FROM vocab WHERE term >= ? AND term < ?", (first, first + "\uffff"))
            return [r[0] for r in rows.fetchall()]

    def problems(self) -> list[Problem]:
        """The memory files that could not be read when last indexed, by path."""
        with self._lock:
            rows = self._db.execute("SELECT path, line, reason FROM problems ORDER BY path").fetchall()
        return [Problem(path=p, line=line, reason=reason) for p, line, reason in rows]

    def count(self, folder: str) -> int:
        """How many indexed memory files lie under ``folder``."""
        with self._lock:
            kept = self._counts.get(folder)
            if kept is not None and kept[0] == self._generation:
                return kept[1]
            # Paths under "f/" sort between "f/" and "f0" ("0" follows "/").
            sql = "SELECT COUNT(*) FROM files WHERE path >= ? AND path < ?"
            n = int(self._db.execute(sql, (folder + "/", folder + "0")).fetchone()[0])
            self._counts[folder] = (self._generation, n)
            return n

    def share(self, match: str) -> float:
        """The share of documents an FTS5 ``match`` expression finds (kept until the index
        changes: counting is cheap, ranking what a common word finds is not)."""
        with self._lock:
            if self._shares[0] != self._generation:
                self._shares = (self._generation, {})
            kept = self._shares[1]
            if match not in kept:
                total = self._db.execute("SELECT COUNT(*) FROM docs").fetchone()[0]
                n = self._db.execute("SELECT COUNT(*) FROM fts WHERE fts MATCH ?", (match,)).fetchone()[0]
                kept[match] = n / total if total else 0.0
            return kept[match]

    def bodies(self, ids: list[int]) -> dict[int, str]:
        marks = ",".join("?" for _ in ids)
        with self._lock:
            rows = self._db.execute(
                f"SELECT rowid, lead, body, examples, code FROM fts WHERE rowid IN ({marks})", ids
            ).fetchall()
        return {r[0]: "\n".join(f for f in r[1:] if f) for r in rows}
