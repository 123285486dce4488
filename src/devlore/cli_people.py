"""The command line's commands for people reading a brain: ``devlore stats``, ``patterns``,
``doctor`` and ``import-worklog``. ``cli.py`` adds them with ``add_commands``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from devlore.errors import DevloreError
from devlore.model import LEVELS
from devlore.names import counted
from devlore.service.brain import Brain
from devlore.service.doctor import doctor_checks, launch_command
from devlore.service.stats import every_pattern, memory_stats, stale_by_domain
from devlore.service.worklog_import import import_worklog, pick_source

__all__ = ["add_commands"]

Root = Callable[[argparse.Namespace], Path]


def cmd_stats(args: argparse.Namespace, brain_root: Root) -> int:
    brain = Brain(brain_root(args))
    s = memory_stats(brain)
    print(f"Patterns: {s.patterns} (HIGH {s.by_level['HIGH']}, MEDIUM {s.by_level['MEDIUM']}, LOW {s.by_level['LOW']})")
    counts = ((s.experiences, "experience"), (s.workflows, "workflow"), (s.worklogs, "work log"))
    print(", ".join(counted(n, word) for n, word in counts))
    print(f"Time saved: ~{s.time_saved_minutes} min")
    for name in s.mismatched:
        print(f"Drifted: {name}")
    for domain, names in stale_by_domain(brain).items():
        print(f"Stale in {domain} ({len(names)}): {', '.join(names)}")
    for p in s.problems:
        print(f"Problem: {p.path}:{p.line}: {p.reason}")
    return 0


def cmd_patterns(args: argparse.Namespace, brain_root: Root) -> int:
    brain = Brain(brain_root(args))
    try:
        rows = every_pattern(brain, level=args.level, domain=args.domain)
    except DevloreError as exc:
        print(f"devlore: {exc}", file=sys.stderr)
        return 2
    for path, problem in sorted(brain.problems.items()):
        print(f"devlore: skipped {path}:{problem.line}: {problem.reason}", file=sys.stderr)
    print(f"{'LEVEL':<6} {'EX':>2}     {'DOMAIN':<8} NAME")
    for p in rows:
        written = "" if p.confidence == p.evidence_level else f" (written {p.confidence})"
        drift = f" [drift: {p.drift}]" if p.drift else ""
        stale = " [stale]" if p.stale else ""
        print(f"{p.evidence_level:<6} {p.examples:>2} ex  {p.domain:<8} {p.name}{written}{drift}{stale}")
    return 0


def cmd_import_worklog(args: argparse.Namespace, brain_root: Root) -> int:
    path: Path = args.path.expanduser()
    if not path.is_file():
        print(f"devlore: {path} is not a file; give a WorkLog.md, WorkLog vN.md or DEVLOG.md.", file=sys.stderr)
        return 2
    source = pick_source(path)
    try:
        text = source.read_bytes().decode("utf-8")
        state = import_worklog(Brain(brain_root(args)), text, str(source), args.name)
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


def cmd_doctor(args: argparse.Namespace, brain_root: Root) -> int:
    root = brain_root(args)
    checks = doctor_checks(root)
    for ok, line in checks:
        print(("ok   " if ok else "FAIL ") + line)
    command = launch_command()
    print(f"""
Claude Code:
  claude mcp add devlore -- {command} serve --root {root}

Claude Desktop (claude_desktop_config.json):
  {{"mcpServers": {{"devlore": {{"command": "{command.split()[0]}",
    "args": [{", ".join(f'"{a}"' for a in [*command.split()[1:], "serve", "--root", str(root)])}]}}}}}}

HTTP clients (after `DEVLORE_TOKEN=... devlore serve --http --root {root}`):
  url: http://127.0.0.1:8765/mcp   header: Authorization: Bearer $DEVLORE_TOKEN""")
    return 0 if all(ok for ok, _ in checks) else 1


def add_commands(sub: Any, at: argparse.ArgumentParser, brain_root: Root) -> None:
    """Add the commands to ``sub``; ``at`` is the shared ``--root`` parser, ``brain_root`` the
    rule that refuses a folder that is not a brain."""
    s = sub.add_parser("stats", parents=[at], help="what the brain holds")
    s.set_defaults(func=partial(cmd_stats, brain_root=brain_root))
    s = sub.add_parser("import-worklog", parents=[at], help="bring an existing work log into memory/worklogs/")
    s.add_argument("--name", help="work-log name (default: from the file name or its title)")
    s.add_argument("path", type=Path)
    s.set_defaults(func=partial(cmd_import_worklog, brain_root=brain_root))
    s = sub.add_parser("doctor", parents=[at], help="check the set-up and print client configuration")
    s.set_defaults(func=partial(cmd_doctor, brain_root=brain_root))
    s = sub.add_parser("patterns", parents=[at], help="list patterns for people")
    s.add_argument("--level", choices=LEVELS, type=str.upper, help="HIGH, MEDIUM or LOW (any case)")
    s.add_argument("--domain")
    s.set_defaults(func=partial(cmd_patterns, brain_root=brain_root))
