"""The semantic three-way merge (``devlore.codec.merge``) that the git merge driver runs: two
clones that edited the same brain file merge by meaning, not by lines.

Sides are derived from the fixture brain with devlore's own edit functions, so each side
looks exactly like a real write, and most expectations are whole texts built the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devlore.codec.health import confidence_text, growth_text
from devlore.codec.merge import (
    MergeConflict,
    Merged,
    MergeError,
    conflict_regions,
    merge_confidence,
    merge_growth,
    merge_patterns,
    merge_worklog,
)
from devlore.codec.pattern_edits import NewPattern, footer, insert_entry, levels, new_file
from devlore.codec.pattern_entry import Entry
from devlore.codec.patterns import PatternFile
from devlore.codec.text import Splice
from devlore.codec.worklogs import WorkLog, entry_header, frontmatter_edits
from devlore.model import evidence_level
from devlore.service.patterns import reinforce_text

FIXTURES = Path(__file__).resolve().parents[2] / "memory_fixtures"
DEV_REL = "memory/semantic/patterns/dev-patterns.md"
DEV = (FIXTURES / DEV_REL).read_text(encoding="utf-8")
WORKLOG = (FIXTURES / "memory/worklogs/Ledger-Export-WorkLog.md").read_text(encoding="utf-8")
GROWTH = (FIXTURES / "brain-health/growth-log.md").read_text(encoding="utf-8")
CONFIDENCE = (FIXTURES / "brain-health/pattern-confidence.md").read_text(encoding="utf-8")

BATCH = "Batch Loading Related Rows"  # format A, MEDIUM, 4 examples
SMOKE = "Smoke Test Each Deploy Stage"  # format B, MEDIUM, 2 examples, Total saved 40 min
REPLICA = "Read-Your-Writes After Replica Lag"  # format B, LOW, 1 example, Created only
WEBHOOK = "Idempotency Keys on Webhook Handlers"
WEBHOOK_CONTEXT = next(line for line in DEV.splitlines() if line.startswith("Receiving webhooks from a provider"))


# -- helpers: each side is a real devlore write -------------------------------------------------


def reinforce(text: str, name: str, example: str, day: str, minutes: int | None = None) -> str:
    return reinforce_text(DEV_REL, text, name, example, day, day, minutes_saved=minutes)[0]


def add_pattern(text: str, name: str, example: str, day: str, context: str | None = None) -> str:
    pf = PatternFile.parse(text)
    new = NewPattern(
        name=name, context=context or f"When {name.lower()} matters.", pattern="Do it.", example=example, day=day
    )
    return pf.doc.splice([*insert_entry(pf, new), *footer(pf, day, [*levels(pf), "LOW"])]).render()


def refooted(text: str, day: str) -> str:
    pf = PatternFile.parse(text)
    return pf.doc.splice(footer(pf, day)).render()


def entry(text: str, name: str) -> Entry:
    return next(e for e in PatternFile.parse(text).entries if e.name == name)


def examples(text: str, name: str) -> list[str]:
    return [x.text for x in entry(text, name).examples]


def numbers(text: str, name: str) -> list[int | None]:
    return [x.number for x in entry(text, name).examples]


def lines_between(text: str, conflict: MergeConflict) -> list[str]:
    lines = text.splitlines()
    start, end = next((s, e) for s, e in conflict_regions(text) if s == conflict.line)
    return lines[start - 1 : end]


# -- identities ----------------------------------------------------------------------------------

Merge = Callable[[str, str, str], Merged]
MERGES: list[Merge] = [merge_patterns, merge_worklog, merge_growth, merge_confidence]
CHANGED = {
    merge_patterns: reinforce(DEV, BATCH, "Ledgerline - export (2026-11-20) - fast", "2026-11-20"),
    merge_worklog: WORKLOG.replace("**Open:** Should small months stay synchronous?", "**Open:** Yes"),
    merge_growth: GROWTH.replace("~30 min this week", "~45 min this week"),
    merge_confidence: CONFIDENCE.replace("(4 examples, ~160 min", "(5 examples, ~200 min"),
}
BASES = {merge_patterns: DEV, merge_worklog: WORKLOG, merge_growth: GROWTH, merge_confidence: CONFIDENCE}


@pytest.mark.parametrize("merge", MERGES, ids=lambda f: f.__name__)
def test_a_change_on_one_side_or_the_same_change_on_both_comes_through_byte_for_byte(merge: Merge) -> None:
    base, x = BASES[merge], CHANGED[merge]
    assert merge(base, x, x) == Merged(x)
    assert merge(base, base, x) == Merged(x)
    assert merge(base, x, base) == Merged(x)
    assert merge("", x, x) == Merged(x)


# -- pattern files ----------------------------------------------------------------------------------


def test_examples_added_on_both_sides_are_unioned_renumbered_and_rerated() -> None:
    ours = reinforce(DEV, BATCH, "Ledgerline - export (2026-11-20) - fast", "2026-11-20")
    theirs = reinforce(DEV, BATCH, "Harbor Portal - import (2026-11-21) - faster", "2026-11-21")

    merged = merge_patterns(DEV, ours, theirs)

    # Exactly what one clone writing both examples in turn would have written.
    assert merged == Merged(reinforce(ours, BATCH, "Harbor Portal - import (2026-11-21) - faster", "2026-11-21"))
    e = entry(merged.text, BATCH)
    assert numbers(merged.text, BATCH) == [1, 2, 3, 4, 5, 6]
    assert (e.stated, e.field_value("based on"), e.last_reinforced) == ("HIGH", "6 examples", "2026-11-21")
    assert "- HIGH: 4 patterns (40%)\n- MEDIUM: 4 patterns (40%)" in merged.text  # was 3 HIGH, 5 MEDIUM


def test_the_same_example_added_on_both_sides_appears_once() -> None:
    shared = "Tidepool Analytics - events page (2026-11-18) - 90 queries to 2"
    ours = reinforce(
        reinforce(DEV, BATCH, shared, "2026-11-18"), BATCH, "Ledgerline - ours (2026-11-19) - ok", "2026-11-19"
    )
    theirs = reinforce(
        reinforce(DEV, BATCH, shared, "2026-11-18"), BATCH, "Harbor - theirs (2026-11-20) - ok", "2026-11-20"
    )

    merged = merge_patterns(DEV, ours, theirs)

    assert examples(merged.text, BATCH) == [
        *examples(DEV, BATCH),
        shared,
        "Ledgerline - ours (2026-11-19) - ok",
        "Harbor - theirs (2026-11-20) - ok",
    ]
    assert numbers(merged.text, BATCH) == [1, 2, 3, 4, 5, 6, 7]
    assert entry(merged.text, BATCH).field_value("based on") == "7 examples"
    assert merged.conflicts == ()


def test_an_example_removed_on_one_side_stays_removed_when_the_other_side_adds_one() -> None:
    first = "1. Billing Portal - invoice list with line items (2025-12) - 1.8 s → 140 ms\n"
    ours = reinforce(DEV, BATCH, "Ledgerline - export (2026-11-20) - fast", "2026-11-20")
    theirs = reinforce(DEV.replace(first, ""), BATCH, "Harbor - import (2026-11-21) - ok", "2026-11-21")

    merged = merge_patterns(DEV, ours, theirs)

    assert examples(merged.text, BATCH) == [
        *examples(DEV, BATCH)[1:],
        "Ledgerline - export (2026-11-20) - fast",
        "Harbor - import (2026-11-21) - ok",
    ]
    assert numbers(merged.text, BATCH) == [1, 2, 3, 4, 5]
    assert entry(merged.text, BATCH).stated == "HIGH"


def test_each_side_adds_a_different_pattern_and_both_end_up_at_the_end_ours_first() -> None:
    ours = add_pattern(DEV, "Ours Pattern", "Ledgerline - a (2026-11-20) - ok", "2026-11-20")
    theirs = add_pattern(DEV, "Theirs Pattern", "Harbor - b (2026-11-21) - ok", "2026-11-21")

    merged = merge_patterns(DEV, ours, theirs)

    assert merged == Merged(add_pattern(ours, "Theirs Pattern", "Harbor - b (2026-11-21) - ok", "2026-11-21"))
    names = [e.name for e in PatternFile.parse(merged.text).entries]
    assert names[-2:] == ["Ours Pattern", "Theirs Pattern"]
    assert "**Total Patterns:** 12" in merged.text


def test_a_pattern_theirs_added_in_the_middle_lands_after_the_same_neighbour() -> None:
    block = "## Inject the Clock Instead of Patching Time"
    new = "\n".join(
        [
            "## Pin Tool Versions in CI",
            "",
            "**Confidence:** LOW",
            "**Based on:** 1 example",
            "**Last reinforced:** 2026-11-19",
            "",
            "**Context:**",
            "CI images drift.",
            "",
            "**Examples:**",
            "1. Ledgerline - ruff upgrade broke main (2026-11-19) - pinned it",
            "",
            "---",
            "",
            "",
        ]
    )
    theirs = DEV.replace(block, new + block)
    ours = reinforce(DEV, BATCH, "Ledgerline - export (2026-11-20) - fast", "2026-11-20")

    merged = merge_patterns(DEV, ours, theirs)

    names = [e.name for e in PatternFile.parse(merged.text).entries]
    assert names.index("Pin Tool Versions in CI") == names.index(WEBHOOK) + 1
    assert merged == Merged(refooted(ours.replace(block, new + block), "2026-11-20"))


def test_a_pattern_added_on_both_sides_under_one_name_merges_without_conflict() -> None:
    start = new_file("dev")
    ours = add_pattern(start, "Retry Budget", "Ledgerline - a (2026-11-20) - ok", "2026-11-20", "Ours context.")
    theirs = add_pattern(start, "Retry Budget", "Harbor - b (2026-11-21) - ok", "2026-11-21", "Theirs context.")

    merged = merge_patterns("", ours, theirs)

    assert merged.conflicts == ()
    e = entry(merged.text, "Retry Budget")
    assert examples(merged.text, "Retry Budget") == ["Ledgerline - a (2026-11-20) - ok", "Harbor - b (2026-11-21) - ok"]
    assert (e.stated, e.field_value("based on"), e.last_reinforced) == ("MEDIUM", "2 examples", "2026-11-21")
    assert e.block_text(PatternFile.parse(merged.text).lines, "context") == "Ours context.\n\nTheirs context."
    assert merged.text.startswith(start)
    assert len(PatternFile.parse(merged.text).entries) == 1


def test_both_rewriting_one_context_conflicts_there_only_and_everything_else_merges() -> None:
    ours = reinforce(
        DEV.replace(WEBHOOK_CONTEXT, "Ours: webhooks arrive twice."), BATCH, "Ours - x (2026-11-20) - ok", "2026-11-20"
    )
    theirs = DEV.replace(WEBHOOK_CONTEXT, "Theirs: providers retry on timeouts.")
    theirs = reinforce(theirs, WEBHOOK, "Theirs - y (2026-11-21) - ok", "2026-11-21")

    merged = merge_patterns(DEV, ours, theirs)

    assert merged.conflicts == (MergeConflict(merged.conflicts[0].line, f"pattern '{WEBHOOK}', Context"),)
    assert lines_between(merged.text, merged.conflicts[0]) == [
        "<<<<<<< ours",
        "**Context:**",
        "Ours: webhooks arrive twice.",
        "=======",
        "**Context:**",
        "Theirs: providers retry on timeouts.",
        ">>>>>>> theirs",
    ]
    assert conflict_regions(merged.text) == [(merged.conflicts[0].line, merged.conflicts[0].line + 6)]
    parsed = PatternFile.parse(merged.text)
    assert [e.name for e in parsed.entries] == [e.name for e in PatternFile.parse(DEV).entries]
    assert examples(merged.text, BATCH)[-1] == "Ours - x (2026-11-20) - ok"
    assert examples(merged.text, WEBHOOK)[-1] == "Theirs - y (2026-11-21) - ok"
    assert entry(merged.text, WEBHOOK).field_value("based on") == "4 examples"
    # Without the conflict, the text is the clean merge of the two other edits.
    resolved = merged.text.replace(
        "\n".join(lines_between(merged.text, merged.conflicts[0])), "**Context:**\n" + WEBHOOK_CONTEXT
    )
    plain = merge_patterns(
        DEV,
        reinforce(DEV, BATCH, "Ours - x (2026-11-20) - ok", "2026-11-20"),
        reinforce(DEV, WEBHOOK, "Theirs - y (2026-11-21) - ok", "2026-11-21"),
    )
    assert resolved == plain.text


def test_a_deleted_pattern_stays_deleted_unless_the_other_side_changed_it() -> None:
    pf = PatternFile.parse(DEV)
    flags = entry(DEV, "Feature Flags Default Off in Code")
    without = pf.doc.splice([Splice(flags.start, flags.end, ())]).render()
    ours = reinforce(DEV, BATCH, "Ours - x (2026-11-20) - ok", "2026-11-20")

    gone = merge_patterns(DEV, ours, without)
    kept = merge_patterns(
        DEV, without, reinforce(ours, "Feature Flags Default Off in Code", "T - y (2026-11-21) - ok", "2026-11-21")
    )

    assert "Feature Flags Default Off in Code" not in [e.name for e in PatternFile.parse(gone.text).entries]
    assert examples(gone.text, BATCH)[-1] == "Ours - x (2026-11-20) - ok"
    assert examples(kept.text, "Feature Flags Default Off in Code")[-1] == "T - y (2026-11-21) - ok"
    assert gone.conflicts == kept.conflicts == ()


def test_format_b_entries_merge_in_their_own_format_and_add_up_time_saved() -> None:
    ours = reinforce(DEV, SMOKE, "Ledgerline - canary (2026-11-20) - caught a bad config", "2026-11-20", minutes=20)
    theirs = reinforce(DEV, SMOKE, "Harbor - staging (2026-11-21) - caught a 500", "2026-11-21", minutes=30)

    merged = merge_patterns(DEV, ours, theirs)

    assert merged == Merged(reinforce(ours, SMOKE, "Harbor - staging (2026-11-21) - caught a 500", "2026-11-21", 30))
    block = merged.text.split(f"## {SMOKE}")[1].split("---")[0]
    assert "- Example 3 (2026-11-20): Ledgerline - canary - caught a bad config" in block
    assert "- Example 4 (2026-11-21): Harbor - staging - caught a 500" in block
    assert "- **Based on:** 4 examples" in block
    assert "- **Total saved:** 90 min" in block
    assert "- **Last reinforced:** 2026-11-21" in block


def test_format_b_low_to_medium_gains_one_last_reinforced_line() -> None:
    ours = reinforce(DEV, REPLICA, "Ledgerline - a (2026-11-21) - ok", "2026-11-21")
    theirs = reinforce(DEV, REPLICA, "Harbor - b (2026-11-20) - ok", "2026-11-20")

    merged = merge_patterns(DEV, ours, theirs)

    e = entry(merged.text, REPLICA)
    assert (e.stated, e.field_value("based on"), e.last_reinforced) == ("MEDIUM", "3 examples", "2026-11-21")
    assert numbers(merged.text, REPLICA) == [1, 2, 3]
    block = merged.text.split(f"## {REPLICA}")[1].split("---")[0]
    assert block.count("**Last reinforced:**") == 1
    assert "- **Created:** 2025-03-04\n- **Last reinforced:** 2026-11-21\n" in block


def test_sources_are_unioned_before_the_truncation_marker() -> None:
    name = "Cache Keys Carry a Schema Version"
    ours = reinforce_text(
        DEV_REL,
        DEV,
        name,
        "A - a (2026-11-20) - ok",
        "2026-11-20",
        "2026-11-20",
        "memory/episodic/code/2026-11-20-a.md",
    )[0]
    theirs = reinforce_text(
        DEV_REL,
        DEV,
        name,
        "B - b (2026-11-21) - ok",
        "2026-11-21",
        "2026-11-21",
        "memory/episodic/code/2026-11-21-b.md",
    )[0]

    merged = merge_patterns(DEV, ours, theirs)

    e = entry(merged.text, name)
    assert e.sources[-2:] == ("memory/episodic/code/2026-11-20-a.md", "memory/episodic/code/2026-11-21-b.md")
    assert e.truncated_sources
    assert "- memory/episodic/code/2026-11-21-b.md\n- [... and 3 more ...]\n" in merged.text


def test_preamble_edited_differently_on_both_sides_conflicts_as_preamble() -> None:
    purpose = next(line for line in DEV.splitlines() if line.startswith("**Purpose:**"))
    ours = reinforce(DEV.replace(purpose, "**Purpose:** ours"), BATCH, "A - a (2026-11-20) - ok", "2026-11-20")
    theirs = DEV.replace(purpose, "**Purpose:** theirs")

    merged = merge_patterns(DEV, ours, theirs)

    assert [c.where for c in merged.conflicts] == ["preamble"]
    assert lines_between(merged.text, merged.conflicts[0]) == [
        "<<<<<<< ours",
        "**Purpose:** ours",
        "=======",
        "**Purpose:** theirs",
        ">>>>>>> theirs",
    ]


def test_edits_to_different_trailing_sections_both_come_through() -> None:
    ours = reinforce(
        DEV.replace("3. Copy the code examples", "3. Adapt the code examples"),
        BATCH,
        "A - a (2026-11-20) - ok",
        "2026-11-20",
    )
    theirs = DEV.replace('- Re-check "Idempotency', '- Re-verify "Idempotency')

    merged = merge_patterns(DEV, ours, theirs)

    assert merged.conflicts == ()
    assert "3. Adapt the code examples" in merged.text
    assert '- Re-verify "Idempotency' in merged.text


def test_a_file_created_on_both_sides_keeps_both_sides_patterns() -> None:
    start = new_file("dev")
    ours = add_pattern(start, "Alpha Pattern", "Ledgerline - a (2026-11-20) - ok", "2026-11-20")
    theirs = add_pattern(start, "Beta Pattern", "Harbor - b (2026-11-21) - ok", "2026-11-21")

    assert merge_patterns("", ours, theirs) == Merged(
        add_pattern(ours, "Beta Pattern", "Harbor - b (2026-11-21) - ok", "2026-11-21")
    )
    assert merge_patterns("", start, theirs) == Merged(theirs)


def test_blocks_added_and_removed_inside_one_entry_merge_field_by_field() -> None:
    source = "- memory/episodic/code/2026-04-02-webhook-idempotency.md\n"
    related = "**Related patterns:**\n- Retry with Jittered Exponential Backoff (MEDIUM confidence)\n\n"
    ours = DEV.replace(WEBHOOK_CONTEXT, "Ours context.").replace(source, source + "\n**Notes:**\nours note\n")
    theirs = DEV.replace(source, source + "\n**Caveats:**\ntheirs caveat\n").replace(related, "")

    merged = merge_patterns(DEV, ours, theirs)

    assert merged.conflicts == ()
    expected = DEV.replace(WEBHOOK_CONTEXT, "Ours context.").replace(related, "")
    expected = expected.replace(source, source + "\n**Notes:**\nours note\n\n**Caveats:**\ntheirs caveat\n")
    assert merged == Merged(refooted(expected, "2025-10-02"))


def test_a_block_both_sides_added_to_one_pattern_keeps_both_texts() -> None:
    source = "- memory/episodic/code/2026-04-02-webhook-idempotency.md\n"
    ours = DEV.replace(source, source + "\n**Notes:**\nours note\n")
    theirs = DEV.replace(source, source + "\n**Notes:**\ntheirs note\n").replace(WEBHOOK_CONTEXT, "Theirs context.")

    merged = merge_patterns(DEV, ours, theirs)

    assert merged.conflicts == ()
    assert source + "\n**Notes:**\nours note\n\ntheirs note\n\n---" in merged.text
    assert "**Context:**\nTheirs context.\n" in merged.text


def test_both_extending_one_list_in_a_trailing_section_conflicts_on_that_list_only() -> None:
    last = '- Re-check "Idempotency Keys on Webhook Handlers" against the new payments provider\n'
    ours = reinforce(DEV.replace(last, last + "- Ours next step\n"), BATCH, "A - a (2026-11-20) - ok", "2026-11-20")
    theirs = DEV.replace(last, last + "- Theirs next step\n")

    merged = merge_patterns(DEV, ours, theirs)

    assert [c.where for c in merged.conflicts] == ["section 'How to Use This File'"]
    region = lines_between(merged.text, merged.conflicts[0])
    assert region[:2] == ["<<<<<<< ours", "**Next steps:**"]
    assert region[-3:] == [last.strip(), "- Theirs next step", ">>>>>>> theirs"]
    assert "**Total Patterns:** 10" in merged.text  # the footer above it is still recounted


def test_crlf_and_bom_survive_a_merge() -> None:
    crlf = "\ufeff" + DEV.replace("\n", "\r\n")
    ours = reinforce(crlf, BATCH, "A - a (2026-11-20) - ok", "2026-11-20")
    theirs = reinforce(crlf, BATCH, "B - b (2026-11-21) - ok", "2026-11-21")

    merged = merge_patterns(crlf, ours, theirs)

    assert merged.text.startswith("\ufeff# Development Patterns\r\n")
    assert "\n" not in merged.text.replace("\r\n", "")
    lf = merge_patterns(DEV, *(x.removeprefix("\ufeff").replace("\r\n", "\n") for x in (ours, theirs)))
    assert merged.text == "\ufeff" + lf.text.replace("\n", "\r\n")


def test_unparsable_pattern_files_raise_merge_error() -> None:
    twice = DEV + "\n## Batch loading related rows\n\n**Confidence:** LOW\n**Based on:** 1 example\n"
    ours = reinforce(DEV, BATCH, "A - a (2026-11-20) - ok", "2026-11-20")
    with pytest.raises(MergeError, match="slug 'batch-loading-related-rows'"):
        merge_patterns(DEV, ours, twice)
    with pytest.raises(MergeError, match="never closes"):
        merge_patterns(DEV, ours, DEV + "\n```python\nopen fence\n")


# -- conflict_regions ---------------------------------------------------------------------------------


def test_a_conflict_around_a_code_block_is_found_outside_the_fence() -> None:
    line = "    return max(0, (trial_end - now()).days)\n"
    ours = DEV.replace(line, line.replace("\n", "  # ours\n"))
    theirs = DEV.replace(line, line.replace("\n", "  # theirs\n"))

    merged = merge_patterns(DEV, ours, theirs)

    clock = "Inject the Clock Instead of Patching Time"
    assert [c.where for c in merged.conflicts] == [f"pattern '{clock}', Code example"]
    start, end = conflict_regions(merged.text)[0]
    region = merged.text.splitlines()[start - 1 : end]
    assert (start, region[:3], region[-1]) == (
        merged.conflicts[0].line,
        ["<<<<<<< ours", "**Code example:**", "```python"],
        ">>>>>>> theirs",
    )
    assert [e.name for e in PatternFile.parse(merged.text).entries] == [e.name for e in PatternFile.parse(DEV).entries]


def test_conflict_regions_skips_markers_inside_fenced_code() -> None:
    text = "\n".join(
        [
            "# T",
            "```text",
            "<<<<<<< ours",
            "a",
            "=======",
            ">>>>>>> theirs",
            "```",
            "<<<<<<< ours",
            "x",
            "=======",
            "y",
            ">>>>>>> theirs",
            "",
        ]
    )
    assert conflict_regions(text) == [(8, 12)]
    assert conflict_regions("no conflicts\n") == []


# -- work logs ------------------------------------------------------------------------------------------


def append(text: str, version: int, when: str, title: str, status: str, *body: str) -> str:
    """What open_worklog writes: a new entry at the end and the frontmatter following it."""
    log = WorkLog.parse(text)
    at = len(log.lines)
    header = entry_header(version, when, title, status)
    return log.doc.splice([Splice(at, at, ("", header, *body)), *frontmatter_edits(log, version, status)]).render()


OURS_V4 = ("**Prev:** v3: Waiting on the job queue (blocked)", "**Now:** Email template")
THEIRS_V4 = ("**Prev:** v3: Waiting on the job queue (blocked)", "**Now:** Chase the platform team")


def test_entries_appended_on_both_sides_are_kept_in_time_order_and_renumbered() -> None:
    ours = append(WORKLOG, 4, "2026-11-20 10:00", "Email template", "in_progress", *OURS_V4)
    theirs = append(WORKLOG, 4, "2026-11-19 15:30", "Chase platform", "blocked", *THEIRS_V4)

    merged = merge_worklog(WORKLOG, ours, theirs)

    expected = append(theirs, 5, "2026-11-20 10:00", "Email template", "in_progress", *OURS_V4)
    assert merged == Merged(expected)
    log = WorkLog.parse(merged.text)
    assert [(e.version, e.title) for e in log.entries][-2:] == [(4, "Chase platform"), (5, "Email template")]
    assert (log.meta["version"], log.meta["status"]) == ("v5", "in_progress")
    old = WorkLog.parse(WORKLOG)
    start, end = old.entries[0].start, old.entries[-1].end
    assert log.lines[start:end] == old.lines[start:end]


def test_a_tie_in_time_puts_ours_first_and_an_identical_entry_is_kept_once() -> None:
    ours = append(WORKLOG, 4, "2026-11-20 10:00", "Ours", "in_progress", *OURS_V4)
    theirs = append(WORKLOG, 4, "2026-11-20 10:00", "Theirs", "blocked", *THEIRS_V4)
    same = append(WORKLOG, 4, "2026-11-19 09:00", "Both", "in_progress", "**Now:** the same")

    tie = WorkLog.parse(merge_worklog(WORKLOG, ours, theirs).text)
    once = WorkLog.parse(merge_worklog(WORKLOG, append(same, 5, "2026-11-20 10:00", "Ours", "in_progress"), same).text)

    assert [(e.version, e.title) for e in tie.entries[3:]] == [(4, "Ours"), (5, "Theirs")]
    assert (tie.meta["version"], tie.meta["status"]) == ("v5", "blocked")
    assert [(e.version, e.title) for e in once.entries[3:]] == [(4, "Both"), (5, "Ours")]


def test_different_fields_of_one_entry_merge_and_the_same_field_conflicts_alone() -> None:
    now = "**Now:** Waiting on the job queue's signed links 🚧"
    opened = "**Open:** Should small months stay synchronous?"
    ours = WORKLOG.replace(now, "**Now:** Ours: writing the email template").replace(
        opened, "**Open:** Yes, below 50 MB"
    )
    theirs = WORKLOG.replace(now, "**Now:** Theirs: pairing with platform").replace(
        "- [MED] Email template for the link\n**Open", "- [MED] Email template for the link\n- [LOW] Docs\n**Open"
    )

    merged = merge_worklog(WORKLOG, ours, theirs)

    assert [c.where for c in merged.conflicts] == ["v3, Now"]
    assert lines_between(merged.text, merged.conflicts[0]) == [
        "<<<<<<< ours",
        "**Now:** Ours: writing the email template",
        "=======",
        "**Now:** Theirs: pairing with platform",
        ">>>>>>> theirs",
    ]
    assert "- [LOW] Docs\n**Open:** Yes, below 50 MB\n" in merged.text
    assert merged.text.startswith(WORKLOG[: WORKLOG.index(now)])


def test_worklog_frontmatter_keys_merge_three_way_and_the_status_follows_the_last_tag() -> None:
    ours = append(WORKLOG, 4, "2026-11-20 10:00", "Resume", "in_progress", *OURS_V4)
    theirs = WORKLOG.replace("owner: dana", "owner: sam")

    merged = merge_worklog(WORKLOG, ours, theirs)

    assert merged == Merged(ours.replace("owner: dana", "owner: sam"))
    tagged = WORKLOG.replace("| Large months [BLOCKED]", "| Large months [COMPLETED]").replace(
        "status: blocked", "status: completed"
    )
    both = merge_worklog(WORKLOG, tagged, theirs)
    assert WorkLog.parse(both.text).meta == {"version": "v3", "status": "completed", "owner": "sam"}


def test_a_log_started_on_both_sides_keeps_both_first_sessions_in_time_order() -> None:
    def started(when: str, title: str) -> str:
        return "\n".join(
            [
                "---",
                "version: v1",
                "status: in_progress",
                "---",
                "",
                "# Auth Refactor Work Log",
                "",
                f"## v1 | {when} | {title}",
                "**Prev:** Starting new work",
                f"**Now:** {title}",
                "",
            ]
        )

    merged = merge_worklog("", started("2026-11-20 10:00", "Ours"), started("2026-11-19 09:00", "Theirs"))

    log = WorkLog.parse(merged.text)
    assert [(e.version, e.title) for e in log.entries] == [(1, "Theirs"), (2, "Ours")]
    assert (log.meta, merged.conflicts) == ({"version": "v2", "status": "in_progress"}, ())
    ours_v2 = "\n## v2 | 2026-11-20 10:00 | Ours\n**Prev:** Starting new work\n**Now:** Ours\n"
    assert merged.text == started("2026-11-19 09:00", "Theirs").replace("version: v1", "version: v2") + ours_v2


def test_both_retagging_the_latest_entry_differently_conflicts_on_its_header() -> None:
    header = "## v3 | 2026-11-12 09:05 | Large months [BLOCKED]"
    ours = WORKLOG.replace(header, header.replace("[BLOCKED]", "[COMPLETED]"))
    theirs = WORKLOG.replace(header, header.replace(" [BLOCKED]", ""))

    merged = merge_worklog(WORKLOG, ours, theirs)

    assert [c.where for c in merged.conflicts] == ["v3, header"]
    assert lines_between(merged.text, merged.conflicts[0]) == [
        "<<<<<<< ours",
        "## v3 | 2026-11-12 09:05 | Large months [COMPLETED]",
        "=======",
        "## v3 | 2026-11-12 09:05 | Large months",
        ">>>>>>> theirs",
    ]
    assert "status: completed" in merged.text  # ours' side of the conflict


def test_an_entry_removed_on_one_side_and_changed_on_the_other_is_left_to_git() -> None:
    log = WorkLog.parse(WORKLOG)
    v2 = log.entries[1]
    without = log.doc.splice([Splice(v2.start, v2.end, ())]).render()
    changed = WORKLOG.replace("**Tried:** Raising the gateway timeout to 120 s", "**Tried:** Raising it to 300 s")
    with pytest.raises(MergeError, match="v2 was removed on one side and changed on the other"):
        merge_worklog(WORKLOG, without, changed)
    assert merge_worklog(WORKLOG, changed, without) == Merged(changed)  # theirs removed it, ours changed it


def test_broken_worklog_frontmatter_raises_merge_error() -> None:
    ours = WORKLOG.replace("owner: dana", "owner: sam")
    with pytest.raises(MergeError, match=r"^theirs: line \d+: invalid YAML frontmatter"):
        merge_worklog(WORKLOG, ours, WORKLOG.replace("owner: dana", "owner: [dana"))


# -- brain health ---------------------------------------------------------------------------------------


def test_growth_logs_union_weeks_items_and_add_up_time_saved() -> None:
    ours = growth_text(GROWTH, "2026-11-16", ["Ours Pattern (LOW)"], [], "ours stats", 20)
    theirs = growth_text(
        GROWTH,
        "2026-11-16",
        ["Theirs Pattern (LOW)"],
        ["Batch Loading Related Rows (MEDIUM → HIGH)"],
        "theirs stats",
        15,
    )
    theirs = growth_text(theirs, "2026-11-23", ["Next Week Pattern (LOW)"], [], "theirs stats", 10)

    merged = merge_growth(GROWTH, ours, theirs)

    week = "\n".join(
        [
            "## Week of 2026-11-16",
            "",
            "**Patterns learned:**",
            "- Feature Flags Default Off in Code (LOW)",
            "- Ours Pattern (LOW)",
            "- Theirs Pattern (LOW)",
            "",
            "**Patterns reinforced:**",
            "- Batch Loading Related Rows (MEDIUM → HIGH)",
            "",
            "**Brain stats:** ours stats",
            "**Time saved:** ~65 min this week",
            "",
        ]
    )
    top = theirs[theirs.index("## Week of 2026-11-23") : theirs.index("## Week of 2026-11-16")]
    assert merged == Merged("# Growth Log\n\n" + top + week + GROWTH[GROWTH.index("\n## Week of 2026-11-09") :])


def test_growth_logs_started_on_both_sides_union_their_weeks() -> None:
    ours = growth_text(None, "2026-11-16", ["Alpha (LOW)"], [], "1 pattern", 10)
    theirs = growth_text(None, "2026-11-16", ["Beta (LOW)"], [], "1 pattern", 15)

    merged = merge_growth("", ours, theirs)

    assert merged == Merged(growth_text(ours, "2026-11-16", ["Beta (LOW)"], [], "1 pattern", 15))


def test_confidence_rows_union_and_move_to_the_section_their_count_says() -> None:
    def rows(text: str) -> dict[str, list[str]]:
        sections = re.split(r"\n## ", text)[1:]
        return {s.split(" ")[0].upper(): [x for x in s.splitlines()[1:] if x.startswith("- ")] for s in sections}

    base = rows(CONFIDENCE)
    batch = "- Batch Loading Related Rows (4 examples, ~160 min saved, last: 2026-09-30)"
    smoke = "- Smoke Test Each Deploy Stage (2 examples, ~40 min saved, last: 2026-09-15)"
    ours_rows = {
        **base,
        "MEDIUM": ["- Smoke Test Each Deploy Stage (3 examples, ours)" if x == smoke else x for x in base["MEDIUM"]],
    }
    new_batch = "- Batch Loading Related Rows (5 examples, ~200 min saved, last: 2026-11-20)"
    theirs_rows = {
        "HIGH": base["HIGH"],
        "MEDIUM": [x for x in base["MEDIUM"] if x not in (batch,)],
        "LOW": [*base["LOW"], "- Theirs Pattern (1 example, ~10 min saved, last: 2026-11-21)"],
    }
    theirs_rows["MEDIUM"] = [
        ("- Smoke Test Each Deploy Stage (3 examples, theirs)" if x == smoke else x) for x in theirs_rows["MEDIUM"]
    ]
    theirs_rows["HIGH"] = [*theirs_rows["HIGH"], new_batch]

    merged = merge_confidence(
        CONFIDENCE, confidence_text(CONFIDENCE, ours_rows), confidence_text(CONFIDENCE, theirs_rows)
    )

    got = rows(merged.text)
    assert merged.conflicts == ()
    assert got["HIGH"] == [*base["HIGH"], new_batch]
    assert "- Smoke Test Each Deploy Stage (3 examples, ours)" in got["MEDIUM"]
    assert batch not in got["MEDIUM"]
    assert got["LOW"] == [*base["LOW"], "- Theirs Pattern (1 example, ~10 min saved, last: 2026-11-21)"]
    assert sum(len(v) for v in got.values()) == sum(len(v) for v in base.values()) + 1


# -- properties ---------------------------------------------------------------------------------------------

POOL = [f"Project {c} - case {c.lower()} (2026-11-{10 + i:02d}) - outcome {i}" for i, c in enumerate("ABCDEFGH")]
TARGETS = [BATCH, SMOKE, REPLICA, "Feature Flags Default Off in Code"]
sides = st.lists(st.sampled_from(POOL), unique=True, max_size=5)


def _reinforced_with(name: str, chosen: list[str]) -> str:
    text = DEV
    for example in chosen:
        text = reinforce(text, name, example, example.split("(")[1][:10])
    return text


def _plain(text: str, name: str) -> list[str]:
    """Example texts without format B's date, so both formats compare alike."""
    return [re.sub(r"\s*\(\d{4}-\d{2}-\d{2}\)", "", x) for x in examples(text, name)]


@settings(max_examples=60, deadline=None, database=None)
@given(st.sampled_from(TARGETS), sides, sides)
def test_any_example_additions_merge_to_exactly_their_union(
    name: str, ours_adds: list[str], theirs_adds: list[str]
) -> None:
    ours, theirs = _reinforced_with(name, ours_adds), _reinforced_with(name, theirs_adds)

    merged = merge_patterns(DEV, ours, theirs)

    union = [*ours_adds, *(x for x in theirs_adds if x not in ours_adds)]
    expected = [*_plain(DEV, name), *(re.sub(r"\s*\(\d{4}-\d{2}-\d{2}\)", "", x) for x in union)]
    assert _plain(merged.text, name) == expected
    assert numbers(merged.text, name) == list(range(1, len(expected) + 1))
    e = entry(merged.text, name)
    if union:  # every side that added one re-rated, and so does the merge
        assert (e.stated, e.field_value("based on")) == (evidence_level(len(expected)), f"{len(expected)} examples")
        changed = [side for side, adds in ((ours, ours_adds), (theirs, theirs_adds)) if adds]
        # one side's entry as it wrote it, or the later of the two dates
        assert e.last_reinforced == max(entry(side, name).last_reinforced or "" for side in changed)
    assert merged.conflicts == ()
    assert PatternFile.parse(merged.text).doc.render() == merged.text
    before, after = PatternFile.parse(DEV), PatternFile.parse(merged.text)
    others = [(x.name, after.lines[x.start : x.end]) for x in after.entries if x.name != name]
    assert others == [(x.name, before.lines[x.start : x.end]) for x in before.entries if x.name != name]


NewOnes = list[tuple[str, str]]  # (pattern name, its first example)
Reinforcements = list[tuple[str, str]]  # (pattern name, example)
plans = st.tuples(
    st.lists(
        st.tuples(st.sampled_from(["Alpha Pattern", "Beta Pattern"]), st.sampled_from(POOL)),
        max_size=2,
        unique_by=lambda x: x[0],
    ),
    st.lists(st.tuples(st.sampled_from(TARGETS), st.sampled_from(POOL)), max_size=3, unique=True),
)


def build(plan: tuple[NewOnes, Reinforcements]) -> str:
    """A side's text after adding the new patterns, then reinforcing (sometimes a new one)."""
    text = DEV
    new, reinforcements = plan
    for k, (name, example) in enumerate(new):
        text = add_pattern(text, name, example, f"2026-11-2{k}")
    for name, example in reinforcements:
        if example not in examples(text, name):
            text = reinforce(text, name, example, example.split("(")[1][:10])
    return text


def _contents(text: str) -> tuple[list[str], set[tuple[str, str]]]:
    pf = PatternFile.parse(text)
    return sorted(e.name for e in pf.entries), {(e.name, x.text) for e in pf.entries for x in e.examples}


@settings(max_examples=40, deadline=None, database=None)
@given(plans, plans)
def test_merging_is_symmetric_in_its_entries_and_examples(
    ours_plan: tuple[NewOnes, Reinforcements], theirs_plan: tuple[NewOnes, Reinforcements]
) -> None:
    ours, theirs = build(ours_plan), build(theirs_plan)
    one, two = merge_patterns(DEV, ours, theirs), merge_patterns(DEV, theirs, ours)

    assert _contents(one.text) == _contents(two.text)
    names = set(_contents(ours)[0]) | set(_contents(theirs)[0])
    assert set(_contents(one.text)[0]) == names
    assert one.conflicts == two.conflicts == ()
    assert PatternFile.parse(one.text).doc.render() == one.text
