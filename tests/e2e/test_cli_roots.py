"""A wrong root is an error, not an empty brain: every command that reads a brain refuses a
folder without ``memory/``, says what it looked for and names the nearest brain; only ``serve``
and ``init`` create one. Run as the real ``devlore`` command."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, snapshot

READERS = [["stats"], ["patterns"], ["doctor"], ["check"], ["sync"], ["git-setup"], ["board"]]


def devlore(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DEVLORE_ROOT"}
    return subprocess.run(
        [sys.executable, "-m", "devlore", *args], capture_output=True, text=True, timeout=60, cwd=cwd, env=env
    )


@pytest.fixture
def brain(tmp_path: Path) -> Path:
    dest = tmp_path / "work" / "brain"
    shutil.copytree(FIXTURES, dest)
    return dest


@pytest.mark.parametrize("command", READERS, ids=[c[0] for c in READERS])
def test_a_folder_one_level_too_deep_is_refused_naming_the_brain_above(brain: Path, command: list[str]) -> None:
    before = snapshot(brain.parent)
    done = devlore(*command, "--root", str(brain / "memory"))
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"devlore: {brain / 'memory'} is not a devlore brain (it has no memory/ folder). "
        f"The nearest brain is {brain}: pass --root {brain}.\n"
    )
    assert snapshot(brain.parent) == before


def test_a_folder_that_does_not_exist_is_refused_and_not_created(tmp_path: Path) -> None:
    for command in (["stats"], ["patterns"], ["check"]):
        done = devlore(*command, "--root", str(tmp_path / "does-not-exist"))
        assert done.returncode == 2
        assert f"{tmp_path / 'does-not-exist'} does not exist. Pass --root with a brain's folder" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_folder_above_the_brain_is_refused_naming_the_brain_below(brain: Path) -> None:
    done = devlore("stats", "--root", str(brain.parent.parent))
    assert done.returncode == 2
    assert f"The nearest brain is {brain}: pass --root {brain}." in done.stderr


def test_relative_roots_are_reported_absolute_and_positional_dir_is_the_same_as_root(brain: Path) -> None:
    by_option = devlore("check", "--root", "brain", cwd=brain.parent)
    by_position = devlore("check", "brain", cwd=brain.parent)
    assert by_option.returncode == by_position.returncode == 0
    assert by_option.stdout == by_position.stdout
    assert by_option.stdout.endswith(f"\n{brain}: every file parses and round-trips.\n")


def test_init_creates_a_brain_at_root_and_then_stats_reads_it(tmp_path: Path) -> None:
    made = devlore("init", "--root", str(tmp_path / "new"))
    stats = devlore("stats", "--root", str(tmp_path / "new"))
    assert made.returncode == 0 and (tmp_path / "new" / "memory").is_dir()
    assert stats.returncode == 0 and stats.stdout.startswith("Patterns: 0")


def test_serve_on_a_terminal_says_it_created_a_brain_and_hints_with_absolute_paths(tmp_path: Path) -> None:
    leader, follower = pty.openpty()  # a terminal on stdin, as when a person runs it by hand
    env = {k: v for k, v in os.environ.items() if k != "DEVLORE_ROOT"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "devlore", "serve", "--root", "fresh"],
        stdin=follower,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    try:
        assert proc.stderr is not None
        lines = [proc.stderr.readline() for _ in range(3)]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stderr is not None:
            proc.stderr.close()
        os.close(leader)
        os.close(follower)
    root = tmp_path / "fresh"
    assert lines[0] == f"devlore: created a new brain at {root} (no memory/ folder was there)\n"
    assert lines[2] == f"  claude mcp add devlore -- devlore serve --root {root}\n"


def test_patterns_takes_a_level_in_any_case(brain: Path) -> None:
    lower = devlore("patterns", "--root", str(brain), "--level", "high")
    upper = devlore("patterns", "--root", str(brain), "--level", "HIGH")
    assert lower.returncode == upper.returncode == 0
    assert lower.stdout == upper.stdout and "HIGH" in lower.stdout
