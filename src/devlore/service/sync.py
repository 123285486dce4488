"""``devlore sync`` for a person: sync the brain's repository, recompute brain-health/ in the merge
commit, and name the entry each conflict sits in."""

from __future__ import annotations

from pathlib import Path

from devlore.codec.conflicts import conflict_problem
from devlore.git import Repo, SyncReport
from devlore.service import health
from devlore.service.brain import Brain

__all__ = ["conflict_hint", "sync_brain"]


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
