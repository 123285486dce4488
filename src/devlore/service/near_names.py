"""A work-log name one edit away from an existing log's: ``Search Revamps`` next to
``Search-Revamp`` is a slip far more often than a second workstream, so ``open_worklog`` asks
for ``create: true`` before starting it."""

from __future__ import annotations

from devlore.layout import WORKLOG_SUFFIX, WORKLOGS, directly_in, worklog_name
from devlore.service.brain import Brain

__all__ = ["near_log", "one_edit_apart"]


def one_edit_apart(a: str, b: str) -> bool:
    """One letter inserted, removed or changed (case and ``-``/``_``/space aside), not equal.
    A digit that differs is no slip: ``Bench-Log-1`` and ``Bench-Log-2`` are two logs."""
    a, b = (s.casefold().replace("_", "-").replace(" ", "-") for s in (a, b))
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i].isalpha() and b[i].isalpha() and a[i + 1 :] == b[i + 1 :]
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i].isalpha() and longer[i + 1 :] == shorter[i:]


def near_log(brain: Brain, name: str) -> str | None:
    """The existing work log one edit away from ``name`` (a canonical name), if any."""
    for rel in sorted(brain.store.scan(WORKLOGS)):
        if directly_in(WORKLOGS, rel, WORKLOG_SUFFIX) and one_edit_apart(worklog_name(rel), name):
            return worklog_name(rel)
    return None
