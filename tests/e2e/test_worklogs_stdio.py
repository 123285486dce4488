"""Work logs end to end: ``devlore serve`` as a subprocess, the official stdio client, two sessions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession

from tests.e2e.conftest import TIMEOUT, Serve

pytestmark = [pytest.mark.anyio, pytest.mark.e2e]

LOG = "memory/worklogs/Search-Revamp-WorkLog.md"


async def call(session: ClientSession, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await session.call_tool(tool, args)
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content


async def test_two_sessions_over_stdio_keep_v1_byte_identical_and_resume_with_a_brief(serve: Serve, root: Path) -> None:
    with anyio.fail_after(TIMEOUT):
        async with serve(root) as first:
            opened = await call(first, "open_worklog", {"name": "Search Revamp", "title": "Trigram spike"})
            await call(
                first,
                "update_worklog",
                {
                    "name": "Search Revamp",
                    "progress": "20% | Spike ✅",
                    "next": ["[HIGH] Build the nightly index", "[LOW] Tune ranking"],
                    "decisions": ["pg_trgm over Elasticsearch: one less service"],
                },
            )
            blocked = await call(
                first,
                "record_blocker",
                {
                    "name": "Search Revamp",
                    "blocker": "Replica disk quota",
                    "owner": "@dba-team",
                    "eta": "2 days",
                },
            )
        v1 = (root / LOG).read_text(encoding="utf-8")
        async with serve(root) as second:
            resumed = await call(second, "open_worklog", {"name": "search-revamp"})
            after_open = (root / LOG).read_text(encoding="utf-8")
            resolved = await call(second, "resolve_blocker", {"name": "Search Revamp", "resolution": "Quota raised"})
            done = await call(second, "update_worklog", {"name": "Search Revamp", "done": ["Build the nightly index"]})
            board = await call(second, "get_worklog", {})
    final = (root / LOG).read_text(encoding="utf-8")
    v1_entry = v1[v1.index("## v1 |") :]
    assert (opened["version"], blocked["status"]) == ("v1", "blocked")
    assert (resumed["version"], resumed["status"]) == ("v2", "blocked")
    assert "Do now: [HIGH] Build the nightly index" in resumed["brief"]
    assert "Blocker: Replica disk quota (owner @dba-team, ETA 2 days" in resumed["brief"]
    assert after_open[after_open.index("## v1 |") :].startswith(v1_entry)
    assert final[final.index("## v1 |") :].startswith(v1_entry)
    assert final.startswith("---\nversion: v2\nstatus: in_progress\n---\n")
    assert (resolved["status"], done["version"]) == ("in_progress", "v2")
    assert "**Prev:** v1: Trigram spike (blocked)\n" in final
    assert final.endswith("**Completed:**\n- ✅ Build the nightly index\n")
    assert {w["name"] for w in board["worklogs"]} == {"Search-Revamp", "Ledger-Export"}
