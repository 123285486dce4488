"""Writes the recall evaluation's brain and questions from the hand-written data beside it.

    .venv/bin/python bench/recall_eval/make_brain.py     # rewrites brain/ and questions.json

Deterministic: the same data gives the same bytes. The memories are in patterns_data.py,
episodes_data.py and procedures_data.py; the questions in questions_data.py. This script only
puts them into devlore's file formats (docs/FORMAT.md) and resolves each gold answer to its path.

The split of the questions is fixed by a rule, not chosen: within each question type, the ids
are ordered by the SHA-256 of the id; the first half (rounded up) is ``tune``, the rest ``heldout``.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from episodes_data import EPISODES  # noqa: E402
from patterns_data import DATA, DEV, OPS, PM, SECURITY, TESTING  # noqa: E402
from procedures_data import WORKFLOWS, WORKLOGS  # noqa: E402
from questions_data import QUESTIONS  # noqa: E402

BRAIN = HERE / "brain"
QUESTIONS_FILE = HERE / "questions.json"
PATTERNS = "memory/semantic/patterns"
# domain: (title, format, entries)
DOMAINS = {
    "dev": ("Development Patterns", "A", DEV),
    "data": ("Data Patterns", "A", DATA),
    "pm": ("Project Management Patterns", "A", PM),
    "testing": ("Testing Patterns", "A", TESTING),
    "ops": ("Operations Patterns", "B", OPS),
    "security": ("Security Patterns", "B", SECURITY),
}
SPLIT_RULE = (
    "Within each question type, order the ids by the hex SHA-256 of the id (UTF-8); the first half, "
    "rounded up, is 'tune' and the rest 'heldout'. Fixed before any score was looked at."
)
_DATE = re.compile(r"\((\d{4}-\d{2}-\d{2})\)")


def slugify(name: str) -> str:
    slug = re.sub(r"\s+", "-", name.lower())
    slug = re.sub(r"[^a-z0-9-]", "", slug)
    return re.sub(r"-{2,}", "-", slug).strip("-")


def level(n: int) -> str:
    return "LOW" if n <= 1 else "MEDIUM" if n <= 4 else "HIGH"


def minutes(name: str) -> int:
    """A stable, plausible time saved per use, from the name."""
    return [15, 20, 30, 45, 60, 90][int(hashlib.sha256(name.encode()).hexdigest(), 16) % 6]


def episode_path(ep: tuple) -> str:
    date, folder, _, title = ep[:4]
    return f"memory/episodic/{folder}/{date}-{slugify(title)[:60].strip('-')}.md"


def sources_of(name: str) -> list[str]:
    return [episode_path(ep) for ep in EPISODES if name in ep[7]]


# -- pattern files ------------------------------------------------------------------------------


def entry_a(domain: str, p: tuple) -> list[str]:
    name, context, pattern, why, examples, code = p
    dates = sorted(_DATE.findall(" ".join(examples)))
    label = "Time saved" if domain == "pm" else "Time saved per use"
    out = [
        f"## {name}",
        "",
        f"**Confidence:** {level(len(examples))}",
        f"**Based on:** {len(examples)} example{'s' if len(examples) != 1 else ''}",
        f"**Last reinforced:** {dates[-1]}",
        f"**{label}:** ~{minutes(name)} minutes",
        "",
        "**Context:**",
        context,
        "",
        "**Pattern:**",
        pattern,
        "",
        "**Why it works:**",
        *[f"- {w}" for w in why],
        "",
    ]
    if code:
        out += ["**Code example:**", f"```{code[0]}", *code[1].split("\n"), "```", ""]
    out += ["**Examples:**", *[f"{i}. {e}" for i, e in enumerate(examples, 1)], ""]
    if sources := sources_of(name):
        out += ["**Source experiences:**", *[f"- {s}" for s in sources], ""]
    return [*out, "---", ""]


def entry_b(p: tuple) -> list[str]:
    name, context, pattern, why, examples, code = p
    dates = sorted(_DATE.findall(" ".join(examples)))
    lines = []
    for i, e in enumerate(examples, 1):
        d = _DATE.search(e)
        text = re.sub(r"\s*\(\d{4}-\d{2}-\d{2}\)", "", e)
        lines.append(f"- Example {i} ({d.group(1) if d else dates[-1]}): {text}")
    out = [f"## {name}", "", "### Description", pattern, ""]
    if code:
        out += [f"```{code[0]}", *code[1].split("\n"), "```", ""]
    out += ["### When to Use", f"- {context}", *[f"- Because: {w}" for w in why], "", "### Examples", *lines, ""]
    out += [
        "### Confidence",
        f"- **Level:** {level(len(examples))}",
        f"- **Based on:** {len(examples)} example{'s' if len(examples) != 1 else ''}",
        f"- **Created:** {dates[0]}",
        f"- **Last reinforced:** {dates[-1]}",
        "",
        "### Time Savings",
        f"- **Estimated:** ~{minutes(name)} min per application",
        f"- **Total saved:** {minutes(name) * len(examples)} min",
        "",
    ]
    if sources := sources_of(name):
        out += ["### Sources", *[f"- {s}" for s in sources], ""]
    return out


def pattern_file(domain: str) -> str:
    title, fmt, entries = DOMAINS[domain]
    out = [
        f"# {title}",
        "",
        f"**Purpose:** What worked on real projects ({domain}), so the next task starts from it",
        "",
    ]
    if fmt == "A":
        out += [
            "**Confidence levels:**",
            "- **HIGH** (5+ examples): Proven repeatedly, apply it",
            "- **MEDIUM** (2-4 examples): Worked more than once, check the fit",
            "- **LOW** (1 example): Seen once, treat it as a hypothesis",
            "",
            "---",
            "",
        ]
        for p in entries:
            out += entry_a(domain, p)
    else:
        for p in entries:
            out += entry_b(p)
    return "\n".join(out).rstrip("\n") + "\n"


# -- episodes, workflows, work logs -------------------------------------------------------------


def episode(ep: tuple) -> str:
    date, folder, project, title, goal, happened, solution, patterns, result = ep
    if result is None:  # a note written by hand
        return f"# {title}\n\n{happened}\n\n## What I learned\n- {solution}\n"
    work_type = {"code": "code", "projects": "client", "learning": "research", "content": "content"}[folder]
    front = ["---", f"date: {date}", f"project: {project}", f"work_type: {work_type}"]
    front += ["patterns:", *[f"  - {p}" for p in patterns]] if patterns else ["patterns: []"]
    front += [f"result: {result}", "---", ""]
    body = [
        f"# {title} - {project} - {date}",
        "",
        "## Context",
        f"**Project:** {project}",
        f"**Goal:** {goal}",
        "",
        "## What Happened",
        happened,
        "",
        "## Solution",
        solution,
        "",
    ]
    if patterns:
        body += ["## Patterns Applied", *[f"- **{p}** (from semantic memory)" for p in patterns], ""]
    body += ["## Outcome", f"**Result:** {result}", ""]
    return "\n".join(front + body).rstrip("\n") + "\n"


def workflow(w: tuple) -> str:
    title, when, estimated, source, steps, checklist = w
    domain = next(d for d, (_, _, entries) in DOMAINS.items() if any(p[0] == source for p in entries))
    out = [
        f"# {title}",
        "",
        f"**When to use:** {when}",
        f"**Estimated time:** {estimated}",
        f"**Source pattern:** {PATTERNS}/{domain}-patterns.md#{slugify(source)}",
        "",
        "## Steps",
        *[f"{i}. {s}" for i, s in enumerate(steps, 1)],
    ]
    if checklist:
        out += ["", "## Checklist", *[f"- [ ] {c}" for c in checklist]]
    return "\n".join(out) + "\n"


_INLINE = {"Prev", "Now", "Status", "Progress", "Works", "Fails", "Tried", "Solution", "Open"}
_AS_IS = {"Hypotheses", "Review Checklist"}


def worklog(name: str, status: str, entries: list) -> str:
    out = [
        "---",
        f"version: v{len(entries)}",
        f"status: {status}",
        "---",
        "",
        f"# {name.replace('-', ' ')} Work Log",
        "",
    ]
    for n, (stamp, title, tag, fields) in enumerate(entries, 1):
        out.append(f"## v{n} | {stamp} | {title}" + (f" {tag}" if tag else ""))
        for label, value in fields.items():
            if label in _INLINE or (isinstance(value, list) and label == "Dead ends" and len(value) == 1):
                out.append(f"**{label}:** {value if isinstance(value, str) else value[0]}")
            elif label == "Blockers":
                out += [f"**Blockers:** {value[0]}", *value[1:]]
            elif label in _AS_IS:
                out += [f"**{label}:**", *value]
            else:
                out += [f"**{label}:**", *[f"- {v}" for v in value]]
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# -- questions ----------------------------------------------------------------------------------


def resolve(ref: tuple[str, str]) -> dict[str, str]:
    kind, key = ref
    if kind == "p":
        for domain, (_, _, entries) in DOMAINS.items():
            if any(p[0] == key for p in entries):
                return {"path": f"{PATTERNS}/{domain}-patterns.md", "title": key}
    elif kind == "e":
        for ep in EPISODES:
            if ep[3] == key:
                return {"path": episode_path(ep)}
    elif kind == "w":
        for w in WORKFLOWS:
            if w[0] == key:
                return {"path": f"memory/procedural/workflows/{slugify(key)}.md"}
    elif kind == "l" and any(log[0] == key for log in WORKLOGS):
        return {"path": f"memory/worklogs/{key}-WorkLog.md"}
    raise KeyError(f"unknown gold answer {ref}")


def split(questions: list[dict]) -> None:
    by_type: dict[str, list[dict]] = defaultdict(list)
    for q in questions:
        by_type[q["type"]].append(q)
    for group in by_type.values():
        ordered = sorted(group, key=lambda q: hashlib.sha256(q["id"].encode("utf-8")).hexdigest())
        half = (len(ordered) + 1) // 2
        for i, q in enumerate(ordered):
            q["split"] = "tune" if i < half else "heldout"


def questions() -> dict:
    out = [
        {"id": qid, "query": query, "type": qtype, "answers": [resolve(a) for a in answers]}
        for qid, qtype, query, answers in QUESTIONS
    ]
    ids = [q["id"] for q in out]
    if len(ids) != len(set(ids)):
        raise ValueError("duplicate question ids")
    split(out)
    return {
        "about": "Recall questions over bench/recall_eval/brain; see bench/recall_eval/README.md.",
        "split_rule": SPLIT_RULE,
        "match_rule": "A hit matches a gold answer when its path (without any #fragment) equals the answer's path "
        "and, when the answer has a title, its title equals it (case-insensitive, trimmed). Work logs match by path.",
        "questions": out,
    }


def write(root: Path) -> dict[str, int]:
    if root.exists():
        shutil.rmtree(root)
    files: dict[str, str] = {}
    for domain in DOMAINS:
        files[f"{PATTERNS}/{domain}-patterns.md"] = pattern_file(domain)
    for ep in EPISODES:
        path = episode_path(ep)
        if path in files:
            raise ValueError(f"two episodes at {path}")
        files[path] = episode(ep)
    for w in WORKFLOWS:
        files[f"memory/procedural/workflows/{slugify(w[0])}.md"] = workflow(w)
    for name, status, entries in WORKLOGS:
        files[f"memory/worklogs/{name}-WorkLog.md"] = worklog(name, status, entries)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    return {
        "patterns": sum(len(e) for _, _, e in DOMAINS.values()),
        "episodes": len(EPISODES),
        "workflows": len(WORKFLOWS),
        "worklogs": len(WORKLOGS),
    }


def main() -> None:
    counts = write(BRAIN)
    data = questions()
    QUESTIONS_FILE.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {BRAIN}: {counts}; {len(data['questions'])} questions to {QUESTIONS_FILE}")


if __name__ == "__main__":
    main()
