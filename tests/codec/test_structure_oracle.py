"""The structure scanner agrees with markdown-it-py (the reference CommonMark parser) restricted
to the block rules devlore treats as structure: fences, indented code, ATX headings, paragraphs."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from devlore.codec.structure import Heading, outline

FRAGMENTS = [
    "",
    "  ",
    "\t",
    "text",
    "more text",
    "## Pattern Name",
    "# Title",
    "### Confidence",
    "###### six",
    "####### seven",
    "   ## three spaces",
    "    ## four spaces",
    "\t## tab",
    "##no space",
    "## closing ##",
    "## trailing#",
    "## #",
    "#",
    "##",
    "```",
    "```python",
    "```markdown",
    "~~~",
    "~~~ yaml",
    "````",
    "`````",
    "   ```",
    "    ```",
    "``` a`b",
    "~~~ a`b",
    "  ~~~~",
    "    indented code",
    "\tindented",
    "        deeper",
    "- item",
    "1. first",
    "---",
    "***",
    "**Confidence:** HIGH",
    "> quote",
    "<div>",
    "text ```",
    "## a ```",
]


def oracle(lines: list[str]) -> tuple[list[Heading], set[int]]:
    md = MarkdownIt("zero")
    md.enable(["fence", "code", "heading"])
    md.disable(["inline", "text_join"])
    tokens = md.parse("".join(line + "\n" for line in lines))  # every body is a line
    headings: list[Heading] = []
    code: set[int] = set()
    for i, tok in enumerate(tokens):
        if tok.map is None or tok.level != 0:
            continue
        if tok.type in ("fence", "code_block"):
            code.update(range(tok.map[0], tok.map[1]))
        elif tok.type == "heading_open":
            headings.append(Heading(tok.map[0], len(tok.markup), tokens[i + 1].content.strip(" \t")))
    return headings, code


@settings(max_examples=400, deadline=None, database=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_the_scanner_finds_the_same_headings_and_code_as_markdown_it(lines: list[str]) -> None:
    headings, code = oracle(lines)
    found = outline(lines)
    assert list(found.headings) == headings
    assert set(found.code) == code


def test_the_scanner_agrees_on_every_fixture_file() -> None:
    from pathlib import Path

    from devlore.codec.text import Doc

    root = Path(__file__).resolve().parents[2] / "memory_fixtures"
    for path in sorted(root.rglob("*.md")):
        lines = Doc.parse(path.read_text(encoding="utf-8")).bodies()
        headings, code = oracle(lines)
        found = outline(lines)
        assert (list(found.headings), set(found.code)) == (headings, code), path
