"""The docs are tested: the README documents every tool and command and gives the commands CI
runs, and every example in docs/FORMAT.md is a real file that parses, round-trips, and is
exactly what the tools write.

FORMAT.md marks each example with ``<!-- example: KEY -->`` on the line before its fence.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from mcp.types import CallToolResult, TextContent

from devlore.cli import parser
from devlore.codec import episodes, workflows
from devlore.codec.patterns import PatternFile
from devlore.codec.text import Doc
from devlore.codec.worklogs import WorkLog
from devlore.server import build_server
from devlore.service import worklog_longrun, worklog_trends
from devlore.service.brain import Brain
from devlore.service.check import check
from devlore.service.new_brain import init_root

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
FORMAT = (REPO / "docs" / "FORMAT.md").read_text(encoding="utf-8")
CI_RUN = REPO / ".ci" / "run"

INSTALL_AND_SERVE = (
    "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/devlore init --example ./my-brain && "
    ".venv/bin/devlore serve --root ./my-brain"
)
INSTALL_AND_TEST = 'python3 -m venv .venv && .venv/bin/pip install -e ".[dev]" && .venv/bin/pytest'

WRITTEN_ON = date(2026, 11, 21)
"""The day FORMAT.md's worked example was run on: it shows in Last Updated and the growth log week."""

DEV = "memory/semantic/patterns/dev-patterns.md"
OPS = "memory/semantic/patterns/ops-patterns.md"
EPISODE = "memory/episodic/code/2026-11-20-pinned-ruff-after-a-red-build.md"
NOTE = "memory/episodic/learning/2026-07-14-postgres-lock-queue.md"
WORKFLOW = "memory/procedural/workflows/pin-tool-versions-in-ci.md"
WORKLOG = "memory/worklogs/Payment-Webhooks-WorkLog.md"
CONFIDENCE = "brain-health/pattern-confidence.md"
GROWTH = "brain-health/growth-log.md"

PLACES = {
    "new-file": "memory/semantic/patterns/skeleton-patterns.md",
    "format-a": DEV,
    "format-b": OPS,
    "episode": EPISODE,
    "note": NOTE,
    "workflow": WORKFLOW,
    "worklog": WORKLOG,
    "worklog-long": "memory/worklogs/Search-Revamp-WorkLog.md",
    "pattern-confidence": CONFIDENCE,
    "growth-log": GROWTH,
}
"""Where each ``markdown`` example of FORMAT.md lives in a brain."""


@dataclass(frozen=True)
class Block:
    info: str
    key: str | None
    text: str
    line: int


_FENCE = re.compile(r"^(`{3,}|~{3,})\s*([\w-]*)\s*$")
_KEY = re.compile(r"^<!-- example: ([\w-]+) -->$")


def fenced_blocks(markdown: str) -> list[Block]:
    """Top-level fenced blocks in order, each with the example key written just above it."""
    lines = markdown.splitlines(keepends=True)
    blocks: list[Block] = []
    key: str | None = None
    i = 0
    while i < len(lines):
        bare = lines[i].rstrip("\n")
        if m := _KEY.match(bare):
            key = m.group(1)
        elif m := _FENCE.match(bare):
            fence, info = m.groups()
            end = next((j for j in range(i + 1, len(lines)) if lines[j].rstrip("\n") == fence), len(lines))
            blocks.append(Block(info, key, "".join(lines[i + 1 : end]), i + 1))
            key = None
            i = end
        elif bare.strip():
            key = None
        i += 1
    return blocks


def examples() -> dict[str, Block]:
    blocks = [b for b in fenced_blocks(FORMAT) if b.key is not None]
    keys = [b.key for b in blocks]
    assert len(keys) == len(set(keys)), f"duplicate example keys in FORMAT.md: {keys}"
    return {b.key: b for b in blocks if b.key is not None}


def unified(before: str, after: str, name: str) -> str:
    return "".join(difflib.unified_diff(before.splitlines(True), after.splitlines(True), name, name, n=1))


def text_of(result: CallToolResult) -> str:
    block = result.content[0]
    assert isinstance(block, TextContent)
    return block.text


async def call(client: Client, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(tool, args)
    assert not result.is_error, text_of(result)
    content: dict[str, Any] | None = result.structured_content
    assert content is not None
    return content


# -- README ------------------------------------------------------------------------------


def readme_tool_rows() -> dict[str, str]:
    """``{tool: kind}`` from the rows of the README's tool table."""
    return dict(re.findall(r"^\| `([a-z_]+)` \| (read|write) \|", README, re.M))


@pytest.mark.anyio
async def test_every_registered_tool_has_exactly_one_readme_row_of_the_right_kind(tmp_path: Path) -> None:
    async with Client(build_server(Brain(tmp_path))) as client:
        tools = (await client.list_tools()).tools
    registered = {t.name: "read" if t.annotations and t.annotations.read_only_hint else "write" for t in tools}
    rows = re.findall(r"^\| `([a-z_]+)` \| (?:read|write) \|", README, re.M)
    assert len(rows) == len(set(rows)), f"a tool has two rows in the README: {sorted(rows)}"
    missing, extra = sorted(set(registered) - set(rows)), sorted(set(rows) - set(registered))
    assert (missing, extra) == ([], []), f"README tool table: add rows for {missing}, remove rows for {extra}"
    assert readme_tool_rows() == registered, "the README's kind column (read/write) must follow read_only_hint"


def test_every_cli_command_and_option_is_in_the_readme() -> None:
    commands = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `devlore ([\w-]+)[^\n]*", README, re.M)}
    missing, extra = sorted(set(commands.choices) - set(rows)), sorted(set(rows) - set(commands.choices))
    assert (missing, extra) == ([], []), f"README command table: add rows for {missing}, remove rows for {extra}"
    for name, sub in commands.choices.items():
        options = [o for a in sub._actions for o in a.option_strings if o not in ("-h", "--help")]
        for option in options:
            assert option in rows[name], f"`devlore {name}` row does not mention {option}"


def test_the_readme_links_the_format_doc() -> None:
    assert "[docs/FORMAT.md](docs/FORMAT.md)" in README
    assert (REPO / "docs" / "FORMAT.md").is_file()


def test_the_readme_opens_with_the_install_and_serve_and_the_test_commands() -> None:
    first, second = fenced_blocks(README)[:2]
    assert (first.text, second.text) == (INSTALL_AND_SERVE + "\n", INSTALL_AND_TEST + "\n")
    assert second.line < 30, "the two commands belong on the README's first screen"


def test_ci_installs_the_dev_extra_and_runs_the_readme_test_command() -> None:
    script = CI_RUN.read_text(encoding="utf-8")
    assert script.startswith("#!/usr/bin/env bash\n")
    assert "\nset -euo pipefail\n" in script
    assert os.access(CI_RUN, os.X_OK)
    assert re.search(r'pip install (--\S+ )*-e "\.\[dev\]"$', script, re.M)
    assert INSTALL_AND_TEST.endswith("&& .venv/bin/pytest")
    assert re.search(r'^"\$bin/pytest"$', script, re.M), "CI runs bare pytest, like the README"


# -- FORMAT.md: the examples are real files ---------------------------------------------------


def test_every_format_example_is_keyed_and_every_file_example_has_a_place() -> None:
    blocks = fenced_blocks(FORMAT)
    unkeyed = [b.line for b in blocks if b.info in ("markdown", "diff", "json") and b.key is None]
    assert unkeyed == []
    markdown = {b.key for b in blocks if b.info == "markdown"}
    assert markdown == set(PLACES)


def test_every_markdown_example_round_trips_and_passes_devlore_check(tmp_path: Path) -> None:
    ex = examples()
    for key, rel in PLACES.items():
        text = ex[key].text
        assert Doc.parse(text).render() == text
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert check(Brain(tmp_path)) == []


def test_the_format_a_example_holds_two_entries_and_one_has_drifted() -> None:
    pf = PatternFile.parse(examples()["format-a"].text)
    found = [(e.name, e.format, len(e.examples), e.stated, e.evidence, e.last_reinforced) for e in pf.entries]
    assert found == [
        ("Pin Tool Versions in CI", "A", 4, "MEDIUM", "MEDIUM", "2026-10-02"),
        ("Log the Request ID First", "A", 1, "MEDIUM", "LOW", "2026-11-03"),
    ]
    pin = pf.entries[0]
    assert [x.date for x in pin.examples] == ["2025-12", "2026-03", "2026-06-11", "2026-10-02"]
    assert pin.sources == (
        "memory/episodic/code/2026-06-11-black-bump.md",
        "memory/episodic/code/2026-10-02-resolver-change.md",
    )
    assert pin.truncated_sources
    assert pf.footer is not None


def test_the_format_b_example_holds_one_entry_dated_by_created() -> None:
    pf = PatternFile.parse(examples()["format-b"].text)
    found = [(e.name, e.format, len(e.examples), e.stated, e.evidence, e.last_reinforced) for e in pf.entries]
    assert found == [("Rehearse the Rollback", "B", 2, "MEDIUM", "MEDIUM", "2026-08-04")]
    assert [x.date for x in pf.entries[0].examples] == ["2026-08-04", "2026-09-22"]
    assert pf.footer is None


def test_the_new_file_example_is_what_init_writes(tmp_path: Path) -> None:
    assert init_root(tmp_path)
    assert (tmp_path / DEV).read_text(encoding="utf-8") == examples()["new-file"].text


def test_the_hand_written_note_takes_its_date_and_slug_from_the_file_name() -> None:
    note = episodes.parse(NOTE, examples()["note"].text)
    assert (note.date, note.slug, note.title, note.meta) == (
        "2026-07-14",
        "postgres-lock-queue",
        "Postgres lock queue notes",
        {},
    )


def test_the_episode_example_has_the_documented_frontmatter() -> None:
    note = episodes.parse(EPISODE, examples()["episode"].text)
    assert (note.date, note.slug, note.title) == (
        "2026-11-20",
        "pinned-ruff-after-a-red-build",
        "Pinned ruff after a red build - Ledgerline - 2026-11-20",
    )
    assert list(note.meta) == ["date", "project", "work_type", "patterns", "result"]
    assert {k: v for k, v in note.meta.items() if k != "date"} == {
        "project": "Ledgerline",
        "work_type": "code",
        "patterns": ["Pin Tool Versions in CI", "Bump Linters in Their Own PR"],
        "result": "SUCCESS",
    }


def test_the_workflow_example_reads_back_its_steps_and_checklist() -> None:
    flow = workflows.parse(WORKFLOW, examples()["workflow"].text)
    assert (flow.title, flow.steps, flow.checklist, flow.source_pattern) == (
        "Pin Tool Versions in CI",
        (
            "List every tool CI installs",
            "Pin each one to an exact version",
            "Bump the pins in a pull request of their own",
        ),
        ("No tool installed without a version", "The bump PR changes nothing else"),
        "memory/semantic/patterns/dev-patterns.md#pin-tool-versions-in-ci",
    )


# -- FORMAT.md: the worked example is what the tools do -------------------------------------


@pytest.mark.anyio
async def test_the_worked_example_calls_write_exactly_the_documented_diffs_and_files(tmp_path: Path) -> None:
    ex = examples()
    before_a, before_b = ex["format-a"].text, ex["format-b"].text
    for rel, text in ((DEV, before_a), (OPS, before_b)):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(text.encode("utf-8"))
    brain = Brain(tmp_path, today=lambda: WRITTEN_ON)

    def read(rel: str) -> str:
        return (tmp_path / rel).read_bytes().decode("utf-8")

    async with Client(build_server(brain)) as client:
        added = await call(client, "add_example", json.loads(ex["add-example-call"].text))
        assert (added["confidence_before"], added["confidence_after"], added["examples"]) == ("MEDIUM", "MEDIUM", 3)
        assert unified(before_b, read(OPS), "ops-patterns.md") == ex["format-b-edit"].text

        learned = await call(client, "record_experience", json.loads(ex["record-experience-call"].text))
        assert learned["path"] == EPISODE
        assert [(c["name"], c["confidence_before"], c["confidence_after"]) for c in learned["reinforced"]] == [
            ("Pin Tool Versions in CI", "MEDIUM", "HIGH")
        ]
        assert [c["name"] for c in learned["created"]] == ["Bump Linters in Their Own PR"]
        assert unified(before_a, read(DEV), "dev-patterns.md") == ex["format-a-edit"].text
        assert read(EPISODE) == ex["episode"].text

        promoted = await call(client, "promote_to_workflow", json.loads(ex["promote-call"].text))
        assert promoted["path"] == WORKFLOW
        assert read(WORKFLOW) == ex["workflow"].text

    assert read(CONFIDENCE) == ex["pattern-confidence"].text
    assert read(GROWTH) == ex["growth-log"].text
    assert check(brain) == []


def test_the_long_running_example_is_already_true_and_reads_as_documented() -> None:
    log = WorkLog.parse(examples()["worklog-long"].text)
    assert worklog_longrun.sync(log) == []
    (latency,) = worklog_trends.metric_trends(log)
    assert latency.points == ["90ms (v1)", "400ms (v2)", "140ms (v3)"]
    assert latency.flags == ["Query p95: 90ms (v1) → 400ms (v2) against target <150ms"]
    assert worklog_trends.evolution_lines(log) == [
        "Search engine: v1-v2: Postgres trigram index — issue: trigram index hit 400ms at 2M rows; "
        "v3+: Dedicated search node (current)"
    ]
    assert worklog_trends.lead(log, date(2026, 11, 10))[:2] == [
        "Deferred from v3: Synonyms (LOW priority)",
        "Next session priority (v3): [HIGH] Finish the query API",
    ]


def test_the_work_log_example_has_two_sessions_and_remembers_the_first_ones_tag() -> None:
    log = WorkLog.parse(examples()["worklog"].text)
    assert (log.meta, log.title, log.version, log.status) == (
        {"version": "v2", "status": "in_progress"},
        "Payment Webhooks Work Log",
        2,
        "in_progress",
    )
    assert [(e.version, e.when, e.title, e.tags) for e in log.entries] == [
        (1, "2026-11-20 09:30", "Verify provider signatures", ("[BLOCKED]",)),
        (2, "2026-11-21 09:00", "Replay guard", ()),
    ]


@pytest.mark.anyio
async def test_the_work_log_calls_write_exactly_the_documented_log(tmp_path: Path) -> None:
    clock = [datetime(2026, 1, 1)]
    brain = Brain(tmp_path, now=lambda: clock[0])
    async with Client(build_server(brain)) as client:
        for step in json.loads(examples()["worklog-calls"].text):
            clock[0] = datetime.strptime(step["at"], "%Y-%m-%d %H:%M")
            await call(client, step["tool"], step["arguments"])
    assert (tmp_path / WORKLOG).read_bytes().decode("utf-8") == examples()["worklog"].text
    assert check(brain) == []
