"""Files a read could not use, as its answer reports them: bounded, and saying what to do."""

from __future__ import annotations

import re
from collections.abc import Iterable

from devlore.errors import InvalidDocument
from devlore.layout import kind_of
from devlore.model import Problem

__all__ = ["SHOWN", "in_patterns", "listed", "note", "of_kinds"]

SHOWN = 5  # an answer names at most this many; `devlore check` lists every one
_MORE = re.compile(r"^… and (\d+) more")


def listed(problems: Iterable[Problem]) -> list[str]:
    """``path:line: reason`` for the first few, and how many more there are."""
    found = list(problems)
    out = [f"{p.path}:{p.line}: {p.reason}" for p in found[:SHOWN]]
    if len(found) > SHOWN:
        out.append(f"… and {len(found) - SHOWN} more")
    return out


def of_kinds(problems: Iterable[Problem], kinds: Iterable[str]) -> list[str]:
    """The unreadable files of these kinds of memory (from ``Index.problems``)."""
    wanted = set(kinds)
    return listed(p for p in problems if kind_of(p.path) in wanted)


def in_patterns(known: dict[str, InvalidDocument], paths: Iterable[str]) -> list[str]:
    """The pattern files among ``paths`` that did not parse (``Brain.problems``)."""
    return listed(Problem(path=p, line=known[p].line, reason=known[p].reason) for p in paths if p in known)


def note(items: list[str]) -> str:
    """The lines a text answer ends with: files left out of it, and slips in files it read."""
    unread = [i for i in items if ": warning: " not in i]
    slips = [i for i in items if ": warning: " in i]
    out: list[str] = []
    if unread:
        more = _MORE.match(unread[-1])
        n = len(unread) - 1 + int(more.group(1)) if more else len(unread)
        files = "1 file" if n == 1 else f"{n} files"
        out.append(
            f"{files} could not be read: {'; '.join(unread)}. Fix {'it' if n == 1 else 'them'} or run devlore check."
        )
    if slips:
        out.append(f"To fix by hand: {'; '.join(slips)}.")
    return "\n".join(out)
