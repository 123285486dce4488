"""``devlore``: serve the brain over MCP, and a few commands for people."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

__all__ = ["main"]

SKELETON_DIRS = (
    "memory/semantic/patterns",
    "memory/episodic/code",
    "memory/episodic/projects",
    "memory/episodic/content",
    "memory/episodic/learning",
    "memory/procedural/workflows",
    "memory/worklogs",
    "brain-health",
)


def default_root() -> Path:
    env = os.environ.get("DEVLORE_ROOT")
    return Path(env).expanduser() if env else Path.home() / "devlore"


def init_root(root: Path) -> bool:
    """Create the skeleton folders (and a dev pattern file) where missing; True for a new brain."""
    from devlore.codec.pattern_edits import new_file

    made = not root.is_dir() or not any(root.iterdir())
    for d in SKELETON_DIRS:
        path = root / d
        path.mkdir(parents=True, exist_ok=True)
    if made:
        (root / "memory/semantic/patterns/dev-patterns.md").write_bytes(new_file("dev").encode("utf-8"))
    return made


def _brain(root: Path | None):  # type: ignore[no-untyped-def]
    from devlore.service.brain import Brain

    return Brain(root or default_root())


def cmd_serve(args: argparse.Namespace) -> int:
    root = (args.root or default_root()).expanduser()
    if init_root(root):
        print(f"devlore: created a new brain at {root}", file=sys.stderr)
    if sys.stdin.isatty():
        print(
            f"devlore serves the brain at {root} over stdio (MCP). It is meant to be started by a client:\n"
            f"  claude mcp add devlore -- devlore serve --root {root}\n"
            "Press Ctrl-C to stop.",
            file=sys.stderr,
        )
    from devlore.server import build_server

    server = build_server(_brain(root), tools=args.tools)
    server.run()
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    root = (args.dir or default_root()).expanduser()
    made = init_root(root)
    print(f"{'Created' if made else 'Already a brain:'} {root}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from devlore.service.stats import check

    root = (args.dir or default_root()).expanduser()
    if not root.is_dir():
        print(f"{root}: no such directory; create a brain with `devlore init {root}`.", file=sys.stderr)
        return 2
    problems = check(_brain(root))
    for p in problems:
        print(f"{p.path}:{p.line}: {p.reason}")
    if problems:
        print(f"{len(problems)} problem(s); the files were left unchanged.", file=sys.stderr)
        return 1
    print(f"{root}: every file parses and round-trips.")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from devlore.service.stats import memory_stats

    s = memory_stats(_brain(args.root))
    print(f"Patterns: {s.patterns} (HIGH {s.by_level['HIGH']}, MEDIUM {s.by_level['MEDIUM']}, LOW {s.by_level['LOW']})")
    print(f"Experiences: {s.experiences}  Workflows: {s.workflows}  Work logs: {s.worklogs}")
    print(f"Time saved: ~{s.time_saved_minutes} min")
    for name in s.mismatched:
        print(f"Drifted: {name}")
    for name in s.stale:
        print(f"Stale: {name}")
    for p in s.problems:
        print(f"Problem: {p.path}:{p.line}: {p.reason}")
    return 0


def cmd_patterns(args: argparse.Namespace) -> int:
    from devlore.errors import DevloreError
    from devlore.service.patterns import list_patterns

    try:
        brain = _brain(args.root)
        result = list_patterns(brain, level=args.level, domain=args.domain)
    except DevloreError as exc:
        print(f"devlore: {exc}", file=sys.stderr)
        return 2
    for path, problem in sorted(brain.problems.items()):
        print(f"devlore: skipped {path}:{problem.line}: {problem.reason}", file=sys.stderr)
    for p in result.patterns:
        drift = "" if p.confidence == p.evidence_level else f" (written {p.confidence})"
        stale = " [stale]" if p.stale else ""
        print(f"{p.evidence_level:<6} {p.examples:>2} ex  {p.domain:<8} {p.name}{drift}{stale}")
    return 0


def pick_source(path: Path) -> Path:
    """The file to import: for one file of a ``…vN.md`` set, the set's highest version."""
    from devlore.service.worklog_import import VERSIONED

    m = VERSIONED.match(path.name)
    if not m:
        return path
    best = (int(m.group("n")), path)
    for sibling in path.parent.iterdir():
        s = VERSIONED.match(sibling.name)
        if s and s.group("stem").lower() == m.group("stem").lower() and sibling.is_file():
            best = max(best, (int(s.group("n")), sibling))
    return best[1]


def cmd_import_worklog(args: argparse.Namespace) -> int:
    from devlore.errors import DevloreError
    from devlore.service.worklog_import import import_worklog

    path: Path = args.path.expanduser()
    if not path.is_file():
        print(f"devlore: {path} is not a file; give a WorkLog.md, WorkLog vN.md or DEVLOG.md.", file=sys.stderr)
        return 2
    source = pick_source(path)
    try:
        text = source.read_bytes().decode("utf-8")
        state = import_worklog(_brain(args.root), text, str(source), args.name)
    except UnicodeDecodeError:
        print(f"devlore: {source} is not UTF-8 text; nothing was imported.", file=sys.stderr)
        return 1
    except DevloreError as exc:
        print(f"devlore: {exc}", file=sys.stderr)
        return 1
    print(
        f"Imported {source.name} as {state.path} ({state.version}, {state.status}); "
        f"the next session continues at v{int(state.version[1:]) + 1}."
    )
    return 0


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="devlore", description="A second brain for AI coding assistants, over MCP.")
    ap.add_argument("--version", action="version", version="devlore 0.1.0")
    sub = ap.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="serve the brain over stdio (MCP)")
    s.add_argument("--root", type=Path, help="brain directory (default: $DEVLORE_ROOT, else ~/devlore)")
    s.add_argument("--tools", choices=("patterns", "worklogs", "all"), default="all", help="which tools to expose")
    s.set_defaults(func=cmd_serve)
    s = sub.add_parser("init", help="create a brain skeleton")
    s.add_argument("dir", nargs="?", type=Path)
    s.set_defaults(func=cmd_init)
    s = sub.add_parser("check", help="parse and round-trip every file; exit 1 listing problems")
    s.add_argument("dir", nargs="?", type=Path)
    s.set_defaults(func=cmd_check)
    s = sub.add_parser("stats", help="what the brain holds")
    s.add_argument("--root", type=Path)
    s.set_defaults(func=cmd_stats)
    s = sub.add_parser("import-worklog", help="bring an existing work log into memory/worklogs/")
    s.add_argument("--root", type=Path)
    s.add_argument("--name", help="work-log name (default: from the file name or its title)")
    s.add_argument("path", type=Path)
    s.set_defaults(func=cmd_import_worklog)
    s = sub.add_parser("patterns", help="list patterns for people")
    s.add_argument("--root", type=Path)
    s.add_argument("--level", choices=("LOW", "MEDIUM", "HIGH"))
    s.add_argument("--domain")
    s.set_defaults(func=cmd_patterns)
    return ap


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="devlore: %(levelname)s %(message)s")
    args = parser().parse_args(argv)
    return int(args.func(args))
