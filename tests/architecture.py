"""Read a package's imports with ``ast``, without importing it: the graph, its cycles, and the
imports that hide inside functions.

Every import statement counts, wherever it is: at the top, inside a function, under
``if TYPE_CHECKING:``. A type-only import still says one module needs the other's names, and a
cycle kept alive only by ``TYPE_CHECKING`` is a cycle all the same (the two modules cannot be
understood, or moved, one without the other).
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator
from pathlib import Path

__all__ = ["Graph", "cycles", "function_local_imports", "import_graph", "long_modules", "modules"]

Graph = dict[str, set[str]]  # module -> the package's modules it imports


def modules(package: Path) -> dict[str, Path]:
    """Dotted name -> file of every module in the package whose folder is ``package``."""
    found: dict[str, Path] = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join((package.name, *parts))] = path
    return found


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node


def _base(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    """The absolute module a ``from ... import`` reads from (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    parts = module.split(".") if is_package else module.split(".")[:-1]
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join([*parts, node.module] if node.module else parts)


def _known(name: str, known: dict[str, Path]) -> str | None:
    """``name`` if it is a module of the package, else the closest package module above it."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(package: Path) -> Graph:
    """Which of the package's modules each of its modules imports.

    ``from p.x import y`` is an edge to ``p.x.y`` when ``y`` is a submodule, else to ``p.x``;
    ``import p.x.y`` is an edge to ``p.x.y``. Imports from outside the package are left out."""
    known = modules(package)
    graph: Graph = {}
    for module, path in known.items():
        edges: set[str] = set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = _base(module, path.name == "__init__.py", node)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
            edges.update(t for name in targets if (t := _known(name, known)) is not None and t != module)
        graph[module] = edges
    return graph


def _components(graph: Graph) -> list[list[str]]:
    """Strongly connected components (Tarjan), each sorted; singletons included."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component: list[str] = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            out.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _shortest_cycle(graph: Graph, start: str, inside: set[str]) -> list[str]:
    """The shortest path ``start -> ... -> start`` through the modules ``inside``."""
    came: dict[str, str] = {}
    queue = deque([start])
    while queue:
        v = queue.popleft()
        for w in sorted(graph.get(v, ())):
            if w == start:
                path = [v]
                while path[-1] != start:
                    path.append(came[path[-1]])
                return [*reversed(path), start]
            if w in inside and w not in came:
                came[w] = v
                queue.append(w)
    return [start, start]  # unreachable for a real component


def cycles(graph: Graph) -> list[list[str]]:
    """One cycle per group of modules that import each other, as ``[a, b, ..., a]``."""
    return [_shortest_cycle(graph, c[0], set(c)) for c in _components(graph) if len(c) > 1]


def function_local_imports(package: Path) -> list[str]:
    """``file:line imports name`` for every import statement inside a function body."""
    found: set[tuple[str, int, str]] = set()  # a nested function's imports are met once per enclosing one
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in _imports(fn):
                label = ", ".join(a.name for a in node.names)
                if isinstance(node, ast.ImportFrom):
                    label = f"{'.' * node.level}{node.module or ''}: {label}"
                found.add((path.relative_to(package.parent).as_posix(), node.lineno, label))
    return [f"{file}:{line} imports {label}" for file, line, label in sorted(found)]


def long_modules(package: Path, limit: int) -> list[str]:
    """``file (N lines)`` for every module longer than ``limit`` lines."""
    out: list[str] = []
    for path in sorted(package.rglob("*.py")):
        n = len(path.read_text(encoding="utf-8").splitlines())
        if n > limit:
            out.append(f"{path.relative_to(package.parent).as_posix()} ({n} lines)")
    return out
