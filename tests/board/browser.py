"""Debian's chromium, driven by Playwright's Python package (never its own browser builds).

``.ci/run`` installs chromium before pytest (``.ci/browser.sh``); otherwise the session
fixture does on first use, so a plain ``pytest`` on a fresh machine runs these tests too. They
are never skipped: a machine where chromium cannot be installed fails here, saying why."""

from __future__ import annotations

import importlib.util
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Request, sync_playwright

from tests.ci_tools import install

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"


def _script(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FLAGS: list[str] = _script(REPO / "docs" / "screenshots.py").FLAGS
"""Chromium's flags, the same the README's screenshots are taken with (docs/screenshots.py)."""


def install_chromium() -> str:
    install("browser.sh", needs="the board's browser tests need it (apt-get install chromium, as root)")
    return CHROMIUM


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=install_chromium(), args=FLAGS, headless=True)


@dataclass
class Watched:
    """A page with everything it said and asked for: console errors, uncaught errors,
    dialogs, and the URL of every request."""

    page: Page
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))
        self.page.on("dialog", self._dialog)
        self.page.on("request", lambda request: self.requests.append(request))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.errors.append(f"{message.type}: {message.text} at {message.location}")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, url: str) -> None:
        """Load ``url`` and wait until its live stream is connected (the script ran)."""
        response = self.page.goto(url)
        assert response is not None and response.status == 200, (url, response and response.status)
        self.page.wait_for_selector("body[data-live=on]", timeout=10_000)


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from a PNG's IHDR chunk."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return int(width), int(height)


@contextmanager
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        b = launch(playwright)
        try:
            yield b
        finally:
            b.close()
