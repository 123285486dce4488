"""The shape of the code, checked from its source with ``ast`` (nothing is imported).

- Imports run one way: model/errors <- codec, layout <- store <- service <- server <- cli;
  ``mcp`` is imported only by the protocol layer, and the filesystem only by store and cli.
- No import cycles inside ``devlore``. Every import statement counts, including those inside
  functions and those under ``if TYPE_CHECKING:``: a type-only import is still a dependency,
  and a cycle that only ``TYPE_CHECKING`` keeps alive is still two modules that cannot be
  understood, or moved, apart.
- No import inside a function: it hides a dependency, usually one that runs the wrong way.
  A function that needs one to dodge a cycle lives in the wrong module; move it down a layer.
- No module over 400 lines: split it along a seam it already has.

The checker is ``tests/architecture.py``; the last tests run it on small generated packages
to show it catches what it should and passes what it should.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from tests.architecture import cycles, function_local_imports, import_graph, long_modules

SRC = Path(__file__).resolve().parent.parent / "src" / "devlore"
MAX_LINES = 400

# module (relative to src/devlore, without .py) prefix -> imports it must not use
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "model": ("devlore.codec", "devlore.service", "devlore.store", "devlore.server", "mcp", "os", "pathlib"),
    "errors": ("devlore.", "mcp", "os", "pathlib"),
    "names": ("devlore.codec", "devlore.service", "devlore.store", "devlore.model", "mcp", "os", "pathlib"),
    "codec/": (
        "devlore.service",
        "devlore.store",
        "devlore.files",
        "devlore.git",
        "devlore.server",
        "devlore.cli",
        "mcp",
        "os",
        "pathlib",
    ),
    "layout": ("devlore.service", "devlore.store", "devlore.server", "mcp", "os", "pathlib"),
    "store": ("devlore.service", "devlore.server", "devlore.codec", "mcp"),
    "files": ("devlore.", "mcp"),
    "git/": ("devlore.service", "devlore.store", "devlore.tools", "devlore.server", "devlore.cli", "mcp"),
    "service/": ("devlore.tools", "devlore.server", "devlore.serve", "devlore.resources", "devlore.cli", "mcp", "os"),
    "tools/": ("devlore.server", "devlore.serve", "devlore.cli"),
    # Host wiring and hooks run before a session's first prompt: no SDK, nothing of the server.
    "hosts/": ("devlore.server", "devlore.serve", "devlore.tools", "devlore.cli", "devlore.hooks", "mcp"),
    "hooks/": ("devlore.server", "devlore.serve", "devlore.tools", "devlore.cli", "devlore.hosts", "mcp"),
    "cli_hosts": ("devlore.server", "devlore.serve", "devlore.tools", "devlore.cli", "mcp"),
    "cli_people": ("devlore.server", "devlore.serve", "devlore.tools", "devlore.cli", "mcp"),
    # The board reads through the services (and the pure codecs, the watcher for live updates);
    # it never writes (no store, files or git), and nothing but serve.py imports it.
    "board/": (
        "devlore.store",
        "devlore.files",
        "devlore.git",
        "devlore.tools",
        "devlore.server",
        "devlore.serve",
        "devlore.resources",
        "devlore.notifications",
        "devlore.cli",
        "mcp",
    ),
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
    assert users == [
        "auth.py",
        "notifications.py",
        "prompts.py",
        "protocol.py",
        "resources.py",
        "serve.py",
        "server.py",
        "tools/arguments.py",
        "tools/declare.py",
        "tools/register.py",
    ]


def test_devlore_has_no_import_cycles() -> None:
    assert [" -> ".join(cycle) for cycle in cycles(import_graph(SRC))] == []


def test_no_module_imports_inside_a_function_but_serve_loading_the_sdk_and_the_entry_loading_the_cli() -> None:
    # The one exception, made for speed and checked below: the MCP SDK and the HTTP stack take
    # about a second to import, and git runs `devlore merge-driver` and the pre-commit hook once
    # per file; `devlore serve` and `devlore board` load them.
    # The other: `devlore hook` runs before a Claude Code session's first prompt, so the entry
    # point loads the rest of the command line only for the other commands.
    found = function_local_imports(SRC)
    assert sorted(re.sub(r":\d+ ", " ", line) for line in found) == [
        "devlore/cli.py imports devlore: serve",
        "devlore/cli.py imports devlore: serve",
        "devlore/entry.py imports devlore.cli: main",
    ]


def test_nothing_below_the_faces_imports_the_board() -> None:
    users = sorted(
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.py")
        if not path.relative_to(SRC).as_posix().startswith("board/")
        and any(name == "devlore.board" or name.startswith("devlore.board.") for name in imports(path))
    )
    assert users == ["serve.py"]


def test_commands_other_than_serve_do_not_load_the_mcp_sdk() -> None:
    probe = "import sys, devlore.cli; print(sorted(m for m in sys.modules if m == 'mcp' or m.startswith('mcp.')))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"


def test_the_hook_command_starts_without_the_rest_of_the_command_line() -> None:
    probe = "import sys, devlore.entry; print(sorted(m for m in sys.modules if m.startswith(('devlore.cli', 'mcp'))))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]"


def test_no_module_is_over_400_lines() -> None:
    assert long_modules(SRC, MAX_LINES) == []


# -- the checker itself, on packages made for the purpose -------------------------------------


def _package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / next(iter(files)).split("/")[0]


def test_a_cycle_closed_by_an_import_inside_a_function_is_found_and_named(tmp_path: Path) -> None:
    pkg = _package(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/low/__init__.py": "",
            "pkg/low/stats.py": "from pkg.low import recall\n\nN = 1\n",
            "pkg/low/recall.py": "from pkg import index\n",
            "pkg/index.py": "def documents() -> int:\n    from pkg.low.stats import N\n\n    return N\n",
            "pkg/other.py": "import pkg.index\n",
        },
    )

    assert cycles(import_graph(pkg)) == [["pkg.index", "pkg.low.stats", "pkg.low.recall", "pkg.index"]]
    assert function_local_imports(pkg) == ["pkg/index.py:2 imports pkg.low.stats: N"]


def test_a_cycle_through_a_type_checking_import_counts(tmp_path: Path) -> None:
    pkg = _package(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from pkg.b import B\n",
            "pkg/b.py": "from .a import *\n\nB = 1\n",
        },
    )

    assert cycles(import_graph(pkg)) == [["pkg.a", "pkg.b", "pkg.a"]]
    assert function_local_imports(pkg) == []


def test_a_package_whose_imports_run_one_way_passes(tmp_path: Path) -> None:
    pkg = _package(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/model.py": "import os\n\nX = os.sep\n",
            "pkg/codec/__init__.py": "",
            "pkg/codec/text.py": "from pkg.model import X\n",
            "pkg/service.py": "from pkg import model\nfrom pkg.codec import text\nfrom . import codec\n",
            "pkg/cli.py": "import pkg.service\n\n\ndef main() -> None:\n    print(pkg.service)\n",
        },
    )

    assert import_graph(pkg) == {
        "pkg": set(),
        "pkg.cli": {"pkg.service"},
        "pkg.codec": set(),
        "pkg.codec.text": {"pkg.model"},
        "pkg.model": set(),
        "pkg.service": {"pkg.codec", "pkg.codec.text", "pkg.model"},
    }
    assert cycles(import_graph(pkg)) == []
    assert function_local_imports(pkg) == []
    assert long_modules(pkg, 4) == ["pkg/cli.py (5 lines)"]
