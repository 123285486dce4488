"""Drift: what a pattern file says about its evidence that its own entries contradict, after a
hand edit. Reported (``list_patterns``, ``devlore patterns``, ``devlore check``) until the
next write to the file repairs it (docs/FORMAT.md, '2.4 Confidence is evidence')."""

from __future__ import annotations

import re

from devlore.codec.pattern_edits import footer
from devlore.codec.pattern_entry import Entry
from devlore.codec.patterns import PatternFile
from devlore.codec.text import body

__all__ = ["based_on_drift", "entry_drift", "footer_drift"]

_NUMBER = re.compile(r"\d+")


def based_on_drift(entry: Entry) -> tuple[int, str] | None:
    """(line, what) when ``Based on`` states a count other than the examples listed."""
    based = entry.fields.get("based on")
    m = _NUMBER.search(based.value) if based is not None else None
    if based is None or m is None or int(m.group()) == entry.example_count:
        return None
    n = entry.example_count
    return based.line, f"Based on says {m.group()}, but {n} example{'s are' if n != 1 else ' is'} listed"


def entry_drift(entry: Entry) -> str | None:
    """What an entry states that its examples contradict: its count, its level."""
    found = [what for what in ((based_on_drift(entry) or (0, ""))[1],) if what]
    stated = entry.stated_level
    if stated is not None and stated != entry.evidence:
        found.append(f"written {stated}, the examples earn {entry.evidence}")
    return "; ".join(found) or None


def footer_drift(pf: PatternFile) -> tuple[int, str] | None:
    """(line, what) when the footer's total or breakdown disagrees with the entries."""
    if pf.footer is None:
        return None
    for splice in footer(pf, ""):
        if splice.start == pf.footer.last_updated:
            continue  # the date a write stamps is no contradiction
        if list(splice.new) != [body(line) for line in pf.lines[splice.start : splice.end]]:
            return splice.start, "the file's footer counts are stale"
    return None
