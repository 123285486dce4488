"""Any Unicode through every write tool: each call either writes files that ``devlore check``
passes and that list back the same name, or is refused with no byte changed.

Strings are drawn from all of Unicode, with control, format, separator and private-use
characters (Cc, Cf, Zl, Zp, Co) drawn often, as names, titles, text and examples."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import anyio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import Client

from devlore.server import build_server
from devlore.service.brain import Brain
from devlore.service.check import check
from tests.conftest import FIXTURES, TODAY, snapshot

ODD = st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Co"])
ANY = st.characters(exclude_categories=["Cs"])  # a lone surrogate cannot travel as JSON text
PLAIN = st.characters(exclude_categories=["Cc", "Cf", "Zl", "Zp", "Cs"])  # private use (Co) is text
# Half the strings are plain text of any script (they should be written), half hold odd
# characters anywhere (they should be refused, unless the odd one is private use).
TEXT = st.one_of(
    st.text(st.one_of(PLAIN, st.sampled_from("ab N+1 -*`_")), min_size=1, max_size=24),
    st.text(st.one_of(ANY, ODD, st.sampled_from("#\n\t")), min_size=1, max_size=24),
)
HIGH = "Kill Criteria in Every Experiment Brief"  # HIGH in pm-patterns.md: it can become a workflow
LOG = "Ledger-Export"


async def attempt(client: Client, root: Path, tool: str, args: dict[str, Any]) -> dict[str, Any] | None:
    """The call's structured answer when it wrote (and check passes), None when it was refused
    (and nothing changed)."""
    before = snapshot(root)
    result = await client.call_tool(tool, args)
    if result.is_error:
        assert snapshot(root) == before, f"{tool} was refused but changed files: {args!r}"
        text = result.content[0].text  # type: ignore[union-attr]
        assert "Error executing tool" in text and "http" not in text, text
        return None
    assert check(Brain(root)) == [], f"{tool} wrote a file devlore check refuses: {args!r}"
    assert result.structured_content is not None
    return result.structured_content


async def listed_names(client: Client) -> set[str]:
    names: set[str] = set()
    cursor: str | None = None
    while True:
        page = await client.call_tool("list_patterns", {"limit": 100, **({"cursor": cursor} if cursor else {})})
        assert page.structured_content is not None and page.structured_content["problems"] == []
        names |= {p["name"] for p in page.structured_content["patterns"]}
        if (cursor := page.structured_content["next_cursor"]) is None:
            return names


async def every_write_tool(root: Path, name: str, other: str, text: str, line: str) -> None:
    brain = Brain(root, today=lambda: TODAY)
    async with Client(build_server(brain)) as client:
        made = await attempt(
            client, root, "add_pattern", {"name": name, "pattern": text, "context": text, "example": line}
        )
        if made is not None:
            assert made["name"] == name.strip() and made["name"] in await listed_names(client)
        await attempt(client, root, "add_example", {"pattern": "Batch Loading Related Rows", "example": line})
        learned = await attempt(
            client,
            root,
            "record_experience",
            {
                "title": name,
                "project": other,
                "goal": line,
                "what_happened": text,
                "solution": text,
                "patterns_applied": ["Batch Loading Related Rows"],
                "new_patterns": [{"name": other, "pattern": text, "context": text, "example": line}],
            },
        )
        if learned is not None:
            assert learned["created"][0]["name"] == other.strip()
            assert other.strip() in await listed_names(client)
            assert (root / learned["path"]).is_file()
        flow = await attempt(
            client, root, "promote_to_workflow", {"pattern": HIGH, "steps": [line], "checklist": [text]}
        )
        if flow is not None:
            assert (root / flow["path"]).read_text(encoding="utf-8").startswith(f"# {HIGH}\n")
        await attempt(client, root, "upgrade_confidence", {"pattern": HIGH})
        opened = await attempt(client, root, "open_worklog", {"name": name, "title": line})
        if opened is not None:
            again = await client.call_tool("get_worklog", {"name": opened["name"]})
            assert not again.is_error and again.structured_content["name"] == opened["name"]  # type: ignore[index]
        await attempt(client, root, "open_worklog", {"name": LOG, "title": other})
        await attempt(client, root, "update_worklog", {"name": LOG, "progress": line, "next": [line], "solution": text})
        await attempt(client, root, "record_blocker", {"name": LOG, "blocker": line, "owner": other})
        await attempt(client, root, "resolve_blocker", {"name": LOG, "resolution": line})


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=TEXT, other=TEXT, text=TEXT, line=TEXT)
def test_any_unicode_through_every_write_tool_writes_a_clean_brain_or_changes_nothing(
    name: str, other: str, text: str, line: str
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "brain"
        shutil.copytree(FIXTURES, root)
        anyio.run(every_write_tool, root, name, other, text, line)
