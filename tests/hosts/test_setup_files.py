"""``devlore setup HOST`` on each host's own file, through the real command: golden files for an
empty file, a file with other servers, a previous devlore entry (updated in place) and a file
that does not parse (refused, unchanged); idempotence, permissions, backups, ``--print``, ``--list``."""

from __future__ import annotations

import json
import stat
import tomllib
from pathlib import Path

import pytest

from tests.hosts.conftest import DEVLORE, Home

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "hosts"
# host -> its file for the default (user) scope, under HOME
USER_FILES = {
    "claude-code": ".claude.json",
    "claude-desktop": ".config/Claude/claude_desktop_config.json",
    "cursor": ".cursor/mcp.json",
    "vscode": ".config/Code/User/mcp.json",
    "codex": ".codex/config.toml",
    "gemini": ".gemini/settings.json",
}
HOSTS = sorted(USER_FILES)


def golden(name: str, home: Home) -> str:
    """A golden file with this run's executable and brain in place of @DEVLORE@ and @BRAIN@."""
    text = (GOLDEN / name).read_text(encoding="utf-8")
    return text.replace("@DEVLORE@", str(DEVLORE.resolve())).replace("@BRAIN@", str(home.brain.resolve()))


def config(home: Home, host: str) -> Path:
    return home.home / USER_FILES[host]


@pytest.mark.parametrize("host", HOSTS)
def test_an_absent_file_is_created_with_only_devlore(home: Home, host: str) -> None:
    done = home.devlore("setup", host, "--root", str(home.brain))

    assert done.returncode == 0, done.stderr
    assert config(home, host).read_text(encoding="utf-8") == golden(f"{host}.empty.after", home)
    assert done.stdout.startswith(f"Configured devlore in {config(home, host)}")


@pytest.mark.parametrize("case", ["others", "previous"])
@pytest.mark.parametrize("host", HOSTS)
def test_other_servers_and_keys_stay_in_order_and_a_previous_entry_is_updated_in_place(
    home: Home, host: str, case: str
) -> None:
    path = config(home, host)
    path.parent.mkdir(parents=True, exist_ok=True)
    before = (GOLDEN / f"{host}.{case}.before").read_bytes()
    path.write_bytes(before)

    done = home.devlore("setup", host, "--root", str(home.brain))

    assert done.returncode == 0, done.stderr
    assert path.read_text(encoding="utf-8") == golden(f"{host}.{case}.after", home)
    (backup,) = path.parent.glob(path.name + ".*.bak")
    assert backup.read_bytes() == before


@pytest.mark.parametrize("host", HOSTS)
def test_a_file_that_does_not_parse_is_refused_and_left_unchanged(home: Home, host: str) -> None:
    path = config(home, host)
    path.parent.mkdir(parents=True, exist_ok=True)
    before = (GOLDEN / f"{host}.unparsable.before").read_bytes()
    path.write_bytes(before)

    done = home.devlore("setup", host, "--root", str(home.brain))

    assert done.returncode == 1
    assert done.stdout == ""
    assert f"devlore: {path}" in done.stderr
    assert "not valid " + ("TOML" if host == "codex" else "JSON") in done.stderr
    assert "left unchanged" in done.stderr
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no backup, no temp file


@pytest.mark.parametrize("host", HOSTS)
def test_a_second_run_changes_no_byte_and_says_so(home: Home, host: str) -> None:
    first = home.devlore("setup", host, "--root", str(home.brain))
    path = config(home, host)
    after_first = path.read_bytes()

    second = home.devlore("setup", host, "--root", str(home.brain))

    assert (first.returncode, second.returncode) == (0, 0)
    assert second.stdout == f"{path} already has devlore; nothing changed.\n"
    assert path.read_bytes() == after_first
    assert not list(path.parent.glob("*.bak"))


def test_three_other_servers_keep_their_meaning_and_order(home: Home) -> None:
    path = config(home, "claude-desktop")
    path.parent.mkdir(parents=True)
    path.write_bytes((GOLDEN / "claude-desktop.others.before").read_bytes())
    before = json.loads(path.read_text(encoding="utf-8"))

    home.devlore("setup", "claude-desktop", "--root", str(home.brain))

    after = json.loads(path.read_text(encoding="utf-8"))
    assert list(after) == list(before)
    assert list(after["mcpServers"]) == [*before["mcpServers"], "devlore"]
    assert {k: v for k, v in after["mcpServers"].items() if k != "devlore"} == before["mcpServers"]


def test_the_file_keeps_its_permissions(home: Home) -> None:
    path = config(home, "cursor")
    path.parent.mkdir(parents=True)
    path.write_text('{"mcpServers": {}}\n', encoding="utf-8")
    path.chmod(0o600)

    home.devlore("setup", "cursor", "--root", str(home.brain))

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "devlore" in json.loads(path.read_text(encoding="utf-8"))["mcpServers"]


def test_project_scope_writes_the_project_file(home: Home) -> None:
    done = home.devlore("setup", "vscode", "--scope", "project", "--root", str(home.brain))

    assert done.returncode == 0, done.stderr
    written = json.loads((home.project / ".vscode" / "mcp.json").read_text(encoding="utf-8"))
    assert written == {
        "servers": {
            "devlore": {
                "type": "stdio",
                "command": str(DEVLORE.resolve()),
                "args": ["serve", "--root", str(home.brain.resolve())],
            }
        }
    }


def test_a_host_with_one_scope_refuses_another(home: Home) -> None:
    done = home.devlore("setup", "codex", "--scope", "project", "--root", str(home.brain))

    assert done.returncode == 1
    assert done.stderr == "devlore: Codex CLI has no 'project' scope; use user.\n"


def test_print_shows_the_change_and_writes_nothing(home: Home) -> None:
    done = home.devlore("setup", "codex", "--print", "--root", str(home.brain))

    assert done.returncode == 0, done.stderr
    assert not (home.home / ".codex").exists()
    assert "+[mcp_servers.devlore]" in done.stdout.splitlines()
    assert done.stdout.endswith("(--print: nothing was written)\n")


def test_http_entries_name_the_token_variable_not_the_token(home: Home) -> None:
    url = "http://127.0.0.1:8765/mcp"
    home.devlore("setup", "codex", "--http", url, "--token-env", "MY_TOKEN")
    home.devlore("setup", "cursor", "--http", url)

    codex = tomllib.loads(config(home, "codex").read_text(encoding="utf-8"))
    cursor = json.loads(config(home, "cursor").read_text(encoding="utf-8"))
    assert codex["mcp_servers"]["devlore"] == {"url": url, "bearer_token_env_var": "MY_TOKEN"}
    assert cursor["mcpServers"]["devlore"] == {"url": url, "headers": {"Authorization": "Bearer ${DEVLORE_TOKEN}"}}


def test_list_shows_each_host_file_and_whether_devlore_is_in_it(home: Home) -> None:
    home.devlore("setup", "cursor", "--root", str(home.brain))
    broken = config(home, "codex")
    broken.parent.mkdir(parents=True)
    broken.write_text("[oops\n", encoding="utf-8")

    done = home.devlore("setup", "--list")

    words = [line.split() for line in done.stdout.splitlines()]
    rows = {(w[0], w[1]): (" ".join(w[2:-1]), w[-1]) for w in words}
    assert rows[("cursor", "user")] == ("devlore configured", str(config(home, "cursor")))
    assert rows[("codex", "user")] == ("unparsable", str(config(home, "codex")))
    assert rows[("claude-desktop", "user")] == ("not found", str(config(home, "claude-desktop")))
    assert rows[("vscode", "project")] == ("not found", str(home.project / ".vscode" / "mcp.json"))
    assert len(rows) == 10  # every host and scope


def test_a_symlinked_file_is_written_through_the_link(home: Home) -> None:
    dotfiles = home.home / "dotfiles" / "cursor-mcp.json"
    dotfiles.parent.mkdir()
    dotfiles.write_text('{"mcpServers": {}}\n', encoding="utf-8")
    link = config(home, "cursor")
    link.parent.mkdir()
    link.symlink_to(dotfiles)

    home.devlore("setup", "cursor", "--root", str(home.brain))

    assert link.is_symlink()
    assert "devlore" in json.loads(dotfiles.read_text(encoding="utf-8"))["mcpServers"]
    assert [p.name for p in dotfiles.parent.glob("*.bak")] != []


def test_an_empty_toml_file_keeps_its_permissions_and_gets_a_backup(home: Home) -> None:
    path = config(home, "codex")
    path.parent.mkdir()
    path.write_text("", encoding="utf-8")
    path.chmod(0o600)

    home.devlore("setup", "codex", "--root", str(home.brain))

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert tomllib.loads(path.read_text(encoding="utf-8"))["mcp_servers"]["devlore"]["args"][0] == "serve"
    assert len(list(path.parent.glob("config.toml.*.bak"))) == 1
