"""The MCP hosts ``devlore setup`` knows: where each keeps its configuration, in which format,
under which key, and the shape of one server entry there. docs/HOSTS.md lists them."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["HOSTS", "SERVER_NAME", "Host", "Launch", "Place"]

SERVER_NAME = "devlore"


@dataclass(frozen=True)
class Place:
    """Where devlore is asked to run: the home folder, the project folder, the platform."""

    home: Path
    project: Path
    platform: str = sys.platform
    env: dict[str, str] | None = None

    def var(self, name: str) -> str | None:
        return (self.env if self.env is not None else dict(os.environ)).get(name)

    def app_config(self) -> Path:
        """The folder desktop applications keep their settings in, on this platform."""
        if self.platform == "darwin":
            return self.home / "Library" / "Application Support"
        if self.platform == "win32":
            return Path(self.var("APPDATA") or self.home / "AppData" / "Roaming")
        return Path(self.var("XDG_CONFIG_HOME") or self.home / ".config")


@dataclass(frozen=True)
class Launch:
    """How the host starts devlore: the absolute executable and brain, or an HTTP endpoint."""

    command: str
    root: Path
    url: str | None = None
    token_env: str = "DEVLORE_TOKEN"
    pre: tuple[str, ...] = ()  # ("-m", "devlore") when the command is Python itself

    def args(self) -> list[str]:
        return [*self.pre, "serve", "--root", str(self.root)]


@dataclass(frozen=True)
class Host:
    name: str
    label: str
    fmt: str  # "json" or "toml"
    keys: tuple[str, ...]  # where the servers live in the file
    files: dict[str, Callable[[Place], Path]]  # scope -> its file; the first is the default
    entry: Callable[[Launch], dict[str, Any]]

    @property
    def scopes(self) -> tuple[str, ...]:
        return tuple(self.files)

    def path(self, scope: str, place: Place) -> Path:
        return self.files[scope](place)


def _bearer(launch: Launch) -> dict[str, str]:
    return {"Authorization": f"Bearer ${{{launch.token_env}}}"}


def _claude_code(launch: Launch) -> dict[str, Any]:
    if launch.url:
        return {"type": "http", "url": launch.url, "headers": _bearer(launch)}
    return {"type": "stdio", "command": launch.command, "args": launch.args(), "env": {}}


def _plain(launch: Launch) -> dict[str, Any]:
    if launch.url:
        return {"url": launch.url, "headers": _bearer(launch)}
    return {"command": launch.command, "args": launch.args()}


def _vscode(launch: Launch) -> dict[str, Any]:
    if launch.url:
        return {"type": "http", "url": launch.url, "headers": _bearer(launch)}
    return {"type": "stdio", "command": launch.command, "args": launch.args()}


def _codex(launch: Launch) -> dict[str, Any]:
    if launch.url:
        return {"url": launch.url, "bearer_token_env_var": launch.token_env}
    return {"command": launch.command, "args": launch.args()}


def _gemini(launch: Launch) -> dict[str, Any]:
    if launch.url:
        return {"httpUrl": launch.url, "headers": _bearer(launch)}
    return {"command": launch.command, "args": launch.args()}


def _codex_home(p: Place) -> Path:
    return Path(p.var("CODEX_HOME") or p.home / ".codex")


def _vscode_user(p: Place) -> Path:
    return p.app_config() / "Code" / "User" / "mcp.json"


HOSTS: dict[str, Host] = {
    h.name: h
    for h in (
        Host(
            "claude-code",
            "Claude Code",
            "json",
            ("mcpServers",),
            {"user": lambda p: p.home / ".claude.json", "project": lambda p: p.project / ".mcp.json"},
            _claude_code,
        ),
        Host(
            "claude-desktop",
            "Claude Desktop",
            "json",
            ("mcpServers",),
            {"user": lambda p: p.app_config() / "Claude" / "claude_desktop_config.json"},
            _plain,
        ),
        Host(
            "cursor",
            "Cursor",
            "json",
            ("mcpServers",),
            {
                "user": lambda p: p.home / ".cursor" / "mcp.json",
                "project": lambda p: p.project / ".cursor" / "mcp.json",
            },
            _plain,
        ),
        Host(
            "vscode",
            "VS Code",
            "json",
            ("servers",),
            {"user": _vscode_user, "project": lambda p: p.project / ".vscode" / "mcp.json"},
            _vscode,
        ),
        Host(
            "gemini",
            "Gemini CLI",
            "json",
            ("mcpServers",),
            {
                "user": lambda p: p.home / ".gemini/settings.json",
                "project": lambda p: p.project / ".gemini/settings.json",
            },
            _gemini,
        ),
        Host(
            "codex", "Codex CLI", "toml", ("mcp_servers",), {"user": lambda p: _codex_home(p) / "config.toml"}, _codex
        ),
    )
}
