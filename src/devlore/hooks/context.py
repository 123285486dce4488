"""What a hook tells the assistant: the resume briefs of the project's open work logs and the
HIGH and MEDIUM patterns that match the project, best first, within a character budget; and,
per prompt, a few strong recall hits.

A work log belongs to a project when its frontmatter says ``project: NAME`` (or a path) naming
it, else when its name is the project's folder or git repository name, or starts with it and a
dash (``devlore-hooks`` belongs to ``devlore``). docs/HOSTS.md documents it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from devlore.codec import frontmatter
from devlore.codec.worklogs import WorkLog
from devlore.errors import DevloreError
from devlore.hooks.index_reader import ReadOnlyIndex, level_of
from devlore.hooks.project import HEAD_BYTES, Project, slug
from devlore.layout import WORKLOGS, worklog_name
from devlore.model import Hit
from devlore.service.brain import Brain
from devlore.service.recall import recall
from devlore.service.worklog_files import load
from devlore.service.worklog_views import brief

__all__ = ["OpenLog", "fit", "pattern_lines", "project_logs", "prompt_lines"]

PATTERN_HITS = 10
PROMPT_HITS = 3
# A prompt hit must score at least PROMPT_FLOOR (BM25 with recall's lifts; on the example brain a
# hit that shares one common word with the prompt scores 2-4, a real match 6 and more) and at
# least PROMPT_SHARE of the best hit's score.
PROMPT_FLOOR = 5.0
PROMPT_SHARE = 0.6
PROMPT_MIN_WORDS = 4
_CHAT = re.compile(
    r"^\s*(thanks|thank you|thx|ok|okay|yes|no|yep|nope|sure|great|cool|nice|continue|go on|go ahead|lgtm|done)\b",
    re.I,
)
_PROJECT_KEY = re.compile(r"^project\s*:\s*(.+?)\s*$", re.M)


@dataclass(frozen=True)
class OpenLog:
    name: str
    rel: str
    log: WorkLog
    explicit: bool  # tied by a ``project:`` key rather than by its name


def _declared(brain: Brain, rel: str) -> str | None:
    """The ``project:`` value in a log's frontmatter, read from the file's first bytes."""
    try:
        with open(brain.store.path(rel), "rb") as fh:
            head = fh.read(HEAD_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return None
    lines = head.splitlines(keepends=True)
    span = frontmatter.span(lines)
    if span is None:
        return None
    m = _PROJECT_KEY.search("".join(lines[span[0] : span[1]]))
    return m.group(1).strip("'\"") if m else None


def _names_project(value: str, project: Project) -> bool:
    if "/" in value or "\\" in value:
        where = Path(value).expanduser()
        return where == project.root or where in project.root.parents
    return slug(value) in project.names


def _named_after(name: str, project: Project) -> bool:
    s = slug(name)
    return any(s == n or s.startswith(n + "-") for n in project.names)


def project_logs(brain: Brain, project: Project, notes: list[str]) -> list[OpenLog]:
    """The project's work logs that are not completed: tied by ``project:`` first, then by name;
    the most recently changed first within each. A log that cannot be read is left out, and
    why is added to ``notes``."""
    found: list[tuple[bool, int, str, str]] = []
    for rel, (mtime, _) in brain.store.scan(WORKLOGS).items():
        name = worklog_name(rel)
        try:
            declared = _declared(brain, rel)
        except DevloreError as exc:  # e.g. a link that leaves the brain
            notes.append(f"{rel} left out: {exc}")
            continue
        if declared is not None:
            if _names_project(declared, project):
                found.append((True, mtime, rel, name))
        elif _named_after(name, project):
            found.append((False, mtime, rel, name))
    found.sort(key=lambda f: (not f[0], -f[1], f[2]))
    logs = []
    for explicit, _, rel, name in found:
        try:
            text = brain.store.read(rel)
            if text is None:
                continue
            log = load(rel, text)
        except DevloreError as exc:
            notes.append(f"{rel} left out: {exc}")
            continue
        if log.status != "completed":
            logs.append(OpenLog(name, rel, log, explicit))
    return logs


def pattern_lines(brain: Brain, index: ReadOnlyIndex, project: Project) -> list[str]:
    """One line per HIGH or MEDIUM pattern that recall finds for the project's words, best first."""
    query = project.query()
    if not query.strip():
        return []
    lines = []
    for hit in recall(brain, index, query, kinds=["pattern"], limit=PATTERN_HITS).hits:
        level = level_of(index.tiers.get((hit.path, hit.title), 0.0))
        if level in ("HIGH", "MEDIUM"):
            lines.append(_hit_line(hit, level))
    return lines


def _hit_line(hit: Hit, label: str) -> str:
    snippet = " ".join(hit.snippet.split())
    return f"- [{label}] {hit.title} ({hit.path}): {snippet}"


def is_chat(prompt: str) -> bool:
    """Short or conversational prompts get nothing."""
    return len(re.findall(r"\w+", prompt)) < PROMPT_MIN_WORDS or bool(_CHAT.match(prompt))


def prompt_lines(brain: Brain, index: ReadOnlyIndex, prompt: str) -> list[str]:
    if is_chat(prompt):
        return []
    hits = recall(brain, index, prompt[:500], limit=PROMPT_HITS).hits
    floor = max(PROMPT_FLOOR, PROMPT_SHARE * hits[0].score) if hits else 0.0
    return [_hit_line(h, h.kind) for h in hits if h.score >= floor]


def briefs(brain: Brain, logs: list[OpenLog]) -> list[str]:
    return [brief(brain, o.name, o.log) for o in logs]


MIN_CUT = 80  # a part is cut to fit only if this much of it fits


def fit(head: str, parts: list[str], budget: int) -> str:
    """``head`` and then ``parts``, one a line, best first, within ``budget`` characters: the first
    part that does not fit whole is cut (with an ellipsis) when at least ``MIN_CUT`` characters of
    it fit, and the rest left out; a header (a part ending with ":") left last is dropped, and
    nothing at all is said when no part fits."""
    out = [head]
    size = len(head)
    for part in parts:
        room = budget - size - 1
        if len(part) <= room:
            out.append(part)
            size += len(part) + 1
            continue
        if room >= MIN_CUT:
            out.append(part[: room - 1] + "…")
        break
    while len(out) > 1 and out[-1].endswith(":"):
        out.pop()
    return "\n".join(out) if len(out) > 1 else ""
