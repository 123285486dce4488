"""Errors an assistant can act on: no pydantic text or URLs, the argument named as sent,
the allowed values listed (levels and statuses in any case), and plain answers for an empty
name, a blocker that is not there, an episode URI with ``.md`` and a prompt missing its
argument."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from mcp.shared.exceptions import MCPError
from mcp.types import TextResourceContents

from tests.conftest import ClientFactory, snapshot
from tests.server.refusals import cases, refused
from tests.server.test_pattern_tools import error, ok

pytestmark = pytest.mark.anyio

BATCH = "Batch Loading Related Rows"
LOG = "Ledger-Export"
EPISODE = {"title": "t", "project": "p", "goal": "g", "what_happened": "w", "solution": "s"}
REFUSED = [
    (
        "upgrade_confidence",
        {"pattern": BATCH, "level": "SUPREME"},
        "'level' must be one of 'LOW', 'MEDIUM' or 'HIGH'; got 'SUPREME'. Fix the arguments and call again.",
    ),
    (
        "record_experience",
        EPISODE | {"title": 5, "new_patterns": [{"name": "x", "pattern": "p", "context": "c", "bogus": 1}]},
        "'title' must be text; got int 5. 'new_patterns[0].bogus' is not an argument here; remove it.",
    ),
    ("add_example", {}, "'pattern' is required. 'example' is required. Fix the arguments and call again."),
    ("recall", {"query": "x", "limit": "many"}, "'limit' must be a whole number; got str 'many'."),
    ("update_worklog", {"name": LOG, "now": "x" * 110_000}, "Argument 'now' is 110,000 bytes; the limit is 100,000."),
    ("get_pattern", {"pattern": "  "}, "pattern must not be empty: give a pattern's name, slug or the start"),
    ("add_example", {"pattern": "", "example": "e"}, "pattern must not be empty"),
    (
        "add_pattern",
        {"name": "N", "pattern": "p", "context": "c", "example": "e", "date": "2026-11-01"},
        "'date' is not an argument of add_pattern; it takes name, pattern, context, example, domain, why,",
    ),
]


@pytest.mark.parametrize(("tool", "args", "expected"), REFUSED, ids=cases(REFUSED))
async def test_a_refused_argument_is_named_as_sent_in_plain_words(
    connect: ClientFactory, root: Path, tool: str, args: dict[str, Any], expected: str
) -> None:
    message = await refused(connect, root, tool, args)
    assert message.startswith(expected)
    assert "http" not in message and "pydantic" not in message and "type=" not in message


async def test_levels_statuses_and_kinds_are_accepted_in_any_case(connect: ClientFactory) -> None:
    async with connect() as client:
        upper = await ok(client, "list_patterns", {"level": "HIGH"})
        lower = await ok(client, "list_patterns", {"level": "high"})
        found = await ok(client, "recall", {"query": "batch", "kinds": ["Pattern"]})
        state = await ok(client, "update_worklog", {"name": LOG, "status": "In_Progress", "reason": "unblocked"})
    assert lower == upper and lower["total"] > 0
    assert {h["kind"] for h in found["hits"]} == {"pattern"}
    assert state["status"] == "in_progress"


async def test_resolving_a_blocker_when_none_is_open_says_so(connect: ClientFactory, root: Path) -> None:
    async with connect() as client:
        await ok(client, "resolve_blocker", {"name": LOG, "resolution": "the bucket policy landed"})
        before = snapshot(root)
        message = await error(client, "resolve_blocker", {"name": LOG, "resolution": "again"})
    assert message == "This work log has no open blocker, so there is nothing to resolve; nothing was changed."
    assert snapshot(root) == before


async def test_an_episode_uri_works_with_or_without_md(connect: ClientFactory) -> None:
    uri = "memory://episodes/code/2026-10-07-frozen-clock-tests"
    async with connect() as client:
        plain = await client.read_resource(uri)
        with_md = await client.read_resource(uri + ".md")
    assert isinstance(plain.contents[0], TextResourceContents) and isinstance(with_md.contents[0], TextResourceContents)
    assert with_md.contents[0].text == plain.contents[0].text


async def test_a_prompt_without_its_argument_is_one_clear_error_and_one_log_line(
    connect: ClientFactory, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        async with connect() as client:
            with pytest.raises(MCPError) as caught:
                await client.get_prompt("recall", {})
    assert caught.value.message == "Prompt 'recall' needs the argument 'topic'."
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert [r.getMessage() for r in caplog.records if "topic" in r.getMessage()] == [
        "Prompt 'recall' called without topic"
    ]
