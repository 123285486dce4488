"""Many writers, one truth: three ``devlore serve`` processes and a person's editor on one file.

Each server process runs its ``add_example`` calls concurrently (one worker thread each), the
three processes race for the same pattern file, and a simulated editor saves a change to
another entry of that file the way editors do: the whole buffer to a temp file beside it,
renamed over the original. Nothing may be lost, duplicated, misnumbered or overwritten.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from pathlib import Path

import anyio
import pytest
from mcp import Client, ClientSession

from devlore.server import build_server
from devlore.service.brain import Brain
from devlore.service.check import check
from tests.e2e.conftest import Serve

pytestmark = [pytest.mark.anyio, pytest.mark.e2e, pytest.mark.timeout(300)]

DEV = "memory/semantic/patterns/dev-patterns.md"
PATTERN = "Inject the Clock Instead of Patching Time"  # 2 examples, MEDIUM in the fixture
EDITED = "Redact Secrets in the Log Formatter"  # the entry the person edits in the same file
BEFORE = 2
PROCESSES = 3
PER_BURST = 20
BUDGET = 240.0
"""Seconds the whole scenario may take: three server start-ups and 120 locked writes on 2 cores."""

Failures = list[str]
OnDone = Callable[[], Awaitable[None]]


def section(text: str, name: str) -> list[str]:
    """The lines of the entry headed ``## name``, up to the next ``## `` heading."""
    lines = text.split("\n")
    start = lines.index(f"## {name}")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return lines[start:end]


def numbered_examples(text: str, name: str) -> list[tuple[int, str]]:
    """(number, text) of every item of the entry's ``**Examples:**`` list, as written."""
    lines = section(text, name)
    at = lines.index("**Examples:**") + 1
    items: list[tuple[int, str]] = []
    while at < len(lines) and (m := re.fullmatch(r"(\d+)\. (.*)", lines[at])):
        items.append((int(m[1]), m[2]))
        at += 1
    return items


def field(text: str, name: str, label: str) -> str:
    prefix = f"**{label}:** "
    return next(line.removeprefix(prefix) for line in section(text, name) if line.startswith(prefix))


def context_line(text: str, name: str) -> str:
    lines = section(text, name)
    return lines[lines.index("**Context:**") + 1]


def save_in_editor(path: Path, name: str, suffix: str) -> None:
    """Append ``suffix`` to the context line of entry ``name`` and save like an editor does.

    The buffer goes to a temp file in the same directory that is renamed over the original. The
    editor is careful (like vim's "file changed since reading"): if the file changed between
    its read and its save, it reloads and edits again, so a write lost afterwards is devlore's.
    It runs without awaiting, so the window between its check and its rename is microseconds.
    """
    tmp = path.with_name(f".{path.name}.editor-save")
    while True:
        seen = path.stat()
        lines = path.read_bytes().decode("utf-8").split("\n")
        at = lines.index("**Context:**", lines.index(f"## {name}")) + 1
        lines[at] += suffix
        tmp.write_bytes("\n".join(lines).encode("utf-8"))
        now = path.stat()
        if (now.st_ino, now.st_mtime_ns, now.st_size) == (seen.st_ino, seen.st_mtime_ns, seen.st_size):
            os.replace(tmp, path)
            return


def example_text(proc: int, i: int, burst: str) -> str:
    return f"P{proc}-{i} - {burst} (2026-11-20) - ok"


async def add_example(session: ClientSession, text: str, failures: Failures) -> None:
    result = await session.call_tool("add_example", {"pattern": PATTERN, "example": text})
    if result.is_error:
        failures.append(f"{text}: {result.content}")


async def burst(sessions: list[ClientSession], name: str, on_done: OnDone | None = None) -> Failures:
    """Every process runs ``PER_BURST`` concurrent add_example calls; returns the error replies."""
    failures: Failures = []

    async def one(session: ClientSession, text: str) -> None:
        await add_example(session, text, failures)
        if on_done is not None:
            await on_done()

    async with anyio.create_task_group() as tg:
        for i in range(PER_BURST):
            for proc, session in enumerate(sessions):
                tg.start_soon(one, session, example_text(proc, i, name))
    return failures


def expected_texts(*bursts: str) -> list[str]:
    return sorted(example_text(p, i, b) for b in bursts for p in range(PROCESSES) for i in range(PER_BURST))


async def test_three_servers_and_an_editor_between_bursts_lose_no_example_and_no_edit(serve: Serve, root: Path) -> None:
    path = root / DEV
    original_context = context_line(path.read_text(encoding="utf-8"), EDITED)
    with anyio.fail_after(BUDGET):
        async with AsyncExitStack() as stack:
            sessions = [await stack.enter_async_context(serve(root)) for _ in range(PROCESSES)]
            failures = await burst(sessions, "burst one")
            save_in_editor(path, EDITED, " (edited by hand)")
            failures += await burst(sessions, "burst two")
    text = path.read_bytes().decode("utf-8")
    items = numbered_examples(text, PATTERN)
    total = BEFORE + 2 * PROCESSES * PER_BURST
    assert failures == []
    assert [n for n, _ in items] == list(range(1, total + 1))
    assert sorted(t for _, t in items[BEFORE:]) == expected_texts("burst one", "burst two")
    assert (field(text, PATTERN, "Based on"), field(text, PATTERN, "Confidence")) == (f"{total} examples", "HIGH")
    assert context_line(text, EDITED) == original_context + " (edited by hand)"
    assert check(Brain(root)) == []


async def test_editor_saving_during_a_burst_keeps_every_hand_edit_and_every_example(serve: Serve, root: Path) -> None:
    path = root / DEV
    original_context = context_line(path.read_text(encoding="utf-8"), EDITED)
    saves = 10
    every = 5  # an editor save after every 5th answered call: the last lands with 10 calls still running
    answered = 0

    async def on_done() -> None:
        nonlocal answered
        answered += 1
        if answered % every == 0 and answered // every <= saves:
            save_in_editor(path, EDITED, f" [hand edit {answered // every}]")

    with anyio.fail_after(BUDGET):
        async with AsyncExitStack() as stack:
            sessions = [await stack.enter_async_context(serve(root)) for _ in range(PROCESSES)]
            failures = await burst(sessions, "during edits", on_done)
    text = path.read_bytes().decode("utf-8")
    items = numbered_examples(text, PATTERN)
    total = BEFORE + PROCESSES * PER_BURST
    assert failures == []
    assert context_line(text, EDITED) == original_context + "".join(f" [hand edit {k}]" for k in range(1, saves + 1))
    assert [n for n, _ in items] == list(range(1, total + 1))
    assert sorted(t for _, t in items[BEFORE:]) == expected_texts("during edits")
    assert (field(text, PATTERN, "Based on"), field(text, PATTERN, "Confidence")) == (f"{total} examples", "HIGH")
    assert check(Brain(root)) == []


async def test_an_editor_save_while_devlore_writes_its_temp_file_is_not_overwritten(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bursts above hit this window by chance; here the editor saves exactly inside it."""
    path = root / DEV
    original_context = context_line(path.read_text(encoding="utf-8"), EDITED)
    real_fsync = os.fsync
    saved: list[int] = []

    def fsync_then_editor_saves(fd: int) -> None:
        real_fsync(fd)
        if not saved and stat.S_ISREG(os.fstat(fd).st_mode):  # the first file fsync: the pattern file's temp
            saved.append(fd)
            save_in_editor(path, EDITED, " (edited by hand)")

    monkeypatch.setattr(os, "fsync", fsync_then_editor_saves)
    with anyio.fail_after(BUDGET):
        async with Client(build_server(Brain(root))) as client:
            result = await client.call_tool("add_example", {"pattern": PATTERN, "example": example_text(0, 0, "once")})
    text = path.read_bytes().decode("utf-8")
    assert (result.is_error, len(saved)) == (False, 1)
    assert context_line(text, EDITED) == original_context + " (edited by hand)"
    assert numbered_examples(text, PATTERN)[BEFORE:] == [(BEFORE + 1, example_text(0, 0, "once"))]
