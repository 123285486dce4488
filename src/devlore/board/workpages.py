"""The experiences page, the work-log board and one work log's page."""

from __future__ import annotations

from itertools import groupby
from urllib.parse import quote

from devlore.board import charts
from devlore.board.markup import Html, attr, h, join
from devlore.board.pages import PREFIX, ROW_CAP, experience_anchor, level_tag, pattern_href
from devlore.board.workdata import BoardLine, Experience, LogView

__all__ = ["experiences_page", "log_href", "log_page", "worklogs_page"]


def _status(status: str) -> str:
    return status.replace("_", " ")


def log_href(name: str) -> str:
    return f"{PREFIX}/worklogs/{quote(name)}"


def experiences_page(found: list[Experience]) -> Html:
    shown = found[:ROW_CAP]
    months = []
    for month, group in groupby(shown, key=lambda e: e.month):
        entries = list(group)
        kinds = sorted({e.work_type for e in entries})
        by_kind = ", ".join(f"{sum(e.work_type == k for e in entries)} {k}" for k in kinds)
        items = [
            h(
                '<li id="{anchor}"><strong>{title}</strong> '
                '<span class="muted">{date} · {kind} · {path}</span>{pats}</li>',
                anchor=experience_anchor(e.path),
                title=e.title,
                date=e.date or "undated",
                kind=e.work_type,
                path=e.path,
                pats=(
                    h(
                        "<ul>{p}</ul>",
                        p=[
                            h(
                                '<li>{how} <a href="{href}">{name}</a> {tag}</li>',
                                how=how,
                                href=attr(pattern_href(r.domain, r.slug)),
                                name=r.name,
                                tag=level_tag(r.evidence),
                            )
                            for r, how in e.patterns
                        ],
                    )
                    if e.patterns
                    else Html("")
                ),
            )
            for e in entries
        ]
        months.append(
            h(
                '<section><h2>{m}</h2><p class="muted">{k}</p><ul class="cards">{items}</ul></section>',
                m=month,
                k=by_kind,
                items=items,
            )
        )
    more = (
        h("<p>The newest {n} of {t} are shown.</p>", n=len(shown), t=len(found))
        if len(found) > len(shown)
        else Html("")
    )
    body = join(months) if months else Html("<p>No experiences recorded yet.</p>")
    return h(
        "<h1>Experiences</h1><p>{n} experiences, by month and work type.</p>{more}{body}",
        n=len(found),
        more=more,
        body=body,
    )


def worklogs_page(lines: list[BoardLine]) -> Html:
    if not lines:
        return Html("<h1>Work logs</h1><p>No work logs yet.</p>")
    rows = []
    for line in lines:
        r = line.row
        blockers = [
            h(
                '<li>{t} <span class="muted">(owner {o}, since {s}, open {a})</span></li>',
                t=b.text,
                o=b.owner,
                s=b.since,
                a=b.age,
            )
            for b in line.blockers
        ]
        rows.append(
            h(
                '<tr><td><a href="{href}">{name}</a></td><td data-label="Version">{v}</td>'
                '<td data-label="Status"><span class="tag st-{st}">{label}</span></td>'
                '<td data-label="Progress">{progress}</td><td data-label="HIGH item to do now">{top}</td>'
                '<td data-label="Open blockers">{blockers}</td><td data-label="Depends on">{deps}</td></tr>',
                href=attr(log_href(r.name)),
                name=r.name,
                v=r.version,
                st=r.status,
                label=_status(r.status),
                progress=r.progress or "—",
                top=r.top_item or "no HIGH item",
                blockers=h("<ul>{b}</ul>", b=blockers) if blockers else "none",
                deps=", ".join(r.depends_on) or "none",
            )
        )
    names = [line.row.name for line in lines]
    edges = [(line.row.name, dep) for line in lines for dep in line.row.depends_on]
    statuses = {line.row.name: _status(line.row.status) for line in lines}
    for _, dep in edges:
        if dep not in statuses:  # a dependency on a workstream with no log here is drawn too
            names.append(dep)
            statuses[dep] = "no log here"
    graph = charts.dependency_graph(names, edges, statuses, "Dependencies between work logs")
    return h(
        "<h1>Work logs</h1>"
        '<div class="scroll"><table class="stack"><caption>Every workstream, latest version</caption><thead><tr>'
        '<th scope="col">Work log</th><th scope="col">Version</th><th scope="col">Status</th>'
        '<th scope="col">Progress</th>'
        '<th scope="col">HIGH item to do now</th><th scope="col">Open blockers</th><th scope="col">Depends on</th>'
        "</tr></thead><tbody>{rows}</tbody></table></div>"
        '<section aria-labelledby="dep"><h2 id="dep">Dependencies</h2>{graph}</section>',
        rows=rows,
        graph=graph,
    )


def _list(title: str, lines: list[str], empty: str) -> Html:
    body = h("<ul>{i}</ul>", i=[h("<li>{t}</li>", t=t) for t in lines]) if lines else h("<p>{e}</p>", e=empty)
    return h("<section><h2>{t}</h2>{b}</section>", t=title, b=body)


def log_page(v: LogView) -> Html:
    versions = [
        h(
            '<li><strong>{ver}</strong> <time>{when}</time> {title} <span class="tag st-{st}">{label}</span>{changed}'
            '<br><meter min="0" max="100" value="{pct}" aria-label="progress of {ver}">{pct}%</meter> {ptext}</li>',
            ver=x.version,
            when=x.when,
            title=x.title,
            st=x.status,
            label=_status(x.status),
            changed=" (status changed)" if x.changed else "",
            pct=x.progress if x.progress is not None else 0,
            ptext=x.progress_text or "no progress written",
        )
        for x in v.versions
    ]
    hyps = [_list(f"Hypotheses: {status}", lines, "") for status, lines in sorted(v.insights.hypotheses.items())]
    extra = [_list(title, lines, "") for title, lines in v.extra.items()]
    return h(
        '<h1>{title}</h1><p>{name} · {path} · <span class="tag st-{st}">{label}</span></p>'
        '<section><h2>Versions</h2><ol class="timeline">{versions}</ol></section>'
        "{blockers}{hyps}{decisions}{carried}{extra}",
        title=v.title,
        name=v.name,
        path=v.path,
        st=v.status,
        label=_status(v.status),
        versions=versions or [Html("<li>No entries yet.</li>")],
        blockers=_list("Blockers and how long they lasted", v.insights.blockers, "No blockers recorded."),
        hyps=hyps or [_list("Hypotheses", [], "No hypotheses recorded.")],
        decisions=_list("Decisions", v.insights.decisions, "No decisions recorded."),
        carried=_list("Next items carried over several versions", v.insights.carried, "Nothing carried over."),
        extra=extra,
    )
