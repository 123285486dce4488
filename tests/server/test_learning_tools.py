"""record_experience, promote_to_workflow, recall, resources and prompts through the client."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from devlore.errors import DevloreError
from devlore.service import experiences
from devlore.service.brain import Brain
from devlore.store import Store
from tests.conftest import DEV, ClientFactory, snapshot
from tests.server.test_pattern_tools import error, ok

pytestmark = pytest.mark.anyio

EPISODE = "memory/episodic/code/2026-11-21-slow-statement-export.md"

EXPERIENCE = {
    "title": "Slow statement export",
    "project": "Billing",
    "goal": "Export a year of statements in under 5 seconds",
    "what_happened": "The exporter loaded each invoice's lines one query at a time.",
    "solution": "Loaded lines and products in two batched queries.",
    "patterns_applied": ["batch loading", "Inject the Clock"],
    "new_patterns": [
        {
            "name": "Cap Query Counts in Tests",
            "pattern": "Assert the number of queries an endpoint runs.",
            "context": "Any ORM-backed list endpoint.",
        }
    ],
    "time_saved_minutes": 45,
    "quality": 8,
    "duration": "2 hours",
    "next_time": "Start from the query-count test.",
}


async def test_record_experience_writes_the_note_and_reinforces_and_creates_patterns(
    connect: ClientFactory, root: Path
) -> None:
    async with connect() as client:
        result = await ok(client, "record_experience", EXPERIENCE)
        created = await ok(client, "get_pattern", {"pattern": "Cap Query Counts in Tests"})
    assert result == {
        "path": EPISODE,
        "created": [
            {"name": "Cap Query Counts in Tests", "slug": "cap-query-counts-in-tests", "path": DEV, "confidence": "LOW"}
        ],
        "reinforced": [
            {
                "name": "Batch Loading Related Rows",
                "path": DEV,
                "examples": 5,
                "confidence_before": "MEDIUM",
                "confidence_after": "HIGH",
                "unchanged": False,
            },
            {
                "name": "Inject the Clock Instead of Patching Time",
                "path": DEV,
                "examples": 3,
                "confidence_before": "MEDIUM",
                "confidence_after": "MEDIUM",
                "unchanged": False,
            },
        ],
        "unchanged": False,
    }
    note = (root / EPISODE).read_text(encoding="utf-8")
    assert note == (
        "---\n"
        "date: 2026-11-21\n"
        "project: Billing\n"
        "work_type: code\n"
        "patterns:\n"
        "  - Batch Loading Related Rows\n"
        "  - Inject the Clock Instead of Patching Time\n"
        "  - Cap Query Counts in Tests\n"
        "result: SUCCESS\n"
        "---\n"
        "\n"
        "# Slow statement export - Billing - 2026-11-21\n"
        "\n"
        "## Context\n"
        "**Project:** Billing\n"
        "**Goal:** Export a year of statements in under 5 seconds\n"
        "**Duration:** 2 hours\n"
        "\n"
        "## What Happened\n"
        "The exporter loaded each invoice's lines one query at a time.\n"
        "\n"
        "## Solution\n"
        "Loaded lines and products in two batched queries.\n"
        "\n"
        "## Patterns Applied\n"
        "- **Batch Loading Related Rows** (from semantic memory)\n"
        "- **Inject the Clock Instead of Patching Time** (from semantic memory)\n"
        "\n"
        "## Learnings Extracted\n"
        "- Reinforced: Batch Loading Related Rows (confidence: MEDIUM → HIGH)\n"
        "- Reinforced: Inject the Clock Instead of Patching Time (confidence: MEDIUM → MEDIUM)\n"
        "- New: Cap Query Counts in Tests (confidence: LOW)\n"
        "\n"
        "## Outcome\n"
        "**Result:** SUCCESS\n"
        "**Time saved:** 45 min\n"
        "**Quality:** 8/10\n"
        "\n"
        "## Linked Patterns\n"
        f"→ Created: {DEV}#cap-query-counts-in-tests\n"
        f"→ Reinforced: {DEV}#batch-loading-related-rows\n"
        "→ Confidence: MEDIUM → HIGH (5 examples)\n"
        f"→ Reinforced: {DEV}#inject-the-clock-instead-of-patching-time\n"
        "→ Confidence: MEDIUM → MEDIUM (3 examples)\n"
        "\n"
        "## Next Time\n"
        "Start from the query-count test.\n"
    )
    meta = yaml.safe_load(note.split("---\n")[1])
    assert meta["patterns"][-1] == "Cap Query Counts in Tests"
    assert created["examples"] == ["Billing - Slow statement export (2026-11-21) - Success"]
    assert created["sources"] == [EPISODE]
    growth = (root / "brain-health/growth-log.md").read_text(encoding="utf-8")
    assert "- Batch Loading Related Rows (MEDIUM → HIGH, 5 examples)\n" in growth
    assert "- Cap Query Counts in Tests (LOW)\n" in growth
    assert "**Time saved:** ~75 min this week\n" in growth


async def test_another_experience_with_the_same_title_gets_a_numbered_file(connect: ClientFactory, root: Path) -> None:
    plain = {k: v for k, v in EXPERIENCE.items() if k != "new_patterns"}
    async with connect() as client:
        first = await ok(client, "record_experience", plain)
        second = await ok(client, "record_experience", plain | {"solution": "Another way."})
    assert first["path"] == EPISODE
    assert second["path"] == EPISODE.replace(".md", "-2.md")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"patterns_applied": ["batch loading", "No Such Pattern"]}, "No pattern named 'No Such Pattern'"),
        (
            {"new_patterns": [{"name": "Batch Loading Related Rows", "pattern": "p", "context": "c"}]},
            "A pattern named 'Batch Loading Related Rows' already exists",
        ),
        (
            {"work_type": "gardening"},
            "'work_type' must be one of 'code', 'client', 'content' or 'research'; got 'gardening'.",
        ),
        ({"quality": 11}, "quality is a score from 1 to 10."),
        ({"date": "2026-02-30"}, "Invalid date '2026-02-30': no such day."),
    ],
)
async def test_record_experience_is_all_or_nothing(
    connect: ClientFactory, root: Path, change: dict[str, object], expected: str
) -> None:
    before = snapshot(root)
    async with connect() as client:
        message = await error(client, "record_experience", {**EXPERIENCE, **change})
    assert expected in message
    assert snapshot(root) == before


def test_a_failed_write_puts_back_the_files_already_written(
    brain: Brain, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(root)
    real_write = Store.write

    def failing_write(self: Store, rel: str, text: str, **checks: Any) -> None:
        if rel.startswith("memory/episodic/"):
            raise OSError("disk full")
        real_write(self, rel, text, **checks)

    monkeypatch.setattr(Store, "write", failing_write)
    with pytest.raises(OSError, match="disk full"):
        experiences.record_experience(
            brain,
            title="T",
            project="P",
            goal="g",
            what_happened="w",
            solution="s",
            patterns_applied=["batch loading"],
        )
    assert snapshot(root) == before


async def test_promote_to_workflow_turns_a_high_pattern_into_steps(connect: ClientFactory, root: Path) -> None:
    async with connect() as client:
        result = await ok(
            client,
            "promote_to_workflow",
            {
                "pattern": "kill criteria",
                "steps": ["Write the metric", "Write the threshold", "Set the date"],
                "checklist": ["Owner named"],
                "estimated_time": "15 minutes",
            },
        )
        again = await error(client, "promote_to_workflow", {"pattern": "kill criteria"})
    path = "memory/procedural/workflows/kill-criteria-in-every-experiment-brief.md"
    source = "memory/semantic/patterns/pm-patterns.md#kill-criteria-in-every-experiment-brief"
    assert result == {
        "name": "Kill Criteria in Every Experiment Brief",
        "path": path,
        "source_pattern": source,
        "steps": 3,
    }
    written = (root / path).read_text(encoding="utf-8")
    assert written.startswith("# Kill Criteria in Every Experiment Brief\n\n**When to use:** ")
    assert written.endswith(
        "**Estimated time:** 15 minutes\n"
        f"**Last used:** {written.split('**Last used:** ')[1].split(chr(10))[0]}\n"
        f"**Source pattern:** {source}\n\n"
        "## Steps\n1. Write the metric\n2. Write the threshold\n3. Set the date\n\n"
        "## Checklist\n- [ ] Owner named\n"
    )
    assert again == f"{path} exists already; edit it, or remove it first if it should be regenerated."


async def test_recall_ranks_the_matching_pattern_first_with_a_snippet(connect: ClientFactory) -> None:
    async with connect() as client:
        found = await ok(client, "recall", {"query": "cache schema version", "limit": 3})
        only_episodes = await ok(client, "recall", {"query": "cache", "kinds": ["episode"]})
    first = found["hits"][0]
    assert (first["kind"], first["title"]) == ("pattern", "Cache Keys Carry a Schema Version")
    assert first["path"] == f"{DEV}#cache-keys-carry-a-schema-version"
    assert "schema" in first["snippet"].lower()
    assert len(found["hits"]) == 3
    assert only_episodes["hits"] and {h["kind"] for h in only_episodes["hits"]} == {"episode"}


async def test_recall_sees_a_new_pattern_at_once(connect: ClientFactory) -> None:
    async with connect() as client:
        await ok(client, "recall", {"query": "zeppelin"})
        await ok(
            client,
            "add_pattern",
            {
                "name": "Zeppelin Mooring Checks",
                "pattern": "Check the mast.",
                "context": "Airships.",
                "example": "Hangar - mooring (2026-11-21) - ok",
            },
        )
        found = await ok(client, "recall", {"query": "zeppelin"})
    assert [h["title"] for h in found["hits"]] == ["Zeppelin Mooring Checks"]


async def test_resources_list_and_read_the_files_byte_for_byte(connect: ClientFactory, root: Path) -> None:
    async with connect() as client:
        listed = {str(r.uri) for r in (await client.list_resources()).resources}
        whole = await client.read_resource("memory://patterns/content")
        entry = await client.read_resource("memory://patterns/dev/batch-loading-related-rows")
        note = await client.read_resource("memory://episodes/code/2026-10-07-frozen-clock-tests")
    assert {
        "memory://patterns/dev",
        "memory://patterns/pm",
        "memory://patterns/content",
        "memory://patterns/dev/smoke-test-each-deploy-stage",
        "memory://workflows/versioned-cache-release",
        "memory://episodes/learning/2026-08-26-reading-ddia-replication",
    } <= listed
    assert (
        whole.contents[0].text.encode("utf-8") == (root / "memory/semantic/patterns/content-patterns.md").read_bytes()
    )  # type: ignore[union-attr]
    assert entry.contents[0].text.startswith("## Batch Loading Related Rows\n")  # type: ignore[union-attr]
    bom_note = (root / "memory/episodic/code/2026-10-07-frozen-clock-tests.md").read_bytes()
    assert note.contents[0].text.encode("utf-8") == bom_note  # type: ignore[union-attr]


async def test_prompts_guide_the_learn_and_recall_steps(connect: ClientFactory) -> None:
    async with connect() as client:
        names = [p.name for p in (await client.list_prompts()).prompts]
        learn = await client.get_prompt("learn", {"task": "speed up the export"})
        recall = await client.get_prompt("recall", {"topic": "flaky tests"})
    assert names == ["learn", "resume_work", "recall"]
    learn_text = learn.messages[0].content.text  # type: ignore[union-attr]
    assert "Task: speed up the export" in learn_text and "record_experience" in learn_text
    assert "memory_stats with suggest=true" in learn_text and "patterns_failed" in learn_text
    assert "flaky tests" in recall.messages[0].content.text  # type: ignore[union-attr]


def test_devlore_errors_are_the_only_ones_services_raise_on_bad_input(brain: Brain) -> None:
    with pytest.raises(DevloreError):
        experiences.record_experience(brain, title="", project="P", goal="g", what_happened="w", solution="s")


# -- brain-health/ refreshed off the request path ---------------------------------------------------

HEALTH_FILES = ("brain-health/growth-log.md", "brain-health/pattern-confidence.md")


async def test_a_served_brain_gathers_writes_into_one_health_refresh_that_lands_before_reads_and_shutdown(
    brain: Brain, root: Path, connect: ClientFactory
) -> None:
    brain.health_delay = 60.0  # longer than the test: only a read or the shutdown may flush
    before = {rel: (root / rel).read_bytes() for rel in HEALTH_FILES}
    async with connect() as client:
        for n in range(3):
            await ok(client, "add_example", {"pattern": "Batch Loading", "example": f"Run {n} (2026-11-21) - ok"})
        # The calls answered without rewriting brain-health/: that waits for the gathered refresh.
        assert {rel: (root / rel).read_bytes() for rel in HEALTH_FILES} == before
        growth = await client.read_resource("memory://health/growth-log")
        text = growth.contents[0].text  # type: ignore[union-attr]
        # One refresh holds all three events, in order.
        assert "- Batch Loading Related Rows (MEDIUM → HIGH, 5 examples)\n" in text
        assert text.index("(MEDIUM → HIGH, 5 examples)") < text.index("(HIGH → HIGH, 6 examples)")
        assert "(HIGH → HIGH, 7 examples)" in text
        await ok(client, "add_example", {"pattern": "Batch Loading", "example": "Run 3 (2026-11-21) - ok"})
    # The session ended: the fourth write's refresh landed with it.
    confidence = (root / "brain-health/pattern-confidence.md").read_text(encoding="utf-8")
    assert "- Batch Loading Related Rows (8 examples" in confidence
    assert "(HIGH → HIGH, 8 examples)" in (root / "brain-health/growth-log.md").read_text(encoding="utf-8")


def test_a_deferred_health_refresh_runs_by_itself_after_the_delay(brain: Brain, root: Path) -> None:
    import time

    from devlore.service import patterns

    brain.health_delay = 0.05
    patterns.add_example(brain, "Batch Loading", "Alone (2026-11-21) - ok")
    deadline = time.monotonic() + 5
    growth = root / "brain-health/growth-log.md"
    while "(MEDIUM → HIGH, 5 examples)" not in growth.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, "the deferred refresh never ran"
        time.sleep(0.02)
