"""``devlore sync``: fetch, merge the upstream (git runs the merge driver on each brain file), push.

Nothing of the person's is committed: a sync refuses to merge over their uncommitted edits,
and leaves a conflicted merge in progress for them to resolve.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from devlore.codec.conflicts import conflict_marker_line
from devlore.git.merge_driver import ADDED_RECORD
from devlore.git.process import GitError, literal
from devlore.git.worktree import WorkTree

__all__ = ["PUSH_TRIES", "SyncReport", "sync"]

log = logging.getLogger(__name__)

PUSH_TRIES = 3


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class _Upstream:
    remote: str
    ref: str  # the branch on the remote, refs/heads/…
    tracking: str  # its remote-tracking ref here, refs/remotes/…

    @property
    def name(self) -> str:
        return f"{self.remote}/{self.ref.removeprefix('refs/heads/')}"


@dataclass
class SyncReport:
    """What ``Repo.sync`` did."""

    fetched: bool = False
    merged: int = 0
    """Commits pulled from the remote."""
    pushed: int = 0
    """Commits pushed to the remote (a merge commit included)."""
    conflicts: list[str] = field(default_factory=list)
    """Brain-relative paths left conflicted; the merge is in progress and nothing was pushed."""
    when: str = field(default_factory=_now)
    upstream: str = ""
    recomputed: list[str] = field(default_factory=list)
    """Derived files rewritten after the merge and folded into the merge commit."""
    notes: list[str] = field(default_factory=list)

    def message(self) -> str:
        where = self.upstream or "the remote"
        if self.conflicts:
            return (
                f"Merged {self.merged} commit(s) from {where}, but {len(self.conflicts)} file(s) have conflicts: "
                f"{', '.join(self.conflicts)}. The merge is left in progress and nothing was pushed: resolve the "
                "marked lines, `git add` them, then `git commit` (or run `devlore sync` again)."
            )
        parts = [f"pulled {self.merged} commit(s)"] if self.merged else []
        parts += [f"pushed {self.pushed} commit(s)"] if self.pushed else []
        text = f"Synced with {where}: {' and '.join(parts) or 'already up to date'}."
        if self.recomputed:
            text += f" Recomputed {', '.join(self.recomputed)} in the merge commit."
        return " ".join([text, *self.notes])


def sync(tree: WorkTree, after_merge: Callable[[], list[str]] | None = None) -> SyncReport:
    """Fetch, merge the upstream, push; commits nothing of the person's. ``after_merge`` rewrites
    derived files after a merge commit and returns their brain-relative paths, which are folded
    into that merge commit."""
    up = _upstream(tree)
    report = SyncReport(upstream=up.name)
    if tree.state() == "merge":
        with tree.lock():
            _conclude_merge(tree)
        _after_merge(tree, after_merge, report)
    tree.ensure_idle()
    failure = ""
    for attempt in range(PUSH_TRIES):
        _fetch(tree, up)
        report.fetched = True
        tracked = tree.sha(up.tracking)
        behind = tree.count(f"HEAD..{up.tracking}" if tree.head() else up.tracking) if tracked else 0
        if attempt and not behind:
            raise GitError(f"git push to {up.remote} failed in {tree.top}: {failure}; fix that, then sync again")
        if behind:
            with tree.lock():
                merge_commit = _merge(tree, up, behind, report)
            if report.conflicts:
                return report
            if merge_commit:
                _after_merge(tree, after_merge, report)
        ahead = _ahead(tree, up, tracked is not None)
        if not ahead:
            return report
        if not (failure := _push(tree, up)):
            report.pushed += ahead
            return report
        log.info("push to %s rejected (%s); fetching and merging again", up.name, failure)
    raise GitError(
        f"{up.name} kept moving while devlore pushed ({PUSH_TRIES} tries): run `devlore sync` again in a moment"
    )


def _upstream(tree: WorkTree) -> _Upstream:
    r = tree.git("symbolic-ref", "--quiet", "--short", "HEAD")
    if r.code != 0:
        raise GitError(f"HEAD is detached in {tree.top}: check out a branch (`git switch <branch>`), then sync again")
    branch = r.out.strip()
    remotes = tree.git("remote").out.split()
    if not remotes:
        raise GitError(
            f"{tree.top} has no remote to sync with: add one (`git remote add origin <url>`), push once with "
            f"`git push -u origin {branch}`, then sync again"
        )
    remote = tree.git("config", "--get", f"branch.{branch}.remote").out.strip()
    ref = tree.git("config", "--get", f"branch.{branch}.merge").out.strip()
    if not (remote and ref):
        if remotes != ["origin"]:
            raise GitError(
                f"branch {branch} has no upstream in {tree.top}: set one with `git push -u origin {branch}` "
                f"(or `git branch --set-upstream-to=<remote>/{branch}`), then sync again"
            )
        remote, ref = "origin", f"refs/heads/{branch}"
    tracking = ref if remote == "." else f"refs/remotes/{remote}/{ref.removeprefix('refs/heads/')}"
    return _Upstream(remote, ref, tracking)


def _fetch(tree: WorkTree, up: _Upstream) -> None:
    r = tree.git("fetch", "--quiet", up.remote, network=True)
    if r.code != 0:
        raise GitError(
            f"could not fetch from {up.remote} in {tree.top}: {r.reason()}; check the network and your access "
            "to the remote, then sync again"
        )


def _ahead(tree: WorkTree, up: _Upstream, tracked: bool) -> int:
    if tree.head() is None:
        return 0
    return tree.count(f"{up.tracking}..HEAD" if tracked else "HEAD")


def _push(tree: WorkTree, up: _Upstream) -> str:
    """Push HEAD to the upstream branch; git's reason when refused, else ''."""
    r = tree.git("push", "--quiet", up.remote, f"HEAD:{up.ref}", network=True)
    return "" if r.code == 0 else r.reason()


def _merge(tree: WorkTree, up: _Upstream, behind: int, report: SyncReport) -> bool:
    """Merge the upstream into HEAD; True when that made a merge commit. Conflicts, which leave the
    merge in progress, go in the report."""
    head = tree.head()
    fast_forward = head is None or tree.git("merge-base", "--is-ancestor", head, up.tracking).code == 0
    _refuse_overwrite(tree, up, head, fast_forward)
    r = tree.retrying(*tree.identity(), "merge", "--no-edit", "--ff", "--no-stat", "--quiet", up.tracking)
    report.merged += behind
    beside = [] if fast_forward else _stage_driver_files(tree)  # no file merge runs on a fast-forward
    if r.code == 0:
        if not fast_forward:
            _amend(tree, beside)
        return not fast_forward
    if tree.state() == "merge" and (unmerged := tree.unmerged()):
        report.conflicts = [tree.brain_rel(p) for p in unmerged]
        return False
    if tree.state() == "merge":
        raise GitError(
            f"the merge of {up.name} stopped in {tree.top}: {r.reason()}; finish it with `git commit` "
            "(or `git merge --abort`), then sync again"
        )
    raise GitError(f"git merge {up.name} failed in {tree.top}: {r.reason()}; fix that, then sync again")


def _refuse_overwrite(tree: WorkTree, up: _Upstream, head: str | None, fast_forward: bool) -> None:
    """Refuse before git does, naming the files: the person's edits the merge would touch (and, for a
    real merge, anything staged: git will not merge over a staged change)."""
    spec = (
        ["diff", "--name-only", "-z", f"{head}...{up.tracking}", "--"]
        if head
        else ["ls-tree", "-r", "-z", "--name-only", up.tracking, "--"]
    )
    incoming = set(tree.git(*spec).names())
    blocking = incoming & tree.dirty()
    if not fast_forward:
        blocking |= set(tree.git("diff", "--cached", "--name-only", "-z").names())
    if blocking:
        names = ", ".join(tree.brain_rel(p) for p in sorted(blocking))
        raise GitError(
            f"syncing would overwrite uncommitted changes in {tree.top}: commit or stash your edit to {names}, "
            "then sync again"
        )


def _stage_driver_files(tree: WorkTree) -> list[str]:
    """Stage the files the merge driver wrote beside an add/add collision (it cannot: git holds the index)."""
    record = tree.git_dir() / ADDED_RECORD
    try:
        listed = record.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    record.unlink(missing_ok=True)
    beside = sorted({p for p in listed if p and os.path.lexists(tree.top / p)})
    if beside:
        tree.add(beside)
    return beside


def _amend(tree: WorkTree, top_paths: list[str]) -> None:
    specs = list(map(literal, top_paths))
    if not specs or tree.git("diff", "--cached", "--quiet", "HEAD", "--", *specs).code == 0:
        return
    r = tree.retrying(*tree.identity(), "commit", "--amend", "--no-edit", "--only", "--", *specs)
    tree.checked(r, "git commit --amend")


def _after_merge(tree: WorkTree, after_merge: Callable[[], list[str]] | None, report: SyncReport) -> None:
    """Run the callback (without the commit lock: it may commit) and fold what it rewrote into HEAD."""
    if after_merge is None:
        return
    before = tree.dirty()
    paths = after_merge()
    mine = [p for p in paths if tree.top_rel(p) in before]
    if mine:
        report.notes.append(
            f"{', '.join(mine)} had uncommitted edits of yours, so the recomputed version was left uncommitted "
            "in the work tree: review and commit it."
        )
        return
    top_paths = [tree.top_rel(p) for p in paths]
    if top_paths:
        with tree.lock():
            tree.add(top_paths)
            _amend(tree, top_paths)
        report.recomputed = sorted(paths)


def _conclude_merge(tree: WorkTree) -> None:
    """A merge left by an earlier sync: commit it once every conflict is resolved and staged."""
    if unmerged := tree.unmerged():
        names = ", ".join(tree.brain_rel(p) for p in unmerged)
        raise GitError(
            f"a merge is in progress in {tree.top} and {names} still conflict: resolve the marked lines, "
            "`git add` them, then `git commit` (or run `devlore sync` again)"
        )
    for rel in tree.staged_paths():
        if rel.endswith(".md") and (line := conflict_marker_line(tree.staged_bytes(rel).decode("utf-8", "replace"))):
            raise GitError(
                f"{rel}:{line} still has a conflict marker although it is staged: remove the marked lines, "
                "`git add` it, then sync again"
            )
    tree.checked(tree.retrying(*tree.identity(), "commit", "--no-edit"), "git commit (concluding the merge)")
