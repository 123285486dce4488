"""devlore over streamable HTTP, as a team would share it: ``python -m devlore serve --http``
started as a real subprocess with a bearer token, spoken to by the official Python client.

Without the token (or with a wrong one) every request gets 401; with it, every tool works in
both protocol eras; two clients at once each hear only about what they subscribed to; and a
non-loopback address without a token is refused before anything is served.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client, types
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPDeprecationWarning
from mcp.types import TextContent, TextResourceContents

from devlore.tools import NAMES
from tests.conftest import DEV, PM

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]

TOKEN = "e2e-test-token-4f9c2a"
START_TIMEOUT = 30.0
"""Seconds the server may take to accept connections (a cold ``import mcp`` is ~1.5 s)."""
STOP_TIMEOUT = 10.0
NOTIFY_TIMEOUT = 10.0
"""Seconds a change on disk may take to reach a subscribed client."""

ALL_TOOLS = set(NAMES)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_args(root: Path, port: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "devlore", "serve", "--http", "--port", str(port), "--root", str(root), *extra]


def env_without_token(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DEVLORE_TOKEN"}
    env.update(extra)
    return env


def wait_until_listening(proc: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"devlore exited with {proc.returncode} before serving:\n{log.read_text(encoding='utf-8')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"devlore did not accept connections within {START_TIMEOUT} s:\n{log.read_text(encoding='utf-8')}")


@contextmanager
def http_server(root: Path, log: Path, *extra: str, env_token: str = TOKEN) -> Iterator[str]:
    """``devlore serve --http`` on a free loopback port with ``$DEVLORE_TOKEN`` set to
    ``env_token``; yields the MCP endpoint URL and stops the server afterwards."""
    port = free_port()
    env = env_without_token(DEVLORE_TOKEN=env_token)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            serve_args(root, port, *extra), env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            wait_until_listening(proc, port, log)
            yield f"http://127.0.0.1:{port}/mcp"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=STOP_TIMEOUT)
                pytest.fail(f"devlore did not stop within {STOP_TIMEOUT} s of SIGTERM")
    said = log.read_text(encoding="utf-8")
    assert "Traceback" not in said, said
    # uvicorn shuts down gracefully, then re-raises the signal it caught: -SIGTERM is a clean stop.
    assert proc.returncode in (0, -signal.SIGTERM), f"devlore exited with {proc.returncode} on SIGTERM:\n{said}"


@asynccontextmanager
async def connect(url: str, mode: str = "legacy", **kwargs: Any) -> AsyncIterator[Client]:
    """The official Python client over streamable HTTP, sending the bearer token."""
    timeout = httpx2.Timeout(30.0, read=60.0)
    async with (
        httpx2.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=timeout) as http,
        Client(streamable_http_client(url, http_client=http), mode=mode, read_timeout_seconds=30.0, **kwargs) as c,
    ):
        yield c


async def ok(client: Client, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(tool, args)
    text = " ".join(c.text for c in result.content if isinstance(c, TextContent))
    assert not result.is_error, f"{tool}: {text}"
    assert result.structured_content is not None, tool
    return result.structured_content


async def test_requests_without_the_right_token_get_401(root: Path, tmp_path: Path) -> None:
    with http_server(root, tmp_path / "server.log") as url:
        body = {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}}
        async with httpx2.AsyncClient(timeout=10.0) as http:
            missing = await http.post(url, json=body)
            wrong = await http.post(url, json=body, headers={"Authorization": "Bearer not-the-token"})
            not_bearer = await http.post(url, json=body, headers={"Authorization": f"Basic {TOKEN}"})
            get_stream = await http.get(url, headers={"Accept": "text/event-stream"})
    for response in (missing, wrong, not_bearer, get_stream):
        assert response.status_code == 401, response.text
        assert response.headers["www-authenticate"].startswith("Bearer ")


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_every_tool_works_over_http_with_the_token(root: Path, tmp_path: Path, mode: str) -> None:
    """Each of the 15 tools once, with valid arguments, plus resources/read and prompts/get,
    in the 2025-11-25 handshake era (``legacy``) and the 2026-07-28 era (``auto``)."""
    called: set[str] = set()

    async def call(tool: str, args: dict[str, Any]) -> dict[str, Any]:
        called.add(tool)
        return await ok(client, tool, args)

    with http_server(root, tmp_path / "server.log") as url:
        async with connect(url, mode) as client:
            assert {t.name for t in (await client.list_tools()).tools} == ALL_TOOLS

            hits = await call("recall", {"query": "batch loading"})
            assert any(h["title"] == "Batch Loading Related Rows" for h in hits["hits"])
            listed = await call("list_patterns", {"domain": "dev"})
            assert "Batch Loading Related Rows" in {p["name"] for p in listed["patterns"]}
            got = await call("get_pattern", {"pattern": "Batch Loading Related Rows"})
            assert got["evidence_level"] == "MEDIUM"

            added = await call(
                "add_example",
                {"pattern": "Batch Loading Related Rows", "example": "Shop - order list (2026-11-20) - 3 queries"},
            )
            assert (added["confidence_before"], added["confidence_after"]) == ("MEDIUM", "HIGH")
            rerated = await call("upgrade_confidence", {"pattern": "Batch Loading Related Rows", "level": "HIGH"})
            assert rerated["confidence_after"] == "HIGH"
            new = await call(
                "add_pattern",
                {
                    "name": "Serve Shared Memory over HTTP",
                    "pattern": "One devlore serve --http per team, behind a bearer token.",
                    "context": "Several people or agents share one brain.",
                    "example": "devlore - interop (2026-11-21) - two clients at once",
                },
            )
            assert new["confidence"] == "LOW"
            experience = await call(
                "record_experience",
                {
                    "title": "HTTP interop check",
                    "project": "devlore",
                    "goal": "Prove the HTTP transport",
                    "what_happened": "Every tool was called over streamable HTTP.",
                    "solution": "Bearer token plus the official client.",
                    "patterns_applied": ["Inject the Clock Instead of Patching Time"],
                    "date": "2026-11-21",
                },
            )
            assert (root / experience["path"]).is_file()
            workflow = await call("promote_to_workflow", {"pattern": "Kill Criteria in Every Experiment Brief"})
            assert (root / workflow["path"]).is_file()
            stats = await call("memory_stats", {})
            assert stats["patterns"] == 18
            merged = await call(
                "revise_pattern", {"pattern": "Smoke Test", "action": "merge_into", "into": ["Inject the Clock"]}
            )
            assert merged["changes"][0]["examples"] == 5

            opened = await call("open_worklog", {"name": "HTTP Interop", "title": "Streamable HTTP"})
            assert opened["version"] == "v1"
            await call("update_worklog", {"name": "HTTP Interop", "next": ["[HIGH] Run the conformance suite"]})
            blocked = await call("record_blocker", {"name": "HTTP Interop", "blocker": "Node 22", "owner": "@ci"})
            assert blocked["status"] == "blocked"
            resolved = await call("resolve_blocker", {"name": "HTTP Interop", "resolution": "From npm"})
            assert resolved["status"] == "in_progress"
            log = await call("get_worklog", {"name": "HTTP Interop"})
            assert log["name"] and log["version"] == "v1"

            read = await client.read_resource("memory://patterns/dev")
            contents = read.contents[0]
            assert isinstance(contents, TextResourceContents)
            assert "## Serve Shared Memory over HTTP" in contents.text
            prompt = await client.get_prompt("learn", {"task": "Serve devlore over HTTP"})
            message = prompt.messages[0].content
            assert isinstance(message, TextContent) and "Task: Serve devlore over HTTP" in message.text

    assert called == ALL_TOOLS
    assert (root / "memory/worklogs/HTTP-Interop-WorkLog.md").is_file()


class Inbox:
    """The resource notifications one client received, in order."""

    def __init__(self) -> None:
        self.updated: list[str] = []
        self.list_changed = 0

    async def handle(self, message: Any) -> None:
        if isinstance(message, types.ResourceUpdatedNotification):
            self.updated.append(str(message.params.uri))
        elif isinstance(message, types.ResourceListChangedNotification):
            self.list_changed += 1


async def until(check: Callable[[], bool], seconds: float = NOTIFY_TIMEOUT) -> None:
    """Poll ``check`` briefly until it holds; fail after ``seconds``."""
    with anyio.fail_after(seconds):
        while not check():
            await anyio.sleep(0.02)


def edit(path: Path, heading: str, note: str) -> None:
    """Add a line under a pattern's heading, as a person would in an editor."""
    text = path.read_text(encoding="utf-8")
    assert heading in text
    path.write_text(text.replace(heading, f"{heading}\n{note}\n", 1), encoding="utf-8")


async def test_two_clients_each_hear_only_their_own_subscriptions(root: Path, tmp_path: Path) -> None:
    a, b = Inbox(), Inbox()
    with http_server(root, tmp_path / "server.log") as url:
        async with connect(url, message_handler=a.handle) as ca, connect(url, message_handler=b.handle) as cb:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", MCPDeprecationWarning)  # the 2025 era's way, deprecated in 2026
                await ca.subscribe_resource("memory://patterns/dev")
                await cb.subscribe_resource("memory://patterns/pm")

            # Each client's notification stream (a GET request) opens on its own schedule, and the
            # watcher starts with the first connection: add probe notes until both have heard a
            # list change, so neither stream can miss what follows.
            probes = root / "memory/episodic/learning"
            for n in range(100):
                (probes / f"2026-11-21-http-probe-{n}.md").write_text(f"# Probe {n}\n\nA probe.\n", encoding="utf-8")
                try:
                    await until(lambda: a.list_changed > 0 and b.list_changed > 0, 0.5)
                    break
                except TimeoutError:
                    continue
            else:
                pytest.fail("no list_changed notification reached both clients")
            for probe in probes.glob("2026-11-21-http-probe-*.md"):
                probe.unlink()

            edit(root / DEV, "## Inject the Clock Instead of Patching Time\n", "A note seen only by client A.")
            await until(lambda: "memory://patterns/dev" in a.updated)
            edit(root / PM, "## Kill Criteria in Every Experiment Brief\n", "A note seen only by client B.")
            await until(lambda: "memory://patterns/pm" in b.updated)
            # B heard of the later pm change, so a dev notification meant for it would be here by now.
            await ok(ca, "memory_stats", {})
            await ok(cb, "memory_stats", {})

    assert not any(uri.startswith("memory://patterns/pm") for uri in a.updated), a.updated
    assert not any(uri.startswith("memory://patterns/dev") for uri in b.updated), b.updated


def test_a_non_loopback_host_without_a_token_is_refused(root: Path, tmp_path: Path) -> None:
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    refused = subprocess.run(
        serve_args(root, free_port(), "--host", "0.0.0.0"),
        env=env_without_token(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
        check=False,
    )
    assert refused.returncode != 0
    assert "refusing to serve 0.0.0.0 without a token" in refused.stderr
    assert "DEVLORE_TOKEN" in refused.stderr and "--token-file" in refused.stderr
    assert refused.stdout == ""
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == before

    empty = tmp_path / "empty-token"
    empty.write_text("\n", encoding="utf-8")
    unreadable = subprocess.run(
        serve_args(root, free_port(), "--host", "0.0.0.0", "--token-file", str(empty)),
        env=env_without_token(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
        check=False,
    )
    assert unreadable.returncode != 0
    assert "cannot read the token" in unreadable.stderr


async def test_the_token_file_wins_over_the_environment(root: Path, tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(f"{TOKEN}\n", encoding="utf-8")
    log = tmp_path / "server.log"
    with http_server(root, log, "--token-file", str(token_file), env_token="some-other-token") as url:
        async with connect(url) as client:
            assert (await ok(client, "memory_stats", {}))["patterns"] == 17
        async with httpx2.AsyncClient(timeout=10.0) as http:
            other = await http.post(url, json={}, headers={"Authorization": "Bearer some-other-token"})
    assert other.status_code == 401


async def test_dns_rebinding_protection_admits_only_the_allowed_hosts(root: Path, tmp_path: Path) -> None:
    """Loopback keeps the Host/Origin check; ``--allowed-host`` adds a real name, nothing else."""
    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "e2e", "version": "1"}},
    }
    headers = {"Authorization": f"Bearer {TOKEN}", "Accept": "application/json, text/event-stream"}
    with http_server(root, tmp_path / "server.log", "--allowed-host", "devlore.test") as url:
        port = url.split(":")[2].split("/")[0]

        async def status(**extra: str) -> int:
            async with httpx2.AsyncClient(timeout=10.0) as http:
                return (await http.post(url, json=initialize, headers={**headers, **extra})).status_code

        assert await status() == 200
        assert await status(Host=f"devlore.test:{port}") == 200
        assert await status(Host=f"localhost:{port}") == 200
        assert await status(Origin=f"https://devlore.test:{port}") == 200
        assert await status(Host="evil.example") == 421
        assert await status(Host=f"evil.example:{port}") == 421
        assert await status(Origin="http://evil.example") == 403
