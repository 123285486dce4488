"""The board over HTTP, without a browser: the pages answer, every answer carries the security
headers, foreign Host and Origin are refused, the token guards everything but the stylesheet
and script, a non-loopback address without a token is refused, and no route writes a file."""

from __future__ import annotations

import html
import http.client
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from devlore.service import revise
from devlore.service.brain import Brain
from devlore.service.stats import memory_stats
from devlore.service.worklog_views import long_view
from tests.board.conftest import PAGES, TOKEN, Board
from tests.conftest import DEV
from tests.e2e.conftest import files


def test_every_page_answers_with_strict_security_headers(root: Path, board: Board) -> None:
    with board(root) as b:
        for path in PAGES:
            status, headers, body = b.get(path)
            assert status == 200, (path, body[:500])
            assert headers["content-type"].startswith("text/html")
            assert "default-src 'self'" in headers["content-security-policy"]
            assert "script-src 'self'" in headers["content-security-policy"]
            assert headers["x-content-type-options"] == "nosniff"
            assert "<script>" not in body and " style=" not in body  # no inline script or style
        status, headers, _ = b.get("/board/static/board.js")
        assert status == 200 and headers["content-type"].startswith("text/javascript")


def test_a_foreign_host_or_origin_is_refused(root: Path, board: Board) -> None:
    with board(root) as b:
        assert b.get("/board/", {"Host": "evil.example"})[0] == 421
        assert b.get("/board/", {"Origin": "http://evil.example"})[0] == 421
        assert b.get("/board/", {"Origin": f"http://localhost:{b.port}"})[0] == 200


def test_no_route_changes_a_file(root: Path, board: Board) -> None:
    before = files(root)
    with board(root) as b:
        for path in PAGES:
            for method in ("POST", "PUT", "DELETE", "PATCH"):
                assert b.get(path, method=method)[0] == 405, (method, path)
        assert b.get("/board/session", method="POST")[0] == 401  # no token set: nothing to trade
    assert files(root) == before


def test_a_missing_pattern_or_log_is_a_404_page_that_says_so(root: Path, board: Board) -> None:
    with board(root) as b:
        status, _, body = b.get("/board/patterns/dev/no-such-pattern")
        assert status == 404 and "<h1>Not found</h1>" in body
        assert b.get("/board/worklogs/No-Such-Log")[0] == 404


def test_with_a_token_every_request_without_it_gets_401(root: Path, board: Board) -> None:
    with board(root, token=TOKEN) as b:
        status, headers, body = b.get("/board/")
        assert status == 401 and headers["www-authenticate"].startswith("Bearer")
        assert 'id="login"' in body  # the page that asks for the token once
        assert b.get("/board/events", {"Accept": "text/event-stream"})[0] == 401
        assert b.get("/board/", {"Authorization": "Bearer wrong"})[0] == 401
        assert b.get("/board/", {"Authorization": f"Bearer {TOKEN}"})[0] == 200
        assert b.get("/board/static/board.css")[0] == 200  # the login page needs its style
        assert b.get("/board/session", {"Authorization": "Bearer wrong"}, method="POST")[0] == 401
        status, headers, _ = b.get("/board/session", {"Authorization": f"Bearer {TOKEN}"}, method="POST")
        assert status == 204
        cookie = headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and TOKEN not in cookie
        assert b.get("/board/", {"Cookie": cookie.split(";", 1)[0]})[0] == 200
        assert b.get("/board/", {"Cookie": "devlore_board=forged"})[0] == 401


def test_a_non_loopback_address_without_a_token_is_refused(root: Path) -> None:
    env_free = {"PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", "devlore", "board", "--root", str(root), "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env_free,
        check=False,
    )
    assert done.returncode == 2
    assert "refusing to serve 0.0.0.0 without a token" in done.stderr


def test_serve_http_serves_the_board_behind_its_token(root: Path, board: Board) -> None:
    with board(root, token=TOKEN, command="serve") as b:
        assert b.get("/board/")[0] == 401
        status, headers, body = b.get("/board/", {"Authorization": f"Bearer {TOKEN}"})
        assert status == 200 and "What the brain has learned" in body
        assert headers["x-content-type-options"] == "nosniff"
        assert b.get("/board/", {"Host": "evil.example", "Authorization": f"Bearer {TOKEN}"})[0] == 421
        assert b.get("/mcp", {"Accept": "application/json"}, method="POST")[0] == 401  # the MCP door is unchanged


def test_text_from_the_brain_is_escaped(root: Path, board: Board) -> None:
    dev = root / "memory/semantic/patterns/dev-patterns.md"
    text = dev.read_text(encoding="utf-8")
    evil = "## Cache Keys <script>alert(1)</script> Version"
    dev.write_text(text.replace("## Cache Keys Carry a Schema Version", evil, 1), encoding="utf-8")
    with board(root) as b:
        _, _, body = b.get("/board/patterns")
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.breaks_brain
def test_a_file_that_does_not_parse_is_listed_with_its_line_and_reason(root: Path, board: Board) -> None:
    log = root / "memory/worklogs/Broken-WorkLog.md"
    log.write_text("---\nversion: [unclosed\n---\n\n# Broken Work Log\n", encoding="utf-8")
    with board(root) as b:
        _, _, body = b.get("/board/")
    problems = memory_stats(Brain(root)).problems
    assert [p.path for p in problems] == ["memory/worklogs/Broken-WorkLog.md"]
    p = problems[0]
    cells = re.findall(r"<td data-label=\"(\w+)\">(.*?)</td>", body)
    assert cells == [("File", p.path), ("Line", str(p.line)), ("Reason", html.escape(p.reason))]
    assert '<dd data-count="problems_total">1</dd>' in body


def test_the_work_log_pages_show_status_progress_blockers_hypotheses_and_dependencies(root: Path, board: Board) -> None:
    with board(root) as b:
        _, _, listing = b.get("/board/worklogs")
        _, _, log = b.get("/board/worklogs/Ledger-Export")
    assert '<a href="/board/worklogs/Ledger-Export">Ledger-Export</a></td><td data-label="Version">v3</td>' in listing
    assert "Move large exports to the job queue" in listing  # the HIGH item to do now
    assert "Signed download links not released yet" in listing and "owner @platform-team" in listing
    assert "<title>Ledger-Export needs Job-Queue</title>" in listing  # the dependency, drawn
    versions = re.findall(r'<meter min="0" max="100" value="(\d+)" aria-label="progress of (v\d+)"', log)
    assert versions == [("15", "v1"), ("55", "v2"), ("70", "v3")]
    assert log.count("(status changed)") == 1  # v3 became blocked
    assert "<h2>Hypotheses: Confirmed</h2>" in log and "<h2>Hypotheses: Refuted</h2>" in log
    assert "v1: Stream rows instead of building the file in memory" in log


def test_experiences_show_the_patterns_they_created_or_reinforced(root: Path, board: Board) -> None:
    with board(root) as b:
        _, _, page = b.get("/board/experiences")
        _, _, pattern = b.get("/board/patterns/dev/feature-flags-default-off-in-code")
    card = page[page.index('id="x-2026-11-19-flag-default-off"') :]
    card = card[: card.index("</ul></li>")]
    assert 'created <a href="/board/patterns/dev/feature-flags-default-off-in-code">' in card
    assert "<h2>2026-11</h2>" in page
    assert 'href="/board/experiences#x-2026-11-19-flag-default-off"' in pattern  # and back again


@pytest.mark.parametrize("command", ["board", "serve"])
def test_a_saved_file_reaches_the_event_stream(root: Path, board: Board, command: str) -> None:
    """What an open page hears, in both faces: ``ready`` at once, then ``change`` naming the file."""
    with board(root, token=TOKEN, command=command) as b:
        conn = http.client.HTTPConnection("127.0.0.1", b.port, timeout=10)
        conn.request("GET", "/board/events", headers={"Authorization": f"Bearer {TOKEN}"})
        stream = conn.getresponse()
        assert stream.status == 200 and stream.getheader("content-type", "").startswith("text/event-stream")
        assert stream.readline() == b"retry: 1000\n" and stream.readline() == b"event: ready\n"
        time.sleep(1.0)  # the watcher's start-up look
        dev = root / DEV
        dev.write_text(dev.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            line = stream.readline()
            if line == b"event: change\n":
                data = json.loads(stream.readline().decode().removeprefix("data: "))
                break
        else:
            pytest.fail("no change event within 5 s")
        conn.close()
    assert DEV in data["paths"]


def test_a_long_running_log_shows_its_metric_trends_and_features(root: Path, board: Board) -> None:
    source = Path(__file__).resolve().parents[1] / "fixtures" / "worklogs" / "Carrier-Sync-WorkLog.md"
    (root / "memory/worklogs/Carrier-Sync-WorkLog.md").write_bytes(source.read_bytes())
    features, metrics = long_view(Brain(root), "Carrier-Sync")
    assert features and metrics  # the fixture is a long-running log
    with board(root) as b:
        status, _, page = b.get("/board/worklogs/Carrier-Sync")
    assert status == 200
    assert "<h2>Metric trends</h2>" in page and "<h2>Features</h2>" in page
    for m in metrics:
        assert html.escape(f"{m.name}: {' → '.join(m.points)}") in page
    for f in features:
        assert html.escape(f"{f.name}: ") in page


def test_after_a_merge_the_board_agrees_with_memory_stats_and_follows_the_redirect(root: Path, board: Board) -> None:
    brain = Brain(root)
    revise.merge_patterns(brain, "Batch Loading Related Rows", "One Diagram per Thread")
    stats = memory_stats(Brain(root))
    with board(root) as b:
        _, _, overview = b.get("/board/")
        _, _, listed = b.get("/board/patterns")
        status, _, kept = b.get("/board/patterns/dev/batch-loading-related-rows")
        old_status, _, old = b.get("/board/patterns/content/one-diagram-per-thread")
    shown = dict(re.findall(r'data-count="(\w+)"[^>]*>(\d+)<', overview))
    assert int(shown["patterns"]) == stats.patterns and int(shown["HIGH"]) == stats.by_level["HIGH"]
    assert "One Diagram per Thread" not in listed and "Batch Loading Related Rows" in listed
    assert status == 200 and "HIGH" in kept
    assert old_status == 200 and "Batch Loading Related Rows" in old  # the old name leads to the kept one
