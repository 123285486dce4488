"""Measured values in work logs: the entry's ``**Metrics:**`` lines (``- Name: 180ms (target
<200ms)``) and the Performance Targets lines (``- Name: <200ms (current: 150ms ✅)``); see
docs/FORMAT.md, '6.1 Long-running work logs'.

Values keep the text as written; a number with a known unit is also read, in the unit's base
(ms, %, MB or a count), so values written in s and ms, or KB and GB, compare. A value that
does not parse stays as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "Metric",
    "Target",
    "Value",
    "parse_metrics",
    "parse_target_lines",
    "parse_value",
    "render_metric",
    "target_line",
]

_SCALE: dict[str, tuple[str, float]] = {
    "ms": ("ms", 1.0),
    "s": ("ms", 1000.0),
    "sec": ("ms", 1000.0),
    "min": ("ms", 60_000.0),
    "%": ("%", 1.0),
    "kb": ("MB", 1 / 1024),
    "mb": ("MB", 1.0),
    "gb": ("MB", 1024.0),
    "": ("count", 1.0),
    "k": ("count", 1000.0),
}
_NUMBER = re.compile(r"^~?\s*(-?\d+(?:[.,]\d+)?)\s*(ms|sec|s|min|%|kb|mb|gb|k)?(?![A-Za-z])\s*(.*)$", re.I)
_LINE = re.compile(r"^\s*[-*]\s+([^:]+?):\s*(.*?)\s*$")
_TARGET = re.compile(r"\(\s*target\s+([^)]*?)\s*\)\s*$", re.I)
_BOUND = re.compile(r"^(<=|>=|≤|≥|<|>)\s*(.+)$")
_CURRENT = re.compile(r"^(.*?)\s*\(\s*current:\s*([^)]*?)\s*(?:✅|⚠️|⚠)?\s*\)\s*$", re.I)


@dataclass(frozen=True)
class Value:
    text: str
    number: float | None = None
    unit: str | None = None  # ms, %, MB or count: the base the number is in

    def comparable(self, other: Value) -> bool:
        return self.number is not None and other.number is not None and self.unit == other.unit


def parse_value(text: str) -> Value:
    """``180ms`` -> 180 ms; ``1.8s`` -> 1800 ms; ``12`` -> 12 (a count); ``n/a`` -> text only."""
    raw = text.strip()
    m = _NUMBER.match(raw)
    if not m or (m.group(3) and not m.group(3).startswith(("(", "/", "per"))):
        return Value(raw)
    unit, scale = _SCALE[(m.group(2) or "").lower()]
    return Value(raw, float(m.group(1).replace(",", ".")) * scale, unit)


@dataclass(frozen=True)
class Target:
    text: str  # as written: '<200ms'
    lower_is_better: bool
    bound: Value

    def met(self, value: Value) -> bool | None:
        if not value.comparable(self.bound):
            return None
        assert value.number is not None and self.bound.number is not None
        return value.number <= self.bound.number if self.lower_is_better else value.number >= self.bound.number


def parse_target(text: str) -> Target | None:
    m = _BOUND.match(text.strip())
    if not m:
        return None
    bound = parse_value(m.group(2))
    if bound.number is None:
        return None
    return Target(text.strip(), m.group(1) in ("<", "<=", "≤"), bound)


@dataclass(frozen=True)
class Metric:
    name: str
    value: Value
    target: Target | None
    target_text: str | None = None  # as written, even when it does not parse


def parse_metrics(lines: list[str]) -> list[Metric]:
    """``- Name: value (target <200ms)`` lines; other lines are skipped."""
    out: list[Metric] = []
    for line in lines:
        m = _LINE.match(line)
        if not m or line.startswith((" ", "\t")):
            continue
        rest = m.group(2)
        t = _TARGET.search(rest)
        target_text = t.group(1) if t else None
        value = rest[: t.start()].strip() if t else rest
        out.append(Metric(m.group(1).strip(), parse_value(value), parse_target(target_text or ""), target_text))
    return out


def render_metric(name: str, value: str, target: str | None = None) -> str:
    return f"- {name}: {value}" + (f" (target {target})" if target else "")


def parse_target_lines(lines: list[str]) -> dict[str, tuple[int, Target | None, str]]:
    """Performance Targets: name (lower case) -> (index in ``lines``, target, name as written)."""
    out: dict[str, tuple[int, Target | None, str]] = {}
    for i, line in enumerate(lines):
        m = _LINE.match(line)
        if not m:
            continue
        c = _CURRENT.match(m.group(2))
        target = c.group(1) if c else m.group(2)
        out[m.group(1).strip().lower()] = (i, parse_target(target), m.group(1).strip())
    return out


def target_line(name: str, target: Target | str, current: Value | None) -> str:
    """``- Name: <200ms (current: 150ms ✅)``; ⚠️ when the current value misses the target."""
    text = target if isinstance(target, str) else target.text
    if current is None:
        return f"- {name}: {text}"
    met = target.met(current) if isinstance(target, Target) else None
    mark = "" if met is None else " ✅" if met else " ⚠️"
    return f"- {name}: {text} (current: {current.text}{mark})"
