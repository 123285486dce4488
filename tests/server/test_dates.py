"""Dates make sense: a day more than one day in the future is refused, and a back-filled
example never moves Last reinforced backwards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ClientFactory
from tests.server.refusals import cases, refused
from tests.server.test_pattern_tools import ok

pytestmark = pytest.mark.anyio

BATCH = "Batch Loading Related Rows"
NEW = {"name": "Date Checks", "pattern": "p", "context": "c"}
EPISODE = {"title": "Later", "project": "p", "goal": "g", "what_happened": "w", "solution": "s"}
FUTURE = [  # the brain's today is 2026-11-21
    ("add_example", {"pattern": BATCH, "example": "x", "date": "2026-11-23"}, "Invalid date '2026-11-23'"),
    ("add_example", {"pattern": BATCH, "example": "ran it (2027-01-05)"}, "Invalid date in the example '2027-01-05'"),
    ("add_pattern", NEW | {"example": "e (2030-01-01)"}, "Invalid date in the example '2030-01-01'"),
    ("record_experience", EPISODE | {"date": "2026-12-01"}, "Invalid date '2026-12-01'"),
]


@pytest.mark.parametrize(("tool", "args", "expected"), FUTURE, ids=cases(FUTURE))
async def test_a_date_more_than_a_day_ahead_is_refused_and_changes_nothing(
    connect: ClientFactory, root: Path, tool: str, args: dict[str, Any], expected: str
) -> None:
    message = await refused(connect, root, tool, args)
    assert message.startswith(expected)
    assert "it is in the future (today is 2026-11-21). Give the day it happened, or omit it for today." in message


async def test_tomorrow_is_accepted_for_a_caller_in_another_time_zone(connect: ClientFactory) -> None:
    async with connect() as client:
        await ok(client, "add_example", {"pattern": BATCH, "example": "late night", "date": "2026-11-22"})
        detail = await ok(client, "get_pattern", {"pattern": BATCH})
    assert detail["last_reinforced"] == "2026-11-22"


@pytest.mark.parametrize("pattern", [BATCH, "Read-Your-Writes After Replica Lag"])  # formats A and B
async def test_a_back_filled_example_keeps_the_latest_last_reinforced(connect: ClientFactory, pattern: str) -> None:
    async with connect() as client:
        before = await ok(client, "get_pattern", {"pattern": pattern})
        await ok(client, "add_example", {"pattern": pattern, "example": "an old case", "date": "2024-01-02"})
        after = await ok(client, "get_pattern", {"pattern": pattern})
    assert before["last_reinforced"] > "2024-01-02"
    assert after["last_reinforced"] == before["last_reinforced"]
    assert len(after["examples"]) == len(before["examples"]) + 1
