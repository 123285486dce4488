"""``devlore git-setup``: make a clone merge the brain's markdown with devlore's merge driver,
keep devlore's private state out of git, and refuse commits of broken brain files. Idempotent."""

from __future__ import annotations

import shlex
from pathlib import Path

from devlore.files import atomic_write
from devlore.git.process import escape_glob, literal
from devlore.git.worktree import WorkTree
from devlore.layout import MERGED_BY_DEVLORE

__all__ = ["HOOK_MARK", "setup"]

HOOK_MARK = "# devlore pre-commit hook"


def setup(tree: WorkTree, python: str) -> list[str]:
    """Set the clone up for the brain at ``tree``, running devlore with ``python``; what it did, one
    line each."""
    return [*_attributes(tree), *_driver(tree, python), *_ignore(tree), *_hook(tree, python)]


def _pattern(tree: WorkTree, tail: str) -> str:
    """A .gitattributes pattern for ``tail`` under the brain (escaped, quoted when it has spaces)."""
    prefix = escape_glob(tree.prefix)
    pattern = f"{prefix}/{tail}" if prefix else tail
    return f'"{pattern}"' if any(c.isspace() or c == '"' for c in pattern) else pattern


def _attributes(tree: WorkTree) -> list[str]:
    path = tree.top / ".gitattributes"
    wanted = [f"{_pattern(tree, tail)} merge=devlore" for tail in MERGED_BY_DEVLORE]
    return _extend_lines(path, wanted, "# devlore: merge the brain's markdown semantically (devlore git-setup)")


def _driver(tree: WorkTree, python: str) -> list[str]:
    wanted = {
        "merge.devlore.name": "devlore semantic merge",
        "merge.devlore.driver": f"{shlex.quote(python)} -m devlore merge-driver %O %A %B %P",
    }
    lines = []
    for key, value in wanted.items():
        if tree.git("config", "--local", "--get", key).out.rstrip("\n") == value:
            lines.append(f"git config {key} already set")
            continue
        tree.checked(tree.git("config", "--local", key, value), "git config")
        lines.append(f"set git config {key} = {value}")
    return lines


def _ignore(tree: WorkTree) -> list[str]:
    entry = f"{escape_glob(tree.prefix)}/.devlore/" if tree.prefix else ".devlore/"
    path = tree.top / ".gitignore"
    existing = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    if any(line.strip() in (entry, f"/{entry}", ".devlore/", ".devlore") for line in existing):
        lines = [f"{path} already ignores {entry}"]
    else:
        lines = _extend_lines(path, [entry], "# devlore's private state (index, locks): never commit it")
    state = tree.top_rel(".devlore")
    if tree.git("ls-files", "-z", "--", literal(state)).names():
        lines.append(f"{state}/ is tracked: untrack it with `git rm -r --cached {shlex.quote(state)}` and commit")
    return lines


def _hook(tree: WorkTree, python: str) -> list[str]:
    hooks = tree.top / tree.checked(tree.git("rev-parse", "--git-path", "hooks"), "git rev-parse").out.strip()
    hook = hooks / "pre-commit"
    brain = shlex.quote(tree.prefix or ".")
    command = f"{shlex.quote(python)} -m devlore check --staged {brain}"
    text = (
        f"#!/bin/sh\n{HOOK_MARK}: written by `devlore git-setup` (which may rewrite it); delete it to stop\n"
        "# the check. It refuses a commit whose staged brain files do not parse or hold conflict markers.\n"
        f"py={shlex.quote(python)}\n"
        f'if [ -x "$py" ]; then\n    exec "$py" -m devlore check --staged {brain}\nfi\n'
        f"exec devlore check --staged {brain}\n"
    )
    old = hook.read_text(encoding="utf-8", errors="replace") if hook.is_file() else None
    if old is not None and HOOK_MARK not in old:
        return [f"{hook} is not devlore's, so it was left as is: to chain the check, add `{command} || exit 1` to it"]
    if old == text:
        return [f"{hook} already installed"]
    hooks.mkdir(parents=True, exist_ok=True)
    atomic_write(hook, text.encode("utf-8"))
    hook.chmod(0o755)
    return [f"{'updated' if old else 'installed'} the pre-commit hook {hook}"]


def _extend_lines(path: Path, wanted: list[str], comment: str) -> list[str]:
    """Append the lines of ``wanted`` that ``path`` lacks (after ``comment`` the first time)."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    present = {line.strip() for line in text.splitlines()}
    missing = [line for line in wanted if line not in present]
    if not missing:
        return [f"{path} already has {', '.join(wanted)}"]
    block = ([comment] if comment not in present else []) + missing
    if text and not text.endswith("\n"):
        text += "\n"
    atomic_write(path, (text + "\n".join(block) + "\n").encode("utf-8"))
    return [f"added to {path}: {line}" for line in missing]
