"""A refused call, checked to change nothing: the shared step of the tests that send bad input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import ClientFactory, snapshot
from tests.server.test_pattern_tools import error


def cases(table: list[tuple[str, dict[str, Any], str]]) -> list[str]:
    """Test ids for a table of (tool, arguments, expected message)."""
    return [f"{tool}-{i}" for i, (tool, _, _) in enumerate(table)]


async def refused(connect: ClientFactory, root: Path, tool: str, args: dict[str, Any]) -> str:
    """The error message of a call that must be refused, after checking no byte under ``root``
    changed."""
    before = snapshot(root)
    async with connect() as client:
        message = await error(client, tool, args)
    assert snapshot(root) == before, f"{tool} was refused but changed files"
    return message
