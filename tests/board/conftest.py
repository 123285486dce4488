"""The board as people run it: ``python -m devlore board`` (or ``serve --http``) started as a
real subprocess on a free loopback port, on a copy of the example brain or an empty one."""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from devlore.service.new_brain import init_root
from tests.board.browser import Watched, browser
from tests.e2e.test_http import free_port, wait_until_listening

TOKEN = "board-test-token-7d1e"
PAGES = (
    "/board/",
    "/board/patterns",
    "/board/patterns/dev/cache-keys-carry-a-schema-version",
    "/board/experiences",
    "/board/worklogs",
    "/board/worklogs/Ledger-Export",
)
"""Every kind of page, on the example brain."""


@dataclass
class Running:
    url: str  # http://127.0.0.1:PORT
    port: int
    root: Path
    log: Path

    def get(
        self, path: str, headers: dict[str, str] | None = None, method: str = "GET"
    ) -> tuple[int, dict[str, str], str]:
        """One request; ``headers`` may replace ``Host``. Returns (status, headers, body)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            hdrs = {"Host": f"127.0.0.1:{self.port}", "Accept": "text/html", **(headers or {})}
            conn.request(method, path, headers=hdrs)
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read().decode("utf-8")
        finally:
            conn.close()


@contextmanager
def running(root: Path, log: Path, *args: str, token: str | None = None, command: str = "board") -> Iterator[Running]:
    """``devlore board --root ROOT ARGS`` (or ``serve --http``) until the block ends."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DEVLORE_TOKEN"}
    if token:
        env["DEVLORE_TOKEN"] = token
    extra = ["--http"] if command == "serve" else []
    argv = [sys.executable, "-m", "devlore", command, *extra, "--root", str(root), "--port", str(port), *args]
    with log.open("wb") as err:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=err, stderr=err, env=env)
    try:
        wait_until_listening(proc, port, log)
        yield Running(f"http://127.0.0.1:{port}", port, root, log)
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


Board = Callable[..., AbstractContextManager[Running]]


@pytest.fixture
def board(tmp_path: Path) -> Board:
    """``with board(root, *args, token=None, command="board") as b``: a running board."""
    count = iter(range(1000))

    def start(
        root: Path, *args: str, token: str | None = None, command: str = "board"
    ) -> AbstractContextManager[Running]:
        return running(root, tmp_path / f"board-{next(count)}.log", *args, token=token, command=command)

    return start


@pytest.fixture
def empty_root(tmp_path: Path) -> Path:
    """A new brain with nothing in it (``devlore init``'s folders): the board never creates one."""
    root = tmp_path / "empty"
    init_root(root)
    return root


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    """Debian's chromium for one test module (installed by .ci/browser.sh when missing)."""
    with browser() as b:
        yield b


@pytest.fixture
def tab(chromium: Browser) -> Iterator[Watched]:
    """A fresh browser context and page at 1440 x 900, watched for errors, dialogs and requests."""
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    try:
        yield Watched(context.new_page())
    finally:
        context.close()
