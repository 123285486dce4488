"""``devlore check``: every brain file parses and renders back byte for byte, and holds no
unresolved merge conflict; ``--staged`` checks the files staged in git, as staged."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from devlore.codec import episodes, workflows
from devlore.codec.conflicts import conflict_marker_line, conflict_problem
from devlore.codec.drift import based_on_drift, footer_drift
from devlore.codec.frontmatter import FrontmatterError
from devlore.codec.patterns import PatternFile
from devlore.codec.text import Doc
from devlore.codec.worklogs import WorkLog
from devlore.errors import DevloreError, InvalidDocument
from devlore.git import Repo
from devlore.layout import (
    EPISODIC,
    HEALTH_GROWTH,
    PATTERNS,
    WORKFLOWS,
    WORKLOGS,
    directly_in,
    is_checked,
    kind_of,
)
from devlore.model import WORK_STATUSES, Problem
from devlore.service.brain import Brain, parse_patterns

__all__ = ["WARNING", "check", "check_text", "staged_problems", "warnings", "worklog_slips", "worklog_warnings"]

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


WARNING = "warning: "  # a slip a person should fix; the file still parses, so `check` exits 0


def warnings(brain: Brain) -> list[Problem]:
    """Slips in files that parse: pattern drift (a ``Based on`` or level the examples
    contradict, a stale footer) and work-log slips (``worklog_slips``), by path."""
    out: list[Problem] = []
    for rel, pf in brain.pattern_files():
        for entry in pf.entries:
            if (based := based_on_drift(entry)) is not None:
                out.append(Problem(path=rel, line=based[0] + 1, reason=f"{WARNING}'{entry.name}': {based[1]}"))
        if (stale := footer_drift(pf)) is not None:
            out.append(Problem(path=rel, line=stale[0] + 1, reason=WARNING + stale[1]))
    return out + worklog_warnings(brain)


def worklog_warnings(brain: Brain) -> list[Problem]:
    """``worklog_slips`` of every work log, each worked out again only when its file changed."""
    out: list[Problem] = []
    for rel in sorted(brain.store.scan(WORKLOGS)):
        if directly_in(WORKLOGS, rel):
            try:
                out += brain.derived(rel, "slips", worklog_slips)
            except DevloreError:
                continue  # unreadable: `check` reports it as a problem
    return out


def worklog_slips(rel: str, text: str) -> list[Problem]:
    """A frontmatter ``version`` that is not ``vN`` or disagrees with the last entry, a
    ``status`` outside the four, an entry header with an impossible date or time."""
    try:
        log = WorkLog.parse(text)
    except FrontmatterError as exc:
        raise InvalidDocument(rel, exc.line, exc.reason) from exc
    out: list[tuple[int, str]] = []
    at = {
        key: i for i, line in enumerate(log.lines[: (log.meta_span or (0, -1))[1] + 1]) if (key := line.split(":")[0])
    }
    version, status = log.meta.get("version"), log.meta.get("status")
    if version is not None and not re.fullmatch(r"v\d+", str(version)):
        out.append((at.get("version", 0), f"frontmatter version {str(version)!r} is not vN (e.g. v3)"))
    elif version is not None and log.latest is not None and int(str(version)[1:]) != log.latest.version:
        out.append((at.get("version", 0), f"frontmatter says {version} but the last entry is v{log.latest.version}"))
    if status is not None and str(status).strip() not in WORK_STATUSES:
        allowed = ", ".join(WORK_STATUSES)
        out.append((at.get("status", 0), f"status {str(status)!r} is not one of {allowed} (read as in_progress)"))
    for e in log.entries:
        if not _real_time(e.when):
            out.append((e.start, f"entry v{e.version} has an impossible date or time {e.when!r}"))
    return [Problem(path=rel, line=line + 1, reason=WARNING + what) for line, what in out]


def _real_time(when: str) -> bool:
    try:
        datetime.fromisoformat(when.replace("T", " ") if ":" in when else when)
    except ValueError:
        return False
    return True
