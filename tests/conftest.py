"""Shared fixtures: a copy of memory_fixtures/ in tmp_path, a Brain on a fixed day, and MCP
clients in both protocol eras (``legacy`` = the 2025-11-25 initialize handshake that today's
hosts speak; ``auto`` = the SDK default, the stateless 2026-07-28 era)."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import date
from pathlib import Path

import pytest
from mcp import Client

from devlore.server import build_server
from devlore.service.brain import Brain
from devlore.service.check import check

FIXTURES = Path(__file__).resolve().parent.parent / "memory_fixtures"
TODAY = date(2026, 11, 21)
DEV = "memory/semantic/patterns/dev-patterns.md"
PM = "memory/semantic/patterns/pm-patterns.md"
CONTENT = "memory/semantic/patterns/content-patterns.md"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def root(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    """A private copy of the fixture brain; afterwards ``devlore check`` must pass on it
    (unless the test is marked ``breaks_brain`` because it damages a file on purpose)."""
    dest = tmp_path / "brain"
    shutil.copytree(FIXTURES, dest)
    yield dest
    if request.node.get_closest_marker("breaks_brain") is None:
        assert check(Brain(dest)) == [], "devlore check fails on the brain this test edited"


@pytest.fixture
def brain(root: Path) -> Brain:
    return Brain(root, today=lambda: TODAY)


@pytest.fixture(params=["legacy", "auto"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


ClientFactory = Callable[..., AbstractAsyncContextManager[Client]]


@pytest.fixture
def connect(brain: Brain, mode: str) -> ClientFactory:
    """``async with connect() as c``: an in-memory MCP client on the fixture brain."""

    @asynccontextmanager
    async def factory(tools: str = "all") -> AsyncIterator[Client]:
        async with Client(build_server(brain, tools=tools), mode=mode) as client:
            yield client

    return factory


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (devlore's own lock folder aside), as bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".devlore" not in p.relative_to(root).parts
    }
