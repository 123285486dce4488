"""revise_pattern through the real MCP client: after a merge every way of reading memory agrees."""

from __future__ import annotations

from pathlib import Path

import pytest
from mcp.types import TextResourceContents

from devlore.service.brain import Brain
from devlore.service.check import check
from tests.conftest import CONTENT, DEV, ClientFactory
from tests.server.test_pattern_tools import error, ok

pytestmark = pytest.mark.anyio


async def test_after_a_merge_recall_get_pattern_resources_and_check_agree(
    connect: ClientFactory, root: Path, brain: Brain
) -> None:
    async with connect() as client:
        merged = await ok(
            client,
            "revise_pattern",
            {"pattern": "One Diagram per Thread", "action": "merge_into", "into": ["Batch Loading Related Rows"]},
        )
        old = await ok(client, "get_pattern", {"pattern": "One Diagram per Thread"})
        new = await ok(client, "get_pattern", {"pattern": "Batch Loading Related Rows"})
        by_slug = await ok(client, "get_pattern", {"pattern": "one-diagram-per-thread", "domain": "content"})
        hits = await ok(client, "recall", {"query": "diagram reposted"})
        listed = await ok(client, "list_patterns", {})
        entry = await client.read_resource("memory://patterns/content/one-diagram-per-thread")

    assert [(c["name"], c["examples"], c["confidence_after"]) for c in merged["changes"]] == [
        ("Batch Loading Related Rows", 6, "HIGH")
    ]
    assert old == new == by_slug
    assert new["evidence_level"] == "HIGH" and len(new["examples"]) == 6
    assert [h["title"] for h in hits["hits"] if h["kind"] == "pattern"] == ["Batch Loading Related Rows"]
    assert "One Diagram per Thread" not in {p["name"] for p in listed["patterns"]}
    contents = entry.contents[0]
    assert isinstance(contents, TextResourceContents)
    assert contents.text.startswith("## Batch Loading Related Rows\n")
    assert "→ merged into [Batch Loading Related Rows](dev-patterns.md#batch-loading-related-rows), 2026-11-21" in (
        root / CONTENT
    ).read_text(encoding="utf-8")
    assert check(brain) == []


async def test_a_split_pattern_asks_which_new_one_is_meant(connect: ClientFactory) -> None:
    async with connect() as client:
        await ok(
            client,
            "revise_pattern",
            {
                "pattern": "Expand-Contract Database Migrations",
                "action": "split",
                "into": ["Expand Columns Before Backfill", "Contract Only After Zero Reads"],
                "examples": [[1, 2, 3], [4, 5, 6, 7]],
            },
        )
        message = await error(client, "get_pattern", {"pattern": "Expand-Contract Database Migrations"})
    assert message == (
        "'Expand-Contract Database Migrations' was split into 'Expand Columns Before Backfill', "
        "'Contract Only After Zero Reads' on 2026-11-21: name one of them."
    )


async def test_each_action_says_which_arguments_it_needs(connect: ClientFactory, root: Path) -> None:
    before = (root / DEV).read_bytes()
    async with connect() as client:
        removal = await error(client, "revise_pattern", {"pattern": "Batch Loading", "action": "remove_example"})
        merge = await error(client, "revise_pattern", {"pattern": "Batch Loading", "action": "merge_into"})
        split = await error(client, "revise_pattern", {"pattern": "Batch Loading", "action": "split"})
    assert removal == "remove_example needs example (its place in the list, 1 for the first) and reason."
    assert merge == "merge_into needs into: [the name of the pattern to keep]."
    assert split == "split needs into (the new names) and examples (their example numbers)."
    assert (root / DEV).read_bytes() == before


EXPERIENCE = {
    "title": "Batching did not help the PDF export",
    "project": "Billing Portal",
    "goal": "Speed up the statement export",
    "what_happened": "The time went into rendering, not queries.",
    "solution": "Profiled first next time.",
    "date": "2026-11-20",
}


async def test_a_counter_example_is_recorded_and_shown_but_does_not_lower_the_level(
    connect: ClientFactory, root: Path
) -> None:
    before = (root / DEV).read_text(encoding="utf-8")
    async with connect() as client:
        result = await ok(
            client,
            "record_experience",
            {**EXPERIENCE, "result": "PARTIAL", "patterns_failed": ["Batch Loading Related Rows"]},
        )
        got = await ok(client, "get_pattern", {"pattern": "Batch Loading Related Rows"})
        listed = await ok(client, "list_patterns", {"domain": "dev", "level": "MEDIUM"})

    counter = f"Billing Portal - Batching did not help the PDF export (2026-11-20) - PARTIAL ({result['path']})"
    assert got["counter_examples"] == [counter]
    assert (got["confidence"], got["evidence_level"], len(got["examples"])) == ("MEDIUM", "MEDIUM", 4)
    row = next(p for p in listed["patterns"] if p["name"] == "Batch Loading Related Rows")
    assert row["counter_examples"] == 1
    after = (root / DEV).read_text(encoding="utf-8")
    assert (
        f"- memory/episodic/code/2026-09-30-invoice-list-batching.md\n\n**Counter-examples:**\n- {counter}\n" in after
    )
    assert len(after.splitlines()) == len(before.splitlines()) + 3


async def test_a_counter_example_needs_a_result_that_was_not_a_success(connect: ClientFactory, root: Path) -> None:
    async with connect() as client:
        message = await error(
            client, "record_experience", {**EXPERIENCE, "patterns_failed": ["Batch Loading Related Rows"]}
        )
    assert message == "patterns_failed needs result PARTIAL or BLOCKED: a pattern that failed did not succeed."
