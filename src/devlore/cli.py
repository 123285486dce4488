"""``devlore``: serve the brain over MCP, and a few commands for people. This module parses
arguments and prints; the work is done by the services and the git layer it calls."""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import logging
import os
import sys
import threading
from pathlib import Path

from devlore.cli_hosts import add_commands
from devlore.cli_people import add_commands as add_people_commands
from devlore.errors import DevloreError, NotFound
from devlore.git import GitError, Repo, merge_file
from devlore.home import default_root
from devlore.service.brain import Brain
from devlore.service.check import check, staged_problems, warnings
from devlore.service.new_brain import copy_example, init_root
from devlore.service.roots import is_brain, require_brain
from devlore.service.sync import commit_writes, conflict_hint, sync_brain

__all__ = ["main"]


def given_root(args: argparse.Namespace) -> Path:
    """The folder a command was given: ``--root DIR`` (or ``init``/``check``'s positional
    ``DIR``), else ``$DEVLORE_ROOT``, else ``~/devlore``; absolute."""
    chosen = getattr(args, "root", None) or getattr(args, "dir", None) or default_root()
    return Path(chosen).expanduser().resolve()


def brain_root(args: argparse.Namespace) -> Path:
    """``given_root``, refused (``NotFound``, naming the nearest brain) unless it is a brain:
    only ``serve`` and ``init`` create one."""
    return require_brain(given_root(args))


def _brain(args: argparse.Namespace) -> Brain:
    return Brain(brain_root(args))


# A server gathers writes for this long before rewriting brain-health/ once (service/health.py).
HEALTH_DELAY = 0.2


def _team(args: argparse.Namespace, brain: Brain) -> threading.Event:
    """``--git``: commit every write operation; ``--sync-every``: sync in the background.
    Raises ``GitError`` (git missing, not a work tree) before the server starts."""
    if args.sync_every is not None and not args.git:
        raise DevloreError("--sync-every needs --git: only a brain whose writes are committed can be synced.")
    if args.sync_every is not None and args.sync_every < 5:
        raise DevloreError("--sync-every must be at least 5 seconds.")
    return commit_writes(brain, sync_every=args.sync_every) if args.git else threading.Event()


def _http_token(args: argparse.Namespace) -> tuple[bool, str | None]:
    """(whether to go on, the bearer token): a non-loopback address without a token is refused."""
    try:
        token = read_token(args.token_file)
    except (OSError, ValueError) as exc:
        print(f"devlore: cannot read the token: {exc}", file=sys.stderr)
        return False, None
    if not _is_loopback(args.host) and not token:
        print(
            f"devlore: refusing to serve {args.host} without a token: anyone who can reach it could read "
            f"{'and change ' if args.command == 'serve' else ''}the brain. Set DEVLORE_TOKEN or pass --token-file, "
            "or bind 127.0.0.1.",
            file=sys.stderr,
        )
        return False, None
    return True, token


def cmd_serve(args: argparse.Namespace) -> int:
    root = given_root(args)
    if args.decay_days is not None and args.decay_days < 1:
        print("devlore: --decay-days must be 1 or more (days without a new example).", file=sys.stderr)
        return 2
    token: str | None = None
    if args.http:
        ok, token = _http_token(args)
        if not ok:
            return 2
    was_brain = is_brain(root)
    init_root(root)
    if not was_brain:
        print(f"devlore: created a new brain at {root} (no memory/ folder was there)", file=sys.stderr)
    if not args.http and sys.stdin.isatty():
        print(
            f"devlore serves the brain at {root} over stdio (MCP). It is meant to be started by a client:\n"
            f"  claude mcp add devlore -- devlore serve --root {root}\n"
            "Press Ctrl-C to stop.",
            file=sys.stderr,
        )
    brain = Brain(root)
    brain.health_delay = HEALTH_DELAY
    brain.decay_days = args.decay_days
    try:
        stop = _team(args, brain)
    except DevloreError as exc:
        print(f"devlore: {exc}", file=sys.stderr)
        return 2
    # The one import inside a function, allowed by tests/test_architecture.py: the MCP SDK takes
    # about a second to import, and git runs `devlore merge-driver` and the pre-commit hook's
    # `devlore check --staged` once per file, so only `serve` loads it.
    from devlore import serve

    try:
        if not args.http:
            serve.stdio(brain, args.tools)
            return 0
        host = f"[{args.host}]" if ":" in args.host and not args.host.startswith("[") else args.host  # IPv6
        url = f"http://{host}:{args.port}"
        print(f"devlore: serving {root} at {url}/mcp" + (" (bearer token required)" if token else ""), file=sys.stderr)
        serve.http(brain, args.tools, token, url, args.host, args.port, args.allowed_host or [])
        return 0
    finally:
        stop.set()


def cmd_board(args: argparse.Namespace) -> int:
    ok, token = _http_token(args)
    if not ok:
        return 2
    root = brain_root(args)  # read-only: it never creates a brain
    from devlore import serve  # the HTTP stack: loaded only for `serve` and `board`

    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: the server has stopped cleanly
        serve.board(Brain(root), token, args.host, args.port, args.allowed_host, args.open)
    return 0


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def read_token(token_file: Path | None) -> str | None:
    """The bearer token: ``--token-file`` wins over ``$DEVLORE_TOKEN``; None when neither is set."""
    if token_file is not None:
        token = token_file.expanduser().read_text(encoding="utf-8").strip()
        if not token:
            raise ValueError(f"{token_file} is empty; put the token on its first line.")
        return token
    return os.environ.get("DEVLORE_TOKEN", "").strip() or None


def cmd_init(args: argparse.Namespace) -> int:
    if args.example:
        return init_example(args.root or args.dir)
    root = given_root(args)
    made = init_root(root)
    print(f"{'Created' if made else 'Already a brain:'} {root}")
    return 0


def init_example(dest: Path | None) -> int:
    """``devlore init --example DIR``: a fresh copy of the example brain to try devlore on."""
    if dest is None:
        print(
            "devlore: give the folder to copy the example brain into: devlore init --example ./my-brain",
            file=sys.stderr,
        )
        return 2
    root = dest.expanduser().resolve()  # the hint works from any folder
    try:
        written = copy_example(root)
    except DevloreError as exc:
        print(f"devlore: {exc}", file=sys.stderr)
        return 2
    tops: dict[str, int] = {}
    for rel in written:
        top = rel.split("/", 1)[0] + ("/" if "/" in rel else "")
        tops[top] = tops.get(top, 0) + 1
    parts = [name if name.endswith(".md") else f"{name} ({n} file{'s' if n != 1 else ''})" for name, n in tops.items()]
    print(f"Wrote a copy of the example brain to {root}: {', '.join(parts)}.")
    print(f"Serve it with:\n  devlore serve --root {root}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    if args.staged:
        return cmd_check_staged(args)
    root = brain_root(args)
    brain = Brain(root)
    problems = check(brain)
    for p in [*problems, *warnings(brain)]:
        print(f"{p.path}:{p.line}: {p.reason}")
    if problems:
        print(f"{len(problems)} problem(s); the files were left unchanged.", file=sys.stderr)
        return 1
    print(f"{root}: every file parses and round-trips.")
    return 0


def cmd_check_staged(args: argparse.Namespace) -> int:
    root = given_root(args)  # git's pre-commit hook: the staged files decide, not the work tree
    try:
        problems = staged_problems(root)
    except GitError as exc:
        print(f"devlore: {exc}", file=sys.stderr)
        return 2
    for p in problems:
        print(f"{p.path}:{p.line}: {p.reason}")
    if problems:
        print(
            f"devlore: {len(problems)} staged file(s) would break the brain; fix them, `git add` them, then commit "
            "again (or `git commit --no-verify` to commit anyway).",
            file=sys.stderr,
        )
        return 1
    print(f"{root}: every staged brain file parses and round-trips.")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    root = brain_root(args)
    try:
        report = sync_brain(root)
    except GitError as exc:
        print(f"devlore: {exc}", file=sys.stderr)
        return 2
    if not report.conflicts:
        print(report.message())
        return 0
    print(f"Merged {report.merged} commit(s) from {report.upstream}; these files have conflicts (nothing was pushed):")
    for path in report.conflicts:
        print(f"  {path}{conflict_hint(root, path)}")
    print("Resolve the marked lines, `git add` them, then `git commit` (or run `devlore sync` again).")
    return 1


def cmd_git_setup(args: argparse.Namespace) -> int:
    root = brain_root(args)
    try:
        lines = Repo.find(root).setup()
    except (GitError, OSError) as exc:
        print(f"devlore: {exc}", file=sys.stderr)
        return 2
    for line in lines:
        print(line)
    return 0


def cmd_merge_driver(args: argparse.Namespace) -> int:
    return merge_file(args.base, args.ours, args.theirs, args.path)


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="devlore", description="A second brain for AI coding assistants, over MCP.")
    ap.add_argument("--version", action="version", version="devlore 0.1.0")
    sub = ap.add_subparsers(dest="command", required=True)
    at = argparse.ArgumentParser(add_help=False)  # the one folder argument every command takes
    at.add_argument("--root", type=Path, metavar="DIR", help="brain folder (default: $DEVLORE_ROOT, else ~/devlore)")
    s = sub.add_parser("serve", parents=[at], help="serve the brain over stdio (MCP)")
    s.add_argument("--tools", choices=("patterns", "worklogs", "all"), default="all", help="which tools to expose")
    s.add_argument("--http", action="store_true", help="serve streamable HTTP instead of stdio")
    s.add_argument("--host", default="127.0.0.1", help="HTTP address (default 127.0.0.1; others need a token)")
    s.add_argument("--port", type=int, default=8765, help="HTTP port (default 8765)")
    s.add_argument("--token-file", type=Path, help="file holding the bearer token (else $DEVLORE_TOKEN)")
    s.add_argument("--allowed-host", action="append", default=[], help="a hostname clients use (repeatable)")
    s.add_argument("--git", action="store_true", help="commit every write operation (the root is a git work tree)")
    s.add_argument("--sync-every", type=float, metavar="SECONDS", help="with --git: devlore sync in the background")
    s.add_argument("--decay-days", type=int, metavar="N", help="rank patterns with no example for N days a level lower")
    s.set_defaults(func=cmd_serve)
    s = sub.add_parser("board", parents=[at], help="a read-only web page of what the brain has learned")
    s.add_argument("--host", default="127.0.0.1", help="address (default 127.0.0.1; others need a token)")
    s.add_argument("--port", type=int, default=8766, help="port (default 8766)")
    s.add_argument("--token-file", type=Path, help="file holding the bearer token (else $DEVLORE_TOKEN)")
    s.add_argument("--allowed-host", action="append", default=[], help="a hostname browsers use (repeatable)")
    s.add_argument("--open", action="store_true", help="open the board in the default browser")
    s.set_defaults(func=cmd_board)
    s = sub.add_parser("init", parents=[at], help="create a brain skeleton, or a copy of the example brain")
    s.add_argument("dir", nargs="?", type=Path, help="same as --root DIR")
    s.add_argument("--example", action="store_true", help="write a copy of the example brain into DIR (new or empty)")
    s.set_defaults(func=cmd_init)
    s = sub.add_parser("check", parents=[at], help="parse and round-trip every file; exit 1 listing problems")
    s.add_argument("dir", nargs="?", type=Path, help="same as --root DIR")
    s.add_argument("--staged", action="store_true", help="check only the brain files staged in git, as staged")
    s.set_defaults(func=cmd_check)
    s = sub.add_parser(
        "sync", parents=[at], help="fetch, merge and push the brain's git repository (commits nothing of yours)"
    )
    s.set_defaults(func=cmd_sync)
    s = sub.add_parser(
        "git-setup", parents=[at], help="set this clone up: merge driver, .gitattributes, .gitignore, hook"
    )
    s.set_defaults(func=cmd_git_setup)
    s = sub.add_parser("merge-driver", help="git's merge driver for brain files (configured by git-setup)")
    s.add_argument("base", type=Path, help="%%O: the common ancestor's version")
    s.add_argument("ours", type=Path, help="%%A: our version, overwritten with the result")
    s.add_argument("theirs", type=Path, help="%%B: their version")
    s.add_argument("path", help="%%P: the file's path in the work tree")
    s.set_defaults(func=cmd_merge_driver)
    add_people_commands(sub, at, brain_root)  # stats, import-worklog, doctor, patterns
    add_commands(sub, default_root)  # setup, hook
    return ap


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="devlore: %(levelname)s %(message)s")
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except NotFound as exc:  # a folder that is not a brain (brain_root)
        print(f"devlore: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `devlore patterns | head`: the reader left, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
