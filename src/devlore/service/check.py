"""``devlore check``: every brain file parses and renders back byte for byte, and holds no
unresolved merge conflict; ``--staged`` checks the files staged in git, as staged."""

from __future__ import annotations

from pathlib import Path

from devlore.codec import episodes, workflows
from devlore.codec.conflicts import conflict_marker_line, conflict_problem
from devlore.codec.frontmatter import FrontmatterError
from devlore.codec.patterns import PatternFile
from devlore.codec.text import Doc
from devlore.codec.worklogs import WorkLog
from devlore.errors import InvalidDocument
from devlore.git import Repo
from devlore.layout import (
    EPISODIC,
    HEALTH_GROWTH,
    PATTERNS,
    WORKFLOWS,
    WORKLOGS,
    is_checked,
    kind_of,
)
from devlore.model import Problem
from devlore.service.brain import Brain, parse_patterns

__all__ = ["check", "check_text", "staged_problems"]

_FOLDERS = (PATTERNS, EPISODIC, WORKFLOWS, WORKLOGS, HEALTH_GROWTH.rpartition("/")[0])
"""Where the files ``layout.is_checked`` names live, in the order their problems are listed."""


def check_text(rel: str, text: str) -> Problem | None:
    """The first problem of the brain file ``rel`` holding ``text``, or None when it is sound."""
    kind = kind_of(rel)
    try:
        if kind == "pattern":
            rendered = PatternFile.parse(text).doc.render()
            parse_patterns(rel, text)
        elif kind == "episode":
            episodes.parse(rel, text)
            rendered = Doc.parse(text).render()
        elif kind == "worklog":
            rendered = WorkLog.parse(text).doc.render()
        elif kind == "workflow":
            workflows.parse(rel, text)
            rendered = Doc.parse(text).render()
        else:
            rendered = Doc.parse(text).render()
    except InvalidDocument as exc:
        return Problem(path=rel, line=exc.line, reason=exc.reason)
    except FrontmatterError as exc:
        return Problem(path=rel, line=exc.line, reason=exc.reason)
    if rendered != text:
        return Problem(path=rel, line=1, reason="does not round-trip byte for byte (please report this)")
    return conflict_problem(rel, text)


def check(brain: Brain) -> list[Problem]:
    """Parse and round-trip every memory file; one ``Problem`` per file that fails."""
    store = brain.store
    paths = [rel for folder in _FOLDERS for rel in sorted(store.scan(folder)) if is_checked(rel)]
    problems: list[Problem] = []
    for rel in paths:
        try:
            text = store.read(rel)
        except InvalidDocument as exc:
            problems.append(Problem(path=rel, line=exc.line, reason=exc.reason))
            continue
        if text is not None and (p := check_text(rel, text)) is not None:
            problems.append(p)
    return problems


def staged_problems(root: Path) -> list[Problem]:
    """The brain files staged in git, as staged (``git show :path``), checked like ``check`` does, plus
    any unresolved merge-conflict marker in a staged markdown file. Raises ``GitError`` outside git."""
    repo = Repo.find(root)
    problems: list[Problem] = []
    for rel in repo.staged_paths():
        if rel.startswith("../") or not rel.endswith(".md"):
            continue
        try:
            text = repo.staged_bytes(rel).decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(path=rel, line=1, reason=f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
            continue
        if (line := conflict_marker_line(text)) is not None:
            problems.append(Problem(path=rel, line=line, reason="unresolved merge conflict"))
        elif is_checked(rel) and (problem := check_text(rel, text)) is not None:
            problems.append(problem)
    return problems
