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
    """The line a text answer ends with when files were left out of it."""
    more = _MORE.match(items[-1]) if items else None
    n = len(items) - 1 + int(more.group(1)) if more else len(items)
    files = "1 file" if n == 1 else f"{n} files"
    return f"{files} could not be read: {'; '.join(items)}. Fix {'it' if n == 1 else 'them'} or run devlore check."
