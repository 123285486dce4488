"""Golden files for the revisions: merge, split and remove_example change only the entries they
are about, the footers and brain-health, and nothing else (docs/FORMAT.md, '3.2 Revising
patterns'). Regenerate as ``test_golden_edits.py`` says, and read every hunk."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from devlore.codec.patterns import PatternFile
from devlore.errors import AlreadyExists, InvalidArgument
from devlore.layout import HEALTH_CONFIDENCE, HEALTH_GROWTH
from devlore.model import ConfidenceChange
from devlore.service import patterns, revise
from devlore.service.brain import Brain
from tests.codec.conftest import Golden
from tests.conftest import CONTENT, DEV, snapshot

INVOLVED = tuple[str, ...]


def read(root: Path, rel: str) -> str:
    return (root / rel).read_bytes().decode("utf-8")


def footer_lines(text: str) -> set[int]:
    """The footer's counts and its Next steps list (with the point after it, where lines go)."""
    f = PatternFile.parse(text).footer
    if f is None:
        return set()
    lines = {i for i in (f.last_updated, f.total) if i is not None}
    old = text.splitlines()
    steps = next((i for i, line in enumerate(old) if line == "**Next steps:**"), None)
    if steps is not None:
        end = next((j for j in range(steps + 1, len(old)) if not old[j].startswith("- ")), len(old))
        lines |= set(range(steps, end + 1))
    return lines | (set(range(*f.breakdown)) if f.breakdown else set())


def touched_outside(before: str, after: str, names: INVOLVED) -> list[str]:
    """Old lines changed (or lines inserted) anywhere but inside the named entries or the footer."""
    pf = PatternFile.parse(before)
    allowed = footer_lines(before)
    for e in pf.entries:
        if e.name in names:
            allowed |= set(range(e.start, e.end + 1))
    old, new = before.splitlines(), after.splitlines()
    bad: list[str] = []
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        span = range(i1, i2) if i2 > i1 else range(i1, i1 + 1)
        bad += [f"{i}: {old[i] if i < len(old) else '<end>'}" for i in span if i not in allowed]
    return bad


def test_merging_two_medium_patterns_across_files_pools_a_duplicate_once_and_reaches_high(
    brain: Brain, root: Path, golden: Golden
) -> None:
    shared = "Billing Portal - customer statement PDF (2026-09-30) - Render time halved"
    patterns.add_example(brain, "One Diagram per Thread", shared)  # now cited by both: 4 + 3
    before = snapshot(root)
    dev, content = read(root, DEV), read(root, CONTENT)

    result = revise.merge_patterns(brain, "Batch Loading Related Rows", "One Diagram per Thread")

    assert result.changes == [
        ConfidenceChange(
            name="Batch Loading Related Rows", path=DEV, examples=6, confidence_before="MEDIUM", confidence_after="HIGH"
        )
    ]
    assert result.note == (
        "Merged 'One Diagram per Thread' into 'Batch Loading Related Rows': 6 examples (1 duplicate kept once). "
        "Left: → merged into [Batch Loading Related Rows](dev-patterns.md#batch-loading-related-rows), 2026-11-21"
    )
    after = snapshot(root)
    assert {k for k in after if after[k] != before[k]} == {DEV, CONTENT, HEALTH_CONFIDENCE, HEALTH_GROWTH}
    assert touched_outside(dev, read(root, DEV), ("Batch Loading Related Rows",)) == []
    assert touched_outside(content, read(root, CONTENT), ("One Diagram per Thread",)) == []
    assert read(root, DEV).count(shared) == 1
    golden("merge_across_files/dev-patterns.md.golden", after[DEV])
    golden("merge_across_files/content-patterns.md.golden", after[CONTENT])
    golden("merge_across_files/growth-log.md.golden", after[HEALTH_GROWTH])
    golden("merge_across_files/pattern-confidence.md.golden", after[HEALTH_CONFIDENCE])


def test_merging_two_low_patterns_gives_medium(brain: Brain, root: Path) -> None:
    result = revise.merge_patterns(brain, "Feature Flags Default Off in Code", "Ship Code Snippets as Text")

    assert [(c.examples, c.confidence_before, c.confidence_after) for c in result.changes] == [(2, "LOW", "MEDIUM")]
    assert patterns.get_pattern(brain, "Ship Code Snippets as Text, Not Screenshots").name == (
        "Feature Flags Default Off in Code"
    )


def test_merging_within_one_file_recounts_its_footer_once(brain: Brain, root: Path, golden: Golden) -> None:
    before = read(root, DEV)

    result = revise.merge_patterns(brain, "Inject the Clock", "Redact Secrets in the Log Formatter")

    assert [(c.examples, c.confidence_after) for c in result.changes] == [(5, "HIGH")]
    names = ("Inject the Clock Instead of Patching Time", "Redact Secrets in the Log Formatter")
    assert touched_outside(before, read(root, DEV), names) == []
    footer = read(root, DEV).split("**Last Updated:**")[1]
    assert "**Total Patterns:** 9" in footer
    golden("merge_same_file/dev-patterns.md.golden", (root / DEV).read_bytes())


def test_a_failed_merge_writes_nothing(brain: Brain, root: Path) -> None:
    before = snapshot(root)

    with pytest.raises(InvalidArgument, match="into itself"):
        revise.merge_patterns(brain, "Batch Loading Related Rows", "batch-loading-related-rows")

    assert snapshot(root) == before


def test_removing_an_example_from_a_high_pattern_demotes_it_and_keeps_the_reason(
    brain: Brain, root: Path, golden: Golden
) -> None:
    # written HIGH on 3 examples: one fewer re-rates it to what 2 examples earn
    revise.remove_example(brain, "Retry with Jittered", 3, "different root cause")
    before = read(root, DEV)
    patterns.add_example(brain, "Lead with the Failure", "Blog - retries (2026-11-20) - shared widely")

    result = revise.remove_example(brain, "Cache Keys Carry a Schema Version", 2, "the storm had another cause")
    result = revise.remove_example(brain, "Cache Keys Carry a Schema Version", 1, "counted twice")

    assert result.changes == [
        ConfidenceChange(
            name="Cache Keys Carry a Schema Version",
            path=DEV,
            examples=4,
            confidence_before="HIGH",
            confidence_after="MEDIUM",
        )
    ]
    after = read(root, DEV)
    assert touched_outside(before, after, ("Cache Keys Carry a Schema Version",)) == []
    assert "- 2026-11-21: removed example 1 (Ledgerline - account summary cache (2025-11)" in after
    growth = read(root, HEALTH_GROWTH)
    assert "- Cache Keys Carry a Schema Version (example removed: HIGH → MEDIUM, 4 examples)" in growth
    golden("remove_example/dev-patterns.md.golden", (root / DEV).read_bytes())
    golden("remove_example/growth-log.md.golden", (root / HEALTH_GROWTH).read_bytes())


def test_removing_the_only_example_or_a_missing_one_is_refused(brain: Brain, root: Path) -> None:
    before = snapshot(root)
    with pytest.raises(InvalidArgument, match="only this example"):
        revise.remove_example(brain, "Feature Flags Default Off in Code", 1, "wrong")
    with pytest.raises(InvalidArgument, match="example must be 1 to 4"):
        revise.remove_example(brain, "Batch Loading Related Rows", 5, "wrong")
    assert snapshot(root) == before


def test_splitting_gives_every_example_to_exactly_one_new_pattern(brain: Brain, root: Path, golden: Golden) -> None:
    before = read(root, DEV)
    old = patterns.get_pattern(brain, "Expand-Contract Database Migrations").examples

    result = revise.split_pattern(
        brain,
        "Expand-Contract Database Migrations",
        ["Expand Columns Before Backfill", "Contract Only After Zero Reads"],
        [[1, 3, 5], [2, 4, 6, 7]],
    )

    assert [(c.name, c.examples, c.confidence_before, c.confidence_after) for c in result.changes] == [
        ("Expand Columns Before Backfill", 3, "HIGH", "MEDIUM"),
        ("Contract Only After Zero Reads", 4, "HIGH", "MEDIUM"),
    ]
    a = patterns.get_pattern(brain, "Expand Columns Before Backfill").examples
    b = patterns.get_pattern(brain, "Contract Only After Zero Reads").examples
    assert sorted(a + b) == sorted(old) and len(a + b) == len(old)
    assert touched_outside(before, read(root, DEV), ("Expand-Contract Database Migrations",)) == []
    golden("split/dev-patterns.md.golden", (root / DEV).read_bytes())


@pytest.mark.parametrize(
    ("into", "numbers", "error"),
    [
        (["Expand Columns Before Backfill", "Contract"], [[1, 2, 3], [4, 5, 6]], "missing: 7"),
        (["Expand Columns Before Backfill", "Contract"], [[1, 2, 3, 4], [4, 5, 6, 7]], "exactly one"),
        (["Expand Columns Before Backfill"], [[1, 2, 3, 4, 5, 6, 7]], "two or more"),
        (["Batch Loading Related Rows", "Contract"], [[1, 2, 3], [4, 5, 6, 7]], "already exists"),
    ],
)
def test_a_split_that_would_lose_an_example_or_reuse_a_name_writes_nothing(
    brain: Brain, root: Path, into: list[str], numbers: list[list[int]], error: str
) -> None:
    before = snapshot(root)
    with pytest.raises((InvalidArgument, AlreadyExists), match=error):
        revise.split_pattern(brain, "Expand-Contract Database Migrations", into, numbers)
    assert snapshot(root) == before


def test_a_format_b_entry_is_revised_in_its_own_format(brain: Brain, root: Path) -> None:
    before = read(root, DEV)
    patterns.add_example(brain, "Smoke Test Each Deploy Stage", "Tidepool - canary (2026-11-18) - caught it")

    first = revise.remove_example(brain, "Smoke Test Each Deploy Stage", 1, "staging only")
    second = revise.remove_example(brain, "Smoke Test Each Deploy Stage", 1, "duplicate")

    assert [(c.examples, c.confidence_after) for c in first.changes + second.changes] == [(2, "MEDIUM"), (1, "LOW")]
    entry = patterns.get_pattern(brain, "Smoke Test Each Deploy Stage").markdown
    assert entry.count("### History") == 1
    assert "- Example 1 (2026-11-18): Tidepool - canary - caught it\n" in entry
    assert "- 2026-11-21: removed example 1 (" in entry and ": duplicate\n" in entry
    assert touched_outside(before, read(root, DEV), ("Smoke Test Each Deploy Stage",)) == []


def test_a_format_b_pattern_merges_into_a_format_a_one_in_its_format(brain: Brain, root: Path) -> None:
    result = revise.merge_patterns(brain, "Inject the Clock", "Smoke Test Each Deploy Stage")

    assert [(c.examples, c.confidence_after) for c in result.changes] == [(4, "MEDIUM")]
    examples = patterns.get_pattern(brain, "Inject the Clock").examples
    assert all(x[0].isalpha() for x in examples) and len(examples) == 4
    text = read(root, DEV)
    assert (  # format B's examples in format A, dated at the end, all numbered by date
        "\n1. Harbor Portal - canary smoke caught a missing environment variable before full rollout (2025-06-17)\n"
        "2. Billing Portal - trial expiry banner (2026-05)"
    ) in text
    assert "- Example 1 (" not in text.split("## Inject the Clock")[1].split("\n---")[0]


def test_a_hand_edit_that_deletes_examples_is_a_demotion_in_the_growth_log(brain: Brain, root: Path) -> None:
    dev = root / DEV
    text = dev.read_text(encoding="utf-8")
    for gone in ("2. Harbor Portal - quote cache after", "3. Ledgerline - permissions cache (2026-03)"):
        line = next(x for x in text.splitlines(keepends=True) if x.startswith(gone))
        text = text.replace(line, "", 1)
    dev.write_text(text, encoding="utf-8")

    change = patterns.upgrade_confidence(brain, "Cache Keys Carry a Schema Version")

    assert (change.confidence_before, change.confidence_after, change.examples) == ("HIGH", "MEDIUM", 4)
    growth = read(root, HEALTH_GROWTH)
    assert "- Cache Keys Carry a Schema Version (re-rated HIGH → MEDIUM, 4 examples)\n" in growth
    patterns.add_example(brain, "Expand-Contract", "Shop - orders (2026-11-20) - fine")
    assert "hand edit" not in read(root, HEALTH_GROWTH)  # the re-rate said it, once


def test_a_hand_edit_seen_at_the_next_refresh_is_recorded_once(brain: Brain, root: Path) -> None:
    dev = root / DEV
    text = dev.read_text(encoding="utf-8")
    line = next(x for x in text.splitlines(keepends=True) if x.startswith("2. Harbor Portal - quote cache after"))
    dev.write_text(
        text.replace(line, "", 1).replace(
            next(x for x in text.splitlines(keepends=True) if x.startswith("3. Ledgerline - permissions cache")), "", 1
        ),
        encoding="utf-8",
    )

    patterns.add_example(brain, "Expand-Contract", "Shop - orders (2026-11-20) - fine")
    patterns.add_example(brain, "Expand-Contract", "Shop - invoices (2026-11-20) - fine")

    growth = read(root, HEALTH_GROWTH)
    assert growth.count("- Cache Keys Carry a Schema Version (hand edit: HIGH → MEDIUM, 4 examples)\n") == 1
    assert "- Cache Keys Carry a Schema Version (4 examples" in read(root, HEALTH_CONFIDENCE).split("## Medium")[1]


def test_patterns_that_share_a_name_across_files_are_never_reported_as_hand_edits(brain: Brain, root: Path) -> None:
    ops = root / "memory/semantic/patterns/ops-patterns.md"
    ops.write_text(
        "# Ops Patterns\n\n## Cache Keys Carry a Schema Version\n\n**Confidence:** LOW\n**Based on:** 1 example\n\n"
        "**Examples:**\n1. Ops - redis (2026-11-01) - ok\n\n---\n",
        encoding="utf-8",
    )
    patterns.add_example(brain, "Expand-Contract", "Shop - orders (2026-11-20) - fine")
    patterns.add_example(brain, "Expand-Contract", "Shop - invoices (2026-11-20) - fine")

    assert "hand edit" not in read(root, HEALTH_GROWTH)
