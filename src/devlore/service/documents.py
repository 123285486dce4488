"""What one memory file gives the search index: its documents, and why it cannot be read.

Below both the index (which stores what this returns) and the services that read the index
(``recall``, ``memory_stats``), so neither has to reach up for it. A document is split into
fields the index weighs apart (``FIELDS``); the paths a memory cites, its bookkeeping lines
and its markdown syntax are left out, so a word matches only where a memory says it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from devlore.codec import episodes, workflows
from devlore.codec.conflicts import conflict_problem
from devlore.codec.frontmatter import FrontmatterError
from devlore.codec.worklogs import WorkLog
from devlore.errors import DevloreError, InvalidDocument
from devlore.layout import Kind, worklog_name
from devlore.model import Level, Problem
from devlore.service.brain import Brain

__all__ = ["FIELDS", "Document", "documents"]

FIELDS = ("lead", "body", "examples", "code")
"""The indexed fields after the title: what a memory is about (a pattern's context and
pattern, an episode's project, the latest work-log entry's state and open items), the rest
of its prose, its example lines, and its code."""

LEVEL_TIER: dict[Level, float] = {"HIGH": 0.03, "MEDIUM": 0.02, "LOW": 0.01}
"""How far a pattern's evidence level lifts it among comparably relevant ``recall`` hits."""
LATEST_ENTRY_TIER = 0.005
"""The same for the latest entry of a work log (its older entries get nothing)."""

_LEAD_BLOCKS = frozenset({"context", "pattern", "description", "when to use"})
_EXAMPLE_BLOCKS = frozenset({"examples"})
_SKIPPED_BLOCKS = frozenset(
    {
        "confidence",
        "based on",
        "last reinforced",
        "time saved per use",
        "related patterns",
        "source experiences",
        "sources",
        "time savings",
        "level",
        "created",
        "estimated",
        "total saved",
    }
)
_LEAD_ENTRY_FIELDS = frozenset({"now", "next", "blockers", "hypotheses", "progress"})
_PATH = re.compile(r"\S*memory/\S+|\S+\.md(?:#\S*)?\b")
_LABEL = re.compile(r"^\s*\*\*[^*\n]{1,40}:\*\*")
_MARKUP = re.compile(r"\*\*|__|`|^\s{0,3}#{1,6}\s|^\s*(?:[-*+]|\d+\.)\s+(?:\[[ xX]\]\s+)?", re.MULTILINE)


@dataclass(frozen=True)
class Document:
    kind: Kind
    title: str
    path: str
    lead: str = ""
    body: str = ""
    examples: str = ""
    code: str = ""
    tier: float = 0.0
    day: str | None = None
    entry: str | None = None  # a work log's ``vN``

    @property
    def fields(self) -> tuple[str, str, str, str]:
        return self.lead, self.body, self.examples, self.code

    @property
    def text(self) -> str:
        """Everything indexed after the title, in reading order: where snippets come from."""
        return "\n".join(f for f in self.fields if f)


def _clean(lines: Iterable[str]) -> str:
    text = "\n".join(_PATH.sub(" ", _LABEL.sub("", ln)) for ln in lines)
    return "\n".join(ln.strip() for ln in _MARKUP.sub("", text).splitlines() if ln.strip())


def _split_code(lines: list[str]) -> tuple[list[str], list[str]]:
    """Prose lines and the lines inside code fences."""
    prose: list[str] = []
    code: list[str] = []
    fenced = False
    for ln in lines:
        if ln.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif fenced:
            code.append(ln)
        else:
            prose.append(ln)
    return prose, code


def _pattern_docs(brain: Brain, rel: str) -> tuple[list[Document], Problem | None]:
    pf = brain.pattern_file(rel)  # a file that stops parsing keeps its last good state
    if pf is None:
        return [], None
    failed = brain.problems.get(rel)
    problem = Problem(path=rel, line=failed.line, reason=failed.reason) if failed else None
    if problem is None and any("<<<<<<<" in line for line in pf.lines):
        problem = conflict_problem(rel, pf.doc.render())
    docs = []
    for e in pf.entries:
        parts: dict[str, list[str]] = {f: [] for f in FIELDS}
        free = set(range(e.start + 1, e.content_end))  # lines in no labelled block: prose
        for key, (start, end) in sorted(e.blocks.items(), key=lambda kv: kv[1]):
            free.difference_update(range(start, end))
            if key in _SKIPPED_BLOCKS:
                continue
            prose, code = _split_code(pf.lines[start:end])
            field = "lead" if key in _LEAD_BLOCKS else "examples" if key in _EXAMPLE_BLOCKS else "body"
            parts[field] += prose
            parts["code"] += code
        prose, code = _split_code([pf.lines[i] for i in sorted(free)])
        parts["body"] += prose
        parts["code"] += code
        cleaned = {f: _clean(ls) for f, ls in parts.items()}
        docs.append(
            Document(
                "pattern",
                e.name,
                f"{rel}#{e.slug}",
                **cleaned,
                tier=LEVEL_TIER[e.evidence],
                day=e.last_reinforced,
            )
        )
    return docs, problem


def _episode_doc(rel: str, text: str) -> Document:
    ep = episodes.parse(rel, text)
    lines = [ln for ln in ep.body.splitlines() if ln.strip() != f"# {ep.title}"]
    prose, code = _split_code(lines)
    lead = " ".join(str(ep.meta.get(k, "")) for k in ("project", "work_type") if ep.meta.get(k))
    return Document("episode", ep.title, rel, lead=lead, body=_clean(prose), code=_clean(code), day=ep.date)


def _worklog_docs(rel: str, text: str) -> list[Document]:
    wl = WorkLog.parse(text)
    name = worklog_name(rel)
    docs = [Document("worklog", f"{name}: {wl.title}", rel)] if not wl.entries else []
    for e in wl.entries:
        latest = e is wl.latest
        lead_at = set()
        if latest:  # the state and open items of the latest entry: what a resumed session needs
            lead_at = {i for k in _LEAD_ENTRY_FIELDS & set(e.fields) for i in range(e.fields[k].line, e.fields[k].end)}
        lines = range(e.start + 1, e.content_end)
        prose, code = _split_code([wl.lines[i] for i in lines if i not in lead_at])
        docs.append(
            Document(
                "worklog",
                f"{name} v{e.version}: {e.title}",
                rel,
                lead=_clean(wl.lines[i] for i in sorted(lead_at)),
                body=_clean(prose),
                code=_clean(code),
                tier=LATEST_ENTRY_TIER if latest else 0.0,
                day=e.when[:10] or None,
                entry=f"v{e.version}",
            )
        )
    return docs


def documents(brain: Brain, rel: str, kind: str) -> tuple[list[Document], Problem | None]:
    """What the index stores for one file (one document per pattern entry and per work-log
    entry, else one per file) and why the file could not be read, if it could not."""
    try:
        if kind == "pattern":
            return _pattern_docs(brain, rel)
        text = brain.store.read(rel) or ""
        if kind == "episode":
            return [_episode_doc(rel, text)], None
        if kind == "workflow":
            wf = workflows.parse(rel, text)
            prose, code = _split_code([ln for ln in text.splitlines() if ln.strip() != f"# {wf.title}"])
            return [Document("workflow", wf.title, rel, body=_clean(prose), code=_clean(code))], None
        return _worklog_docs(rel, text), conflict_problem(rel, text)
    except InvalidDocument as exc:
        return [], Problem(path=rel, line=exc.line, reason=exc.reason)
    except FrontmatterError as exc:
        return [], Problem(path=rel, line=exc.line, reason=exc.reason)
    except DevloreError as exc:
        return [], Problem(path=rel, line=1, reason=str(exc))
