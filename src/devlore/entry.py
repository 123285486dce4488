"""The ``devlore`` command's entry point. ``devlore hook …`` runs before a Claude Code session's
first prompt (docs/HOSTS.md), so it starts with the hook's modules only; every other command
loads the whole command line (``cli.py``)."""

from __future__ import annotations

import sys

from devlore.hooks.command import hook_main

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if args[:1] == ["hook"]:
        return hook_main(args[1:])
    # The second import inside a function, allowed by tests/test_architecture.py: the rest of
    # the command line takes a third of a second to import, which a hook must not pay.
    from devlore.cli import main as everything

    return everything(args)
