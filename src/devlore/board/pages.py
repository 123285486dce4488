"""The page shell and the pattern pages: the overview, the pattern table and one pattern."""

from __future__ import annotations

import re
from urllib.parse import quote

from devlore.board import charts
from devlore.board.data import Overview, PatternRow
from devlore.board.markup import Html, attr, h, join
from devlore.board.md import render_markdown
from devlore.model import LEVELS, PatternDetail

__all__ = [
    "PREFIX",
    "ROW_CAP",
    "experience_anchor",
    "experience_href",
    "level_tag",
    "overview_page",
    "pattern_href",
    "pattern_page",
    "patterns_page",
    "shell",
]

PREFIX = "/board"
NAV = (("/", "Overview"), ("/patterns", "Patterns"), ("/experiences", "Experiences"), ("/worklogs", "Work logs"))
ROW_CAP = 500  # rows one table shows; the filters narrow the rest


def shell(title: str, section: str, main: Html) -> Html:
    """A whole page: ``main`` is the part the live updates replace."""
    links = join(
        h(
            '<li><a href="{href}"{cur}>{label}</a></li>',
            href=attr(PREFIX + path),
            cur=Html(' aria-current="page"') if path == section else Html(""),
            label=label,
        )
        for path, label in NAV
    )
    return h(
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>{title} · devlore board</title>"
        '<link rel="icon" href="data:,"><link rel="stylesheet" href="{p}/static/board.css">'
        '<script src="{p}/static/board.js" defer></script>'
        '</head><body><a class="skip" href="#main">Skip to the content</a>'
        '<header><p class="brand">devlore board</p><nav aria-label="Board pages"><ul>{links}</ul></nav>'
        '<p id="live" role="status" aria-live="polite">Static view</p></header>'
        '<main id="main" tabindex="-1">{main}</main></body></html>',
        title=title,
        p=PREFIX,
        links=links,
        main=main,
    )


def pattern_href(domain: str, slug: str) -> str:
    return f"{PREFIX}/patterns/{quote(domain)}/{quote(slug)}"


def experience_href(path: str) -> str:
    return f"{PREFIX}/experiences#{experience_anchor(path)}"


def experience_anchor(path: str) -> str:
    return "x-" + re.sub(r"[^A-Za-z0-9-]", "-", path.rsplit("/", 1)[-1].removesuffix(".md"))


def level_tag(level: str | None) -> Html:
    """A level is always a word, and the colour only repeats it."""
    if level in LEVELS:
        return h('<span class="tag lvl-{lv}">{lv}</span>', lv=level)
    return h('<span class="tag">{t}</span>', t=level or "none written")


def _count(label: str, value: object, key: str) -> Html:
    return h('<div class="count"><dt>{label}</dt><dd data-count="{key}">{v}</dd></div>', label=label, v=value, key=key)


def _pattern_list(rows: list[PatternRow], total: int, empty: str, show: str) -> Html:
    if not rows:
        return h("<p>{e}</p>", e=empty)
    items = [
        h(
            '<li><a href="{href}">{name}</a> {tag} <span class="muted">{detail}</span></li>',
            href=attr(pattern_href(r.domain, r.slug)),
            name=r.name,
            tag=level_tag(r.evidence if show == "evidence" else r.stated),
            detail=(
                f"last reinforced {r.last_reinforced or 'never'}"
                if show == "evidence"
                else f"evidence {r.evidence} ({r.examples} examples)"
            ),
        )
        for r in rows
    ]
    more = h("<p>… and {n} more.</p>", n=total - len(rows)) if total > len(rows) else Html("")
    return h("<ul>{items}</ul>{more}", items=items, more=more)


def overview_page(o: Overview) -> Html:
    s = o.stats
    counts = [
        _count("Patterns", s.patterns, "patterns"),
        *(_count(f"{lv} patterns", s.by_level.get(lv, 0), lv) for lv in reversed(LEVELS)),
        _count("Experiences", s.experiences, "experiences"),
        _count("Workflows", s.workflows, "workflows"),
        _count("Work logs", s.worklogs, "worklogs"),
        _count("Open blockers", s.open_blockers, "open_blockers"),
        _count("Minutes saved", s.time_saved_minutes, "time_saved_minutes"),
        _count("Files that do not parse", s.problems_total, "problems_total"),
    ]
    problems = (
        h(
            '<table class="stack"><caption>Files that do not parse</caption><thead><tr><th scope=col>File</th>'
            "<th scope=col>Line</th><th scope=col>Reason</th></tr></thead><tbody>{rows}</tbody></table>{more}",
            more=h(
                "<p>… and {n} more: <code>devlore check</code> lists them all.</p>",
                n=s.problems_total - len(o.problems),
            )
            if s.problems_total > len(o.problems)
            else Html(""),
            rows=[
                h(
                    '<tr><td data-label="File">{p}</td><td data-label="Line">{n}</td>'
                    '<td data-label="Reason">{r}</td></tr>',
                    p=p.path,
                    n=p.line,
                    r=p.reason,
                )
                for p in o.problems
            ],
        )
        if o.problems
        else Html("<p>Every file parses.</p>")
    )
    series = {"examples added": o.examples, "new patterns": o.learned, "promotions": o.promoted}
    return h(
        "<h1>What the brain has learned</h1>"
        '<section aria-labelledby="c"><h2 id="c">Counts</h2><dl class="counts">{counts}</dl></section>'
        '<section aria-labelledby="d"><h2 id="d">Patterns by evidence level, per domain</h2>{levels}</section>'
        '<section aria-labelledby="g"><h2 id="g">Growth per week, last six months</h2>{weekly}</section>'
        '<section aria-labelledby="t"><h2 id="t">Time saved, cumulative</h2>{saved}'
        '<p class="muted">The line adds each dated example\'s time saved per use; the count above is the '
        "total every pattern states.</p></section>"
        '<section aria-labelledby="s"><h2 id="s">Stale HIGH patterns to revalidate</h2>{stale}</section>'
        '<section aria-labelledby="m"><h2 id="m">Stated level drifted from the evidence</h2>{drift}</section>'
        '<section aria-labelledby="p"><h2 id="p">Problems</h2>{problems}</section>',
        counts=counts,
        levels=charts.level_bars(o.by_domain, "Patterns per domain by evidence level"),
        weekly=charts.weekly_bars(o.weeks, series, "Examples added, new patterns and promotions per week"),
        saved=charts.line_chart(o.weeks, o.saved, "Cumulative minutes saved", "min"),
        stale=_pattern_list(o.stale_high, o.stale_high_total, "No HIGH pattern is stale.", "evidence"),
        drift=_pattern_list(o.drifted, o.drifted_total, "Every stated level matches its evidence.", "stated"),
        problems=problems,
    )


def _options(name: str, values: list[str], chosen: str | None) -> Html:
    return h(
        '<select name="{n}" id="f-{n}"><option value="">any</option>{opts}</select>',
        n=name,
        opts=[
            h('<option value="{v}"{sel}>{v}</option>', v=v, sel=Html(" selected") if v == chosen else Html(""))
            for v in values
        ],
    )


def patterns_page(rows: list[PatternRow], domains: list[str], query: dict[str, str]) -> Html:
    """The table, filtered on the server by the form (works without script) and again as you type."""
    shown = rows[:ROW_CAP]
    body = [
        h(
            '<tr data-domain="{d}" data-level="{lv}" data-stale="{st}" data-examples="{n}" data-last="{last}">'
            '<td><a href="{href}">{name}</a></td><td data-label="Domain">{d}</td><td data-label="Evidence">{tag}</td>'
            '<td class="num" data-label="Examples">{n}</td><td data-label="Last reinforced">{last_shown}</td>'
            '<td data-label="Staleness">{stale}</td></tr>',
            d=r.domain,
            lv=r.evidence,
            st="yes" if r.stale else "no",
            n=r.examples,
            last=r.last_reinforced or "",
            last_shown=r.last_reinforced or "never",
            href=attr(pattern_href(r.domain, r.slug)),
            name=r.name,
            tag=level_tag(r.evidence),
            stale="stale" if r.stale else "current",
        )
        for r in shown
    ]
    more = (
        h("<p>Showing the first {n} of {t}; filter to narrow.</p>", n=len(shown), t=len(rows))
        if len(rows) > len(shown)
        else Html("")
    )
    return h(
        "<h1>Patterns</h1>"
        '<form class="filters" method="get" action="{action}" role="search">'
        '<label for="f-q">Text</label><input id="f-q" name="q" value="{q}" type="search">'
        '<label for="f-domain">Domain</label>{domains}'
        '<label for="f-level">Level</label>{levels}'
        '<label for="f-stale">Staleness</label>{stale}'
        '<button type="submit">Filter</button></form>'
        '<p id="shown" role="status">{count} patterns</p>{more}'
        '<div class="scroll"><table id="patterns" class="stack"><caption>Patterns, by evidence</caption><thead><tr>'
        '<th scope="col">Name</th><th scope="col">Domain</th><th scope="col">Evidence</th>'
        '<th scope="col" class="num"><button type="button" data-sort="examples">Examples</button></th>'
        '<th scope="col"><button type="button" data-sort="last">Last reinforced</button></th>'
        '<th scope="col">Staleness</th></tr></thead><tbody>{body}</tbody></table></div>',
        action=attr(PREFIX + "/patterns"),
        q=query.get("q", ""),
        domains=_options("domain", domains, query.get("domain")),
        levels=_options("level", list(reversed(LEVELS)), query.get("level")),
        stale=_options("stale", ["stale", "current"], query.get("stale")),
        count=len(rows),
        more=more,
        body=body,
    )


def pattern_page(p: PatternDetail, dated: list[tuple[str, str]]) -> Html:
    """The entry as written, rendered, and its examples on a timeline with their sources."""
    timeline = [h("<li><time>{d}</time> {t}</li>", d=d or "undated", t=t) for d, t in dated]
    sources = [h('<li><a href="{href}">{p}</a></li>', href=attr(experience_href(s)), p=s) for s in p.sources]
    return h(
        "<h1>{name}</h1>"
        "<p>{domain} · written {stated} · evidence {tag} from {n} examples · last reinforced {last}{stale}</p>"
        '<section aria-labelledby="tl"><h2 id="tl">Examples on a timeline</h2>'
        '<ol class="timeline">{timeline}</ol></section>'
        '<section aria-labelledby="src"><h2 id="src">Source experiences</h2>{sources}</section>'
        '<section aria-labelledby="md"><h2 id="md">The entry as written</h2>'
        '<article class="md">{md}</article></section>',
        name=p.name,
        domain=p.domain,
        stated=p.confidence or "no level",
        tag=level_tag(p.evidence_level),
        n=len(p.examples),
        last=p.last_reinforced or "never",
        stale=" · stale" if p.stale else "",
        timeline=timeline or [Html("<li>No examples yet.</li>")],
        sources=h("<ul>{s}</ul>", s=sources) if sources else Html("<p>None listed.</p>"),
        md=render_markdown(p.markdown),
    )
