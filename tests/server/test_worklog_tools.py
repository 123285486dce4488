"""Work logs through the MCP client, in both protocol eras, with a controllable clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from devlore.server import build_server
from devlore.service.brain import Brain
from tests.conftest import snapshot
from tests.server.test_pattern_tools import error, ok

pytestmark = pytest.mark.anyio

LOG = "memory/worklogs/Payment-Integration-WorkLog.md"


class Clock:
    def __init__(self) -> None:
        self.at = datetime(2026, 11, 20, 9, 30)

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **kwargs: float) -> None:
        self.at += timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def session(root: Path, clock: Clock, mode: str) -> Any:
    def factory() -> AbstractAsyncContextManager[Client]:
        @asynccontextmanager
        async def run() -> AsyncIterator[Client]:
            async with Client(build_server(Brain(root, now=clock)), mode=mode) as client:
                yield client

        return run()

    return factory


async def first_session(client: Client, clock: Clock) -> None:
    await ok(client, "open_worklog", {"name": "Payment Integration", "title": "Plan Stripe checkout"})
    clock.advance(hours=1)
    await ok(
        client,
        "update_worklog",
        {
            "name": "Payment-Integration",
            "now": "Checkout endpoint and webhook skeleton",
            "progress": "40% | Endpoint ✅ | Webhooks ⏳",
            "files": ["`src/payments/checkout.py` (session creation)"],
            "decisions": ["Stripe Checkout over Elements: less PCI scope"],
            "next": ["[HIGH] Verify webhook signatures", "[MED] Refund flow", "[LOW] Receipt emails"],
            "hypotheses": ["Duplicate events come from retries | Open | two deliveries in staging logs"],
        },
    )


async def test_the_first_session_is_written_in_the_spec_shape(session: Any, clock: Clock, root: Path) -> None:
    async with session() as client:
        await first_session(client, clock)
    assert (root / LOG).read_text(encoding="utf-8") == (
        "---\nversion: v1\nstatus: in_progress\n---\n\n"
        "# Payment Integration Work Log\n\n"
        "## v1 | 2026-11-20 09:30 | Plan Stripe checkout\n"
        "**Prev:** Starting new work\n"
        "**Now:** Checkout endpoint and webhook skeleton\n"
        "**Progress:** 40% | Endpoint ✅ | Webhooks ⏳\n"
        "**Files:**\n- `src/payments/checkout.py` (session creation)\n"
        "**Decisions:**\n- Stripe Checkout over Elements: less PCI scope\n"
        "**Hypotheses:**\nH1: Duplicate events come from retries | Open | two deliveries in staging logs\n"
        "**Next:**\n- [HIGH] Verify webhook signatures\n- [MED] Refund flow\n- [LOW] Receipt emails\n"
    )


async def test_a_second_session_carries_the_work_forward_and_never_touches_v1(
    session: Any, clock: Clock, root: Path
) -> None:
    async with session() as client:
        await first_session(client, clock)
        v1 = (root / LOG).read_bytes()
        clock.advance(days=1)
        opened = await ok(client, "open_worklog", {"name": "payment-integration", "title": "Webhooks"})
        assert (root / LOG).read_bytes().startswith(v1.replace(b"version: v1", b"version: v2"))
        for update in (
            {"progress": "60% | Endpoint ✅ | Webhooks 🔄", "done": ["Verify webhook signatures"]},
            {"work": ["+: src/payments/webhooks.py:1-80 signature check"], "works": "Signature check"},
            {"hypotheses": ["H1 | Confirmed | idempotency key was missing"], "dead_ends": "Raising the timeout"},
            {"status": "needs_review", "reason": "webhooks ready for review"},
        ):
            await ok(client, "update_worklog", {"name": "Payment Integration", **update})
            assert (
                (root / LOG)
                .read_bytes()
                .startswith(
                    v1.replace(b"version: v1", b"version: v2").replace(
                        b"status: in_progress",
                        b"status: needs_review" if "status" in update else b"status: in_progress",
                    )
                )
            )
    text = (root / LOG).read_text(encoding="utf-8")
    assert opened["version"] == "v2" and opened["status"] == "in_progress"
    assert opened["brief"].splitlines()[:3] == [
        "Payment-Integration v2 (in_progress): Webhooks",
        "Progress: 40% | Endpoint ✅ | Webhooks ⏳",
        "Do now: [HIGH] Verify webhook signatures",
    ]
    assert text.split("## v2")[1] == (
        " | 2026-11-21 10:30 | Webhooks [NEEDS_REVIEW]\n"
        "**Prev:** v1: Checkout endpoint and webhook skeleton (in_progress)\n"
        "**Now:** Webhooks\n"
        "**Status:** needs_review (webhooks ready for review)\n"
        "**Progress:** 60% | Endpoint ✅ | Webhooks 🔄\n"
        "**Work:**\n+: src/payments/webhooks.py:1-80 signature check\n"
        "**Works:** Signature check\n"
        "**Hypotheses:**\nH1: Duplicate events come from retries | Confirmed | idempotency key was missing\n"
        "**Dead ends:** Raising the timeout\n"
        "**Review Checklist:**\n- [ ] Tests pass\n- [ ] Code quality and style\n- [ ] Documentation updated\n"
        "**Next:**\n- [MED] Refund flow\n- [LOW] Receipt emails\n"
        "**Completed:**\n- ✅ Verify webhook signatures\n"
    )
    assert text.startswith("---\nversion: v2\nstatus: needs_review\n---\n")


async def test_a_blocker_flips_the_status_and_its_resolution_flips_it_back(
    session: Any, clock: Clock, root: Path
) -> None:
    async with session() as client:
        await first_session(client, clock)
        clock.advance(hours=2)
        blocked = await ok(
            client,
            "record_blocker",
            {
                "name": "Payment Integration",
                "blocker": "Production Stripe keys missing",
                "owner": "@ops-team",
                "eta": "24 hours",
                "workaround": "Test keys in staging",
                "blocks": ["Verify webhook"],
            },
        )
        during = (root / LOG).read_text(encoding="utf-8")
        board = await ok(client, "get_worklog", {})
        clock.advance(hours=20, minutes=15)
        resolved = await ok(
            client, "resolve_blocker", {"name": "Payment Integration", "resolution": "Keys received and configured"}
        )
        stats = await ok(client, "memory_stats", {})
        detail = await ok(client, "get_worklog", {"name": "Payment Integration"})
    assert (blocked["status"], resolved["status"]) == ("blocked", "in_progress")
    assert "## v1 | 2026-11-20 09:30 | Plan Stripe checkout [BLOCKED]\n" in during
    assert (
        "**Blockers:** Production Stripe keys missing\n- Owner: @ops-team\n- Requested: 2026-11-20 12:30\n"
        "- ETA: 24 hours\n- Workaround: Test keys in staging\n"
    ) in during
    assert "- [HIGH] [BLOCKED] Verify webhook signatures\n" in during
    assert [w for w in board["worklogs"] if w["name"] == "Payment-Integration"] == [
        {
            "name": "Payment-Integration",
            "version": "v1",
            "status": "blocked",
            "progress": "40% | Endpoint ✅ | Webhooks ⏳",
            "top_item": "Verify webhook signatures",
            "open_blockers": ["Production Stripe keys missing"],
            "depends_on": [],
            "features": [],
        }
    ]
    after = (root / LOG).read_text(encoding="utf-8")
    assert "## v1 | 2026-11-20 09:30 | Plan Stripe checkout\n" in after
    assert "- Resolved: 2026-11-21 08:45\n" in after
    assert (
        "**Blocker Resolution:**\n- Production Stripe keys missing: Keys received and configured (blocked 20h 15m)\n"
        in after
    )
    assert "- [HIGH] Verify webhook signatures\n" in after
    assert stats["open_blockers"] == 1  # the fixture's Ledger-Export log is still blocked
    assert detail["insights"]["blockers"] == [
        "Production Stripe keys missing (owner @ops-team, since 2026-11-20 12:30, resolved 2026-11-21 08:45, "
        "blocked 20h 15m)"
    ]


async def test_a_status_outside_the_four_is_refused(session: Any, clock: Clock, root: Path) -> None:
    async with session() as client:
        await first_session(client, clock)
        before = snapshot(root)
        message = await error(client, "update_worklog", {"name": "Payment Integration", "status": "paused"})
    assert "'status' must be one of 'in_progress', 'blocked', 'needs_review' or 'completed'" in message
    assert snapshot(root) == before


async def test_the_brief_stays_short_however_long_the_history(session: Any, clock: Clock, root: Path) -> None:
    async def grow(name: str, versions: int) -> str:
        brief = ""
        for v in range(versions):
            opened = await ok(client, "open_worklog", {"name": name, "title": f"Session {v + 1}"})
            brief = opened["brief"]
            await ok(
                client,
                "update_worklog",
                {
                    "name": name,
                    "progress": f"{v}% | step {v} ✅",
                    "decisions": [f"choice {v}: because {v}"],
                    "next": [f"[MED] task {v}", "[HIGH] Ship the importer"],
                    "hypotheses": [f"cause {v} | Open | seen in v{v + 1}"],
                },
            )
            clock.advance(hours=3)
        return brief

    async with session() as client:
        short = await grow("Short-Log", 3)
        long = await grow("Long-Log", 60)
        detail = await ok(client, "get_worklog", {"name": "Long-Log", "entries": 2})
    assert len(long) < 2000
    assert len(long) <= 1.5 * len(short)
    assert "Warning: 'Ship the importer' has been carried for 60 versions" in long
    assert [e["version"] for e in detail["entries"]] == ["v59", "v60"]
    assert detail["insights"]["carried"][0] == "Ship the importer (60 versions)"
    assert len(detail["insights"]["carried"]) == 10


@pytest.mark.parametrize("bad", ["../escape", "a/b", "/etc/passwd", "..", "~root", ""])
async def test_path_like_names_are_refused(session: Any, root: Path, bad: str) -> None:
    before = snapshot(root)
    async with session() as client:
        message = await error(client, "open_worklog", {"name": bad})
    assert message.startswith(f"Invalid work-log name {bad!r}")
    assert snapshot(root) == before


async def test_names_that_differ_in_spaces_or_dashes_are_one_log(session: Any, clock: Clock, root: Path) -> None:
    async with session() as client:
        first = await ok(client, "open_worklog", {"name": "Auth Refactor"})
        second = await ok(client, "open_worklog", {"name": "Auth-Refactor"})
        third = await ok(client, "get_worklog", {"name": "Auth-Refactor-WorkLog.md"})
    assert first["path"] == second["path"] == third["path"] == "memory/worklogs/Auth-Refactor-WorkLog.md"
    assert (first["version"], second["version"], third["version"]) == ("v1", "v2", "v2")
    assert sorted(p.name for p in (root / "memory/worklogs").iterdir()) == [
        "Auth-Refactor-WorkLog.md",
        "Ledger-Export-WorkLog.md",
    ]


async def test_dependencies_show_the_other_logs_status(session: Any, clock: Clock) -> None:
    async with session() as client:
        await ok(client, "open_worklog", {"name": "Auth-Refactor", "title": "OAuth"})
        await ok(client, "open_worklog", {"name": "Checkout", "title": "Stripe"})
        await ok(
            client,
            "update_worklog",
            {
                "name": "Checkout",
                "dependencies": ["Needs Auth-Refactor (v1): OAuth flow; Status: in progress"],
                "next": ["[HIGH] Wire checkout to OAuth"],
            },
        )
        opened = await ok(client, "open_worklog", {"name": "Checkout"})
        board = await ok(client, "get_worklog", {})
    assert "Depends on Auth-Refactor: OAuth flow; it is now v1 in_progress" in opened["brief"]
    assert {w["name"]: w["depends_on"] for w in board["worklogs"]} == {
        "Auth-Refactor": [],
        "Checkout": ["Auth-Refactor"],
        "Ledger-Export": ["Job-Queue"],
    }


async def test_an_unknown_log_says_how_to_start_one(session: Any) -> None:
    async with session() as client:
        message = await error(client, "update_worklog", {"name": "Nope", "now": "x"})
    assert message == "No work log named 'Nope'. Known logs: Ledger-Export. Create it with open_worklog."


async def test_the_resume_work_prompt_and_the_log_resource(session: Any, clock: Clock, root: Path) -> None:
    async with session() as client:
        await first_session(client, clock)
        prompt = await client.get_prompt("resume_work", {"name": "Payment-Integration"})
        read = await client.read_resource("memory://worklogs/Payment-Integration")
        listed = {str(r.uri) for r in (await client.list_resources()).resources}
    text = prompt.messages[0].content.text  # type: ignore[union-attr]
    assert "open_worklog" in text and "exactly one HIGH item" in text
    assert read.contents[0].text == (root / LOG).read_text(encoding="utf-8")  # type: ignore[union-attr]
    assert "memory://worklogs/Payment-Integration" in listed


async def test_worklog_tools_alone_with_tools_worklogs(root: Path, mode: str) -> None:
    async with Client(build_server(Brain(root), tools="worklogs"), mode=mode) as client:
        names = [t.name for t in (await client.list_tools()).tools]
    assert names == ["open_worklog", "get_worklog", "update_worklog", "record_blocker", "resolve_blocker"]
