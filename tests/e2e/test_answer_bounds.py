"""The answer-size bound of docs/FORMAT.md §9, checked where it is hardest: every read tool's
default answer on the largest brain the benchmarks generate (50,000 files: 7,500 patterns in
files of 1,000, work logs of up to 100 versions) stays under 20,000 characters, text and
structured JSON alike."""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from devlore.server import build_server
from devlore.service.brain import Brain

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from brains import make_brain  # bench/ is not a package

pytestmark = [pytest.mark.e2e, pytest.mark.anyio]

LIMIT = 20_000
FILES = 50_000


@pytest.fixture(scope="module")
def largest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("largest") / "brain"
    made = make_brain(root, FILES, seed=0)
    assert made["markdown_files"] == FILES
    return root


@pytest.fixture
async def client(largest: Path) -> AsyncIterator[Client]:
    async with Client(build_server(Brain(largest))) as c:
        yield c


def size(result: Any) -> tuple[int, int]:
    text = "".join(getattr(c, "text", "") for c in result.content)
    return len(text), len(json.dumps(result.structured_content, ensure_ascii=False))


async def test_every_read_tool_answers_under_20000_characters_on_a_50000_file_brain(
    client: Client, largest: Path
) -> None:
    listed = await client.call_tool("list_patterns", {})
    assert not listed.is_error
    page = listed.structured_content
    assert page is not None and page["total"] == 7_500 and page["remaining"] > 0 and page["next_cursor"]
    everything = [p for p in page["patterns"]]
    richest = max(everything, key=lambda p: p["examples"])["name"]
    board = await client.call_tool("get_worklog", {})
    assert board.structured_content is not None and board.structured_content["remaining"] > 0
    longest = max(
        (p for p in (largest / "memory/worklogs").glob("*.md")), key=lambda p: p.stat().st_size
    ).name.removesuffix("-WorkLog.md")

    calls: list[tuple[str, dict[str, Any]]] = [
        ("recall", {"query": "retry cache timeout migration"}),
        ("recall", {"query": "data service request error test"}),  # common words: an OR over most files
        ("list_patterns", {}),
        ("list_patterns", {"limit": 100}),
        ("get_pattern", {"pattern": richest}),
        ("memory_stats", {}),
        ("memory_stats", {"suggest": True}),
        ("get_worklog", {}),
        ("get_worklog", {"name": longest}),
        ("get_worklog", {"name": longest, "entries": 20}),
    ]
    for tool, args in calls:
        result = await client.call_tool(tool, args)
        assert not result.is_error, (tool, args, result.content)
        text, structured = size(result)
        assert text <= LIMIT and structured <= LIMIT, f"{tool} {args}: {text} / {structured} characters"


async def test_paging_the_largest_list_with_full_pages_visits_every_pattern_once(client: Client) -> None:
    names: list[tuple[str, str]] = []  # (file, name): the generator reuses names across domains
    cursor: str | None = None
    while True:
        args: dict[str, Any] = {"limit": 100, **({"cursor": cursor} if cursor else {})}
        result = await client.call_tool("list_patterns", args)
        assert not result.is_error and result.structured_content is not None
        page = result.structured_content
        assert max(size(result)) <= LIMIT
        names += [(p["path"], p["name"]) for p in page["patterns"]]
        assert page["remaining"] == 7_500 - len(names)
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(names) == len(set(names)) == 7_500
