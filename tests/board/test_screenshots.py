"""The README's screenshots of the board are current: ``docs/screenshots.py`` renders them again
from the example brain into a temporary folder, and each must have the committed image's
dimensions and nearly its size (a few percent for anti-aliasing; a changed page or chart
moves far more)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.board.browser import REPO, png_size

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

SIZE_TOLERANCE = 0.03


def test_the_readme_screenshots_are_made_by_the_script_and_current(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "docs" / "screenshots.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in ("board-overview.png", "board-worklog.png"):
        fresh, committed = tmp_path / name, REPO / "docs" / "img" / name
        assert f"docs/img/{name}" in readme
        assert png_size(fresh) == png_size(committed), f"{name} changed shape: run docs/screenshots.py"
        ratio = fresh.stat().st_size / committed.stat().st_size
        assert abs(ratio - 1) <= SIZE_TOLERANCE, f"{name} changed ({ratio:.3f} of its size): run docs/screenshots.py"
