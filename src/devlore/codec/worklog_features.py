"""Feature status blocks: ``### Feature: Name`` with a ``**Progress:** 60% | Started: … |
Target: …`` line and Done ✅ / Active 🔄 / Backlog ⏳ lists (docs/FORMAT.md, '6.1 Long-running
work logs')."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

__all__ = ["Active", "Feature", "apply", "parse_features", "render_feature"]

_HEAD = re.compile(r"^###\s+Feature:\s*(.+?)\s*$")
_LABEL = re.compile(r"^\*\*(Progress|Done|Active|Backlog):\*\*[ \t]*(.*)$", re.I)
_ACTIVE = re.compile(r"^(.*?)(?:\s*\((\d{1,3})%\))?(?:\s+-\s+Blocker:\s*(.*))?$")
_PART = re.compile(r"^\s*(Started|Target):\s*(.*?)\s*$", re.I)
_OP = re.compile(r"^(done|active|backlog|drop|target|started)\s+(.+)$", re.I)


@dataclass(frozen=True)
class Active:
    text: str
    percent: int | None = None
    blocker: str | None = None

    def render(self) -> str:
        pct = f" ({self.percent}%)" if self.percent is not None else ""
        return f"🔄 {self.text}{pct}" + (f" - Blocker: {self.blocker}" if self.blocker else "")


@dataclass(frozen=True)
class Feature:
    name: str
    progress: int | None = None
    started: str = ""
    target: str = ""
    done: tuple[str, ...] = ()
    active: tuple[Active, ...] = ()
    backlog: tuple[str, ...] = ()
    span: tuple[int, int] = field(default=(0, 0), compare=False)  # its lines, blank tail excluded


def _strip(text: str, mark: str) -> str:
    return text.strip().removeprefix(mark).strip()


def _names(value: str, mark: str) -> tuple[str, ...]:
    return tuple(n for part in value.split(",") if (n := _strip(part, mark)))


def _actives(value: str) -> tuple[Active, ...]:
    out = []
    for part in value.split(";"):
        text = _strip(part, "🔄")
        if text and (m := _ACTIVE.match(text)):
            out.append(Active(m.group(1).strip(), int(m.group(2)) if m.group(2) else None, m.group(3)))
    return tuple(out)


def _block(lines: list[str], name: str, start: int, end: int) -> Feature:
    f = Feature(name=name, span=(start, end))
    for line in lines[start + 1 : end]:
        m = _LABEL.match(line)
        if not m:
            continue
        label, value = m.group(1).lower(), m.group(2).strip()
        if label == "progress":
            parts = value.split("|")
            pct = re.search(r"(\d{1,3})%", parts[0])
            dated = {p.group(1).lower(): p.group(2) for part in parts[1:] if (p := _PART.match(part))}
            f = replace(
                f,
                progress=int(pct.group(1)) if pct else None,
                started=dated.get("started", ""),
                target=dated.get("target", ""),
            )
        elif label == "done":
            f = replace(f, done=_names(value, "✅"))
        elif label == "active":
            f = replace(f, active=_actives(value))
        else:
            f = replace(f, backlog=_names(value, "⏳"))
    return f


def parse_features(lines: list[str], start: int = 0, end: int | None = None) -> list[Feature]:
    """Every ``### Feature:`` block between ``start`` and ``end``; a block runs to the next
    heading. A name met twice keeps its block under ``## Features`` (where the tools write),
    else its last one."""
    stop = len(lines) if end is None else end
    heads = {i for i in range(start, stop) if _HEAD.match(lines[i])}
    section = ""
    ranked: list[tuple[bool, int]] = []
    for i in range(start, stop):
        if lines[i].startswith("## "):
            section = lines[i][3:].strip().lower()
        elif i in heads:
            ranked.append((section == "features", i))
    found: dict[str, Feature] = {}
    for _, i in sorted(ranked):
        close = next((j for j in range(i + 1, stop) if lines[j].startswith("#")), stop)
        while close > i + 1 and not lines[close - 1].strip():
            close -= 1
        m = _HEAD.match(lines[i])
        assert m is not None
        feature = _block(lines, m.group(1), i, close)
        found.pop(feature.name.lower(), None)
        found[feature.name.lower()] = feature
    return list(found.values())


def render_feature(f: Feature) -> list[str]:
    head = f"**Progress:** {f.progress if f.progress is not None else 0}%"
    head += "".join(f" | {k}: {v}" for k, v in (("Started", f.started), ("Target", f.target)) if v)
    done = ", ".join(f.done)
    backlog = ", ".join(f.backlog)
    return [
        f"### Feature: {f.name}",
        head,
        "",
        "**Done:**" + (f" ✅ {done}" if done else ""),
        "**Active:**" + (" " + "; ".join(a.render() for a in f.active) if f.active else ""),
        "**Backlog:**" + (f" ⏳ {backlog}" if backlog else ""),
    ]


def _without(f: Feature, item: str) -> Feature:
    low = item.lower()
    return replace(
        f,
        done=tuple(d for d in f.done if d.lower() != low),
        active=tuple(a for a in f.active if a.text.lower() != low),
        backlog=tuple(b for b in f.backlog if b.lower() != low),
    )


def apply(f: Feature, op: str) -> Feature:
    """One operation on a feature: ``60%``, ``done Item``, ``active Item (50%) - Blocker: why``,
    ``backlog Item``, ``drop Item``, ``target YYYY-MM-DD`` or ``started YYYY-MM-DD``.
    Raises ``ValueError`` with what to write instead."""
    text = op.strip()
    if m := re.fullmatch(r"(\d{1,3})\s*%", text):
        if int(m.group(1)) > 100:
            raise ValueError("a progress is 0% to 100%")
        return replace(f, progress=int(m.group(1)))
    m2 = _OP.match(text)
    if not m2:
        raise ValueError("write '60%', 'done Item', 'active Item (50%)', 'backlog Item', 'drop Item' or 'target DATE'")
    verb, rest = m2.group(1).lower(), m2.group(2).strip()
    if verb == "target":
        return replace(f, target=rest)
    if verb == "started":
        return replace(f, started=rest)
    act = _actives(rest)[0] if verb == "active" else Active(rest)
    f = _without(f, act.text)
    if verb == "done":
        return replace(f, done=(*f.done, act.text))
    if verb == "active":
        return replace(f, active=(*f.active, act))
    if verb == "backlog":
        return replace(f, backlog=(*f.backlog, act.text))
    return f
