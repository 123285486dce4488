"""Focused unit tests of the codec's small pure functions: slugs, durations, YAML scalars,
episodic notes read in any shape, workflows, and the markdown outline."""

from __future__ import annotations

import re
from datetime import date

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from devlore.codec import episodes, frontmatter, workflows
from devlore.codec.pattern_entry import minutes, slugify
from devlore.codec.structure import Heading, outline
from tests.conftest import FIXTURES

# -- slugify (docs/FORMAT.md §2.5) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Cache Keys Carry a Schema Version", "cache-keys-carry-a-schema-version"),
        ("UPPER CASE", "upper-case"),
        ("N+1 Query Prevention", "n1-query-prevention"),
        ("Lead with the Failure, Then the Fix", "lead-with-the-failure-then-the-fix"),
        ("Read-Your-Writes After Replica Lag", "read-your-writes-after-replica-lag"),
        ("Name the Client's Risk", "name-the-clients-risk"),
        ("Tab\tand\nnewline", "tab-and-newline"),
        ("non\u00a0breaking space", "non-breaking-space"),
        ("a -- b", "a-b"),
        ("C++ / C#", "c-c"),
        ("  Leading  and   trailing  ", "leading-and-trailing"),
        ("--dashes at both ends--", "dashes-at-both-ends"),
        ("v2.0 Release", "v20-release"),
        ("snake_case names", "snakecase-names"),
        ("🚀 Launch 🚀", "launch"),
        ("Café Ünïcode", "caf-ncode"),
        ("---", ""),
        ("Ошибка в логах", "ошибка-в-логах"),
        ("日本語のパターン", "日本語のパターン"),
        ("ＦＵＬＬ Ｗｉｄｔｈ", "full-width"),
    ],
)
def test_slugify_lowercases_dashes_whitespace_drops_the_rest_and_collapses_dashes(name: str, slug: str) -> None:
    assert slugify(name) == slug


@settings(max_examples=200, deadline=None, database=None)
@given(st.text())
def test_a_slug_is_empty_or_dash_separated_words_and_slugifying_it_again_keeps_it(name: str) -> None:
    slug = slugify(name)

    assert slug == "" or re.fullmatch(r"[^\W_]+(?:-[^\W_]+)*", slug.replace("\u0300", "a")) or not slug.isascii()
    assert not any(ch.isspace() for ch in slug)
    assert len(slug.encode("utf-8")) <= 120
    assert slugify(slug) == slug


# -- minutes() -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("~30 minutes (no cache flush)", 30),
        ("~25 min per application", 25),
        ("40 min", 40),
        ("5min", 5),
        ("90 mins", 90),
        ("30m", 30),
        ("0 min", 0),
        ("~1.5 hours", 90),
        ("1 hour", 60),
        ("2 Hours", 120),
        ("1 hr", 60),
        ("3 hrs", 180),
        ("2h", 120),
        ("~0.25 h", 15),
        ("10 minutes 30 seconds", 10),
        ("2.4x saves compared with tutorial-style openers", None),
        ("+35% reposts", None),
        ("3 months", None),
        ("12 meters", None),
        ("half an hour", None),
        ("", None),
        (None, None),
    ],
)
def test_minutes_reads_the_first_duration_in_minutes_or_hours(value: str | None, expected: int | None) -> None:
    assert minutes(value) == expected


# -- frontmatter.scalar ----------------------------------------------------------------------------

TRICKY = [
    "plain words",
    "it's",
    "a: b",
    "a:b",
    "key: 'v'",
    "x: y: z",
    "# heading",
    "a #b",
    "a#b",
    "yes",
    "Yes",
    "NO",
    "on",
    "off",
    "y",
    "true",
    "null",
    "~",
    "",
    " leading space",
    "trailing space ",
    '"double quoted"',
    "'single quoted'",
    "🚀 emoji",
    "ship it 🚀",
    "Ünïcode",
    "2026-11-21 10:00",
    "1.0",
    "0x1F",
    "NaN",
    ".inf",
    "- dash",
    "? question",
    "[list]",
    "{map}",
    "&anchor",
    "*alias",
    "!tag",
    "| block",
    "> folded",
    "%directive",
    "@at",
    "`tick",
    "a\tb",
    "two\nlines",
    "back\\slash",
    "<<",
    "x\u2028y",
]


@pytest.mark.parametrize("value", TRICKY)
def test_a_scalar_reads_back_through_yaml_as_the_same_string(value: str) -> None:
    assert yaml.safe_load(f"key: {frontmatter.scalar(value)}") == {"key": value}


@pytest.mark.parametrize("value", ["\x7f", "x\x85y", "\ufffe", "bell\x80"])
def test_a_scalar_with_a_character_yaml_cannot_print_still_reads_back(value: str) -> None:
    # json.dumps(ensure_ascii=False) leaves these raw; YAML refuses or folds them.
    assert yaml.safe_load(f"key: {frontmatter.scalar(value)}") == {"key": value}


def test_a_date_is_written_as_a_plain_yaml_date() -> None:
    assert frontmatter.scalar(date(2026, 11, 21)) == "2026-11-21"
    assert yaml.safe_load(f"date: {frontmatter.scalar('2026-11-21')}") == {"date": date(2026, 11, 21)}


def test_rendered_frontmatter_reads_back_with_keys_in_order() -> None:
    meta: dict[str, object] = {
        "date": date(2026, 11, 21),
        "project": "ledgerline: payments",
        "work_type": "code",
        "patterns": ["Cache Keys Carry a Schema Version", "yes"],
        "result": "SUCCESS",
        "empty": [],
    }
    text = "\n".join([*frontmatter.render(meta), "", "# Title", ""])

    read, body = frontmatter.read(text)

    assert read == meta
    assert list(read) == list(meta)
    assert body == "# Title"


# -- episodes.parse ------------------------------------------------------------------------------


def test_a_hand_written_note_without_frontmatter_takes_date_and_slug_from_its_name_and_title_from_its_h1() -> None:
    rel = "memory/episodic/code/2025-03-04-replica-lag-read.md"
    text = (FIXTURES / rel).read_bytes().decode("utf-8")

    ep = episodes.parse(rel, text)

    assert (ep.path, ep.date, ep.slug, ep.title, ep.meta, ep.body) == (
        rel,
        "2025-03-04",
        "replica-lag-read",
        'Profile edits that "reverted"',
        {},
        text,
    )


def test_a_note_without_an_h1_is_titled_by_its_slug() -> None:
    ep = episodes.parse("memory/episodic/learning/2026-01-02-short-note.md", "Just a line.\n")

    assert (ep.date, ep.slug, ep.title) == ("2026-01-02", "short-note", "short note")


def test_a_note_named_without_a_date_has_no_date() -> None:
    ep = episodes.parse("memory/episodic/learning/scratch.md", "# Scratch\r\n\r\nText\r\n")

    assert (ep.date, ep.slug, ep.title) == (None, "scratch", "Scratch")


def test_a_note_with_a_bom_and_no_frontmatter_still_takes_its_title_from_the_h1() -> None:
    ep = episodes.parse("memory/episodic/code/2026-01-02-bom-note.md", "\ufeff# Title after a BOM\n\nBody\n")

    assert ep.title == "Title after a BOM"


def test_a_shell_comment_in_a_code_block_is_not_taken_for_the_notes_h1() -> None:
    text = "Restarted the worker twice.\n\n```bash\n# restart the worker\nsystemctl restart worker\n```\n"

    ep = episodes.parse("memory/episodic/code/2026-01-02-worker-restart.md", text)

    assert ep.title == "worker restart"


def test_a_note_with_frontmatter_keeps_unknown_keys_and_takes_its_date_from_the_metadata() -> None:
    rel = "memory/episodic/code/2026-09-30-invoice-list-batching.md"

    ep = episodes.parse(rel, (FIXTURES / rel).read_bytes().decode("utf-8"))

    assert ep.date == "2026-09-30"
    assert ep.meta["mood"] == "tired"
    assert ep.meta["patterns"] == ["Batch Loading Related Rows"]
    assert ep.title == "Statement PDF render time - billing-portal - 2026-09-30"


# -- workflows.parse -----------------------------------------------------------------------------


def test_the_fixture_workflow_with_a_checklist_parses_into_fields_steps_and_checklist() -> None:
    rel = "memory/procedural/workflows/versioned-cache-release.md"

    wf = workflows.parse(rel, (FIXTURES / rel).read_bytes().decode("utf-8"))

    assert wf == workflows.Workflow(
        path=rel,
        title="Versioned Cache Release",
        fields={
            "when to use": (
                "Any change that alters the shape of something stored in Redis, memcached or an on-disk cache"
            ),
            "estimated time": "20 minutes on top of the change itself",
            "last used": "2026-11-14",
            "source pattern": "memory/semantic/patterns/dev-patterns.md#cache-keys-carry-a-schema-version",
        },
        steps=(
            "Find every cache kind whose payload the change touches (grep the serializer names)",
            "Bump the number for each of them in `CACHE_SCHEMA`, in the same commit as the payload change",
            "Check that the TTL on the old keys is short enough for them to expire on their own",
            "Deploy with the normal rolling strategy; do not flush anything",
            "Watch the hit rate for the new version climb back over the next hour",
            "Note the version bump and the reason in the release notes",
        ),
        checklist=(
            "Schema number bumped for every changed payload",
            "No FLUSHALL or key deletion in the runbook",
            "Old keys have a TTL",
            "Rollback tested: previous release still reads its own keys",
            "Hit-rate dashboard checked one hour after deploy",
        ),
    )


def test_the_fixture_workflow_without_a_checklist_parses_its_seven_steps() -> None:
    rel = "memory/procedural/workflows/expand-contract-migration.md"

    wf = workflows.parse(rel, (FIXTURES / rel).read_bytes().decode("utf-8"))

    assert (wf.title, wf.source_pattern, len(wf.steps), wf.checklist) == (
        "Expand-Contract Migration",
        "memory/semantic/patterns/dev-patterns.md#expand-contract-database-migrations",
        7,
        (),
    )
    assert list(wf.fields) == ["when to use", "estimated time", "last used", "source pattern"]
    assert wf.steps[-1] == "Add an example to the source pattern with the dates of the three releases"


def test_a_rendered_workflow_parses_back_to_what_was_rendered() -> None:
    text = workflows.render(
        "Pin Query Counts",
        when="An endpoint lists related rows",
        estimated="10 minutes",
        last_used="2026-11-21",
        source="memory/semantic/patterns/dev-patterns.md#pin-query-counts",
        steps=["Wrap the call in a counter", "Assert the count"],
        checklist=["Counter removed from production code"],
        newline="\r\n",
    )

    wf = workflows.parse("memory/procedural/workflows/pin-query-counts.md", text)

    assert (wf.title, wf.steps, wf.checklist, wf.source_pattern) == (
        "Pin Query Counts",
        ("Wrap the call in a counter", "Assert the count"),
        ("Counter removed from production code",),
        "memory/semantic/patterns/dev-patterns.md#pin-query-counts",
    )


# -- structure.outline ---------------------------------------------------------------------------


def test_h2_lines_in_fenced_and_indented_code_are_not_headings() -> None:
    bodies = [
        "# Title",  # 0
        "",
        "```markdown",  # 2
        "## Inside backticks",
        "```",  # 4
        "",
        "~~~",  # 6
        "```",
        "## Inside tildes, past a shorter fence",
        "```",
        "~~~",  # 10
        "",
        "    ## Indented four spaces",  # 12
        "",
        "## Real",  # 14
        "### Sub",
    ]

    out = outline(bodies)

    assert out.headings == (
        Heading(line=0, level=1, text="Title"),
        Heading(line=14, level=2, text="Real"),
        Heading(line=15, level=3, text="Sub"),
    )
    assert out.code == frozenset({2, 3, 4, 6, 7, 8, 9, 10, 12})
    assert out.unclosed_fence is None


def test_an_unclosed_fence_is_reported_at_its_opening_line_and_swallows_later_headings() -> None:
    out = outline(["## Before", "", "text", "```python", "x = 1", "## After"])

    assert out.unclosed_fence == 3
    assert out.headings == (Heading(line=0, level=2, text="Before"),)


def test_a_fence_closed_by_a_longer_fence_is_closed() -> None:
    out = outline(["```", "## in code", "`````", "## Out"])

    assert out.unclosed_fence is None
    assert out.headings == (Heading(line=3, level=2, text="Out"),)


def test_a_lone_carriage_return_does_not_shift_heading_lines() -> None:
    out = outline(["text\rwith a lone CR", "## Heading", "", "## Next"])

    assert [h.line for h in out.headings] == [1, 3]


def test_a_dashed_line_under_text_is_a_separator_not_a_setext_heading() -> None:
    out = outline(["Some text", "---", "", "## Entry"])

    assert out.headings == (Heading(line=3, level=2, text="Entry"),)
