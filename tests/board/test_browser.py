"""The board in a real headless browser (Debian's chromium, driven by Playwright): every page
loads without a console error on the example brain and on an empty one, the overview's counts
equal ``memory_stats``, a saved pattern file updates the open page within 2 s, brain text that
looks like markup stays text, the keyboard alone reaches every page, 360 px never scrolls
sideways, and the token is asked once and sent with the page's own requests."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from devlore.service.brain import Brain
from devlore.service.stats import memory_stats
from tests.board.browser import Watched, png_size
from tests.board.conftest import PAGES, TOKEN, Board
from tests.conftest import DEV

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

EMPTY_PAGES = ("/board/", "/board/patterns", "/board/experiences", "/board/worklogs")
LIVE_LIMIT_MS = 2_000


def save_like_an_editor(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def test_every_page_loads_without_a_console_error(root: Path, board: Board, tab: Watched) -> None:
    with board(root) as b:
        for path in PAGES:
            tab.open(b.url + path)
            assert tab.page.locator("h1").count() == 1, path
        assert tab.errors == []  # checked while the board runs: a stopped one makes the page retry


def test_every_page_of_an_empty_brain_loads_without_a_console_error(
    empty_root: Path, board: Board, tab: Watched
) -> None:
    with board(empty_root) as b:
        for path in EMPTY_PAGES:
            tab.open(b.url + path)
        assert "No work logs yet" in tab.page.inner_text("main")
        tab.open(b.url + "/board/")
        assert tab.page.inner_text('[data-count="patterns"]') == "0"
        assert tab.errors == []  # checked while the board runs: a stopped one makes the page retry


def test_the_overview_counts_equal_memory_stats(root: Path, board: Board, tab: Watched) -> None:
    stats = memory_stats(Brain(root))
    expected = {
        "patterns": stats.patterns,
        **stats.by_level,
        "experiences": stats.experiences,
        "workflows": stats.workflows,
        "worklogs": stats.worklogs,
        "open_blockers": stats.open_blockers,
        "time_saved_minutes": stats.time_saved_minutes,
        "problems_total": stats.problems_total,
    }
    with board(root) as b:
        tab.open(b.url + "/board/")
        shown = tab.page.eval_on_selector_all("[data-count]", "els => els.map(e => [e.dataset.count, e.textContent])")
    assert {key: int(text) for key, text in shown} == expected
    assert expected["patterns"] > 0 and expected["worklogs"] > 0


def test_saving_a_pattern_file_updates_the_open_page_within_two_seconds(root: Path, board: Board, tab: Watched) -> None:
    dev = root / DEV
    text = dev.read_text(encoding="utf-8")
    with board(root) as b:
        tab.open(b.url + "/board/patterns/dev/cache-keys-carry-a-schema-version")
        assert "from 6 examples" in tab.page.inner_text("main")
        last = "6. "
        at = text.index("\n", text.index(last, text.index("## Cache Keys Carry a Schema Version")))
        edited = text[:at] + "\n7. Harbor Portal - invoice cache (2026-11-20) - No flush needed" + text[at:]
        edited = edited.replace("**Based on:** 6 examples", "**Based on:** 7 examples", 1)
        started = time.monotonic()
        save_like_an_editor(dev, edited)
        # a locator, not wait_for_function: the page's CSP forbids the eval that one uses
        tab.page.locator("main p", has_text="from 7 examples").wait_for(timeout=LIVE_LIMIT_MS)
        took = time.monotonic() - started
        assert tab.page.url.endswith("cache-keys-carry-a-schema-version")  # no reload, no navigation
        assert "No flush needed" in tab.page.inner_text("main")
        assert tab.errors == []  # checked while the board runs: a stopped one makes the page retry
    assert took < LIVE_LIMIT_MS / 1000


PAYLOAD = """
## Payload <script>window.__xss = 1</script> Test

**Confidence:** LOW
**Based on:** 1 example
**Last reinforced:** 2026-11-20

**Context:**
<img src="/board/xss-probe.png" onerror="window.__xss = 2"> and <svg onload="window.__xss = 5"></svg>

**Pattern:**
[open me](javascript:window.__xss=3) or <a href="javascript:window.__xss=4">this</a>

**Examples:**
1. Probe - <b onmouseover="window.__xss=6">hover</b> (2026-11) - inert

**Source experiences:**
- memory/episodic/code/2026-11-19-flag-default-off.md
"""


def test_markup_in_the_brain_stays_text_and_never_runs(root: Path, board: Board, tab: Watched) -> None:
    dev = root / DEV
    dev.write_text(dev.read_text(encoding="utf-8") + PAYLOAD, encoding="utf-8")
    with board(root) as b:
        for path in ("/board/", "/board/patterns", "/board/experiences"):
            tab.open(b.url + path)
        tab.open(b.url + "/board/patterns")
        tab.page.get_by_role("link", name="Payload <script>window.__xss = 1</script> Test").click()
        tab.page.wait_for_selector("body[data-live=on]")
        page = tab.page
        assert page.inner_text("h1") == "Payload <script>window.__xss = 1</script> Test"
        main = page.inner_text("main")
        assert 'onerror="window.__xss = 2"' in main and "javascript:window.__xss=3" in main
        page.hover("text=hover")
        for link in page.locator("main a").all():
            assert not (link.get_attribute("href") or "").lower().startswith("javascript")
        assert page.locator("main script, main img, main svg[onload], main [onerror], main [onmouseover]").count() == 0
        assert page.evaluate("window.__xss") is None
        assert tab.errors == []  # no CSP violation either: nothing even tried to run
    assert tab.dialogs == []
    assert [r.url for r in tab.requests if "/board/" not in r.url or "xss-probe" in r.url] == []


def tab_to(tab: Watched, href: str, limit: int = 80) -> None:
    """Press Tab until the focused element is the link to ``href``."""
    for _ in range(limit):
        tab.page.keyboard.press("Tab")
        if tab.page.evaluate("document.activeElement && document.activeElement.getAttribute('href')") == href:
            return
    pytest.fail(f"Tab never reached a link to {href}")


def test_the_keyboard_alone_reaches_every_page(root: Path, board: Board, tab: Watched) -> None:
    with board(root) as b:
        tab.open(b.url + "/board/")
        tab.page.keyboard.press("Tab")
        assert tab.page.evaluate("document.activeElement.textContent") == "Skip to the content"
        route = [
            ("/board/patterns", "/board/patterns"),
            (
                "/board/patterns/dev/cache-keys-carry-a-schema-version",
                "/board/patterns/dev/cache-keys-carry-a-schema-version",
            ),
            ("/board/experiences", "/board/experiences"),
            ("/board/worklogs", "/board/worklogs"),
            ("/board/worklogs/Ledger-Export", "/board/worklogs/Ledger-Export"),
            ("/board/", "/board/"),
        ]
        for href, landed in route:
            tab_to(tab, href)
            tab.page.keyboard.press("Enter")
            tab.page.wait_for_url(b.url + landed)
            tab.page.wait_for_selector("body[data-live=on]")
        tab.page.goto(b.url + "/board/patterns")
        tab_to(tab, "#main")
        tab.page.keyboard.press("Enter")
        assert tab.page.evaluate("document.activeElement.id") == "main"
        assert tab.errors == []  # checked while the board runs: a stopped one makes the page retry


def test_360_pixels_never_scroll_sideways_and_screenshots_keep_their_layout(
    root: Path, board: Board, tab: Watched, tmp_path: Path
) -> None:
    shots: dict[tuple[str, int], Path] = {}
    with board(root) as b:
        for width in (360, 1440):
            tab.page.set_viewport_size({"width": width, "height": 800})
            for path in PAGES:
                tab.open(b.url + path)
                scroll = tab.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
                assert scroll[0] <= scroll[1], (width, path, scroll)
                if path in ("/board/", "/board/worklogs/Ledger-Export"):
                    shot = tmp_path / f"{path.strip('/').replace('/', '-')}-{width}.png"
                    tab.page.screenshot(path=str(shot), full_page=True)
                    shots[(path, width)] = shot
    for (path, width), shot in shots.items():
        w, h = png_size(shot)
        assert w == width, (path, width, w)
        assert h >= 800
    for path in ("/board/", "/board/worklogs/Ledger-Export"):
        assert png_size(shots[(path, 360)])[1] > png_size(shots[(path, 1440)])[1]  # narrow: reflowed, taller
        assert tab.errors == []  # checked while the board runs: a stopped one makes the page retry


def test_with_a_token_the_page_asks_once_and_its_requests_carry_it(root: Path, board: Board, tab: Watched) -> None:
    with board(root, token=TOKEN) as b:
        response = tab.page.goto(b.url + "/board/worklogs")
        assert response is not None and response.status == 401
        tab.page.fill("#token", TOKEN)
        tab.page.keyboard.press("Enter")
        tab.page.wait_for_selector("body[data-live=on]")
        assert tab.page.inner_text("h1") == "Work logs"
        tab.page.get_by_role("link", name="Ledger-Export").first.click()  # a link: the session cookie
        tab.page.wait_for_selector("body[data-live=on]")
        stored = tab.page.evaluate("sessionStorage.getItem('devlore-board-token')")
    assert stored == TOKEN
    events = [r for r in tab.requests if r.url.endswith("/board/events")]
    assert events and all(r.headers.get("authorization") == f"Bearer {TOKEN}" for r in events)
    assert all(TOKEN not in r.url for r in tab.requests)


def test_the_pattern_table_filters_as_you_choose_and_sorts_by_examples(root: Path, board: Board, tab: Watched) -> None:
    with board(root) as b:
        tab.open(b.url + "/board/patterns")
        rows = tab.page.locator("#patterns tbody tr")
        total = rows.count()
        tab.page.select_option("#f-level", "HIGH")
        high = tab.page.locator("#patterns tbody tr:not([hidden])")
        assert 0 < high.count() < total
        assert set(high.evaluate_all("rows => rows.map(r => r.dataset.level)")) == {"HIGH"}
        assert tab.page.inner_text("#shown") == f"{high.count()} patterns"
        tab.page.select_option("#f-level", "")
        tab.page.fill("#f-q", "cache keys")
        assert tab.page.locator("#patterns tbody tr:not([hidden])").count() == 1
        tab.page.fill("#f-q", "")
        tab.page.get_by_role("button", name="Examples").click()
        counts = rows.evaluate_all("rows => rows.map(r => Number(r.dataset.examples))")
        assert counts == sorted(counts, reverse=True) and len(counts) == total
        assert tab.page.get_attribute("th:has(button[data-sort=examples])", "aria-sort") == "descending"
        assert tab.errors == []


def test_dark_mode_follows_the_system_setting(root: Path, board: Board, tab: Watched) -> None:
    with board(root) as b:
        backgrounds = {}
        for scheme in ("light", "dark"):
            tab.page.emulate_media(color_scheme=scheme)
            tab.open(b.url + "/board/")
            backgrounds[scheme] = tab.page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert backgrounds == {"light": "rgb(253, 253, 252)", "dark": "rgb(15, 17, 21)"}
        assert tab.errors == []


def test_a_live_update_keeps_the_filter_being_typed_and_its_focus(root: Path, board: Board, tab: Watched) -> None:
    dev = root / DEV
    with board(root) as b:
        tab.open(b.url + "/board/patterns")
        tab.page.click("#f-q")
        tab.page.keyboard.type("cache")
        assert tab.page.get_attribute("body", "data-version") is None  # no update yet
        save_like_an_editor(dev, dev.read_text(encoding="utf-8") + "\n")
        tab.page.locator("body[data-version]").wait_for(timeout=LIVE_LIMIT_MS)
        assert tab.page.input_value("#f-q") == "cache"
        assert tab.page.evaluate("document.activeElement.id") == "f-q"
        assert tab.page.locator("#patterns tbody tr:not([hidden])").count() == 1  # still filtered
        tab.page.keyboard.type(" keys")
        assert tab.page.input_value("#f-q") == "cache keys"
        assert tab.errors == []
