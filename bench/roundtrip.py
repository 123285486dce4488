"""Round trips over stdio on a big brain: add_example and get_pattern against a generated
dev-patterns.md of 500 patterns, next to a bare MCPServer's trivial call.

Both servers run for the whole benchmark; each round makes the three calls in random order,
so drift hits all three alike. Three unmeasured rounds (one with --quick) warm both servers up first.

    .venv/bin/python bench/roundtrip.py [--rounds 30] [--patterns 500] [--quick]
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
from mcp import ClientSession
from mcp.types import CallToolResult

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
from generate import DEV, write_brain


async def timed(call: Callable[[], Awaitable[CallToolResult]]) -> float:
    t0 = now()
    result = await call()
    elapsed = now() - t0
    if result.is_error:
        raise RuntimeError(f"call failed: {result.content}")
    return elapsed


def operations(
    devlore: ClientSession, bare: ClientSession, names: list[str], rng: random.Random
) -> dict[str, Callable[[], Awaitable[CallToolResult]]]:
    counter = iter(range(1_000_000))

    def add_example() -> Awaitable[CallToolResult]:
        example = f"Bench Project - run {next(counter)} of the round-trip benchmark (2026-11-20) - no incident"
        return devlore.call_tool("add_example", {"pattern": rng.choice(names), "example": example})

    def get_pattern() -> Awaitable[CallToolResult]:
        return devlore.call_tool("get_pattern", {"pattern": rng.choice(names)})

    def bare_call() -> Awaitable[CallToolResult]:
        return bare.call_tool("ping", {})

    return {"add_example": add_example, "get_pattern": get_pattern, "bare_call": bare_call}


async def run(rounds: int, warmup: int, patterns: int, seed: int | None, root: Path) -> dict[str, Any]:
    rng = random.Random(seed)
    names = write_brain(root, patterns, seed=0)
    size_before = (root / DEV).stat().st_size
    samples: dict[str, list[float]] = {"add_example": [], "get_pattern": [], "bare_call": []}
    async with session(devlore_server(root)) as devlore, session(bare_server()) as bare:
        ops = operations(devlore, bare, names, rng)
        for _ in range(warmup):
            for op in ops.values():
                await timed(op)
        for _ in range(rounds):
            order = list(ops)
            rng.shuffle(order)
            for name in order:
                samples[name].append(await timed(ops[name]))
    stats = {name: summary(values) for name, values in samples.items()}
    bare_median = stats["bare_call"]["median_ms"]
    return {
        "benchmark": "roundtrip",
        "what": "one tools/call round trip over stdio (official client), servers already running",
        "patterns": patterns,
        "rounds": rounds,
        "warmup_rounds": warmup,
        "seed": seed,
        **stats,
        "ratio_add_example_median": round(stats["add_example"]["median_ms"] / bare_median, 3),
        "ratio_get_pattern_median": round(stats["get_pattern"]["median_ms"] / bare_median, 3),
        "file_bytes_before": size_before,
        "file_bytes_after": (root / DEV).stat().st_size,
        "environment": environment(),
    }


def main() -> None:
    ap = parser(__doc__.split("\n\n")[0], rounds=30, quick_rounds=3)
    ap.add_argument("--patterns", type=int, default=500, help="patterns in the generated file (default 500)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="devlore-bench-") as tmp:
        warmup = 1 if args.quick else 3
        data = anyio.run(run, rounds_of(args), warmup, args.patterns, args.seed, Path(tmp) / "brain")
    print(f"{data['patterns']} patterns, {data['file_bytes_before']:,} bytes")
    print_table([(name, data[name]) for name in ("add_example", "get_pattern", "bare_call")])
    print(
        f"ratio to the bare call (median): add_example {data['ratio_add_example_median']:.1f}x, "
        f"get_pattern {data['ratio_get_pattern_median']:.1f}x"
    )
    print(f"wrote {write_results('roundtrip', data, args.out)}")


if __name__ == "__main__":
    main()
