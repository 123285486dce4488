"""The real host: the Claude Code CLI (``@anthropic-ai/claude-code`` from the npm registry) run
with a private HOME against what ``devlore setup`` wrote and against the repository's plugin.

The CLI and Node 22 come from ``.ci/node-tools.sh claude`` (cached in ``$DEVLORE_NODE_CACHE``,
else ``~/.cache/devlore/node``; downloaded once). No account is needed for these commands. The
tests are never skipped: a machine without npm fails here, saying what to install.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.ci_tools import install
from tests.e2e.test_http import TOKEN, http_server
from tests.hosts.conftest import DEVLORE, REPO, Home

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

"""Seconds the first install of Node 22 and the Claude Code CLI may take (about 20 s seen here)."""
CLAUDE_TIMEOUT = 120.0
"""Seconds one claude command may take (`mcp list` starts and health-checks every server)."""


@pytest.fixture(scope="session")
def claude_path() -> str:
    """A PATH with the Claude Code CLI and Node 22 first."""
    where = install(
        "node-tools.sh",
        "claude",
        needs="these tests need npm on PATH (install Node.js and npm, e.g. `apt-get install npm`) and access to "
        "the npm registry",
    )
    return os.pathsep.join([str(Path(where["claude"]).parent), where["node"], str(DEVLORE.parent), "/usr/bin", "/bin"])


@pytest.fixture
def host(home: Home, claude_path: str) -> Home:
    """The private HOME with ``claude`` on PATH, so ``devlore setup claude-code`` uses it."""
    return Home(home.home, home.project, home.brain, claude_path)


QUIET = {"DISABLE_TELEMETRY": "1", "DISABLE_AUTOUPDATER": "1", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1"}


def claude(host: Home, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["claude", *args],
        cwd=host.project,
        env=host.env(**QUIET, **env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=CLAUDE_TIMEOUT,
        check=False,
    )


def test_setup_then_claude_mcp_list_shows_devlore_connected_over_stdio(host: Home) -> None:
    first = host.devlore("setup", "claude-code", "--root", str(host.brain))
    config = host.home / ".claude.json"
    written = config.read_bytes()
    second = host.devlore("setup", "claude-code", "--root", str(host.brain))

    assert first.returncode == 0, first.stderr
    assert first.stdout == f"Configured devlore in {config} with `claude mcp add-json --scope user`.\n"
    assert second.stdout == f"{config} already has devlore; nothing changed.\n"
    assert config.read_bytes() == written  # the second run changed no byte
    listed = claude(host, "mcp", "list")
    assert listed.returncode == 0, listed.stderr
    command = f"{DEVLORE.resolve()} serve --root {host.brain.resolve()}"
    assert f"devlore: {command} - ✔ Connected" in listed.stdout.splitlines()


def test_setup_over_http_connects_with_the_bearer_header(host: Home, tmp_path: Path) -> None:
    with http_server(host.brain, tmp_path / "http.log") as url:
        done = host.devlore("setup", "claude-code", "--http", url)
        assert done.returncode == 0, done.stderr
        right = claude(host, "mcp", "list", DEVLORE_TOKEN=TOKEN)
        wrong = claude(host, "mcp", "list", DEVLORE_TOKEN="not-the-token")

    assert f"devlore: {url} (HTTP) - ✔ Connected" in right.stdout.splitlines()
    assert "HTTP 401" in wrong.stdout
    assert TOKEN not in (host.home / ".claude.json").read_text(encoding="utf-8")  # only its variable's name


@pytest.mark.parametrize("target", ["plugin", ".claude-plugin/marketplace.json"])
def test_claude_plugin_validate_passes(host: Home, target: str) -> None:
    done = claude(host, "plugin", "validate", str(REPO / target))

    assert done.returncode == 0, done.stdout + done.stderr
    assert "✔ Validation passed" in done.stdout


def test_the_marketplace_installs_the_plugin_and_details_project_its_context_cost(host: Home) -> None:
    added = claude(host, "plugin", "marketplace", "add", str(REPO))
    installed = claude(host, "plugin", "install", "devlore@devlore")
    details = claude(host, "plugin", "details", "devlore@devlore")

    assert added.returncode == 0, added.stdout + added.stderr
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert details.returncode == 0, details.stdout + details.stderr
    assert re.search(r"^\s*Skills \(3\)\s+learn, recall, resume_work$", details.stdout, re.M)
    assert re.search(r"^\s*Hooks \(3\)\s+SessionStart, PreCompact, SessionEnd\b", details.stdout, re.M)
    assert re.search(r"^\s*MCP servers \(1\)\s+devlore\b", details.stdout, re.M)
    assert re.search(r"^\s*Always-on:\s+~\d+ tok", details.stdout, re.M), details.stdout
    # The plugin's server runs `devlore serve` from PATH on $DEVLORE_ROOT.
    listed = claude(host, "mcp", "list", DEVLORE_ROOT=str(host.brain))
    assert "plugin:devlore:devlore: devlore serve - ✔ Connected" in listed.stdout.splitlines(), listed.stdout
    # Its session-start hook, from the installed copy, as Claude Code runs it: through the shell.
    (hooks_file,) = (host.home / ".claude" / "plugins" / "cache").rglob("hooks/hooks.json")
    (group,) = json.loads(hooks_file.read_text(encoding="utf-8"))["hooks"]["SessionStart"]
    payload = json.dumps({"session_id": "s", "cwd": str(host.project), "source": "startup"})
    ran = subprocess.run(
        ["bash", "-c", group["hooks"][0]["command"]],
        input=payload,
        env=host.env(DEVLORE_ROOT=str(host.brain)),
        capture_output=True,
        text=True,
        timeout=CLAUDE_TIMEOUT,
        check=False,
    )
    assert (ran.returncode, ran.stderr) == (0, "")


def test_the_hooks_setup_installs_run_as_claude_code_would_run_them(host: Home) -> None:
    host.devlore("setup", "claude-code", "--hooks", "--root", str(host.brain))
    settings = json.loads((host.home / ".claude" / "settings.json").read_text(encoding="utf-8"))
    (group,) = settings["hooks"]["SessionStart"]
    command = group["hooks"][0]["command"]

    # Claude Code runs a command hook through the shell with the event's JSON on stdin.
    payload = json.dumps({"session_id": "s", "cwd": str(host.project), "source": "startup"})
    done = subprocess.run(
        ["bash", "-c", command], input=payload, capture_output=True, text=True, timeout=CLAUDE_TIMEOUT, check=False
    )

    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == "" or json.loads(done.stdout)["hookSpecificOutput"]["hookEventName"] == "SessionStart"


def test_through_claude_three_other_servers_keep_their_meaning_and_order(host: Home) -> None:
    config = host.home / ".claude.json"
    others = {
        "filesystem": {"type": "stdio", "command": "npx", "args": ["-y", "server-filesystem", "/tmp"], "env": {}},
        "devlore": {"type": "stdio", "command": "devlore", "args": ["serve"], "env": {"DEVLORE_LOG": "debug"}},
        "docs": {"type": "http", "url": "https://docs.example.com/mcp"},
        "sqlite": {"type": "stdio", "command": "uvx", "args": ["mcp-server-sqlite"], "env": {}},
    }
    config.write_text(json.dumps({"mcpServers": others}, indent=2) + "\n", encoding="utf-8")

    done = host.devlore("setup", "claude-code", "--root", str(host.brain))

    assert done.returncode == 0, done.stderr
    servers = json.loads(config.read_text(encoding="utf-8"))["mcpServers"]
    assert {k: v for k, v in servers.items() if k != "devlore"} == {k: v for k, v in others.items() if k != "devlore"}
    assert [k for k in servers if k != "devlore"] == ["filesystem", "docs", "sqlite"]
    assert servers["devlore"] == {
        "type": "stdio",
        "command": str(DEVLORE.resolve()),
        "args": ["serve", "--root", str(host.brain.resolve())],
        "env": {"DEVLORE_LOG": "debug"},  # what a person added to devlore's entry stays
    }
