"""Evidence is counted once: names that resolve to one pattern reinforce it once, and a
retried call (a client resending after a timeout) adds no episode and no example twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DEV, ClientFactory, snapshot
from tests.server.test_pattern_tools import error, ok

pytestmark = pytest.mark.anyio

BATCH = "Batch Loading Related Rows"  # format A, 4 examples
REPLICA = "Read-Your-Writes After Replica Lag"  # format B
EXPERIENCE = {
    "title": "Fix the slow ledger export",
    "project": "ledger",
    "goal": "Export in under a second",
    "what_happened": "The export ran one query per row.",
    "solution": "Loaded the rows in one batch.",
    "patterns_applied": [BATCH, "batch loading related rows", "batch-loading-related-rows", REPLICA],
    "new_patterns": [{"name": "Profile Before Batching", "pattern": "Measure first.", "context": "Slow exports."}],
    "duration": "2h",
}


def episodes(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "memory/episodic/code").glob("*.md"))


async def test_names_of_one_pattern_reinforce_it_once(connect: ClientFactory) -> None:
    async with connect() as client:
        before = await ok(client, "get_pattern", {"pattern": BATCH})
        done = await ok(client, "record_experience", EXPERIENCE)
        after = await ok(client, "get_pattern", {"pattern": BATCH})
    assert [c["name"] for c in done["reinforced"]] == [BATCH, REPLICA]
    assert len(after["examples"]) == len(before["examples"]) + 1


async def test_a_retried_record_experience_leaves_one_episode_and_one_example_per_pattern(
    connect: ClientFactory, root: Path
) -> None:
    known = episodes(root)
    async with connect() as client:
        first = await ok(client, "record_experience", EXPERIENCE)
        once = snapshot(root)
        second = await client.call_tool("record_experience", EXPERIENCE)
        third = await ok(client, "record_experience", EXPERIENCE)
        batch = await ok(client, "get_pattern", {"pattern": BATCH})
        replica = await ok(client, "get_pattern", {"pattern": REPLICA})
    assert snapshot(root) == once
    assert len(episodes(root)) == len(known) + 1
    assert first["unchanged"] is False
    assert second.structured_content == third
    assert third["unchanged"] is True and third["path"] == first["path"]
    assert [c["unchanged"] for c in third["reinforced"]] == [True, True]
    assert [c["examples"] for c in third["reinforced"]] == [c["examples"] for c in first["reinforced"]]
    assert third["created"] == first["created"]
    assert second.content[0].text.startswith(f"Already recorded as {first['path']}")  # type: ignore[union-attr]
    line = "ledger - Fix the slow ledger export (2026-11-21) - Success"
    assert batch["examples"].count(line) == 1
    assert replica["examples"].count("ledger - Fix the slow ledger export - Success") == 1


async def test_a_different_experience_with_the_same_title_is_a_second_episode(
    connect: ClientFactory, root: Path
) -> None:
    other = EXPERIENCE | {"solution": "Cached the rows instead.", "new_patterns": None, "patterns_applied": None}
    async with connect() as client:
        await ok(client, "record_experience", EXPERIENCE)
        again = await ok(client, "record_experience", other)
    assert again["unchanged"] is False
    assert again["path"].endswith("fix-the-slow-ledger-export-2.md")


async def test_a_retried_add_example_adds_nothing(connect: ClientFactory, root: Path) -> None:
    args = {"pattern": BATCH, "example": "billing - batched the invoice lines (2026-11-20)"}
    async with connect() as client:
        first = await ok(client, "add_example", args)
        once = snapshot(root)
        second = await client.call_tool("add_example", args)
    assert snapshot(root) == once
    assert first["examples"] == 5 and first["unchanged"] is False
    assert second.structured_content == first | {"confidence_before": "HIGH", "unchanged": True}
    assert "already lists this example; nothing added" in second.content[0].text  # type: ignore[union-attr]
    assert (root / DEV).read_text(encoding="utf-8").count("batched the invoice lines") == 1


async def test_a_retry_is_no_excuse_for_a_pattern_named_twice(connect: ClientFactory) -> None:
    twice = EXPERIENCE | {"new_patterns": [EXPERIENCE["new_patterns"][0]] * 2}  # type: ignore[index]
    async with connect() as client:
        message = await error(client, "record_experience", twice)
    assert "new_patterns names the same pattern twice" in message
