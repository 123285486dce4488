"""Where a work log lives and how it is read: names, paths, and a parse whose errors name the file."""

from __future__ import annotations

import re

from devlore.codec.frontmatter import FrontmatterError
from devlore.codec.worklogs import WorkLog
from devlore.errors import InvalidArgument, InvalidDocument, NotFound
from devlore.layout import WORKLOGS, worklog_file, worklog_name
from devlore.service.brain import Brain

__all__ = ["canonical", "existing", "find_log", "load"]

_NAME = re.compile(r"^[^\W_][\w.-]{0,79}$")  # letters and digits of any script
_SUFFIX = re.compile(r"(?:[- _]?work[- _]?log)?(?:[- _]?v\d+)?(?:\.md)?$", re.I)


def canonical(name: str) -> str:
    """``Auth Refactor``, ``Auth-Refactor`` and ``Auth-Refactor-WorkLog.md`` -> ``Auth-Refactor``."""
    raw = (name or "").strip()
    if "/" in raw or "\\" in raw or ".." in raw or raw.startswith("~"):
        raise InvalidArgument(
            f"Invalid work-log name {name!r}: give a plain name such as 'Auth-Refactor' (no slashes or '..')."
        )
    base = re.sub(r"\s+", "-", _SUFFIX.sub("", raw)).strip("-")
    if not _NAME.match(base):
        raise InvalidArgument(
            f"Invalid work-log name {name!r}: use letters and digits (any script), '-', '_' or '.', "
            "like 'Auth-Refactor'."
        )
    return base


def find_log(brain: Brain, name: str) -> tuple[str, str]:
    """(canonical name, path), matching an existing file regardless of case."""
    base = canonical(name)
    wanted = worklog_file(base).lower()
    for rel in brain.store.scan(WORKLOGS):  # names only: no resolve per file
        if rel.lower() == wanted and brain.store.exists(rel):
            return worklog_name(rel), rel
    return base, worklog_file(base)


def load(rel: str, text: str) -> WorkLog:
    try:
        return WorkLog.parse(text)
    except FrontmatterError as exc:
        raise InvalidDocument(rel, exc.line, exc.reason) from exc


def existing(brain: Brain, name: str) -> tuple[str, str]:
    base, rel = find_log(brain, name)
    if not brain.store.exists(rel):
        names = [worklog_name(r) for r in brain.store.glob(WORKLOGS)]
        known = f" Known logs: {', '.join(names)}." if names else ""
        raise NotFound(f"No work log named '{base}'.{known} Create it with open_worklog.")
    return base, rel
