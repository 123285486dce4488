"""The brain board's speed (docs/BOARD.md), in bench/run.py: ``devlore board`` started as a real
subprocess on a copy of a generated brain, asked over HTTP.

- the overview's HTML (``GET /board/``) against a static file from the same server in the same
  run (``GET /board/static/board.css``), alternating in random order: p50/p95 and the ratio;
- the overview's weight in bytes;
- update latency: an open event stream (``/board/events``, what an open page listens to), a
  pattern file saved like an editor does (temp + rename), timed until the ``change`` event has
  arrived and the overview's ``<main>`` has been fetched again, as the page does.

    from board import board_figures, board_goals, board_markdown
"""

from __future__ import annotations

import http.client
import queue
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from brains import cached_brain
from common import summary
from generate import DEV

__all__ = ["board_figures", "board_goals", "board_markdown"]

START_TIMEOUT = 120.0
UPDATE_TIMEOUT = 5.0
OVERVIEW_GOAL_MS = 300.0
WEIGHT_GOAL_KB = 300.0
UPDATE_GOAL_MS = 1_000.0
WARMUP = 3


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str, fragment: bool = False) -> tuple[float, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Accept": "text/html", **({"X-Board-Fragment": "main"} if fragment else {})}
    try:
        t0 = time.perf_counter()
        conn.request("GET", path, headers=headers)
        r = conn.getresponse()
        body = r.read()
        took = time.perf_counter() - t0
        if r.status != 200:
            raise RuntimeError(f"GET {path} answered {r.status}: {body[:300]!r}")
        return took, body
    finally:
        conn.close()


def _wait_listening(proc: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"devlore board exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"devlore board did not listen within {START_TIMEOUT} s")


def _listen(port: int, heard: queue.Queue[str], stop: threading.Event) -> None:
    """Read the event stream and put each event's name on ``heard`` with no delay."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/board/events", headers={"Accept": "text/event-stream"})
    r = conn.getresponse()
    while not stop.is_set():
        line = r.readline()
        if not line:
            return
        if line.startswith(b"event: "):
            heard.put(line[7:].strip().decode())


def _update_latency(port: int, path: Path, edits: int) -> tuple[list[float], int]:
    heard: queue.Queue[str] = queue.Queue()
    stop = threading.Event()
    threading.Thread(target=_listen, args=(port, heard, stop), daemon=True).start()
    if heard.get(timeout=30) != "ready":
        raise RuntimeError("the event stream did not start with 'ready'")
    time.sleep(1.0)  # the watcher's start-up rescan
    while not heard.empty():
        heard.get()
    samples, missed = [], 0
    for i in range(edits):
        text = path.read_text(encoding="utf-8")
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(text + ("\n" if i % 2 == 0 else ""), encoding="utf-8")
        t0 = time.perf_counter()
        tmp.replace(path)
        try:
            while heard.get(timeout=UPDATE_TIMEOUT) != "change":
                pass
            _get(port, "/board/", fragment=True)  # what the open page then does: fetch its <main> again
            samples.append(time.perf_counter() - t0)
        except queue.Empty:
            missed += 1
        time.sleep(0.3)  # past the watcher's debounce: the next save is a change of its own
        while not heard.empty():
            heard.get()
    stop.set()
    return samples, missed


def board_figures(files: int, rounds: int, edits: int, rng: random.Random, cache: Path, tmp: Path) -> dict[str, Any]:
    source, _ = cached_brain(files, cache=cache)
    root = tmp / f"board-{files}"
    shutil.copytree(source, root)  # the index too, with the files' times: it starts warm
    port = _port()
    argv = [sys.executable, "-m", "devlore", "board", "--root", str(root), "--port", str(port)]
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_listening(proc, port)
        first, body = _get(port, "/board/")
        for _ in range(WARMUP):
            _get(port, "/board/")
            _get(port, "/board/static/board.css")
        samples: dict[str, list[float]] = {"overview": [], "static": []}
        for _ in range(rounds):
            pair = [("overview", "/board/"), ("static", "/board/static/board.css")]
            rng.shuffle(pair)
            for name, path in pair:
                took, got = _get(port, path)
                samples[name].append(took)
                if name == "overview":
                    body = got
        latency, missed = _update_latency(port, root / DEV, edits)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        shutil.rmtree(root, ignore_errors=True)
    overview, static = summary(samples["overview"]), summary(samples["static"])
    return {
        "files": files,
        "first_overview_s": round(first, 3),
        "overview": overview,
        "static": static,
        "ratio_p95": round(overview["p95_ms"] / static["p95_ms"], 2),
        "overview_bytes": len(body),
        "update": summary(latency) if latency else None,
        "edits": edits,
        "missed": missed,
    }


def _goal(label: str, measured: float | None, goal: float, unit: str, at: str, why: str = "") -> dict[str, Any]:
    met = measured is not None and measured <= goal
    return {"label": label, "measured": measured, "goal": goal, "unit": unit, "met": met, "at": at, "why": why}


def board_goals(board: list[dict[str, Any]]) -> list[dict[str, Any]]:
    per = {b["files"]: b for b in board}
    b = per.get(10_000)
    at = "10,000 files" if b else "not measured"
    ratio = f" ({b['ratio_p95']:.1f}x the static file's p95 from the same server)" if b else ""
    largest = per[max(per)] if per else None
    lat = largest["update"] if largest else None
    return [
        _goal(
            "Board overview HTML p95 under 300 ms at 10,000 files",
            b["overview"]["p95_ms"] if b else None,
            OVERVIEW_GOAL_MS,
            "ms" + ratio,
            at,
            why="the overview walks every pattern entry for its weekly series and lists, and asks memory_stats",
        ),
        _goal(
            "Board overview under 300 KB at 10,000 files",
            round(b["overview_bytes"] / 1024, 1) if b else None,
            WEIGHT_GOAL_KB,
            "KB",
            at,
        ),
        _goal(
            "Board update reaches an open page p95 under 1 s",
            lat["p95_ms"] if lat else None,
            UPDATE_GOAL_MS,
            "ms",
            f"{largest['files']:,} files" if largest else "not measured",
            why="watchfiles' debounce, then the event; the page's own re-fetch follows",
        ),
    ]


def board_markdown(board: list[dict[str, Any]] | None) -> list[str]:
    if not board:
        return []
    lines = [
        "",
        "## The board",
        "",
        "`devlore board` over HTTP: the overview's HTML against the board's stylesheet from the same server, "
        "alternating in random order; its weight; and editor saves of dev-patterns.md timed until an open event "
        "stream hears of them and the overview's <main> is fetched again, as an open page does.",
        "",
        "| files | overview p50 / p95 ms | static p50 / p95 ms | ratio (p95) | overview KB | update p50 / p95 ms |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for b in board:
        u = b["update"]
        update = f"{u['median_ms']:.0f} / {u['p95_ms']:.0f}" if u else "–"
        lines.append(
            f"| {b['files']:,} | {b['overview']['median_ms']:.1f} / {b['overview']['p95_ms']:.1f} | "
            f"{b['static']['median_ms']:.2f} / {b['static']['p95_ms']:.2f} | {b['ratio_p95']:.1f} | "
            f"{b['overview_bytes'] / 1024:.1f} | {update} |"
        )
    return lines
