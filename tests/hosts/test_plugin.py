"""The Claude Code plugin in ``plugin/`` says what devlore itself says: its slash commands are the
server's prompts, its hooks are ``devlore hook`` commands, its server is ``devlore serve``, and the
marketplace at the repository root points at it with the package's version."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

from devlore.hooks import EVENTS
from devlore.hosts.hooks_settings import HOOK_EVENTS, HOOK_SETS
from devlore.prompts import LEARN, RECALL, RESUME
from tests.hosts.conftest import REPO

PLUGIN = REPO / "plugin"
VERSION = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def body(name: str) -> str:
    text = (PLUGIN / "commands" / f"{name}.md").read_text(encoding="utf-8")
    front, rest = re.fullmatch(r"---\n(.*?)\n---\n\n(.*)\n", text, re.S).groups()  # type: ignore[union-attr]
    assert re.search(r"^description: \S", front, re.M), name
    return rest


def test_the_slash_commands_are_the_servers_prompts() -> None:
    assert sorted(p.stem for p in (PLUGIN / "commands").iterdir()) == ["learn", "recall", "resume_work"]
    assert body("learn") == LEARN.format(task_line="Task: $ARGUMENTS\n")
    assert body("recall") == RECALL.format(topic="$ARGUMENTS")
    assert body("resume_work") == RESUME.format(name="$ARGUMENTS")


def test_the_plugin_hooks_are_the_default_hook_set_and_never_fail_the_session() -> None:
    hooks = load(PLUGIN / "hooks" / "hooks.json")["hooks"]
    assert list(hooks) == list(HOOK_SETS["default"])
    for event, groups in hooks.items():
        command, matcher = HOOK_EVENTS[event]
        assert command in EVENTS
        (group,) = groups
        assert group.get("matcher", "") == matcher
        assert group["hooks"] == [
            {"type": "command", "command": f"devlore hook {command} 2>/dev/null || true", "timeout": 10}
        ]


def test_the_plugin_server_and_the_marketplace() -> None:
    assert load(PLUGIN / ".mcp.json") == {"mcpServers": {"devlore": {"command": "devlore", "args": ["serve"]}}}
    manifest = load(PLUGIN / ".claude-plugin" / "plugin.json")
    market = load(REPO / ".claude-plugin" / "marketplace.json")
    assert (manifest["name"], manifest["version"]) == ("devlore", VERSION)
    (entry,) = market["plugins"]
    assert (entry["name"], entry["source"], entry["version"]) == ("devlore", "./plugin", VERSION)
