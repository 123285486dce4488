"""A new brain: the empty skeleton ``devlore init`` and ``devlore serve`` create, or a fresh copy
of the example brain (``devlore init --example``)."""

from __future__ import annotations

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from devlore.codec.pattern_edits import new_file
from devlore.errors import AlreadyExists, NotFound
from devlore.layout import SKELETON, domain_file

__all__ = ["copy_example", "example_brain", "init_root"]

_PACKAGED = "example_brain"
"""Where a wheel carries the example brain inside the package (pyproject.toml force-includes it)."""
_SOURCE_TREE = Path(__file__).resolve().parents[3] / "memory_fixtures"
"""The example brain of a source checkout, for an editable install (src/devlore/service/ -> repo)."""


def init_root(root: Path) -> bool:
    """Create the skeleton folders (and a dev pattern file) where missing; True for a new brain."""
    made = not root.is_dir() or not any(root.iterdir())
    for d in SKELETON:
        (root / d).mkdir(parents=True, exist_ok=True)
    if made:
        (root / domain_file("dev")).write_bytes(new_file("dev").encode("utf-8"))
    return made


def example_brain() -> Traversable:
    """The example brain this installation carries: packaged in the wheel, else the source tree's."""
    packaged = files("devlore") / _PACKAGED
    if packaged.is_dir():
        return packaged
    if _SOURCE_TREE.is_dir():
        return _SOURCE_TREE
    raise NotFound(
        "This installation of devlore has no example brain (it ships in the wheel and in a source checkout): "
        "reinstall devlore with `pip install devlore`, or start an empty brain with `devlore init DIR`."
    )


def copy_example(dest: Path) -> list[str]:
    """Write a fresh copy of the example brain into ``dest``, which must be new or empty; the
    copied files, relative to ``dest``."""
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise AlreadyExists(
            f"{dest} is not an empty folder, so the example brain was not copied there (nothing was changed): "
            "give a new folder, e.g. `devlore init --example ./my-brain`."
        )
    written: list[str] = []
    _copy(example_brain(), dest, "", written)
    return written


def _copy(source: Traversable, dest: Path, rel: str, written: list[str]) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for item in sorted(source.iterdir(), key=lambda t: t.name):
        if item.name.startswith(".") or item.name == "__pycache__":
            continue
        if item.is_dir():
            _copy(item, dest / item.name, f"{rel}{item.name}/", written)
        else:
            (dest / item.name).write_bytes(item.read_bytes())
            written.append(f"{rel}{item.name}")
