"""Imports run one way: model/errors <- codec, layout <- store <- service <- server <- cli.

``mcp`` is imported only by the protocol layer, and the filesystem only by store and cli.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "devlore"

# module (relative to src/devlore, without .py) prefix -> imports it must not use
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "model": ("devlore.codec", "devlore.service", "devlore.store", "devlore.server", "mcp", "os", "pathlib"),
    "errors": ("devlore.", "mcp", "os", "pathlib"),
    "codec/": ("devlore.service", "devlore.store", "devlore.server", "devlore.cli", "mcp", "os", "pathlib"),
    "layout": ("devlore.service", "devlore.store", "devlore.server", "mcp", "os", "pathlib"),
    "store": ("devlore.service", "devlore.server", "devlore.codec", "mcp"),
    "service/": ("devlore.server", "devlore.resources", "devlore.cli", "mcp", "os"),
}


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_imports_run_one_way() -> None:
    violations = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC).as_posix().removesuffix(".py")
        for prefix, banned in FORBIDDEN.items():
            if not rel.startswith(prefix):
                continue
            for name in imports(path):
                if any(name == b or name.startswith(b if b.endswith(".") else b + ".") for b in banned):
                    violations.append(f"{rel} imports {name}")
    assert violations == []


def test_mcp_is_imported_only_by_the_protocol_layer() -> None:
    users = sorted(
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.py")
        if any(name == "mcp" or name.startswith("mcp.") for name in imports(path))
    )
    assert users == ["cli.py", "edges.py", "live.py", "resources.py", "server.py", "surface.py", "worklog_tools.py"]
