"""devlore's Claude Code hooks in ``settings.json``: which events, which commands, merged beside
the hooks a person already has (a group of devlore's is recognised by its ``hook`` command and
replaced where it stands)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

from devlore.hosts.config import ConfigError, Edit, json_edit, read_text
from devlore.hosts.hosts import Launch, Place

__all__ = ["HOOK_EVENTS", "HOOK_SETS", "hook_groups", "hooks_edit", "settings_path"]

# Claude Code event -> (devlore hook command, matcher). The prompt hook is optional.
HOOK_EVENTS: dict[str, tuple[str, str]] = {
    "SessionStart": ("session-start", "startup|resume|clear|compact"),
    "PreCompact": ("pre-compact", ""),
    "SessionEnd": ("session-end", ""),
    "UserPromptSubmit": ("prompt", ""),
}
HOOK_SETS: dict[str, tuple[str, ...]] = {
    "default": ("SessionStart", "PreCompact", "SessionEnd"),
    "recall": ("SessionStart", "PreCompact", "SessionEnd", "UserPromptSubmit"),
}
HOOK_TIMEOUT = 10  # seconds Claude Code waits; the hooks answer in well under one
_OURS = re.compile(r"devlore\S*\s+hook\s+(session-start|pre-compact|session-end|prompt)\b")


def settings_path(place: Place, scope: str) -> Path:
    if scope == "project":
        return place.project / ".claude" / "settings.json"
    return place.home / ".claude" / "settings.json"


def hook_groups(launch: Launch, events: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for event in events:
        command, matcher = HOOK_EVENTS[event]
        line = shlex.join([launch.command, *launch.pre, "hook", command, "--root", str(launch.root)])
        group: dict[str, Any] = {"hooks": [{"type": "command", "command": line, "timeout": HOOK_TIMEOUT}]}
        if matcher:
            group = {"matcher": matcher, **group}
        groups[event] = group
    return groups


def _is_ours(group: object) -> bool:
    hooks = group.get("hooks") if isinstance(group, dict) else None
    return isinstance(hooks, list) and any(
        isinstance(h, dict) and isinstance(h.get("command"), str) and _OURS.search(h["command"]) for h in hooks
    )


def hooks_edit(place: Place, scope: str, launch: Launch, hook_set: str) -> Edit:
    path = settings_path(place, scope)
    wanted = hook_groups(launch, HOOK_SETS[hook_set])

    def update(table: dict[str, Any]) -> bool:
        changed = False
        for event in HOOK_EVENTS:
            groups = table.get(event)
            if groups is not None and not isinstance(groups, list):
                raise ConfigError(f"{path}: hooks.{event} is not a list; it was left unchanged. Fix it by hand.")
            groups = list(groups or [])
            ours = [i for i, g in enumerate(groups) if _is_ours(g)]
            if event in wanted:
                if ours and groups[ours[0]] == wanted[event] and len(ours) == 1:
                    continue
                if ours:
                    groups[ours[0]] = wanted[event]
                    groups = [g for i, g in enumerate(groups) if i not in ours[1:]]
                else:
                    groups.append(wanted[event])
            elif ours:
                groups = [g for i, g in enumerate(groups) if i not in ours]
            else:
                continue
            changed = True
            if groups:
                table[event] = groups
            else:
                table.pop(event, None)
        return changed

    return json_edit(path, read_text(path), ("hooks",), update)
