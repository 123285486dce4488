"""A TypeScript client nobody here wrote: the official MCP inspector's CLI
(``@modelcontextprotocol/inspector --cli``) drives ``python -m devlore serve`` over stdio.

The inspector and Node 22 come from the npm registry through ``.ci/node-tools.sh`` (cached in
``$DEVLORE_NODE_CACHE``, else ``~/.cache/devlore/node``), installed once per machine: ``.ci/run``
installs them before pytest, and otherwise the session fixture below does on first use, so the
README's plain ``pytest`` on a fresh machine runs these tests too. They are never skipped: a
machine without npm fails here, saying what to install.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from devlore.tools import TOOLSETS
from tests.ci_tools import install
from tests.conftest import DEV

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

REPO = Path(__file__).resolve().parents[2]
"""Seconds the first install of Node 22 and the inspector may take (about 20 s seen here)."""
CALL_TIMEOUT = 90.0
"""Seconds one inspector run (start Node, start devlore, one request) may take (about 2 s seen)."""

PATTERN_TOOLS = set(TOOLSETS["patterns"])
WORKLOG_TOOLS = set(TOOLSETS["worklogs"])


@pytest.fixture(scope="session")
def inspector_env(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    """(the inspector's executable, an environment with Node 22 first on PATH)."""
    where = install(
        "node-tools.sh",
        "inspector",
        needs="these tests need npm on PATH (install Node.js and npm, e.g. `apt-get install npm`) and access to "
        "the npm registry",
    )
    env = {
        **os.environ,
        "CI": "true",
        "PATH": f"{where['node']}{os.pathsep}{os.environ.get('PATH', '')}",
        # The inspector keeps a catalog of servers; keep it out of the home directory.
        "MCP_CATALOG_PATH": str(tmp_path_factory.mktemp("inspector") / "mcp.json"),
    }
    return where["inspector"], env


def inspect(inspector_env: tuple[str, dict[str, str]], root: Path, *args: str, serve: tuple[str, ...] = ()) -> Any:
    """``inspector --cli python -m devlore serve --root ROOT [serve...] ARGS...``: its JSON answer."""
    inspector, env = inspector_env
    command = [inspector, "--cli", sys.executable, "-m", "devlore", "serve", "--root", str(root), *serve, *args]
    done = subprocess.run(
        command, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=CALL_TIMEOUT, check=False
    )
    assert done.returncode == 0, f"{' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
    return json.loads(done.stdout)


def test_tools_list_shows_every_tool_with_its_schema(inspector_env: tuple[str, dict[str, str]], root: Path) -> None:
    tools = inspect(inspector_env, root, "--method", "tools/list")["tools"]
    assert {t["name"] for t in tools} == PATTERN_TOOLS | WORKLOG_TOOLS
    assert len(tools) == 15
    for tool in tools:
        assert tool["description"] and tool["inputSchema"]["type"] == "object", tool["name"]
        assert tool["outputSchema"]["type"] == "object", tool["name"]
        assert isinstance(tool["annotations"], dict), tool["name"]
    # the tools/list result as sent on the wire (compact JSON) stays under 20,000 characters
    # (docs/FORMAT.md, "9. The MCP surface")
    assert len(json.dumps({"tools": tools}, separators=(",", ":"), ensure_ascii=False)) < 20_000


def test_tools_list_of_a_subset(inspector_env: tuple[str, dict[str, str]], root: Path) -> None:
    tools = inspect(inspector_env, root, "--method", "tools/list", serve=("--tools", "worklogs"))["tools"]
    assert {t["name"] for t in tools} == WORKLOG_TOOLS


def test_a_write_tool_call_changes_the_file(inspector_env: tuple[str, dict[str, str]], root: Path) -> None:
    example = "Shop - order list via the inspector (2026-11-20) - 3 queries instead of 300"
    before = (root / DEV).read_text(encoding="utf-8")
    result = inspect(
        inspector_env,
        root,
        "--method",
        "tools/call",
        "--tool-name",
        "add_example",
        "--tool-arg",
        "pattern=Batch Loading Related Rows",
        f"example={example}",
    )
    after = (root / DEV).read_text(encoding="utf-8")
    assert result["isError"] is False
    assert result["structuredContent"] == {
        "name": "Batch Loading Related Rows",
        "path": DEV,
        "examples": 5,
        "confidence_before": "MEDIUM",
        "confidence_after": "HIGH",
        "unchanged": False,
    }
    assert example not in before and example in after
    assert "Batch Loading Related Rows: MEDIUM → HIGH (5 examples)" in result["content"][0]["text"]


def test_a_refused_tool_call_reaches_the_client_as_a_tool_error(
    inspector_env: tuple[str, dict[str, str]], root: Path
) -> None:
    inspector, env = inspector_env
    args = ["--method", "tools/call", "--tool-name", "get_pattern", "--tool-arg", "pattern=No Such Pattern"]
    command = [inspector, "--cli", sys.executable, "-m", "devlore", "serve", "--root", str(root), *args]
    done = subprocess.run(
        command, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=CALL_TIMEOUT, check=False
    )
    assert done.returncode != 0  # the inspector's exit status for isError
    answer = json.JSONDecoder().raw_decode(done.stdout)[0]
    assert answer["isError"] is True
    assert "No pattern named 'No Such Pattern'" in answer["content"][0]["text"]


def test_resources_read_returns_the_file_as_written(inspector_env: tuple[str, dict[str, str]], root: Path) -> None:
    contents = inspect(inspector_env, root, "--method", "resources/read", "--uri", "memory://patterns/dev")["contents"]
    assert contents == [
        {
            "uri": "memory://patterns/dev",
            "mimeType": "text/markdown",
            "text": (root / DEV).read_bytes().decode("utf-8"),
        }
    ]


def test_prompts_get_fills_in_the_learn_prompt(inspector_env: tuple[str, dict[str, str]], root: Path) -> None:
    prompt = inspect(
        inspector_env,
        root,
        "--method",
        "prompts/get",
        "--prompt-name",
        "learn",
        "--prompt-args",
        "task=Fix flaky tests",
    )
    assert prompt["description"] == "End-of-task interview that ends in record_experience."
    [message] = prompt["messages"]
    assert message["role"] == "user"
    assert message["content"]["type"] == "text"
    assert "Task: Fix flaky tests\n" in message["content"]["text"]
    assert "record_experience" in message["content"]["text"]


def test_the_inspector_over_http_with_the_bearer_token(
    inspector_env: tuple[str, dict[str, str]], root: Path, tmp_path: Path
) -> None:
    """The same TypeScript client over streamable HTTP: the token opens the door, nothing else does."""
    from tests.e2e.test_http import TOKEN, http_server

    inspector, env = inspector_env

    def run(url: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [inspector, "--cli", url, *args],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=CALL_TIMEOUT,
            check=False,
        )

    with http_server(root, tmp_path / "server.log") as url:
        listed = run(url, "--header", f"Authorization: Bearer {TOKEN}", "--method", "tools/list")
        read = run(
            url,
            "--header",
            f"Authorization: Bearer {TOKEN}",
            "--method",
            "resources/read",
            "--uri",
            "memory://patterns/pm",
        )
        refused = run(url, "--header", "Authorization: Bearer wrong", "--method", "tools/list")
    assert listed.returncode == 0, listed.stderr
    assert {t["name"] for t in json.loads(listed.stdout)["tools"]} == PATTERN_TOOLS | WORKLOG_TOOLS
    assert read.returncode == 0, read.stderr
    assert json.loads(read.stdout)["contents"][0]["text"] == (
        root / "memory/semantic/patterns/pm-patterns.md"
    ).read_text(encoding="utf-8")
    # A 401 sends the inspector to OAuth discovery, which it will not start without a terminal.
    assert refused.returncode != 0
    assert refused.stdout == ""
    assert json.loads(refused.stderr.strip().splitlines()[-1])["error"]["code"] == "auth_required"
