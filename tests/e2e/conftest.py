"""Fixtures for end-to-end tests: devlore started as a real subprocess, spoken to over stdio.

The stdio client starts servers with a filtered environment, so the brain is always given
with ``--root``. Each server's stderr goes to a file in ``tmp_path`` so tests can read it.
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import TextIO

import pytest
from mcp import ClientSession, StdioServerParameters, stdio_client

TIMEOUT = 30.0
"""Seconds any one end-to-end scenario may take; a hung server fails the test instead of the run."""

REQUEST_TIMEOUT = 20.0
"""Seconds one request may wait for its answer."""


def serve_command(root: Path, *extra: str) -> list[str]:
    """The command line that starts devlore on ``root`` the way an MCP host would."""
    return [sys.executable, "-m", "devlore", "serve", "--root", str(root), *extra]


def files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (devlore's own lock folder aside), as bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".devlore" not in p.relative_to(root).parts
    }


@pytest.fixture
def tree() -> Callable[[Path], dict[str, bytes]]:
    """``tree(root)``: every file under the root as bytes, to compare before and after a call."""
    return files


@pytest.fixture
def server_stderr(tmp_path: Path) -> Iterator[TextIO]:
    """Where the servers started by a test write their stderr (``tmp_path/server-stderr.log``)."""
    with (tmp_path / "server-stderr.log").open("w", encoding="utf-8") as log:
        yield log


Serve = Callable[..., AbstractAsyncContextManager[ClientSession]]


@pytest.fixture
def serve(server_stderr: TextIO) -> Serve:
    """``async with serve(root, *extra_args) as session``: an initialized session with
    ``devlore serve --root <root> <extra_args>`` running as a subprocess."""

    @asynccontextmanager
    async def factory(root: Path, *extra: str) -> AsyncIterator[ClientSession]:
        command = serve_command(root, *extra)
        params = StdioServerParameters(command=command[0], args=command[1:])
        async with (
            stdio_client(params, errlog=server_stderr) as (read, write),
            ClientSession(read, write, read_timeout_seconds=REQUEST_TIMEOUT) as session,
        ):
            await session.initialize()
            yield session

    return factory
