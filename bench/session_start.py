"""The session-start hook on a generated brain: ``devlore hook session-start`` (what Claude Code
runs before a session's first prompt) against ``devlore --version`` (the same interpreter start
and imports, doing nothing), alternating in random order in one run, so the figure that matters
is the hook's own cost. The ``cwd`` is a project named after one of the brain's work logs (with
a README and a pyproject.toml), so the answer carries that log's brief and the patterns found.

    .venv/bin/python bench/session_start.py [--files 10000] [--rounds 30] [--quick]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from brains import CACHE, cached_brain
from common import now, summary
from devlore.hooks.project import slug
from devlore.layout import STATE_DIR, WORKLOGS, worklog_name
from devlore.service.brain import Brain
from devlore.service.index import Index

DEVLORE = Path(sys.executable).parent / "devlore"
GOAL_MS = 300.0
BUDGET = 4_000
RUN_TIMEOUT = 30.0


def _run(args: list[str], stdin: str) -> tuple[float, str]:
    t0 = now()
    done = subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=RUN_TIMEOUT, check=False)
    took = now() - t0
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited {done.returncode}: {done.stderr[:500]}")
    return took, done.stdout


def _project(root: Path, where: Path) -> tuple[str, Path]:
    """A project folder named after the brain's first open work log; (the log's name, the folder)."""
    logs = sorted((root / WORKLOGS).glob("*.md"))
    open_logs = [p for p in logs if "\nstatus: completed\n" not in p.read_text(encoding="utf-8")[:500]]
    name = worklog_name((open_logs or logs)[0].name)
    folder = where / slug(name)
    folder.mkdir()
    (folder / "README.md").write_text(f"# {name.replace('-', ' ')}\n", encoding="utf-8")
    (folder / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
    return name, folder


def session_start(root: Path, rounds: int, rng: random.Random) -> dict[str, Any]:
    if not (root / STATE_DIR / "index.sqlite").is_file():
        index = Index(Brain(root))
        index.validate()
        index.close()
    with tempfile.TemporaryDirectory(prefix="devlore-hook-") as tmp:
        name, folder = _project(root, Path(tmp))
        payload = json.dumps({"session_id": "bench", "cwd": str(folder), "source": "startup"})
        hook = [str(DEVLORE), "hook", "session-start", "--root", str(root), "--budget", str(BUDGET)]
        version = [str(DEVLORE), "--version"]
        _run(hook, payload)  # warm the OS caches and bytecode
        samples: dict[str, list[float]] = {"session_start": [], "version": []}
        largest = 0
        first = True
        for _ in range(rounds):
            order = ["session_start", "version"]
            rng.shuffle(order)
            for what in order:
                took, out = _run(hook, payload) if what == "session_start" else _run(version, "")
                samples[what].append(took)
                if what == "session_start":
                    text = json.loads(out)["hookSpecificOutput"]["additionalContext"] if out else ""
                    largest = max(largest, len(text))
                    first = first and text.startswith(f"devlore memory for {slug(name)}:\nWork log {name} ")
    hook_s, version_s = summary(samples["session_start"]), summary(samples["version"])
    return {
        "files": sum(1 for _ in (root / "memory").rglob("*.md")),
        "worklog": name,
        "session_start": hook_s,
        "version": version_s,
        "ratio_p95": round(hook_s["p95_ms"] / version_s["p95_ms"], 3),
        "ratio_median": round(hook_s["median_ms"] / version_s["median_ms"], 3),
        "over_version_p95_ms": round(hook_s["p95_ms"] - version_s["p95_ms"], 1),
        "largest_chars": largest,
        "budget": BUDGET,
        "right_log_first": first,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=30)
    ap.add_argument("--quick", action="store_true", help="1,000 files, 5 rounds")
    ap.add_argument("--brains", type=Path, default=CACHE)
    args = ap.parse_args()
    files, rounds = (1_000, 5) if args.quick else (args.files, args.rounds)
    root, _ = cached_brain(files, 0, args.brains)
    figures = session_start(root, rounds, random.Random(0))
    print(json.dumps({k: v for k, v in figures.items() if k not in ("session_start", "version")}, indent=2))
    for what in ("session_start", "version"):
        print(f"{what}: p50 {figures[what]['median_ms']:.0f} ms, p95 {figures[what]['p95_ms']:.0f} ms")


if __name__ == "__main__":
    main()
