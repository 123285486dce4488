"""Shared pieces of the benchmarks: how to start each server, a timed MCP session over stdio,
summary statistics, a small table and the JSON results file."""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from mcp import ClientSession, StdioServerParameters, stdio_client

__all__ = [
    "BENCH",
    "FIXTURES",
    "bare_server",
    "devlore_server",
    "environment",
    "parser",
    "print_table",
    "session",
    "summary",
    "write_results",
]

BENCH = Path(__file__).resolve().parent
FIXTURES = BENCH.parent / "memory_fixtures"
REQUEST_TIMEOUT = 60.0


def devlore_server(root: Path) -> StdioServerParameters:
    """``python -m devlore serve --root ROOT``, as an MCP host would start it."""
    return StdioServerParameters(command=sys.executable, args=["-m", "devlore", "serve", "--root", str(root)])


def bare_server() -> StdioServerParameters:
    """``python bench/bare_server.py``: a bare MCPServer with one trivial tool."""
    return StdioServerParameters(command=sys.executable, args=[str(BENCH / "bare_server.py")])


@asynccontextmanager
async def session(params: StdioServerParameters) -> AsyncIterator[ClientSession]:
    """An initialized session with a freshly spawned server; its stderr is discarded."""
    with open(os.devnull, "w", encoding="utf-8") as devnull:
        async with (
            stdio_client(params, errlog=devnull) as (read, write),
            ClientSession(read, write, read_timeout_seconds=REQUEST_TIMEOUT) as s,
        ):
            await s.initialize()
            yield s


def now() -> float:
    return time.perf_counter()


def _percentile(sorted_ms: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if len(sorted_ms) == 1:
        return sorted_ms[0]
    pos = (len(sorted_ms) - 1) * q
    low = int(pos)
    high = min(low + 1, len(sorted_ms) - 1)
    return sorted_ms[low] + (sorted_ms[high] - sorted_ms[low]) * (pos - low)


def summary(samples_s: Iterable[float]) -> dict[str, Any]:
    """Median, p95, min and max in milliseconds, plus every sample."""
    ms = sorted(s * 1000 for s in samples_s)
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 3),
        "p95_ms": round(_percentile(ms, 0.95), 3),
        "min_ms": round(ms[0], 3),
        "max_ms": round(ms[-1], 3),
        "samples_ms": [round(x, 3) for x in ms],
    }


def environment() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "mcp": version("mcp"),
        "devlore": version("devlore"),
        "pythondontwritebytecode": os.environ.get("PYTHONDONTWRITEBYTECODE", ""),
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def parser(description: str, rounds: int, quick_rounds: int) -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--rounds", type=int, default=None, help=f"rounds to measure (default {rounds})")
    ap.add_argument("--quick", action="store_true", help=f"a smoke run of {quick_rounds} rounds")
    ap.add_argument("--seed", type=int, default=None, help="seed for the random order (default: random)")
    ap.add_argument("--out", type=Path, default=BENCH / "results", help="folder for the JSON results")
    ap.set_defaults(default_rounds=rounds, quick_rounds=quick_rounds)
    return ap


def rounds_of(args: argparse.Namespace) -> int:
    if args.rounds is not None:
        return int(args.rounds)
    return int(args.quick_rounds if args.quick else args.default_rounds)


def print_table(rows: list[tuple[str, dict[str, Any]]]) -> None:
    print(f"{'':<14}{'median ms':>11}{'p95 ms':>10}{'min ms':>10}{'max ms':>10}{'n':>5}")
    for label, s in rows:
        print(
            f"{label:<14}{s['median_ms']:>11.1f}{s['p95_ms']:>10.1f}{s['min_ms']:>10.1f}{s['max_ms']:>10.1f}{s['n']:>5}"
        )


def write_results(name: str, data: dict[str, Any], out: Path) -> Path:
    """Write ``out/<name>.json`` (the latest run) and a timestamped copy beside it."""
    out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (out / f"{name}-{stamp}.json").write_text(text, encoding="utf-8")
    latest = out / f"{name}.json"
    latest.write_text(text, encoding="utf-8")
    return latest
