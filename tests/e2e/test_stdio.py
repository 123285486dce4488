"""devlore as an MCP host runs it: ``python -m devlore serve --root DIR`` over stdio, driven by
the official client, plus the people-facing commands (``check``, ``patterns``, ``init``) run
as subprocesses."""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import anyio
import pytest
from anyio.abc import Process
from anyio.streams.buffered import BufferedByteReceiveStream
from mcp.types import CallToolResult, TextContent, TextResourceContents, ToolAnnotations

from devlore.prompts import LEARN
from devlore.tools import TOOLSETS

from .conftest import TIMEOUT, Serve, serve_command

pytestmark = pytest.mark.e2e

DEV = "memory/semantic/patterns/dev-patterns.md"
PM = "memory/semantic/patterns/pm-patterns.md"
# The fixture brain's dev file was edited by hand: its drift is a warning, never a failure.
WARNINGS = (
    f"{DEV}:258: warning: 'Retry with Jittered Exponential Backoff': Based on says 5, but 3 examples are listed\n"
    f"{DEV}:612: warning: the file's footer counts are stale\n"
)
FOOTER = " [drift: the file's footer counts are stale]"
HEALTH = ("brain-health/growth-log.md", "brain-health/pattern-confidence.md")
FIXTURES = Path(__file__).resolve().parents[2] / "memory_fixtures"

Tree = Callable[[Path], dict[str, bytes]]

PATTERN_TOOLS = sorted(TOOLSETS["patterns"])

# What each tool's annotations promise. Destructive and idempotent hints mean something only
# for tools that write (MCP spec), so read-only tools are described by that alone.
ANNOTATIONS = {
    "add_example": "writes",
    "add_pattern": "writes",
    "get_pattern": "read-only",
    "list_patterns": "read-only",
    "memory_stats": "read-only",
    "promote_to_workflow": "writes",
    "record_experience": "writes",
    "recall": "read-only",
    "revise_pattern": "writes",
    "upgrade_confidence": "writes, idempotent",
}


def promise(annotations: ToolAnnotations | None) -> str:
    assert annotations is not None
    if annotations.read_only_hint:
        return "read-only"
    assert annotations.read_only_hint is False  # said explicitly: the MCP default is False anyway
    assert annotations.destructive_hint is False  # no tool deletes or overwrites what people wrote
    assert annotations.idempotent_hint is not None
    return "writes, idempotent" if annotations.idempotent_hint else "writes"


SKELETON = [
    "brain-health/",
    "memory/",
    "memory/episodic/",
    "memory/episodic/code/",
    "memory/episodic/content/",
    "memory/episodic/learning/",
    "memory/episodic/projects/",
    "memory/procedural/",
    "memory/procedural/workflows/",
    "memory/semantic/",
    "memory/semantic/patterns/",
    "memory/semantic/patterns/dev-patterns.md",
    "memory/worklogs/",
]

FROZEN_CLOCK = "memory/episodic/code/2026-10-07-frozen-clock-tests.md"
NEW_EXAMPLE = "Ledgerline - orders list with customers (2026-11-20) - 90 queries down to 2"


def text_of(result: CallToolResult) -> str:
    assert len(result.content) == 1
    block = result.content[0]
    assert isinstance(block, TextContent)
    return block.text


def layout(root: Path) -> list[str]:
    """Every folder (with a trailing /) and file under ``root``, devlore's lock folder aside."""
    return sorted(
        p.relative_to(root).as_posix() + ("/" if p.is_dir() else "")
        for p in root.rglob("*")
        if ".devlore" not in p.relative_to(root).parts
    )


def devlore(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "devlore", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        check=False,
    )


# -- the protocol over stdio ----------------------------------------------------------------


@pytest.mark.anyio
async def test_tools_list_holds_the_ten_pattern_tools_each_with_an_output_schema_and_annotations(
    serve: Serve, root: Path
) -> None:
    with anyio.fail_after(TIMEOUT):
        async with serve(root) as session:
            info = session.server_info
            listing = await session.list_tools()

    assert info is not None and info.name == "devlore"
    tools = {t.name: t for t in listing.tools}
    assert set(PATTERN_TOOLS) <= set(tools)
    for tool in listing.tools:
        assert tool.description, tool.name
        assert tool.annotations is not None, tool.name
        assert tool.output_schema is not None and tool.output_schema["type"] == "object", tool.name
    assert {name: promise(tools[name].annotations) for name in PATTERN_TOOLS} == ANNOTATIONS
    schema = tools["add_example"].output_schema
    assert schema is not None
    assert {"name", "examples", "confidence_before", "confidence_after", "path"} <= set(schema["properties"])
    # docs/FORMAT.md §9: the whole tools/list answer stays under 20,000 characters.
    assert len(listing.model_dump_json(by_alias=True, exclude_none=True)) < 20_000


@pytest.mark.anyio
async def test_add_example_moves_batch_loading_from_medium_to_high_and_rewrites_only_its_lines(
    serve: Serve, root: Path, tree: Tree
) -> None:
    before = tree(root)
    day_before = date.today().isoformat()
    with anyio.fail_after(TIMEOUT):
        async with serve(root) as session:
            result = await session.call_tool(
                "add_example", {"pattern": "Batch Loading Related Rows", "example": NEW_EXAMPLE}
            )
            detail = await session.call_tool("get_pattern", {"pattern": "batch-loading-related-rows"})
    day_after = date.today().isoformat()

    assert not result.is_error, text_of(result)
    assert result.structured_content == {
        "name": "Batch Loading Related Rows",
        "path": DEV,
        "examples": 5,
        "confidence_before": "MEDIUM",
        "confidence_after": "HIGH",
        "unchanged": False,
    }
    assert text_of(result) == f"Batch Loading Related Rows: MEDIUM → HIGH (5 examples) in {DEV}"

    after = tree(root)
    assert sorted(k for k in after if after[k] != before.get(k)) == sorted([DEV, *HEALTH])
    written = after[DEV].decode("utf-8")
    today = next(d for d in (day_before, day_after) if f"**Last Updated:** {d}\n" in written)
    expected = (
        before[DEV]
        .decode("utf-8")
        .replace(
            "**Confidence:** MEDIUM\n**Based on:** 4 examples\n**Last reinforced:** 2026-09-30\n",
            "**Confidence:** HIGH\n**Based on:** 5 examples\n**Last reinforced:** 2026-11-20\n",
        )
        .replace(
            "4. Billing Portal - customer statement PDF (2026-09-30) - Render time halved\n",
            f"4. Billing Portal - customer statement PDF (2026-09-30) - Render time halved\n5. {NEW_EXAMPLE}\n",
        )
        .replace(
            "**Last Updated:** 2025-10-02\n"
            "**Total Patterns:** 6\n"
            "**Confidence Breakdown:**\n"
            "- HIGH: 2 patterns (33%)\n"
            "- MEDIUM: 3 patterns (50%)\n"
            "- LOW: 1 pattern (17%)\n",
            f"**Last Updated:** {today}\n"
            "**Total Patterns:** 10\n"
            "**Confidence Breakdown:**\n"
            "- HIGH: 4 patterns (40%)\n"
            "- MEDIUM: 4 patterns (40%)\n"
            "- LOW: 2 patterns (20%)\n",
        )
    )
    # The footer's Next steps: the person's lines as they were, then devlore's own (which of
    # them are due depends on the real date this test runs on; docs/FORMAT.md, 3.4).
    head, steps = written.split("**Next steps:**\n")
    expected_head, people = expected.split("**Next steps:**\n")
    assert head == expected_head and steps.startswith(people)
    assert '- Consider a workflow for "Batch Loading Related Rows" (HIGH, 5 examples)\n' in steps[len(people) :]

    assert not detail.is_error, text_of(detail)
    assert detail.structured_content is not None
    assert detail.structured_content["confidence"] == "HIGH"
    assert detail.structured_content["evidence_level"] == "HIGH"
    assert detail.structured_content["examples"][-1] == NEW_EXAMPLE
    assert len(detail.structured_content["examples"]) == 5


BAD_CALLS: dict[str, tuple[dict[str, Any], str]] = {
    "unknown pattern": (
        {"pattern": "Batch Loding Related Rows", "example": NEW_EXAMPLE},
        "Error executing tool add_example: No pattern named 'Batch Loding Related Rows'; "
        "closest: 'Batch Loading Related Rows'. Call list_patterns to see every name.",
    ),
    "domain that climbs out of the root": (
        {"pattern": "Batch Loading Related Rows", "example": NEW_EXAMPLE, "domain": "../x"},
        "Error executing tool add_example: Invalid domain '../x': use the pattern file's name before "
        "'-patterns.md', lower-case letters, digits and dashes (e.g. 'dev', 'pm', 'content').",
    ),
    "date that does not exist": (
        {"pattern": "Batch Loading Related Rows", "example": NEW_EXAMPLE, "date": "2026-13-45"},
        "Error executing tool add_example: Invalid date '2026-13-45': no such day. Use YYYY-MM-DD.",
    ),
    "200 KB example": (
        {"pattern": "Batch Loading Related Rows", "example": "Ledgerline - " + "x" * 200_000},
        "Error executing tool add_example: Argument 'example' is 200,013 bytes; the limit is 100,000. "
        "Summarise it, or keep the long text in a file and refer to its path.",
    ),
}


@pytest.mark.anyio
async def test_bad_calls_are_tool_errors_that_change_no_file_and_the_server_keeps_answering(
    serve: Serve, root: Path, tree: Tree
) -> None:
    before = tree(root)
    with anyio.fail_after(TIMEOUT):
        async with serve(root) as session:
            for case, (arguments, _) in BAD_CALLS.items():
                result = await session.call_tool("add_example", arguments)
                assert result.is_error, case
                assert text_of(result).startswith("Error executing tool add_example"), case
                assert tree(root) == before, case
                after = await session.call_tool("get_pattern", {"pattern": "Batch Loading Related Rows"})
                assert not after.is_error, case
                assert after.structured_content is not None
                assert len(after.structured_content["examples"]) == 4, case


@pytest.mark.anyio
@pytest.mark.parametrize(
    "case",
    [
        "unknown pattern",
        "domain that climbs out of the root",
        "date that does not exist",
        "200 KB example",
    ],
)
async def test_a_bad_call_says_what_went_wrong_and_what_to_do_next(serve: Serve, root: Path, case: str) -> None:
    arguments, message = BAD_CALLS[case]
    with anyio.fail_after(TIMEOUT):
        async with serve(root) as session:
            result = await session.call_tool("add_example", arguments)

    assert result.is_error
    assert text_of(result) == message


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("uri", "path"),
    [
        ("memory://patterns/dev", DEV),
        ("memory://patterns/content", "memory/semantic/patterns/content-patterns.md"),  # CRLF
        ("memory://episodes/code/2026-10-07-frozen-clock-tests", FROZEN_CLOCK),  # BOM
    ],
)
async def test_reading_a_resource_returns_the_file_byte_for_byte(serve: Serve, root: Path, uri: str, path: str) -> None:
    with anyio.fail_after(TIMEOUT):
        async with serve(root) as session:
            result = await session.read_resource(uri)

    assert len(result.contents) == 1
    contents = result.contents[0]
    assert isinstance(contents, TextResourceContents)
    assert contents.mime_type == "text/markdown"
    assert contents.text.encode("utf-8") == (root / path).read_bytes()


@pytest.mark.anyio
async def test_the_learn_prompt_arrives_as_one_user_message_naming_the_task(serve: Serve, root: Path) -> None:
    with anyio.fail_after(TIMEOUT):
        async with serve(root) as session:
            prompts = await session.list_prompts()
            result = await session.get_prompt("learn", {"task": "Fixed the invoice list N+1"})

    assert {"learn", "recall"} <= {p.name for p in prompts.prompts}
    assert len(result.messages) == 1
    message = result.messages[0]
    assert message.role == "user"
    assert isinstance(message.content, TextContent)
    assert message.content.text == LEARN.format(task_line="Task: Fixed the invoice list N+1\n")


@pytest.mark.anyio
async def test_serve_with_the_patterns_tool_set_lists_and_runs_the_pattern_tools(serve: Serve, root: Path) -> None:
    with anyio.fail_after(TIMEOUT):
        async with serve(root, "--tools", "patterns") as session:
            listing = await session.list_tools()
            stats = await session.call_tool("memory_stats", {})

    assert sorted(t.name for t in listing.tools) == PATTERN_TOOLS
    assert not stats.is_error, text_of(stats)
    assert stats.structured_content is not None
    assert stats.structured_content["patterns"] == 17


def test_serve_refuses_an_unknown_tool_set_before_speaking_the_protocol(root: Path) -> None:
    proc = subprocess.run(
        serve_command(root, "--tools", "everything"),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=TIMEOUT,
        check=False,
    )

    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "invalid choice: 'everything'" in proc.stderr


@pytest.mark.anyio
async def test_serve_on_an_empty_folder_creates_the_skeleton_and_a_usable_dev_pattern_file(
    serve: Serve, tmp_path: Path
) -> None:
    root = tmp_path / "fresh"
    root.mkdir()
    with anyio.fail_after(TIMEOUT):
        async with serve(root) as session:
            listed = await session.call_tool("list_patterns", {})
            added = await session.call_tool(
                "add_pattern",
                {
                    "name": "Pin the Query Count",
                    "pattern": "Assert the number of queries an endpoint makes in its test.",
                    "context": "Any list endpoint backed by an ORM.",
                    "example": "Ledgerline - invoice list (2026-11-20) - N+1 caught in review",
                },
            )

    assert not listed.is_error, text_of(listed)
    assert listed.structured_content == {
        "patterns": [],
        "total": 0,
        "remaining": 0,
        "next_cursor": None,
        "problems": [],
    }
    assert not added.is_error, text_of(added)
    assert added.structured_content == {
        "name": "Pin the Query Count",
        "slug": "pin-the-query-count",
        "path": DEV,
        "confidence": "LOW",
    }
    assert set(SKELETON) <= set(layout(root))
    dev = (root / DEV).read_text(encoding="utf-8")
    assert dev.startswith("# Development Patterns\n")
    assert "## Pin the Query Count\n" in dev
    assert "created a new brain" in (tmp_path / "server-stderr.log").read_text(encoding="utf-8")


# -- nothing but JSON-RPC on stdout -----------------------------------------------------------


async def _answer(stdout: BufferedByteReceiveStream, seen: list[bytes], request_id: int) -> dict[str, Any]:
    """Read stdout lines (keeping each in ``seen``) until the answer to ``request_id`` arrives."""
    while True:
        line = await stdout.receive_until(b"\n", 10_000_000)
        seen.append(line)
        message = json.loads(line)
        if message.get("id") == request_id:
            return dict(message)


async def _send(process: Process, method: str, params: dict[str, Any] | None = None, id: int | None = None) -> None:
    """Write one JSON-RPC message as one line: a request with an ``id``, else a notification."""
    message: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
    if id is not None:
        message["id"] = id
    if params is not None:
        message["params"] = params
    assert process.stdin is not None
    await process.stdin.send(json.dumps(message).encode("utf-8") + b"\n")


@pytest.mark.anyio
@pytest.mark.parametrize("brain_kind", ["fixture copy", "empty folder"])
async def test_stdout_carries_nothing_but_json_rpc_even_when_a_tool_fails(
    root: Path, tmp_path: Path, brain_kind: str
) -> None:
    """Hand-written protocol lines: any stray print, log line or traceback on stdout would break
    every host, so every byte the server writes there must be a JSON-RPC message."""
    if brain_kind == "empty folder":
        root = tmp_path / "empty"
        root.mkdir()
    stderr_path = tmp_path / "raw-stderr.log"
    seen: list[bytes] = []
    with anyio.fail_after(TIMEOUT), stderr_path.open("wb") as stderr:
        async with await anyio.open_process(serve_command(root), stderr=stderr) as process:
            assert process.stdout is not None
            stdout = BufferedByteReceiveStream(process.stdout)
            hello = {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "raw", "version": "0"}}
            await _send(process, "initialize", hello, id=1)
            init = await _answer(stdout, seen, 1)
            await _send(process, "notifications/initialized")
            await _send(process, "tools/call", {"name": "list_patterns", "arguments": {}}, id=2)
            listed = await _answer(stdout, seen, 2)
            big = {"pattern": "anything", "example": "x" * 200_000}
            await _send(process, "tools/call", {"name": "add_example", "arguments": big}, id=3)
            failed = await _answer(stdout, seen, 3)
            await _send(process, "ping", id=4)
            pong = await _answer(stdout, seen, 4)
            assert process.stdin is not None
            await process.stdin.aclose()
            rest = b""
            with contextlib.suppress(anyio.EndOfStream):
                while True:  # to EOF: whatever the server says on its way out
                    rest += await stdout.receive()
            exit_code = await process.wait()

    assert init["result"]["serverInfo"]["name"] == "devlore"
    assert listed["result"]["isError"] is False
    assert failed["result"]["isError"] is True
    assert "the limit is 100,000" in failed["result"]["content"][0]["text"]
    assert pong == {"jsonrpc": "2.0", "id": 4, "result": {}}
    lines = [*seen, *rest.splitlines()]
    for line in lines:
        assert json.loads(line)["jsonrpc"] == "2.0", line[:200]
    assert exit_code == 0


# -- commands for people ------------------------------------------------------------------------


def test_check_passes_on_the_fixture_brain(root: Path) -> None:
    proc = devlore("check", root)

    assert (proc.returncode, proc.stdout, proc.stderr) == (
        0,
        WARNINGS + f"{root}: every file parses and round-trips.\n",
        "",
    )


@pytest.mark.breaks_brain
def test_check_reports_invalid_utf8_by_path_and_line_and_leaves_the_file_alone(root: Path, tree: Tree) -> None:
    path = root / DEV
    path.write_bytes(path.read_bytes().replace(b"Render time halved", b"Render time \xff\xfe halved"))
    before = tree(root)

    proc = devlore("check", root)

    assert proc.returncode == 1
    assert proc.stdout == f"{DEV}:203: not valid UTF-8 text\n"
    assert proc.stderr == "1 problem(s); the files were left unchanged.\n"
    assert tree(root) == before


@pytest.mark.breaks_brain
def test_check_reports_a_code_fence_left_open_at_the_end_of_a_pattern_file(root: Path, tree: Tree) -> None:
    path = root / PM
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n```text\nnever closed\n", encoding="utf-8", newline="")
    fence_line = text.count("\n") + 2
    before = tree(root)

    proc = devlore("check", root)

    assert proc.returncode == 1
    assert proc.stdout == f"{PM}:{fence_line}: code fence opened here is never closed\n" + WARNINGS
    assert tree(root) == before


@pytest.mark.breaks_brain
def test_check_reports_a_code_fence_left_open_in_the_middle_of_a_pattern_file(root: Path) -> None:
    path = root / DEV
    text = path.read_text(encoding="utf-8")
    # Someone pastes a snippet into the Read-Your-Writes entry and forgets the closing fence.
    broken = text.replace("### When to Use\n", "```sql\nSELECT 1;\n\n### When to Use\n", 1)
    path.write_text(broken, encoding="utf-8", newline="")
    fence_line = text[: text.index("### When to Use\n")].count("\n") + 1

    proc = devlore("check", root)

    assert proc.returncode == 1
    assert proc.stdout.startswith(f"{DEV}:{fence_line}: ")


def test_patterns_level_high_lists_only_patterns_rated_high(root: Path) -> None:
    proc = devlore("patterns", "--root", root, "--level", "HIGH")

    assert proc.returncode == 0, proc.stderr
    # Staleness depends on today's date; the rest of each line does not.
    rows = [line.removesuffix(" [stale]").removesuffix(FOOTER) for line in proc.stdout.splitlines()]
    assert rows == [
        "LEVEL  EX     DOMAIN   NAME",
        "HIGH    5 ex  content  Lead with the Failure, Then the Fix",
        "HIGH    6 ex  dev      Cache Keys Carry a Schema Version",
        "HIGH    7 ex  dev      Expand-Contract Database Migrations",
        # Written HIGH by hand with MEDIUM evidence: --level matches the written or the evidence level.
        "MEDIUM  3 ex  dev      Retry with Jittered Exponential Backoff (written HIGH) [drift: Based on says 5, but 3 "
        "examples are listed; written HIGH, the examples earn MEDIUM; the file's footer counts are stale]",
        "HIGH    5 ex  pm       Kill Criteria in Every Experiment Brief",
    ]


def test_init_creates_the_skeleton_once_and_it_passes_check(tmp_path: Path, tree: Tree) -> None:
    root = tmp_path / "new-brain"

    first = devlore("init", root)
    made = tree(root)
    second = devlore("init", root)
    checked = devlore("check", root)

    assert (first.returncode, first.stdout) == (0, f"Created {root}\n")
    assert layout(root) == SKELETON
    assert (second.returncode, second.stdout) == (0, f"Already a brain: {root}\n")
    assert tree(root) == made
    assert checked.returncode == 0, checked.stdout


def test_the_console_script_is_installed_next_to_the_interpreter() -> None:
    script = shutil.which("devlore", path=str(Path(sys.executable).parent))
    assert script is not None
    proc = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert (proc.returncode, proc.stdout) == (0, "devlore 0.1.0\n")
