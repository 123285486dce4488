"""``devlore doctor``: is the set-up sound, and which command starts this devlore."""

from __future__ import annotations

import shutil
import sys
from importlib.metadata import version
from pathlib import Path

from devlore.files import is_held
from devlore.service.brain import Brain
from devlore.service.check import check
from devlore.store import Store

__all__ = ["doctor_checks", "held_locks", "launch_command"]


def doctor_checks(root: Path) -> list[tuple[bool, str]]:
    """(ok, line) for each thing ``devlore doctor`` looks at."""
    checks: list[tuple[bool, str]] = [
        (sys.version_info >= (3, 11), f"Python {sys.version.split()[0]} (3.11 or newer needed)"),
        (True, f"devlore {version('devlore')}, MCP SDK {version('mcp')}"),
    ]
    if not root.is_dir():
        return [*checks, (False, f"{root} does not exist: create it with `devlore init {root}`")]
    store = Store(root)
    try:
        probe = store.state_file("doctor-probe")
        probe.write_bytes(b"ok")
        probe.unlink()
        checks.append((True, f"{root} is writable"))
    except OSError as exc:
        checks.append((False, f"{root} is not writable: {exc}"))
    problems = check(Brain(root))
    checks.append((not problems, f"{len(problems)} file(s) that do not parse"))
    checks += [(False, f"  {p.path}:{p.line}: {p.reason}") for p in problems]
    leftovers = list(store.temp_files())
    checks.append((not leftovers, f"{len(leftovers)} temp file(s) left by interrupted writes (cleared on next serve)"))
    held = held_locks(store)
    checks.append((True, f"{held} lock(s) held right now by running devlore processes (released if they die)"))
    return checks


def held_locks(store: Store) -> int:
    """How many of the brain's file locks some process holds right now."""
    return sum(is_held(lock) for lock in store.lock_files())


def launch_command() -> str:
    """The command that starts this devlore: the script beside this Python, else the one on PATH,
    else ``python -m devlore``."""
    beside = Path(sys.executable).parent / "devlore"
    return str(beside) if beside.is_file() else shutil.which("devlore") or f"{sys.executable} -m devlore"
