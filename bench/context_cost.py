"""What devlore costs a session's context before anything is asked: the size of ``tools/list``
(every tool, as sent on the wire) and the Claude Code plugin's projected cost, as the real
``claude plugin details`` reports it (the CLI from ``.ci/node-tools.sh claude``, run with a
private HOME after adding this repository as a marketplace and installing the plugin).

    .venv/bin/python bench/context_cost.py
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import anyio
from mcp import Client

from common import BENCH, FIXTURES
from devlore.server import build_server
from devlore.service.brain import Brain

REPO = BENCH.parent
CLAUDE_TIMEOUT = 120.0
INSTALL_TIMEOUT = 840.0


async def tools_list_chars() -> int:
    with tempfile.TemporaryDirectory(prefix="devlore-tl-") as tmp:
        root = Path(tmp) / "brain"
        shutil.copytree(FIXTURES, root)
        async with Client(build_server(Brain(root))) as client:
            listed = await client.list_tools()
        return len(listed.model_dump_json(by_alias=True, exclude_none=True))


def _claude_path() -> str | None:
    done = subprocess.run(
        ["bash", str(REPO / ".ci" / "node-tools.sh"), "claude"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        return None
    where = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    return os.pathsep.join([str(Path(where["claude"]).parent), where["node"], os.environ.get("PATH", "")])


def plugin_cost() -> dict[str, Any]:
    """``claude plugin details``'s projection for the plugin, or why it was not measured."""
    path = _claude_path()
    if path is None:
        return {"measured": False, "why": "the Claude Code CLI could not be installed (.ci/node-tools.sh claude)"}
    with tempfile.TemporaryDirectory(prefix="devlore-claude-") as home:
        env = {**os.environ, "HOME": home, "PATH": path, "DISABLE_TELEMETRY": "1", "DISABLE_AUTOUPDATER": "1"}

        def claude(*args: str) -> str:
            done = subprocess.run(
                ["claude", *args], env=env, cwd=home, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                timeout=CLAUDE_TIMEOUT, check=False,
            )  # fmt: skip
            if done.returncode != 0:
                raise RuntimeError(f"claude {' '.join(args)}: {done.stdout}{done.stderr}")
            return done.stdout

        claude("plugin", "marketplace", "add", str(REPO))
        claude("plugin", "install", "devlore@devlore")
        details = claude("plugin", "details", "devlore@devlore")
        version = claude("--version").split()[0]
    always = re.search(r"Always-on:\s+~?(\d+)\s+tok", details)
    rows = re.findall(r"^\s+(\w+)\s+(<?\s?~?\d+)\s+(~?\d+)\s*$", details, re.M)
    return {
        "measured": always is not None,
        "claude_version": version,
        "always_on_tokens": int(always.group(1)) if always else None,
        "per_component": {name: {"always_on": a.strip(), "on_invoke": b} for name, a, b in rows},
        "mcp_note": "claude plugin details does not count the MCP server's tool schemas (resolved at runtime)",
        "details": details,
    }


def main() -> None:
    print(json.dumps({"tools_list_chars": anyio.run(tools_list_chars), "plugin": plugin_cost()}, indent=2))


if __name__ == "__main__":
    sys.exit(main())
