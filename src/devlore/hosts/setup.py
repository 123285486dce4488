"""``devlore setup HOST``: merge devlore into a host's configuration, and ``--list`` the hosts.

For Claude Code the ``claude`` command does the write when it is on PATH (``claude mcp
add-json``), since Claude Code owns ``~/.claude.json``; devlore still decides beforehand, from
the file, whether anything would change, so a second run touches nothing.
"""

from __future__ import annotations

import difflib
import json
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from devlore.hosts.config import ConfigError, Edit, plan_edit, read_text, write_edit
from devlore.hosts.hooks_settings import HOOK_SETS, hooks_edit
from devlore.hosts.hosts import HOSTS, SERVER_NAME, Host, Launch, Place

__all__ = ["Outcome", "found_hosts", "setup_host"]

CLAUDE_TIMEOUT = 60.0


@dataclass
class Outcome:
    lines: list[str]
    changed: bool


def _diff(edit: Edit) -> list[str]:
    old = (edit.old or "").splitlines(keepends=True)
    new = (edit.new or "").splitlines(keepends=True)
    label = str(edit.path)
    return [line.rstrip("\n") for line in difflib.unified_diff(old, new, label + " (now)", label + " (after setup)")]


def _claude(args: list[str], project: Path) -> None:
    exe = shutil.which("claude")
    if exe is None:
        raise ConfigError("the claude command is no longer on PATH")
    done = subprocess.run(
        [exe, *args],
        cwd=project,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=CLAUDE_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise ConfigError(f"`claude {' '.join(args[:3])} …` failed: {(done.stderr or done.stdout).strip()[:400]}")


def _apply(host: Host, scope: str, edit: Edit, place: Place, when: datetime) -> str:
    """Write ``edit``; for Claude Code through the ``claude`` command when there is one."""
    if host.name == "claude-code" and shutil.which("claude"):
        if edit.old is not None and SERVER_NAME in (json.loads(edit.old or "{}").get("mcpServers") or {}):
            _claude(["mcp", "remove", SERVER_NAME, "--scope", scope], place.project)
        wanted = json.loads(edit.new or "{}")["mcpServers"][SERVER_NAME]  # with what a person added kept
        _claude(["mcp", "add-json", SERVER_NAME, json.dumps(wanted), "--scope", scope], place.project)
        return f"Configured devlore in {edit.path} with `claude mcp add-json --scope {scope}`."
    saved = write_edit(edit, when)
    kept = f" (the previous file is kept as {saved.name})" if saved else ""
    return f"Configured devlore in {edit.path}{kept}."


def setup_host(
    name: str,
    launch: Launch,
    place: Place,
    scope: str | None = None,
    hooks: str | None = None,
    show: bool = False,
) -> Outcome:
    """Merge devlore into ``name``'s file (and its hooks); ``show`` only prints the change.
    Raises ``ConfigError`` for a file it cannot parse, an unknown host or scope."""
    host = HOSTS.get(name)
    if host is None:
        raise ConfigError(f"unknown host '{name}'; use one of: {', '.join(HOSTS)}.")
    scope = scope or host.scopes[0]
    if scope not in host.files:
        raise ConfigError(f"{host.label} has no '{scope}' scope; use {' or '.join(host.scopes)}.")
    if hooks is not None and host.name != "claude-code":
        raise ConfigError("--hooks is for claude-code only: other hosts have no session hooks devlore can use.")
    if hooks is not None and hooks not in HOOK_SETS:
        raise ConfigError(f"unknown hook set '{hooks}'; use --hooks or --hooks=recall.")
    entry = host.entry(launch)
    path = host.path(scope, place)
    edits = [(plan_edit(path, host.fmt, host.keys, SERVER_NAME, entry), True)]
    if hooks is not None:
        edits.append((hooks_edit(place, scope, launch, hooks), False))
    when = datetime.now()
    lines: list[str] = []
    for edit, is_server in edits:
        what = "devlore" if is_server else "devlore's hooks"
        if not edit.changed:
            lines.append(f"{edit.path} already has {what}; nothing changed.")
        elif show:
            lines += _diff(edit)
        elif is_server:
            lines.append(_apply(host, scope, edit, place, when))
        else:
            saved = write_edit(edit, when)
            lines.append(f"Installed {what} in {edit.path}" + (f" (previous file: {saved.name})." if saved else "."))
    changed = any(edit.changed for edit, _ in edits)
    if show and changed:
        lines.append("(--print: nothing was written)")
    return Outcome(lines, changed and not show)


def found_hosts(place: Place) -> list[str]:
    """One line per host and scope: its file, whether it exists and whether devlore is in it."""
    lines = []
    for host in HOSTS.values():
        for scope in host.scopes:
            path = host.path(scope, place)
            try:
                text = read_text(path)
                state = "not found" if text is None else _state(host, text)
            except ConfigError:
                state = "unreadable"
            lines.append(f"{host.name:<15} {scope:<8} {state:<24} {path}")
    if shutil.which("claude"):
        lines.append("claude command: on PATH (setup claude-code uses `claude mcp add-json`)")
    return lines


def _state(host: Host, text: str) -> str:
    try:
        doc = tomllib.loads(text) if host.fmt == "toml" else (json.loads(text) if text.strip() else {})
    except (tomllib.TOMLDecodeError, json.JSONDecodeError):
        return "unparsable"
    here = doc
    for key in host.keys:
        here = here.get(key) if isinstance(here, dict) else None
    return "devlore configured" if isinstance(here, dict) and SERVER_NAME in here else "found, no devlore"
