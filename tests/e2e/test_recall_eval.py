"""The recall evaluation's brain and questions are sound, and its runner returns figures in [0, 1]."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

BENCH = Path(__file__).resolve().parents[2] / "bench"
EVAL = BENCH / "recall_eval"
BRAIN = EVAL / "brain"
TYPES = {"keyword", "natural", "paraphrase", "morphology", "identifier", "example", "worklog", "phrase", "typo"}


def _questions() -> list[dict]:
    return json.loads((EVAL / "questions.json").read_text(encoding="utf-8"))["questions"]


def _pattern_names(path: Path) -> set[str]:
    """Names of the H2 sections holding a confidence (format A's line or format B's subsection),
    outside code fences: what docs/FORMAT.md §2.1 calls a pattern entry."""
    sections: list[tuple[str, list[str]]] = []
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif sections and not fenced:
            sections[-1][1].append(line)
    return {name for name, body in sections if any(b.startswith(("**Confidence:**", "### Confidence")) for b in body)}


def test_the_brain_passes_devlore_check() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "devlore", "check", str(BRAIN)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_brain_holds_at_least_300_memories_of_every_kind() -> None:
    memory = BRAIN / "memory"
    patterns = sum(len(_pattern_names(p)) for p in (memory / "semantic/patterns").glob("*-patterns.md"))
    episodes = len(list((memory / "episodic").rglob("*.md")))
    workflows = len(list((memory / "procedural/workflows").glob("*.md")))
    worklogs = list((memory / "worklogs").glob("*-WorkLog.md"))
    assert patterns >= 120
    assert episodes >= 120
    assert workflows >= 15
    assert len(worklogs) >= 8
    assert patterns + episodes + workflows + len(worklogs) >= 300
    for log in worklogs:  # several sessions each
        assert log.read_text(encoding="utf-8").count("\n## v") >= 3, log.name


def test_the_brain_is_what_make_brain_writes(tmp_path: Path) -> None:
    sys.path.insert(0, str(EVAL))
    try:
        import make_brain
    finally:
        sys.path.remove(str(EVAL))
    make_brain.write(tmp_path / "brain")
    written = {p.relative_to(tmp_path / "brain"): p.read_bytes() for p in (tmp_path / "brain").rglob("*.md")}
    committed = {p.relative_to(BRAIN): p.read_bytes() for p in BRAIN.rglob("*.md")}
    assert written == committed
    assert make_brain.questions()["questions"] == _questions()


def test_at_least_150_questions_split_in_halves_within_every_type() -> None:
    questions = _questions()
    assert len(questions) >= 150
    assert len({q["id"] for q in questions}) == len(questions)
    assert {q["type"] for q in questions} == TYPES
    by_type: dict[str, Counter] = defaultdict(Counter)
    for q in questions:
        assert q["query"].strip() and q["answers"], q["id"]
        by_type[q["type"]][q["split"]] += 1
    for qtype, splits in by_type.items():
        assert set(splits) == {"tune", "heldout"}, qtype
        assert abs(splits["tune"] - splits["heldout"]) <= 1, qtype


def test_every_gold_answer_exists_in_the_brain() -> None:
    names: dict[str, set[str]] = {}
    for q in _questions():
        for answer in q["answers"]:
            path = BRAIN / answer["path"]
            assert path.is_file(), (q["id"], answer)
            if "title" in answer:
                names.setdefault(answer["path"], _pattern_names(path))
                assert answer["title"] in names[answer["path"]], (q["id"], answer)
            else:
                assert "/semantic/patterns/" not in answer["path"], (q["id"], "a pattern answer needs its title")


def test_the_runner_scores_a_handful_of_questions_between_0_and_1() -> None:
    sys.path.insert(0, str(BENCH))
    try:
        import recall_eval
    finally:
        sys.path.remove(str(BENCH))
    empty = {"id": "empty", "type": "keyword", "split": "heldout", "query": "?", "answers": [{"path": "x.md"}]}
    questions = [*recall_eval.load_questions("heldout")[:6], empty]
    result = recall_eval.evaluate(questions, ks=(5, 10))
    for figures in [result["overall"], *result["by_type"].values()]:
        assert all(0.0 <= figures[key] <= 1.0 for key in ("recall@5", "recall@10", "mrr"))
    assert result["overall"]["n"] == 7
    assert result["errors"] == 1  # a query with no word is a tool error: a miss, with its text kept
    (failed,) = [p for p in result["questions"] if p["error"]]
    assert failed["id"] == "empty" and failed["rank"] is None
    assert "| **all** | 7 |" in recall_eval.markdown_table(result)


def test_a_hit_matches_by_path_and_for_patterns_by_title() -> None:
    sys.path.insert(0, str(BENCH))
    try:
        import recall_eval
    finally:
        sys.path.remove(str(BENCH))
    pattern = {"path": "memory/semantic/patterns/dev-patterns.md", "title": "Inject the Clock"}
    assert recall_eval.matches({"path": pattern["path"] + "#inject-the-clock", "title": " inject the clock "}, pattern)
    assert not recall_eval.matches({"path": pattern["path"], "title": "Other"}, pattern)
    log = {"path": "memory/worklogs/Rate-Limiter-WorkLog.md"}
    assert recall_eval.matches({"path": log["path"], "title": "v2 Envoy config"}, log)
