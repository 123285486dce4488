"""Compare two versions of devlore from alternating ``bench/run.py`` runs on one machine.

Run ``bench/run.py --quick --out DIR`` several times with each version's interpreter, taking
turns (A, B, A, B, ...) so both see the same load, then::

    .venv/bin/python bench/compare.py --before A1 A2 A3 --after B1 B2 B3

For every figure both sides measured (each read tool at each brain size, each write tool,
add_example and the raw file operation at each file size, cold start, notification latency) it
prints the median of the runs' medians on each side and the range across runs. A figure is
called slower only when every run of the second version is slower than every run of the first
(the ranges do not overlap) and its median is more than 10% higher; anything else is within the
noise of this machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Iterator
from pathlib import Path
from typing import Any

Figures = dict[str, float]
MARGIN = 0.10  # a difference under 10% of the median is noise on a loaded 2-core machine


def figures(run: dict[str, Any]) -> Figures:
    """``label -> median ms`` for every timing in one ``run.json``."""
    out: Figures = {}
    for brain in run["brains"]:
        files = brain["files"]
        for tool, stats in brain.get("tools", {}).items():
            out[f"read {tool} @{files}"] = stats["median_ms"]
        cold = brain.get("cold_start", {})
        if "devlore" in cold:
            out[f"cold start @{files}"] = cold["devlore"]["median_ms"]
    for row in run["add_example"]:
        out[f"add_example @{row['patterns']} patterns"] = row["add_example"]["median_ms"]
        out[f"raw write @{row['patterns']} patterns"] = row["raw_file_operation"]["median_ms"]
    for tool, stats in run["write_tools"]["tools"].items():
        out[f"write {tool}"] = stats["median_ms"]
    out["edit to notification"] = run["notification"]["latency"]["median_ms"]
    return out


def load(folders: list[Path]) -> list[Figures]:
    return [figures(json.loads((folder / "run.json").read_text(encoding="utf-8"))) for folder in folders]


def rows(before: list[Figures], after: list[Figures]) -> Iterator[tuple[str, list[float], list[float], str]]:
    for label in before[0]:
        a = [run[label] for run in before if label in run]
        b = [run[label] for run in after if label in run]
        if not a or not b:
            continue
        ratio = statistics.median(b) / statistics.median(a)
        if min(b) > max(a) and ratio > 1 + MARGIN:
            verdict = "slower"
        elif max(b) < min(a) and ratio < 1 - MARGIN:
            verdict = "faster"
        else:
            verdict = "within noise"
        yield label, a, b, verdict


def table(before: list[Figures], after: list[Figures]) -> str:
    lines = [
        f"| figure (ms, median of {len(before)} / {len(after)} runs) | before | range | after | range | verdict |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for label, a, b, verdict in rows(before, after):
        lines.append(
            f"| {label} | {statistics.median(a):.1f} | {min(a):.1f}–{max(a):.1f} "
            f"| {statistics.median(b):.1f} | {min(b):.1f}–{max(b):.1f} | {verdict} |"
        )
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", type=Path, nargs="+", required=True, help="--out folders of the first version")
    ap.add_argument("--after", type=Path, nargs="+", required=True, help="--out folders of the second version")
    args = ap.parse_args()
    print(table(load(args.before), load(args.after)))


if __name__ == "__main__":
    main()
