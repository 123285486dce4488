"""A brain in a git repository: commit every write operation (``devlore serve --git``), sync in the
background or for a person (``devlore sync``, recomputing brain-health/ in the merge commit), and
name the entry each conflict sits in."""

from __future__ import annotations

import threading
from pathlib import Path

from devlore.codec.conflicts import conflict_problem
from devlore.git import Repo, SyncReport
from devlore.service import health
from devlore.service.brain import Brain
from devlore.service.commits import attach

__all__ = ["commit_writes", "conflict_hint", "sync_brain"]


def commit_writes(brain: Brain, sync_every: float | None = None) -> threading.Event:
    """Commit every write operation of ``brain`` to the git repository around it and, with
    ``sync_every`` seconds, sync in a background thread until the returned event is set.
    Raises ``GitError`` (git missing, not a work tree) before anything starts."""
    stop = threading.Event()
    auto = attach(brain, Repo.find(brain.root))
    if sync_every is not None:
        threading.Thread(target=auto.sync_forever, args=(sync_every, stop), daemon=True).start()
    return stop


def sync_brain(root: Path) -> SyncReport:
    """Fetch, merge and push the repository around ``root``; after a merge commit, brain-health/ is
    rewritten from the merged patterns and folded into it. Raises ``GitError``."""
    return Repo.find(root, interactive=True).sync(after_merge=lambda: health.refresh(Brain(root)))


def conflict_hint(root: Path, rel: str) -> str:
    """``: line N, unresolved merge conflict in pattern 'X' ...`` for a conflicted brain file, or ''."""
    try:
        text = (root / rel).read_bytes().decode("utf-8")
        problem = conflict_problem(rel, text)
    except Exception:  # only a hint: the list of conflicted files is what matters
        return ""
    return f": line {problem.line}, {problem.reason}" if problem else ""
