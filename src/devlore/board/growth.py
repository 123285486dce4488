"""What the brain-health growth log says happened each week: patterns learned and promotions.

The log is written by ``codec/health.py`` (``## Week of <Monday>`` sections with bullet lists
under ``**Patterns learned:**`` and ``**Patterns reinforced:**``); this reads it back for the
board's weekly chart. Lines it does not recognise are ignored: the file is a person's too."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from devlore.model import LEVELS

__all__ = ["Week", "read_growth"]

_WEEK = re.compile(r"^##\s+Week of\s+(\d{4}-\d{2}-\d{2})\s*$")
_LABEL = re.compile(r"^\*\*(.+?):\*\*")
_MOVE = re.compile(r"\((LOW|MEDIUM|HIGH)\s*(?:→|->)\s*(LOW|MEDIUM|HIGH)\)\s*$")


@dataclass
class Week:
    monday: str
    learned: list[str] = field(default_factory=list)
    promoted: list[str] = field(default_factory=list)


def read_growth(text: str) -> list[Week]:
    """The weeks the log names, in file order (newest first as devlore writes it)."""
    weeks: list[Week] = []
    label = ""
    for line in text.splitlines():
        if m := _WEEK.match(line):
            weeks.append(Week(m.group(1)))
            label = ""
        elif m := _LABEL.match(line):
            label = m.group(1).strip().lower()
        elif weeks and line.startswith("- ") and "none this week" not in line.lower():
            item = line[2:].strip()
            if label == "patterns learned":
                weeks[-1].learned.append(item)
            elif label == "patterns reinforced" and (move := _MOVE.search(item)) and _up(move):
                weeks[-1].promoted.append(item)
    return weeks


def _up(move: re.Match[str]) -> bool:
    order = list(LEVELS)
    return order.index(move.group(2)) > order.index(move.group(1))  # type: ignore[arg-type]
