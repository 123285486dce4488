"""Recall quality: does ``recall`` find the memory that answers a question?

    .venv/bin/python bench/recall_eval.py [--split tune|heldout|all] [--json OUT] [--k 5,10]
    .venv/bin/python bench/recall_eval.py --write-baseline   # both halves into recall_eval/baseline.json

The brain (bench/recall_eval/brain/) and the questions (bench/recall_eval/questions.json) were
written for this evaluation; bench/recall_eval/README.md describes them, the fixed split into a
``tune`` half and a ``heldout`` half, and which half may be tuned on.

The brain is copied to a temporary folder and devlore is started in process behind the official
MCP client; each question is one ``recall`` call (limit: the largest k). Only the public MCP
surface is used (the ``recall`` tool's structured hits: kind, title, path, snippet, score), so
the same command measures any engine.

- A hit matches a gold answer when its path, without any ``#fragment``, is the answer's path
  and, when the answer names a pattern (``title``), the hit's title is that name (case-insensitive,
  trimmed). Episodes, workflows and work logs match by path alone, so a work log that comes back
  one hit per entry (``v7 …``) still matches.
- recall@k: the fraction of questions with at least one gold answer in the first k hits.
- MRR: the mean over questions of 1/rank of the first gold hit within the largest k (0 if none).
- A recall call that errors counts as a miss; its error text is kept in the JSON.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import anyio
from mcp import Client

from devlore.server import build_server
from devlore.service.brain import Brain

HERE = Path(__file__).resolve().parent / "recall_eval"
BRAIN = HERE / "brain"
QUESTIONS = HERE / "questions.json"
BASELINE = HERE / "baseline.json"
SPLITS = ("tune", "heldout", "all")
EVAL_DAY = date(2026, 12, 1)
"""The brain's "today", so that recency boosts do not drift with the calendar."""

__all__ = ["BASELINE", "BRAIN", "QUESTIONS", "evaluate", "load_questions", "markdown_table", "matches", "run"]


def load_questions(split: str = "all", path: Path = QUESTIONS) -> list[dict[str, Any]]:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}")
    questions = json.loads(path.read_text(encoding="utf-8"))["questions"]
    return [q for q in questions if split == "all" or q["split"] == split]


def matches(hit: dict[str, Any], answer: dict[str, Any]) -> bool:
    if str(hit.get("path", "")).split("#", 1)[0] != answer["path"]:
        return False
    title = answer.get("title")
    return title is None or str(hit.get("title", "")).strip().lower() == title.strip().lower()


def first_gold_rank(hits: list[dict[str, Any]], answers: list[dict[str, Any]]) -> int | None:
    for rank, hit in enumerate(hits, 1):
        if any(matches(hit, a) for a in answers):
            return rank
    return None


def _brain(root: Path) -> Brain:
    try:
        return Brain(root, today=lambda: EVAL_DAY)
    except TypeError:  # an engine whose Brain takes no clock: its own today
        return Brain(root)


async def _ask(questions: list[dict[str, Any]], root: Path, limit: int) -> list[dict[str, Any]]:
    answered = []
    async with Client(build_server(_brain(root))) as client:
        for q in questions:
            hits: list[dict[str, Any]] = []
            error = None
            try:
                result = await client.call_tool("recall", {"query": q["query"], "limit": limit})
                if result.is_error:
                    error = " ".join(getattr(c, "text", "") for c in result.content)[:500] or "error"
                else:
                    hits = list((result.structured_content or {}).get("hits", []))
            except Exception as exc:  # a failing call is a miss, not the end of the evaluation
                error = f"{type(exc).__name__}: {exc}"[:500]
            answered.append({"id": q["id"], "hits": hits, "error": error})
    return answered


def _metrics(ranks: list[int | None], ks: list[int]) -> dict[str, Any]:
    n = len(ranks)
    out: dict[str, Any] = {"n": n}
    for k in ks:
        out[f"recall@{k}"] = round(sum(1 for r in ranks if r is not None and r <= k) / n, 4) if n else 0.0
    out["mrr"] = round(sum(1 / r for r in ranks if r is not None) / n, 4) if n else 0.0
    return out


def evaluate(questions: list[dict[str, Any]], ks: Iterable[int] = (5, 10), brain: Path = BRAIN) -> dict[str, Any]:
    """Ask every question of a copy of ``brain``; recall@k and MRR overall and per type."""
    ks = sorted(set(ks))
    with tempfile.TemporaryDirectory(prefix="devlore-recall-eval-") as tmp:
        root = Path(tmp) / "brain"
        shutil.copytree(brain, root, ignore=shutil.ignore_patterns(".devlore"))
        answered = anyio.run(_ask, questions, root, max(ks))
    per_question = []
    for q, a in zip(questions, answered, strict=True):
        rank = first_gold_rank(a["hits"][: max(ks)], q["answers"])
        per_question.append(
            {
                "id": q["id"],
                "type": q["type"],
                "split": q["split"],
                "query": q["query"],
                "rank": rank,
                "error": a["error"],
                "top": [f"{h.get('kind')}: {h.get('title')}" for h in a["hits"][:3]],
            }
        )
    types = sorted({q["type"] for q in questions})
    return {
        "k": ks,
        "metric": "recall@k = share of questions with at least one gold answer in the top k; "
        "MRR = mean 1/rank of the first gold hit within the largest k",
        "overall": _metrics([p["rank"] for p in per_question], ks),
        "by_type": {t: _metrics([p["rank"] for p in per_question if p["type"] == t], ks) for t in types},
        "errors": sum(1 for p in per_question if p["error"]),
        "questions": per_question,
    }


def run(split: str = "all", ks: Iterable[int] = (5, 10)) -> dict[str, Any]:
    result = evaluate(load_questions(split), ks)
    return {"split": split, **result}


def _cell(m: dict[str, Any], key: str, base: dict[str, Any] | None) -> str:
    now = f"{m[key]:.2f}"
    if base is None or key not in base:
        return now
    return f"{base[key]:.2f} → {now}"


def markdown_table(result: dict[str, Any], baseline: dict[str, Any] | None = None) -> str:
    """One row per question type and one overall; with a baseline, each cell reads ``before → now``."""
    keys = [f"recall@{k}" for k in result["k"]] + ["mrr"]
    lines = ["| type | n | " + " | ".join(keys) + " |", "|---|---:|" + "---:|" * len(keys)]
    rows = [*result["by_type"].items(), ("**all**", result["overall"])]
    for name, m in rows:
        base = None
        if baseline is not None:
            base = baseline["overall"] if name == "**all**" else baseline["by_type"].get(name)
        lines.append(f"| {name} | {m['n']} | " + " | ".join(_cell(m, key, base) for key in keys) + " |")
    return "\n".join(lines)


def baseline(ks: Iterable[int] = (5, 10)) -> dict[str, Any]:
    """Both halves, compactly: the figures and each question's rank (``None``: not in the top k)."""
    out: dict[str, Any] = {
        "what": "recall quality of the engine at the commit this file was written",
        "day": str(EVAL_DAY),
    }
    for split in ("tune", "heldout"):
        r = run(split, ks)
        out[split] = {
            "k": r["k"],
            "overall": r["overall"],
            "by_type": r["by_type"],
            "errors": r["errors"],
            "ranks": {p["id"]: p["rank"] for p in r["questions"]},
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--split", choices=SPLITS, default="heldout")
    ap.add_argument("--json", type=Path, default=None, help="write the figures (and each question's rank) here")
    ap.add_argument("--k", default="5,10", help="cut-offs, comma-separated")
    ap.add_argument("--misses", action="store_true", help="also list the questions with no gold hit")
    ap.add_argument("--write-baseline", action="store_true", help=f"measure both halves into {BASELINE.name}")
    args = ap.parse_args()
    ks = [int(k) for k in args.k.split(",") if k.strip()]
    if args.write_baseline:
        BASELINE.write_text(json.dumps(baseline(ks), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {BASELINE}")
        return
    result = run(args.split, ks)
    print(f"Recall quality, {args.split} split ({result['overall']['n']} questions, errors: {result['errors']})\n")
    print(markdown_table(result))
    if args.misses:
        print()
        for p in result["questions"]:
            if p["rank"] is None:
                print(f"- {p['id']} ({p['type']}) {p['query']!r}: {p['error'] or '; '.join(p['top'])}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()
