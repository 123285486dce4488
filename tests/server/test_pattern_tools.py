"""The pattern tools through the real MCP client, in both protocol eras, on real files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.types import CallToolResult, TextContent

from devlore.tools import NAMES, TOOLSETS
from tests.conftest import CONTENT, DEV, PM, ClientFactory, snapshot

pytestmark = pytest.mark.anyio

PATTERN_TOOLS = list(TOOLSETS["patterns"])


def text(result: CallToolResult) -> str:
    block = result.content[0]
    assert isinstance(block, TextContent)
    return block.text


async def ok(client: Client, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(tool, args)
    assert not result.is_error, text(result)
    assert result.structured_content is not None
    return result.structured_content


async def error(client: Client, tool: str, args: dict[str, Any]) -> str:
    result = await client.call_tool(tool, args)
    assert result.is_error, result.structured_content
    prefix = f"Error executing tool {tool}: "
    message = text(result)
    assert message.startswith(prefix)
    return message.removeprefix(prefix)


async def test_every_pattern_tool_is_listed_with_annotations_and_an_output_schema(connect: ClientFactory) -> None:
    async with connect("patterns") as client:
        tools = (await client.list_tools()).tools
    assert [t.name for t in tools] == PATTERN_TOOLS
    for tool in tools:
        assert tool.description and len(tool.description) > 40, tool.name
        assert tool.annotations is not None and tool.annotations.read_only_hint is not None, tool.name
        assert tool.output_schema is not None and tool.output_schema["type"] == "object", tool.name
    read_only = {t.name for t in tools if t.annotations and t.annotations.read_only_hint}
    assert read_only == {"recall", "list_patterns", "get_pattern", "memory_stats"}


async def test_clients_see_the_tools_in_the_order_they_always_have(connect: ClientFactory) -> None:
    # Written out once here, so that reordering the declarations is a visible decision.
    expected = [
        *("recall", "list_patterns", "get_pattern", "add_pattern", "add_example", "upgrade_confidence"),
        "revise_pattern",
        *("record_experience", "promote_to_workflow", "memory_stats"),
        *("open_worklog", "get_worklog", "update_worklog", "record_blocker", "resolve_blocker"),
    ]
    async with connect() as client:
        tools = (await client.list_tools()).tools
    assert [t.name for t in tools] == expected == list(NAMES)
    assert {"patterns": tuple(expected[:10]), "worklogs": tuple(expected[10:]), "all": tuple(expected)} == TOOLSETS


async def test_list_patterns_reports_written_level_evidence_and_staleness(connect: ClientFactory) -> None:
    async with connect() as client:
        listed = await ok(client, "list_patterns", {"domain": "dev"})
    rows = [(p["name"], p["confidence"], p["evidence_level"], p["examples"], p["stale"]) for p in listed["patterns"]]
    assert rows == [
        ("Cache Keys Carry a Schema Version", "HIGH", "HIGH", 6, False),
        ("Expand-Contract Database Migrations", "HIGH", "HIGH", 7, False),
        ("Batch Loading Related Rows", "MEDIUM", "MEDIUM", 4, False),
        ("Retry with Jittered Exponential Backoff", "HIGH", "MEDIUM", 3, False),
        ("Read-Your-Writes After Replica Lag", "LOW", "LOW", 1, True),
        ("Feature Flags Default Off in Code", "LOW", "LOW", 1, False),
        ("Idempotency Keys on Webhook Handlers", "MEDIUM", "MEDIUM", 3, True),
        ("Inject the Clock Instead of Patching Time", "MEDIUM", "MEDIUM", 2, False),
        ("Redact Secrets in the Log Formatter", "MEDIUM", "MEDIUM", 3, False),
        ("Smoke Test Each Deploy Stage", "MEDIUM", "MEDIUM", 2, False),
    ]
    assert listed["total"] == 10


async def test_list_patterns_filters_by_level_staleness_and_drift(connect: ClientFactory) -> None:
    async with connect() as client:
        high = await ok(client, "list_patterns", {"level": "HIGH"})
        stale = await ok(client, "list_patterns", {"stale_days": 90})
        drift = await ok(client, "list_patterns", {"mismatched": True})
    assert {p["name"] for p in high["patterns"]} == {
        "Cache Keys Carry a Schema Version",
        "Expand-Contract Database Migrations",
        "Retry with Jittered Exponential Backoff",
        "Kill Criteria in Every Experiment Brief",
        "Lead with the Failure, Then the Fix",
    }
    assert [p["name"] for p in stale["patterns"]] == [
        "Read-Your-Writes After Replica Lag",
        "Idempotency Keys on Webhook Handlers",
    ]
    assert [p["name"] for p in drift["patterns"]] == ["Retry with Jittered Exponential Backoff"]


async def test_reading_tools_change_no_byte(connect: ClientFactory, root: Path) -> None:
    before = snapshot(root)
    async with connect() as client:
        listed = await ok(client, "list_patterns", {})
        for p in listed["patterns"]:
            await ok(client, "get_pattern", {"pattern": p["name"], "domain": p["domain"]})
        await ok(client, "recall", {"query": "cache schema version"})
        await ok(client, "memory_stats", {})
    assert snapshot(root) == before


async def test_get_pattern_accepts_name_slug_or_prefix(connect: ClientFactory, root: Path) -> None:
    async with connect() as client:
        by_name = await ok(client, "get_pattern", {"pattern": "Smoke Test Each Deploy Stage"})
        by_slug = await ok(client, "get_pattern", {"pattern": "smoke-test-each-deploy-stage"})
        by_prefix = await ok(client, "get_pattern", {"pattern": "smoke test"})
    assert by_name == by_slug == by_prefix
    assert by_name["format"] == "B"
    assert by_name["examples"][0].startswith("Harbor")
    assert by_name["markdown"].startswith("## Smoke Test Each Deploy Stage\n")
    assert by_name["markdown"] in (root / DEV).read_text(encoding="utf-8")


async def test_an_ambiguous_prefix_lists_the_candidates(connect: ClientFactory) -> None:
    async with connect() as client:
        message = await error(client, "get_pattern", {"pattern": "re"})
    assert message == (
        "'re' matches 3 patterns: 'Retry with Jittered Exponential Backoff' (dev), "
        "'Read-Your-Writes After Replica Lag' (dev), 'Redact Secrets in the Log Formatter' (dev). "
        "Give the full name, or pass domain to choose the file."
    )


async def test_an_unknown_name_suggests_the_closest_names(connect: ClientFactory) -> None:
    async with connect() as client:
        message = await error(client, "add_example", {"pattern": "Cache keys carry schema versoin", "example": "x"})
    assert message == (
        "No pattern named 'Cache keys carry schema versoin'; closest: 'Cache Keys Carry a Schema Version'. "
        "Call list_patterns to see every name."
    )


async def test_add_example_to_a_four_example_pattern_makes_it_high(connect: ClientFactory, root: Path) -> None:
    async with connect() as client:
        change = await ok(
            client,
            "add_example",
            {"pattern": "batch loading", "example": "Billing - statement export (2026-11-20) - 3 s → 0.4 s"},
        )
        after = await ok(client, "get_pattern", {"pattern": "batch loading"})
    assert change == {
        "name": "Batch Loading Related Rows",
        "path": DEV,
        "examples": 5,
        "confidence_before": "MEDIUM",
        "confidence_after": "HIGH",
        "unchanged": False,
    }
    assert after["confidence"] == after["evidence_level"] == "HIGH"
    assert after["last_reinforced"] == "2026-11-20"
    assert after["examples"][-1] == "Billing - statement export (2026-11-20) - 3 s → 0.4 s"


async def test_upgrading_beyond_the_evidence_is_refused_and_changes_nothing(connect: ClientFactory, root: Path) -> None:
    before = snapshot(root)
    async with connect() as client:
        message = await error(client, "upgrade_confidence", {"pattern": "Feature Flags", "level": "HIGH"})
        lower = await error(client, "upgrade_confidence", {"pattern": "Cache Keys", "level": "LOW"})
    assert message == (
        "'Feature Flags Default Off in Code' has 1 example; HIGH needs 5, so 4 more are missing. "
        "Nothing was changed: add examples with add_example as the pattern proves itself again."
    )
    assert lower.startswith("'Cache Keys Carry a Schema Version' has 6 examples, which is HIGH evidence")
    assert snapshot(root) == before


async def test_re_rating_repairs_a_drifted_level(connect: ClientFactory) -> None:
    async with connect() as client:
        change = await ok(client, "upgrade_confidence", {"pattern": "retry with jittered"})
        again = await ok(client, "upgrade_confidence", {"pattern": "retry with jittered"})
    assert (change["confidence_before"], change["confidence_after"], change["examples"]) == ("HIGH", "MEDIUM", 3)
    assert (again["confidence_before"], again["confidence_after"]) == ("MEDIUM", "MEDIUM")


async def test_add_pattern_creates_a_low_pattern_and_refuses_a_duplicate(connect: ClientFactory) -> None:
    args = {
        "name": "Pin Tool Versions in CI",
        "pattern": "Pin linters and formatters to exact versions.",
        "context": "When CI turns red after an upstream release.",
        "example": "devlore - ruff bump (2026-11-21) - green again",
    }
    async with connect() as client:
        created = await ok(client, "add_pattern", args)
        duplicate = await error(client, "add_pattern", {**args, "name": "pin tool versions in ci"})
        found = await ok(client, "get_pattern", {"pattern": "pin-tool-versions-in-ci"})
    assert created == {
        "name": "Pin Tool Versions in CI",
        "slug": "pin-tool-versions-in-ci",
        "path": DEV,
        "confidence": "LOW",
    }
    assert duplicate == (
        f"A pattern named 'Pin Tool Versions in CI' already exists in {DEV}; "
        "reinforce it with add_example instead of adding it again."
    )
    assert (found["confidence"], found["examples"]) == ("LOW", ["devlore - ruff bump (2026-11-21) - green again"])


BAD_CALLS: list[tuple[str, dict[str, Any], str]] = [
    (
        "add_example",
        {"pattern": "../../etc/passwd", "example": "x"},
        "No pattern named '../../etc/passwd'. Call list_patterns to see every name.",
    ),
    (
        "add_example",
        {"pattern": "Batch Loading Related Rows", "example": "x", "domain": "../secrets"},
        "Invalid domain '../secrets'",
    ),
    (
        "add_pattern",
        {"name": "X", "pattern": "p", "context": "c", "example": "e", "domain": "/etc/passwd"},
        "Invalid domain '/etc/passwd'",
    ),
    (
        "add_example",
        {"pattern": "Batch Loading Related Rows", "example": "x", "date": "2026-13-45"},
        "Invalid date '2026-13-45': no such day. Use YYYY-MM-DD.",
    ),
    (
        "add_example",
        {"pattern": "Batch Loading Related Rows", "example": "x", "date": "yesterday"},
        "Invalid date 'yesterday': use YYYY-MM-DD",
    ),
    (
        "add_example",
        {"pattern": "Batch Loading Related Rows", "example": "two\nlines"},
        "'example' must be a single line",
    ),
    (
        "add_example",
        {"pattern": "Batch Loading Related Rows", "example": "x", "source_experience": "../../outside.md"},
        "Path '../../outside.md' leaves the brain root",
    ),
    (
        "add_example",
        {"pattern": "Batch Loading Related Rows", "example": "y" * 200_000},
        "Argument 'example' is 200,000 bytes; the limit is 100,000.",
    ),
    (
        "add_pattern",
        {"name": "## Sneaky", "pattern": "p", "context": "c", "example": "e"},
        "'name' '## Sneaky' must not start with '#'; give the name without it.",
    ),
    (
        "add_pattern",
        {"name": "Fine Name", "pattern": "p\n## Injected Heading\n", "context": "c", "example": "e"},
        "'pattern' has the line '## Injected Heading', which would change the file's structure",
    ),
    (
        "add_pattern",
        {"name": "Fine Name", "pattern": "p", "context": "```python\nx = 1\n", "example": "e"},
        "'context' opens a code fence (```) it never closes",
    ),
    (
        "add_pattern",
        {"name": "Fine Name", "pattern": "p", "context": "c\n**Examples:**\n1. fake", "example": "e"},
        "'context' has the line '**Examples:**', which would change the file's structure",
    ),
    (
        "upgrade_confidence",
        {"pattern": "Batch Loading Related Rows", "level": "SUPREME"},
        "'level' must be one of 'LOW', 'MEDIUM' or 'HIGH'; got 'SUPREME'.",
    ),
    ("recall", {"query": "the of and"}, "recall needs a query with at least one word"),
    (
        "promote_to_workflow",
        {"pattern": "Batch Loading Related Rows"},
        "'Batch Loading Related Rows' has 4 examples (MEDIUM evidence); only HIGH patterns (5+ examples) become "
        "workflows, so 1 more is missing.",
    ),
]


@pytest.mark.parametrize(
    ("tool", "args", "expected"), BAD_CALLS, ids=[f"{t}-{i}" for i, (t, _, _) in enumerate(BAD_CALLS)]
)
async def test_bad_input_is_a_helpful_tool_error_that_changes_nothing(
    connect: ClientFactory, root: Path, tool: str, args: dict[str, Any], expected: str
) -> None:
    before = snapshot(root)
    async with connect() as client:
        message = await error(client, tool, args)
        still = await ok(client, "list_patterns", {"domain": "pm"})
    assert expected in message
    assert snapshot(root) == before
    assert still["total"] == 4


@pytest.mark.breaks_brain
async def test_an_unparsable_file_is_reported_and_the_rest_keeps_working(connect: ClientFactory, root: Path) -> None:
    broken = (root / PM).read_bytes().replace(b"Kill Criteria", b"Kill \xff Criteria", 1)
    (root / PM).write_bytes(broken)
    line = broken[: broken.index(b"\xff")].count(b"\n") + 1
    async with connect() as client:
        listed = await ok(client, "list_patterns", {})
        stats = await ok(client, "memory_stats", {})
        missing = await error(client, "add_example", {"pattern": "Kill Criteria", "example": "x"})
    assert {p["domain"] for p in listed["patterns"]} == {"dev", "content"}
    assert stats["problems"] == [{"path": PM, "line": line, "reason": "not valid UTF-8 text"}]
    assert f"Note: {PM} could not be read (not valid UTF-8 text; line {line})." in missing
    assert (root / PM).read_bytes() == broken


async def test_a_symlink_leaving_the_root_is_never_read_or_written(
    connect: ClientFactory, root: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside-patterns.md"
    outside.write_bytes((root / CONTENT).read_bytes())
    (root / "memory/semantic/patterns/escape-patterns.md").symlink_to(outside)
    before = outside.read_bytes()
    async with connect() as client:
        listed = await ok(client, "list_patterns", {})
        message = await error(
            client, "add_pattern", {"name": "Z", "pattern": "p", "context": "c", "example": "e", "domain": "escape"}
        )
    assert "escape" not in {p["domain"] for p in listed["patterns"]}
    assert message == (
        "memory/semantic/patterns/escape-patterns.md resolves outside the brain root (a symlink?); "
        "it is not read or written."
    )
    assert outside.read_bytes() == before


async def test_memory_stats_counts_the_brain(connect: ClientFactory) -> None:
    async with connect() as client:
        stats = await ok(client, "memory_stats", {})
    assert {k: stats[k] for k in ("patterns", "by_level", "experiences", "workflows", "worklogs", "problems")} == {
        "patterns": 17,
        "by_level": {"LOW": 4, "MEDIUM": 9, "HIGH": 4},
        "experiences": 14,
        "workflows": 2,
        "worklogs": 1,
        "problems": [],
    }
    assert stats["open_blockers"] == 1
    assert stats["stale"] == ["Read-Your-Writes After Replica Lag", "Idempotency Keys on Webhook Handlers"]
    assert stats["mismatched"] == ["Retry with Jittered Exponential Backoff (written HIGH, evidence MEDIUM)"]
