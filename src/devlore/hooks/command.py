"""``devlore hook EVENT [--root DIR] [--budget N]``: read the host's JSON on stdin, print the
answer. It never fails the session: on any error it prints nothing and exits 0."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from devlore.home import default_root
from devlore.hooks.events import BUDGET, EVENTS, run_hook

__all__ = ["add_arguments", "hook_main", "run"]


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("event", choices=list(EVENTS))
    p.add_argument("--root", type=Path, help="brain directory (default: $DEVLORE_ROOT, else ~/devlore)")
    p.add_argument("--budget", type=int, default=BUDGET, help=f"characters of context at most (default {BUDGET})")


def run(args: argparse.Namespace) -> int:
    try:
        raw = sys.stdin.read()
        root = (args.root or default_root()).expanduser()
    except Exception:  # a hook never fails the session
        return 0
    out = run_hook(args.event, raw, root, args.budget)
    if out:
        print(out)
    return 0


def hook_main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(
        prog="devlore hook", description="a Claude Code hook: reads the event's JSON on stdin, prints the answer"
    )
    add_arguments(p)
    return run(p.parse_args(argv))
