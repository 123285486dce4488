"""Drift is visible and work-log slips are caught: a hand edit that leaves a count, a level,
a footer or a work log's frontmatter contradicting the file is flagged by list_patterns, the
board, ``devlore patterns`` and ``devlore check`` (a warning, exit 0) until a write repairs
it; work-log calls that could not do all that was asked say so; a log name one letter away
from an existing one needs ``create: true``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from devlore.service.near_names import one_edit_apart
from tests.conftest import CONTENT, ClientFactory, snapshot
from tests.server.test_pattern_tools import error, ok, text

pytestmark = pytest.mark.anyio

DIAGRAM = "One Diagram per Thread"  # 2 examples in content-patterns.md, line 49: Based on
LOG = "memory/worklogs/Ledger-Export-WorkLog.md"


def devlore(*args: object) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "devlore", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def hand_edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8", newline="")


async def test_a_based_on_that_disagrees_is_flagged_everywhere_until_a_write_repairs_it(
    connect: ClientFactory, root: Path
) -> None:
    hand_edit(root, CONTENT, "**Based on:** 2 examples", "**Based on:** 3 examples")
    before = snapshot(root)
    async with connect() as client:
        listed = await client.call_tool("list_patterns", {"domain": "content"})
        patterns = devlore("patterns", "--root", root, "--domain", "content")
        checked = devlore("check", "--root", root)
        assert snapshot(root) == before  # reading and checking change nothing
        await ok(client, "add_example", {"pattern": DIAGRAM, "example": "the queue thread (2026-11-20)"})
        repaired = await ok(client, "list_patterns", {"domain": "content"})
    flagged = {p["name"]: p["drift"] for p in listed.structured_content["patterns"]}  # type: ignore[index]
    assert flagged[DIAGRAM] == "Based on says 3, but 2 examples are listed"
    assert f"{DIAGRAM} (MEDIUM, drift: Based on says 3, but 2 examples are listed)" in text(listed)
    assert patterns.stdout.splitlines()[0] == "LEVEL  EX     DOMAIN   NAME"
    assert f"{DIAGRAM} [drift: Based on says 3, but 2 examples are listed]" in patterns.stdout
    assert checked.returncode == 0
    assert f"{CONTENT}:49: warning: '{DIAGRAM}': Based on says 3, but 2 examples are listed\n" in checked.stdout
    assert {p["name"]: p["drift"] for p in repaired["patterns"]}[DIAGRAM] is None


async def test_a_footer_that_disagrees_with_the_entries_is_flagged(connect: ClientFactory, root: Path) -> None:
    async with connect() as client:
        listed = await ok(client, "list_patterns", {"domain": "dev"})
    assert {p["drift"] for p in listed["patterns"]} >= {"the file's footer counts are stale"}


def test_stats_groups_stale_patterns_by_domain_and_counts_in_words(root: Path) -> None:
    done = devlore("stats", "--root", root)
    lines = done.stdout.splitlines()
    assert done.returncode == 0
    assert lines[1] == "14 experiences, 2 workflows, 1 work log"
    stale = [line for line in lines if line.startswith("Stale in ")]
    assert len(stale) == len({line.split(" (")[0] for line in stale})  # one line per domain


SLIPS = [
    ("version: v3", "version: 3", "frontmatter version '3' is not vN (e.g. v3)", 2),
    ("version: v3", "version: v5", "frontmatter says v5 but the last entry is v3", 2),
    ("status: blocked", "status: paused", "status 'paused' is not one of in_progress", 3),
    ("## v2 | 2026-11-05 16:40 |", "## v2 | 2026-02-30 16:40 |", "entry v2 has an impossible date or time", 31),
    ("## v2 | 2026-11-05 16:40 |", "## v2 | 2026-11-05 25:40 |", "entry v2 has an impossible date or time", 31),
]


@pytest.mark.parametrize(("old", "new", "said", "line"), SLIPS)
async def test_check_and_the_board_catch_a_work_log_slip(
    connect: ClientFactory, root: Path, old: str, new: str, said: str, line: int
) -> None:
    hand_edit(root, LOG, old, new)
    before = snapshot(root)
    checked = devlore("check", root)
    async with connect() as client:
        board = await ok(client, "get_worklog", {})
    assert checked.returncode == 0
    assert f"{LOG}:{line}: warning: {said}" in checked.stdout
    assert any(p.startswith(f"{LOG}:{line}: warning: {said}") for p in board["problems"])
    assert snapshot(root) == before


async def test_done_outside_next_and_blocks_matching_nothing_are_noted_and_the_rest_is_done(
    connect: ClientFactory,
) -> None:
    async with connect() as client:
        done = await client.call_tool("update_worklog", {"name": "Ledger-Export", "done": ["Email template", "Polish"]})
        blocked = await ok(
            client, "record_blocker", {"name": "Ledger-Export", "blocker": "legal review", "blocks": ["Nothing like"]}
        )
        log = await ok(client, "get_worklog", {"name": "Ledger-Export", "entries": 1})
    assert done.structured_content is not None
    assert done.structured_content["note"] == "Not in Next, recorded as completed anyway: Polish."
    assert text(done).endswith("\nNote: Not in Next, recorded as completed anyway: Polish.")
    assert blocked["note"] == "No Next item starts with 'Nothing like'; nothing was tagged [BLOCKED] for it."
    completed = log["entries"][-1]["fields"]["completed"]
    assert "Email template for the link" in completed and "Polish" in completed


async def test_open_worklog_one_letter_from_an_existing_log_asks_for_create(connect: ClientFactory, root: Path) -> None:
    before = snapshot(root)
    async with connect() as client:
        message = await error(client, "open_worklog", {"name": "Ledger Exports"})
        assert snapshot(root) == before
        made = await ok(client, "open_worklog", {"name": "Ledger Exports", "create": True})
        other = await ok(client, "open_worklog", {"name": "Payroll Import"})  # nothing near it: no question
    assert message == (
        "No work log named 'Ledger-Exports', but 'Ledger-Export' exists (one letter apart); nothing was written. "
        "Call open_worklog with name 'Ledger-Export' to continue it, or with create: true to start 'Ledger-Exports'."
    )
    assert (made["path"], other["path"]) == (
        "memory/worklogs/Ledger-Exports-WorkLog.md",
        "memory/worklogs/Payroll-Import-WorkLog.md",
    )


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("Search Revamps", "Search-Revamp", True),
        ("search_revamp", "Search-Revamp", False),  # the same name, spelled another way
        ("Search-Revamq", "Search-Revamp", True),
        ("Bench-Log-1", "Bench-Log-0", False),  # numbered logs are distinct
        ("Bench-Log-10", "Bench-Log-1", False),
        ("Auth", "Payments", False),
    ],
)
def test_one_letter_apart_means_a_letter_not_a_digit_or_a_separator(a: str, b: str, near: bool) -> None:
    assert one_edit_apart(a, b) is near
