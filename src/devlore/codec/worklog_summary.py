"""A long-running work log's summary part: the overview lines under the title and the ``##``
sections before the first entry (docs/FORMAT.md, '6.1 Long-running work logs').

Only a section's body is ever replaced, as one splice; the heading, the other sections and
every entry keep their bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from devlore.codec.structure import outline
from devlore.codec.text import Splice
from devlore.codec.worklogs import WorkLog

__all__ = [
    "SECTIONS",
    "Overview",
    "Section",
    "Summary",
    "create_sections",
    "parse_summary",
    "replace_body",
]

# The summary sections devlore knows, in the order it creates them.
SECTIONS = (
    "Components Status",
    "Features",
    "Performance Targets",
    "Key Decisions Log",
    "Current Blockers",
    "Lessons Learned",
)
_OVERVIEW = re.compile(r"^\*\*(Status|Progress|Pattern):\*\*[ \t]*(.*)$")
_PHASE = re.compile(r"Phase\s+(\d+)\s*/\s*(\d+)", re.I)
_PERCENT = re.compile(r"(\d{1,3})%")
_PART = re.compile(r"^\s*(Started|Target):\s*(.*?)\s*$", re.I)


@dataclass(frozen=True)
class Section:
    """``## Name``: its heading line and its body, without the blank lines around it."""

    name: str
    heading: int
    start: int  # first body line (after the heading)
    end: int  # one past the last non-blank body line (== start when empty)
    stop: int  # the next heading, or the first entry


@dataclass(frozen=True)
class Overview:
    """``**Status:**``, ``**Progress:** Phase 2/3 - 60% overall | Started: … | Target: …`` and
    ``**Pattern:**`` lines between the title and the first section."""

    lines: dict[str, int]
    status: str = ""
    progress: str = ""
    pattern: str = ""
    phase: str = ""
    percent: int | None = None
    started: str = ""
    target: str = ""


@dataclass(frozen=True)
class Summary:
    region: tuple[int, int]  # lines from the title to the first entry
    overview: Overview
    sections: dict[str, Section]

    def section(self, name: str) -> Section | None:
        return self.sections.get(name.lower())

    def body(self, lines: list[str], name: str) -> list[str]:
        s = self.section(name)
        return lines[s.start : s.end] if s else []

    @property
    def long_running(self) -> bool:
        return any(name.lower() in self.sections for name in SECTIONS if name != "Features")


def _region(log: WorkLog) -> tuple[int, int]:
    first = log.entries[0].start if log.entries else len(log.lines)
    start = log.meta_span[1] + 1 if log.meta_span else 0
    title = next((i for i in range(start, first) if log.lines[i].startswith("# ")), start - 1)
    return title + 1, first


def _overview(lines: list[str], start: int, stop: int) -> Overview:
    found: dict[str, int] = {}
    values: dict[str, str] = {}
    for i in range(start, stop):
        if (m := _OVERVIEW.match(lines[i])) and m.group(1).lower() not in found:
            found[m.group(1).lower()] = i
            values[m.group(1).lower()] = m.group(2).strip()
    progress = values.get("progress", "")
    parts = [p for p in progress.split("|")]
    dated = {m.group(1).lower(): m.group(2) for p in parts if (m := _PART.match(p))}
    phase = _PHASE.search(progress)
    percent = _PERCENT.search(parts[0]) if parts else None
    return Overview(
        lines=found,
        status=values.get("status", ""),
        progress=progress,
        pattern=values.get("pattern", ""),
        phase=f"{phase.group(1)}/{phase.group(2)}" if phase else "",
        percent=int(percent.group(1)) if percent else None,
        started=dated.get("started", ""),
        target=dated.get("target", ""),
    )


def parse_summary(log: WorkLog) -> Summary:
    start, stop = _region(log)
    lines = log.lines
    heads = [h for h in outline(lines[start:stop]).headings if h.level == 2]
    sections: dict[str, Section] = {}
    for k, h in enumerate(heads):
        at = start + h.line
        nxt = start + heads[k + 1].line if k + 1 < len(heads) else stop
        end = nxt
        while end > at + 1 and not lines[end - 1].strip():
            end -= 1
        body = at + 1
        while body < end and not lines[body].strip():
            body += 1
        sections.setdefault(h.text.strip().lower(), Section(h.text.strip(), at, body, end, nxt))
    first = min((s.heading for s in sections.values()), default=stop)
    return Summary((start, stop), _overview(lines, start, first), sections)


def replace_body(section: Section, new: list[str]) -> Splice:
    """The section's body becomes ``new``; an empty body gets a blank line after the heading."""
    if section.start == section.end:
        return Splice(section.heading + 1, section.stop, ("", *new, ""))
    return Splice(section.start, section.end, tuple(new))


def create_sections(log: WorkLog, summary: Summary, bodies: dict[str, list[str]]) -> list[Splice]:
    """Insert the named sections that are missing, after the summary's last section (else
    before the first entry), in ``SECTIONS`` order."""
    missing = [name for name in SECTIONS if name in bodies and summary.section(name) is None]
    if not missing:
        return []
    lines: list[str] = []
    for name in missing:
        lines += [f"## {name}", "", *(bodies[name] or ["- None"]), ""]
    at = summary.region[1]
    before = log.lines[at - 1] if at > 0 else ""
    lead = ("",) if before.strip() else ()
    return [Splice(at, at, (*lead, *lines))]
