"""The benchmarks run end to end in --quick mode and write their JSON; no timing is judged here."""

from __future__ import annotations

import cProfile
import importlib.util
import json
import pstats
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

BENCH = Path(__file__).resolve().parents[2] / "bench"
SUMMARY = {"n", "median_ms", "p95_ms", "min_ms", "max_ms", "samples_ms"}


def run_bench(script: str, out: Path, *extra: str) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, str(BENCH / script), "--quick", "--seed", "1", "--out", str(out), *extra],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert f"wrote {out / script.replace('.py', '.json')}" in proc.stdout
    stamped = sorted(out.glob(script.replace(".py", "-*.json")))
    assert len(stamped) == 1
    data: dict[str, Any] = json.loads((out / script.replace(".py", ".json")).read_text(encoding="utf-8"))
    assert json.loads(stamped[0].read_text(encoding="utf-8")) == data
    return data


def test_cold_start_quick_writes_medians_p95_and_the_ratio_for_both_servers(tmp_path: Path) -> None:
    data = run_bench("cold_start.py", tmp_path)

    assert data["benchmark"] == "cold_start"
    assert data["rounds"] == 2
    for key in ("devlore", "bare", "devlore_initialize", "bare_initialize"):
        assert set(data[key]) == SUMMARY, key
        assert data[key]["n"] == 2, key
    assert {"ratio_median", "ratio_p95", "goal_ratio", "meets_goal", "environment"} <= set(data)
    assert data["ratio_median"] > 0
    assert len(data["orders"]) == 2
    assert all(sorted(order.split(",")) == ["bare", "devlore"] for order in data["orders"])


def test_roundtrip_quick_writes_add_example_get_pattern_and_bare_call_figures(tmp_path: Path) -> None:
    data = run_bench("roundtrip.py", tmp_path, "--patterns", "40")

    assert data["benchmark"] == "roundtrip"
    assert (data["patterns"], data["rounds"]) == (40, 3)
    for key in ("add_example", "get_pattern", "bare_call"):
        assert set(data[key]) == SUMMARY, key
        assert data[key]["n"] == 3, key
    assert {"ratio_add_example_median", "ratio_get_pattern_median", "environment"} <= set(data)
    assert data["file_bytes_after"] > data["file_bytes_before"]  # the examples were written


def test_the_generated_brain_passes_devlore_check_with_every_level_represented(tmp_path: Path) -> None:
    root = tmp_path / "generated"
    gen = subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), "120", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert gen.returncode == 0, gen.stderr

    check = subprocess.run(
        [sys.executable, "-m", "devlore", "check", str(root)], capture_output=True, text=True, timeout=60, check=False
    )
    listed = subprocess.run(
        [sys.executable, "-m", "devlore", "patterns", "--root", str(root)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert check.returncode == 0, check.stdout
    header, *rows = listed.stdout.splitlines()
    assert header.split() == ["LEVEL", "EX", "DOMAIN", "NAME"]
    assert len(rows) == 120
    assert {row.split()[0] for row in rows} == {"LOW", "MEDIUM", "HIGH"}
    assert not any("(written" in row or "[drift" in row for row in rows)  # levels, counts, footer all agree


def _generated_text(patterns: int) -> str:
    spec = importlib.util.spec_from_file_location("bench_generate", BENCH / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text: str = module.pattern_file(patterns).text
    return text


def test_parsing_a_pattern_file_does_work_linear_in_its_size() -> None:
    """Counted in Python function calls (generator steps included), not seconds: deterministic
    and blind to machine load. Linear work doubles with twice the patterns; quadratic triples."""
    from devlore.codec.patterns import PatternFile

    def calls(patterns: int) -> int:
        text = _generated_text(patterns)
        profile = cProfile.Profile()
        profile.runcall(PatternFile.parse, text)
        return int(pstats.Stats(profile).total_calls)  # type: ignore[attr-defined]

    calls(5)  # imports and caches out of the way
    small, big = calls(100), calls(200)

    assert big / small < 2.4, f"{small:,} calls for 100 patterns, {big:,} for 200"


def test_profile_prints_a_call_tree_for_each_operation(tmp_path: Path) -> None:
    command = [sys.executable, str(BENCH / "profiling.py"), "--files", "100", "--patterns", "20", "--calls", "2"]
    proc = subprocess.run(
        [*command, "--brains", str(tmp_path), "add_example", "get_pattern", "memory_stats"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
        cwd=BENCH,
    )
    assert proc.returncode == 0, proc.stderr
    for title in ("add_example on a 20-pattern file", "get_pattern on a 100-file brain", "memory_stats on a 100"):
        assert f"=== {title}" in proc.stdout
    assert "patterns.py" in proc.stdout  # a real call tree, through devlore's code
