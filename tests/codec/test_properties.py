"""Property tests: lossless round-trip of any text, and entry detection and surgical edits on
generated pattern files (formats A and B, fenced templates, LF/CRLF/mixed endings, footers)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from devlore.codec import pattern_edits
from devlore.codec.pattern_entry import slugify
from devlore.codec.patterns import PatternFile
from devlore.codec.text import Doc, Splice, ending
from devlore.model import LEVELS, evidence_level

# -- (i) any text round-trips ------------------------------------------------------------------

CHUNKS = [
    "\n",
    "\r\n",
    "\r",
    "\ufeff",
    "🚀",
    "✅ → ❌",
    " ",
    "\t",
    "## Heading",
    "### Confidence",
    "```",
    "~~~",
    "    ",
    "---",
    "**Confidence:** HIGH",
    "**Examples:**",
    "1. Project - thing (2026-01-01) - ok",
    "- Example 1 (2026-01-01): text",
    "- **Level:** LOW",
    "**Total Patterns:** 3",
    "**Confidence Breakdown:**",
    "- HIGH: 1 pattern (33%)",
    "\x00",
    "\u2028",
]

any_text = st.lists(st.one_of(st.sampled_from(CHUNKS), st.text(max_size=8)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, database=None)
@given(any_text)
def test_any_text_renders_back_exactly_as_a_doc(text: str) -> None:
    assert Doc.parse(text).render() == text


@settings(max_examples=300, deadline=None, database=None)
@given(any_text)
def test_any_text_renders_back_exactly_as_a_pattern_file(text: str) -> None:
    assert PatternFile.parse(text).doc.render() == text


# -- a generator of pattern files -------------------------------------------------------------

WORDS = [
    "cache",
    "retry",
    "batch",
    "deploy",
    "clock",
    "ledger",
    "queue",
    "index",
    "webhook",
    "token",
    "schema",
    "canary",
    "flag",
    "replica",
    "thread",
]
day = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31)).map(date.isoformat)
sentence = st.builds(
    lambda words, tail, pad: " ".join(words).capitalize() + tail + pad,
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=6),
    st.sampled_from(["", " ✅", " → 3 queries", " (2026-01)", ", then 🚀", "; it's fine"]),
    st.sampled_from(["", "", "  "]),
)
name = st.builds(
    lambda words, tail: " ".join(w.capitalize() for w in words) + tail,
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4),
    st.sampled_from(["", " 🚀", ", Then Check", " (v2)", "-Aware"]),
)
level = st.sampled_from(LEVELS)


@dataclass(frozen=True)
class GenEntry:
    name: str
    format: str
    examples: int
    stated: str


@dataclass(frozen=True)
class GenFile:
    text: str
    entries: tuple[GenEntry, ...]
    footer: bool


@st.composite
def entry_a(draw: st.DrawFn, title: str) -> tuple[list[str], GenEntry]:
    k = draw(st.integers(0, 8))
    stated = draw(level)
    lines = [f"## {title}", "", f"**Confidence:** {stated}", f"**Based on:** {draw(st.integers(1, 9))} examples"]
    lines.append(f"**Last reinforced:** {draw(day)}")
    if draw(st.booleans()):
        lines.append(f"**Time saved per use:** ~{draw(st.integers(1, 90))} minutes ({draw(sentence)})")
    lines += ["", "**Context:**", draw(sentence), "", "**Pattern:**", draw(sentence)]
    examples = [f"{i}. {draw(sentence)} ({draw(day)}) - {draw(sentence)}" for i in range(1, k + 1)]
    code = ["**Code example:**", "```markdown", "## Not an entry", "**Confidence:** LOW", "1. not an example", "```"]
    code_first = draw(st.booleans())
    if code_first and draw(st.booleans()):
        lines += ["", *code]
    if k:
        lines += ["", "**Examples:**", *examples]
    if not code_first and draw(st.booleans()):
        lines += ["", *code]
    sources = [
        f"- memory/episodic/code/{draw(day)}-{slugify(draw(name))}-{i}.md" for i in range(draw(st.integers(0, 3)))
    ]
    if sources:
        marker = ["- [... and 2 more ...]"] if draw(st.booleans()) else []
        lines += ["", "**Source experiences:**", *sources, *marker]
    return lines, GenEntry(title, "A", k, stated)


@st.composite
def entry_b(draw: st.DrawFn, title: str) -> tuple[list[str], GenEntry]:
    k = draw(st.integers(0, 8))
    stated = draw(level)
    lines = [f"## {title}", "", "### Description", draw(sentence), "", "### When to Use", f"- {draw(sentence)}"]
    if k:
        lines += ["", "### Examples", *(f"- Example {i} ({draw(day)}): {draw(sentence)}" for i in range(1, k + 1))]
    dated = draw(st.sampled_from(["Created", "Last reinforced"]))
    lines += [
        "",
        "### Confidence",
        f"- **Level:** {stated}",
        f"- **Based on:** {k} examples",
        f"- **{dated}:** {draw(day)}",
    ]
    if draw(st.booleans()):
        lines += ["", "### Time Savings", f"- **Estimated:** ~{draw(st.integers(1, 60))} min per application"]
        lines.append(f"- **Total saved:** {draw(st.integers(0, 500))} min")
    if draw(st.booleans()):
        lines += ["", "### Sources", f"- memory/episodic/code/{draw(day)}-{slugify(title)}.md"]
    return lines, GenEntry(title, "B", k, stated)


TEMPLATE = [
    "## Pattern Template",
    "",
    "```markdown",
    "## [Pattern Name]",
    "",
    "**Confidence:** LOW/MEDIUM/HIGH",
    "**Based on:** N examples",
    "",
    "**Examples:**",
    "1. [Project] - [what happened] (YYYY-MM) - [Result]",
    "## X",
    "```",
    "",
    "---",
    "",
]
GROWTH = ["## Pattern Growth Tracking", "", "1. **Spotted once** (LOW)", "   - written down right away", "", "---", ""]
HOW_TO = ["## How to Use This File", "", "**Before starting a task:**", "1. Skim the HIGH entries", "", "---", ""]


@st.composite
def pattern_files(draw: st.DrawFn) -> GenFile:
    lines = [f"# {draw(name)} Patterns", "", f"**Purpose:** {draw(sentence)}", "", "**Confidence levels:**"]
    lines += [
        f"- **{lv}** ({rule}): {draw(sentence)}" for lv, rule in zip(LEVELS, ["1 example", "2-4", "5+"], strict=True)
    ]
    lines += ["", "---", ""]
    if draw(st.booleans()):
        lines += TEMPLATE
    if draw(st.booleans()):
        lines += ["## Example Patterns", "", draw(sentence), "", "---", ""]
    titles = draw(st.lists(name, max_size=6, unique_by=slugify))
    entries: list[GenEntry] = []
    for title in titles:
        body, entry = draw(st.one_of(entry_a(title), entry_b(title)))
        lines += [*body, "", "---", ""]
        entries.append(entry)
    trailing = draw(st.sampled_from([[], GROWTH, HOW_TO, GROWTH + HOW_TO]))
    lines += trailing
    # A footer goes after a trailing section, as in the upstream layout; a footer right after the
    # last entry is covered by test_roundtrip's content-patterns.md check.
    footer = bool(trailing) and draw(st.booleans())
    if footer:
        lines += ["**Last Updated:** 2025-01-11", f"**Total Patterns:** {len(entries)}", "**Confidence Breakdown:**"]
        lines += ["- HIGH: 1 pattern (14%)", "- MEDIUM: 3 patterns (43%)", "- LOW: 3 patterns (43%)", ""]
        lines += ["**Next steps:**", f"- {draw(sentence)}"]
    return GenFile(render(draw, lines), tuple(entries), footer)


def render(draw: st.DrawFn, lines: list[str]) -> str:
    """Give every line an ending: all LF, all CRLF, or a random mix; maybe none on the last."""
    style = draw(st.sampled_from(["lf", "crlf", "mixed"]))
    if style == "mixed":
        ends = draw(st.lists(st.sampled_from(["\n", "\r\n"]), min_size=len(lines), max_size=len(lines)))
    else:
        ends = ["\n" if style == "lf" else "\r\n"] * len(lines)
    if lines[-1] == "":
        lines, ends = lines[:-1], ends[:-1]
    if draw(st.booleans()):
        ends[-1] = ""
    return "".join(line + end for line, end in zip(lines, ends, strict=True))


# -- (ii) parsing generated files -----------------------------------------------------------------


@settings(max_examples=150, deadline=None, database=None)
@given(pattern_files())
def test_a_generated_pattern_file_parses_into_exactly_its_entries_with_their_evidence(gen: GenFile) -> None:
    pf = PatternFile.parse(gen.text)

    found = [(e.name, e.format, len(e.examples), e.stated, e.evidence) for e in pf.entries]
    expected = [(g.name, g.format, g.examples, g.stated, evidence_level(g.examples)) for g in gen.entries]
    assert found == expected
    assert (pf.footer is not None) == gen.footer
    assert pf.doc.render() == gen.text


# -- (iii) add_example is surgical ---------------------------------------------------------------

NEW_EXAMPLE = "Ledgerline - new thing (2026-11-20) - worked ✅"
NEW_SOURCE = "memory/episodic/code/2026-11-20-new-thing.md"


def footer_lines(pf: PatternFile) -> set[int]:
    if pf.footer is None:
        return set()
    lines = {i for i in (pf.footer.last_updated, pf.footer.total) if i is not None}
    if pf.footer.breakdown is not None:
        lines |= set(range(*pf.footer.breakdown))
    return lines


def add_example(pf: PatternFile, index: int, source: str | None) -> Doc:
    """The service's two steps at codec level: the entry's splices, then the footer's."""
    mid = pf.doc.splice(pattern_edits.add_example(pf, pf.entries[index], NEW_EXAMPLE, "2026-11-20", source))
    return mid.splice(pattern_edits.footer(PatternFile.parse(mid.render()), "2026-11-21"))


@settings(max_examples=150, deadline=None, database=None)
@given(pattern_files(), st.data())
def test_adding_an_example_touches_only_its_entry_and_the_footer(gen: GenFile, data: st.DataObject) -> None:
    pf = PatternFile.parse(gen.text)
    if not pf.entries:
        return
    index = data.draw(st.integers(0, len(pf.entries) - 1), label="entry")
    source = data.draw(st.sampled_from([None, NEW_SOURCE]), label="source")
    target = pf.entries[index]

    new = add_example(pf, index, source)
    after = PatternFile.parse(new.render())

    old_lines, new_lines = list(pf.doc.lines), list(new.lines)
    grown = len(new_lines) - len(old_lines)
    # Before the entry: byte-identical. After it: byte-identical except the footer's own lines,
    # which keep their line endings.
    assert new_lines[: target.start] == old_lines[: target.start]
    for i in range(target.end, len(old_lines)):
        if i in footer_lines(pf):
            assert ending(new_lines[i + grown]) == ending(old_lines[i])
        else:
            assert new_lines[i + grown] == old_lines[i]
    # Inside the entry: untouched lines keep their bytes; inserted lines take the file's newline.
    old_span, new_span = old_lines[target.start : target.end], new_lines[target.start : target.end + grown]
    matcher = difflib.SequenceMatcher(a=old_span, b=new_span, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "insert":
            assert all(ending(line) == pf.doc.newline for line in new_span[j1:j2])
        elif tag == "replace":
            kept = {ending(line) for line in old_span[i1:i2]} | {pf.doc.newline}
            assert all(ending(line) in kept for line in new_span[j1:j2])
    assert [e.name for e in after.entries] == [e.name for e in pf.entries]
    assert [len(e.examples) for e in after.entries] == [
        len(e.examples) + (1 if i == index else 0) for i, e in enumerate(pf.entries)
    ]
    assert after.entries[index].examples[-1].text.endswith("worked ✅")
    assert after.entries[index].stated == evidence_level(len(target.examples) + 1)
    assert after.entries[index].last_reinforced == "2026-11-20"
    assert (source in after.entries[index].sources) == (source is not None)
    if gen.footer:
        assert after.footer is not None and after.footer.total is not None and after.footer.last_updated is not None
        assert after.lines[after.footer.total] == f"**Total Patterns:** {len(after.entries)}"
        assert after.lines[after.footer.last_updated] == "**Last Updated:** 2026-11-21"


# -- (iv) insert_entry adds one entry and leaves the others alone --------------------------------


@settings(max_examples=150, deadline=None, database=None)
@given(pattern_files(), name, sentence)
def test_inserting_an_entry_adds_exactly_one_and_leaves_every_other_entry_byte_identical(
    gen: GenFile, title: str, text: str
) -> None:
    pf = PatternFile.parse(gen.text)
    title = f"{title} Fresh"
    new_entry = pattern_edits.NewPattern(
        name=title, context=text, pattern=text, example=f"{text} (2026-11-20) - ok", day="2026-11-20"
    )
    if any(e.slug == slugify(title) for e in pf.entries):
        return

    new = pf.doc.splice(pattern_edits.insert_entry(pf, new_entry))
    after = PatternFile.parse(new.render())

    assert [e.name for e in after.entries] == [*(e.name for e in pf.entries), title]
    added = after.entries[-1]
    assert (len(added.examples), added.stated, added.format) == (1, "LOW", "A")
    old_lines, new_lines = list(pf.doc.lines), list(new.lines)
    if old_lines and not ending(old_lines[-1]) and new_lines[len(old_lines) - 1] == old_lines[-1] + pf.doc.newline:
        # Appending after an unterminated last line has to end that line first.
        old_lines[-1] += pf.doc.newline
    for old, now in zip(pf.entries, after.entries, strict=False):
        assert new_lines[now.start : now.start + old.end - old.start] == old_lines[old.start : old.end]
    # A pure insertion: the lines before and after the new ones are the old lines.
    grown = len(new_lines) - len(old_lines)
    at = next((i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=False)) if a != b), len(old_lines))
    assert new_lines[at + grown :] == old_lines[at:]
    # ... at its documented place (docs/FORMAT.md §3, add_pattern): right after the last entry, else before
    # Pattern Growth Tracking, else at the end.
    following = [h.text for h in after.outline.h(2) if h.line > added.start]
    if pf.entries:
        assert after.entries[-2].end == added.start
        assert following == [h.text for h in pf.outline.h(2) if h.line > pf.entries[-1].start]
    else:
        growth = [h.line for h in pf.outline.h(2) if h.text == "Pattern Growth Tracking"]
        assert following == [h.text for h in pf.outline.h(2) if growth and h.line >= growth[0]]


# -- (iv) re-parsing only the edited sections gives the full parse ---------------------------------


def same_parse(a: PatternFile, b: PatternFile) -> None:
    assert a.doc == b.doc
    assert a.lines == b.lines
    assert a.outline == b.outline
    assert a.entries == b.entries
    assert a.footer == b.footer


@st.composite
def splices(draw: st.DrawFn, n: int) -> list[Splice]:
    """Up to three non-overlapping splices of random lines, structure-bearing ones included."""
    cuts = sorted(draw(st.lists(st.integers(0, n), min_size=2, max_size=6)))
    pairs = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)]
    bodies = [c for c in CHUNKS if not any(ch in c for ch in "\r\n\ufeff")]  # a line's body
    new_line = st.one_of(st.sampled_from(bodies), sentence)
    return [Splice(a, b, tuple(draw(st.lists(new_line, max_size=4)))) for a, b in pairs]


@settings(max_examples=300, deadline=None, database=None)
@given(pattern_files(), st.data())
def test_reparsing_only_the_edited_sections_equals_a_full_parse(gen: GenFile, data: st.DataObject) -> None:
    pf = PatternFile.parse(gen.text)
    edits = data.draw(splices(len(pf.lines)))

    after = pf.edited(edits)

    same_parse(after, PatternFile.parse(pf.doc.splice(edits).render()))
    # An entry that moved still answers with its new lines once they are asked for.
    for e in after.entries:
        assert after.lines[e.start].startswith("#")


@settings(max_examples=150, deadline=None, database=None)
@given(pattern_files(), st.data())
def test_the_service_edits_reparse_like_a_full_parse(gen: GenFile, data: st.DataObject) -> None:
    pf = PatternFile.parse(gen.text)
    if pf.entries:
        entry = pf.entries[data.draw(st.integers(0, len(pf.entries) - 1))]
        edits = pattern_edits.add_example(pf, entry, NEW_EXAMPLE, "2026-11-20", NEW_SOURCE)
    else:
        new = pattern_edits.NewPattern(
            name="Fresh Pattern", context="c", pattern="p", example="e (2026-11)", day="2026-11-20"
        )
        edits = pattern_edits.insert_entry(pf, new)
    edits += pattern_edits.footer(pf, "2026-11-21")

    same_parse(pf.edited(edits), PatternFile.parse(pf.doc.splice(edits).render()))


@settings(max_examples=200, deadline=None, database=None)
@given(pattern_files(), st.data())
def test_a_file_saved_by_an_editor_reparses_like_a_full_parse(gen: GenFile, data: st.DataObject) -> None:
    """Brain.pattern_file re-reads a changed file from its previous parse (``_reparsed``)."""
    from devlore.errors import InvalidDocument
    from devlore.service.brain import _reparsed

    pf = PatternFile.parse(gen.text)
    if pf.outline.unclosed_fence is not None:
        return
    lines = list(pf.doc.lines)
    cut = sorted(data.draw(st.lists(st.integers(0, len(lines)), min_size=2, max_size=2)))
    pasted = data.draw(st.lists(st.sampled_from(CHUNKS) | sentence, max_size=5))
    text = "".join(lines[: cut[0]]) + "".join(c + data.draw(st.sampled_from(["\n", "\r\n"])) for c in pasted)
    text += "".join(lines[cut[1] :])

    full = PatternFile.parse(text)
    try:
        again = _reparsed("memory/semantic/patterns/x-patterns.md", text, pf)
    except InvalidDocument:
        assert full.outline.unclosed_fence is not None
        return
    same_parse(again, full)
