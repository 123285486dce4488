"""``devlore setup claude-code --hooks``: devlore's hook groups merged into Claude Code's
settings beside a person's own hooks, replaced in place, and removed when no longer asked for."""

from __future__ import annotations

import json
import shlex
from typing import Any

from tests.hosts.conftest import DEVLORE, Home

OWN = {
    "model": "opus",
    "hooks": {
        "SessionStart": [{"matcher": "startup", "hooks": [{"type": "command", "command": "echo hello"}]}],
        "PostToolUse": [{"matcher": "Edit", "hooks": [{"type": "command", "command": "ruff format"}]}],
    },
}


def ours(home: Home, command: str, matcher: str | None = None) -> dict[str, Any]:
    line = shlex.join([str(DEVLORE.resolve()), "hook", command, "--root", str(home.brain.resolve())])
    group: dict[str, Any] = {"hooks": [{"type": "command", "command": line, "timeout": 10}]}
    return {"matcher": matcher, **group} if matcher else group


def test_hooks_go_beside_a_persons_own_and_a_second_run_changes_nothing(home: Home) -> None:
    settings = home.home / ".claude" / "settings.json"
    settings.parent.mkdir()
    settings.write_text(json.dumps(OWN, indent=2) + "\n", encoding="utf-8")

    first = home.devlore("setup", "claude-code", "--hooks", "--root", str(home.brain))
    written = settings.read_bytes()
    second = home.devlore("setup", "claude-code", "--hooks", "--root", str(home.brain))

    assert (first.returncode, second.returncode) == (0, 0), first.stderr
    assert json.loads(written) == {
        "model": "opus",
        "hooks": {
            "SessionStart": [
                OWN["hooks"]["SessionStart"][0],
                ours(home, "session-start", "startup|resume|clear|compact"),
            ],
            "PostToolUse": OWN["hooks"]["PostToolUse"],
            "PreCompact": [ours(home, "pre-compact")],
            "SessionEnd": [ours(home, "session-end")],
        },
    }
    assert settings.read_bytes() == written
    assert f"{settings} already has devlore's hooks; nothing changed." in second.stdout.splitlines()


def test_the_recall_hook_is_added_on_request_and_removed_when_not_asked_for(home: Home) -> None:
    settings = home.home / ".claude" / "settings.json"

    home.devlore("setup", "claude-code", "--hooks=recall", "--root", str(home.brain))
    with_prompt = json.loads(settings.read_text(encoding="utf-8"))["hooks"]
    home.devlore("setup", "claude-code", "--hooks", "--root", str(home.brain))
    without = json.loads(settings.read_text(encoding="utf-8"))["hooks"]

    assert with_prompt["UserPromptSubmit"] == [ours(home, "prompt")]
    assert "UserPromptSubmit" not in without
    assert list(without) == ["SessionStart", "PreCompact", "SessionEnd"]


def test_project_scope_writes_the_projects_settings(home: Home) -> None:
    done = home.devlore("setup", "claude-code", "--scope", "project", "--hooks", "--root", str(home.brain))

    assert done.returncode == 0, done.stderr
    assert "devlore" in json.loads((home.project / ".mcp.json").read_text(encoding="utf-8"))["mcpServers"]
    hooks = json.loads((home.project / ".claude" / "settings.json").read_text(encoding="utf-8"))["hooks"]
    assert hooks["SessionStart"] == [ours(home, "session-start", "startup|resume|clear|compact")]


def test_hooks_are_for_claude_code_only(home: Home) -> None:
    done = home.devlore("setup", "cursor", "--hooks", "--root", str(home.brain))

    assert done.returncode == 1
    assert "--hooks is for claude-code only" in done.stderr
    assert not (home.home / ".cursor").exists()
