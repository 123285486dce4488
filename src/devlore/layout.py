"""Pure path rules: where each kind of memory lives under the root, and which names are safe."""

from __future__ import annotations

import re
from typing import Literal

from devlore.errors import InvalidArgument, OutsideRoot

__all__ = [
    "BRAIN_FOLDERS",
    "EPISODIC",
    "HEALTH",
    "HEALTH_CONFIDENCE",
    "HEALTH_GROWTH",
    "KIND_FOLDERS",
    "MEMORY",
    "MERGED_BY_DEVLORE",
    "PATTERNS",
    "PATTERN_SUFFIX",
    "SKELETON",
    "WORKFLOWS",
    "WORKLOGS",
    "WORKLOG_SUFFIX",
    "WORK_TYPES",
    "Kind",
    "MergeRule",
    "WorkType",
    "check_relative",
    "directly_in",
    "domain_file",
    "domain_of",
    "is_checked",
    "kind_of",
    "merge_rule",
    "worklog_file",
    "worklog_name",
]

MEMORY = "memory"
HEALTH = "brain-health"
BRAIN_FOLDERS = (MEMORY, HEALTH)  # the top folders that hold a brain's files
PATTERNS = f"{MEMORY}/semantic/patterns"
EPISODIC = f"{MEMORY}/episodic"
WORKFLOWS = f"{MEMORY}/procedural/workflows"
WORKLOGS = f"{MEMORY}/worklogs"
HEALTH_CONFIDENCE = f"{HEALTH}/pattern-confidence.md"
HEALTH_GROWTH = f"{HEALTH}/growth-log.md"
PATTERN_SUFFIX = "-patterns.md"
WORKLOG_SUFFIX = "-WorkLog.md"
STATE_DIR = ".devlore"

WorkType = Literal["code", "client", "content", "research"]
WORK_TYPES: dict[str, tuple[str, str]] = {
    "code": ("dev", "code"),
    "client": ("client", "projects"),
    "content": ("content", "content"),
    "research": ("pm", "learning"),
}

Kind = Literal["pattern", "episode", "workflow", "worklog"]
KIND_FOLDERS: dict[Kind, str] = {"pattern": PATTERNS, "episode": EPISODIC, "workflow": WORKFLOWS, "worklog": WORKLOGS}

SKELETON: tuple[str, ...] = (
    PATTERNS,
    *(f"{EPISODIC}/{folder}" for _, folder in WORK_TYPES.values()),
    WORKFLOWS,
    WORKLOGS,
    HEALTH,
)
"""The folders a new brain starts with (``devlore init``): one episode folder per work type."""

_DOMAIN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def domain_file(domain: str) -> str:
    """``dev`` -> ``memory/semantic/patterns/dev-patterns.md``; anything path-like is refused."""
    if not _DOMAIN.match(domain or ""):
        raise InvalidArgument(
            f"Invalid domain {domain!r}: use the pattern file's name before '-patterns.md', "
            "lower-case letters, digits and dashes (e.g. 'dev', 'pm', 'content')."
        )
    return f"{PATTERNS}/{domain}{PATTERN_SUFFIX}"


def domain_of(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name[: -len(PATTERN_SUFFIX)] if name.endswith(PATTERN_SUFFIX) else name.removesuffix(".md")


def check_relative(rel: str) -> str:
    """A root-relative POSIX path with no way out of the root; returned normalised."""
    if not rel or "\x00" in rel or "\\" in rel or rel.startswith("/") or re.match(r"^[A-Za-z]:", rel):
        raise OutsideRoot(f"Path {rel!r} is not a relative path inside the brain; give it relative to the root.")
    parts = [p for p in rel.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts) or not parts:
        raise OutsideRoot(f"Path {rel!r} leaves the brain root; '..' is not allowed.")
    return "/".join(parts)


def kind_of(rel: str) -> Kind | None:
    """The kind of memory a root-relative path holds, or None for a file that is none of them
    (a pattern file is ``<domain>-patterns.md`` directly or below the patterns folder)."""
    for kind, folder in KIND_FOLDERS.items():
        if rel.startswith(folder + "/"):
            if kind == "pattern" and not rel.endswith(PATTERN_SUFFIX):
                return None
            return kind
    return None


def directly_in(folder: str, rel: str, suffix: str = ".md") -> bool:
    """``rel`` names a ``suffix`` file in ``folder`` itself, not in a folder below it (the
    pattern files and work logs devlore lists; ``kind_of`` also counts deeper files)."""
    parent, _, name = rel.rpartition("/")
    return parent == folder and name.endswith(suffix)


def is_checked(rel: str) -> bool:
    """True for a file ``devlore check`` parses: a ``.md`` directly in the patterns, workflows or
    work-log folder, any ``.md`` under the episodic folder, and the two brain-health files."""
    folder, _, name = rel.rpartition("/")
    if folder in (PATTERNS, WORKFLOWS, WORKLOGS):
        return name.endswith(".md")
    return rel in (HEALTH_CONFIDENCE, HEALTH_GROWTH) or (rel.startswith(EPISODIC + "/") and rel.endswith(".md"))


def worklog_file(name: str) -> str:
    """``Auth-Refactor`` -> ``memory/worklogs/Auth-Refactor-WorkLog.md`` (the name already canonical)."""
    return f"{WORKLOGS}/{name}{WORKLOG_SUFFIX}"


def worklog_name(rel: str) -> str:
    """``memory/worklogs/Auth-Refactor-WorkLog.md`` -> ``Auth-Refactor``."""
    return rel.rsplit("/", 1)[-1].removesuffix(WORKLOG_SUFFIX)


MergeRule = Literal["patterns", "worklog", "growth", "confidence", "kept_apart"]
MERGED_BY_DEVLORE: tuple[str, ...] = (f"{MEMORY}/**/*.md", f"{HEALTH}/*.md")
"""The ``.gitattributes`` globs (under the brain) that git hands to devlore's merge driver."""

_IN_REPO = r"(?:^|/)"  # a brain may sit in a folder of its repository
_MERGE_RULES: tuple[tuple[re.Pattern[str], MergeRule], ...] = (
    (re.compile(rf"{_IN_REPO}{re.escape(PATTERNS)}/[^/]+{re.escape(PATTERN_SUFFIX)}$"), "patterns"),
    (re.compile(rf"{_IN_REPO}{re.escape(WORKLOGS)}/[^/]+{re.escape(WORKLOG_SUFFIX)}$"), "worklog"),
    (re.compile(rf"{_IN_REPO}{re.escape(HEALTH_GROWTH)}$"), "growth"),
    (re.compile(rf"{_IN_REPO}{re.escape(HEALTH_CONFIDENCE)}$"), "confidence"),
    (re.compile(rf"{_IN_REPO}(?:{re.escape(EPISODIC)}/.+|{re.escape(WORKFLOWS)}/[^/]+)\.md$"), "kept_apart"),
)


def merge_rule(path: str) -> MergeRule | None:
    """How git's merge driver merges the file at ``path`` (relative to the repository): pattern
    files, work logs and the two brain-health files by meaning; an episode or workflow created
    on both sides is kept twice ("kept_apart"); None: line by line, as git does."""
    return next((rule for pattern, rule in _MERGE_RULES if pattern.search(path)), None)
