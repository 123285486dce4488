"""Fixtures for the host tests: the real ``devlore`` command of this environment, run with a
private HOME and project folder, and a PATH that holds no ``claude`` unless a test adds it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

DEVLORE = Path(sys.executable).parent / "devlore"  # the console script of this environment
REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "memory_fixtures"
CLI_TIMEOUT = 60.0
"""Seconds one devlore (or claude) command may take; a hung one fails the test."""


@dataclass(frozen=True)
class Home:
    home: Path
    project: Path
    brain: Path
    path: str  # PATH for the commands

    def env(self, **extra: str) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if k not in ("DEVLORE_ROOT", "XDG_CONFIG_HOME", "CODEX_HOME")}
        return {**keep, "HOME": str(self.home), "PATH": self.path, **extra}

    def devlore(self, *args: str, stdin: str = "", **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(DEVLORE), *args],
            cwd=self.project,
            env=self.env(**extra),
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=CLI_TIMEOUT,
            check=False,
        )


def _path_without_claude() -> str:
    dirs = [d for d in os.environ.get("PATH", "").split(os.pathsep) if d and not (Path(d) / "claude").exists()]
    return os.pathsep.join([str(DEVLORE.parent), *dirs])


@pytest.fixture
def home(tmp_path: Path) -> Home:
    """A fresh HOME, a project folder and a copy of the example brain."""
    (tmp_path / "home").mkdir()
    (tmp_path / "work" / "shop").mkdir(parents=True)
    brain = tmp_path / "brain"
    shutil.copytree(FIXTURES, brain)
    return Home(tmp_path / "home", tmp_path / "work" / "shop", brain, _path_without_claude())
