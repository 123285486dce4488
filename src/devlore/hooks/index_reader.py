"""The search index opened read-only for a hook: never created, never written, never validated
against the files (a running server keeps it current; a hook answers from what is there), and a
lock held by another process makes it give up after ``LOCK_WAIT`` instead of waiting."""

from __future__ import annotations

import sqlite3

from devlore.layout import STATE_DIR
from devlore.service.brain import Brain
from devlore.service.documents import LEVEL_TIER
from devlore.service.index import SCHEMA, Candidate, Index, Scope

__all__ = ["LOCK_WAIT", "ReadOnlyIndex", "level_of"]

LOCK_WAIT = 0.15  # seconds a hook waits for a locked index before it answers without patterns
_LEVELS = {tier: level for level, tier in LEVEL_TIER.items()}


def level_of(tier: float) -> str | None:
    return _LEVELS.get(tier)


class ReadOnlyIndex(Index):
    """``Index`` for reading only; ``tiers`` remembers each hit's evidence tier by (path, title)."""

    def __init__(self, brain: Brain) -> None:
        self.tiers: dict[tuple[str, str], float] = {}
        super().__init__(brain)

    def _open(self, in_memory: bool) -> sqlite3.Connection:
        path = self.brain.root / STATE_DIR / "index.sqlite"
        if not path.is_file():
            raise FileNotFoundError(f"no search index at {path} yet (a server builds it on its first start)")
        db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=LOCK_WAIT, isolation_level=None)
        if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:
            db.close()
            raise ValueError(f"the search index at {path} is from another devlore version; a server rebuilds it")
        return db

    def refresh(self) -> None:
        """Nothing: a hook reads the index as the server left it."""

    def known(self, word: str) -> bool:
        """Every word counts as known: a hook never respells (a project's name, or a word of a
        prompt, that the brain lacks is no typo, and respelling it finds the wrong memories)."""
        return True

    def search(self, match: str, scope: Scope, limit: int) -> list[Candidate]:
        found = super().search(match, scope, limit)
        for c in found:
            self.tiers[(c.path, c.title[:120])] = c.tier
        return found
