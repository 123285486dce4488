"""The work-log codec: every field of docs/FORMAT.md §6 parsed from the fixture log, lossless round trip,
and edits that touch only the latest entry."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from devlore.codec import worklog_items as items
from devlore.codec.worklogs import WorkLog
from devlore.service import worklogs
from devlore.service.brain import Brain

LOG = "memory/worklogs/Ledger-Export-WorkLog.md"
FIXTURE = Path(__file__).resolve().parents[2] / "memory_fixtures" / LOG


def parsed() -> WorkLog:
    return WorkLog.parse(FIXTURE.read_text(encoding="utf-8"))


def test_the_fixture_log_round_trips_and_keeps_its_frontmatter() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    log = WorkLog.parse(text)
    assert log.doc.render() == text
    assert (log.version, log.status, log.title) == (3, "blocked", "Ledger Export Work Log")
    assert log.meta == {"version": "v3", "status": "blocked", "owner": "dana"}
    assert [(e.version, e.when, e.title, e.tags) for e in log.entries] == [
        (1, "2026-11-02 10:15", "Scope the CSV export", ()),
        (2, "2026-11-05 16:40", "Streaming exporter", ()),
        (3, "2026-11-12 09:05", "Large months", ("[BLOCKED]",)),
    ]


def test_every_field_is_read_into_its_structure() -> None:
    log = parsed()
    v1, v2, v3 = log.entries
    assert v1.inline("now") == "Scoping which ledger columns finance needs"
    assert v1.inline("progress") == "15% | Columns agreed ✅ | Exporter ⏳"
    assert v1.lines_of(log.lines, "files") == [
        "- `ledger/export/columns.py` (column registry)",
        "  - L10-42: the twelve columns finance signed off",
    ]
    assert v1.lines_of(log.lines, "work") == [
        "+: ledger/export/columns.py:1-60 column registry        ~: ledger/models.py:88 currency field"
    ]
    assert items.parse_blockers(v1.inline("blockers"), v1.lines_of(log.lines, "blockers")) == []
    assert items.parse_items(v1.lines_of(log.lines, "next")) == [
        items.NextItem("HIGH", False, "Write the streaming exporter"),
        items.NextItem("MED", False, "Add the BOM switch"),
        items.NextItem("LOW", False, "Column descriptions in the header row"),
    ]
    assert items.parse_hypotheses(v2.lines_of(log.lines, "hypotheses")) == [
        items.Hypothesis(
            1, "Excel needs a UTF-8 BOM to detect the encoding", "Confirmed", "BOM fixes it in Excel 365 (v2)"
        ),
        items.Hypothesis(2, "Timeouts on large months come from the ORM", "Open", "2 GB month dies at 30 s"),
    ]
    assert items.parse_dependencies(v2.lines_of(log.lines, "dependencies")) == [
        items.Dependency("Job-Queue", "v4", "signed download links", "in review")
    ]
    assert {k for k in v2.fields} >= {"tried", "dead_ends", "solution", "completed", "deferred", "reviewer_notes"}
    assert items.parse_blockers(v3.inline("blockers"), v3.lines_of(log.lines, "blockers")) == [
        items.Blocker(
            "Signed download links not released yet",
            owner="@platform-team",
            requested="2026-11-12 09:00",
            eta="end of next week",
            workaround="export large months by hand from a replica",
        )
    ]
    assert items.parse_items(v3.lines_of(log.lines, "next"))[0] == items.NextItem(
        "HIGH", True, "Move large exports to the job queue"
    )
    assert v3.lines_of(log.lines, "review_checklist") == [
        "- [x] Streaming exporter reviewed",
        "- [ ] Job hand-off reviewed",
    ]
    assert v3.inline("open") == "Should small months stay synchronous?"


def test_filling_every_field_touches_only_the_latest_entry(root: Path) -> None:
    brain = Brain(root, now=lambda: datetime(2026, 11, 21, 8, 0))
    before = (root / LOG).read_text(encoding="utf-8")
    v3_start = before.index("## v3 |")
    worklogs.update_worklog(
        brain,
        "Ledger Export",
        scalars={
            "now": "Hand-off design",
            "progress": "75% | Exporter ✅ | Hand-off 🔄",
            "works": "Replica export",
            "fails": "Gateway streaming",
            "tried": "Gzip",
            "dead_ends": "Bigger timeouts",
            "solution": "Queue plus signed link",
            "open": "Link lifetime?",
        },
        lists={
            "files": ["`ledger/export/jobs.py` (queue hand-off)"],
            "work": ["+: ledger/export/jobs.py:1-40 job"],
            "decisions": ["Links live 24 h: finance downloads the same day"],
            "dependencies": ["Needs Mailer (v2): link email; Status: ready"],
        },
        next=["[LOW] Document the export limits"],
        done=["Email template"],
        hypotheses=["Queue latency is under a minute | Open | p95 40 s in staging"],
    )
    after = (root / LOG).read_text(encoding="utf-8")
    assert after[:v3_start] == before[:v3_start]
    assert after[v3_start:] == (
        "## v3 | 2026-11-12 09:05 | Large months [BLOCKED]\n"
        "**Prev:** v2: Streaming exporter with a BOM switch (in_progress)\n"
        "**Now:** Hand-off design\n"
        "**Progress:** 75% | Exporter ✅ | Hand-off 🔄\n"
        "**Files:**\n- `ledger/export/jobs.py` (queue hand-off)\n"
        "**Work:**\n+: ledger/export/jobs.py:1-40 job\n"
        "**Decisions:**\n- Links live 24 h: finance downloads the same day\n"
        "**Works:** Replica export\n"
        "**Fails:** Gateway streaming\n"
        "**Blockers:** Signed download links not released yet\n"
        "- Owner: @platform-team\n- Requested: 2026-11-12 09:00\n- ETA: end of next week\n"
        "- Workaround: export large months by hand from a replica\n"
        "**Blocker Resolution:** (none yet)\n"
        "**Hypotheses:**\n"
        "H2: Timeouts on large months come from the ORM | Refuted | raw SQL is as slow; it is the gateway (v3)\n"
        "H3: Queue latency is under a minute | Open | p95 40 s in staging\n"
        "**Tried:** Gzip\n"
        "**Dead ends:** Bigger timeouts\n"
        "**Solution:** Queue plus signed link\n"
        "**Dependencies:**\n- Needs Job-Queue (v4): signed download links; Status: in review\n"
        "- Needs Mailer (v2): link email; Status: ready\n"
        "**Review Checklist:**\n- [x] Streaming exporter reviewed\n- [ ] Job hand-off reviewed\n"
        "**Next:**\n- [HIGH] [BLOCKED] Move large exports to the job queue\n- [LOW] Document the export limits\n"
        "**Completed:**\n- ✅ Email template for the link\n"
        "**Open:** Link lifetime?\n"
    )


_line = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=30)


@settings(max_examples=60, deadline=None)
@given(
    bodies=st.lists(st.lists(_line, max_size=6), min_size=1, max_size=5),
    newline=st.sampled_from(["\n", "\r\n"]),
    meta=st.booleans(),
)
def test_any_log_round_trips_and_a_new_version_keeps_the_old_bytes(
    bodies: list[list[str]], newline: str, meta: bool
) -> None:
    lines = ["---", "version: v1", "status: in_progress", "---", ""] if meta else []
    lines += ["# Generated Work Log", ""]
    for n, body in enumerate(bodies, 1):
        lines += [f"## v{n} | 2026-01-0{min(n, 9)} 10:00 | Session {n}", *("x" + b for b in body), ""]
    text = newline.join(lines)
    log = WorkLog.parse(text)
    assert log.doc.render() == text
    assert [e.version for e in log.entries] == list(range(1, len(bodies) + 1))
    last = log.entries[-1]
    edit = log.doc.splice([worklogs.set_field(last, "now", ["**Now:** edited"])]).render()
    assert edit[: len(newline.join(lines[: last.start]))] == newline.join(lines[: last.start])
    assert WorkLog.parse(edit).entries[-1].inline("now") == "edited"
