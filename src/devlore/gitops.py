"""The git layer of team brains: commit devlore's own writes, sync with a remote, set a clone up,
and git's merge driver for the brain's markdown.

The git command line is the engine (``git -C <top> …`` in a subprocess, never a library), so the
person's config, hooks, credentials and transports all apply. Nothing here prints: ``devlore serve``
owns stdout for the MCP protocol, so notes go to the ``devlore.gitops`` logger (stderr).
"""

from __future__ import annotations

import importlib
import logging
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from devlore.errors import DevloreError

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

__all__ = ["GitError", "Repo", "SyncReport", "conflict_marker_line", "merge_file"]

log = logging.getLogger(__name__)

GIT_MISSING = "git is not installed or not on PATH: install git, or run without --git"
IDENTITY = {"user.name": "devlore", "user.email": "devlore@localhost"}
LOCK_WAIT = 30.0
"""Seconds a command keeps retrying while another git process holds index.lock (or a ref lock)."""
PUSH_TRIES = 3
NETWORK_TIMEOUT = 300.0
"""Seconds a fetch or push may take when nobody is there to answer a prompt (``devlore serve``)."""
HOOK_MARK = "# devlore pre-commit hook"
COMMIT_LOCK = "devlore-commit.lock"
"""In the git dir: serialises devlore's own index work across processes. git commit reads the index
before it takes index.lock, so two commits at once can write back a stale index and unstage the
other's files; index.lock alone does not prevent that."""
ADDED_RECORD = "devlore-merge-added"
"""In the git dir: files the merge driver wrote beside a path (add/add of an episode) for sync to stage."""

_STATES = (
    ("rebase-merge", "rebase"),
    ("rebase-apply", "rebase"),
    ("MERGE_HEAD", "merge"),
    ("CHERRY_PICK_HEAD", "cherry-pick"),
    ("REVERT_HEAD", "revert"),
    ("BISECT_LOG", "bisect"),
)
_FINISH = {
    "merge": "finish it (resolve, `git add`, `git commit`) or `git merge --abort`",
    "rebase": "finish it (resolve, `git add`, `git rebase --continue`) or `git rebase --abort`",
    "cherry-pick": "finish it (resolve, `git add`, `git cherry-pick --continue`) or `git cherry-pick --abort`",
    "revert": "finish it (resolve, `git add`, `git revert --continue`) or `git revert --abort`",
    "bisect": "end it with `git bisect reset`",
}
_SEMANTIC = (
    (re.compile(r"(?:^|/)memory/semantic/patterns/[^/]+-patterns\.md$"), "merge_patterns"),
    (re.compile(r"(?:^|/)memory/worklogs/[^/]+-WorkLog\.md$"), "merge_worklog"),
    (re.compile(r"(?:^|/)brain-health/growth-log\.md$"), "merge_growth"),
    (re.compile(r"(?:^|/)brain-health/pattern-confidence\.md$"), "merge_confidence"),
)
_SEPARATE = re.compile(r"(?:^|/)memory/(?:episodic/.+|procedural/workflows/[^/]+)\.md$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_SUMMARY_SHA = re.compile(r"\b([0-9a-f]{40,64})\]")


class GitError(DevloreError):
    """A git operation could not run or was refused; the message says what to do next."""


# -- running git ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Result:
    code: int
    raw: bytes
    err: str

    @property
    def out(self) -> str:
        return self.raw.decode("utf-8", "surrogateescape")

    def names(self) -> list[str]:
        """The NUL-separated names of a ``-z`` listing."""
        return [n for n in self.out.split("\0") if n]

    def reason(self) -> str:
        """git's own words, on one line."""
        lines = [line.strip() for line in (self.err or self.out).splitlines() if line.strip()]
        return " ".join(lines)[:800] or f"exit status {self.code}"


def _run(args: Sequence[str], *, env: dict[str, str] | None = None, timeout: float | None = None) -> _Result:
    try:
        done = subprocess.run(
            ["git", *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            env=env,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError as exc:
        raise GitError(GIT_MISSING) from exc
    except subprocess.TimeoutExpired as exc:
        raise GitError(
            f"`git {' '.join(args[2:4])}` gave no answer within {timeout:.0f} s: check the network and your "
            "access to the remote (run `devlore sync` in a terminal to answer a password prompt), then try again"
        ) from exc
    return _Result(done.returncode, done.stdout, done.stderr.decode("utf-8", "replace"))


def _lock_busy(err: str) -> bool:
    return ".lock" in err or "cannot lock ref" in err


def _literal(top_rel: str) -> str:
    return f":(literal){top_rel}"


def _escape_glob(path: str) -> str:
    """``path`` as a literal .gitignore/.gitattributes pattern."""
    return re.sub(r"([\\*?\[\]!#])", r"\\\1", path)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


if sys.platform == "win32":

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def _exclusive(path: Path, wait: float) -> Iterator[None]:
    """An advisory lock on ``path`` between processes and threads (the OS drops it if the holder dies)."""
    deadline = time.monotonic() + wait
    with open(path, "a+b") as f:
        while not _try_lock(f.fileno()):
            if time.monotonic() > deadline:
                raise GitError(
                    f"another devlore process has been committing in {path.parent} for {wait:.0f} s: "
                    "try again in a moment"
                )
            time.sleep(0.02 + random.uniform(0, 0.03))
        try:
            yield
        finally:
            _unlock(f.fileno())


def _porcelain_paths(raw: str) -> set[str]:
    """Every path named by ``git status --porcelain -z`` (both sides of a rename)."""
    out: set[str] = set()
    fields = raw.split("\0")
    i = 0
    while i < len(fields):
        entry = fields[i]
        i += 1
        if len(entry) < 4:
            continue
        out.add(entry[3:])
        if "R" in entry[:2] or "C" in entry[:2]:
            out.add(fields[i])
            i += 1
    return out


def conflict_marker_line(text: str) -> int | None:
    """The 1-based line of the first git conflict marker (``<<<<<<< ours``, ``>>>>>>> theirs``) outside
    fenced code, or None. A bare ``=======`` alone is not one: it is also a setext heading underline,
    and in a real conflict the ``<<<<<<<`` line above it is found first."""
    fence: tuple[str, int] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if fence is not None:
            if re.match(rf"^ {{0,3}}{re.escape(fence[0])}{{{fence[1]},}}\s*$", line):
                fence = None
        elif (m := _FENCE.match(line)) and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            fence = (m.group(1)[0], len(m.group(1)))
        elif line.startswith(("<<<<<<< ", ">>>>>>> ")) or line.rstrip() in ("<<<<<<<", ">>>>>>>"):
            return number
    return None


# -- the repository ---------------------------------------------------------------------------


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


class Repo:
    """A brain root inside a git work tree: ``top`` is the work tree, ``prefix`` the brain's folder in it."""

    def __init__(self, top: Path, prefix: str = "", interactive: bool = False) -> None:
        self.top = top
        self.prefix = prefix.strip("/")
        self.interactive = interactive
        """True when a person runs the command and may answer a credentials prompt."""

    def __repr__(self) -> str:
        return f"Repo({str(self.top)!r}, prefix={self.prefix!r})"

    @classmethod
    def find(cls, root: Path, interactive: bool = False) -> Repo:
        if shutil.which("git") is None:
            raise GitError(GIT_MISSING)
        root = root.expanduser()
        r = _run(["-C", str(root), "rev-parse", "--show-toplevel", "--show-prefix"]) if root.is_dir() else None
        lines = r.out.splitlines() if r is not None and r.code == 0 else []
        if not lines or not lines[0]:
            why = f" (git says: {r.reason()})" if r is not None and "not a git repository" not in r.err else ""
            raise GitError(
                f"{root} is not inside a git work tree: run `git init` there (or `devlore git-setup` after cloning)"
                + why
            )
        return cls(Path(lines[0]), lines[1] if len(lines) > 1 else "", interactive)

    @property
    def root(self) -> Path:
        return self.top / self.prefix if self.prefix else self.top

    def top_rel(self, rel: str) -> str:
        """A brain-relative POSIX path as a path in the work tree."""
        parts = [p for p in rel.replace("\\", "/").split("/") if p not in ("", ".")]
        if not parts or ".." in parts or rel.startswith("/") or re.match(r"^[A-Za-z]:", rel):
            raise GitError(f"{rel!r} is not a path inside the brain at {self.root}: give it relative to the brain root")
        return "/".join([self.prefix, *parts] if self.prefix else parts)

    def brain_rel(self, top_rel: str) -> str:
        """A work-tree path relative to the brain root (``../x`` when it lies outside)."""
        if not self.prefix:
            return top_rel
        if top_rel.startswith(self.prefix + "/"):
            return top_rel[len(self.prefix) + 1 :]
        return "/".join([".."] * len(self.prefix.split("/")) + [top_rel])

    # -- plumbing

    def _env(self) -> dict[str, str] | None:
        if self.interactive:
            return None
        env = dict(os.environ, GIT_TERMINAL_PROMPT="0")
        if "GIT_SSH_COMMAND" not in env and "GIT_SSH" not in env:
            env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes"
        return env

    def _git(self, *args: str, network: bool = False) -> _Result:
        timeout = None if self.interactive or not network else NETWORK_TIMEOUT
        env = dict(self._env() or os.environ, GIT_EDITOR="true", GIT_MERGE_AUTOEDIT="no")
        return _run(["-C", str(self.top), *args], env=env, timeout=timeout)

    def _check(self, r: _Result, what: str) -> _Result:
        if r.code != 0:
            raise GitError(f"{what} failed in {self.top}: {r.reason()}; fix that, then try again")
        return r

    def _retrying(self, *args: str) -> _Result:
        """Run a command that takes index.lock or a ref lock, retrying while another git process holds it."""
        deadline = time.monotonic() + LOCK_WAIT
        delay = 0.05
        while True:
            r = self._git(*args)
            if r.code == 0 or not _lock_busy(r.err):
                return r
            if time.monotonic() > deadline:
                raise GitError(
                    f"another git process has held a lock in {self.top} for {LOCK_WAIT:.0f} s ({r.reason()}): "
                    "wait for it to finish (if none is running, delete the stale .lock file), then try again"
                )
            time.sleep(delay + random.uniform(0, delay))
            delay = min(delay * 2, 0.5)

    def _identity(self) -> list[str]:
        """``-c user.name=devlore``-style arguments for whatever identity git has not been given."""
        r = self._git("config", "--get-regexp", r"^user\.(name|email)$")
        have = {line.split(" ", 1)[0].lower() for line in r.out.splitlines()}
        return [a for key, value in IDENTITY.items() if key not in have for a in ("-c", f"{key}={value}")]

    def _head(self) -> str | None:
        r = self._git("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
        return r.out.strip() if r.code == 0 else None

    def _sha(self, rev: str) -> str | None:
        r = self._git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
        return r.out.strip() if r.code == 0 else None

    def _count(self, spec: str) -> int:
        return int(self._check(self._git("rev-list", "--count", spec, "--"), "git rev-list").out.strip() or 0)

    def git_dir(self) -> Path:
        return Path(self._check(self._git("rev-parse", "--absolute-git-dir"), "git rev-parse").out.strip())

    def _lock(self) -> AbstractContextManager[None]:
        """Held while devlore stages and commits, so its processes never interleave index updates."""
        return _exclusive(self.git_dir() / COMMIT_LOCK, LOCK_WAIT)

    # -- state

    def state(self) -> str | None:
        """The operation in progress: "merge", "rebase", "cherry-pick", "revert", "bisect", or None."""
        git_dir = self.git_dir()
        return next((state for name, state in _STATES if (git_dir / name).exists()), None)

    def ensure_idle(self) -> None:
        if (state := self.state()) is not None:
            raise GitError(f"a {state} is in progress in {self.top}: {_FINISH[state]}, then try again")

    # -- commit

    def commit(self, paths: list[str], message: str) -> str | None:
        """Commit exactly ``paths`` (brain-relative; created, modified or deleted), nothing else the person
        has staged or changed; the new commit's sha, or None when none of them differs from HEAD."""
        wanted = sorted({self.top_rel(p) for p in paths})
        with self._lock():
            self.ensure_idle()
            return self._commit(wanted, message)

    def _commit(self, wanted: list[str], message: str) -> str | None:
        addable, committable = self._known(wanted)
        if not committable:
            return None
        if addable:
            self._check(self._retrying("add", "-A", "--", *map(_literal, addable)), "git add")
        specs = [_literal(p) for p in committable]
        if not self._differs(specs):
            return None
        r = self._retrying(*self._identity(), "-c", "core.abbrev=40", "commit", "--only", "-m", message, "--", *specs)
        self._check(r, "git commit")
        m = _SUMMARY_SHA.search(r.out.splitlines()[0] if r.out else "")
        sha = self._sha(m.group(1)) if m else None
        return sha or self._head()

    def _known(self, wanted: list[str]) -> tuple[list[str], list[str]]:
        """(paths git add can take: on disk or in the index, those plus paths only HEAD still has)."""
        missing = [p for p in wanted if not os.path.lexists(self.top / p)]
        if not missing:
            return wanted, wanted
        specs = list(map(_literal, missing))
        indexed = set(self._git("ls-files", "-z", "--", *specs).names())
        in_head = set(self._git("ls-tree", "-r", "-z", "--name-only", "HEAD", "--", *specs).names())
        addable = [p for p in wanted if p not in missing or p in indexed]
        return addable, [p for p in wanted if p in addable or p in in_head]

    def _differs(self, specs: list[str]) -> bool:
        if self._head() is None:
            return bool(self._git("ls-files", "-z", "--", *specs).names())
        r = self._git("diff", "--cached", "--quiet", "HEAD", "--", *specs)
        if r.code > 1:
            self._check(r, "git diff")
        return r.code == 1

    # -- staged content (devlore check --staged)

    def staged_paths(self) -> list[str]:
        """Brain-relative paths of the files added, copied, modified or renamed in the index."""
        where = [_literal(self.prefix)] if self.prefix else []
        r = self._git("diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR", "--", *where)
        return [self.brain_rel(p) for p in self._check(r, "git diff --cached").names()]

    def staged_bytes(self, rel: str) -> bytes:
        return self._check(self._git("show", f":{self.top_rel(rel)}"), "git show").raw

    # -- sync

    def sync(self, after_merge: Callable[[], list[str]] | None = None) -> SyncReport:
        """Fetch, merge the upstream (the merge driver does each brain file), push; commits nothing of the
        person's. ``after_merge`` rewrites derived files after a merge commit and returns their
        brain-relative paths, which are folded into that merge commit."""
        up = self._upstream()
        report = SyncReport(upstream=up.name)
        if self.state() == "merge":
            with self._lock():
                self._conclude_merge()
            self._after_merge(after_merge, report)
        self.ensure_idle()
        failure = ""
        for attempt in range(PUSH_TRIES):
            self._fetch(up)
            report.fetched = True
            tracked = self._sha(up.tracking)
            behind = self._count(f"HEAD..{up.tracking}" if self._head() else up.tracking) if tracked else 0
            if attempt and not behind:
                raise GitError(f"git push to {up.remote} failed in {self.top}: {failure}; fix that, then sync again")
            if behind:
                with self._lock():
                    merge_commit = self._merge(up, behind, report)
                if report.conflicts:
                    return report
                if merge_commit:
                    self._after_merge(after_merge, report)
            ahead = self._ahead(up, tracked is not None)
            if not ahead:
                return report
            if not (failure := self._push(up)):
                report.pushed += ahead
                return report
            log.info("push to %s rejected (%s); fetching and merging again", up.name, failure)
        raise GitError(
            f"{up.name} kept moving while devlore pushed ({PUSH_TRIES} tries): run `devlore sync` again in a moment"
        )

    def _upstream(self) -> _Upstream:
        r = self._git("symbolic-ref", "--quiet", "--short", "HEAD")
        if r.code != 0:
            raise GitError(
                f"HEAD is detached in {self.top}: check out a branch (`git switch <branch>`), then sync again"
            )
        branch = r.out.strip()
        remotes = self._git("remote").out.split()
        if not remotes:
            raise GitError(
                f"{self.top} has no remote to sync with: add one (`git remote add origin <url>`), push once with "
                f"`git push -u origin {branch}`, then sync again"
            )
        remote = self._git("config", "--get", f"branch.{branch}.remote").out.strip()
        ref = self._git("config", "--get", f"branch.{branch}.merge").out.strip()
        if not (remote and ref):
            if remotes != ["origin"]:
                raise GitError(
                    f"branch {branch} has no upstream in {self.top}: set one with `git push -u origin {branch}` "
                    f"(or `git branch --set-upstream-to=<remote>/{branch}`), then sync again"
                )
            remote, ref = "origin", f"refs/heads/{branch}"
        tracking = ref if remote == "." else f"refs/remotes/{remote}/{ref.removeprefix('refs/heads/')}"
        return _Upstream(remote, ref, tracking)

    def _fetch(self, up: _Upstream) -> None:
        r = self._git("fetch", "--quiet", up.remote, network=True)
        if r.code != 0:
            raise GitError(
                f"could not fetch from {up.remote} in {self.top}: {r.reason()}; check the network and your access "
                "to the remote, then sync again"
            )

    def _ahead(self, up: _Upstream, tracked: bool) -> int:
        if self._head() is None:
            return 0
        return self._count(f"{up.tracking}..HEAD" if tracked else "HEAD")

    def _push(self, up: _Upstream) -> str:
        """Push HEAD to the upstream branch; git's reason when refused, else ''."""
        r = self._git("push", "--quiet", up.remote, f"HEAD:{up.ref}", network=True)
        return "" if r.code == 0 else r.reason()

    def _merge(self, up: _Upstream, behind: int, report: SyncReport) -> bool:
        """Merge the upstream into HEAD; True when that made a merge commit. Conflicts, which leave the
        merge in progress, go in the report."""
        head = self._head()
        fast_forward = head is None or self._git("merge-base", "--is-ancestor", head, up.tracking).code == 0
        self._refuse_overwrite(up, head, fast_forward)
        r = self._retrying(*self._identity(), "merge", "--no-edit", "--ff", "--no-stat", "--quiet", up.tracking)
        report.merged += behind
        beside = [] if fast_forward else self._stage_driver_files()  # no file merge runs on a fast-forward
        if r.code == 0:
            if not fast_forward:
                self._amend(beside)
            return not fast_forward
        if self.state() == "merge" and (unmerged := self._unmerged()):
            report.conflicts = [self.brain_rel(p) for p in unmerged]
            return False
        if self.state() == "merge":
            raise GitError(
                f"the merge of {up.name} stopped in {self.top}: {r.reason()}; finish it with `git commit` "
                "(or `git merge --abort`), then sync again"
            )
        raise GitError(f"git merge {up.name} failed in {self.top}: {r.reason()}; fix that, then sync again")

    def _dirty(self) -> set[str]:
        r = self._git("status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignored=no")
        return _porcelain_paths(self._check(r, "git status").out)

    def _refuse_overwrite(self, up: _Upstream, head: str | None, fast_forward: bool) -> None:
        """Refuse before git does, naming the files: the person's edits the merge would touch (and, for a
        real merge, anything staged: git will not merge over a staged change)."""
        spec = (
            ["diff", "--name-only", "-z", f"{head}...{up.tracking}", "--"]
            if head
            else ["ls-tree", "-r", "-z", "--name-only", up.tracking, "--"]
        )
        incoming = set(self._git(*spec).names())
        blocking = incoming & self._dirty()
        if not fast_forward:
            blocking |= set(self._git("diff", "--cached", "--name-only", "-z").names())
        if blocking:
            names = ", ".join(self.brain_rel(p) for p in sorted(blocking))
            raise GitError(
                f"syncing would overwrite uncommitted changes in {self.top}: commit or stash your edit to {names}, "
                "then sync again"
            )

    def _unmerged(self) -> list[str]:
        return self._git("diff", "--name-only", "-z", "--diff-filter=U").names()

    def _stage_driver_files(self) -> list[str]:
        """Stage the files the merge driver wrote beside an add/add collision (it cannot: git holds the index)."""
        record = self.git_dir() / ADDED_RECORD
        try:
            listed = record.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        record.unlink(missing_ok=True)
        beside = sorted({p for p in listed if p and os.path.lexists(self.top / p)})
        if beside:
            self._check(self._retrying("add", "-A", "--", *map(_literal, beside)), "git add")
        return beside

    def _amend(self, top_paths: list[str]) -> None:
        specs = list(map(_literal, top_paths))
        if not specs or self._git("diff", "--cached", "--quiet", "HEAD", "--", *specs).code == 0:
            return
        r = self._retrying(*self._identity(), "commit", "--amend", "--no-edit", "--only", "--", *specs)
        self._check(r, "git commit --amend")

    def _after_merge(self, after_merge: Callable[[], list[str]] | None, report: SyncReport) -> None:
        """Run the callback (without the commit lock: it may commit) and fold what it rewrote into HEAD."""
        if after_merge is None:
            return
        before = self._dirty()
        paths = after_merge()
        mine = [p for p in paths if self.top_rel(p) in before]
        if mine:
            report.notes.append(
                f"{', '.join(mine)} had uncommitted edits of yours, so the recomputed version was left uncommitted "
                "in the work tree: review and commit it."
            )
            return
        top_paths = [self.top_rel(p) for p in paths]
        if top_paths:
            with self._lock():
                self._check(self._retrying("add", "-A", "--", *map(_literal, top_paths)), "git add")
                self._amend(top_paths)
            report.recomputed = sorted(paths)

    def _conclude_merge(self) -> None:
        """A merge left by an earlier sync: commit it once every conflict is resolved and staged."""
        if unmerged := self._unmerged():
            names = ", ".join(self.brain_rel(p) for p in unmerged)
            raise GitError(
                f"a merge is in progress in {self.top} and {names} still conflict: resolve the marked lines, "
                "`git add` them, then `git commit` (or run `devlore sync` again)"
            )
        for rel in self.staged_paths():
            if rel.endswith(".md") and (
                line := conflict_marker_line(self.staged_bytes(rel).decode("utf-8", "replace"))
            ):
                raise GitError(
                    f"{rel}:{line} still has a conflict marker although it is staged: remove the marked lines, "
                    "`git add` it, then sync again"
                )
        self._check(self._retrying(*self._identity(), "commit", "--no-edit"), "git commit (concluding the merge)")

    # -- setup

    def setup(self, python: str = sys.executable) -> list[str]:
        """Make this clone merge brain files with devlore and refuse commits of broken ones. Idempotent;
        returns what it did, one line each."""
        return [
            *self._setup_attributes(),
            *self._setup_driver(python),
            *self._setup_ignore(),
            *self._setup_hook(python),
        ]

    def _pattern(self, tail: str) -> str:
        """A .gitattributes pattern for ``tail`` under the brain (escaped, quoted when it has spaces)."""
        prefix = _escape_glob(self.prefix)
        pattern = f"{prefix}/{tail}" if prefix else tail
        return f'"{pattern}"' if any(c.isspace() or c == '"' for c in pattern) else pattern

    def _setup_attributes(self) -> list[str]:
        path = self.top / ".gitattributes"
        wanted = [f"{self._pattern(tail)} merge=devlore" for tail in ("memory/**/*.md", "brain-health/*.md")]
        return _extend_lines(path, wanted, "# devlore: merge the brain's markdown semantically (devlore git-setup)")

    def _setup_driver(self, python: str) -> list[str]:
        wanted = {
            "merge.devlore.name": "devlore semantic merge",
            "merge.devlore.driver": f"{shlex.quote(python)} -m devlore merge-driver %O %A %B %P",
        }
        lines = []
        for key, value in wanted.items():
            if self._git("config", "--local", "--get", key).out.rstrip("\n") == value:
                lines.append(f"git config {key} already set")
                continue
            self._check(self._git("config", "--local", key, value), "git config")
            lines.append(f"set git config {key} = {value}")
        return lines

    def _setup_ignore(self) -> list[str]:
        entry = f"{_escape_glob(self.prefix)}/.devlore/" if self.prefix else ".devlore/"
        path = self.top / ".gitignore"
        existing = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
        if any(line.strip() in (entry, f"/{entry}", ".devlore/", ".devlore") for line in existing):
            lines = [f"{path} already ignores {entry}"]
        else:
            lines = _extend_lines(path, [entry], "# devlore's private state (index, locks): never commit it")
        state = self.top_rel(".devlore")
        if self._git("ls-files", "-z", "--", _literal(state)).names():
            lines.append(f"{state}/ is tracked: untrack it with `git rm -r --cached {shlex.quote(state)}` and commit")
        return lines

    def _setup_hook(self, python: str) -> list[str]:
        hooks = self.top / self._check(self._git("rev-parse", "--git-path", "hooks"), "git rev-parse").out.strip()
        hook = hooks / "pre-commit"
        brain = shlex.quote(self.prefix or ".")
        command = f"{shlex.quote(python)} -m devlore check --staged {brain}"
        text = (
            f"#!/bin/sh\n{HOOK_MARK}: written by `devlore git-setup` (which may rewrite it); delete it to stop\n"
            "# the check. It refuses a commit whose staged brain files do not parse or hold conflict markers.\n"
            f"py={shlex.quote(python)}\n"
            f'if [ -x "$py" ]; then\n    exec "$py" -m devlore check --staged {brain}\nfi\n'
            f"exec devlore check --staged {brain}\n"
        )
        old = hook.read_text(encoding="utf-8", errors="replace") if hook.is_file() else None
        if old is not None and HOOK_MARK not in old:
            return [
                f"{hook} is not devlore's, so it was left as is: to chain the check, add `{command} || exit 1` to it"
            ]
        if old == text:
            return [f"{hook} already installed"]
        hooks.mkdir(parents=True, exist_ok=True)
        _write_atomic(hook, text.encode("utf-8"))
        hook.chmod(0o755)
        return [f"{'updated' if old else 'installed'} the pre-commit hook {hook}"]


def _extend_lines(path: Path, wanted: list[str], comment: str) -> list[str]:
    """Append the lines of ``wanted`` that ``path`` lacks (after ``comment`` the first time)."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    present = {line.strip() for line in text.splitlines()}
    missing = [line for line in wanted if line not in present]
    if not missing:
        return [f"{path} already has {', '.join(wanted)}"]
    block = ([comment] if comment not in present else []) + missing
    if text and not text.endswith("\n"):
        text += "\n"
    _write_atomic(path, (text + "\n".join(block) + "\n").encode("utf-8"))
    return [f"added to {path}: {line}" for line in missing]


# -- the merge driver -------------------------------------------------------------------------


def merge_file(base: Path, ours: Path, theirs: Path, path: str) -> int:
    """git's merge driver (``%O %A %B %P``): merge into ``ours``; 0 when clean, 1 when conflicts remain.

    Pattern files, work logs and the two health files merge semantically (devlore.codec.merge);
    an episode or workflow that both sides created differently is kept twice; anything else, or
    text the semantic merge cannot parse, merges line by line like git. Never raises."""
    try:
        return _merge_any(base, ours, theirs, path)
    except Exception as exc:
        log.warning("merge driver: %s: %s: %s; merging line by line instead", path, type(exc).__name__, exc)
        return _merge_lines(base, ours, theirs, path)


def _merge_any(base: Path, ours: Path, theirs: Path, path: str) -> int:
    try:
        texts = [p.read_bytes().decode("utf-8") for p in (base, ours, theirs)]
    except UnicodeDecodeError:
        return _merge_lines(base, ours, theirs, path)
    name = next((fn for pattern, fn in _SEMANTIC if pattern.search(path)), None)
    if name is not None:
        return _merge_semantic(name, texts, base, ours, theirs, path)
    if _SEPARATE.search(path) and texts[0] == "" and texts[1] != texts[2]:
        _keep_beside(path, texts[2])
        return 0
    return _merge_lines(base, ours, theirs, path)


def _merge_semantic(name: str, texts: list[str], base: Path, ours: Path, theirs: Path, path: str) -> int:
    try:
        module = importlib.import_module("devlore.codec.merge")
    except ImportError as exc:
        log.warning("merge driver: %s: no semantic merge (%s); merging line by line", path, exc)
        return _merge_lines(base, ours, theirs, path)
    merge_error: type[BaseException] = getattr(module, "MergeError", ValueError)
    function: Callable[[str, str, str], Any] = getattr(module, name)
    try:
        merged = function(*texts)
    except merge_error as exc:
        log.warning("merge driver: %s: %s; merging line by line", path, exc)
        return _merge_lines(base, ours, theirs, path)
    text: str = merged.text
    _write_atomic(ours, text.encode("utf-8"))
    for conflict in merged.conflicts:
        log.warning("merge driver: %s:%s: conflict in %s", path, conflict.line, conflict.where)
    return 1 if merged.conflicts else 0


def _merge_lines(base: Path, ours: Path, theirs: Path, path: str) -> int:
    """``git merge-file`` into ``ours``: 0 when clean, 1 with conflict markers (or when it cannot run)."""
    try:
        r = _run(["merge-file", "-L", "ours", "-L", "base", "-L", "theirs", str(ours), str(base), str(theirs)])
    except GitError as exc:
        log.warning("merge driver: %s: %s", path, exc)
        return 1
    if r.code < 0 or r.code > 127:
        log.warning("merge driver: %s: git merge-file failed: %s", path, r.reason())
    return 0 if r.code == 0 else 1


def _work_tree() -> Path:
    """The work tree git runs the driver in (its cwd)."""
    r = _run(["rev-parse", "--show-toplevel"])
    return Path(r.out.strip()) if r.code == 0 and r.out.strip() else Path.cwd()


def _taken(top: Path, rel: str, commits: Iterable[str]) -> bool:
    if os.path.lexists(top / rel):
        return True
    return any(_run(["-C", str(top), "cat-file", "-e", f"{c}:{rel}"]).code == 0 for c in commits)


def _keep_beside(path: str, theirs_text: str) -> str:
    """Write their version of an add/add collision to the first free ``<stem>-N.md`` beside ``path``
    and record it for ``devlore sync`` to stage (git holds the index lock while a driver runs)."""
    top = _work_tree()
    folder, _, name = path.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    commits = ["HEAD", *(k.removeprefix("GITHEAD_") for k in os.environ if k.startswith("GITHEAD_"))]
    n = 2
    while _taken(top, rel := f"{folder}/{stem}-{n}{dot}{suffix}".lstrip("/"), commits):
        n += 1
    target = top / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_atomic(target, theirs_text.encode("utf-8"))
    git_dir = _run(["-C", str(top), "rev-parse", "--absolute-git-dir"]).out.strip()
    if git_dir:
        with open(Path(git_dir) / ADDED_RECORD, "a", encoding="utf-8") as record:
            record.write(rel + "\n")
    log.warning(
        "merge driver: both sides created %s; kept theirs as %s (`devlore sync` commits it; after a plain "
        "`git merge`, `git add` it yourself)",
        path,
        rel,
    )
    return rel
