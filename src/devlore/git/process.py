"""Running the git command line: one subprocess per command, its output kept as bytes.

The git command line is the engine (``git -C <top> …``, never a library), so the person's
config, hooks, credentials and transports all apply.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass

from devlore.errors import DevloreError

__all__ = ["GIT_MISSING", "GitError", "Result", "escape_glob", "literal", "lock_busy", "porcelain_paths", "run"]

GIT_MISSING = "git is not installed or not on PATH: install git, or run without --git"


class GitError(DevloreError):
    """A git operation could not run or was refused; the message says what to do next."""


@dataclass(frozen=True)
class Result:
    """What one git command did: its exit status, its stdout as bytes and its stderr as text."""

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


def run(args: Sequence[str], *, env: dict[str, str] | None = None, timeout: float | None = None) -> Result:
    """``git *args`` with no stdin; raises ``GitError`` when git is missing or gives no answer in time."""
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
    return Result(done.returncode, done.stdout, done.stderr.decode("utf-8", "replace"))


def lock_busy(err: str) -> bool:
    """True when git failed because another git process holds index.lock or a ref lock."""
    return ".lock" in err or "cannot lock ref" in err


def literal(top_rel: str) -> str:
    """A pathspec that matches exactly ``top_rel`` (no glob characters)."""
    return f":(literal){top_rel}"


def escape_glob(path: str) -> str:
    """``path`` as a literal .gitignore/.gitattributes pattern."""
    return re.sub(r"([\\*?\[\]!#])", r"\\\1", path)


def porcelain_paths(raw: str) -> set[str]:
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
