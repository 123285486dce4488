"""A brain root inside a git work tree: finding it, its paths, and the plumbing every git
operation of devlore's runs through (prompts off, lock retries, the commit lock, identity)."""

from __future__ import annotations

import os
import random
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Self

from devlore.files import Busy, exclusive
from devlore.git.process import GIT_MISSING, GitError, Result, literal, lock_busy, porcelain_paths, run

__all__ = ["COMMIT_LOCK", "IDENTITY", "LOCK_WAIT", "NETWORK_TIMEOUT", "WorkTree"]

IDENTITY = {"user.name": "devlore", "user.email": "devlore@localhost"}
LOCK_WAIT = 30.0
"""Seconds a command keeps retrying while another git process holds index.lock (or a ref lock)."""
NETWORK_TIMEOUT = 300.0
"""Seconds a fetch or push may take when nobody is there to answer a prompt (``devlore serve``)."""
COMMIT_LOCK = "devlore-commit.lock"
"""In the git dir: serialises devlore's own index work across processes. git commit reads the index
before it takes index.lock, so two commits at once can write back a stale index and unstage the
other's files; index.lock alone does not prevent that."""

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


class WorkTree:
    """A brain root inside a git work tree: ``top`` is the work tree, ``prefix`` the brain's folder in it."""

    def __init__(self, top: Path, prefix: str = "", interactive: bool = False) -> None:
        self.top = top
        self.prefix = prefix.strip("/")
        self.interactive = interactive
        """True when a person runs the command and may answer a credentials prompt."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.top)!r}, prefix={self.prefix!r})"

    @classmethod
    def find(cls, root: Path, interactive: bool = False) -> Self:
        if shutil.which("git") is None:
            raise GitError(GIT_MISSING)
        root = root.expanduser()
        r = run(["-C", str(root), "rev-parse", "--show-toplevel", "--show-prefix"]) if root.is_dir() else None
        lines = r.out.splitlines() if r is not None and r.code == 0 else []
        if not lines or not lines[0]:
            why = f" (git says: {r.reason()})" if r is not None and "not a git repository" not in r.err else ""
            raise GitError(
                f"{root} is not inside a git work tree: run `git init` there (or `devlore git-setup` after cloning)"
                + why
            )
        return cls(Path(lines[0]), lines[1] if len(lines) > 1 else "", interactive)

    # -- paths

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

    def git(self, *args: str, network: bool = False) -> Result:
        """``git -C <top> *args``: no editor, and no prompt unless a person is there to answer it."""
        timeout = None if self.interactive or not network else NETWORK_TIMEOUT
        env = dict(self._env() or os.environ, GIT_EDITOR="true", GIT_MERGE_AUTOEDIT="no")
        return run(["-C", str(self.top), *args], env=env, timeout=timeout)

    def checked(self, r: Result, what: str) -> Result:
        """``r``, or ``GitError`` in git's words when it failed."""
        if r.code != 0:
            raise GitError(f"{what} failed in {self.top}: {r.reason()}; fix that, then try again")
        return r

    def retrying(self, *args: str) -> Result:
        """Run a command that takes index.lock or a ref lock, retrying while another git process holds it."""
        deadline = time.monotonic() + LOCK_WAIT
        delay = 0.05
        while True:
            r = self.git(*args)
            if r.code == 0 or not lock_busy(r.err):
                return r
            if time.monotonic() > deadline:
                raise GitError(
                    f"another git process has held a lock in {self.top} for {LOCK_WAIT:.0f} s ({r.reason()}): "
                    "wait for it to finish (if none is running, delete the stale .lock file), then try again"
                )
            time.sleep(delay + random.uniform(0, delay))
            delay = min(delay * 2, 0.5)

    def add(self, top_paths: list[str]) -> None:
        """``git add -A`` exactly these work-tree paths."""
        self.checked(self.retrying("add", "-A", "--", *map(literal, top_paths)), "git add")

    def identity(self) -> list[str]:
        """``-c user.name=devlore``-style arguments for whatever identity git has not been given."""
        r = self.git("config", "--get-regexp", r"^user\.(name|email)$")
        have = {line.split(" ", 1)[0].lower() for line in r.out.splitlines()}
        return [a for key, value in IDENTITY.items() if key not in have for a in ("-c", f"{key}={value}")]

    def head(self) -> str | None:
        return self.sha("HEAD")

    def sha(self, rev: str) -> str | None:
        r = self.git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
        return r.out.strip() if r.code == 0 else None

    def count(self, spec: str) -> int:
        return int(self.checked(self.git("rev-list", "--count", spec, "--"), "git rev-list").out.strip() or 0)

    def git_dir(self) -> Path:
        return Path(self.checked(self.git("rev-parse", "--absolute-git-dir"), "git rev-parse").out.strip())

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Held while devlore stages and commits, so its processes never interleave index updates."""
        path = self.git_dir() / COMMIT_LOCK
        with ExitStack() as stack:
            try:
                stack.enter_context(exclusive(path, LOCK_WAIT))
            except Busy as exc:
                raise GitError(
                    f"another devlore process has been committing in {path.parent} for {LOCK_WAIT:.0f} s: "
                    "try again in a moment"
                ) from exc
            yield

    # -- state

    def state(self) -> str | None:
        """The operation in progress: "merge", "rebase", "cherry-pick", "revert", "bisect", or None."""
        git_dir = self.git_dir()
        return next((state for name, state in _STATES if (git_dir / name).exists()), None)

    def ensure_idle(self) -> None:
        if (state := self.state()) is not None:
            raise GitError(f"a {state} is in progress in {self.top}: {_FINISH[state]}, then try again")

    def dirty(self) -> set[str]:
        """Work-tree paths with changes, staged or not, untracked included."""
        r = self.git("status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignored=no")
        return porcelain_paths(self.checked(r, "git status").out)

    def unmerged(self) -> list[str]:
        return self.git("diff", "--name-only", "-z", "--diff-filter=U").names()

    # -- staged content

    def staged_paths(self) -> list[str]:
        """Brain-relative paths of the files added, copied, modified or renamed in the index."""
        where = [literal(self.prefix)] if self.prefix else []
        r = self.git("diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR", "--", *where)
        return [self.brain_rel(p) for p in self.checked(r, "git diff --cached").names()]

    def staged_bytes(self, rel: str) -> bytes:
        return self.checked(self.git("show", f":{self.top_rel(rel)}"), "git show").raw
