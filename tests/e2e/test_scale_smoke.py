"""bench/scale.py runs end to end on a small generated brain and writes its JSON; no timing is judged."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

BENCH = Path(__file__).resolve().parents[2] / "bench"
SUMMARY = {"n", "median_ms", "p95_ms", "min_ms", "max_ms", "samples_ms"}


def test_scale_quick_writes_indexing_cold_start_recall_and_memory_figures(tmp_path: Path) -> None:
    out, brains = tmp_path / "results", tmp_path / "brains"
    command = [sys.executable, str(BENCH / "scale.py"), "--quick", "--files", "300", "--rounds", "2", "--seed", "1"]
    proc = subprocess.run(
        [*command, "--out", str(out), "--brains", str(brains)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=90,
        check=False,
    )

    assert proc.returncode == 0, proc.stderr
    assert f"wrote {out / 'scale.json'}" in proc.stdout
    data = json.loads((out / "scale.json").read_text(encoding="utf-8"))
    assert data["benchmark"] == "scale"
    assert (data["files"], data["rounds"], data["calls"]) == (300, 2, 200)  # --files overrides --quick

    brain = data["brain"]
    assert brain["markdown_files"] == 300
    assert brain["episodes"] + brain["pattern_files"] + brain["workflows"] + brain["worklogs"] == 300
    assert (brains / "300-0" / "brain.json").is_file()  # cached for the next run

    assert {"spawn_to_recall_s", "spawn_to_initialize_s", "index_bytes", "hits"} <= set(data["first_indexing"])
    assert data["first_indexing"]["hits"] > 0
    assert data["first_indexing"]["memory"]["peak_mb"] > 0

    cold = data["cold_start"]
    for key in ("devlore", "bare", "devlore_initialize", "bare_initialize"):
        assert set(cold[key]) == SUMMARY, key
        assert cold[key]["n"] == 2, key
    assert cold["ratio_median"] > 0
    assert all(sorted(order.split(",")) == ["bare", "devlore"] for order in cold["orders"])

    latency = data["recall_latency"]
    assert set(latency["recall"]) == SUMMARY
    assert latency["recall"]["n"] == latency["bare_call"]["n"] == 200
    assert latency["hits_mean"] > 0
    memory = latency["memory"]
    for key in ("devlore", "devlore_after_warmup", "bare"):
        assert memory[key]["peak_mb"] >= memory[key]["rss_mb"] > 0, key

    assert set(data["goals"]) == {"cold_start_ratio", "recall_p95_ms", "peak_rss_mb"}
    assert {"loadavg_before", "loadavg_after"} <= set(data["environment"])
    for goal in data["goals"].values():
        assert {"measured", "goal", "unit", "met"} <= set(goal)
        assert goal["measured"] > 0
    for key in ("cold start devlore/bare", "recall p95", "server peak memory"):
        assert key in proc.stdout


def test_a_generated_brain_passes_devlore_check_and_is_reused(tmp_path: Path) -> None:
    root = tmp_path / "brain"
    made = subprocess.run(
        [sys.executable, str(BENCH / "brains.py"), "200", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    check = subprocess.run(
        [sys.executable, "-m", "devlore", "check", str(root)], capture_output=True, text=True, timeout=60, check=False
    )
    again = subprocess.run(
        [sys.executable, str(BENCH / "brains.py"), "200", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert made.returncode == 0, made.stderr
    counts = json.loads(made.stdout)
    assert (counts["markdown_files"], counts["reused"]) == (200, False)
    assert len(list((root / "memory").rglob("*.md"))) == 200
    assert check.returncode == 0, check.stdout
    assert json.loads(again.stdout)["reused"] is True
