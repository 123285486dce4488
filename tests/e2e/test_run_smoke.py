"""bench/run.py runs end to end on a small brain and writes JSON, BENCHMARKS.md and plots; no timing is judged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from devlore.tools import WRITES

pytestmark = pytest.mark.e2e

BENCH = Path(__file__).resolve().parents[2] / "bench"
SUMMARY = {"n", "median_ms", "p95_ms", "min_ms", "max_ms", "samples_ms"}
READ_TOOLS = {"recall", "list_patterns", "get_pattern", "memory_stats", "get_worklog", "get_worklog_board"}
WRITE_TOOLS = set(WRITES)  # every tool that writes is benchmarked


def test_run_quick_writes_every_figure_the_table_and_the_plots(tmp_path: Path) -> None:
    out, brains = tmp_path / "out", tmp_path / "brains"
    command = [sys.executable, str(BENCH / "run.py"), "--quick", "--sizes", "100", "--rounds", "2", "--seed", "1"]
    proc = subprocess.run(
        [*command, "--out", str(out), "--brains", str(brains)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=110,
        check=False,
    )

    assert proc.returncode == 0, proc.stderr
    data = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert {"brains", "add_example", "notification", "goals", "environment", "sizes", "rounds"} <= set(data)
    assert data["sizes"] == [100]

    (brain,) = data["brains"]
    assert brain["files"] == 100
    assert {"first_indexing", "cold_start", "tools", "ratio_to_bare_median", "answer_chars", "memory"} <= set(brain)
    assert set(brain["tools"]) == READ_TOOLS | {"bare_call"}
    for name, stats in brain["tools"].items():
        assert set(stats) == SUMMARY, name
        assert stats["n"] == 2, name
    assert set(brain["answer_chars"]) == READ_TOOLS
    assert brain["cold_start"]["ratio_median"] > 0
    assert brain["memory"]["devlore"]["peak_mb"] > 0
    hook = brain["hook"]
    assert hook["session_start"]["n"] == hook["version"]["n"] == 6
    assert hook["right_log_first"] is True
    assert 0 < hook["largest_chars"] <= hook["budget"]
    assert data["context_cost"]["tools_list_chars"] < 20_000
    assert data["context_cost"]["plugin"]["always_on_tokens"] > 0

    assert len(data["add_example"]) >= 1
    for add in data["add_example"]:
        assert {"patterns", "file_bytes", "add_example", "raw_file_operation", "ratio_median"} <= set(add)
    writes = data["write_tools"]["tools"]
    assert set(writes) == WRITE_TOOLS | {"bare_call"}
    assert all(stats["n"] == 2 for stats in writes.values())  # every write tool answered without an error
    assert data["notification"]["edits"] == 2
    assert {"measured", "goal", "unit", "met", "label"} <= set(data["goals"][0])

    table = (out / "BENCHMARKS.md").read_text(encoding="utf-8")
    assert "MEETS" in table or "MISSES" in table
    assert "## Context cost of a session" in table
    assert "## Session-start hook against brain size" in table
    assert "## Write tools on a 100-file brain" in table and "| resolve_blocker |" in table
    assert list(out.glob("*.png"))

    # The board: its overview against a static file from the same server, its weight, live updates.
    (board,) = data["board"]
    assert board["files"] == 100 and board["overview"]["n"] == 2 and board["static"]["n"] == 2
    assert board["overview_bytes"] > 0 and board["ratio_p95"] > 0
    assert board["update"]["n"] + board["missed"] == board["edits"] == 2
    assert {g["label"] for g in data["goals"]} >= {
        "Board overview HTML p95 under 300 ms at 10,000 files",
        "Board overview under 300 KB at 10,000 files",
        "Board update reaches an open page p95 under 1 s",
    }
    assert "## The board" in table

    # Recall quality runs in quick mode too: both halves, beside the committed baseline.
    quality = data["recall_quality"]
    assert quality["baseline"] is not None
    for split in ("heldout", "tune"):
        overall = quality[split]["overall"]
        assert overall["n"] > 0
        assert all(0.0 <= overall[key] <= 1.0 for key in ("recall@5", "recall@10", "mrr"))
    assert "## Recall quality (held-out half)" in table and "## Recall quality (tune half)" in table
    assert "| **all** |" in table and "→" in table

    # bench/compare.py reads these runs: the same run on both sides is within noise everywhere,
    # and a copy where every write tool took twice as long is slower there and nowhere else.
    slow = json.loads((out / "run.json").read_text(encoding="utf-8"))
    for stats in slow["write_tools"]["tools"].values():
        stats["median_ms"] *= 2
    (tmp_path / "slow").mkdir()
    (tmp_path / "slow" / "run.json").write_text(json.dumps(slow), encoding="utf-8")
    same = compare(out, out)
    assert "read recall @100" in same
    assert {label for label, verdict in same.items() if verdict != "within noise"} == set()
    slower = compare(out, tmp_path / "slow")
    assert {label for label, verdict in slower.items() if verdict != "within noise"} == {f"write {t}" for t in writes}
    assert {slower[f"write {t}"] for t in writes} == {"slower"}


def compare(before: Path, after: Path) -> dict[str, str]:
    """``figure -> verdict`` from bench/compare.py's table."""
    table = subprocess.run(
        [sys.executable, str(BENCH / "compare.py"), "--before", str(before), "--after", str(after)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=True,
    ).stdout
    cells = [[cell.strip() for cell in line.strip("|").split("|")] for line in table.splitlines()[2:]]
    return {row[0]: row[-1] for row in cells}
