"""git's merge driver for the brain's markdown (``devlore merge-driver %O %A %B %P``).

Nothing here prints: notes go to this module's logger (stderr), which git shows the person.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from devlore.files import atomic_write
from devlore.git.process import GitError, run
from devlore.layout import MergeRule, merge_rule

__all__ = ["ADDED_RECORD", "merge_file"]

log = logging.getLogger(__name__)

ADDED_RECORD = "devlore-merge-added"
"""In the git dir: files the merge driver wrote beside a path (add/add of an episode) for sync to stage."""

_SEMANTIC: dict[MergeRule, str] = {
    "patterns": "merge_patterns",
    "worklog": "merge_worklog",
    "growth": "merge_growth",
    "confidence": "merge_confidence",
}
_SEMANTIC_MODULE = "devlore.codec.merge"
"""Looked up when a file is merged, not imported with this module: if it cannot be loaded (a broken
or partial install), the driver still merges line by line instead of failing git's merge."""


def merge_file(base: Path, ours: Path, theirs: Path, path: str) -> int:
    """git's merge driver (``%O %A %B %P``): merge into ``ours``; 0 when clean, 1 when conflicts remain.

    Pattern files, work logs and the two health files merge semantically (devlore.codec.merge);
    an episode or workflow that both sides created differently is kept twice; anything else, or
    text the semantic merge cannot parse, merges line by line like git. Never raises."""
    try:
        return _merge_any(base, ours, theirs, path)
    except Exception as exc:
        log.warning("merge driver: %s: %s: %s; merging line by line instead", path, type(exc).__name__, exc)
        return _merge_lines(base, ours, theirs, path)


def _merge_any(base: Path, ours: Path, theirs: Path, path: str) -> int:
    try:
        texts = [p.read_bytes().decode("utf-8") for p in (base, ours, theirs)]
    except UnicodeDecodeError:
        return _merge_lines(base, ours, theirs, path)
    rule = merge_rule(path)
    if rule is not None and rule in _SEMANTIC:
        return _merge_semantic(_SEMANTIC[rule], texts, base, ours, theirs, path)
    if rule == "kept_apart" and texts[0] == "" and texts[1] != texts[2]:
        _keep_beside(path, texts[2])
        return 0
    return _merge_lines(base, ours, theirs, path)


def _merge_semantic(name: str, texts: list[str], base: Path, ours: Path, theirs: Path, path: str) -> int:
    try:
        module = importlib.import_module(_SEMANTIC_MODULE)
    except ImportError as exc:
        log.warning("merge driver: %s: no semantic merge (%s); merging line by line", path, exc)
        return _merge_lines(base, ours, theirs, path)
    merge_error: type[BaseException] = getattr(module, "MergeError", ValueError)
    function: Callable[[str, str, str], Any] = getattr(module, name)
    try:
        merged = function(*texts)
    except merge_error as exc:
        log.warning("merge driver: %s: %s; merging line by line", path, exc)
        return _merge_lines(base, ours, theirs, path)
    text: str = merged.text
    atomic_write(ours, text.encode("utf-8"))
    for conflict in merged.conflicts:
        log.warning("merge driver: %s:%s: conflict in %s", path, conflict.line, conflict.where)
    return 1 if merged.conflicts else 0


def _merge_lines(base: Path, ours: Path, theirs: Path, path: str) -> int:
    """``git merge-file`` into ``ours``: 0 when clean, 1 with conflict markers (or when it cannot run)."""
    try:
        r = run(["merge-file", "-L", "ours", "-L", "base", "-L", "theirs", str(ours), str(base), str(theirs)])
    except GitError as exc:
        log.warning("merge driver: %s: %s", path, exc)
        return 1
    if r.code < 0 or r.code > 127:
        log.warning("merge driver: %s: git merge-file failed: %s", path, r.reason())
    return 0 if r.code == 0 else 1


def _work_tree() -> Path:
    """The work tree git runs the driver in (its cwd)."""
    r = run(["rev-parse", "--show-toplevel"])
    return Path(r.out.strip()) if r.code == 0 and r.out.strip() else Path.cwd()


def _taken(top: Path, rel: str, commits: Iterable[str]) -> bool:
    if os.path.lexists(top / rel):
        return True
    return any(run(["-C", str(top), "cat-file", "-e", f"{c}:{rel}"]).code == 0 for c in commits)


def _keep_beside(path: str, theirs_text: str) -> str:
    """Write their version of an add/add collision to the first free ``<stem>-N.md`` beside ``path``
    and record it for ``devlore sync`` to stage (git holds the index lock while a driver runs)."""
    top = _work_tree()
    folder, _, name = path.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    commits = ["HEAD", *(k.removeprefix("GITHEAD_") for k in os.environ if k.startswith("GITHEAD_"))]
    n = 2
    while _taken(top, rel := f"{folder}/{stem}-{n}{dot}{suffix}".lstrip("/"), commits):
        n += 1
    target = top / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, theirs_text.encode("utf-8"))
    git_dir = run(["-C", str(top), "rev-parse", "--absolute-git-dir"]).out.strip()
    if git_dir:
        with open(Path(git_dir) / ADDED_RECORD, "a", encoding="utf-8") as record:
            record.write(rel + "\n")
    log.warning(
        "merge driver: both sides created %s; kept theirs as %s (`devlore sync` commits it; after a plain "
        "`git merge`, `git add` it yourself)",
        path,
        rel,
    )
    return rel
