"""devlore on a big brain: first indexing, cold start to the first answered recall, recall
latency and the server's memory, over stdio with the official client.

For a generated brain of N files (bench/brains.py; cached under bench/results/brains/):

1. First indexing: the search index is deleted, devlore is started and asked one ``recall``;
   spawn to answer is how long a new brain takes to index (once).
2. Cold start: spawn ``python -m devlore serve --root <brain>``, initialize, ``recall`` "cache
   keys" and time spawn to answer, against the bare server's spawn to its first tool answer
   (bench/bare_server.py). Each round runs the two in random order after one unmeasured start
   of each. Goal: median ratio ≤ 1.25.
3. Recall latency: one long-lived devlore session answers ``--calls`` recalls of 2-3 words drawn
   from the brain's vocabulary (after a few unmeasured ones), interleaved in random order with
   the bare server's trivial call as the floor. Goal: p95 ≤ 20 ms.
4. Memory: VmHWM (peak RSS) and VmRSS of the devlore server process after the recall loop,
   read from /proc (Linux), next to the bare server's. Goal: peak under 250 MB.

    .venv/bin/python bench/scale.py [--files 10000] [--rounds 15] [--calls 200] [--quick]

``--quick`` is 1,000 files and 3 rounds; ``--files`` and ``--rounds`` override it.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import anyio
from mcp import ClientSession, StdioServerParameters
from mcp.types import CallToolResult

from brains import CACHE, cached_brain, queries
from common import (
    bare_server,
    devlore_server,
    environment,
    now,
    parser,
    print_table,
    rounds_of,
    session,
    summary,
    write_results,
)

GOAL_RATIO = 1.25
GOAL_RECALL_P95_MS = 20.0
GOAL_PEAK_MB = 250.0
COLD_QUERY = "cache keys"
WARMUP_CALLS = 10
INDEX_FILES = ("index.sqlite", "index.sqlite-wal", "index.sqlite-shm")

Call = tuple[str, dict[str, Any]]
RECALL: Call = ("recall", {"query": COLD_QUERY})
PING: Call = ("ping", {})


def _checked(result: CallToolResult, what: str) -> CallToolResult:
    if result.is_error:
        raise RuntimeError(f"{what} failed: {result.content}")
    return result


def _hits(result: CallToolResult) -> int:
    return len((result.structured_content or {}).get("hits", []))


# -- the server process's memory --------------------------------------------------------------


def child_pid(marker: str) -> int | None:
    """The pid of this process's newest child whose command line contains ``marker``.

    The official stdio client spawns the server as a direct child, so scanning /proc for our
    children is enough (no psutil needed)."""
    me, found = os.getpid(), []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="utf-8") as f:
                stat = f.read()
            with open(f"/proc/{entry.name}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
        if int(fields[1]) == me and marker in cmdline:
            found.append((int(fields[19]), int(entry.name)))  # (start time, pid)
    return max(found)[1] if found else None


def process_memory(pid: int) -> dict[str, float]:
    """Peak and current resident memory of ``pid`` in MB (VmHWM, VmRSS from /proc/<pid>/status)."""
    values: dict[str, float] = {}
    with open(f"/proc/{pid}/status", encoding="utf-8") as f:
        for line in f:
            key, _, rest = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                values[key] = int(rest.split()[0]) / 1024  # kB -> MB
    return {"peak_mb": round(values["VmHWM"], 1), "rss_mb": round(values["VmRSS"], 1)}


def server_memory(marker: str) -> dict[str, Any]:
    pid = child_pid(marker)
    if pid is None:
        raise RuntimeError(f"no child process whose command line holds {marker!r}")
    return {"pid": pid, **process_memory(pid)}


# -- the measurements ---------------------------------------------------------------------------


def reset_index(root: Path) -> None:
    """Delete the derived search index, so the next start indexes the whole brain."""
    for name in INDEX_FILES:
        (root / ".devlore" / name).unlink(missing_ok=True)


async def start_and_call(params: StdioServerParameters, call: Call) -> tuple[float, float, CallToolResult]:
    """Seconds from spawn to the initialize answer and to the first tool call's answer."""
    t0 = now()
    async with session(params) as s:
        t_init = now()
        result = await s.call_tool(*call)
        t_call = now()
    return t_init - t0, t_call - t0, _checked(result, call[0])


async def first_indexing(root: Path) -> dict[str, Any]:
    """Spawn to the first answered recall on a brain without a search index."""
    reset_index(root)
    t0 = now()
    async with session(devlore_server(root)) as s:
        t_init = now()
        result = _checked(await s.call_tool(*RECALL), "recall")
        t_call = now()
        memory = server_memory(str(root))
    db = root / ".devlore" / "index.sqlite"
    return {
        "spawn_to_recall_s": round(t_call - t0, 3),
        "spawn_to_initialize_s": round(t_init - t0, 3),
        "index_bytes": db.stat().st_size if db.exists() else None,
        "hits": _hits(result),
        "memory": memory,
    }


async def cold_start(root: Path, rounds: int, rng: random.Random) -> dict[str, Any]:
    """devlore spawn to first answered recall against bare spawn to first answered ping."""
    servers = {"devlore": (devlore_server(root), RECALL), "bare": (bare_server(), PING)}
    for params, call in servers.values():  # unmeasured: OS caches, bytecode
        await start_and_call(params, call)
    init: dict[str, list[float]] = {name: [] for name in servers}
    call: dict[str, list[float]] = {name: [] for name in servers}
    orders: list[str] = []
    for _ in range(rounds):
        order = list(servers)
        rng.shuffle(order)
        orders.append(",".join(order))
        for name in order:
            t_init, t_call, _ = await start_and_call(*servers[name])
            init[name].append(t_init)
            call[name].append(t_call)
    devlore, bare = summary(call["devlore"]), summary(call["bare"])
    ratios = sorted(d / b for d, b in zip(call["devlore"], call["bare"], strict=True))
    return {
        "what": f"spawn to the first answered call: devlore recall {COLD_QUERY!r}, bare ping",
        "devlore": devlore,
        "bare": bare,
        "devlore_initialize": summary(init["devlore"]),
        "bare_initialize": summary(init["bare"]),
        "ratio_median": round(devlore["median_ms"] / bare["median_ms"], 3),
        "ratio_p95": round(devlore["p95_ms"] / bare["p95_ms"], 3),
        "ratio_per_round_median": round(ratios[len(ratios) // 2], 3),
        "orders": orders,
    }


async def _timed(s: ClientSession, call: Call) -> tuple[float, CallToolResult]:
    t0 = now()
    result = await s.call_tool(*call)
    return now() - t0, _checked(result, call[0])


async def recall_latency(root: Path, calls: int, rng: random.Random, query_seed: int) -> dict[str, Any]:
    """``calls`` recalls in one session, interleaved with the bare call; then both servers' memory."""
    asked = queries(calls + WARMUP_CALLS, query_seed)
    recall_s: list[float] = []
    bare_s: list[float] = []
    hits: list[int] = []
    async with session(devlore_server(root)) as devlore, session(bare_server()) as bare:
        first, _ = await _timed(devlore, ("recall", {"query": asked[0]}))
        for q in asked[1:WARMUP_CALLS]:
            await _timed(devlore, ("recall", {"query": q}))
            await _timed(bare, PING)
        after_warmup = server_memory(str(root))
        for q in asked[WARMUP_CALLS:]:
            ops = [("devlore", q), ("bare", "")]
            rng.shuffle(ops)
            for name, query in ops:
                if name == "devlore":
                    elapsed, result = await _timed(devlore, ("recall", {"query": query}))
                    recall_s.append(elapsed)
                    hits.append(_hits(result))
                else:
                    bare_s.append((await _timed(bare, PING))[0])
        memory = {
            "devlore": server_memory(str(root)),
            "devlore_after_warmup": after_warmup,
            "bare": server_memory("bare_server.py"),
        }
    return {
        "what": "recall round trip over stdio in one long-lived session (2-3 vocabulary words per query)",
        "recall": summary(recall_s),
        "bare_call": summary(bare_s),
        "first_call_ms": round(first * 1000, 3),
        "warmup_calls": WARMUP_CALLS,
        "hits_mean": round(sum(hits) / len(hits), 2),
        "zero_hit_queries": hits.count(0),
        "example_queries": asked[WARMUP_CALLS : WARMUP_CALLS + 5],
        "memory": memory,
    }


def _goal(measured: float, goal: float, unit: str, strict: bool = False) -> dict[str, Any]:
    """A goal met when ``measured`` is at most ``goal`` (under it, when ``strict``)."""
    met = measured < goal if strict else measured <= goal
    return {"measured": measured, "goal": goal, "unit": unit, "met": met}


async def run(files: int, rounds: int, calls: int, seed: int | None, brain_seed: int, cache: Path) -> dict[str, Any]:
    rng = random.Random(seed)
    load_before = os.getloadavg()
    root, brain = cached_brain(files, brain_seed, cache)
    indexing = await first_indexing(root)
    cold = await cold_start(root, rounds, rng)
    latency = await recall_latency(root, calls, rng, brain_seed)
    peak = latency["memory"]["devlore"]["peak_mb"]
    return {
        "benchmark": "scale",
        "files": files,
        "rounds": rounds,
        "calls": calls,
        "seed": seed,
        "brain": {**brain, "root": str(root)},
        "first_indexing": indexing,
        "cold_start": cold,
        "recall_latency": latency,
        "goals": {
            "cold_start_ratio": _goal(cold["ratio_median"], GOAL_RATIO, "x bare (median)"),
            "recall_p95_ms": _goal(latency["recall"]["p95_ms"], GOAL_RECALL_P95_MS, "ms"),
            "peak_rss_mb": _goal(peak, GOAL_PEAK_MB, "MB", strict=True),
        },
        "environment": {**environment(), "loadavg_before": load_before, "loadavg_after": os.getloadavg()},
    }


def report(data: dict[str, Any]) -> None:
    brain, idx = data["brain"], data["first_indexing"]
    cold, lat = data["cold_start"], data["recall_latency"]
    print(
        f"brain: {brain['markdown_files']:,} files, {brain['bytes']:,} bytes ({brain['patterns']:,} patterns in "
        f"{brain['pattern_files']} files, {brain['episodes']:,} episodes, {brain['workflows']} workflows, "
        f"{brain['worklogs']} work logs of {brain['worklog_versions']:,} versions){' [cached]' * brain['reused']}"
    )
    print(
        f"first indexing: spawn to first recall {idx['spawn_to_recall_s']:.2f} s (initialize answered at "
        f"{idx['spawn_to_initialize_s']:.2f} s; server peak {idx['memory']['peak_mb']:.1f} MB)"
    )
    print_table(
        [
            ("cold devlore", cold["devlore"]),
            ("cold bare", cold["bare"]),
            ("recall", lat["recall"]),
            ("bare call", lat["bare_call"]),
        ]
    )
    mem = lat["memory"]
    print(
        f"memory: devlore peak {mem['devlore']['peak_mb']:.1f} MB, now {mem['devlore']['rss_mb']:.1f} MB "
        f"(bare server peak {mem['bare']['peak_mb']:.1f} MB)"
    )
    print(f"recall hits per query: {lat['hits_mean']} on average, {lat['zero_hit_queries']} queries without any")
    load = data["environment"]["loadavg_before"][0], data["environment"]["loadavg_after"][0]
    print(f"load average (1 min): {load[0]:.2f} before, {load[1]:.2f} after")
    labels = {
        "cold_start_ratio": "cold start devlore/bare",
        "recall_p95_ms": "recall p95",
        "peak_rss_mb": "server peak memory",
    }
    for key, goal in data["goals"].items():
        verdict = "MEETS" if goal["met"] else "MISSES"
        print(f"{verdict} {labels[key]}: {goal['measured']:.3f} {goal['unit']} (goal {goal['goal']})")


def main() -> None:
    ap = parser(__doc__.split("\n\n")[0], rounds=15, quick_rounds=3)
    ap.add_argument("--files", type=int, default=None, help="markdown files in the brain (default 10,000)")
    ap.add_argument("--calls", type=int, default=200, help="measured recall calls (default 200)")
    ap.add_argument("--brain-seed", type=int, default=0, help="seed of the generated brain (default 0)")
    ap.add_argument("--brains", type=Path, default=CACHE, help="where generated brains are cached")
    args = ap.parse_args()
    files = args.files if args.files is not None else 1_000 if args.quick else 10_000
    data = anyio.run(run, files, rounds_of(args), args.calls, args.seed, args.brain_seed, args.brains)
    report(data)
    print(f"wrote {write_results('scale', data, args.out)}")


if __name__ == "__main__":
    main()
