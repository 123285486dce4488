"""The command line's host commands: ``devlore setup`` (wire devlore into an MCP host) and
``devlore hook`` (Claude Code's hooks). ``cli.py`` adds them with ``add_commands``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from devlore.hooks.command import add_arguments as hook_arguments
from devlore.hooks.command import run as run_hook_command
from devlore.hosts import HOSTS, ConfigError, Launch, Place, found_hosts, setup_host
from devlore.service.doctor import launch_command

__all__ = ["add_commands"]


def _launch(root: Path, url: str | None, token_env: str) -> Launch:
    command = launch_command()
    if Path(command).is_file():
        return Launch(str(Path(command).resolve()), root, url, token_env)
    return Launch(sys.executable, root, url, token_env, pre=("-m", "devlore"))


def cmd_setup(args: argparse.Namespace, default_root: Callable[[], Path]) -> int:
    place = Place(home=Path.home(), project=(args.project or Path.cwd()).resolve())
    if args.list:
        for line in found_hosts(place):
            print(line)
        return 0
    if not args.host:
        print(f"devlore: name the host to set up ({', '.join(HOSTS)}), or --list the hosts found.", file=sys.stderr)
        return 2
    root = (args.root or default_root()).expanduser().resolve()
    try:
        outcome = setup_host(
            args.host,
            _launch(root, args.http, args.token_env),
            place,
            scope=args.scope,
            hooks=args.hooks,
            show=args.print,
        )
    except (ConfigError, OSError) as exc:
        print(f"devlore: {exc}", file=sys.stderr)
        return 1
    for line in outcome.lines:
        print(line)
    if not args.http and not root.is_dir():
        print(f"devlore: there is no brain at {root} yet; the host's first start creates it.", file=sys.stderr)
    return 0


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser], default_root: Callable[[], Path]) -> None:
    s = sub.add_parser("setup", help="add devlore to an MCP host's configuration (claude-code, cursor, ...)")
    s.add_argument("host", nargs="?", choices=list(HOSTS), help="the host to set up")
    s.add_argument("--list", action="store_true", help="show the hosts found and whether devlore is in each")
    s.add_argument("--root", type=Path, help="brain directory (default: $DEVLORE_ROOT, else ~/devlore)")
    s.add_argument("--scope", choices=("user", "project"), help="user (default) or project, where the host has both")
    s.add_argument("--project", type=Path, help="the project folder for --scope project (default: here)")
    s.add_argument("--print", action="store_true", help="show the change without writing it")
    s.add_argument(
        "--hooks", nargs="?", const="default", choices=("default", "recall"), help="claude-code: install the hooks too"
    )
    s.add_argument("--http", metavar="URL", help="use a running `devlore serve --http` at URL instead of stdio")
    s.add_argument("--token-env", default="DEVLORE_TOKEN", help="variable holding the HTTP bearer token")
    s.set_defaults(func=lambda a: cmd_setup(a, default_root))
    # `devlore hook` itself starts in devlore.entry, without this module; listed here for --help.
    s = sub.add_parser("hook", help="a Claude Code hook: reads the event's JSON on stdin, prints the answer")
    hook_arguments(s)
    s.set_defaults(func=run_hook_command)
