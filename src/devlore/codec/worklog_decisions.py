"""Decisions across a work log: ``- [Topic] what: why (vs alternative) (supersedes vN)`` lines,
their evolution by topic, and the Key Decisions Log lines (docs/FORMAT.md, '6.1 Long-running
work logs')."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "Decision",
    "Logged",
    "Stage",
    "evolution",
    "evolution_block",
    "log_line",
    "logged_versions",
    "parse_decision",
]

_TOPIC = re.compile(r"^\[([^\]]+)\]\s*(.*)$")
_SUPERSEDES = re.compile(r"\s*\(supersedes\s+v(\d+)\)\s*$", re.I)
_VS = re.compile(r"\s*\(vs\.?\s+[^)]*\)\s*$", re.I)
_LOG = re.compile(r"^\s*[-*]\s+v(\d+):\s*(.*?)\s*$")
_WORD = re.compile(r"[a-z][a-z0-9-]{2,}")


@dataclass(frozen=True)
class Decision:
    version: int
    what: str
    why: str
    topic: str | None = None
    supersedes: int | None = None


def parse_decision(version: int, line: str) -> Decision | None:
    text = line.strip().lstrip("-*").strip()
    if not text:
        return None
    topic = None
    if m := _TOPIC.match(text):
        topic, text = m.group(1).strip(), m.group(2)
    sup = None
    if m2 := _SUPERSEDES.search(text):
        sup, text = int(m2.group(1)), text[: m2.start()]
    what, _, why = text.partition(": ")
    return Decision(version, what.strip(), _VS.sub("", why).strip(), topic, sup)


def log_line(d: Decision) -> str:
    """The Key Decisions Log line: ``- v5: Redis for sessions (why)``."""
    return f"- v{d.version}: {d.what}" + (f" ({d.why})" if d.why else "")


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in _WORD.findall(text.lower())}


@dataclass
class Logged:
    """The Key Decisions Log's lines, each claimed by at most one decision of its version."""

    versions: list[int | None]
    words: list[set[str]]
    used: list[bool]

    def claim(self, d: Decision) -> bool:
        """Mark the line that logs ``d`` (same version, two shared words) as taken."""
        want = _words(d.what)
        for i, v in enumerate(self.versions):
            if v == d.version and not self.used[i] and len(want & self.words[i]) >= min(2, len(want)):
                self.used[i] = True
                return True
        return False

    def insert(self, at: int, d: Decision) -> None:
        self.versions.insert(at, d.version)
        self.words.insert(at, _words(d.what))
        self.used.insert(at, True)


def logged_versions(lines: list[str]) -> Logged:
    found = [_LOG.match(line) for line in lines]
    return Logged(
        [int(m.group(1)) if m else None for m in found],
        [_words(m.group(2)) if m else set() for m in found],
        [False for _ in found],
    )


@dataclass(frozen=True)
class Stage:
    first: int
    last: int | None  # None: still current
    what: str
    why: str
    issue: str  # why the next stage replaced it ('' for the current one)


def evolution(decisions: list[Decision]) -> dict[str, list[Stage]]:
    """Topic -> its stages, oldest first. A decision joins a topic by its ``[Topic]`` tag or by
    superseding a decision of that topic; only topics with two stages or more evolve."""
    chains: dict[str, list[Decision]] = {}
    by_version: dict[int, str] = {}
    for d in decisions:
        topic = d.topic or (by_version.get(d.supersedes) if d.supersedes else None)
        if topic is None:
            continue
        chains.setdefault(topic, []).append(d)
        by_version[d.version] = topic
    out: dict[str, list[Stage]] = {}
    for topic, chain in chains.items():
        if len(chain) < 2:
            continue
        stages = []
        for k, d in enumerate(chain):
            nxt = chain[k + 1] if k + 1 < len(chain) else None
            stages.append(Stage(d.version, nxt.version - 1 if nxt else None, d.what, d.why, nxt.why if nxt else ""))
        out[topic] = stages
    return out


def span(s: Stage) -> str:
    if s.last is None:
        return f"v{s.first}+"
    return f"v{s.first}" if s.last <= s.first else f"v{s.first}-v{s.last}"


def summary_line(topic: str, stages: list[Stage]) -> str:
    """``Caching: v3-v8: LRU — issue: low hits; v9+: Redis — why: shared``."""
    parts = []
    for s in stages:
        tail = f" — issue: {s.issue}" if s.issue else " (current)"
        parts.append(f"{span(s)}: {s.what}{tail}")
    return f"{topic}: " + "; ".join(parts)


def evolution_block(topic: str, stages: list[Stage]) -> list[str]:
    """The ``### <Topic> Evolution`` block, one ``**vA-vB:**`` paragraph per stage."""
    out = [f"### {topic} Evolution", ""]
    for k, s in enumerate(stages):
        out.append(f"**{span(s)}:** {s.what}")
        if s.issue:
            out += [f"- Issue: {s.issue}", f"- Decision: {stages[k + 1].what}"]
        else:
            out.append("- Current ✅")
        out.append("")
    return out[:-1]
