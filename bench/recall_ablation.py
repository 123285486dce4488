"""Ablation of recall's ranking boosts: does each one earn its place?

    .venv/bin/python bench/recall_ablation.py [--json OUT]

Runs ``bench/recall_eval.py``'s evaluation (both halves, recall@5, recall@10, MRR, per type) once
as shipped and once per ablation, in process. Each ablation temporarily replaces the module-level
constant or function that implements one piece of the ranking (``src/`` is never changed):

- the exact-title lift (``recall._EXACT``), the level lifts (``documents.LEVEL_TIER``), the
  experience lifts (``recall._RECENT_EPISODE`` / ``_OLDER_EPISODE``), the latest work-log entry
  lift (``documents.LATEST_ENTRY_TIER``), all of them together;
- the relevance floor (``recall.FLOOR``: off, 0.2, 0.4);
- the BM25 field weights (``index._BM25``, the SQL built from ``index.WEIGHTS`` at import);
- stop-word removal (``recall._STOP``) and typo respelling (``recall._spelled``).

Level and work-log lifts are stored in the index when a file is indexed; every evaluation copies
the brain afresh (without its ``.devlore`` cache), so the patched value is the one indexed.

Besides the figures it records, per configuration, the mean number of hits per question (the
floor's job is to keep answers short) and on how many questions the order of the hits differs
from the shipped order (whether the evaluation can see a boost at all). Last, it runs small
checks on a temporary brain for the boosts the questions barely exercise, and looks over every
shipped answer for a lifted hit placed above a hit with a higher BM25.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))

import recall_eval  # the evaluation itself: its functions are reused, not copied
from devlore.service import documents, index, recall
from devlore.service.brain import Brain

Patch = tuple[Any, str, Any]

ALL_LIFTS_OFF: list[Patch] = [
    (recall, "_EXACT", 0.0),
    (documents, "LEVEL_TIER", {"HIGH": 0.0, "MEDIUM": 0.0, "LOW": 0.0}),
    (recall, "_RECENT_EPISODE", 0.0),
    (recall, "_OLDER_EPISODE", 0.0),
    (documents, "LATEST_ENTRY_TIER", 0.0),
]
EQUAL_WEIGHTS = f"bm25(fts, {', '.join(['1.0'] * len(index.WEIGHTS))})"

CONFIGS: list[tuple[str, list[Patch]]] = [
    ("shipped", []),
    ("no exact-title lift", [ALL_LIFTS_OFF[0]]),
    ("no level lifts", [ALL_LIFTS_OFF[1]]),
    ("no experience lifts", ALL_LIFTS_OFF[2:4]),
    ("no recency difference (all experiences +0.005)", [(recall, "_RECENT_EPISODE", recall._OLDER_EPISODE)]),
    ("no latest work-log entry lift", [ALL_LIFTS_OFF[4]]),
    ("all lifts off", ALL_LIFTS_OFF),
    ("floor off", [(recall, "FLOOR", 0.0)]),
    ("floor 0.2", [(recall, "FLOOR", 0.2)]),
    ("floor 0.4", [(recall, "FLOOR", 0.4)]),
    ("floor 0.5", [(recall, "FLOOR", 0.5)]),
    ("equal field weights", [(index, "_BM25", EQUAL_WEIGHTS)]),
    ("no stop-word removal", [(recall, "_STOP", frozenset())]),
    ("no typo respelling", [(recall, "_spelled", lambda _index, terms: (terms, []))]),
    ("no thesaurus", [(recall, "alternatives", lambda _term: ())]),
    ("thesaurus hits at full weight", [(recall, "_ALSO", 1.0)]),
    ("thesaurus hits at 0.4", [(recall, "_ALSO", 0.4)]),
]


@contextlib.contextmanager
def patched(patches: list[Patch]) -> Iterator[None]:
    with contextlib.ExitStack() as stack:
        for module, name, value in patches:
            if not hasattr(module, name):
                raise AttributeError(f"{module.__name__}.{name} is gone: the ablation no longer applies")
            stack.enter_context(mock.patch.object(module, name, value))
        yield


@contextlib.contextmanager
def watching(record: dict[str, list[Any]]) -> Iterator[None]:
    """Keep each question's hits (the evaluation keeps only the first three titles) and, for every
    recall call, each candidate's BM25 and lift."""
    ask, lift, parse = recall_eval._ask, recall._lift, recall.parse

    async def ask_and_keep(questions: list[dict[str, Any]], root: Path, limit: int) -> list[dict[str, Any]]:
        answered = await ask(questions, root, limit)
        record["hits"].extend(answered)
        return answered

    def lift_and_keep(c: Any, exact: str, recent: str) -> float:
        value = lift(c, exact, recent)
        record["lifts"][-1].append((c.bm25, value, c.bm25 * (1 + value), c.path, c.entry))
        return value

    def parse_and_keep(query: str) -> Any:  # the first thing every recall call does
        record["lifts"].append([])
        return parse(query)

    with (
        mock.patch.object(recall_eval, "_ask", ask_and_keep),
        mock.patch.object(recall, "_lift", lift_and_keep),
        mock.patch.object(recall, "parse", parse_and_keep),
    ):
        yield


def _key(hit: dict[str, Any]) -> str:
    return f"{hit.get('path')}|{hit.get('entry')}|{hit.get('title')}"


def measure(patches: list[Patch]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for split in ("tune", "heldout"):
        record: dict[str, list[Any]] = {"hits": [], "lifts": []}
        with patched(patches), watching(record):
            result = recall_eval.evaluate(recall_eval.load_questions(split))
        hits = {a["id"]: [_key(h) for h in a["hits"]] for a in record["hits"]}
        out[split] = {
            "overall": result["overall"],
            "by_type": result["by_type"],
            "errors": result["errors"],
            "ranks": {p["id"]: p["rank"] for p in result["questions"]},
            "types": {p["id"]: p["type"] for p in result["questions"]},
            "hits": hits,
            "mean_hits": round(sum(len(h) for h in hits.values()) / len(hits), 2),
            "inversions": inversions(record["lifts"], 10),
        }
    return out


def inversions(calls: list[list[tuple[float, float, float, str, str | None]]], limit: int) -> dict[str, Any]:
    """Pairs among the first ``limit`` hits by score where the upper hit has the lower BM25: a
    lift placing a weaker text match over a stronger one, and by how much weaker (at most)."""
    count, queries, worst = 0, 0, 0.0
    for cands in calls:
        top = sorted(cands, key=lambda c: (-c[2], c[3]))[:limit]
        found = 0
        for i, upper in enumerate(top):
            for lower in top[i + 1 :]:
                if upper[0] < lower[0]:
                    found += 1
                    worst = max(worst, lower[0] / upper[0] - 1)
        count += found
        queries += bool(found)
    return {"pairs": count, "queries": queries, "max_bm25_gap": round(worst, 4)}


def delta_rows(results: dict[str, dict[str, Any]], split: str) -> list[str]:
    base = results["shipped"][split]
    keys = ["recall@5", "recall@10", "mrr"]
    rows = [
        "| configuration | r@5 | r@10 | MRR | mean hits | order differs | gold rank differs | types moved (ΔMRR) |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, res in results.items():
        r = res[split]
        if name == "shipped":
            cells = [f"{r['overall'][k]:.3f}" for k in keys]
            rows.append(f"| **shipped** | {' | '.join(cells)} | {r['mean_hits']:.2f} | – | – | – |")
            continue
        cells = [f"{r['overall'][k] - base['overall'][k]:+.3f}" for k in keys]
        differs = sum(1 for q, h in r["hits"].items() if h != base["hits"][q])
        rank_differs = sum(1 for q, rank in r["ranks"].items() if rank != base["ranks"][q])
        moved = []
        for t, m in r["by_type"].items():
            b = base["by_type"][t]
            if any(m[k] != b[k] for k in keys):
                d5, dm = m["recall@5"] - b["recall@5"], m["mrr"] - b["mrr"]
                moved.append(f"{t} {dm:+.2f}" + (f" (r@5 {d5:+.2f})" if d5 else ""))
        row = f"| {name} | {' | '.join(cells)} | {r['mean_hits']:.2f} | {differs} | {rank_differs} |"
        rows.append(f"{row} {', '.join(moved) or '–'} |")
    return rows


# --- checks on a small brain, for what the questions barely exercise --------------------------

_HEAD = "# Development Patterns\n\n**Purpose:** checks\n\n---\n\n"


def _pattern(name: str, examples: int, pad: int) -> str:
    # Same words about the topic; the level comes from the number of examples, whose words
    # the query never uses. ``pad`` evens out the document lengths (BM25 normalises by length).
    lines = [f"## {name}", "", "**Confidence:** LOW", f"**Based on:** {examples} examples"]
    lines += ["**Last reinforced:** 2026-11-01", "", "**Context:**", "Gateway sheds load under a traffic spike."]
    lines += ["", "**Pattern:**", "Shed load with a token bucket in the gateway before the queue fills."]
    lines += ["", "**Why it works:**", "- " + " ".join(["zebra"] * pad) if pad else "- steady", ""]
    lines += ["**Examples:**"] + [
        f"{i}. Alpha{i} - bravo{i} ({2026}-0{i}-01) - charlie{i}" for i in range(1, examples + 1)
    ]
    return "\n".join(lines) + "\n\n---\n\n"


def _episode(day: str, slug: str) -> str:
    return (
        f"---\ndate: {day}\nproject: Checks\nwork_type: code\nresult: SUCCESS\n---\n\n"
        f"# Quiver cache stampede {slug} - Checks - {day}\n\n## What Happened\n"
        "The quiver cache stampeded when a hot key expired.\n"
    )


def _worklog() -> str:
    entry = "**Now:** Walrus migration\n**Decisions:**\n- Walrus migration runs in batches\n"
    return (
        "---\nversion: v2\nstatus: in_progress\n---\n\n# Walrus Work Log\n\n"
        f"## v1 | 2026-11-01 09:00 | Walrus migration\n**Prev:** Starting new work\n{entry}\n"
        f"## v2 | 2026-11-02 09:00 | Walrus migration\n**Prev:** v1: Walrus migration (in_progress)\n{entry}"
    )


def _ask_small(root: Path, query: str, patches: list[Patch]) -> list[tuple[str, float]]:
    with patched(patches):
        brain = Brain(root, today=lambda: recall_eval.EVAL_DAY)
        idx = index.Index(brain, in_memory=True)
        result = recall.recall(brain, idx, query, limit=10)
        idx.close()
    return [(h.title + (f" [{h.entry}]" if h.entry else ""), h.score) for h in result.hits]


def small_checks() -> list[dict[str, Any]]:
    checks = []
    with tempfile.TemporaryDirectory(prefix="devlore-ablation-") as tmp:
        root = Path(tmp)
        pats = root / "memory/semantic/patterns"
        pats.mkdir(parents=True)
        # "Aardvark" sorts first, so without a lift the path/title tie-break favours the LOW one.
        # 25 padding words make up for four more example lines of six words each: equal lengths.
        text = _HEAD + _pattern("Aardvark Load Shedding", 1, 25) + _pattern("Zeppelin Load Shedding", 5, 0)
        # Unpadded, the HIGH pattern is longer, so its BM25 is a few percent lower.
        text += _pattern("Aardvark Traffic Shaping", 1, 0).replace("Shed load", "Shape traffic")
        text += _pattern("Zeppelin Traffic Shaping", 5, 0).replace("Shed load", "Shape traffic")
        # A pattern named exactly as the query, a little longer than one that merely shares its words.
        text += _pattern("Bucket Gateway", 1, 8).replace("Shed load", "Bucket gateway")
        text += _pattern("Gateway Bucket Limits", 1, 0).replace("Shed load", "Bucket gateway")
        (pats / "dev-patterns.md").write_text(text, encoding="utf-8")
        eps = root / "memory/episodic/code"
        eps.mkdir(parents=True)
        (eps / "2024-01-05-quiver-a.md").write_text(_episode("2024-01-05", "a"), encoding="utf-8")
        (eps / "2026-11-20-quiver-b.md").write_text(_episode("2026-11-20", "b"), encoding="utf-8")
        for i in range(12):  # unrelated memories, so that the checked words are rare (BM25's idf)
            filler = _episode("2025-06-01", f"x{i}").replace("Quiver cache stampede", f"Unrelated note {i}")
            filler = filler.replace("The quiver cache stampeded when a hot key expired.", f"Filler text number {i}.")
            (eps / f"2025-06-01-filler-{i}.md").write_text(filler, encoding="utf-8")
        logs = root / "memory/worklogs"
        logs.mkdir(parents=True)
        (logs / "Walrus-WorkLog.md").write_text(_worklog(), encoding="utf-8")
        for what, query in [
            ("level: LOW (1 example) vs HIGH (5), same topic text, lengths evened", "token bucket shed load"),
            ("level, lengths not evened: the HIGH one's BM25 is lower", "shape traffic token bucket"),
            ("recency: 2024 vs last-30-days experience, same text", "quiver cache stampede"),
            ("latest work-log entry: v1 vs v2, same words", "walrus migration batches"),
            ("exact title among near-equal patterns", "Zeppelin Load Shedding"),
            ("exact title, its BM25 a little lower (longer memory)", "Bucket Gateway"),
        ]:
            checks.append(
                {
                    "check": what,
                    "query": query,
                    "shipped": _ask_small(root, query, []),
                    "all lifts off": _ask_small(root, query, ALL_LIFTS_OFF),
                }
            )
    return checks


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--json", type=Path, default=None, help="write every configuration's figures here")
    args = ap.parse_args()
    results = {name: measure(patches) for name, patches in CONFIGS}
    for split in ("heldout", "tune"):
        n = results["shipped"][split]["overall"]["n"]
        print(f"\n### {split} ({n} questions): deltas against shipped\n")
        print("\n".join(delta_rows(results, split)))
    print("\n### Lifted hits placed above a hit with a higher BM25 (shipped, first 10 hits)\n")
    for split in ("heldout", "tune"):
        print(f"- {split}: {results['shipped'][split]['inversions']}")
    print("\n### Checks on a small brain\n")
    checks = small_checks()
    for c in checks:
        print(f"- {c['check']} — query {c['query']!r}")
        for cfg in ("shipped", "all lifts off"):
            print(f"  - {cfg}: " + "; ".join(f"{t} {s}" for t, s in c[cfg]))
    if args.json:
        slim = {n: {s: {k: v for k, v in r[s].items() if k != "hits"} for s in r} for n, r in results.items()}
        args.json.write_text(json.dumps({"configs": slim, "checks": checks}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
