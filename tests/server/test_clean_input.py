"""Names and text are clean: invisible and control characters are refused with their code
point, names in any script are accepted with stable slugs, and near-duplicate names are
refused naming the pattern they are close to, in every tool that creates a pattern."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from devlore.names import name_key, refuse_controls, slugify
from tests.conftest import DEV, PM, ClientFactory, snapshot
from tests.server.refusals import cases, refused
from tests.server.test_pattern_tools import error, ok

pytestmark = pytest.mark.anyio

NEW = {"pattern": "Do the thing.", "context": "When it hurts.", "example": "proj - it worked (2026-11-20)"}
EPISODE = {"title": "A task", "project": "ledger", "goal": "g", "what_happened": "w", "solution": "s"}

CONTROLS = [
    ("add_pattern", NEW | {"name": "Bad\x07Bell"}, "'name' contains U+0007"),
    ("add_pattern", NEW | {"name": "Right\u202eLeft"}, "'name' contains U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ("add_pattern", NEW | {"name": "Zero\u200bWidth"}, "'name' contains U+200B (ZERO WIDTH SPACE)"),
    ("add_pattern", NEW | {"name": "Fine", "pattern": "one\u2028two"}, "'pattern' contains U+2028"),
    ("add_example", {"pattern": "Batch Loading Related Rows", "example": "x\x85y"}, "'example' contains U+0085"),
    (
        "add_example",
        {"pattern": "Batch Loading Related Rows", "example": "a\tb"},
        "'example' contains U+0009 (a control character)",
    ),
    ("record_experience", EPISODE | {"title": "A\x7ftask"}, "'title' contains U+007F"),
    (
        "record_experience",
        EPISODE | {"new_patterns": [{"name": "N\ufeffew", "pattern": "p", "context": "c"}]},
        "'new_patterns[0].name' contains U+FEFF",
    ),
    ("update_worklog", {"name": "Ledger-Export", "progress": "50%\x1b[31m"}, "'progress' contains U+001B"),
    ("update_worklog", {"name": "Ledger-Export", "next": ["[HIGH] ok", "bad\x00"]}, "'next[1]' contains U+0000"),
    ("record_blocker", {"name": "Ledger-Export", "blocker": "waits\u2066"}, "'blocker' contains U+2066"),
    ("open_worklog", {"name": "Ledger-Export", "title": "tab\there"}, "'title' contains U+0009"),
]


@pytest.mark.parametrize(("tool", "args", "expected"), CONTROLS, ids=cases(CONTROLS))
async def test_a_control_or_invisible_character_is_refused_with_its_code_point_and_changes_nothing(
    connect: ClientFactory, root: Path, tool: str, args: dict[str, Any], expected: str
) -> None:
    message = await refused(connect, root, tool, args)
    assert expected in message


async def test_multi_line_text_keeps_newlines_and_tabs(connect: ClientFactory, root: Path) -> None:
    async with connect() as client:
        await ok(client, "add_pattern", NEW | {"name": "Tabbed Steps", "pattern": "1. first\n\tindented\n2. second"})
        detail = await ok(client, "get_pattern", {"pattern": "Tabbed Steps"})
    assert "\tindented" in detail["markdown"]


@pytest.mark.parametrize(
    ("name", "slug"), [("Ошибка в логах", "ошибка-в-логах"), ("日本語のパターン", "日本語のパターン")]
)
async def test_a_name_in_any_script_is_accepted_and_found_again_by_name_and_slug(
    connect: ClientFactory, name: str, slug: str
) -> None:
    async with connect() as client:
        made = await ok(client, "add_pattern", NEW | {"name": name})
        by_name = await ok(client, "get_pattern", {"pattern": name})
        by_slug = await ok(client, "get_pattern", {"pattern": slug})
        listed = await ok(client, "list_patterns", {"domain": "dev"})
    assert made == {"name": name, "slug": slug, "path": DEV, "confidence": "LOW"}
    assert by_name["name"] == by_slug["name"] == name
    assert name in [p["name"] for p in listed["patterns"]]


async def test_two_names_in_another_script_get_two_slugs(connect: ClientFactory) -> None:
    async with connect() as client:
        first = await ok(client, "add_pattern", NEW | {"name": "Ошибка 1"})
        second = await ok(client, "add_pattern", NEW | {"name": "Проблема 1"})
    assert (first["slug"], second["slug"]) == ("ошибка-1", "проблема-1")


NEAR = [
    ("N 1 Query Prevention", "N+1 Query Prevention", "dev"),
    ("Ｎ+1 Ｑｕｅｒｙ Prevention", "N+1 Query Prevention", "pm"),  # fullwidth, another file
    ("N+1 Query Prеvеntion", "N+1 Query Prevention", "content"),  # Cyrillic е
    ("n+1 query prevention!", "N+1 Query Prevention", "dev"),
]


@pytest.mark.parametrize(("near", "existing", "domain"), NEAR)
async def test_add_pattern_refuses_a_near_duplicate_in_any_file_naming_the_existing_pattern(
    connect: ClientFactory, root: Path, near: str, existing: str, domain: str
) -> None:
    async with connect() as client:
        await ok(client, "add_pattern", NEW | {"name": existing})
        before = snapshot(root)
        message = await error(client, "add_pattern", NEW | {"name": near, "domain": domain})
    assert f"'{existing}'" in message and DEV in message
    assert snapshot(root) == before


async def test_record_experience_new_patterns_refuses_a_near_duplicate(connect: ClientFactory, root: Path) -> None:
    before = snapshot(root)
    near = {"name": "Batch-Loading Related  Rows", "pattern": "p", "context": "c"}
    async with connect() as client:
        message = await error(client, "record_experience", EPISODE | {"new_patterns": [near], "work_type": "research"})
        twice = await error(
            client,
            "record_experience",
            EPISODE | {"new_patterns": [{"name": "Brand New", "pattern": "p", "context": "c"}] * 2},
        )
    assert "'Batch Loading Related Rows'" in message and DEV in message
    assert "new_patterns names the same pattern twice" in twice
    assert snapshot(root) == before


async def test_promote_to_workflow_refuses_a_workflow_near_an_existing_one(connect: ClientFactory, root: Path) -> None:
    async with connect() as client:
        for n in range(5):
            await ok(client, "add_example", {"pattern": "Batch Loading Related Rows", "example": f"ex {n}"})
        made = await ok(client, "promote_to_workflow", {"pattern": "Batch Loading Related Rows"})
        hand = root / made["path"].replace("batch-loading-related-rows", "Batch_Loading_Related_Rows")
        hand.write_bytes((root / made["path"]).read_bytes())
        (root / made["path"]).unlink()
        before = snapshot(root)
        message = await error(client, "promote_to_workflow", {"pattern": "Batch Loading Related Rows"})
    assert "Batch_Loading_Related_Rows.md is a workflow for a name too close to" in message
    assert snapshot(root) == before


def test_name_key_folds_case_punctuation_width_and_look_alikes() -> None:
    keys = {name_key(n) for n in ["N+1 Query Prevention", "n 1 query-prevention", "Ｎ＋１ QUERY РREVENTION"]}
    assert keys == {"n1queryprevention"}
    assert name_key("Ошибка") != name_key("Проблема")
    assert slugify("Café Ünïcode") == "caf-ncode"  # Latin slugs are the ones brains already have
    assert refuse_controls("x", "a\tb\nc", multiline=True) == "a\tb\nc"
    assert PM  # the fixture brain has a second pattern file the rule reaches across


async def test_a_work_log_named_in_another_script_is_opened_and_read_back(connect: ClientFactory, root: Path) -> None:
    async with connect() as client:
        opened = await ok(client, "open_worklog", {"name": "Ошибка в логах", "title": "Первая сессия"})
        again = await ok(client, "get_worklog", {"name": "ошибка-в-логах"})
    assert opened["path"] == "memory/worklogs/Ошибка-в-логах-WorkLog.md"
    assert (again["name"], again["version"]) == ("Ошибка-в-логах", "v1")
