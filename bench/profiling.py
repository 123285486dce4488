"""Where the time goes: pyinstrument profiles of devlore's operations, in process (no stdio).

    .venv/bin/python bench/profiling.py [--files 10000] [--patterns 1000] [--calls 50] [OPERATION ...]

OPERATION is any of add_example, list_patterns, get_pattern, get_worklog, recall, memory_stats
(default: all). The brain comes from bench/brains.py's cache (generated on first use) and
add_example runs on a copy of a generated file of ``--patterns`` entries. Each profile prints as
a call tree; the optimisations recorded in docs/DECISIONS.md were found this way.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from pyinstrument import Profiler

from brains import CACHE, cached_brain, queries
from devlore.service import patterns, recall, stats, worklog_views
from devlore.service.brain import Brain
from devlore.service.index import Index
from generate import write_brain

OPERATIONS = ("add_example", "list_patterns", "get_pattern", "get_worklog", "recall", "memory_stats")


def profile(label: str, call: Callable[[int], object], calls: int) -> None:
    call(-1)  # warm: parses, the index, imports
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for i in range(calls):
        call(i)
    profiler.stop()
    print(f"\n=== {label}: {calls} calls, {profiler.last_session.duration / calls * 1000:.2f} ms each (profiled)")
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("operations", nargs="*", metavar="OPERATION", help=f"any of {', '.join(OPERATIONS)}")
    ap.add_argument("--files", type=int, default=10_000, help="brain size for the read operations")
    ap.add_argument("--patterns", type=int, default=1_000, help="pattern-file size for add_example")
    ap.add_argument("--calls", type=int, default=50)
    ap.add_argument("--brains", type=Path, default=CACHE, help="where generated brains are cached")
    args = ap.parse_args()
    wanted = args.operations or list(OPERATIONS)
    unknown = sorted(set(wanted) - set(OPERATIONS))
    if unknown:
        ap.error(f"unknown operation {', '.join(unknown)}; choose from {', '.join(OPERATIONS)}")

    if "add_example" in wanted:
        with tempfile.TemporaryDirectory() as tmp:
            names = write_brain(Path(tmp), args.patterns)
            brain = Brain(Path(tmp))
            brain.health_delay = 60.0  # as the server: brain-health is refreshed off the request path
            profile(
                f"add_example on a {args.patterns}-pattern file",
                lambda i: patterns.add_example(brain, names[i % len(names)], f"Profile run {i} (2026-11-20) - ok"),
                args.calls,
            )
    reads = [op for op in wanted if op != "add_example"]
    if not reads:
        return
    source, _ = cached_brain(args.files, cache=args.brains)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "brain"
        shutil.copytree(source, root)
        brain = Brain(root)
        index = Index(brain)
        index.watching = True
        index.validate()
        named = [(r.entry.name, r.domain) for r in brain.patterns()]  # names repeat across domains
        logs = [row.name for row in worklog_views.board(brain)]
        asked = queries(args.calls + 1)
        ops: dict[str, Callable[[int], object]] = {
            "list_patterns": lambda i: patterns.list_patterns(brain, cursor=str(50 * (i % 10)) if i > 0 else None),
            "get_pattern": lambda i: patterns.get_pattern(brain, *named[i % len(named)]),
            "get_worklog": lambda i: worklog_views.get_worklog(brain, logs[i % len(logs)]),
            "recall": lambda i: recall.recall(brain, index=index, query=asked[i]),
            "memory_stats": lambda i: stats.memory_stats(brain, index=index),
        }
        for op in reads:
            profile(f"{op} on a {args.files:,}-file brain", ops[op], args.calls)


if __name__ == "__main__":
    main()
