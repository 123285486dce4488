"""Render the README's screenshots of the board from the example brain (memory_fixtures/), on a
fixed day so they only change when the board or the example brain does:

- docs/img/board-overview.png: the overview at 1440 px;
- docs/img/board-worklog.png: the work log Ledger-Export at 1440 px.

The board runs in this process on a copy of the example brain; Debian's chromium (installed by
.ci/browser.sh when missing) takes the pictures through Playwright. tests/board/test_screenshots.py
runs this into a temporary folder and checks the committed images are current.

    .venv/bin/python docs/screenshots.py [--out DIR]
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from devlore.board.app import build_board
from devlore.service.brain import Brain

REPO = Path(__file__).resolve().parent.parent
DAY = date(2026, 11, 21)  # the example brain's "today"
WIDTH, HEIGHT = 1440, 900
SHOTS = {"board-overview.png": "/board/", "board-worklog.png": "/board/worklogs/Ledger-Export"}
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--force-color-profile=srgb",
    "--hide-scrollbars",
]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def render(out: Path) -> list[Path]:
    chromium = (
        subprocess.run(
            ["bash", str(REPO / ".ci" / "browser.sh")],
            capture_output=True,
            text=True,
            check=True,
            stdin=subprocess.DEVNULL,
        )
        .stdout.strip()
        .split("=", 1)[1]
    )
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "brain"
        shutil.copytree(REPO / "memory_fixtures", root)
        brain = Brain(root, today=lambda: DAY, now=lambda: datetime(2026, 11, 21, 12, 0))
        port = _port()
        server = uvicorn.Server(
            uvicorn.Config(build_board(brain, None, port, []), host="127.0.0.1", port=port, log_level="warning")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        written = []
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium, args=FLAGS, headless=True)
                page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT}, color_scheme="light")
                for name, path in SHOTS.items():
                    page.goto(f"http://127.0.0.1:{port}{path}")
                    page.wait_for_selector("body[data-live=on]")
                    page.screenshot(path=str(out / name), full_page=True)
                    written.append(out / name)
                browser.close()
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "img")
    for path in render(ap.parse_args(argv).out):
        print(path, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
