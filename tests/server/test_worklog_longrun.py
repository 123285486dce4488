"""Long-running work logs through the MCP client: a hand-written 22-version log read for its
trends, evolution, features and cross-session patterns, and every write changing only the
latest entry and the summary sections it owns (docs/FORMAT.md, '6.1 Long-running work logs')."""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from devlore.server import build_server
from devlore.service.brain import Brain
from tests.codec.test_golden_edits import changes
from tests.server.test_pattern_tools import error, ok

pytestmark = pytest.mark.anyio

LOG = "memory/worklogs/Carrier-Sync-WorkLog.md"
SOURCE = Path(__file__).resolve().parents[1] / "fixtures" / "worklogs" / "Carrier-Sync-WorkLog.md"
DEV = "memory/semantic/patterns/dev-patterns.md"


def clocked(root: Path, start: datetime) -> tuple[list[datetime], Brain]:
    """A brain whose clock is ``clock[0]``: a test moves time by assigning to it."""
    clock = [start]
    return clock, Brain(root, today=lambda: clock[0].date(), now=lambda: clock[0])


@pytest.fixture
def session(root: Path, mode: str) -> Any:
    """A client on the fixture brain plus the long-running log, on 2026-12-02 09:00."""
    shutil.copyfile(SOURCE, root / LOG)
    brain = Brain(root, today=lambda: date(2026, 12, 2), now=lambda: datetime(2026, 12, 2, 9, 0))

    def factory() -> AbstractAsyncContextManager[Client]:
        @asynccontextmanager
        async def run() -> AsyncIterator[Client]:
            async with Client(build_server(brain), mode=mode) as client:
                yield client

        return run()

    return factory


async def test_get_worklog_reports_trends_flags_evolution_features_and_patterns(session: Any) -> None:
    async with session() as client:
        result = await client.call_tool("get_worklog", {"name": "Carrier Sync", "entries": 20})
    answer = result.structured_content
    assert answer is not None
    insights = answer["insights"]
    assert insights["metrics"] == [
        "Quote latency: 380ms (v5) → 340ms (v7) → 260ms (v8) → 210ms (v9) → 420ms (v12) → 240ms (v15) → "
        "190ms (v20) (target <300ms)",
        "Test coverage: 62% (v5) → 78% (v8) → 87% (v11) → 91% (v19) (target >85%)",
        "Cache hit rate: 45% (v7) → 72% (v9) → 86% (v11) → 61% (v14) → 90% (v18)",
        "Label render time: 3.5s (v16) → not measured (printer offline) (v17) → 1.8s (v19) → 1.4s (v22) (target <2s)",
        "Worker memory: 610MB (v16) → 480MB (v18) → 430MB (v22) (target <512MB)",
    ]
    assert insights["flags"] == [
        "Quote latency: 210ms (v9) → 420ms (v12) against target <300ms",
        "Cache hit rate 86% (v11) vs 61% (v14): what changed?",
    ]
    assert insights["evolution"] == [
        "Caching: v3-v8: In-memory LRU of 2,000 quotes per worker — issue: 45% hit rate because each worker "
        "kept its own LRU; v9-v13: Redis with a 2h TTL for every quote — issue: the 2h TTL served stale fuel "
        "surcharges; v14+: Tiered TTL, 5m for surcharges and 24h for zones (current)"
    ]
    assert insights["features"] == [
        "Tracking Webhooks 100% → 2026-10-02",
        "Rate Quotes 85% → 2026-11-20 (target passed); active: DHL adapter (60%) - Blocker: DHL returns "
        "zones in a legacy format",
        "Label Printing 40% → 2026-12-11; active: Printer pool (30%)",
    ]
    assert insights["patterns"] == [
        "Recurring blocker @carrier-desk: 3 times (v4, v10, v17): UPS sandbox credentials missing; DHL "
        "sandbox credentials expired; Printer sandbox credentials missing",
        "Blockers: 3 resolved, median 2d 22h, longest 3d 20h (DHL sandbox credentials expired)",
        "Reviews: 2, median turnaround 2d 9h",
        "Blockers and failed hypotheses cluster on Fridays: 3 of 4 (v4, v10, v17)",
    ]
    assert "Sketch the adapter interface (22 versions)" in insights["carried"]
    assert insights["progress"][:2] == [
        "overall: Phase 3/3 - 80% overall | Started: 2026-09-07 | Target: 2026-12-11",
        "v8: 55% | Phase 1 ✅",
    ]
    sent = json.dumps(answer, ensure_ascii=False)
    assert len(sent) < 20_000 and len(result.content[0].text) < 20_000  # type: ignore[union-attr]


async def test_the_evolution_block_is_rendered_on_request(session: Any) -> None:
    async with session() as client:
        answer = await ok(client, "get_worklog", {"name": "Carrier-Sync", "evolution": "caching"})
        wrong = await error(client, "get_worklog", {"name": "Carrier-Sync", "evolution": "Ingest"})
    assert answer["insights"]["evolution"] == [
        "### Caching Evolution",
        "",
        "**v3-v8:** In-memory LRU of 2,000 quotes per worker",
        "- Issue: 45% hit rate because each worker kept its own LRU",
        "- Decision: Redis with a 2h TTL for every quote",
        "",
        "**v9-v13:** Redis with a 2h TTL for every quote",
        "- Issue: the 2h TTL served stale fuel surcharges",
        "- Decision: Tiered TTL, 5m for surcharges and 24h for zones",
        "",
        "**v14+:** Tiered TTL, 5m for surcharges and 24h for zones",
        "- Current ✅",
    ]
    assert wrong == (
        "No decision topic 'Ingest' evolves in this log; topics: Caching. A decision joins a topic as "
        "'[Topic] what: why' or with '(supersedes vN)'."
    )


async def test_the_board_lists_features_and_flags_a_passed_target(session: Any) -> None:
    async with session() as client:
        board = await ok(client, "get_worklog", {})
    rows = {w["name"]: w["features"] for w in board["worklogs"]}
    assert rows == {
        "Carrier-Sync": [
            "Tracking Webhooks 100% → 2026-10-02",
            "Rate Quotes 85% → 2026-11-20 (target passed)",
            "Label Printing 40% → 2026-12-11",
        ],
        "Ledger-Export": [],
    }


async def test_the_next_session_brief_leads_with_what_was_deferred(session: Any, root: Path) -> None:
    before = (root / LOG).read_text(encoding="utf-8")
    async with session() as client:
        state = await ok(client, "open_worklog", {"name": "Carrier Sync", "title": "Reprints"})
    assert state["brief"] == (
        "Carrier-Sync v23 (in_progress): Reprints\n"
        "Deferred from v22: Reprint from history (MED priority); Batch labels (LOW priority)\n"
        "Next session priority (v22): [HIGH] Reprint from history; [MED] Batch labels if the budget allows\n"
        "Active feature: Label Printing 40% → 2026-12-11; active: Printer pool (30%)\n"
        "Target passed: Rate Quotes (85%, target 2026-11-20)\n"
        "Pattern incremental: v23 is past its 4 steps.\n"
        "Progress: Phase 3 - 50%\n"
        "Do now: [HIGH] Reprint from history\n"
        "Then: [MED] Sketch the adapter interface; [LOW] Batch labels"
    )
    assert changes(before, (root / LOG).read_text(encoding="utf-8")) == [
        (["version: v22"], ["version: v23"]),
        (
            [],
            [
                "",
                "## v23 | 2026-12-02 09:00 | Reprints",
                "**Prev:** v22: Failover done, reprints next (in_progress)",
                "**Now:** Reprints",
                "**Progress:** Phase 3 - 50%",
                "**Next:**",
                "- [HIGH] Reprint from history",
                "- [MED] Sketch the adapter interface",
                "- [LOW] Batch labels",
            ],
        ),
    ]


async def test_an_update_changes_only_the_latest_entry_and_the_sections_it_owns(session: Any, root: Path) -> None:
    async with session() as client:
        await ok(client, "open_worklog", {"name": "Carrier Sync", "title": "Reprints"})
        before = (root / LOG).read_text(encoding="utf-8")
        await ok(
            client,
            "update_worklog",
            {
                "name": "Carrier-Sync",
                "decisions": ["[Caching] Warm the cache on deploy: cold starts after each release (supersedes v14)"],
                "metrics": {"Quote latency": "330ms", "Error rate": "0.4% (target <1%)"},
                "features": [
                    "Label Printing: done Printer pool",
                    "Label Printing: active Reprint from history (20%)",
                    "Label Printing: 60%",
                    "Billing Export: backlog CSV",
                    "Billing Export: target 2026-12-20",
                ],
                "lessons": ["Warm caches on deploy → cold starts hurt latency"],
                "blocks": {"completed": ["Reprint API"], "budget": ["30%"]},
            },
        )
    assert changes(before, (root / LOG).read_text(encoding="utf-8")) == [
        (
            ["**Progress:** 40% | Started: 2026-11-06 | Target: 2026-12-11"],
            ["**Progress:** 60% | Started: 2026-11-06 | Target: 2026-12-11"],
        ),
        (
            [
                "**Done:** ✅ ZPL templates, Render worker",
                "**Active:** 🔄 Printer pool (30%)",
                "**Backlog:** ⏳ Reprint from history, Batch labels",
            ],
            [
                "**Done:** ✅ ZPL templates, Render worker, Printer pool",
                "**Active:** 🔄 Reprint from history (20%)",
                "**Backlog:** ⏳ Batch labels",
                "",
                "### Feature: Billing Export",
                "**Progress:** 0% | Started: 2026-12-02 | Target: 2026-12-20",
                "",
                "**Done:**",
                "**Active:**",
                "**Backlog:** ⏳ CSV",
            ],
        ),
        (["- Quote latency: <300ms (current: 190ms ✅)"], ["- Quote latency: <300ms (current: 330ms ⚠️)"]),
        ([], ["- Error rate: <1% (current: 0.4% ✅)"]),
        ([], ["- v23: Warm the cache on deploy (cold starts after each release)"]),
        ([], ["- Warm caches on deploy → cold starts hurt latency"]),
        (
            ["**Progress:** Phase 3 - 50%"],
            [
                "**Progress:** Phase 3 - 50% | ⚠️ Token budget: 30% remaining",
                "**Decisions:**",
                "- [Caching] Warm the cache on deploy: cold starts after each release (supersedes v14)",
                "**Metrics:**",
                "- Quote latency: 330ms",
                "- Error rate: 0.4% (target <1%)",
                "**Lessons:**",
                "- Warm caches on deploy → cold starts hurt latency",
            ],
        ),
        ([], ["**Completed This Session:**", "- ✅ Reprint API"]),
    ]


async def test_current_blockers_follow_record_and_resolve(session: Any, root: Path) -> None:
    async with session() as client:
        await ok(client, "open_worklog", {"name": "Carrier Sync", "title": "Reprints"})
        opened = (root / LOG).read_text(encoding="utf-8")
        await ok(client, "record_blocker", {"name": "Carrier Sync", "blocker": "Printer firmware", "owner": "@ops"})
        blocked = (root / LOG).read_text(encoding="utf-8")
        await ok(client, "resolve_blocker", {"name": "Carrier Sync", "resolution": "Firmware flashed"})
        resolved = (root / LOG).read_text(encoding="utf-8")
    summary = changes(opened, blocked)[:3]
    assert summary == [
        (["status: in_progress"], ["status: blocked"]),
        (["**Status:** in_progress"], ["**Status:** blocked"]),
        (["- None"], ["- v23: Printer firmware (@ops)"]),
    ]
    assert [c for c in changes(opened, resolved) if c[0] == ["- None"]] == []
    assert resolved.split("## v1 |")[0] == opened.split("## v1 |")[0]


async def test_a_lesson_becomes_a_low_pattern_and_a_second_one_reinforces_it(session: Any, root: Path) -> None:
    async with session() as client:
        first = await ok(
            client,
            "update_worklog",
            {
                "name": "Carrier Sync",
                "lessons": ["Pin carrier API versions → DHL changed zones silently"],
                "learn": True,
            },
        )
        await ok(client, "open_worklog", {"name": "Carrier Sync", "title": "Reprints"})
        second = await ok(
            client,
            "update_worklog",
            {"name": "Carrier Sync", "lessons": ["Pin the carrier API version → surprises stay out"], "learn": True},
        )
        again = await ok(client, "update_worklog", {"name": "Carrier Sync", "learn": True})
        pattern = await ok(client, "get_pattern", {"pattern": "Pin carrier API versions"})
    assert first["brief"] == "Patterns: Pin carrier API versions (new, LOW)"
    assert second["brief"] == "Patterns: Pin carrier API versions (LOW → MEDIUM)"
    assert pattern["confidence"] == "MEDIUM"
    assert pattern["sources"] == [f"{LOG}#v22", f"{LOG}#v23"]
    assert pattern["examples"][-2:] == [
        "Carrier-Sync v22: Pin carrier API versions → DHL changed zones silently",
        "Carrier-Sync v23: Pin the carrier API version → surprises stay out",
    ]
    # learning the whole log again adds nothing already learned from the same version
    assert "Pin carrier API versions (already has Carrier-Sync v23)" in again["brief"]


async def test_long_running_creates_the_sections_and_a_rollup_every_five_versions(root: Path, mode: str) -> None:
    clock, brain = clocked(root, datetime(2026, 11, 2, 9, 0))
    async with Client(build_server(brain), mode=mode) as client:
        await ok(client, "open_worklog", {"name": "Tiny", "title": "Start", "long_running": True})
        for v in range(1, 7):
            await ok(
                client,
                "update_worklog",
                {
                    "name": "Tiny",
                    "progress": f"{v * 10}%",
                    "decisions": [f"Choice {v}: reason {v}"],
                    "metrics": {"Build time": f"{100 - v}s (target <90s)"},
                },
            )
            clock[0] = clock[0].replace(day=clock[0].day + 1)
            state = await ok(client, "open_worklog", {"name": "Tiny"})
    text = (root / "memory/worklogs/Tiny-WorkLog.md").read_text(encoding="utf-8")
    assert state["version"] == "v7"
    head = text.split("## v1 |")[0]
    assert head == (
        "---\nversion: v7\nstatus: in_progress\n---\n\n# Tiny Work Log\n\n"
        "## Components Status\n\n**Phase 1** (v1+) 🔄 Current\n\n"
        "## Features\n\n- None\n\n"
        "## Performance Targets\n\n- Build time: <90s (current: 94s ⚠️)\n\n"
        "## Key Decisions Log\n\n"
        + "".join(f"- v{v}: Choice {v} (reason {v})\n" for v in range(1, 7))
        + "\n## Current Blockers\n\n- None\n\n"
        "## Lessons Learned\n\n- None\n\n"
    )
    v6 = text.split("## v6 |")[1].split("## v7 |")[0]
    assert v6.splitlines()[1:10] == [
        "**Prev:** v5: Start (in_progress)",
        "**Progress:** 60%",
        "**Rollup:** v1-v5",
        "- Progress: 10% → 50%",
        "- Decisions: v1 Choice 1; v2 Choice 2; v3 Choice 3; v4 Choice 4; v5 Choice 5",
        "- Blockers: none opened",
        "- Metrics: Build time 99s (v1) → 95s (v5)",
        "**Decisions:**",
        "- Choice 6: reason 6",
    ]
    assert "**Rollup:**" not in text.split("## v6 |")[0]


async def test_bad_long_running_arguments_say_what_to_write(session: Any, root: Path) -> None:
    before = (root / LOG).read_bytes()
    async with session() as client:
        feature = await error(client, "update_worklog", {"name": "Carrier Sync", "features": ["Labels 60%"]})
        step = await error(client, "update_worklog", {"name": "Carrier Sync", "features": ["Labels: finish it"]})
        metric = await error(client, "update_worklog", {"name": "Carrier Sync", "metrics": {"a: b": "1"}})
        block = await error(client, "update_worklog", {"name": "Carrier Sync", "blocks": {"notes": ["x"]}})
        lesson = await error(
            client, "update_worklog", {"name": "Carrier Sync", "lessons": ["#2 → mind the order"], "learn": True}
        )
    assert feature.startswith("Cannot read feature operation 'Labels 60%': write 'Name: 60%'")
    assert step.startswith("Feature operation 'Labels: finish it': write '60%', 'done Item'")
    assert metric == "Metric name 'a: b' may not contain ':' or start with a list mark."
    assert block.startswith("Unknown block 'notes': use one of completed, deferred, priority")
    assert lesson == (
        "Lesson '#2 → mind the order' gives no pattern name: start it with a few words (not '#'), then '→ why'."
    )
    assert (root / LOG).read_bytes() == before


async def test_a_research_handoff_and_a_review_cycle_are_written_and_read(root: Path, mode: str) -> None:
    clock, brain = clocked(root, datetime(2026, 11, 2, 9, 0))
    log = root / "memory/worklogs/Ledger-API-WorkLog.md"
    async with Client(build_server(brain), mode=mode) as client:
        await ok(client, "open_worklog", {"name": "Ledger API", "title": "Research storage"})
        await ok(
            client,
            "update_worklog",
            {
                "name": "Ledger API",
                "status": "needs_review",
                "decisions": ["PostgreSQL over a document store: ledgers need transactions"],
                "next": ["[HIGH] Schema with row-level security"],
                "blocks": {"reviewer_notes": ["@lead: check the isolation model"]},
            },
        )
        clock[0] = datetime(2026, 11, 4, 10, 0)
        opened = await ok(client, "open_worklog", {"name": "Ledger API", "title": "Implement the schema"})
        await ok(
            client,
            "update_worklog",
            {"name": "Ledger API", "blocks": {"feedback": ["Isolation tests added", "🔄 Docs for tenants"]}},
        )
        detail = await ok(client, "get_worklog", {"name": "Ledger API"})
    assert opened["brief"].splitlines()[1] == (
        "Handoff from v1 (needs_review): start from its decisions: PostgreSQL over a document store"
    )
    text = log.read_text(encoding="utf-8")
    assert "**Reviewer Notes:**\n- @lead: check the isolation model\n**Next:**" in text
    assert text.endswith(
        "**Review Feedback Applied:**\n- ✅ Isolation tests added\n- 🔄 Docs for tenants\n"
        "**Next:**\n- [HIGH] Schema with row-level security\n"
    )
    assert detail["insights"]["patterns"] == ["Reviews: 1, median turnaround 2d 1h"]


async def test_a_forty_version_log_keeps_every_answer_bounded(root: Path, mode: str) -> None:
    clock, brain = clocked(root, datetime(2026, 1, 5, 9, 0))
    longest = 0
    async with Client(build_server(brain), mode=mode) as client:
        await ok(client, "open_worklog", {"name": "Forty", "title": "Session 1", "long_running": True})
        for v in range(1, 41):
            await ok(
                client,
                "update_worklog",
                {
                    "name": "Forty",
                    "progress": f"{v * 2}% | step {v} ✅ | " + "detail " * 30,
                    "decisions": [f"[Storage] Option {v} for the store: reason {v} " + "why " * 40],
                    "metrics": {f"Metric {k}": f"{100 + (v * 7 + k * 13) % 50}ms (target <140ms)" for k in range(12)},
                    "features": [f"Feature {v % 6}: active Item {v} ({v}%)", f"Feature {v % 6}: {min(v * 3, 99)}%"],
                    "lessons": [f"Lesson {v} → " + "because " * 20],
                    "next": [f"[HIGH] Task {v} " + "word " * 30],
                    "blocks": {"deferred": [f"Item {v} " + "later " * 20], "priority": [f"[HIGH] Item {v}"]},
                },
            )
            if v % 7 == 0:
                await ok(client, "record_blocker", {"name": "Forty", "blocker": f"Waiting on team {v}", "owner": "@a"})
                clock[0] = clock[0].replace(hour=15)
                await ok(client, "resolve_blocker", {"name": "Forty", "resolution": "done"})
            clock[0] = datetime.fromordinal(clock[0].toordinal() + 2).replace(hour=9)
            state = await ok(client, "open_worklog", {"name": "Forty", "title": f"Session {v + 1}"})
            longest = max(longest, len(state["brief"]))
        result = await client.call_tool("get_worklog", {"name": "Forty", "entries": 20})
        evolution = await ok(client, "get_worklog", {"name": "Forty", "evolution": "storage"})
    text = (root / "memory/worklogs/Forty-WorkLog.md").read_text(encoding="utf-8")
    assert state["version"] == "v41" and longest < 2_000
    assert [line for line in text.splitlines() if line.startswith("**Rollup:**")] == [
        f"**Rollup:** v{v - 4}-v{v}" for v in range(5, 41, 5)
    ]
    assert result.structured_content is not None
    assert len(json.dumps(result.structured_content, ensure_ascii=False)) < 20_000
    assert len(result.content[0].text) < 20_000  # type: ignore[union-attr]
    assert len(json.dumps(evolution, ensure_ascii=False)) < 20_000
    summary = result.structured_content["insights"]["evolution"][0]
    assert summary.startswith("Storage: … v") and summary.endswith("v40+: Option 40 for the store (current)")
    assert evolution["insights"]["evolution"][:3] == [
        "### Storage Evolution",
        "(32 earlier stages, from v1, not shown)",
        "",
    ]


async def test_an_answer_on_a_log_of_huge_fields_is_cut_to_the_bound(root: Path, mode: str) -> None:
    clock, brain = clocked(root, datetime(2026, 1, 5, 9, 0))
    long = "x" * 1_900
    async with Client(build_server(brain), mode=mode) as client:
        for v in range(6):
            await ok(client, "open_worklog", {"name": "Huge", "title": f"Session {v}"})
            await ok(
                client,
                "update_worklog",
                {
                    "name": "Huge",
                    **{k: f"{k} {long}" for k in ("now", "progress", "works", "fails", "tried", "dead_ends", "open")},
                    "solution": long,
                    **{k: [f"{k} {n} {long[:900]}" for n in range(5)] for k in ("files", "work", "decisions")},
                    "hypotheses": [f"Cause {v}-{n} {long[:900]} | Open | seen" for n in range(10)],
                    "metrics": {f"M{n}": f"{n}{'y' * 190}" for n in range(12)},
                    "lessons": [f"Lesson {v} → {long[:900]}"],
                    "blocks": {"reviewer_notes": [long[:900]], "deferred": [long[:900]], "priority": [long[:900]]},
                },
            )
            clock[0] = clock[0].replace(day=clock[0].day + 1)
        result = await client.call_tool("get_worklog", {"name": "Huge", "entries": 20})
    assert result.structured_content is not None and result.structured_content["entries"]
    assert len(json.dumps(result.structured_content, ensure_ascii=False)) < 20_000
