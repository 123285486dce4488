"""Broken files are never silent: a read whose answer leaves a file out because it did not
parse says so, in its text and its structured answer, naming the line (for an unclosed code
fence, the line where it opens) and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import PM, ClientFactory, snapshot
from tests.server.test_pattern_tools import ok, text

pytestmark = [pytest.mark.anyio, pytest.mark.breaks_brain]

FENCE_LINE = 24  # "**Pattern:**" is line 23 of pm-patterns.md; the fence opens on the next line
UNCLOSED = f"{PM}:{FENCE_LINE}: code fence opened here is never closed"
HINT = "Fix it or run devlore check."


def break_pm(root: Path) -> None:
    path = root / PM
    lines = path.read_text(encoding="utf-8").split("\n")
    lines.insert(FENCE_LINE - 1, "```python")  # a hand edit that never closes its fence
    path.write_text("\n".join(lines), encoding="utf-8")


async def test_list_patterns_and_recall_name_the_unreadable_file_and_the_fence_line(
    connect: ClientFactory, root: Path
) -> None:
    break_pm(root)
    before = snapshot(root)
    async with connect() as client:
        listed = await client.call_tool("list_patterns", {})
        found = await client.call_tool("recall", {"query": "kill criteria experiment"})
        only_dev = await ok(client, "list_patterns", {"domain": "dev"})
    assert listed.structured_content is not None and found.structured_content is not None
    assert listed.structured_content["problems"] == [UNCLOSED]
    assert "Kill Criteria in Every Experiment Brief" not in text(listed)
    assert text(listed).endswith(f"\n1 file could not be read: {UNCLOSED}. {HINT}")
    assert found.structured_content["problems"] == [UNCLOSED]
    assert text(found).endswith(f"\n1 file could not be read: {UNCLOSED}. {HINT}")
    assert only_dev["problems"] == []  # the broken file is not in the dev domain
    assert snapshot(root) == before


async def test_recall_of_episodes_only_says_nothing_of_a_broken_pattern_file(
    connect: ClientFactory, root: Path
) -> None:
    break_pm(root)
    async with connect() as client:
        found = await ok(client, "recall", {"query": "export", "kinds": ["episode"]})
    assert found["problems"] == []


async def test_the_board_names_a_work_log_that_does_not_parse(connect: ClientFactory, root: Path) -> None:
    log = root / "memory/worklogs/Ledger-Export-WorkLog.md"
    log.write_text(log.read_text(encoding="utf-8").replace("owner: dana", "owner: [dana"), encoding="utf-8")
    before = snapshot(root)
    async with connect() as client:
        board = await client.call_tool("get_worklog", {})
    assert board.structured_content is not None
    [problem] = board.structured_content["problems"]
    assert problem.startswith("memory/worklogs/Ledger-Export-WorkLog.md:")
    assert text(board).startswith("1 file could not be read: memory/worklogs/Ledger-Export-WorkLog.md:")
    assert snapshot(root) == before


async def test_many_broken_files_are_named_up_to_five_with_a_count(connect: ClientFactory, root: Path) -> None:
    for n in range(7):
        (root / f"memory/semantic/patterns/x{n}-patterns.md").write_text("## X\n\n```\nopen\n", encoding="utf-8")
    async with connect() as client:
        listed = await client.call_tool("list_patterns", {})
    assert listed.structured_content is not None
    problems = listed.structured_content["problems"]
    assert len(problems) == 6 and problems[-1] == "… and 2 more"
    assert "\n7 files could not be read: " in text(listed) and text(listed).endswith("Fix them or run devlore check.")


async def test_memory_stats_counts_in_words(connect: ClientFactory, root: Path) -> None:
    break_pm(root)
    async with connect() as client:
        stats = await client.call_tool("memory_stats", {})
    assert text(stats).startswith("13 patterns (HIGH 3, MEDIUM 7, LOW 3), 14 experiences, 2 workflows, ")
    assert text(stats).endswith(" min saved, 1 problem file")
