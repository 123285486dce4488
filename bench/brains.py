"""Realistic generated brains of any size: pattern files, episodes, workflows and work logs.

A brain of ``files`` markdown files holds, like a real one grown over a few years:

- a handful of pattern files (``memory/semantic/patterns/<domain>-patterns.md``; domains dev,
  pm, content, client, then area1, area2, ...) of up to 1,000 entries each, made by
  ``generate.pattern_file``: about 15% of ``files`` worth of entries;
- 2% workflows (``memory/procedural/workflows/<slug>.md``, docs/FORMAT.md §5);
- work logs (``memory/worklogs/<Name>-WorkLog.md``, docs/FORMAT.md §6) of 5-100 versions each, one per
  200 files;
- episodes, the rest: 1-3 KB notes in the shape of docs/FORMAT.md §4 over ``memory/episodic/{code,projects,
  content,learning}/YYYY-MM-DD-<slug>.md`` (one in ten written by hand, without frontmatter),
  whose sentences are built from word lists with a Zipf-like skew, so some words are in
  thousands of notes and others in a few: searching them is not trivial.

Deterministic for a given ``seed``. Generated brains are cached under
``bench/results/brains/<files>-<seed>/`` (gitignored) and reused while their ``brain.json``
manifest matches this generator's version (read-only benchmarks use them in place; anything
that writes must work on a copy, e.g. ``shutil.copytree(root, tmp, ignore=ignore_patterns(".devlore"))``)::

    from brains import cached_brain, make_brain, queries
    root, counts = cached_brain(10_000)      # generated once, then reused
    queries(200, seed=1)                     # 2-3 word queries from the brain's vocabulary

    python bench/brains.py 10000 /tmp/brain  # or write one anywhere
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import time
from datetime import date, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from generate import pattern_file

__all__ = ["CACHE", "GENERATOR_VERSION", "cached_brain", "make_brain", "plan", "queries", "vocabulary"]

BENCH = Path(__file__).resolve().parent
CACHE = BENCH / "results" / "brains"
GENERATOR_VERSION = 1
MANIFEST = "brain.json"
PATTERNS_PER_FILE = 1_000

_DOMAIN_TITLES = {"dev": "Development", "pm": "Project Management", "content": "Content", "client": "Client"}
_FOLDERS = {"code": "code", "projects": "client", "content": "content", "learning": "research"}  # folder: work_type
_SKELETON = (
    "memory/semantic/patterns",
    "memory/episodic/code",
    "memory/episodic/projects",
    "memory/episodic/content",
    "memory/episodic/learning",
    "memory/procedural/workflows",
    "memory/worklogs",
    "brain-health",
)
_START = date(2023, 1, 2)
_DAYS = 1_418  # episodes run from _START to 2026-11-20

# -- vocabulary ------------------------------------------------------------------------------
# Most frequent first: sampling follows a Zipf-like curve over each list.

_NOUNS = """
cache migration query deploy test queue worker timeout index schema release webhook invoice
payment tenant session token request response retry rollback config flag endpoint client
server database table column job scheduler cron export import report dashboard metric alert
log trace span error exception deadlock lock transaction replica shard partition backup
snapshot restore pipeline build artifact container image cluster node pod volume secret
certificate proxy gateway router balancer connection pool thread process memory leak latency
throughput budget quota limit threshold batch stream consumer producer topic offset event
message notification email template newsletter draft headline outline interview survey
persona roadmap milestone backlog estimate sprint retro standup stakeholder contract proposal
invoice_run onboarding checklist handoff runbook incident postmortem outage pager escalation
sla uptime regression fixture mock stub clock seed benchmark profile flamegraph bottleneck
serializer payload field migration_plan backfill rollout canary feature audit permission role
policy compliance gdpr consent cookie analytics funnel cohort churn retention signup trial
pricing discount coupon refund chargeback dispute ledger balance statement reconciliation
carrier shipment label tracking warehouse inventory sku catalog search autocomplete ranking
relevance synonym tokenizer embedding vector prompt completion evaluation dataset annotation
label_set spreadsheet csv parser encoder decoder upload download thumbnail video transcript
podcast episode_notes blog_post thread tweet slide deck workshop course lesson exercise quiz
""".split()

_TECH = """
postgres redis python django celery react typescript kubernetes docker terraform nginx kafka
rabbitmq elasticsearch sqlite graphql grpc webpack vite pytest jest playwright github_actions
sentry datadog prometheus grafana stripe twilio sendgrid s3 cloudfront lambda fastapi flask
rails sidekiq node express nextjs tailwind figma notion airtable zapier hubspot salesforce
segment mixpanel bigquery dbt airflow snowflake pandas numpy openai anthropic langchain
mysql mongodb dynamodb memcached haproxy envoy istio helm argo vault consul ansible
""".split()

_ADJECTIVES = """
slow flaky stale broken duplicate missing nightly partial legacy noisy cold hot empty large
concurrent async blocking idempotent versioned cached encrypted signed unsigned expired
orphaned corrupted throttled retried delayed silent verbose hidden public internal shared
regional mobile offline paginated sorted nested optional required deprecated experimental
""".split()

_VERBS = """
failed timed_out spiked dropped leaked stalled crashed drifted doubled regressed recovered
returned skipped blocked raced deadlocked overflowed expired flapped hung duplicated vanished
""".split()

_FIXES = """
pinned batched cached versioned throttled retried validated isolated streamed indexed sharded
debounced snapshotted replayed fenced probed backfilled sampled traced rewrote split merged
moved renamed dropped added documented measured profiled bisected reverted
""".split()

_ACTIONS = """
pin batch cache version throttle retry validate isolate stream index shard debounce snapshot replay
fence probe backfill sample trace rewrite split merge move rename drop add document measure profile
bisect revert
""".split()

_PROJECTS = [
    "Ledgerline", "Harbor Portal", "Tidepool Analytics", "Billing Portal", "Internal CLI", "Orbit Mobile",
    "Northwind Shop", "Kestrel API", "Juniper Docs", "Atlas Onboarding", "Mosaic CMS", "Beacon Alerts",
    "Quarry Data", "Lumen Newsletter", "Fjord Payments", "Cobalt Search", "Sparrow Support", "Willow Client",
]  # fmt: skip

_PEOPLE = ["@ops-team", "@platform", "@data-team", "@design", "@finance", "@legal", "@client-lead", "@sre-oncall"]


def _cum(words: list[str], skew: float = 0.9) -> list[float]:
    return list(accumulate(1.0 / (rank + 1) ** skew for rank in range(len(words))))


_CUM = {id(w): _cum(w) for w in (_NOUNS, _TECH, _ADJECTIVES, _VERBS, _FIXES, _ACTIONS)}


def _pick(rng: random.Random, words: list[str]) -> str:
    return rng.choices(words, cum_weights=_CUM[id(words)])[0].replace("_", " ")


def vocabulary() -> list[str]:
    """The content words generated notes are made of (what a person would search for)."""
    words = {w for lst in (_NOUNS, _TECH, _ADJECTIVES) for item in lst for w in item.split("_")}
    return sorted(words)


def queries(count: int, seed: int = 0) -> list[str]:
    """``count`` recall queries of 2-3 words drawn uniformly from the brain's vocabulary."""
    rng = random.Random(seed)
    words = vocabulary()
    return [" ".join(rng.sample(words, rng.randint(2, 3))) for _ in range(count)]


# -- the parts of a brain ----------------------------------------------------------------------


def plan(files: int) -> dict[str, int]:
    """How many of each kind a brain of ``files`` markdown files holds."""
    if files < 10:
        raise ValueError("a generated brain needs at least 10 files")
    entries = max(10, round(files * 0.15))
    pattern_files = -(-entries // PATTERNS_PER_FILE)
    workflows = round(files * 0.02)
    worklogs = max(1, files // 200)
    episodes = files - pattern_files - workflows - worklogs
    return {
        "files": files,
        "pattern_files": pattern_files,
        "patterns": entries,
        "episodes": episodes,
        "workflows": workflows,
        "worklogs": worklogs,
    }


def _domains(n: int) -> list[str]:
    fixed = list(_DOMAIN_TITLES)
    return fixed[:n] + [f"area{i}" for i in range(1, n - len(fixed) + 1)]


def _slug(text: str, limit: int = 60) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "note"


def _write(root: Path, rel: str, text: str) -> None:
    (root / rel).write_bytes(text.encode("utf-8"))


def _sentence(rng: random.Random, topic: list[str], tech: str) -> str:
    def noun() -> str:
        return rng.choice(topic) if rng.random() < 0.5 else _pick(rng, _NOUNS)

    def adj() -> str:
        return _pick(rng, _ADJECTIVES)

    def a(word: str) -> str:
        return f"an {word}" if word[0] in "aeiou" else f"a {word}"

    forms = [
        lambda: f"The {adj()} {noun()} in {tech} {_pick(rng, _VERBS)} after the {noun()} change.",
        lambda: f"We {_pick(rng, _FIXES)} the {noun()} and the {adj()} {noun()} stopped showing up.",
        lambda: f"Every {noun()} went through one {noun()}, so {a(adj())} {noun()} blocked the rest.",
        lambda: (
            f"{_pick(rng, _TECH).capitalize()} logged {a(adj())} {noun()} at "
            f"{rng.randint(1, 23)}:{rng.randint(10, 59)} while the {noun()} {_pick(rng, _VERBS)}."
        ),
        lambda: f"It took {rng.randint(2, 90)} minutes to see that the {noun()} was {adj()}, not the {noun()}.",
        lambda: (
            f"{a(adj()).capitalize()} {noun()} of {rng.randint(2, 50) * 100} rows, "
            f"and the {noun()} {_pick(rng, _VERBS)}."
        ),
        lambda: f"Next to {tech}, the {noun()} and the {noun()} now share {a(adj())} {noun()}.",
        lambda: f"The fix {_pick(rng, _FIXES)} the {noun()}, added a test for the {noun()}, and kept the {adj()} path.",
        lambda: f"Nobody had checked the {noun()} since the {adj()} {noun()} moved to {_pick(rng, _TECH)}.",
        lambda: (
            f"Measured before and after: {rng.randint(200, 4000)} ms down to {rng.randint(5, 190)} ms on the {noun()}."
        ),
    ]
    return rng.choice(forms)()


def _paragraph(rng: random.Random, topic: list[str], tech: str, low: int, high: int) -> str:
    return " ".join(_sentence(rng, topic, tech) for _ in range(rng.randint(low, high)))


def _episode(rng: random.Random, day: date, work_type: str, names: list[tuple[str, str]]) -> tuple[str, str]:
    """(title, text) of one note in the shape of docs/FORMAT.md §4, or one written by hand."""
    topic = [_pick(rng, _NOUNS) for _ in range(3)]
    tech = _pick(rng, _TECH)
    project = rng.choice(_PROJECTS)
    title = f"{_pick(rng, _FIXES).capitalize()} the {_pick(rng, _ADJECTIVES)} {topic[0]} in {tech}"
    if rng.random() < 0.1:  # a note written by hand: no frontmatter, its own sections
        text = "\n".join(
            [
                f"# {title}",
                "",
                _paragraph(rng, topic, tech, 4, 8),
                "",
                "## What I learned",
                *(f"- {_sentence(rng, topic, tech)}" for _ in range(rng.randint(4, 10))),
                "",
                "## Links",
                f"- {project} ticket about the {topic[1]}",
                "",
            ]
        )
        return title, text
    applied = rng.sample(names, min(len(names), rng.randint(0, 2)))
    result = rng.choices(["SUCCESS", "PARTIAL", "BLOCKED"], weights=[7, 2, 1])[0]
    lines = ["---", f"date: {day.isoformat()}", f"project: {project}", f"work_type: {work_type}"]
    lines += ["patterns:", *(f"  - {n}" for n, _ in applied)] if applied else ["patterns: []"]
    lines += [f"result: {result}", "---", "", f"# {title} - {project} - {day.isoformat()}", "", "## Context"]
    lines += [f"**Project:** {project}", f"**Goal:** {_sentence(rng, topic, tech)}"]
    lines += [f"**Duration:** {rng.choice(['20 minutes', '45 minutes', '1 hour', '1.5 hours', '3 hours', '2 days'])}"]
    lines += ["", "## What Happened", _paragraph(rng, topic, tech, 4, 12), "", "## Solution"]
    lines += [_paragraph(rng, topic, tech, 3, 7), ""]
    if applied:
        lines += ["## Patterns Applied", *(f"- **{n}** (from semantic memory)" for n, _ in applied), ""]
        lines += ["## Learnings Extracted", *(f"- Reinforced: {n} (confidence: LOW → MEDIUM)" for n, _ in applied), ""]
    lines += ["## Outcome", f"**Result:** {result}", f"**Time saved:** {rng.randint(1, 24) * 5} min"]
    lines += [f"**Quality:** {rng.randint(5, 10)}/10", ""]
    if applied:
        patterns = "memory/semantic/patterns"
        lines += ["## Linked Patterns"]
        lines += [f"→ Reinforced: {patterns}/{d}-patterns.md#{_slug(n, 200)}" for n, d in applied]
        lines.append("")
    lines += ["## Next Time", _paragraph(rng, topic, tech, 1, 2), ""]
    return title, "\n".join(lines)


def _workflow(rng: random.Random, name: str, domain: str, day: date) -> str:
    topic = [_pick(rng, _NOUNS) for _ in range(3)]
    tech = _pick(rng, _TECH)
    lines = [
        f"# {name}",
        "",
        f"**When to use:** Any change that touches the {topic[0]} or the {topic[1]} in {tech}",
        f"**Estimated time:** {rng.choice([10, 15, 20, 30, 45, 60])} minutes",
        f"**Last used:** {day.isoformat()}",
        f"**Source pattern:** memory/semantic/patterns/{domain}-patterns.md#{_slug(name, 200)}",
        "",
        "## Steps",
    ]
    steps = [
        f"{_pick(rng, _ACTIONS).capitalize()} the {_pick(rng, _ADJECTIVES)} {rng.choice(topic)}"
        for _ in range(rng.randint(3, 8))
    ]
    lines += [f"{i}. {s}" for i, s in enumerate(steps, 1)]
    if rng.random() < 0.7:
        lines += ["", "## Checklist"]
        lines += [f"- [ ] No {_pick(rng, _ADJECTIVES)} {rng.choice(topic)} left" for _ in range(rng.randint(2, 5))]
    return "\n".join(lines) + "\n"


def _worklog(rng: random.Random, name: str, start: datetime) -> tuple[int, str]:
    """(versions, text) of a work log in the entry shape of docs/FORMAT.md §6."""
    versions = rng.randint(5, 100)
    topic = [_pick(rng, _NOUNS) for _ in range(4)]
    tech = _pick(rng, _TECH)
    done = rng.random() < 0.3
    entries: list[str] = []
    when = start
    prev = "Starting new work"

    def item() -> str:
        return f"{_pick(rng, _ACTIONS).capitalize()} the {_pick(rng, _ADJECTIVES)} {rng.choice(topic)}"

    items = [item() for _ in range(3)]
    for v in range(1, versions + 1):
        when += timedelta(days=rng.randint(0, 3), hours=rng.randint(1, 9), minutes=rng.choice([0, 15, 30, 45]))
        now = f"{items[0]} in {tech}" if rng.random() < 0.6 else item()
        last = v == versions
        tag = " [COMPLETED]" if last and done else ""
        percent = 100 if last and done else min(95, v * 100 // versions)
        lines = [f"## v{v} | {when:%Y-%m-%d %H:%M} | {now}{tag}", f"**Prev:** {prev}", f"**Now:** {now}"]
        if last and done:
            lines.append("**Status:** completed (shipped)")
        lines.append(f"**Progress:** {percent}% | {items[0]} ✅ | {items[1]} ⏳")
        if rng.random() < 0.6:
            lines += ["**Files:**", f"- `src/{_slug(topic[0])}/{_slug(topic[2])}.py` ({_sentence(rng, topic, tech)})"]
        if rng.random() < 0.4:
            fix = _pick(rng, _FIXES)
            lines += ["**Decisions:**", f"- {fix} the {topic[3]}: {_sentence(rng, topic, tech)} (vs leaving it)"]
        if rng.random() < 0.3:
            lines.append(f"**Works:** {_sentence(rng, topic, tech)}")
        if rng.random() < 0.2:
            lines.append(f"**Fails:** {_sentence(rng, topic, tech)}")
        if rng.random() < 0.25:
            lines += ["**Hypotheses:**", f"H1: the {topic[2]} is {_pick(rng, _ADJECTIVES)} | Open | seen twice"]
        if rng.random() < 0.5:
            items = [*items[1:], item()]
        lines += ["**Next:**", f"- [HIGH] {items[0]}", f"- [MED] {items[1]}", f"- [LOW] {items[2]}"]
        entries.append("\n".join(lines))
        prev = f"v{v}: {now}"
    status = "completed" if done else "in_progress"
    head = ["---", f"version: v{versions}", f"status: {status}", "---", "", f"# {name.replace('-', ' ')} Work Log", ""]
    return versions, "\n".join(head) + "\n" + "\n\n".join(entries) + "\n"


def _unique(rel: str, taken: set[str]) -> str:
    stem, n = rel.removesuffix(".md"), 2
    while rel in taken:
        rel = f"{stem}-{n}.md"
        n += 1
    taken.add(rel)
    return rel


def _write_patterns(root: Path, counts: dict[str, int], seed: int) -> list[tuple[str, str]]:
    """Write the pattern files; every (name, domain) written."""
    names: list[tuple[str, str]] = []
    left = counts["patterns"]
    for i, domain in enumerate(_domains(counts["pattern_files"])):
        n = min(PATTERNS_PER_FILE, left)
        left -= n
        generated = pattern_file(n, seed * 1_000 + i)
        title = _DOMAIN_TITLES.get(domain, domain.capitalize())
        text = generated.text.replace("# Development Patterns", f"# {title} Patterns", 1)
        _write(root, f"memory/semantic/patterns/{domain}-patterns.md", text)
        names += [(name, domain) for name in generated.names]
    return names


def make_brain(root: Path, files: int, seed: int = 0) -> dict[str, Any]:
    """Write a brain of about ``files`` markdown files at ``root``; what it holds.

    A folder that already holds this brain (its ``brain.json`` matches) is reused as it is;
    anything else there is replaced."""
    manifest = root / MANIFEST
    if manifest.is_file():
        known: dict[str, Any] = json.loads(manifest.read_text(encoding="utf-8"))
        if (known.get("generator"), known.get("seed"), known.get("files")) == (GENERATOR_VERSION, seed, files):
            return {**known, "reused": True}
    t0 = time.perf_counter()
    if root.exists():
        shutil.rmtree(root)
    for folder in _SKELETON:
        (root / folder).mkdir(parents=True, exist_ok=True)
    counts = plan(files)
    rng = random.Random(seed)
    names = _write_patterns(root, counts, seed)

    taken: set[str] = set()
    folders = list(_FOLDERS)
    for _ in range(counts["episodes"]):
        folder = rng.choices(folders, weights=[6, 2, 1, 1])[0]
        day = _START + timedelta(days=rng.randrange(_DAYS))
        title, text = _episode(rng, day, _FOLDERS[folder], rng.sample(names, min(len(names), 4)))
        _write(root, _unique(f"memory/episodic/{folder}/{day.isoformat()}-{_slug(title)}.md", taken), text)

    pool = rng.sample(names, min(len(names), counts["workflows"]))
    for i in range(counts["workflows"]):
        name, domain = pool[i] if i < len(pool) else (f"Workflow {i}", "dev")
        day = _START + timedelta(days=rng.randrange(_DAYS))
        _write(root, _unique(f"{_SKELETON[5]}/{_slug(name)}.md", taken), _workflow(rng, name, domain, day))

    versions = 0
    for i in range(counts["worklogs"]):
        name = f"{_pick(rng, _NOUNS).replace(' ', '-').title()}-{_pick(rng, _FIXES).title()}-{i + 1}"
        start = datetime.combine(_START + timedelta(days=rng.randrange(_DAYS - 300)), datetime.min.time())
        n, text = _worklog(rng, name, start)
        versions += n
        _write(root, f"memory/worklogs/{name}-WorkLog.md", text)

    written = sorted(p for p in root.rglob("*.md"))
    result = {
        "generator": GENERATOR_VERSION,
        "seed": seed,
        **counts,
        "worklog_versions": versions,
        "markdown_files": len(written),
        "bytes": sum(p.stat().st_size for p in written),
        "generated_in_s": round(time.perf_counter() - t0, 3),
    }
    manifest.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")  # last: marks the brain complete
    return {**result, "reused": False}


def cached_brain(files: int, seed: int = 0, cache: Path = CACHE) -> tuple[Path, dict[str, Any]]:
    """The brain of ``files`` files for ``seed`` under ``cache``, generated on first use."""
    root = cache / f"{files}-{seed}"
    return root, make_brain(root, files, seed)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", type=int, help="markdown files in the brain")
    ap.add_argument("root", type=Path, help="where to write it (replaced unless it holds the same brain)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    counts = make_brain(args.root, args.files, args.seed)
    print(json.dumps(counts, indent=2))


if __name__ == "__main__":
    main()
