"""bench/semantic_eval.py's parts that need no embedding model: the fusion and the memories it embeds.

The measurement itself needs an embedding package that CI does not install, so it is not run here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import semantic_eval  # noqa: E402
from recall_eval import matches  # noqa: E402


def test_rrf_sums_reciprocal_ranks_over_the_lists() -> None:
    # b: 1/(60+2) + 1/(60+1) beats a: 1/(60+1) alone; c and d hold one rank each.
    assert semantic_eval.rrf([["a", "b", "c"], ["b", "d"]]) == ["b", "a", "d", "c"]


def test_rrf_counts_a_repeated_key_once_at_its_first_rank() -> None:
    # A work log that BM25 returns once per session is one memory, ranked where it first appears.
    assert semantic_eval.rrf([["x", "x", "y"]], k=1) == ["x", "y"]
    assert semantic_eval.rrf([["x", "x", "y"], ["y"]], k=1) == ["y", "x"]


def test_rrf_breaks_ties_by_first_appearance() -> None:
    assert semantic_eval.rrf([["a"], ["b"]]) == ["a", "b"]
    assert semantic_eval.rrf([]) == []


def test_a_pattern_hit_is_its_file_and_name_anything_else_its_file() -> None:
    key = semantic_eval.key
    pattern = "memory/semantic/patterns/dev-patterns.md"
    assert key({"path": f"{pattern}#cache-keys", "title": " Cache Keys "}) == key(
        {"path": pattern, "title": "cache keys"}
    )
    assert key({"path": f"{pattern}#a", "title": "A"}) != key({"path": f"{pattern}#b", "title": "B"})
    log = "memory/worklogs/Auth-WorkLog.md"
    assert key({"path": f"{log}#v1", "title": "v1 …"}) == key({"path": log, "title": "v2 …"})


def test_every_gold_answer_is_one_of_the_embedded_memories() -> None:
    docs = semantic_eval.memories()
    assert len(docs) == 302  # bench/recall_eval/README.md: 122 patterns, 156 experiences, 16 workflows, 8 logs
    assert len({semantic_eval.key(d.hit()) for d in docs}) == len(docs)
    assert all(d.text.startswith(d.title) and len(d.text) > len(d.title) + 20 for d in docs)
    questions = json.loads((BENCH / "recall_eval" / "questions.json").read_text(encoding="utf-8"))["questions"]
    for q in questions:
        for answer in q["answers"]:
            assert any(matches(d.hit(), answer) for d in docs), (q["id"], answer)
