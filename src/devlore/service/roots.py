"""Which folder is a brain: the one rule every command that reads a brain applies to its
``--root``, so a wrong folder is an error naming the nearest brain, never an empty answer."""

from __future__ import annotations

from pathlib import Path

from devlore.errors import NotFound
from devlore.layout import MEMORY

__all__ = ["is_brain", "nearest_brain", "require_brain"]

_LOOK_DOWN = 2  # folder levels searched below a root that is not a brain
_LOOK_AT = 200  # folders looked at below it at most (a home folder is large)


def is_brain(root: Path) -> bool:
    """A brain is a folder holding ``memory/`` (``devlore init`` makes one)."""
    return (root / MEMORY).is_dir()


def nearest_brain(root: Path) -> Path | None:
    """The closest brain to a folder that is not one: a parent (``brain/memory`` is one level
    too deep), else a folder up to two levels below it, the shallowest first."""
    here = root.resolve()
    for parent in here.parents:
        if is_brain(parent):
            return parent
    if not here.is_dir():
        return None
    level, seen = [here], 0
    for _ in range(_LOOK_DOWN):
        below: list[Path] = []
        for folder in level:
            try:
                children = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
            except OSError:
                continue
            for child in children:
                seen += 1
                if is_brain(child):
                    return child
                if seen >= _LOOK_AT:
                    return None
                below.append(child)
        level = below
    return None


def require_brain(root: Path) -> Path:
    """``root`` made absolute when it is a brain; else ``NotFound`` saying what was looked for
    and where the nearest brain is."""
    here = root.expanduser().resolve()
    if is_brain(here):
        return here
    what = "does not exist" if not here.exists() else f"is not a devlore brain (it has no {MEMORY}/ folder)"
    near = nearest_brain(here)
    hint = (
        f"The nearest brain is {near}: pass --root {near}."
        if near is not None
        else f"Pass --root with a brain's folder, or create one with `devlore init --root {here}`."
    )
    raise NotFound(f"{here} {what}. {hint}")
