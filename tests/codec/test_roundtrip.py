"""Lossless round-trip over every fixture file, and entry detection on a pattern file in the
upstream layout.

The fixture brain's ``dev-patterns.md`` is written in that layout, the one devlore must read
untouched: a fenced Pattern Template whose ``## [Pattern Name]`` is code, Example Patterns, the
entries, the trailing Pattern Growth Tracking and How to Use This File sections, then the footer
(docs/FORMAT.md, "2.1 What counts as an entry" and "2.2 Format A: the one devlore writes").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from devlore.codec import pattern_edits
from devlore.codec.patterns import PatternFile
from devlore.codec.text import Doc
from devlore.service import patterns
from devlore.service.brain import Brain
from tests.conftest import CONTENT, DEV, FIXTURES, PM, snapshot

FIXTURE_FILES = sorted(p.relative_to(FIXTURES).as_posix() for p in FIXTURES.rglob("*.md"))
PATTERN_FILES = [rel for rel in FIXTURE_FILES if rel.endswith("-patterns.md")]
STRUCTURAL = ["Pattern Template", "Example Patterns", "Pattern Growth Tracking", "How to Use This File"]

# name -> (format, examples listed, level as written, level the examples earn)
FIXTURE_DEV_ENTRIES = {
    "Cache Keys Carry a Schema Version": ("A", 6, "HIGH", "HIGH"),
    "Expand-Contract Database Migrations": ("A", 7, "HIGH", "HIGH"),
    "Batch Loading Related Rows": ("A", 4, "MEDIUM", "MEDIUM"),
    "Retry with Jittered Exponential Backoff": ("A", 3, "HIGH", "MEDIUM"),
    "Read-Your-Writes After Replica Lag": ("B", 1, "LOW", "LOW"),
    "Feature Flags Default Off in Code": ("A", 1, "LOW", "LOW"),
    "Idempotency Keys on Webhook Handlers": ("A", 3, "MEDIUM", "MEDIUM"),
    "Inject the Clock Instead of Patching Time": ("A", 2, "MEDIUM", "MEDIUM"),
    "Redact Secrets in the Log Formatter": ("A", 3, "MEDIUM", "MEDIUM"),
    "Smoke Test Each Deploy Stage": ("B", 2, "MEDIUM", "MEDIUM"),
}

# name -> (numbered examples under **Examples:**, the level they earn): an all-format-A file whose
# written levels all match their evidence, as the upstream seed file's do.
FIXTURE_PM_ENTRIES = {
    "Kill Criteria in Every Experiment Brief": (5, "HIGH"),
    "Interview Five Users Before Sizing a Feature": (3, "MEDIUM"),
    "Compare Against Doing Nothing": (2, "MEDIUM"),
    "Write the Changelog Entry Before the Spec": (1, "LOW"),
}


def read_text(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def upstream_text() -> str:
    """The fixture brain's dev-patterns.md: the pattern file in the upstream layout."""
    return read_text(FIXTURES / DEV)


@pytest.mark.parametrize("rel", FIXTURE_FILES)
def test_every_fixture_file_renders_back_to_its_exact_bytes(rel: str) -> None:
    raw = (FIXTURES / rel).read_bytes()
    text = raw.decode("utf-8")

    assert Doc.parse(text).render().encode("utf-8") == raw


@pytest.mark.parametrize("rel", PATTERN_FILES)
def test_every_fixture_pattern_file_parses_and_renders_back_to_its_exact_bytes(rel: str) -> None:
    raw = (FIXTURES / rel).read_bytes()

    assert PatternFile.parse(raw.decode("utf-8")).doc.render().encode("utf-8") == raw


def test_the_upstream_layout_pattern_file_renders_back_to_its_exact_text(upstream_text: str) -> None:
    assert Doc.parse(upstream_text).render() == upstream_text
    assert PatternFile.parse(upstream_text).doc.render() == upstream_text


def test_listing_and_reading_every_pattern_changes_no_byte_on_disk(brain: Brain, root: Path) -> None:
    before = snapshot(root)

    listed = patterns.list_patterns(brain)
    details = [patterns.get_pattern(brain, p.name, domain=p.domain) for p in listed.patterns]

    assert [d.name for d in details] == [p.name for p in listed.patterns]
    assert listed.total == 17
    assert snapshot(root) == before


def test_the_fenced_template_heading_in_the_upstream_layout_is_code_not_a_heading(upstream_text: str) -> None:
    pf = PatternFile.parse(upstream_text)
    template = pf.lines.index("## [Pattern Name]")
    fenced = pf.lines.index("## Release 1 - expand")  # an H2 inside a ```text block of an entry

    assert template in pf.outline.code and fenced in pf.outline.code
    assert all(h.line not in (template, fenced) for h in pf.outline.headings)
    assert "[Pattern Name]" not in [e.name for e in pf.entries]


def test_the_upstream_layout_footer_is_found_after_the_trailing_sections(upstream_text: str) -> None:
    pf = PatternFile.parse(upstream_text)

    assert pf.footer is not None
    assert pf.footer.last_updated is not None and pf.lines[pf.footer.last_updated].startswith("**Last Updated:**")
    assert pf.footer.total is not None and pf.lines[pf.footer.total] == "**Total Patterns:** 6"
    assert pf.footer.breakdown is not None
    start, end = pf.footer.breakdown
    assert [line.split(":")[0] for line in pf.lines[start:end]] == ["- HIGH", "- MEDIUM", "- LOW"]
    assert start > max(h.line for h in pf.outline.h(2))  # after How to Use This File


def test_the_fixture_dev_file_lists_ten_entries_two_of_them_in_format_b() -> None:
    pf = PatternFile.parse(read_text(FIXTURES / DEV))

    found = {e.name: (e.format, len(e.examples), e.stated, e.evidence) for e in pf.entries}

    assert found == FIXTURE_DEV_ENTRIES
    assert [e.name for e in pf.entries] == list(FIXTURE_DEV_ENTRIES)


def test_the_format_a_fixture_file_lists_exactly_its_entries_with_their_evidence() -> None:
    pf = PatternFile.parse(read_text(FIXTURES / PM))

    found = {e.name: (len(e.examples), e.evidence) for e in pf.entries}

    assert found == FIXTURE_PM_ENTRIES
    assert [e.name for e in pf.entries] == list(FIXTURE_PM_ENTRIES)
    assert all(e.format == "A" for e in pf.entries)
    assert all(e.stated == e.evidence for e in pf.entries)


def test_structural_sections_of_the_fixture_dev_file_are_never_entries() -> None:
    pf = PatternFile.parse(read_text(FIXTURES / DEV))
    headings = [h.text for h in pf.outline.h(2)]

    assert headings == [STRUCTURAL[0], STRUCTURAL[1], *FIXTURE_DEV_ENTRIES, STRUCTURAL[2], STRUCTURAL[3]]
    assert not set(STRUCTURAL) & {e.name for e in pf.entries}
    assert "[Pattern Name]" not in headings
    assert pf.footer is not None and pf.footer.total is not None
    assert pf.lines[pf.footer.total] == "**Total Patterns:** 6"


def test_format_b_entries_of_the_fixture_read_their_fields_and_sources() -> None:
    pf = PatternFile.parse(read_text(FIXTURES / DEV))
    smoke = next(e for e in pf.entries if e.name == "Smoke Test Each Deploy Stage")

    assert [(x.number, x.date) for x in smoke.examples] == [(1, "2025-06-17"), (2, "2026-09-15")]
    assert smoke.last_reinforced == "2026-09-15"
    assert smoke.field_value("total saved") == "40 min"
    assert smoke.sources == (
        "memory/episodic/code/2025-06-17-canary-missing-env.md",
        "memory/episodic/code/2026-09-15-staging-tls-smoke.md",
    )


def test_a_truncation_marker_is_not_counted_as_a_source_experience() -> None:
    pf = PatternFile.parse(read_text(FIXTURES / DEV))
    cache = pf.entries[0]

    assert cache.truncated_sources is True
    assert len(cache.sources) == 3
    assert all(s.startswith("memory/episodic/") for s in cache.sources)


def test_a_footer_right_after_the_last_entry_is_the_files_footer_not_part_of_that_entry() -> None:
    # content-patterns.md has no trailing H2 section: its footer follows the last entry's ---.
    pf = PatternFile.parse(read_text(FIXTURES / CONTENT))
    last = pf.entries[-1]
    rule = max(i for i, line in enumerate(pf.lines) if line == "---")

    assert [e.name for e in pf.entries][-1] == "Ship Code Snippets as Text, Not Screenshots"
    assert last.content_end < rule
    assert pf.footer is not None
    assert pf.footer.total is not None and pf.lines[pf.footer.total] == "**Total Patterns:** 3"


@pytest.mark.parametrize("rel", PATTERN_FILES)
def test_an_add_example_on_every_entry_reparses_like_a_full_parse(rel: str) -> None:
    """The parse a write hands to the next read (``PatternFile.edited``) is the full parse."""
    text = read_text(FIXTURES / rel)
    pf = PatternFile.parse(text)
    for entry in pf.entries:
        splices = pattern_edits.add_example(pf, entry, "Acme - new case (2026-11-20) - fine", "2026-11-20", "x/y.md")
        splices += pattern_edits.footer(pf, "2026-11-21")

        after = pf.edited(splices)
        full = PatternFile.parse(pf.doc.splice(splices).render())

        assert (after.lines, after.outline, after.entries, after.footer) == (
            full.lines,
            full.outline,
            full.entries,
            full.footer,
        )
