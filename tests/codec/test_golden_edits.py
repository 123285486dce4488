"""Golden-file tests: each write goes through the service layer and the whole file is compared.

Expected files live in ``tests/golden/<case>/<file>.golden`` and are compared as full text
(never by substring). The ``.golden`` suffix keeps ``ruff format`` away from them: ruff formats
the Python blocks inside ``*.md`` files, which would rewrite the expected bytes. To regenerate
them after a deliberate format change::

    .venv/bin/pytest tests/codec/test_golden_edits.py --update-golden
    git diff tests/golden        # read every hunk against docs/FORMAT.md §3 before keeping it

``add_example_crlf/content-patterns.md.golden`` is corrected by hand to what docs/FORMAT.md §3
("The footer") says (the footer's ``**Last Updated:**`` is rewritten on every write);
regenerating it before the footer-after-the-last-entry bug is fixed would record the bug, so
check that hunk in the diff.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from devlore.codec.patterns import PatternFile
from devlore.errors import InvalidTransition
from devlore.layout import HEALTH_CONFIDENCE, HEALTH_GROWTH
from devlore.model import ConfidenceChange, NewPatternResult
from devlore.service import patterns
from devlore.service.brain import Brain
from tests.codec.conftest import Golden
from tests.conftest import CONTENT, DEV, PM, TODAY, snapshot

CLIENT = "memory/semantic/patterns/client-patterns.md"


def read(root: Path, rel: str) -> str:
    return (root / rel).read_bytes().decode("utf-8")


def changes(before: str, after: str) -> list[tuple[list[str], list[str]]]:
    """Each changed run of lines as (old lines, new lines), in file order."""
    old, new = before.splitlines(), after.splitlines()
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    return [(old[i1:i2], new[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def entry_names(text: str) -> list[str]:
    return [e.name for e in PatternFile.parse(text).entries]


# -- a. format A: MEDIUM -> HIGH ----------------------------------------------------------------


def test_a_fifth_example_moves_a_medium_pattern_to_high(brain: Brain) -> None:
    change = patterns.add_example(
        brain,
        "Batch Loading Related Rows",
        "Ledgerline - ledger export with entries (2026-11-20) - 300 queries → 2",
        source_experience="memory/episodic/code/2026-11-20-ledger-export.md",
    )

    assert change == ConfidenceChange(
        name="Batch Loading Related Rows",
        path=DEV,
        examples=5,
        confidence_before="MEDIUM",
        confidence_after="HIGH",
    )


def test_adding_an_example_changes_only_the_header_the_example_the_source_and_the_footer(
    brain: Brain, root: Path, golden: Golden
) -> None:
    before = read(root, DEV)

    patterns.add_example(
        brain,
        "Batch Loading Related Rows",
        "Ledgerline - ledger export with entries (2026-11-20) - 300 queries → 2",
        source_experience="memory/episodic/code/2026-11-20-ledger-export.md",
    )

    after = read(root, DEV)
    assert changes(before, after) == [
        (
            ["**Confidence:** MEDIUM", "**Based on:** 4 examples", "**Last reinforced:** 2026-09-30"],
            ["**Confidence:** HIGH", "**Based on:** 5 examples", "**Last reinforced:** 2026-11-20"],
        ),
        ([], ["5. Ledgerline - ledger export with entries (2026-11-20) - 300 queries → 2"]),
        ([], ["- memory/episodic/code/2026-11-20-ledger-export.md"]),
        (
            ["**Last Updated:** 2025-10-02", "**Total Patterns:** 6"],
            ["**Last Updated:** 2026-11-21", "**Total Patterns:** 10"],
        ),
        (
            ["- HIGH: 2 patterns (33%)", "- MEDIUM: 3 patterns (50%)", "- LOW: 1 pattern (17%)"],
            ["- HIGH: 4 patterns (40%)", "- MEDIUM: 4 patterns (40%)", "- LOW: 2 patterns (20%)"],
        ),
        # the footer's Next steps: devlore's own line after the person's three (docs/FORMAT.md, 3.4)
        ([], ['- Consider a workflow for "Batch Loading Related Rows" (HIGH, 5 examples)']),
    ]
    golden("add_example_format_a/dev-patterns.md.golden", (root / DEV).read_bytes())


# -- b. format B grows in its own format ------------------------------------------------------


def test_a_format_b_entry_grows_a_dashed_example_and_keeps_its_own_field_style(
    brain: Brain, root: Path, golden: Golden
) -> None:
    before = read(root, DEV)

    change = patterns.add_example(
        brain,
        "Smoke Test Each Deploy Stage",
        "Tidepool Analytics - canary smoke caught a broken migration (2026-11-18) - rollout paused in time",
    )

    assert change == ConfidenceChange(
        name="Smoke Test Each Deploy Stage",
        path=DEV,
        examples=3,
        confidence_before="MEDIUM",
        confidence_after="MEDIUM",
    )
    assert changes(before, read(root, DEV)) == [
        (
            [],
            [
                "- Example 3 (2026-11-18): Tidepool Analytics - canary smoke caught a broken migration"
                " - rollout paused in time"
            ],
        ),
        (
            ["- **Based on:** 2 examples", "- **Last reinforced:** 2026-09-15"],
            ["- **Based on:** 3 examples", "- **Last reinforced:** 2026-11-18"],
        ),
        (
            ["**Last Updated:** 2025-10-02", "**Total Patterns:** 6"],
            ["**Last Updated:** 2026-11-21", "**Total Patterns:** 10"],
        ),
        (
            ["- HIGH: 2 patterns (33%)", "- MEDIUM: 3 patterns (50%)", "- LOW: 1 pattern (17%)"],
            ["- HIGH: 3 patterns (30%)", "- MEDIUM: 5 patterns (50%)", "- LOW: 2 patterns (20%)"],
        ),
        ([], ['- Review "Smoke Test Each Deploy Stage" after 2 more uses (then HIGH)']),
    ]
    golden("add_example_format_b/dev-patterns.md.golden", (root / DEV).read_bytes())


# -- c. CRLF ----------------------------------------------------------------------------------


def test_adding_an_example_to_a_crlf_file_writes_every_line_with_crlf(brain: Brain, root: Path) -> None:
    lines_before = (root / CONTENT).read_bytes().count(b"\r\n")

    patterns.add_example(brain, "One Diagram per Thread", "Blog - replica lag explained (2026-11-20) - 2x reposts")

    raw = (root / CONTENT).read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n") == lines_before + 1
    assert raw.endswith(b"\r\n")


def test_adding_an_example_to_a_crlf_file_matches_its_golden(brain: Brain, root: Path, golden: Golden) -> None:
    change = patterns.add_example(
        brain, "One Diagram per Thread", "Blog - replica lag explained (2026-11-20) - 2x reposts"
    )

    assert (change.examples, change.confidence_before, change.confidence_after) == (3, "MEDIUM", "MEDIUM")
    golden("add_example_crlf/content-patterns.md.golden", (root / CONTENT).read_bytes())


# -- d. add_pattern ---------------------------------------------------------------------------


def test_a_new_dev_pattern_goes_after_the_last_entry_and_before_growth_tracking(
    brain: Brain, root: Path, golden: Golden
) -> None:
    names = entry_names(read(root, DEV))

    result = patterns.add_pattern(
        brain,
        name="Pin Query Counts in Tests",
        pattern="Wrap the endpoint call in a query counter and assert the count.",
        context="An endpoint whose number of SQL queries can silently grow with the page size.",
        example="Billing Portal - invoice list (2026-11-20) - regression caught in CI",
        why="A slow endpoint becomes a failing test instead of a support ticket.",
        time_saved="~15 minutes (profiling a slow page)",
        source_experience="memory/episodic/code/2026-11-20-query-count-test.md",
    )

    assert result == NewPatternResult(
        name="Pin Query Counts in Tests", slug="pin-query-counts-in-tests", path=DEV, confidence="LOW"
    )
    after = read(root, DEV)
    assert entry_names(after) == [*names, "Pin Query Counts in Tests"]
    golden("add_pattern_dev/dev-patterns.md.golden", (root / DEV).read_bytes())


def test_a_new_pm_pattern_goes_after_the_last_entry_and_before_open_questions(
    brain: Brain, root: Path, golden: Golden
) -> None:
    names = entry_names(read(root, PM))

    patterns.add_pattern(
        brain,
        name="Decide the Metric First",
        pattern="Name one metric and its threshold before the experiment starts.",
        context="Writing an experiment brief.",
        example="Ledgerline - import beta (2026-11-20) - decision took one meeting",
        domain="pm",
        time_saved="~60 minutes (arguing about which chart matters)",
    )

    assert entry_names(read(root, PM)) == [*names, "Decide the Metric First"]
    golden("add_pattern_pm/pm-patterns.md.golden", (root / PM).read_bytes())


def test_a_pattern_in_a_missing_domain_creates_the_file_with_title_purpose_and_legend(
    brain: Brain, root: Path, golden: Golden
) -> None:
    assert not (root / CLIENT).exists()

    patterns.add_pattern(
        brain,
        name="Name the Client's Risk",
        pattern="State the risk in the client's own words in the first paragraph.",
        context="Writing a proposal for a client.",
        example="Harbor Portal - carrier migration proposal (2026-11-20) - signed the same week",
        domain="client",
    )

    assert entry_names(read(root, CLIENT)) == ["Name the Client's Risk"]
    golden("add_pattern_new_domain/client-patterns.md.golden", (root / CLIENT).read_bytes())


def test_a_new_content_pattern_goes_between_the_last_entry_and_the_footer(brain: Brain, root: Path) -> None:
    patterns.add_pattern(
        brain,
        name="Answer Replies Within a Day",
        pattern="Reply to every comment on the day the post goes out.",
        context="Publishing a thread or a newsletter issue.",
        example="Thread - cache keys (2026-11-20) - twice the usual follows",
        domain="content",
    )

    lines = read(root, CONTENT).split("\r\n")
    start = lines.index("## Answer Replies Within a Day")
    assert lines[start - 3 :] == [
        "",
        "---",
        "",
        "## Answer Replies Within a Day",
        "",
        "**Confidence:** LOW",
        "**Based on:** 1 example",
        "**Last reinforced:** 2026-11-20",
        "",
        "**Context:**",
        "Publishing a thread or a newsletter issue.",
        "",
        "**Pattern:**",
        "Reply to every comment on the day the post goes out.",
        "",
        "**Examples:**",
        "1. Thread - cache keys (2026-11-20) - twice the usual follows",
        "",
        "---",
        "",
        "**Last Updated:** 2026-11-21",
        "**Total Patterns:** 4",
        "**Confidence Breakdown:**",
        "- HIGH: 1 pattern (25%)",
        "- MEDIUM: 1 pattern (25%)",
        "- LOW: 2 patterns (50%)",
        "",
    ]


# -- e. upgrade_confidence ----------------------------------------------------------------------


def test_re_rating_a_drifted_pattern_rewrites_its_level_and_count_from_the_examples(
    brain: Brain, root: Path, golden: Golden
) -> None:
    change = patterns.upgrade_confidence(brain, "Retry with Jittered Exponential Backoff")

    assert change == ConfidenceChange(
        name="Retry with Jittered Exponential Backoff",
        path=DEV,
        examples=3,
        confidence_before="HIGH",
        confidence_after="MEDIUM",
    )
    golden("rerate_drifted/dev-patterns.md.golden", (root / DEV).read_bytes())


def test_upgrading_a_low_pattern_to_high_is_refused_naming_the_missing_examples(brain: Brain, root: Path) -> None:
    before = snapshot(root)

    with pytest.raises(InvalidTransition) as raised:
        patterns.upgrade_confidence(brain, "Feature Flags Default Off in Code", level="HIGH")

    assert str(raised.value) == (
        "'Feature Flags Default Off in Code' has 1 example; HIGH needs 5, so 4 more are missing. "
        "Nothing was changed: add examples with add_example as the pattern proves itself again."
    )
    assert snapshot(root) == before


def test_re_rating_repairs_a_drifted_count_even_when_the_level_still_matches(tmp_path: Path) -> None:
    rel = "memory/semantic/patterns/dev-patterns.md"
    (tmp_path / rel).parent.mkdir(parents=True)
    (tmp_path / rel).write_bytes(
        b"# Dev\n\n## Alpha\n\n**Confidence:** MEDIUM\n**Based on:** 4 examples\n**Last reinforced:** 2026-01-03\n\n"
        b"**Examples:**\n1. A - one (2026-01-01) - ok\n2. A - two (2026-01-02) - ok\n3. A - three (2026-01-03) - ok\n"
    )
    brain = Brain(tmp_path, today=lambda: TODAY)

    patterns.upgrade_confidence(brain, "Alpha")

    assert (tmp_path / rel).read_bytes() == (
        b"# Dev\n\n## Alpha\n\n**Confidence:** MEDIUM\n**Based on:** 3 examples\n**Last reinforced:** 2026-01-03\n\n"
        b"**Examples:**\n1. A - one (2026-01-01) - ok\n2. A - two (2026-01-02) - ok\n3. A - three (2026-01-03) - ok\n"
    )


# -- f. BOM, missing final newline, trailing spaces ---------------------------------------------


def write_domain(root: Path, domain: str, data: bytes) -> Path:
    path = root / f"memory/semantic/patterns/{domain}-patterns.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_a_bom_and_trailing_spaces_survive_adding_an_example(tmp_path: Path) -> None:
    path = write_domain(
        tmp_path,
        "dev",
        "\ufeff# Dev Patterns  \n\n## Alpha \n\n**Confidence:** LOW\n**Based on:** 1 example\n"
        "**Last reinforced:** 2026-01-01\n\n**Examples:**\n1. A - first (2026-01-01) - ok  \n\n---\n\n"
        "## Notes\n\nKeep this.   \n".encode(),
    )
    brain = Brain(tmp_path, today=lambda: TODAY)

    patterns.add_example(brain, "Alpha", "B - second (2026-11-20) - ok")

    assert path.read_bytes() == (
        "\ufeff# Dev Patterns  \n\n## Alpha \n\n**Confidence:** MEDIUM\n**Based on:** 2 examples\n"
        "**Last reinforced:** 2026-11-20\n\n**Examples:**\n1. A - first (2026-01-01) - ok  \n"
        "2. B - second (2026-11-20) - ok\n\n---\n\n## Notes\n\nKeep this.   \n".encode()
    )


def test_a_file_without_a_final_newline_keeps_its_unterminated_last_line(tmp_path: Path) -> None:
    path = write_domain(
        tmp_path,
        "ops",
        b"# Ops Patterns\n\n## Beta\n\n**Confidence:** LOW\n**Based on:** 1 example\n"
        b"**Last reinforced:** 2026-01-01\n\n**Examples:**\n1. A - first (2026-01-01) - ok\n\n---\n\n"
        b"## Notes\n\nNo newline after this line.  ",
    )
    brain = Brain(tmp_path, today=lambda: TODAY)

    patterns.add_example(brain, "Beta", "B - second (2026-11-20) - ok")

    assert path.read_bytes() == (
        b"# Ops Patterns\n\n## Beta\n\n**Confidence:** MEDIUM\n**Based on:** 2 examples\n"
        b"**Last reinforced:** 2026-11-20\n\n**Examples:**\n1. A - first (2026-01-01) - ok\n"
        b"2. B - second (2026-11-20) - ok\n\n---\n\n## Notes\n\nNo newline after this line.  "
    )


def test_an_example_appended_at_the_very_end_of_an_unterminated_file_leaves_it_unterminated(
    tmp_path: Path,
) -> None:
    path = write_domain(
        tmp_path,
        "ops",
        b"# Ops Patterns\n\n## Beta\n\n**Confidence:** LOW\n**Based on:** 1 example\n"
        b"**Last reinforced:** 2026-01-01\n\n**Examples:**\n1. A - first (2026-01-01) - ok  ",
    )
    brain = Brain(tmp_path, today=lambda: TODAY)

    patterns.add_example(brain, "Beta", "B - second (2026-11-20) - ok")

    assert path.read_bytes() == (
        b"# Ops Patterns\n\n## Beta\n\n**Confidence:** MEDIUM\n**Based on:** 2 examples\n"
        b"**Last reinforced:** 2026-11-20\n\n**Examples:**\n1. A - first (2026-01-01) - ok  \n"
        b"2. B - second (2026-11-20) - ok"
    )


# -- g. brain-health --------------------------------------------------------------------------


def test_brain_health_files_follow_a_write(brain: Brain, root: Path, golden: Golden) -> None:
    patterns.add_example(
        brain,
        "Batch Loading Related Rows",
        "Ledgerline - ledger export with entries (2026-11-20) - 300 queries → 2",
        time_saved_minutes=35,
    )

    golden("health_after_add_example/pattern-confidence.md.golden", (root / HEALTH_CONFIDENCE).read_bytes())
    golden("health_after_add_example/growth-log.md.golden", (root / HEALTH_GROWTH).read_bytes())
