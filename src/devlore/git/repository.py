"""``Repo``: what devlore does with the git repository around a brain: commit its own writes,
sync with the remote, set the clone up."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable

from devlore.git import setup as clone_setup
from devlore.git.process import literal
from devlore.git.sync import SyncReport, sync
from devlore.git.worktree import WorkTree

__all__ = ["Repo"]

_SUMMARY_SHA = re.compile(r"\b([0-9a-f]{40,64})\]")


class Repo(WorkTree):
    """A brain root inside a git work tree, and the operations devlore runs on it."""

    def commit(self, paths: list[str], message: str) -> str | None:
        """Commit exactly ``paths`` (brain-relative; created, modified or deleted), nothing else the person
        has staged or changed; the new commit's sha, or None when none of them differs from HEAD."""
        wanted = sorted({self.top_rel(p) for p in paths})
        with self.lock():
            self.ensure_idle()
            return self._commit(wanted, message)

    def _commit(self, wanted: list[str], message: str) -> str | None:
        addable, committable = self._known(wanted)
        if not committable:
            return None
        if addable:
            self.add(addable)
        specs = [literal(p) for p in committable]
        if not self._differs(specs):
            return None
        r = self.retrying(*self.identity(), "-c", "core.abbrev=40", "commit", "--only", "-m", message, "--", *specs)
        self.checked(r, "git commit")
        m = _SUMMARY_SHA.search(r.out.splitlines()[0] if r.out else "")
        sha = self.sha(m.group(1)) if m else None
        return sha or self.head()

    def _known(self, wanted: list[str]) -> tuple[list[str], list[str]]:
        """(paths git add can take: on disk or in the index, those plus paths only HEAD still has)."""
        missing = [p for p in wanted if not os.path.lexists(self.top / p)]
        if not missing:
            return wanted, wanted
        specs = list(map(literal, missing))
        indexed = set(self.git("ls-files", "-z", "--", *specs).names())
        in_head = set(self.git("ls-tree", "-r", "-z", "--name-only", "HEAD", "--", *specs).names())
        addable = [p for p in wanted if p not in missing or p in indexed]
        return addable, [p for p in wanted if p in addable or p in in_head]

    def _differs(self, specs: list[str]) -> bool:
        if self.head() is None:
            return bool(self.git("ls-files", "-z", "--", *specs).names())
        r = self.git("diff", "--cached", "--quiet", "HEAD", "--", *specs)
        if r.code > 1:
            self.checked(r, "git diff")
        return r.code == 1

    def sync(self, after_merge: Callable[[], list[str]] | None = None) -> SyncReport:
        """Fetch, merge the upstream (the merge driver does each brain file), push; commits nothing of the
        person's. ``after_merge`` rewrites derived files after a merge commit and returns their
        brain-relative paths, which are folded into that merge commit."""
        return sync(self, after_merge)

    def setup(self, python: str = sys.executable) -> list[str]:
        """Make this clone merge brain files with devlore and refuse commits of broken ones. Idempotent;
        returns what it did, one line each."""
        return clone_setup.setup(self, python)
