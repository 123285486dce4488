"""docs/ARCHITECTURE.md is the map of ``src/devlore``: every module or package it names exists,
and its module map names every module there is, so the map cannot fall behind the code."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SRC = REPO / "src" / "devlore"
DOC = (REPO / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
NAMED = re.compile(r"`((?:[\w]+/)*[\w]+\.py|[\w]+/)`")


def named(text: str) -> set[str]:
    return set(NAMED.findall(text))


def module_map() -> str:
    _, found, rest = DOC.partition("\n## Module map\n")
    assert found, "docs/ARCHITECTURE.md has no '## Module map' section"
    return rest.split("\n## ", 1)[0]


def modules() -> set[str]:
    return {path.relative_to(SRC).as_posix() for path in SRC.rglob("*.py")}


def test_every_module_and_package_the_architecture_doc_names_exists() -> None:
    missing = []
    for name in sorted(named(DOC)):
        if name.startswith("tests/"):
            exists = (REPO / name).is_file()
        elif name.endswith("/"):
            exists = (SRC / name / "__init__.py").is_file()
        else:
            exists = (SRC / name).is_file()
        if not exists:
            missing.append(name)
    assert missing == []


def test_the_module_map_names_every_module_in_src_once() -> None:
    rows = re.findall(r"^\| `([^`]+\.py)` \|", module_map(), re.MULTILINE)
    assert sorted(rows) == sorted(set(rows)), "a module is listed twice"
    assert set(rows) == modules()


def test_the_map_is_checked_on_a_real_tree() -> None:
    # The checks above would pass vacuously if the paths were wrong.
    assert {"server.py", "cli.py", "store.py", "tools/__init__.py", "codec/patterns.py"} <= modules()
    assert len(named(module_map())) == len(modules())
