"""Decisions across a work log: ``- [Topic] what: why (vs alternative) (supersedes vN)`` lines,
their evolution by topic, and the Key Decisions Log lines (docs/FORMAT.md, '6.1 Long-running
work logs')."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Decision", "Stage", "evolution", "evolution_block", "log_line", "parse_decision"]

_TOPIC = re.compile(r"^\[([^\]]+)\]\s*(.*)$")
_SUPERSEDES = re.compile(r"\s*\(supersedes\s+v(\d+)\)\s*$", re.I)
_VS = re.compile(r"\s*\(vs\.?\s+[^)]*\)\s*$", re.I)
_LOG = re.compile(r"^\s*[-*]\s+v(\d+):\s*(.*?)\s*$")


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


def logged(lines: list[str]) -> set[tuple[int, str]]:
    """(version, start of the decision) of every ``- vN: text`` line already in the log."""
    return {(int(m.group(1)), m.group(2).lower()[:24]) for line in lines if (m := _LOG.match(line))}


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
