"""The long-running parts of a work log, read from a hand-written 22-version log: it round-trips
byte for byte, and its summary sections, features, metrics and decisions parse into their
structures (docs/FORMAT.md, '6.1 Long-running work logs')."""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from devlore.codec.merge_worklogs import merge_worklog
from devlore.codec.text import Doc
from devlore.codec.worklog_decisions import Decision, parse_decision
from devlore.codec.worklog_features import Active, Feature, apply, parse_features, render_feature
from devlore.codec.worklog_metrics import Value, parse_metrics, parse_value
from devlore.codec.worklog_summary import parse_summary
from devlore.codec.worklogs import WorkLog
from devlore.service import worklog_longrun, worklogs
from devlore.service.brain import Brain

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "worklogs" / "Carrier-Sync-WorkLog.md"
LOG = "memory/worklogs/Carrier-Sync-WorkLog.md"


def parsed() -> WorkLog:
    return WorkLog.parse(FIXTURE.read_text(encoding="utf-8"))


def test_the_long_running_fixture_round_trips_byte_for_byte() -> None:
    raw = FIXTURE.read_bytes()
    log = WorkLog.parse(raw.decode("utf-8"))
    assert log.doc.render().encode("utf-8") == raw
    assert [e.version for e in log.entries] == list(range(1, 23))
    crlf = raw.decode("utf-8").replace("\n", "\r\n")
    assert Doc.parse(crlf).render() == crlf and len(WorkLog.parse(crlf).entries) == 22


def test_the_log_is_already_true_so_keeping_it_true_changes_nothing() -> None:
    assert worklog_longrun.sync(parsed()) == []
    assert worklog_longrun.create(parsed()) == []


def test_the_summary_part_is_read_section_by_section() -> None:
    log = parsed()
    summary = parse_summary(log)
    assert summary.long_running
    assert list(summary.sections) == [
        "components status",
        "features",
        "performance targets",
        "key decisions log",
        "current blockers",
        "lessons learned",
    ]
    overview = summary.overview
    assert (overview.status, overview.phase, overview.percent, overview.started, overview.target) == (
        "in_progress",
        "3/3",
        80,
        "2026-09-07",
        "2026-12-11",
    )
    assert overview.pattern == "incremental"
    assert summary.body(log.lines, "Current Blockers") == ["- None"]
    assert summary.body(log.lines, "key decisions log")[0] == (
        "- v1: Webhooks over polling where a carrier offers them (latency)"
    )


def test_feature_blocks_parse_and_render_in_their_own_shape() -> None:
    log = parsed()
    features = parse_features(log.lines)
    assert [f.name for f in features] == ["Tracking Webhooks", "Rate Quotes", "Label Printing"]
    quotes = features[1]
    assert quotes == Feature(
        name="Rate Quotes",
        progress=85,
        started="2026-09-18",
        target="2026-11-20",
        done=("Quote model", "UPS adapter", "FedEx adapter", "Quote cache"),
        active=(Active("DHL adapter", 60, "DHL returns zones in a legacy format"),),
        backlog=("Currency rounding rules",),
    )
    start, end = quotes.span
    assert render_feature(quotes) == log.lines[start:end]


def test_feature_operations_move_items_between_the_three_lists() -> None:
    f = Feature(name="Auth", progress=10, backlog=("Login", "2FA"))
    f = apply(apply(apply(f, "active Login (50%) - Blocker: email provider"), "done 2FA"), "70%")
    assert (f.progress, f.done, f.active, f.backlog) == (70, ("2FA",), (Active("Login", 50, "email provider"),), ())
    assert apply(f, "done Login").active == ()
    assert apply(f, "target 2026-12-01").target == "2026-12-01"


def test_units_are_read_and_unparsable_values_stay_as_text() -> None:
    assert parse_value("180ms") == Value("180ms", 180.0, "ms")
    assert parse_value("1.8s") == Value("1.8s", 1800.0, "ms")
    assert parse_value("85%") == Value("85%", 85.0, "%")
    assert parse_value("2GB") == Value("2GB", 2048.0, "MB")
    assert parse_value("12") == Value("12", 12.0, "count")
    assert parse_value("3 per day") == Value("3 per day", 3.0, "count")
    assert parse_value("not measured (printer offline)") == Value("not measured (printer offline)")
    assert parse_value("2 days") == Value("2 days")


def test_metric_lines_keep_their_target() -> None:
    (m,) = parse_metrics(["- Quote latency: 420ms (target <300ms)"])
    assert (m.name, m.value.text, m.target_text) == ("Quote latency", "420ms", "<300ms")
    assert m.target is not None and m.target.lower_is_better and m.target.met(m.value) is False


def test_decisions_carry_topic_and_supersession() -> None:
    line = "- [Caching] Redis with a 2h TTL for every quote: shared across workers (vs memcached) (supersedes v3)"
    assert parse_decision(9, line) == Decision(
        9, "Redis with a 2h TTL for every quote", "shared across workers", "Caching", 3
    )


_ITEM = st.text(
    alphabet=st.characters(blacklist_characters=",;\r\n|#*()", blacklist_categories=("Cs", "Cc")), min_size=1
)


@given(
    name=_ITEM.filter(lambda s: s.strip() == s and ":" not in s),
    done=st.lists(_ITEM.map(str.strip).filter(bool), max_size=3),
    backlog=st.lists(_ITEM.map(str.strip).filter(bool), max_size=3),
    progress=st.integers(0, 100),
)
@settings(max_examples=60, deadline=None)
def test_a_rendered_feature_reads_back_as_itself(name: str, done: list[str], backlog: list[str], progress: int) -> None:
    f = Feature(name=name, progress=progress, started="2026-11-02", done=tuple(done), backlog=tuple(backlog))
    lines = render_feature(f)
    (back,) = parse_features(lines)
    assert back == f


@given(st.text(alphabet=st.characters(blacklist_characters="\r\n", blacklist_categories=("Cs",))))
@settings(max_examples=100, deadline=None)
def test_any_value_is_kept_as_written(text: str) -> None:
    assert parse_value(text).text == text.strip()


def test_a_feature_block_under_features_wins_over_an_older_one_in_an_entry() -> None:
    lines = [
        "# Log",
        "",
        "## Features",
        "",
        *render_feature(Feature(name="Auth", progress=80, done=("Login",))),
        "",
        "## v1 | 2026-11-02 10:00 | Start",
        "**Now:** Start",
        "",
        *render_feature(Feature(name="Auth", progress=10, backlog=("Login",))),
    ]
    (auth,) = parse_features(lines)
    assert (auth.progress, auth.done, auth.backlog) == (80, ("Login",), ())


def _brain_with_fixture(root: Path) -> Brain:
    shutil.copytree(REPO / "memory_fixtures", root)
    shutil.copyfile(FIXTURE, root / LOG)
    return Brain(root, today=lambda: date(2026, 12, 2), now=lambda: datetime(2026, 12, 2, 9, 0))


def test_two_sessions_writing_different_summary_sections_merge_cleanly(tmp_path: Path) -> None:
    ours, theirs = _brain_with_fixture(tmp_path / "ours"), _brain_with_fixture(tmp_path / "theirs")
    worklogs.open_worklog(ours, "Carrier Sync", "Reprints")
    base = (tmp_path / "ours" / LOG).read_text(encoding="utf-8")
    (tmp_path / "theirs" / LOG).write_text(base, encoding="utf-8")
    worklogs.update_worklog(ours, "Carrier Sync", lists={"decisions": ["Reprints from the event store: one copy"]})
    worklogs.record_blocker(theirs, "Carrier Sync", "Printer firmware", owner="@ops")
    merged = merge_worklog(
        base, (tmp_path / "ours" / LOG).read_text(encoding="utf-8"), (tmp_path / "theirs" / LOG).read_text("utf-8")
    )
    assert merged.conflicts == ()
    log = WorkLog.parse(merged.text)
    summary = parse_summary(log)
    assert summary.body(log.lines, "Key Decisions Log")[-1] == "- v23: Reprints from the event store (one copy)"
    assert summary.body(log.lines, "Current Blockers") == ["- v23: Printer firmware (@ops)"]
    assert worklog_longrun.sync(log) == []
