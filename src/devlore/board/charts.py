"""Charts as server-rendered SVG: no script, no library. Colours come from CSS classes (so
light and dark themes both work) and every colour has a text label beside it."""

from __future__ import annotations

from devlore.board.markup import Html, h, join
from devlore.model import LEVELS

__all__ = ["dependency_graph", "level_bars", "line_chart", "weekly_bars"]

_ROW = 26
_LABEL_W = 110


def _legend(names: list[str], css: list[str], y: int) -> Html:
    parts = []
    x = 0
    for name, cls in zip(names, css, strict=True):
        parts.append(
            h(
                '<rect class="{cls}" x="{x}" y="{y}" width="12" height="12"/>'
                '<text x="{tx}" y="{ty}" class="label">{name}</text>',
                cls=cls,
                x=x,
                y=y,
                tx=x + 16,
                ty=y + 11,
                name=name,
            )
        )
        x += 24 + 8 * len(name)
    return join(parts)


def level_bars(by_domain: dict[str, dict[str, int]], title: str) -> Html:
    """One horizontal bar per domain, split by evidence level, each part labelled."""
    width = 600
    most = max((sum(c.values()) for c in by_domain.values()), default=0) or 1
    scale = (width - _LABEL_W - 10) / most
    parts = []
    for i, (domain, counts) in enumerate(by_domain.items()):
        y = i * _ROW
        parts.append(h('<text x="0" y="{y}" class="label">{d}</text>', y=y + 17, d=domain))
        x = float(_LABEL_W)
        for level in reversed(LEVELS):  # HIGH first
            n = counts.get(level, 0)
            if not n:
                continue
            w = n * scale
            parts.append(
                h(
                    '<rect class="lvl-{level}" x="{x}" y="{y}" width="{w}" height="20">'
                    "<title>{domain}: {n} {level}</title></rect>",
                    level=level,
                    x=f"{x:.1f}",
                    y=y + 3,
                    w=f"{w:.1f}",
                    domain=domain,
                    n=n,
                )
            )
            if w >= 34:
                parts.append(
                    h(
                        '<text x="{x}" y="{y}" class="on-bar">{n} {lv}</text>',
                        x=f"{x + 4:.1f}",
                        y=y + 17,
                        n=n,
                        lv=level[0],
                    )
                )
            x += w
    height = max(len(by_domain), 1) * _ROW + 24
    parts.append(_legend(list(reversed(LEVELS)), [f"lvl-{lv}" for lv in reversed(LEVELS)], height - 16))
    return _svg(width, height, title, join(parts))


def weekly_bars(weeks: list[str], series: dict[str, list[int]], title: str) -> Html:
    """Grouped bars per week (one colour per series, named in the legend), a label every 4 weeks."""
    width, plot_h, top = 720, 120, 10
    names = list(series)
    most = max((v for values in series.values() for v in values), default=0) or 1
    slot = (width - 30) / max(len(weeks), 1)
    bar = max(slot / (len(names) + 1), 1.0)
    parts = [h('<text x="0" y="{y}" class="label">{m}</text>', y=top + 8, m=most)]
    for i, week in enumerate(weeks):
        x0 = 30 + i * slot
        for j, name in enumerate(names):
            v = series[name][i]
            if v:
                bh = v / most * plot_h
                parts.append(
                    h(
                        '<rect class="s{j}" x="{x}" y="{y}" width="{w}" height="{bh}"><title>{name}, week of '
                        "{week}: {v}</title></rect>",
                        j=j,
                        x=f"{x0 + j * bar:.1f}",
                        y=f"{top + plot_h - bh:.1f}",
                        w=f"{bar:.1f}",
                        bh=f"{bh:.1f}",
                        name=name,
                        week=week,
                        v=v,
                    )
                )
        if i % 4 == 0:
            parts.append(
                h('<text x="{x}" y="{y}" class="label">{w}</text>', x=f"{x0:.1f}", y=top + plot_h + 16, w=week[5:])
            )
    parts.append(_legend(names, [f"s{j}" for j in range(len(names))], top + plot_h + 26))
    return _svg(width, top + plot_h + 44, title, join(parts))


def line_chart(weeks: list[str], values: list[int], title: str, unit: str) -> Html:
    width, plot_h, top = 720, 120, 14
    most = max(values, default=0) or 1
    step = (width - 40) / max(len(values) - 1, 1)
    points = " ".join(f"{40 + i * step:.1f},{top + plot_h - v / most * plot_h:.1f}" for i, v in enumerate(values))
    last = values[-1] if values else 0
    parts = [
        h('<polyline class="line" points="{p}"/>', p=points),
        h('<text x="0" y="{y}" class="label">{m}</text>', y=top + 4, m=most),
        h('<text x="0" y="{y}" class="label">0</text>', y=top + plot_h),
        h(
            '<text x="{x}" y="{y}" class="label" text-anchor="end">now {last} {unit}</text>',
            x=width,
            y=top + plot_h,
            last=last,
            unit=unit,
        ),
    ]
    for i, week in enumerate(weeks):
        if i % 4 == 0:
            parts.append(
                h(
                    '<text x="{x}" y="{y}" class="label">{w}</text>',
                    x=f"{40 + i * step:.1f}",
                    y=top + plot_h + 16,
                    w=week[5:],
                )
            )
    return _svg(width, top + plot_h + 24, title, join(parts))


def dependency_graph(names: list[str], edges: list[tuple[str, str]], statuses: dict[str, str], title: str) -> Html:
    """Work logs down the left, each dependency an arc from the log that waits to the one it needs."""
    width = 600
    row = {name: i for i, name in enumerate(names)}
    parts = []
    for i, name in enumerate(names):
        parts.append(
            h(
                '<text x="140" y="{y}" class="label">{name} ({status})</text>',
                y=i * _ROW + 17,
                name=name,
                status=statuses.get(name, "?"),
            )
        )
    for a, b in edges:
        if a not in row or b not in row:
            continue
        y1, y2 = row[a] * _ROW + 12, row[b] * _ROW + 12
        bend = 130 - min(abs(y2 - y1), 120)
        parts.append(
            h(
                '<path class="dep" d="M134 {y1} C {bx} {y1}, {bx} {y2}, 134 {y2}"><title>{a} needs {b}</title></path>',
                y1=y1,
                y2=y2,
                bx=bend,
                a=a,
                b=b,
            )
        )
    return _svg(width, max(len(names), 1) * _ROW + 6, title, join(parts))


def _svg(width: int, height: int, title: str, body: Html) -> Html:
    return h(
        '<div class="chart-box" tabindex="0" role="group" aria-label="{t} (scrolls sideways on a narrow screen)">'
        '<svg class="chart" viewBox="0 0 {w} {hh}" role="img" aria-label="{t}" '
        'preserveAspectRatio="xMinYMin meet"><title>{t}</title>{body}</svg></div>',
        w=width,
        hh=height,
        t=title,
        body=body,
    )
