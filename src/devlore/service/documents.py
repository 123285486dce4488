"""What one memory file gives the search index: its documents, and why it cannot be read.

Below both the index (which stores what this returns) and the services that read the index
(``recall``, ``memory_stats``), so neither has to reach up for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from devlore.codec import episodes, workflows
from devlore.codec.conflicts import conflict_problem
from devlore.codec.frontmatter import FrontmatterError
from devlore.codec.worklogs import WorkLog
from devlore.errors import DevloreError, InvalidDocument
from devlore.layout import Kind
from devlore.model import Level, Problem
from devlore.service.brain import Brain

__all__ = ["Document", "documents"]

LEVEL_TIER: dict[Level, float] = {"HIGH": 0.3, "MEDIUM": 0.1, "LOW": 0.05}
"""How far a pattern's evidence level lifts it in ``recall``'s ranking."""


@dataclass(frozen=True)
class Document:
    kind: Kind
    title: str
    path: str
    body: str
    tier: float = 0.0
    day: str | None = None


def documents(brain: Brain, rel: str, kind: str) -> tuple[list[Document], Problem | None]:
    """What the index stores for one file (one document per pattern entry, else one per
    file) and why the file could not be read, if it could not."""
    try:
        if kind == "pattern":
            pf = brain.pattern_file(rel)  # a file that stops parsing keeps its last good state
            if pf is None:
                return [], None
            failed = brain.problems.get(rel)
            problem = Problem(path=rel, line=failed.line, reason=failed.reason) if failed else None
            if problem is None and any("<<<<<<<" in line for line in pf.lines):
                problem = conflict_problem(rel, pf.doc.render())
            return [
                Document(
                    "pattern",
                    e.name,
                    f"{rel}#{e.slug}",
                    "\n".join(pf.lines[e.start + 1 : e.content_end]),
                    LEVEL_TIER[e.evidence],
                    e.last_reinforced,
                )
                for e in pf.entries
            ], problem
        text = brain.store.read(rel) or ""
        if kind == "episode":
            ep = episodes.parse(rel, text)
            return [Document("episode", ep.title, rel, ep.body, 0.0, ep.date)], None
        if kind == "workflow":
            return [Document("workflow", workflows.parse(rel, text).title, rel, text)], None
        WorkLog.parse(text)
        title = next((ln[2:].strip() for ln in text.splitlines() if ln.startswith("# ")), rel)
        return [Document("worklog", title, rel, text)], conflict_problem(rel, text)
    except InvalidDocument as exc:
        return [], Problem(path=rel, line=exc.line, reason=exc.reason)
    except FrontmatterError as exc:
        return [], Problem(path=rel, line=exc.line, reason=exc.reason)
    except DevloreError as exc:
        return [], Problem(path=rel, line=1, reason=str(exc))
