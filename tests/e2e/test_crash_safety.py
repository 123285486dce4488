"""Crash safety: a writer killed with SIGKILL at random points never leaves a broken file.

A writer process loops over every kind of write devlore makes (an example on an existing
pattern, a new pattern, a work-log update, a new work-log session, and the brain-health files
each pattern write refreshes) on one brain. The test kills it at a random moment, checks the
whole brain, and starts it again on the same files, 50 times.
"""

from __future__ import annotations

import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devlore.codec.patterns import PatternFile
from devlore.codec.text import Doc
from devlore.service.brain import Brain
from devlore.service.check import check
from devlore.store import Store

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

DEV = "memory/semantic/patterns/dev-patterns.md"
KILLS = 50
SEED = 20261121
STARTUP = 20.0
"""Seconds a writer may take to make its first write (a lock left by a killed writer must not block)."""

WRITER = """
import itertools, sys
from pathlib import Path

from devlore.service import patterns, worklogs
from devlore.service.brain import Brain

brain, run = Brain(Path(sys.argv[1])), sys.argv[2]
reinforced = ["Inject the Clock Instead of Patching Time", "Redact Secrets in the Log Formatter"]
for n in itertools.count():
    step = n % 4
    if step == 0:
        name = reinforced[n // 4 % len(reinforced)]
        patterns.add_example(brain, name, f"Crash run {run} - write {n} (2026-11-20) - landed")
    elif step == 1:
        patterns.add_pattern(
            brain,
            name=f"Crash Run {run} Write {n}",
            pattern="Write to a temp file and rename it over the original.",
            context="A process that may be killed at any moment.",
            example=f"Crash run {run} - write {n} (2026-11-20) - created",
        )
    elif step == 2:
        worklogs.update_worklog(brain, "Ledger-Export", lists={"decisions": [f"Run {run} write {n}: keep going"]})
    else:
        worklogs.open_worklog(brain, "Ledger-Export", title=f"Crash run {run} session {n}")
    if n == 0:
        print("first write landed", flush=True)
"""


def start_writer(root: Path, run: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(root), str(run)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def wait_for_first_write(writer: subprocess.Popen[str]) -> None:
    assert writer.stdout is not None
    ready, _, _ = select.select([writer.stdout], [], [], STARTUP)
    line = writer.stdout.readline() if ready else ""
    if line != "first write landed\n":
        writer.kill()
        _, err = writer.communicate(timeout=STARTUP)
        pytest.fail(f"the writer made no first write within {STARTUP} s (exit {writer.returncode}): {err}")


def memory_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.md")) if p.is_file()}


def examples_by_pattern(text: str) -> dict[str, list[str]]:
    return {e.name: [x.text for x in e.examples] for e in PatternFile.parse(text).entries}


def problems_after_kill(root: Path, before: dict[str, bytes]) -> list[str]:
    """Everything wrong with the brain now, compared with the brain before this writer started."""
    now = memory_files(root)
    found = [f"{p.path}:{p.line}: {p.reason}" for p in check(Brain(root))]
    found += [f"{rel}: gone" for rel in before if rel not in now]
    for rel, data in now.items():
        text = data.decode("utf-8")  # raises on a half-written multi-byte character
        if not text or Doc.parse(text).render() != text:
            found.append(f"{rel}: empty or does not round-trip")
    patterns = examples_by_pattern(now[DEV].decode("utf-8"))
    for entry in PatternFile.parse(now[DEV].decode("utf-8")).entries:
        numbers = [x.number for x in entry.examples]
        if numbers != list(range(1, len(numbers) + 1)):
            found.append(f"{entry.name}: examples numbered {numbers}")
    for name, examples in examples_by_pattern(before[DEV].decode("utf-8")).items():
        if patterns.get(name, [])[: len(examples)] != examples:
            found.append(f"{name}: lost examples that were written before this writer started")
    return found


def test_a_writer_killed_at_random_points_50_times_leaves_every_file_whole(root: Path) -> None:
    rng = random.Random(SEED)
    for run in range(KILLS):
        before = memory_files(root)
        writer = start_writer(root, run)
        try:
            wait_for_first_write(writer)
            time.sleep(rng.uniform(0.05, 0.6))  # the random kill point, not a wait for an event
        finally:
            writer.send_signal(signal.SIGKILL)
            _, err = writer.communicate(timeout=STARTUP)
        assert writer.returncode == -signal.SIGKILL, f"the writer stopped before it was killed: {err}"
        assert problems_after_kill(root, before) == [], f"after kill {run + 1}"
    Store(root).clean_temp_files()
    assert sorted(p.name for p in root.rglob("*.devlore-tmp-*")) == []
    assert check(Brain(root)) == []
