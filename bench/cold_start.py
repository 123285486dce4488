"""Cold start: from spawning the server to the answer of its first tool call, over stdio.

devlore (``python -m devlore serve --root <copy of memory_fixtures>``, calling list_patterns)
against a bare MCPServer with one trivial tool (bench/bare_server.py, calling ping). Both are
measured alternately in one run: each round runs the two in random order, so drift on the
machine (caches, other load) hits both alike. One unmeasured start of each (skipped with --quick)
warms the OS caches and writes bytecode first.

    .venv/bin/python bench/cold_start.py [--rounds 15] [--quick]
"""

from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path
from typing import Any

import anyio
from mcp import StdioServerParameters

from common import (
    FIXTURES,
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

GOAL_RATIO = 1.15


async def start_and_call(params: StdioServerParameters, tool: str) -> tuple[float, float]:
    """Seconds from spawn to the initialize answer, and to the first tool call's answer."""
    t0 = now()
    async with session(params) as s:
        t_init = now()
        result = await s.call_tool(tool, {})
        t_call = now()
    if result.is_error:
        raise RuntimeError(f"{tool} failed: {result.content}")
    return t_init - t0, t_call - t0


async def run(rounds: int, warmup: bool, seed: int | None, root: Path) -> dict[str, Any]:
    rng = random.Random(seed)
    servers = {"devlore": (devlore_server(root), "list_patterns"), "bare": (bare_server(), "ping")}
    for params, tool in servers.values() if warmup else ():
        await start_and_call(params, tool)
    init: dict[str, list[float]] = {name: [] for name in servers}
    call: dict[str, list[float]] = {name: [] for name in servers}
    orders: list[str] = []
    for _ in range(rounds):
        order = list(servers)
        rng.shuffle(order)
        orders.append(",".join(order))
        for name in order:
            t_init, t_call = await start_and_call(*servers[name])
            init[name].append(t_init)
            call[name].append(t_call)
    devlore, bare = summary(call["devlore"]), summary(call["bare"])
    ratios = sorted(d / b for d, b in zip(call["devlore"], call["bare"], strict=True))
    return {
        "benchmark": "cold_start",
        "what": "spawn to first answered tool call over stdio (official client)",
        "rounds": rounds,
        "warmup": warmup,
        "seed": seed,
        "devlore": devlore,
        "bare": bare,
        "devlore_initialize": summary(init["devlore"]),
        "bare_initialize": summary(init["bare"]),
        "ratio_median": round(devlore["median_ms"] / bare["median_ms"], 3),
        "ratio_p95": round(devlore["p95_ms"] / bare["p95_ms"], 3),
        "ratio_per_round_median": round(ratios[len(ratios) // 2], 3),
        "goal_ratio": GOAL_RATIO,
        "meets_goal": devlore["median_ms"] / bare["median_ms"] <= GOAL_RATIO,
        "orders": orders,
        "environment": environment(),
    }


def main() -> None:
    args = parser(__doc__.split("\n\n")[0], rounds=15, quick_rounds=2).parse_args()
    with tempfile.TemporaryDirectory(prefix="devlore-bench-") as tmp:
        root = Path(tmp) / "brain"
        shutil.copytree(FIXTURES, root)
        data = anyio.run(run, rounds_of(args), not args.quick, args.seed, root)
    print_table(
        [
            ("devlore", data["devlore"]),
            ("bare", data["bare"]),
            ("devlore init", data["devlore_initialize"]),
            ("bare init", data["bare_initialize"]),
        ]
    )
    verdict = "meets" if data["meets_goal"] else "misses"
    print(
        f"ratio devlore/bare: median {data['ratio_median']:.3f}, p95 {data['ratio_p95']:.3f} ({verdict} ≤ {GOAL_RATIO})"
    )
    print(f"wrote {write_results('cold_start', data, args.out)}")


if __name__ == "__main__":
    main()
