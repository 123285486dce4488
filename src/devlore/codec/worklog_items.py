"""The structured items inside work-log fields: next items, blockers, hypotheses, dependencies."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from devlore.errors import InvalidArgument

__all__ = [
    "Blocker",
    "Dependency",
    "Hypothesis",
    "NextItem",
    "hypothesis_arg",
    "parse_blockers",
    "parse_dependencies",
    "parse_hypotheses",
    "parse_items",
    "render_blockers",
]

PRIORITIES = {"HIGH": "HIGH", "MED": "MED", "MEDIUM": "MED", "LOW": "LOW"}
H_STATUSES = ("Open", "Confirmed", "Refuted", "Invalidated")
_ITEM = re.compile(r"^\s*[-*]\s+(?:\[([A-Za-z]+)\]\s*)?(\[BLOCKED\]\s*)?(.*)$")
_CHECK = re.compile(r"^\s*[-*]\s+\[[ xX]\]\s+")
_ATTR = re.compile(r"^(\s*)[-*]\s+(Owner|Requested|ETA|Workaround|Resolved):\s*(.*)$", re.I)
_HYP = re.compile(
    r"^\s*(?:[-*]\s+)?H(\d+):\s*(.*?)\s*\|\s*(?:✅\s*|❌\s*)?(Open|Confirmed|Refuted|Invalidated)\b\s*(?:\|\s*(.*))?$",
    re.I,
)
_DEP = re.compile(r"^\s*[-*]\s+Needs\s+(.+?)(?:\s+\((v\d+)\))?:\s*(.*?)(?:;\s*Status:\s*(.*))?$", re.I)


@dataclass(frozen=True)
class NextItem:
    priority: str | None  # HIGH, MED, LOW
    blocked: bool
    text: str

    def render(self) -> str:
        tags = (f"[{self.priority}] " if self.priority else "") + ("[BLOCKED] " if self.blocked else "")
        return f"- {tags}{self.text}"

    @classmethod
    def parse_arg(cls, line: str) -> NextItem:
        item = _parse_item(line if line.lstrip().startswith(("-", "*")) else f"- {line}")
        return item or cls(None, False, line.strip())


def _parse_item(line: str) -> NextItem | None:
    if _CHECK.match(line):
        return None
    m = _ITEM.match(line)
    if not m or not m.group(3).strip():
        return None
    prio = m.group(1)
    if prio and prio.upper() not in PRIORITIES:
        return NextItem(None, bool(m.group(2)), f"[{prio}] {m.group(3)}".strip())
    return NextItem(PRIORITIES[prio.upper()] if prio else None, bool(m.group(2)), m.group(3).strip())


def parse_items(lines: list[str]) -> list[NextItem]:
    """Top-level list items (``- [HIGH] [BLOCKED] text``); sub-bullets and prose are skipped."""
    return [item for line in lines if not line.startswith((" ", "\t")) and (item := _parse_item(line))]


def same_item(a: str, b: str) -> bool:
    return " ".join(a.lower().split()) == " ".join(b.lower().split())


@dataclass(frozen=True)
class Blocker:
    text: str
    owner: str | None = None
    requested: str | None = None
    eta: str | None = None
    workaround: str | None = None
    resolved: str | None = None

    @property
    def open(self) -> bool:
        return self.resolved is None

    def attrs(self) -> list[tuple[str, str]]:
        pairs = [
            ("Owner", self.owner),
            ("Requested", self.requested),
            ("ETA", self.eta),
            ("Workaround", self.workaround),
            ("Resolved", self.resolved),
        ]
        return [(k, v) for k, v in pairs if v]


_ATTR_NAMES = {
    "owner": "owner",
    "requested": "requested",
    "eta": "eta",
    "workaround": "workaround",
    "resolved": "resolved",
}


def parse_blockers(inline: str, lines: list[str]) -> list[Blocker]:
    """``**Blockers:** text`` with ``- Owner:``… lines, or a list of ``- text`` with nested attributes."""
    blockers: list[Blocker] = []
    head = inline.strip()
    if head and head.lower().rstrip(".") not in ("none", "n/a", "-"):
        blockers.append(Blocker(head))
    for line in lines:
        if m := _ATTR.match(line):
            if blockers:
                blockers[-1] = replace(blockers[-1], **{_ATTR_NAMES[m.group(2).lower()]: m.group(3).strip()})
        elif (m2 := re.match(r"^[-*]\s+(.*)$", line)) and m2.group(1).strip():
            blockers.append(Blocker(m2.group(1).strip()))
    return blockers


def render_blockers(blockers: list[Blocker]) -> list[str]:
    if not blockers:
        return ["**Blockers:** None"]
    if len(blockers) == 1:
        b = blockers[0]
        return [f"**Blockers:** {b.text}", *(f"- {k}: {v}" for k, v in b.attrs())]
    out = ["**Blockers:**"]
    for b in blockers:
        out += [f"- {b.text}", *(f"  - {k}: {v}" for k, v in b.attrs())]
    return out


@dataclass(frozen=True)
class Hypothesis:
    number: int
    text: str
    status: str
    evidence: str

    def render(self) -> str:
        tail = f" | {self.evidence}" if self.evidence else ""
        return f"H{self.number}: {self.text} | {self.status}{tail}"


def parse_hypotheses(lines: list[str]) -> list[Hypothesis]:
    out: list[Hypothesis] = []
    for line in lines:
        if m := _HYP.match(line):
            status = next(s for s in H_STATUSES if s.lower() == m.group(3).lower())
            out.append(Hypothesis(int(m.group(1)), m.group(2).strip(), status, (m.group(4) or "").strip()))
    return out


def hypothesis_arg(raw: str, known: dict[int, Hypothesis]) -> Hypothesis:
    """A hypothesis as a tool sends it: a whole line, 'H1 | Status | evidence' for a known one,
    or 'text | Status' for a new one (numbered after ``known``)."""
    text = raw.strip()
    if parsed := parse_hypotheses([text]):
        return parsed[0]
    m = re.match(r"^H(\d+)\s*\|\s*(\w+)\s*(?:\|\s*(.*))?$", text)
    if m and int(m.group(1)) in known:
        status = next((s for s in H_STATUSES if s.lower() == m.group(2).lower()), None)
        if status:
            return Hypothesis(int(m.group(1)), known[int(m.group(1))].text, status, (m.group(3) or "").strip())
    m = re.match(r"^(.*?)\s*\|\s*(\w+)\s*(?:\|\s*(.*))?$", text)
    if m and not re.match(r"^H\d+\b", text):
        status = next((s for s in H_STATUSES if s.lower() == m.group(2).lower()), None)
        if status:
            return Hypothesis(max(known, default=0) + 1, m.group(1), status, (m.group(3) or "").strip())
    raise InvalidArgument(
        f"Cannot read hypothesis {raw!r}: write 'H1: text | Open | evidence', 'H1 | Confirmed | evidence' "
        "to update one, or 'text | Open' for a new one."
    )


@dataclass(frozen=True)
class Dependency:
    name: str
    version: str | None
    what: str
    status: str | None

    def render(self) -> str:
        v = f" ({self.version})" if self.version else ""
        s = f"; Status: {self.status}" if self.status else ""
        return f"- Needs {self.name}{v}: {self.what}{s}"


def parse_dependencies(lines: list[str]) -> list[Dependency]:
    out: list[Dependency] = []
    for line in lines:
        if m := _DEP.match(line):
            out.append(Dependency(m.group(1).strip(), m.group(2), m.group(3).strip(), (m.group(4) or None)))
    return out
