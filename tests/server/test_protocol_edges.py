"""The protocol edges: completion, logging level, the size of tools/list, tool subsets."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mcp import Client, types

from devlore.server import build_server
from devlore.service.brain import Brain
from tests.conftest import ClientFactory

pytestmark = pytest.mark.anyio


async def test_tools_list_stays_under_twenty_thousand_characters(connect: ClientFactory) -> None:
    async with connect() as client:
        listed = await client.list_tools()
    assert len(listed.tools) == 15
    assert len(listed.model_dump_json(by_alias=True, exclude_none=True)) < 20_000


async def test_each_tool_subset_lists_only_its_tools(brain: Brain, mode: str) -> None:
    names = {}
    for subset in ("patterns", "worklogs", "all"):
        async with Client(build_server(brain, tools=subset), mode=mode) as client:
            names[subset] = [t.name for t in (await client.list_tools()).tools]
    assert names["worklogs"] == ["open_worklog", "get_worklog", "update_worklog", "record_blocker", "resolve_blocker"]
    assert names["all"] == names["patterns"] + names["worklogs"]


async def complete(
    client: Client,
    ref: types.PromptReference | types.ResourceTemplateReference,
    name: str,
    value: str,
    context: dict[str, str] | None = None,
) -> list[str]:
    result = await client.complete(ref, {"name": name, "value": value}, context_arguments=context)
    return list(result.completion.values)


async def test_completion_offers_names_from_the_brain(connect: ClientFactory) -> None:
    pattern = types.ResourceTemplateReference(type="ref/resource", uri="memory://patterns/{domain}/{slug}")
    async with connect() as client:
        domains = await complete(client, pattern, "domain", "")
        slugs = await complete(client, pattern, "slug", "cache", {"domain": "dev"})
        logs = await complete(client, types.PromptReference(type="ref/prompt", name="resume_work"), "name", "led")
        topics = await complete(client, types.PromptReference(type="ref/prompt", name="recall"), "topic", "Kill")
        unknown = await complete(client, types.PromptReference(type="ref/prompt", name="no_such_prompt"), "x", "")
    assert domains == ["content", "dev", "pm"]
    assert slugs == ["cache-keys-carry-a-schema-version"]
    assert logs == ["Ledger-Export"]
    assert topics == ["Kill Criteria in Every Experiment Brief"]
    assert unknown == []


@pytest.mark.filterwarnings("ignore:The logging capability is deprecated")  # still what 2025-era hosts send
async def test_logging_set_level_changes_the_servers_log_level(brain: Brain) -> None:
    logger = logging.getLogger("devlore")
    before = logger.level
    try:
        async with Client(build_server(brain), mode="legacy") as client:
            await client.set_logging_level("error")
            assert logger.level == logging.ERROR
            await client.set_logging_level("debug")
            assert logger.level == logging.DEBUG
    finally:
        logger.setLevel(before)


def test_doctor_reports_a_healthy_brain_and_prints_client_config(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from devlore.cli import main

    assert main(["doctor", "--root", str(root)]) == 0
    out = capsys.readouterr().out
    assert "ok   0 file(s) that do not parse\n" in out
    assert f"serve --root {root.resolve()}" in out
    assert '"mcpServers"' in out and "Authorization: Bearer" in out


@pytest.mark.breaks_brain
def test_doctor_fails_on_an_unparsable_file_and_names_it(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from devlore.cli import main

    (root / "memory/semantic/patterns/pm-patterns.md").write_bytes(b"# PM\n\xff\n")
    assert main(["doctor", "--root", str(root)]) == 1
    out = capsys.readouterr().out
    assert "FAIL 1 file(s) that do not parse\n" in out
    assert "FAIL   memory/semantic/patterns/pm-patterns.md:2: not valid UTF-8 text\n" in out
